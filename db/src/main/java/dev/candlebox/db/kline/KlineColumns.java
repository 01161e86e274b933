package dev.candlebox.db.kline;

import java.util.Arrays;

/**
 * Klines as columns of primitives, ascending by open time: no object per row. Optional values the source
 * did not have are {@code NaN} (volumes) and {@code -1} ({@code tradesCount}).
 */
public final class KlineColumns {
    public static final int MISSING_COUNT = -1;

    private int size;
    private long[] openTime;
    private double[] open, high, low, close, volume;
    private long[] closeTime;
    private double[] quoteVolume;
    private int[] tradesCount;
    private double[] takerBuyBaseVolume, takerBuyQuoteVolume;

    public KlineColumns(int capacity) {
        int c = Math.max(capacity, 1);
        openTime = new long[c];
        open = new double[c];
        high = new double[c];
        low = new double[c];
        close = new double[c];
        volume = new double[c];
        closeTime = new long[c];
        quoteVolume = new double[c];
        tradesCount = new int[c];
        takerBuyBaseVolume = new double[c];
        takerBuyQuoteVolume = new double[c];
    }

    public static KlineColumns empty() {
        return new KlineColumns(1);
    }

    public void add(long openTime, double open, double high, double low, double close, double volume, long closeTime,
                    double quoteVolume, int tradesCount, double takerBuyBaseVolume, double takerBuyQuoteVolume) {
        if (size == this.openTime.length) grow();
        int i = size++;
        this.openTime[i] = openTime;
        this.open[i] = open;
        this.high[i] = high;
        this.low[i] = low;
        this.close[i] = close;
        this.volume[i] = volume;
        this.closeTime[i] = closeTime;
        this.quoteVolume[i] = quoteVolume;
        this.tradesCount[i] = tradesCount;
        this.takerBuyBaseVolume[i] = takerBuyBaseVolume;
        this.takerBuyQuoteVolume[i] = takerBuyQuoteVolume;
    }

    /** Appends row {@code i} of {@code other}. */
    public void addRow(KlineColumns other, int i) {
        add(other.openTime[i], other.open[i], other.high[i], other.low[i], other.close[i], other.volume[i],
                other.closeTime[i], other.quoteVolume[i], other.tradesCount[i], other.takerBuyBaseVolume[i],
                other.takerBuyQuoteVolume[i]);
    }

    private void grow() {
        int c = openTime.length * 2;
        openTime = Arrays.copyOf(openTime, c);
        open = Arrays.copyOf(open, c);
        high = Arrays.copyOf(high, c);
        low = Arrays.copyOf(low, c);
        close = Arrays.copyOf(close, c);
        volume = Arrays.copyOf(volume, c);
        closeTime = Arrays.copyOf(closeTime, c);
        quoteVolume = Arrays.copyOf(quoteVolume, c);
        tradesCount = Arrays.copyOf(tradesCount, c);
        takerBuyBaseVolume = Arrays.copyOf(takerBuyBaseVolume, c);
        takerBuyQuoteVolume = Arrays.copyOf(takerBuyQuoteVolume, c);
    }

    public int size() { return size; }
    public long openTime(int i) { return openTime[i]; }
    public double open(int i) { return open[i]; }
    public double high(int i) { return high[i]; }
    public double low(int i) { return low[i]; }
    public double close(int i) { return close[i]; }
    public double volume(int i) { return volume[i]; }
    public long closeTime(int i) { return closeTime[i]; }
    public double quoteVolume(int i) { return quoteVolume[i]; }
    public int tradesCount(int i) { return tradesCount[i]; }
    public double takerBuyBaseVolume(int i) { return takerBuyBaseVolume[i]; }
    public double takerBuyQuoteVolume(int i) { return takerBuyQuoteVolume[i]; }

    /** The open times, trimmed to {@link #size()} (a copy). */
    public long[] openTimes() { return Arrays.copyOf(openTime, size); }
    public double[] opens() { return Arrays.copyOf(open, size); }
    public double[] highs() { return Arrays.copyOf(high, size); }
    public double[] lows() { return Arrays.copyOf(low, size); }
    public double[] closes() { return Arrays.copyOf(close, size); }
    public double[] volumes() { return Arrays.copyOf(volume, size); }
    public long[] closeTimes() { return Arrays.copyOf(closeTime, size); }
    public double[] quoteVolumes() { return Arrays.copyOf(quoteVolume, size); }
    public int[] tradesCounts() { return Arrays.copyOf(tradesCount, size); }
    public double[] takerBuyBaseVolumes() { return Arrays.copyOf(takerBuyBaseVolume, size); }
    public double[] takerBuyQuoteVolumes() { return Arrays.copyOf(takerBuyQuoteVolume, size); }
}
