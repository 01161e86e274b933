package dev.candlebox.sandbox.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.sandbox.engine.Backtest;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.worker.RunOutcome;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A context with the strategy API loaded, good for exactly one run. Another thread may
 * {@link #stop(RunError)} it at any time (a limit): the context is then cancelled and the run ends
 * with that error, whatever the Python code was doing.
 */
public final class PreparedRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context context;
    private final StrategyRuntime.SwitchableOutput out;
    private final AtomicReference<RunError> stopReason = new AtomicReference<>();
    private volatile boolean used;
    private volatile boolean cancelled;

    private final Value check;
    private final Value describe;
    private final Value run;

    PreparedRun(Context context, StrategyRuntime.SwitchableOutput out) {
        this.context = context;
        this.out = out;
        // runner.py leaves its three entry points in __candlebox__; take them and remove the name.
        Value bindings = context.getBindings("python");
        Value entry = bindings.getMember("__candlebox__");
        bindings.removeMember("__candlebox__");
        this.check = entry.getArrayElement(0);
        this.describe = entry.getArrayElement(1);
        this.run = entry.getArrayElement(2);
    }

    /**
     * Runs the backtest on the calling thread and closes the context.
     *
     * @param maxOutputBytes printed bytes allowed before the run fails with output_limit
     * @param maxFills       fills allowed before the run fails with fill_limit
     */
    public RunOutcome run(BacktestRequest request, RunListener listener, long maxOutputBytes, int maxFills) {
        if (used) throw new IllegalStateException("a PreparedRun runs once");
        used = true;
        RunListener events = listener == null ? RunListener.NONE : listener;
        CappedOutput printed = new CappedOutput(maxOutputBytes, events::onLog,
                () -> stop(RunError.of(RunError.OUTPUT_LIMIT,
                        "the strategy printed more than " + maxOutputBytes + " bytes")));
        out.target(printed);
        KlineSeries k = request.klines();
        Backtest backtest = new Backtest(k, request.initialBalance(), request.feeRate(), maxFills, events);
        Exchange exchange = new Exchange(backtest, () -> stop(RunError.of(RunError.FILL_LIMIT,
                "the strategy made more than " + maxFills + " fills")));
        try {
            if (k.size() == 0) {
                return new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST, "no klines to run on"), "");
            }
            String params;
            try {
                params = JSON.writeValueAsString(request.strategyParams());
            } catch (JsonProcessingException e) {
                return new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST,
                        "strategyParams cannot be written as JSON: " + e.getOriginalMessage()), "");
            }
            // The strategy reads copies: the engine checks orders against its own columns.
            Object[] cols = {k.openTime().clone(), k.open().clone(), k.high().clone(), k.low().clone(),
                    k.close().clone(), k.volume().clone(), k.closeTime().clone(), k.quoteVolume().clone(),
                    k.tradesCount().clone(), k.takerBuyBaseVolume().clone(), k.takerBuyQuoteVolume().clone()};
            Value error = check.execute(request.code());
            if (error.isNull()) {
                try {
                    // A cached Source: runs of the same code share its compiled form in the engine.
                    context.eval(Source.newBuilder("python", request.code(), "strategy.py").cached(true).buildLiteral());
                } catch (PolyglotException e) {
                    if (!e.isGuestException() || e.isExit() || e.isCancelled() || e.isInterrupted()) throw e;
                    error = describe.execute(e.getGuestObject());
                }
            }
            if (error.isNull()) {
                error = run.execute(exchange, params, cols, dayEnds(k), k.size(),
                        request.initialBalance().toPlainString(), request.feeRate().toPlainString());
            }
            RunError stopped = stopReason.get();
            if (stopped != null) return new RunOutcome.Failed(stopped, printed.text());
            if (error.isNull()) {
                BacktestResult result = backtest.finish();
                return new RunOutcome.Succeeded(result, printed.text());
            }
            // (False, type, message, line, traceback)
            Value line = error.getArrayElement(3);
            Value tb = error.getArrayElement(4);
            RunError failure = new RunError(error.getArrayElement(1).asString(), error.getArrayElement(2).asString(),
                    line.isNull() ? null : line.asInt(), tb.isNull() ? null : tb.asString());
            return new RunOutcome.Failed(failure, printed.text());
        } catch (PolyglotException e) {
            RunError stopped = stopReason.get();
            if (stopped != null) return new RunOutcome.Failed(stopped, printed.text());
            if (e.isResourceExhausted()) {
                return new RunOutcome.Failed(RunError.of(RunError.MEMORY_LIMIT,
                        "the strategy exhausted a resource: " + e.getMessage()), printed.text());
            }
            if (cancelled || e.isCancelled() || e.isInterrupted()) return new RunOutcome.Cancelled();
            if (e.isExit()) {
                return new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR,
                        "the strategy tried to exit the interpreter"), printed.text());
            }
            return new RunOutcome.Failed(new RunError(RunError.RUNTIME_ERROR, String.valueOf(e.getMessage()),
                    null, null), printed.text());
        } catch (IllegalStateException e) {
            RunError stopped = stopReason.get();
            if (stopped != null) return new RunOutcome.Failed(stopped, printed.text());
            if (cancelled) return new RunOutcome.Cancelled();
            return new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR, String.valueOf(e.getMessage())),
                    printed.text());
        } finally {
            close();
        }
    }

    /** dayEnd[i]: kline i is the last of its UTC day (the next one starts another day, or there is none). */
    static boolean[] dayEnds(KlineSeries k) {
        int n = k.size();
        boolean[] end = new boolean[n];
        long[] t = k.openTime();
        for (int i = 0; i < n; i++) {
            end[i] = i + 1 == n || Math.floorDiv(t[i + 1], 86_400_000L) != Math.floorDiv(t[i], 86_400_000L);
        }
        return end;
    }

    /** Stops the run with the given error (first reason wins); safe from any thread. */
    public void stop(RunError reason) {
        if (stopReason.compareAndSet(null, reason)) {
            cancelAsync();
        }
    }

    /** Stops the run as cancelled by the user. */
    public void cancel() {
        cancelled = true;
        cancelAsync();
    }

    public RunError stopReason() {
        return stopReason.get();
    }

    private void cancelAsync() {
        // close(true) waits for the guest to stop; a builtin that never yields would block the caller.
        Thread.ofPlatform().daemon().name("sandbox-cancel").start(this::close);
    }

    private void close() {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // Already closed, or closing from inside: either way the context is gone.
        }
    }
}
