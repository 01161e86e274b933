package dev.candlebox.sandbox.worker;

import java.util.concurrent.CompletableFuture;

/** A submitted run. */
public interface RunHandle {
    /** Stops the run if it is queued or running; its outcome becomes {@link RunOutcome.Cancelled}. */
    void cancel();

    /** Completes when the run ends, never exceptionally. */
    CompletableFuture<RunOutcome> outcome();
}
