package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.RunError;

/** How a run ended. {@code logs} is what the strategy printed, capped. */
public sealed interface RunOutcome {
    record Succeeded(BacktestResult result, String logs) implements RunOutcome { }

    record Failed(RunError error, String logs) implements RunOutcome { }

    record Cancelled() implements RunOutcome { }
}
