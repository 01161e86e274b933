package dev.candlebox.db.derivatives;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Positions liquidated in one period.
 *
 * @param timeMs     open time of the period, epoch ms UTC
 * @param longValue  long positions liquidated, in quote value (USDT); null when only the base amount is known
 * @param shortValue short positions liquidated, in quote value
 * @param longBase   long positions liquidated in the base asset (BTC), when the source gives that (Coinalyze)
 * @param shortBase  short positions liquidated in the base asset
 */
public record Liquidations(long timeMs, BigDecimal longValue, BigDecimal shortValue, BigDecimal longBase,
                           BigDecimal shortBase) implements Derivative {
    public Liquidations {
        if (longValue == null && shortValue == null && longBase == null && shortBase == null) {
            throw new IllegalArgumentException("liquidations at " + timeMs + " have no value");
        }
    }

    @Override
    public List<BigDecimal> values() {
        return Arrays.asList(longValue, shortValue, longBase, shortBase);
    }
}
