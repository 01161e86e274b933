package dev.candlebox.db.kline;

import java.util.ArrayList;
import java.util.List;

/**
 * Stretches of missing klines in a series of open times: one definition for the importer's quality
 * report and for a backtest's data-quality block.
 *
 * @param count         stretches with klines missing (or with an open time off the interval's step)
 * @param missingKlines klines missing in all of them together
 * @param listed        the first stretches, at most the limit given to {@link #find}
 */
public record Gaps(long count, long missingKlines, List<Gap> listed) {
    public Gaps {
        listed = List.copyOf(listed);
    }

    /** Klines missing strictly between the open times {@code before} and {@code after}. */
    public record Gap(long before, long after, long missingKlines) { }

    /**
     * @param openTimes the first {@code n} are the open times, ascending; repeats are skipped
     * @param limit     how many gaps to list (all are counted)
     */
    public static Gaps find(long[] openTimes, int n, Interval interval, int limit) {
        long count = 0;
        long missing = 0;
        List<Gap> listed = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            long prev = openTimes[i - 1];
            long t = openTimes[i];
            if (t == prev || t == interval.next(prev)) continue;
            long bars = interval.barsBetween(prev, t);
            count++;
            missing += bars;
            if (listed.size() < limit) listed.add(new Gap(prev, t, bars));
        }
        return new Gaps(count, missing, listed);
    }
}
