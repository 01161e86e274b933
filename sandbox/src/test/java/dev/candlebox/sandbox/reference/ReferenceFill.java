package dev.candlebox.sandbox.reference;

import java.math.BigDecimal;

/**
 * One validated order. {@code balanceAfter} is the quote balance after the fill; {@code realised}
 * is the PnL of a sell net of both sides' fees ({@code null} for a buy).
 */
public record ReferenceFill(int klineIndex, long timestamp, Side side, BigDecimal price, BigDecimal amount,
                            BigDecimal fee, BigDecimal balanceAfter, BigDecimal realised) {

    public enum Side { BUY, SELL }
}
