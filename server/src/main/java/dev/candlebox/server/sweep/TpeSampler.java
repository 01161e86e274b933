package dev.candlebox.server.sweep;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for Hyper-Parameter
 * Optimization", 2011) with Optuna's documented defaults: the first {@code n_startup_trials = 10} trials are
 * random; then the finished trials are split into the best {@code γ(n) = min(⌈0.1 n⌉, 25)} ("below") and the
 * rest ("above"), each parameter gets a Parzen estimator l(x) of the below points and g(x) of the above points
 * (a truncated normal per point plus a prior kernel over the whole range, prior weight 1, bandwidth to the
 * farther neighbour clipped to [range / min(100, kernels), range], older trials down-weighted past 25), and
 * the next value is the best of {@code n_ei_candidates = 24} draws from l by l(x)/g(x). Parameters are sampled
 * independently (Optuna's univariate default).
 *
 * <p>Parallel-aware by the constant liar: points of trials still running count among the "above" trials (as
 * if they had the worst loss), so concurrent suggestions spread out instead of piling on one point.
 */
public final class TpeSampler implements Sampler {
    static final int N_STARTUP_TRIALS = 10;
    static final int N_EI_CANDIDATES = 24;
    static final double PRIOR_WEIGHT = 1.0;
    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    private final SearchSpace space;
    private final long seed;

    public TpeSampler(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    /** Optuna's default_gamma: min(⌈0.1 n⌉, 25). */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** Optuna's default_weights: 1 for up to 25 points, else a ramp from 1/n to 1 for the older ones, then 1 for the newest 25. */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1;
        return w;
    }

    @Override
    public double[] next(int trial, List<Observation> finished, List<double[]> pending) {
        SplittableRandom rnd = RandomSampler.stream(seed, trial);
        if (finished.size() < N_STARTUP_TRIALS) return RandomSampler.draw(space, rnd);
        List<Observation> byLoss = new ArrayList<>(finished);
        byLoss.sort(Comparator.comparingDouble(Observation::loss).thenComparingInt(Observation::trial));
        int nBelow = gamma(finished.size());
        List<Observation> below = new ArrayList<>(byLoss.subList(0, nBelow));
        List<Observation> above = new ArrayList<>(byLoss.subList(nBelow, byLoss.size()));
        below.sort(Comparator.comparingInt(Observation::trial));
        above.sort(Comparator.comparingInt(Observation::trial));
        List<double[]> belowPoints = below.stream().map(Observation::point).toList();
        List<double[]> abovePoints = new ArrayList<>(above.stream().map(Observation::point).toList());
        abovePoints.addAll(pending);  // the constant liar: running trials are as bad as the worst

        double[] point = new double[space.size()];
        for (int i = 0; i < point.length; i++) {
            Parameter p = space.parameters().get(i);
            Estimator l = Estimator.of(p, column(belowPoints, i));
            Estimator g = Estimator.of(p, column(abovePoints, i));
            double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < N_EI_CANDIDATES; c++) {
                double x = l.sample(rnd);
                double score = l.logDensity(x) - g.logDensity(x);
                if (Double.isNaN(best) || score > bestScore) {
                    best = x;
                    bestScore = score;
                }
            }
            point[i] = l.toValue(best);
        }
        return point;
    }

    private static double[] column(List<double[]> points, int i) {
        double[] c = new double[points.size()];
        for (int k = 0; k < c.length; k++) c[k] = points.get(k)[i];
        return c;
    }

    /** A Parzen estimator of one parameter in its internal coordinate (log for log parameters). */
    private sealed interface Estimator {
        double sample(SplittableRandom rnd);

        double logDensity(double x);

        double toValue(double x);

        static Estimator of(Parameter p, double[] values) {
            double[] w = weights(values.length);
            return switch (p) {
                case Parameter.IntRange r -> r.log()
                        ? Numeric.of(values, w, Math.log(r.low() - 0.5), Math.log(r.high() + 0.5), 0, true, r::snap)
                        : Numeric.of(values, w, r.low() - r.step() / 2.0, r.high() + r.step() / 2.0, r.step() / 2.0, false, r::snap);
                case Parameter.FloatRange f -> f.log()
                        ? Numeric.of(values, w, Math.log(f.low()), Math.log(f.high()), 0, true, f::snap)
                        : f.step() != null
                        ? Numeric.of(values, w, f.low() - f.step() / 2, f.high() + f.step() / 2, f.step() / 2, false, f::snap)
                        : Numeric.of(values, w, f.low(), f.high(), 0, false, f::snap);
                case Parameter.Choice c -> Categorical.of(values, w, c.values().size());
            };
        }
    }

    /**
     * A mixture of normals truncated to [low, high], one per observation plus the prior N((low+high)/2, high−low).
     * {@code half} > 0: a discrete parameter, whose density at x is the mass of [x − half, x + half].
     */
    private record Numeric(double[] mu, double[] sigma, double[] weight, double low, double high, double half,
                           boolean log, java.util.function.DoubleUnaryOperator snap) implements Estimator {
        static Numeric of(double[] values, double[] w, double low, double high, double half, boolean log,
                          java.util.function.DoubleUnaryOperator snap) {
            int n = values.length;
            double[] obs = new double[n];
            for (int i = 0; i < n; i++) obs[i] = log ? Math.log(values[i]) : values[i];
            double range = high - low;
            double[] mu = new double[n + 1], sigma = new double[n + 1], weight = new double[n + 1];
            if (n > 0) {
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                java.util.Arrays.sort(order, Comparator.comparingDouble(i -> obs[i]));
                double[] s = new double[n + 2];
                s[0] = low;
                for (int k = 0; k < n; k++) s[k + 1] = obs[order[k]];
                s[n + 1] = high;
                double[] sorted = new double[n];
                for (int k = 0; k < n; k++) sorted[k] = Math.max(s[k + 1] - s[k], s[k + 2] - s[k + 1]);
                if (n + 2 >= 4) {  // Optuna's consider_endpoints=False: the extremes look inward only
                    sorted[0] = s[2] - s[1];
                    sorted[n - 1] = s[n] - s[n - 1];
                }
                double minSigma = range / Math.min(100.0, 1.0 + n + 1), maxSigma = range;
                for (int k = 0; k < n; k++) sigma[order[k]] = Math.max(minSigma, Math.min(maxSigma, sorted[k]));
                System.arraycopy(obs, 0, mu, 0, n);
            }
            mu[n] = 0.5 * (low + high);
            sigma[n] = range;
            double total = PRIOR_WEIGHT;
            for (double x : w) total += x;
            for (int i = 0; i < n; i++) weight[i] = w[i] / total;
            weight[n] = PRIOR_WEIGHT / total;
            if (range == 0) java.util.Arrays.fill(sigma, 1e-12);
            return new Numeric(mu, sigma, weight, low, high, half, log, snap);
        }

        @Override
        public double sample(SplittableRandom rnd) {
            int k = pick(weight, rnd);
            double a = STANDARD.cumulativeProbability((low - mu[k]) / sigma[k]);
            double b = STANDARD.cumulativeProbability((high - mu[k]) / sigma[k]);
            double u = a + rnd.nextDouble() * (b - a);
            double x = mu[k] + sigma[k] * STANDARD.inverseCumulativeProbability(Math.min(Math.max(u, 1e-300), 1 - 1e-16));
            x = Math.max(low, Math.min(high, x));
            // candidates of a discrete parameter are its allowed values
            return half > 0 ? internal(snap.applyAsDouble(x)) : x;
        }

        private double internal(double value) {
            return log ? Math.log(value) : value;
        }

        @Override
        public double logDensity(double x) {
            double p = 0;
            for (int k = 0; k < mu.length; k++) {
                double a = STANDARD.cumulativeProbability((low - mu[k]) / sigma[k]);
                double b = STANDARD.cumulativeProbability((high - mu[k]) / sigma[k]);
                double z = Math.max(b - a, 1e-300);
                double mass = half > 0
                        ? STANDARD.cumulativeProbability((x + half - mu[k]) / sigma[k]) - STANDARD.cumulativeProbability((x - half - mu[k]) / sigma[k])
                        : STANDARD.density((x - mu[k]) / sigma[k]) / sigma[k];
                p += weight[k] * mass / z;
            }
            return Math.log(Math.max(p, 1e-300));
        }

        @Override
        public double toValue(double x) {
            return snap.applyAsDouble(log ? Math.exp(x) : x);
        }
    }

    /**
     * Categories: each observation's kernel puts (1 + prior/k)/(1 + prior) on its own category and
     * (prior/k)/(1 + prior) on each other one; the prior kernel is uniform (Optuna's categorical estimator).
     */
    private record Categorical(double[] p) implements Estimator {
        static Categorical of(double[] values, double[] w, int k) {
            double total = PRIOR_WEIGHT;
            for (double x : w) total += x;
            double[] p = new double[k];
            for (int c = 0; c < k; c++) p[c] = PRIOR_WEIGHT / total / k;
            for (int i = 0; i < values.length; i++) {
                int obs = (int) Math.round(values[i]);
                for (int c = 0; c < k; c++) p[c] += w[i] / total * ((c == obs ? 1 : 0) + PRIOR_WEIGHT / k) / (1 + PRIOR_WEIGHT);
            }
            return new Categorical(p);
        }

        @Override
        public double sample(SplittableRandom rnd) {
            return pick(p, rnd);
        }

        @Override
        public double logDensity(double x) {
            return Math.log(p[(int) Math.round(x)]);
        }

        @Override
        public double toValue(double x) {
            return x;
        }
    }

    private static int pick(double[] weights, SplittableRandom rnd) {
        double total = 0;
        for (double w : weights) total += w;
        double u = rnd.nextDouble() * total;
        for (int k = 0; k < weights.length; k++) {
            u -= weights[k];
            if (u < 0) return k;
        }
        return weights.length - 1;
    }
}
