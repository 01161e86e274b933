package dev.candlebox.server.sweep;

import java.util.List;

/**
 * Chooses the next point of a search space. Seeded and deterministic: the same trial number, finished trials
 * and pending points give the same point.
 */
public sealed interface Sampler permits GridSampler, RandomSampler, TpeSampler {
    /** A finished trial: its point and its loss (lower is better; +∞ for an infeasible or failed trial). */
    record Observation(int trial, double[] point, double loss) {}

    /**
     * @param trial    the number of the trial to choose for (0, 1, ...)
     * @param finished trials with a result
     * @param pending  points of trials still running
     */
    double[] next(int trial, List<Observation> finished, List<double[]> pending);

    static Sampler of(SweepMethod method, SearchSpace space, long seed) {
        return switch (method) {
            case GRID -> new GridSampler(space);
            case RANDOM -> new RandomSampler(space, seed);
            case BAYES -> new TpeSampler(space, seed);
        };
    }
}
