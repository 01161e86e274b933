package dev.candlebox.server.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The circular block bootstrap (Politis and Romano, 1992) of a series of per-kline returns: a resample is
 * {@code n} values made of blocks of {@code block} consecutive returns starting at uniformly drawn positions,
 * wrapping around the end, so the dependence within a block (volatility clusters, a trade held over many
 * klines) is kept. Seeded: the same seed gives the same resamples.
 */
public final class BlockBootstrap {
    /** Resamples when none is asked for. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private final int block;
    private final SplittableRandom random;

    public BlockBootstrap(int block, long seed) {
        if (block < 1) throw new IllegalArgumentException("block must be at least 1");
        this.block = block;
        this.random = new SplittableRandom(seed);
    }

    /** The default block length: n^(1/3) rounded, at least 1 (the usual rate for variance estimation). */
    public static int defaultBlock(int n) {
        return Math.max(1, (int) Math.round(Math.cbrt(n)));
    }

    public int block() {
        return block;
    }

    /** The indices of one resample of a series of n values (n ≥ 1). */
    public int[] resample(int n) {
        int[] idx = new int[n];
        int k = 0;
        while (k < n) {
            int start = random.nextInt(n);
            for (int j = 0; j < block && k < n; j++) idx[k++] = (start + j) % n;
        }
        return idx;
    }

    /** A confidence interval of a statistic: its estimate and the bounds. */
    public record Interval(double estimate, double low, double high, double level, int resamples, int block) {
        public Interval scaled(double factor) {
            return new Interval(estimate * factor, low * factor, high * factor, level, resamples, block);
        }
    }

    /**
     * The percentile interval of the per-kline Sharpe ratio (mean / sample standard deviation) at {@code level}
     * (e.g. 0.95) from {@code resamples} resamples; null when the Sharpe ratio of the series is undefined.
     * Resamples without variation are left out.
     */
    public static Interval sharpe(double[] returns, double level, int resamples, long seed) {
        SharpeMoments m = SharpeMoments.of(returns);
        if (m == null) return null;
        int n = returns.length;
        BlockBootstrap b = new BlockBootstrap(defaultBlock(n), seed);
        double[] stats = new double[resamples];
        int kept = 0;
        for (int i = 0; i < resamples; i++) {
            double s = 0, ss = 0;
            for (int j : b.resample(n)) {
                s += returns[j];
                ss += returns[j] * returns[j];
            }
            double mean = s / n;
            double var = (ss - n * mean * mean) / (n - 1);
            if (var > 0) stats[kept++] = mean / Math.sqrt(var);
        }
        if (kept == 0) return null;
        double[] sorted = Arrays.copyOf(stats, kept);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Interval(m.sharpe(), quantile(sorted, tail), quantile(sorted, 1 - tail), level, kept, b.block());
    }

    /** The p-quantile of sorted values, linearly interpolated between order statistics (numpy's default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
