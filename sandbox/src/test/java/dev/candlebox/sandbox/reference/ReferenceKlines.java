package dev.candlebox.sandbox.reference;

import java.util.Arrays;

/**
 * A kline series as columns, the reference implementation's own copy of the engine's input shape,
 * so that the reference depends on nothing in the engine.
 */
public record ReferenceKlines(long[] openTime, double[] open, double[] high, double[] low, double[] close,
                              double[] volume, long[] closeTime, double[] quoteVolume, int[] tradesCount,
                              double[] takerBuyBaseVolume, double[] takerBuyQuoteVolume) {

    public int size() {
        return openTime.length;
    }

    public ReferenceKline kline(int index) {
        return new ReferenceKline(index, openTime[index], open[index], high[index], low[index], close[index],
                volume[index]);
    }

    /** Klines {@code from} (inclusive) to {@code to} (exclusive), re-indexed from 0. */
    public ReferenceKlines slice(int from, int to) {
        return new ReferenceKlines(Arrays.copyOfRange(openTime, from, to), Arrays.copyOfRange(open, from, to),
                Arrays.copyOfRange(high, from, to), Arrays.copyOfRange(low, from, to),
                Arrays.copyOfRange(close, from, to), Arrays.copyOfRange(volume, from, to),
                Arrays.copyOfRange(closeTime, from, to), Arrays.copyOfRange(quoteVolume, from, to),
                Arrays.copyOfRange(tradesCount, from, to), Arrays.copyOfRange(takerBuyBaseVolume, from, to),
                Arrays.copyOfRange(takerBuyQuoteVolume, from, to));
    }

    /** A series from OHLC rows only ({open, high, low, close}), one kline per {@code stepMs} from {@code firstOpenTime}; for hand-made tests. */
    public static ReferenceKlines ofOhlc(long firstOpenTime, long stepMs, double[][] ohlc) {
        int n = ohlc.length;
        long[] openTime = new long[n];
        long[] closeTime = new long[n];
        double[] open = new double[n], high = new double[n], low = new double[n], close = new double[n];
        for (int i = 0; i < n; i++) {
            openTime[i] = firstOpenTime + i * stepMs;
            closeTime[i] = openTime[i] + stepMs - 1;
            open[i] = ohlc[i][0];
            high[i] = ohlc[i][1];
            low[i] = ohlc[i][2];
            close[i] = ohlc[i][3];
        }
        return new ReferenceKlines(openTime, open, high, low, close, new double[n], closeTime, new double[n],
                new int[n], new double[n], new double[n]);
    }
}
