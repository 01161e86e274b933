package dev.candlebox.server.sweep;

import java.util.List;

/** Trial k is the k-th point of the grid, the last parameter varying fastest (as itertools.product). */
public final class GridSampler implements Sampler {
    private final List<List<Double>> axes;

    public GridSampler(SearchSpace space) {
        this.axes = space.parameters().stream().map(Parameter::grid).toList();
    }

    @Override
    public double[] next(int trial, List<Observation> finished, List<double[]> pending) {
        double[] p = new double[axes.size()];
        long k = trial;
        for (int i = axes.size() - 1; i >= 0; i--) {
            List<Double> axis = axes.get(i);
            p[i] = axis.get((int) (k % axis.size()));
            k /= axis.size();
        }
        return p;
    }
}
