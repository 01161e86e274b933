package dev.candlebox.db.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality report of one funding-rate import, stored as JSON in {@code candlebox_import.report}
 * ({@code series_table} = {@code funding_rates/SYMBOL}). Times are epoch ms UTC; lists are capped at
 * {@link ImportSettings#reportLimit()}, counts are complete.
 *
 * @param rowsRead          settlements read from the source
 * @param rowsAdded         settlements stored by this import
 * @param duplicates        settlements already stored, and rows repeating a time of the same source
 * @param firstTime         the first settlement time read (null when none)
 * @param lastTime          the last settlement time read (null when none)
 * @param resumedFrom       for a resumed download, the time it continued from
 * @param timesRounded      rows whose time was moved to the whole minute (Binance stamps a settlement a few ms
 *                          after it: {@code 1735689600015} is stored as {@code 1735689600000})
 * @param intervalHours     how many settlements have each funding interval (hours → count)
 * @param intervalsDerived  settlements whose interval was told from the spacing of the times (the source did not
 *                          state it)
 * @param gapCount          stretches of missing settlements between the first and the last
 * @param missingTimes      settlements missing in all of them together
 * @param markPrices        rows read that carry a mark price (from the source or the mark file)
 * @param markSource        the file the mark prices came from, when not the source itself
 * @param markPricesAdded   mark prices filled into settlements that were stored without one
 * @param rateConflictCount settlements already stored with another rate (the stored rate is kept)
 * @param error             why the import stopped, or null when it completed
 */
public record FundingReport(
        String source,
        String symbol,
        String table,
        String layout,
        long startedAt,
        long finishedAt,
        long rowsRead,
        long rowsAdded,
        ImportReport.Duplicates duplicates,
        Long firstTime,
        Long lastTime,
        Long resumedFrom,
        long timesRounded,
        Map<Integer, Long> intervalHours,
        long intervalsDerived,
        long gapCount,
        long missingTimes,
        List<Gap> gaps,
        long markPrices,
        String markSource,
        long markPricesAdded,
        long rateConflictCount,
        List<RateConflict> rateConflicts,
        String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FundingReport {
        intervalHours = new TreeMap<>(intervalHours);
        gaps = List.copyOf(gaps);
        rateConflicts = List.copyOf(rateConflicts);
    }

    /** Settlements missing between two that were read ({@code from}, {@code to}: their times). */
    public record Gap(long from, long to, long missingTimes) {}

    /** A settlement stored earlier with another rate than this source gives; the stored one is kept. */
    public record RateConflict(long time, BigDecimal stored, BigDecimal source) {}

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

    public static FundingReport fromJson(String json) {
        try {
            return JSON.readValue(json, FundingReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a funding import report: " + e.getOriginalMessage(), e);
        }
    }
}
