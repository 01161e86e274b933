package dev.candlebox.sandbox.reference.strategies;

/** Python's {@code max(xs[from:to])} and {@code min(xs[from:to])} over floats. */
final class Channel {

    private Channel() {
    }

    static double max(double[] xs, int from, int to) {
        double m = xs[from];
        for (int i = from + 1; i < to; i++) {
            if (xs[i] > m) {
                m = xs[i];
            }
        }
        return m;
    }

    static double min(double[] xs, int from, int to) {
        double m = xs[from];
        for (int i = from + 1; i < to; i++) {
            if (xs[i] < m) {
                m = xs[i];
            }
        }
        return m;
    }
}
