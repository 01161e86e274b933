package dev.candlebox.db.ingest;

import java.time.Duration;

/**
 * What a long import tells its caller while it runs: the command line draws a progress bar from it and
 * prints retries. Every method has a do-nothing default.
 */
public interface ImportListener {
    ImportListener NONE = new ImportListener() {};

    /** The download will cover about {@code totalBars} klines (an estimate from the time range). */
    default void started(String what, long totalBars) {}

    /** {@code barsDone} of the estimated total are behind us (downloaded and stored, or known missing). */
    default void progressed(long barsDone, long rowsStored) {}

    /** A request failed and will be retried after {@code wait}: {@code attempt} of at most {@code maxAttempts}. */
    default void retrying(int attempt, int maxAttempts, Duration wait, String reason) {}
}
