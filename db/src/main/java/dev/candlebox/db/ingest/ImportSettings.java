package dev.candlebox.db.ingest;

import java.time.InstantSource;

/**
 * How an import behaves, whatever its source.
 *
 * @param batchSize   klines per upsert (one transaction each); bounds the memory an import holds
 * @param reportLimit entries kept per list of the report (gaps, OHLC violations, ...); counts stay complete
 * @param keepLastRow store the last row of a source that gives no close times instead of dropping it as
 *                    possibly still forming (for files known to have been saved after their last kline closed)
 * @param clock       the import's notion of now: a kline that closes after it is still forming
 */
public record ImportSettings(int batchSize, int reportLimit, boolean keepLastRow, InstantSource clock) {
    public static final int DEFAULT_BATCH_SIZE = 10_000;
    public static final int DEFAULT_REPORT_LIMIT = 1_000;

    public ImportSettings {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (reportLimit < 0) throw new IllegalArgumentException("report limit must not be negative, got " + reportLimit);
        if (clock == null) throw new IllegalArgumentException("clock is required");
    }

    public static ImportSettings defaults() {
        return new ImportSettings(DEFAULT_BATCH_SIZE, DEFAULT_REPORT_LIMIT, false, InstantSource.system());
    }

    public ImportSettings withBatchSize(int size) {
        return new ImportSettings(size, reportLimit, keepLastRow, clock);
    }

    public ImportSettings withReportLimit(int limit) {
        return new ImportSettings(batchSize, limit, keepLastRow, clock);
    }

    public ImportSettings withKeepLastRow(boolean keep) {
        return new ImportSettings(batchSize, reportLimit, keep, clock);
    }

    public ImportSettings withClock(InstantSource c) {
        return new ImportSettings(batchSize, reportLimit, keepLastRow, c);
    }
}
