package dev.candlebox.db.derivatives;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The long/short account ratio of a perpetual in one period.
 *
 * @param timeMs       open time of the period, epoch ms UTC
 * @param ratio        accounts long / accounts short
 * @param longAccount  share of accounts long as a fraction (0.7141 = 71.41 %), or null when not known
 * @param shortAccount share of accounts short as a fraction, or null when not known
 */
public record LongShortRatio(long timeMs, BigDecimal ratio, BigDecimal longAccount, BigDecimal shortAccount)
        implements Derivative {
    public LongShortRatio {
        Objects.requireNonNull(ratio, "ratio");
    }

    @Override
    public List<BigDecimal> values() {
        return Arrays.asList(ratio, longAccount, shortAccount);
    }
}
