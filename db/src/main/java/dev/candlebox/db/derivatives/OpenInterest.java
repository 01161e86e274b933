package dev.candlebox.db.derivatives;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Open interest of a perpetual in one period.
 *
 * @param timeMs            open time of the period, epoch ms UTC
 * @param openInterest      contracts open, in the base asset (BTC for BTCUSDT)
 * @param openInterestValue the same in the quote asset (USDT), or null when the source does not give it
 */
public record OpenInterest(long timeMs, BigDecimal openInterest, BigDecimal openInterestValue) implements Derivative {
    public OpenInterest {
        Objects.requireNonNull(openInterest, "openInterest");
    }

    @Override
    public List<BigDecimal> values() {
        return Arrays.asList(openInterest, openInterestValue);
    }
}
