package dev.candlebox.server.sweep;

import java.util.List;
import java.util.SplittableRandom;

/** Independent uniform draws, each trial from its own stream of the seed (log-uniform for log parameters). */
public final class RandomSampler implements Sampler {
    private final SearchSpace space;
    private final long seed;

    public RandomSampler(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    static SplittableRandom stream(long seed, int trial) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trial);
    }

    @Override
    public double[] next(int trial, List<Observation> finished, List<double[]> pending) {
        return draw(space, stream(seed, trial));
    }

    static double[] draw(SearchSpace space, SplittableRandom rnd) {
        double[] p = new double[space.size()];
        for (int i = 0; i < p.length; i++) p[i] = draw(space.parameters().get(i), rnd);
        return p;
    }

    static double draw(Parameter parameter, SplittableRandom rnd) {
        return switch (parameter) {
            case Parameter.IntRange r -> {
                if (!r.log()) yield r.low() + rnd.nextLong((r.high() - r.low()) / r.step() + 1) * r.step();
                double lo = Math.log(r.low() - 0.5), hi = Math.log(r.high() + 0.5);
                yield r.snap(Math.exp(lo + rnd.nextDouble() * (hi - lo)));
            }
            case Parameter.FloatRange f -> f.log()
                    ? Math.exp(Math.log(f.low()) + rnd.nextDouble() * (Math.log(f.high()) - Math.log(f.low())))
                    : f.snap(f.low() + rnd.nextDouble() * (f.high() - f.low()));
            case Parameter.Choice c -> rnd.nextInt(c.values().size());
        };
    }
}
