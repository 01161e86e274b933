package dev.candlebox.db.ingest;

/**
 * One kline as a reader parsed it, before it is checked and stored. Readers fill one instance and reuse it
 * for every row, so reading allocates nothing per row beyond the parsed text.
 */
final class KlineRow {
    /** {@link #closeTime} when the source does not say when the kline closed. */
    static final long NO_CLOSE_TIME = Long.MIN_VALUE;

    /** Where the row came from, for errors: a line number (CSV) or an element number (JSON). */
    long line;
    long openTime;
    double open, high, low, close, volume;
    long closeTime = NO_CLOSE_TIME;
    double quoteVolume = Double.NaN;
    int tradesCount = -1;
    double takerBuyBaseVolume = Double.NaN, takerBuyQuoteVolume = Double.NaN;
    /** The symbol the row names itself (a {@code symbol} or {@code ticker} column), or null. */
    String symbol;

    void clear() {
        line = 0;
        openTime = 0;
        open = high = low = close = volume = Double.NaN;
        closeTime = NO_CLOSE_TIME;
        quoteVolume = takerBuyBaseVolume = takerBuyQuoteVolume = Double.NaN;
        tradesCount = -1;
        symbol = null;
    }

    void copyFrom(KlineRow o) {
        line = o.line;
        openTime = o.openTime;
        open = o.open;
        high = o.high;
        low = o.low;
        close = o.close;
        volume = o.volume;
        closeTime = o.closeTime;
        quoteVolume = o.quoteVolume;
        tradesCount = o.tradesCount;
        takerBuyBaseVolume = o.takerBuyBaseVolume;
        takerBuyQuoteVolume = o.takerBuyQuoteVolume;
        symbol = o.symbol;
    }
}
