package dev.candlebox.sandbox.reference;

import java.util.Arrays;

/** {@code self.kline_cache}: the last {@code klineWndSize} klines up to and including the current one. */
public record KlineWindow(ReferenceKlines klines, int from, int to) {

    public int size() {
        return to - from;
    }

    public double[] closes() {
        return Arrays.copyOfRange(klines.close(), from, to);
    }

    public double[] highs() {
        return Arrays.copyOfRange(klines.high(), from, to);
    }

    public double[] lows() {
        return Arrays.copyOfRange(klines.low(), from, to);
    }

    public double[] opens() {
        return Arrays.copyOfRange(klines.open(), from, to);
    }
}
