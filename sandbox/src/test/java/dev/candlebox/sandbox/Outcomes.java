package dev.candlebox.sandbox;

import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.worker.RunOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on run outcomes with readable failure messages. */
public final class Outcomes {
    private Outcomes() { }

    public static BacktestResult succeeded(RunOutcome o) {
        return switch (o) {
            case RunOutcome.Succeeded s -> s.result();
            case RunOutcome.Failed f -> fail("expected success, got " + f.error() + "\nlogs: " + f.logs());
            case RunOutcome.Cancelled c -> fail("expected success, got cancelled");
        };
    }

    public static String logs(RunOutcome o) {
        return switch (o) {
            case RunOutcome.Succeeded s -> s.logs();
            case RunOutcome.Failed f -> f.logs();
            case RunOutcome.Cancelled c -> "";
        };
    }

    /** The run failed with one of {@code types} (a runaway builtin may hit the time or the allocation limit first). */
    public static RunError failedWithOneOf(RunOutcome o, String... types) {
        return switch (o) {
            case RunOutcome.Failed f -> {
                assertTrue(java.util.List.of(types).contains(f.error().type()), () -> "error: " + f.error());
                yield f.error();
            }
            case RunOutcome.Succeeded s -> fail("expected one of " + java.util.List.of(types) + ", got success; logs: " + s.logs());
            case RunOutcome.Cancelled c -> fail("expected one of " + java.util.List.of(types) + ", got cancelled");
        };
    }

    public static RunError failed(RunOutcome o, String type) {
        return switch (o) {
            case RunOutcome.Failed f -> {
                assertEquals(type, f.error().type(), () -> "error: " + f.error());
                yield f.error();
            }
            case RunOutcome.Succeeded s -> fail("expected " + type + ", got success; logs: " + s.logs());
            case RunOutcome.Cancelled c -> fail("expected " + type + ", got cancelled");
        };
    }

    /** Wraps statements as the body of run(self, context, kline, params) (indented by 8). */
    public static String strategy(String runBody) {
        StringBuilder sb = new StringBuilder("class Strategy(IStrategy):\n    def run(self, context, kline, params):\n");
        for (String line : runBody.strip().split("\n")) sb.append("        ").append(line).append('\n');
        return sb.toString();
    }
}
