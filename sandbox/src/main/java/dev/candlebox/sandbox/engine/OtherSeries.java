package dev.candlebox.sandbox.engine;

import java.util.Objects;

/**
 * A read-only input series of a run (contract section 7, "other series"): another symbol or interval, and for
 * each kline {@code i} of the run how many of its klines have closed by then ({@code closeTime <= closeTime(i)}).
 * The strategy sees {@code self.series(symbol, interval)} grow by exactly those klines, never by one still open.
 *
 * @param visible per run kline, the count of this series' klines (from the first) visible on it; non-decreasing
 */
public record OtherSeries(String symbol, String interval, KlineSeries klines, int[] visible) {
    public OtherSeries {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(klines, "klines");
        for (int i = 0; i < visible.length; i++) {
            if (visible[i] < 0 || visible[i] > klines.size() || i > 0 && visible[i] < visible[i - 1]) {
                throw new IllegalArgumentException("visible counts must be non-decreasing within the series");
            }
        }
    }

    /** The series aligned to a run whose klines close at {@code runCloseTimes}. */
    public static OtherSeries of(String symbol, String interval, KlineSeries klines, long[] runCloseTimes) {
        int[] visible = new int[runCloseTimes.length];
        long[] ct = klines.closeTime();
        int j = 0;
        for (int i = 0; i < runCloseTimes.length; i++) {
            while (j < ct.length && ct[j] <= runCloseTimes[i]) j++;
            visible[i] = j;
        }
        return new OtherSeries(symbol, interval, klines, visible);
    }
}
