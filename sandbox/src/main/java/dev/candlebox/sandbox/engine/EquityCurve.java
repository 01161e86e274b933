package dev.candlebox.sandbox.engine;

/**
 * One point per kline, valued at the kline's close: {@code equity = balance + position * close}.
 * {@code timestamp} is the kline's open time (epoch ms).
 */
public record EquityCurve(long[] timestamp, double[] equity, double[] balance, double[] position) {
    public int size() {
        return timestamp.length;
    }
}
