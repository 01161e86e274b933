package dev.candlebox.db.funding;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One funding settlement of a perpetual: at {@code timeMs} a position of size Q pays {@code Q × price × rate}
 * (rate > 0: longs pay shorts; rate < 0: shorts pay longs).
 *
 * @param timeMs        the settlement time, epoch ms UTC, on the whole minute
 * @param rate          the funding rate as a fraction (0.0001 = 0.01 %), exact
 * @param intervalHours hours between settlements in force at this one (8 on most Binance perpetuals)
 * @param markPrice     the mark price at the settlement, or null when the source did not give it
 */
public record FundingRate(long timeMs, BigDecimal rate, int intervalHours, BigDecimal markPrice) {
    public FundingRate {
        Objects.requireNonNull(rate, "rate");
        if (intervalHours < 1) throw new IllegalArgumentException("interval hours must be at least 1, got " + intervalHours);
    }
}
