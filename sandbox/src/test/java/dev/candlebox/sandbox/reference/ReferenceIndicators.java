package dev.candlebox.sandbox.reference;

import java.util.Arrays;

/**
 * The strategy API's indicators re-written in Java with the contract's exact order of float
 * operations, so that results are bit-identical to the Python ones. An array stands for a Python
 * list; {@code null} stands for None. Python's {@code sum()} adds left to right starting from 0
 * (GraalPy 25.0.3 does not use CPython 3.12's compensated float sum), as {@link #sum} does.
 */
public final class ReferenceIndicators {

    /** {@code (macd, signal, histogram)}. */
    public record Macd(double macd, double signal, double histogram) {
    }

    private ReferenceIndicators() {
    }

    /** {@code sum(data[from:to])}. */
    static double sum(double[] data, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += data[i];
        }
        return s;
    }

    /** {@code sum(data[-period:]) / period}; None if period <= 0 or there are fewer values than period. */
    public static Double sma(double[] data, int period) {
        if (period <= 0 || data.length < period) {
            return null;
        }
        return sum(data, data.length - period, data.length) / period;
    }

    /** Seeded with the SMA of the first {@code period} values, then {@code ema = (x - ema) * k + ema}. */
    public static Double ema(double[] data, int period) {
        if (data.length < period) {
            return null;
        }
        double ema = sum(data, 0, period) / period;
        double k = 2.0 / (period + 1);
        for (int i = period; i < data.length; i++) {
            ema = (data[i] - ema) * k + ema;
        }
        return ema;
    }

    /** Mean gain over mean loss of the last {@code period} changes. */
    public static Double rsi(double[] data, int period) {
        if (data.length < period + 1) {
            return null;
        }
        double gains = 0;
        double losses = 0;
        for (int i = data.length - period; i < data.length; i++) {
            double change = data[i] - data[i - 1];
            if (change > 0) {
                gains += change;
            } else if (change < 0) {
                losses += -change;
            }
        }
        double gain = gains / period;
        double loss = losses / period;
        if (loss == 0) {
            return gain > 0 ? 100.0 : 50.0;
        }
        return 100 - 100 / (1 + gain / loss);
    }

    public static Double rsi(double[] data) {
        return rsi(data, 14);
    }

    /** The MACD line is EMA(fast) - EMA(slow) of each prefix; the signal line is the real EMA of that series. */
    public static Macd macd(double[] data, int fast, int slow, int signal) {
        if (data.length < slow + signal - 1) {
            return null;
        }
        double[] series = new double[data.length - slow + 1];
        for (int i = slow; i <= data.length; i++) {
            double[] prefix = Arrays.copyOf(data, i);
            series[i - slow] = ema(prefix, fast) - ema(prefix, slow);
        }
        double line = series[series.length - 1];
        double signalLine = ema(series, signal);
        return new Macd(line, signalLine, line - signalLine);
    }

    public static Macd macd(double[] data) {
        return macd(data, 12, 26, 9);
    }
}
