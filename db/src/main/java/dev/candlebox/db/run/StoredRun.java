package dev.candlebox.db.run;

import java.time.Instant;

/**
 * A backtest run as stored. The JSON columns are written and read by the server, which knows their
 * shape; the store only keeps them.
 */
public record StoredRun(
        String id,
        long seq,
        String client,
        RunStatus status,
        double progress,
        String symbol,
        String interval,
        String requestJson,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String resultJson,
        String metricsJson,
        String errorJson,
        String logs) {
}
