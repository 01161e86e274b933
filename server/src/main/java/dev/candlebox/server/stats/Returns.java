package dev.candlebox.server.stats;

import dev.candlebox.sandbox.engine.EquityCurve;

import java.util.Arrays;

/**
 * The per-kline returns of a run: {@code equity[i] / equity[i-1] - 1}, the first against the initial balance
 * (the same returns as the run's Sharpe ratio in {@code docs/metrics.md}); {@code time[i]} is the kline's open
 * time.
 */
public record Returns(long[] time, double[] value) {
    public static Returns of(EquityCurve curve, double initialBalance) {
        int n = curve.size();
        double[] r = new double[n];
        double prev = initialBalance;
        for (int i = 0; i < n; i++) {
            r[i] = curve.equity()[i] / prev - 1;
            prev = curve.equity()[i];
        }
        return new Returns(curve.timestamp().clone(), r);
    }

    public int size() {
        return value.length;
    }

    /** Two runs' returns on the klines both have (same open time), in time order. */
    public record Pair(long[] time, double[] a, double[] b) {}

    public static Pair common(Returns a, Returns b) {
        int n = Math.min(a.size(), b.size());
        long[] t = new long[n];
        double[] ra = new double[n], rb = new double[n];
        int i = 0, j = 0, k = 0;
        while (i < a.size() && j < b.size()) {
            long ta = a.time[i], tb = b.time[j];
            if (ta < tb) i++;
            else if (tb < ta) j++;
            else {
                t[k] = ta;
                ra[k] = a.value[i++];
                rb[k++] = b.value[j++];
            }
        }
        return new Pair(Arrays.copyOf(t, k), Arrays.copyOf(ra, k), Arrays.copyOf(rb, k));
    }
}
