package dev.candlebox.sandbox.worker;

import java.util.concurrent.CompletableFuture;

/** A submitted run. */
public interface RunHandle {
    /** Stops the run if it is queued or running; its outcome becomes {@link RunOutcome.Cancelled}. */
    void cancel();

    /** Completes when the run ends, never exceptionally. */
    CompletableFuture<RunOutcome> outcome();

    /**
     * The Python context the run got, once the worker has said (null before, or when the run never reached
     * a worker). See "Job reuse" in docs/sandbox.md.
     */
    default Context context() {
        return null;
    }

    /** Why a kept context of the run's job was thrown away (something shared had changed), or null. */
    default String contextDiscardedBecause() {
        return null;
    }

    /** The Python context a run got. */
    enum Context {
        /** A new context (no kept context of its job, or none kept: a run without a job key, reuse off). */
        FRESH,
        /** The kept context of its job's last run, after the worker proved nothing shared was changed. */
        REUSED,
        /** Its job's kept context had been changed by an earlier run: thrown away, the run got a new one. */
        DISCARDED
    }
}
