package dev.candlebox.server.stats;

import java.util.Arrays;

/**
 * Whether one run's Sharpe ratio is really higher than another's on the same klines: the difference
 * Δ = SR_a − SR_b of their per-kline Sharpe ratios (mean / population standard deviation) with the studentized
 * circular block bootstrap interval of Ledoit and Wolf, "Robust performance hypothesis testing with the Sharpe
 * ratio" (2008). The standard error of Δ is the delta method's √(∇f' Ψ ∇f / T) on the moments
 * v = (μa, μb, E[a²], E[b²]); Ψ is a Bartlett-kernel HAC estimate on the data and the block estimate on each
 * resample. The interval is Δ ± q·se, q the {@code level} quantile of |Δ* − Δ| / se* over the resamples.
 */
public final class SharpeComparison {
    private SharpeComparison() {}

    public record Result(int klines, double sharpeA, double sharpeB, double difference, double standardError,
                         double low, double high, double level, boolean excludesZero, int resamples, int block) {}

    /** Null when there are fewer than 10 common returns or either series has no variation. */
    public static Result compare(double[] a, double[] b, double level, int resamples, long seed) {
        int n = a.length;
        if (n < 10 || b.length != n) return null;
        Moments m = Moments.of(a, b, identity(n));
        if (m == null) return null;
        int block = BlockBootstrap.defaultBlock(n);
        double[][] y = centred(a, b, m, identity(n));
        double se = Math.sqrt(m.gradientForm(bartlett(y, block)) / n);
        BlockBootstrap bootstrap = new BlockBootstrap(block, seed);
        double[] t = new double[resamples];
        int kept = 0;
        for (int i = 0; i < resamples; i++) {
            int[] idx = bootstrap.resample(n);
            Moments mi = Moments.of(a, b, idx);
            if (mi == null) continue;
            double sei = Math.sqrt(mi.gradientForm(blocks(centred(a, b, mi, idx), block)) / n);
            if (sei > 0) t[kept++] = Math.abs(mi.difference() - m.difference()) / sei;
        }
        double[] sorted = Arrays.copyOf(t, kept);
        Arrays.sort(sorted);
        double q = kept == 0 ? Double.NaN : BlockBootstrap.quantile(sorted, level);
        double d = m.difference();
        double low = d - q * se, high = d + q * se;
        return new Result(n, m.sharpeA(), m.sharpeB(), d, se, low, high, level, low > 0 || high < 0, kept, block);
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    /** y_t = (a_t − μa, b_t − μb, a_t² − γa, b_t² − γb) over the chosen indices. */
    private static double[][] centred(double[] a, double[] b, Moments m, int[] idx) {
        double[][] y = new double[idx.length][4];
        for (int t = 0; t < idx.length; t++) {
            double x = a[idx[t]], z = b[idx[t]];
            y[t][0] = x - m.muA;
            y[t][1] = z - m.muB;
            y[t][2] = x * x - m.gammaA;
            y[t][3] = z * z - m.gammaB;
        }
        return y;
    }

    /** Newey-West: Σ_{j<lag} (1 − j/lag) (Γ_j + Γ_j'), Γ_j = (1/T) Σ y_t y_{t−j}'. */
    private static double[][] bartlett(double[][] y, int lag) {
        int n = y.length;
        double[][] psi = new double[4][4];
        for (int j = 0; j < Math.max(1, lag); j++) {
            double w = j == 0 ? 1 : 1 - j / (double) lag;
            for (int t = j; t < n; t++) {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        double g = y[t][r] * y[t - j][c] / n;
                        psi[r][c] += j == 0 ? g : w * g;
                        if (j > 0) psi[c][r] += w * g;
                    }
                }
            }
        }
        return psi;
    }

    /** Ψ* = (1/l) Σ ζ_k ζ_k', ζ_k = b^(−1/2) Σ of y over the k-th block of the resample (Ledoit-Wolf 2008, §3.2). */
    private static double[][] blocks(double[][] y, int block) {
        int l = y.length / block;
        double[][] psi = new double[4][4];
        if (l == 0) return psi;
        for (int k = 0; k < l; k++) {
            double[] z = new double[4];
            for (int t = k * block; t < (k + 1) * block; t++) for (int r = 0; r < 4; r++) z[r] += y[t][r];
            for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) psi[r][c] += z[r] * z[c] / block / l;
        }
        return psi;
    }

    private record Moments(double muA, double muB, double gammaA, double gammaB) {
        static Moments of(double[] a, double[] b, int[] idx) {
            double sa = 0, sb = 0, qa = 0, qb = 0;
            for (int i : idx) {
                sa += a[i];
                sb += b[i];
                qa += a[i] * a[i];
                qb += b[i] * b[i];
            }
            int n = idx.length;
            Moments m = new Moments(sa / n, sb / n, qa / n, qb / n);
            return m.varA() > 0 && m.varB() > 0 ? m : null;
        }

        double varA() { return gammaA - muA * muA; }

        double varB() { return gammaB - muB * muB; }

        double sharpeA() { return muA / Math.sqrt(varA()); }

        double sharpeB() { return muB / Math.sqrt(varB()); }

        double difference() { return sharpeA() - sharpeB(); }

        /** ∇f' Ψ ∇f for f(v) = μa/√(γa − μa²) − μb/√(γb − μb²). */
        double gradientForm(double[][] psi) {
            double da = Math.pow(varA(), 1.5), db = Math.pow(varB(), 1.5);
            double[] g = {gammaA / da, -gammaB / db, -muA / (2 * da), muB / (2 * db)};
            double s = 0;
            for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) s += g[r] * psi[r][c] * g[c];
            return s;
        }
    }
}
