package dev.candlebox.sandbox.engine;

import java.util.Arrays;

/**
 * A kline series as columns of primitives, the shape klines leave the store in and enter a backtest.
 * Times are epoch milliseconds UTC. A missing optional value is {@code NaN} (or {@code -1} for
 * {@code tradesCount}). All columns have the same length, and {@code openTime} ascends strictly.
 */
public record KlineSeries(
        long[] openTime,
        double[] open,
        double[] high,
        double[] low,
        double[] close,
        double[] volume,
        long[] closeTime,
        double[] quoteVolume,
        int[] tradesCount,
        double[] takerBuyBaseVolume,
        double[] takerBuyQuoteVolume) {

    public KlineSeries {
        int n = openTime.length;
        if (open.length != n || high.length != n || low.length != n || close.length != n
                || volume.length != n || closeTime.length != n || quoteVolume.length != n
                || tradesCount.length != n || takerBuyBaseVolume.length != n || takerBuyQuoteVolume.length != n) {
            throw new IllegalArgumentException("all kline columns must have the same length (" + n + ")");
        }
        for (int i = 1; i < n; i++) {
            if (openTime[i] <= openTime[i - 1]) {
                throw new IllegalArgumentException("openTime must ascend strictly; index " + i + " does not");
            }
        }
    }

    /** A series with only the OHLCV columns known; the optional columns are NaN / -1. */
    public static KlineSeries ohlcv(long[] openTime, double[] open, double[] high, double[] low, double[] close,
                                    double[] volume, long[] closeTime) {
        int n = openTime.length;
        double[] nan = new double[n];
        Arrays.fill(nan, Double.NaN);
        int[] noTrades = new int[n];
        Arrays.fill(noTrades, -1);
        return new KlineSeries(openTime, open, high, low, close, volume, closeTime,
                nan, noTrades, nan.clone(), nan.clone());
    }

    public int size() {
        return openTime.length;
    }

    /** The klines {@code [from, to)} as a new series (copies). */
    public KlineSeries slice(int from, int to) {
        return new KlineSeries(
                Arrays.copyOfRange(openTime, from, to), Arrays.copyOfRange(open, from, to),
                Arrays.copyOfRange(high, from, to), Arrays.copyOfRange(low, from, to),
                Arrays.copyOfRange(close, from, to), Arrays.copyOfRange(volume, from, to),
                Arrays.copyOfRange(closeTime, from, to), Arrays.copyOfRange(quoteVolume, from, to),
                Arrays.copyOfRange(tradesCount, from, to), Arrays.copyOfRange(takerBuyBaseVolume, from, to),
                Arrays.copyOfRange(takerBuyQuoteVolume, from, to));
    }
}
