package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A symbol's funding: times (epoch ms, strictly ascending), the rate settled at each, and the mark
 * price at that time where it was imported (null entries: pay on the open of the kline containing it).
 */
public record FundingSeries(long[] time, BigDecimal[] rate, BigDecimal[] markPrice) {
    public static final FundingSeries NONE = new FundingSeries(new long[0], new BigDecimal[0], new BigDecimal[0]);

    public FundingSeries {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(markPrice, "markPrice");
        if (rate.length != time.length || markPrice.length != time.length) {
            throw new IllegalArgumentException("funding columns must have the same length");
        }
        for (int i = 0; i < time.length; i++) {
            Objects.requireNonNull(rate[i], "rate");
            if (i > 0 && time[i] <= time[i - 1]) throw new IllegalArgumentException("funding times must ascend strictly");
        }
    }

    public int size() {
        return time.length;
    }
}
