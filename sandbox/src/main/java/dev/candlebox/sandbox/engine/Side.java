package dev.candlebox.sandbox.engine;

/** Which way a fill went. Shorts will add a position side, not new values here. */
public enum Side {
    BUY, SELL;

    /** The lower-case name the result JSON uses ({@code "buy"} / {@code "sell"}). */
    public String wire() {
        return this == BUY ? "buy" : "sell";
    }
}
