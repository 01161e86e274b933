package dev.candlebox.db.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * The data-quality report of one import: what was read, what was stored, and what is wrong with the data.
 * Stored as JSON in {@code candlebox_import.report}; times are epoch milliseconds UTC, like {@code open_time}.
 * Lists are capped (see {@link ImportSettings#reportLimit()}); the counts are always complete.
 *
 * @param source         the file, classpath resource or Binance request
 * @param layout         how the source was read (format, columns, time unit), for the user to check
 * @param rowsRead       klines read from the source (header lines not counted)
 * @param rowsAdded      klines stored by this import
 * @param duplicates     klines not stored because their open time was already stored or repeated in the source
 * @param rowsDropped    klines not stored because they may still have been forming (listed in {@code dropped});
 *                       {@code rowsRead = rowsAdded + duplicates.total() + rowsDropped} when the import completed
 * @param firstOpenTime  first open time among the klines kept (null when none)
 * @param lastOpenTime   last open time among the klines kept (null when none)
 * @param resumedFrom    for a resumed download, the open time it continued from
 * @param shiftMillis    the shift applied to every time read (e.g. -6 h for the Coinalyze export)
 * @param gapCount       stretches of missing open times between the first and the last kline read
 * @param missingBars    the klines missing in all those stretches together
 * @param error          why the import stopped early, or null when it completed
 */
public record ImportReport(
        String source,
        String symbol,
        String interval,
        String table,
        String layout,
        long startedAt,
        long finishedAt,
        long rowsRead,
        long rowsAdded,
        Duplicates duplicates,
        long rowsDropped,
        List<DroppedCandle> dropped,
        Long firstOpenTime,
        Long lastOpenTime,
        Long resumedFrom,
        long shiftMillis,
        long gapCount,
        long missingBars,
        List<Gap> gaps,
        long ohlcViolationCount,
        List<OhlcViolation> ohlcViolations,
        long irregularCloseTimeCount,
        List<IrregularCloseTime> irregularCloseTimes,
        String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImportReport {
        dropped = List.copyOf(dropped);
        gaps = List.copyOf(gaps);
        ohlcViolations = List.copyOf(ohlcViolations);
        irregularCloseTimes = List.copyOf(irregularCloseTimes);
    }

    /** Duplicates: open times already in the table, and rows whose open time the source repeats. */
    public record Duplicates(long alreadyStored, long repeatedInSource) {
        public long total() {
            return alreadyStored + repeatedInSource;
        }
    }

    /**
     * A stretch of missing klines: {@code from} and {@code to} are the open times of the klines on either
     * side of it (e.g. 2019-05-15 02:00 → 13:00 for ten missing hours).
     */
    public record Gap(long from, long to, long missingBars) {}

    /** A kline whose prices contradict each other, or whose volume is negative. */
    public record OhlcViolation(long openTime, List<OhlcProblem> problems) {
        public OhlcViolation {
            problems = List.copyOf(problems);
        }
    }

    public enum OhlcProblem {
        /** high < max(open, close) */
        HIGH_BELOW_OPEN_OR_CLOSE,
        /** low > min(open, close) */
        LOW_ABOVE_OPEN_OR_CLOSE,
        /** low > high */
        LOW_ABOVE_HIGH,
        /** volume < 0 */
        NEGATIVE_VOLUME,
        /** open, high, low or close <= 0 */
        NON_POSITIVE_PRICE
    }

    /**
     * A kline whose close time is not {@code next open time - 1 ms}. Binance itself writes such klines when
     * trading stopped inside the interval (an outage); they are stored as they are, and listed here.
     */
    public record IrregularCloseTime(long openTime, long closeTime, long expected) {}

    /** A kline that was not stored because it may have been read before it closed. */
    public record DroppedCandle(long openTime, long closeTime, DropReason reason) {}

    public enum DropReason {
        /** Its close time (given, or open time + interval) is after the import's clock: still forming. */
        CLOSES_AFTER_IMPORT,
        /**
         * The last row of a source that gives no close times: nothing proves it had closed when the source
         * was saved (a live download's last row is the forming candle). Kept when a later kline is already
         * stored, or when the user says the source was complete ({@code keepLastRow}).
         */
        LAST_ROW_UNCONFIRMED
    }

    public boolean completed() {
        return error == null;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is not serialisable", e);
        }
    }

    public static ImportReport fromJson(String json) {
        try {
            return JSON.readValue(json, ImportReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an import report: " + e.getOriginalMessage(), e);
        }
    }
}
