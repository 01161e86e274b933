package dev.candlebox.db.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-quality report of one derivatives import, stored as JSON in {@code candlebox_import.report}
 * ({@code series_table} = {@code TABLE[+TABLE]/SYMBOL/INTERVAL}). Times are epoch ms UTC, after the shift; lists
 * are capped at {@link ImportSettings#reportLimit()}, counts are complete.
 *
 * @param interval             the interval code the rows are stored under
 * @param intervalFrom         where the interval came from: {@code --interval}, {@code file name} or
 *                             {@code spacing of the times}
 * @param tables               the tables written: {@code open_interest}, {@code long_short_ratio}, {@code liquidations}
 * @param rowsRead             rows read from the source (header not counted)
 * @param rowsAdded            rows stored by this import, all tables together
 * @param added                rows stored per table
 * @param duplicates           times already stored (per table, summed), and rows repeating a time of the same source
 * @param firstTime            the first time read, after the shift (null when none)
 * @param lastTime             the last time read, after the shift
 * @param shiftMillis          the shift added to every time read ({@code --shift-hours})
 * @param shift                the shift in words, and a warning when a Coinalyze export was read without one
 * @param gapCount             stretches of missing times between the first and the last
 * @param missingTimes         times missing in all of them together
 * @param valuesRounded        values with more than 12 decimals, rounded half-even ({@code 0.9740000000000001} → 0.974)
 * @param rowsCompleted        stored rows that gained values they lacked
 * @param conflictCount        stored values this source gives differently (the stored value is kept)
 * @param liquidationsPriced   liquidation rows in the base asset given a quote value from a kline close
 * @param liquidationsUnpriced liquidation rows in the base asset left without a quote value (no kline at that time)
 * @param priceSource          the kline file whose closes priced them
 * @param error                why the import stopped, or null when it completed
 */
public record DerivativesReport(
        String source,
        String symbol,
        String interval,
        String intervalFrom,
        List<String> tables,
        String layout,
        long startedAt,
        long finishedAt,
        long rowsRead,
        long rowsAdded,
        Map<String, Long> added,
        ImportReport.Duplicates duplicates,
        Long firstTime,
        Long lastTime,
        long shiftMillis,
        String shift,
        long gapCount,
        long missingTimes,
        List<Gap> gaps,
        long valuesRounded,
        long rowsCompleted,
        long conflictCount,
        List<Conflict> conflicts,
        long liquidationsPriced,
        long liquidationsUnpriced,
        String priceSource,
        String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DerivativesReport {
        tables = List.copyOf(tables);
        added = new LinkedHashMap<>(added);
        gaps = List.copyOf(gaps);
        conflicts = List.copyOf(conflicts);
    }

    /** Times missing between two that were read ({@code from}, {@code to}: their times). */
    public record Gap(long from, long to, long missingTimes) {}

    /** A value stored earlier that this source gives differently; the stored one is kept. */
    public record Conflict(long time, String column, BigDecimal stored, BigDecimal source) {}

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

    public static DerivativesReport fromJson(String json) {
        try {
            return JSON.readValue(json, DerivativesReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a derivatives import report: " + e.getOriginalMessage(), e);
        }
    }
}
