package dev.candlebox.sandbox.python;

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

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A context with the strategy API loaded, good for exactly one run. Another thread may
 * {@link #stop(RunError)} it at any time (a limit): the context is then cancelled and the run ends
 * with that error, whatever the Python code was doing.
 */
public final class PreparedRun {
    /** -Dcandlebox.worker.trace=true: each run prints where its time went to the worker's stderr. */
    public static final boolean TRACE = Boolean.getBoolean("candlebox.worker.trace");

    private final StrategyRuntime runtime;
    private final Context context;
    private final StrategyRuntime.SwitchableOutput out;
    private final AtomicReference<RunError> stopReason = new AtomicReference<>();
    private volatile boolean used;
    private volatile boolean cancelled;

    private final Value describe;
    private final Value run;
    private final Value arm;
    private final Value newDict;
    private final Value newList;
    private final Value none;

    PreparedRun(StrategyRuntime runtime, Context context, StrategyRuntime.SwitchableOutput out) {
        this.runtime = runtime;
        this.context = context;
        this.out = out;
        // runner.py leaves its entry points in __candlebox__; take them and remove the name.
        Value bindings = context.getBindings("python");
        Value entry = bindings.getMember("__candlebox__");
        bindings.removeMember("__candlebox__");
        this.describe = entry.getArrayElement(1);
        this.run = entry.getArrayElement(2);
        this.arm = entry.getArrayElement(3);
        // Taken before any user code runs in this context, which could rebind the names.
        this.newDict = context.eval("python", "dict");
        this.newList = context.eval("python", "list");
        // Python's None (a Java null would arrive as a foreign object; eval("None") gives the module).
        this.none = newDict.execute().invokeMember("get", "none");
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
            Value params;
            try {
                params = python(request.strategyParams());
            } catch (IllegalArgumentException e) {
                return new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST,
                        "strategyParams must be JSON values: " + e.getMessage()), "");
            }
            // The strategy reads copies: the engine checks orders against its own columns.
            Object[] cols = {k.openTime().clone(), k.open().clone(), k.high().clone(), k.low().clone(),
                    k.close().clone(), k.volume().clone(), k.closeTime().clone(), k.quoteVolume().clone(),
                    k.tradesCount().clone(), k.takerBuyBaseVolume().clone(), k.takerBuyQuoteVolume().clone()};
            long t0 = System.nanoTime();
            Value error = runtime.check(request.code());
            long t1 = System.nanoTime();
            if (error == null) {
                arm.execute(request.code());
                try {
                    // A cached Source: runs of the same code share its compiled form in the engine.
                    context.eval(Source.newBuilder("python", request.code(), "strategy.py").cached(true).buildLiteral());
                } catch (PolyglotException e) {
                    if (!e.isGuestException() || e.isExit() || e.isCancelled() || e.isInterrupted()) throw e;
                    error = describe.execute(e.getGuestObject());
                }
            }
            long t2 = System.nanoTime();
            if (error == null || error.isNull()) {
                error = run.execute(exchange, params, cols, dayEnds(k), k.size(),
                        request.initialBalance().toPlainString(), request.feeRate().toPlainString());
            }
            if (TRACE) {
                System.err.printf("candlebox worker: %d klines: check %.1f ms, module %.1f ms, klines %.1f ms%n",
                        k.size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, (System.nanoTime() - t2) / 1e6);
            }
            RunError stopped = stopReason.get();
            if (stopped != null) return new RunOutcome.Failed(stopped, printed.text());
            if (error == null || error.isNull()) {
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

    /** strategyParams (JSON values as Jackson reads them) as Python dicts, lists, str, int, float, bool, None. */
    private Value python(Object v) {
        return switch (v) {
            case null -> none;
            case Map<?, ?> m -> {
                Value d = newDict.execute();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) throw new IllegalArgumentException("a key is not a string");
                    d.putHashEntry(key, python(e.getValue()));
                }
                yield d;
            }
            case List<?> l -> {
                Value list = newList.execute();
                for (Object x : l) list.invokeMember("append", python(x));
                yield list;
            }
            case String s -> context.asValue(s);
            case Boolean b -> context.asValue(b);
            case Integer i -> context.asValue(i);
            case Long x -> context.asValue(x);
            case Double d -> context.asValue(d);
            case Float f -> context.asValue((double) f);
            case Short x -> context.asValue((int) x);
            case BigInteger b -> context.eval("python", "int").execute(b.toString());
            case BigDecimal b -> context.asValue(b.doubleValue());
            default -> throw new IllegalArgumentException("unsupported value of type " + v.getClass().getSimpleName());
        };
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
