package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One dimension of a search space. A sampler works on a point's coordinate: the value itself for int and
 * float parameters, the index of the value for a choice; {@link #value} turns a coordinate into the JSON value
 * the strategy gets in {@code strategyParams}.
 */
public sealed interface Parameter {
    String name();

    JsonNode value(double coordinate);

    /** The grid's coordinates of this parameter, in order. */
    List<Double> grid();

    /** Integers {@code low..high} every {@code step}; {@code log}: sampled log-uniformly (random, bayes). */
    record IntRange(String name, long low, long high, long step, boolean log) implements Parameter {
        @Override
        public JsonNode value(double c) {
            return JsonNodeFactory.instance.numberNode(snap(c));
        }

        /** The nearest allowed value. */
        long snap(double c) {
            long k = Math.round((c - low) / step);
            return Math.max(low, Math.min(low + (high - low) / step * step, low + k * step));
        }

        @Override
        public List<Double> grid() {
            List<Double> g = new ArrayList<>();
            for (long v = low; v <= high; v += step) g.add((double) v);
            return g;
        }
    }

    /**
     * Reals in {@code [low, high]}; {@code log}: sampled log-uniformly; {@code step} (or null): values on
     * {@code low + k step}. The grid uses the step, else {@code points} evenly spaced values (geometrically
     * when log).
     */
    record FloatRange(String name, double low, double high, boolean log, Double step, int points) implements Parameter {
        @Override
        public JsonNode value(double c) {
            return JsonNodeFactory.instance.numberNode(snap(c));
        }

        double snap(double c) {
            double v = Math.max(low, Math.min(high, c));
            if (step == null) return v;
            double k = Math.round((v - low) / step);
            return Math.min(high, low + k * step);
        }

        @Override
        public List<Double> grid() {
            List<Double> g = new ArrayList<>();
            if (step != null) {
                long n = (long) Math.floor((high - low) / step + 1e-9);
                for (long k = 0; k <= n; k++) g.add(low + k * step);
            } else if (points == 1) {
                g.add(low);
            } else {
                for (int k = 0; k < points; k++) {
                    double f = k / (double) (points - 1);
                    g.add(log ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low));
                }
            }
            return g;
        }
    }

    /** One of a list of JSON values (numbers, strings, booleans). */
    record Choice(String name, List<JsonNode> values) implements Parameter {
        @Override
        public JsonNode value(double c) {
            return values.get((int) Math.round(c));
        }

        @Override
        public List<Double> grid() {
            List<Double> g = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) g.add((double) i);
            return g;
        }
    }
}
