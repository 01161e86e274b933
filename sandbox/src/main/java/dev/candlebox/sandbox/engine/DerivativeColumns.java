package dev.candlebox.sandbox.engine;

import java.util.Arrays;

/**
 * A symbol's derivatives data aligned to a run's klines (contract section 7), one value per kline, {@code NaN} where
 * the data does not reach ({@code None} in Python). Built once per run, in Java, by {@link #align}; the strategy
 * only ever receives kline {@code i}'s values while on kline {@code i}.
 *
 * <p>The visibility rule: a value stamped at time {@code t} is visible on kline {@code i} only if
 * {@code t <= closeTime(i)}; a per-period value (the open interest, ratio or liquidations of a period starting at
 * {@code p} of length {@code L}) is stamped at its period's last millisecond {@code p + L - 1}, the way a kline's
 * close time is, so it appears on the kline that closes with (or after) its period, never earlier.
 *
 * @param openInterest     open interest (base asset) of the latest period that ended at or before the kline's close
 * @param fundingRate      the last funding rate settled at or before the kline's close
 * @param fundingTime      when that rate settled (epoch ms), {@code Long.MIN_VALUE} where there is none
 * @param longShortRatio   long/short account ratio of the latest period ended at or before the kline's close
 * @param liquidationsLong long liquidations (quote value) of the periods that ended within the kline
 * @param liquidationsShort short liquidations (quote value) of the periods that ended within the kline
 */
public record DerivativeColumns(double[] openInterest, double[] fundingRate, long[] fundingTime, double[] longShortRatio,
                                double[] liquidationsLong, double[] liquidationsShort) {
    /** Grace after a funding interval before a rate counts as stale (settlement times jitter by milliseconds). */
    public static final long FUNDING_GRACE_MS = 60_000L;

    public DerivativeColumns {
        int n = openInterest.length;
        if (fundingRate.length != n || fundingTime.length != n || longShortRatio.length != n
                || liquidationsLong.length != n || liquidationsShort.length != n) {
            throw new IllegalArgumentException("derivative columns must have the same length (" + n + ")");
        }
    }

    public int size() {
        return openInterest.length;
    }

    /** Values of one kind stamped by period: each period starts at {@code start[j]} and lasts {@code periodMs}. */
    public record Periods(long[] start, long periodMs, double[] value) {
        public static final Periods NONE = new Periods(new long[0], 1, new double[0]);

        public Periods {
            if (start.length != value.length) throw new IllegalArgumentException("periods: columns of different lengths");
            if (periodMs < 1) throw new IllegalArgumentException("periods: periodMs must be >= 1");
            for (int j = 1; j < start.length; j++) {
                if (start[j] <= start[j - 1]) throw new IllegalArgumentException("periods must ascend strictly");
            }
        }

        public int size() {
            return start.length;
        }

        /** The last millisecond of period {@code j}: the value's stamp. */
        long end(int j) {
            return start[j] + periodMs - 1;
        }
    }

    /** Funding settlements: times ascending, the rate at each, and the hours until the next one is due. */
    public record Settlements(long[] time, double[] rate, int[] intervalHours) {
        public static final Settlements NONE = new Settlements(new long[0], new double[0], new int[0]);

        public Settlements {
            if (time.length != rate.length || time.length != intervalHours.length) {
                throw new IllegalArgumentException("settlements: columns of different lengths");
            }
            for (int j = 1; j < time.length; j++) {
                if (time[j] <= time[j - 1]) throw new IllegalArgumentException("settlement times must ascend strictly");
            }
        }

        public int size() {
            return time.length;
        }
    }

    /** The inputs aligned to {@code k}'s klines. */
    public static DerivativeColumns align(KlineSeries k, Periods openInterest, Settlements funding, Periods longShortRatio,
                                          Periods liquidationsLong, Periods liquidationsShort) {
        long[] fundingTime = new long[k.size()];
        double[] rate = settled(k.closeTime(), funding, fundingTime);
        return new DerivativeColumns(levels(k.closeTime(), openInterest), rate, fundingTime,
                levels(k.closeTime(), longShortRatio), sums(k.openTime(), k.closeTime(), liquidationsLong),
                sums(k.openTime(), k.closeTime(), liquidationsShort));
    }

    /**
     * A level (open interest, a ratio): on each kline, the value of the period that most recently ended at or before
     * the kline's close, while the next period has not yet ended; where that next period is missing (a gap, the
     * end of the data) the value is NaN, not an old value carried on.
     */
    static double[] levels(long[] closeTime, Periods p) {
        double[] out = nans(closeTime.length);
        int j = -1;
        for (int i = 0; i < closeTime.length; i++) {
            while (j + 1 < p.size() && p.end(j + 1) <= closeTime[i]) j++;
            if (j >= 0 && closeTime[i] < p.end(j) + p.periodMs()) out[i] = p.value()[j];
        }
        return out;
    }

    /**
     * An amount per period (liquidations): on each kline, the sum over the periods that ended within it (end in
     * {@code [openTime(i), closeTime(i)]}); NaN when none did (or none of those has the value).
     */
    static double[] sums(long[] openTime, long[] closeTime, Periods p) {
        double[] out = nans(closeTime.length);
        int j = 0;
        for (int i = 0; i < closeTime.length; i++) {
            while (j < p.size() && p.end(j) < openTime[i]) j++;
            double sum = Double.NaN;
            while (j < p.size() && p.end(j) <= closeTime[i]) {
                double v = p.value()[j++];
                if (!Double.isNaN(v)) sum = Double.isNaN(sum) ? v : sum + v;
            }
            out[i] = sum;
        }
        return out;
    }

    /**
     * The funding rate in force: the last settlement at or before the kline's close, until one interval (plus
     * {@link #FUNDING_GRACE_MS}) has passed without the next one in the data.
     */
    static double[] settled(long[] closeTime, Settlements f, long[] timeOut) {
        double[] out = nans(closeTime.length);
        Arrays.fill(timeOut, Long.MIN_VALUE);
        int j = -1;
        for (int i = 0; i < closeTime.length; i++) {
            while (j + 1 < f.size() && f.time()[j + 1] <= closeTime[i]) j++;
            if (j >= 0 && closeTime[i] - f.time()[j] < f.intervalHours()[j] * 3_600_000L + FUNDING_GRACE_MS) {
                out[i] = f.rate()[j];
                timeOut[i] = f.time()[j];
            }
        }
        return out;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Klines on which each input has a value (for the run's data quality). */
    public int[] coverage() {
        return new int[]{count(openInterest), count(fundingRate), count(longShortRatio), count(liquidationsLong),
                count(liquidationsShort)};
    }

    private static int count(double[] a) {
        int n = 0;
        for (double v : a) if (!Double.isNaN(v)) n++;
        return n;
    }
}
