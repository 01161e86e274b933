package dev.candlebox.sandbox.engine;

/**
 * Events of a run as it goes. Called from a pool thread; keep it quick. Default: ignore.
 */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    /** Fraction of klines processed, 0..1, at most about once per 1 % or per 100 ms. */
    default void onProgress(double fraction) { }

    /** A fill, right after the engine executed it. */
    default void onFill(Fill fill) { }

    /** Text the strategy printed (a chunk, not necessarily a whole line). */
    default void onLog(String text) { }
}
