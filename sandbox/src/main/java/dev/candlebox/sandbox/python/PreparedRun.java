package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.engine.Backtest;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.MaintenanceTiers;
import dev.candlebox.sandbox.engine.OtherSeries;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.worker.RunOutcome;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A context with the strategy API loaded, good for one run, or for the runs of one job when the worker
 * keeps it (see {@link #run(BacktestRequest, RunListener, long, int, int, boolean)} and {@link #reuse()}).
 * Another thread may {@link #stop(RunError)} it at any time during a run (a limit): the context is then
 * cancelled and the run ends with that error, whatever the Python code was doing.
 */
public final class PreparedRun {
    /** -Dcandlebox.worker.trace=true: each run prints where its time went to the worker's stderr. */
    public static final boolean TRACE = Boolean.getBoolean("candlebox.worker.trace");

    /**
     * For the test harness only ({@code -Dcandlebox.sandbox.staticCheck=off} on a worker): user code runs
     * without the static check, as if a way around it existed, so that tests can prove what the layers
     * behind it (the runtime guards, the engine's loop, the account in Java, the polyglot context) still
     * hold. A worker started so says it on stderr. Never set in a server.
     */
    public static final boolean STATIC_CHECK_OFF = "off".equals(System.getProperty("candlebox.sandbox.staticCheck"));

    private final StrategyRuntime runtime;
    private final Context context;
    private final StrategyRuntime.SwitchableOutput out;
    private final AtomicReference<RunError> stopReason = new AtomicReference<>();
    private volatile boolean used;
    private volatile boolean cancelled;
    /** After a run that ended normally in a context the worker keeps: stop and cancel no longer apply. */
    private boolean kept;
    /** Runs done in this context. */
    private int runs;

    private final Value describe;
    private final Value start;
    private final Value arm;
    private final Value newDict;
    private final Value newList;
    private final Value none;
    private final Value reset;
    private final Value seal;
    /** Whether the shared state was fingerprinted (before any user code), so that the context may be kept. */
    private boolean fingerprinted;

    /** @param fingerprint whether to record the shared state for {@link #reuse()} (the worker may keep the context) */
    PreparedRun(StrategyRuntime runtime, Context context, StrategyRuntime.SwitchableOutput out, boolean fingerprint) {
        this.runtime = runtime;
        this.context = context;
        this.out = out;
        // runner.py leaves its entry points in __candlebox__; take them and remove the name.
        Value bindings = context.getBindings("python");
        Value entry = bindings.getMember("__candlebox__");
        bindings.removeMember("__candlebox__");
        this.describe = entry.getArrayElement(1);
        this.start = entry.getArrayElement(2);
        this.arm = entry.getArrayElement(3);
        this.reset = entry.getArrayElement(6);
        // Taken before any user code runs in this context, which could rebind the names.
        this.newDict = context.eval("python", "dict");
        this.newList = context.eval("python", "list");
        // Python's None (a Java null would arrive as a foreign object; eval("None") gives the module).
        this.none = newDict.execute().invokeMember("get", "none");
        // Before any user code: __main__ as it is now, and (for reuse) the fingerprint of what is shared.
        this.seal = entry.getArrayElement(5);
        seal.execute(fingerprint);
        this.fingerprinted = fingerprint;
    }

    /**
     * Runs the backtest on the calling thread and closes the context.
     *
     * @param maxOutputBytes printed bytes allowed before the run fails with output_limit
     * @param maxFills       fills allowed before the run fails with fill_limit
     */
    public RunOutcome run(BacktestRequest request, RunListener listener, long maxOutputBytes, int maxFills) {
        return run(request, listener, maxOutputBytes, maxFills, Backtest.DEFAULT_MAX_OPEN_ORDERS);
    }

    /** @param maxOpenOrders resting orders (and orders queued for the next open) a run may have at once */
    public RunOutcome run(BacktestRequest request, RunListener listener, long maxOutputBytes, int maxFills,
                          int maxOpenOrders) {
        return run(request, listener, maxOutputBytes, maxFills, maxOpenOrders, false);
    }

    /**
     * @param keep keep the context open after a run that succeeded and was neither stopped nor cancelled
     *             ({@link #kept()} says whether it was); otherwise it is closed, as always
     */
    public RunOutcome run(BacktestRequest request, RunListener listener, long maxOutputBytes, int maxFills,
                          int maxOpenOrders, boolean keep) {
        if (used) throw new IllegalStateException("a PreparedRun runs once (per reuse)");
        used = true;
        RunOutcome outcome = null;
        try {
            if (keep && !fingerprinted) {
                // A context built without the fingerprint (a worker's first): taken now, before any user code.
                seal.execute(true);
                fingerprinted = true;
            }
            outcome = runOnce(request, listener, maxOutputBytes, maxFills, maxOpenOrders);
            return outcome;
        } finally {
            end(keep && outcome instanceof RunOutcome.Succeeded);
        }
    }

    private RunOutcome runOnce(BacktestRequest request, RunListener listener, long maxOutputBytes, int maxFills,
                               int maxOpenOrders) {
        runs++;
        RunListener events = listener == null ? RunListener.NONE : listener;
        CappedOutput printed = new CappedOutput(maxOutputBytes, events::onLog,
                () -> stop(RunError.of(RunError.OUTPUT_LIMIT,
                        "the strategy printed more than " + maxOutputBytes + " bytes")));
        out.target(printed);
        KlineSeries k = request.klines();
        Backtest backtest = new Backtest(k, request.initialBalance(), request.trading(), request.funding(),
                MaintenanceTiers.forSymbol(request.symbol()), request.minutes(), maxFills, maxOpenOrders, events);
        backtest.tradeFrom(tradeFromIndex(k, request.strategyParams().get("tradeFrom")));
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
            long t0 = System.nanoTime();
            Value error = STATIC_CHECK_OFF ? null : runtime.check(request.code());
            long t1 = System.nanoTime();
            if (error == null) {
                arm.execute(request.code());
                try {
                    // A cached Source: runs of the same code share its compiled form in the engine.
                    context.eval(runtime.source("strategy.py", request.code()));
                } catch (PolyglotException e) {
                    if (!e.isGuestException() || e.isExit() || e.isCancelled() || e.isInterrupted()) throw e;
                    error = describe.execute(e.getGuestObject(), String.valueOf(e.getMessage()));
                }
            }
            long t2 = System.nanoTime();
            long t3 = t2;
            if (error == null || error.isNull()) {
                Value started = start.execute(exchange, params, request.initialBalance().toPlainString(),
                        request.trading().takerFee().toPlainString(), stepFactory(request.code()),
                        request.trading().futures(), request.trading().leverage(), request.derivatives() != null,
                        request.symbol(), String.join(",", request.series().stream().map(o -> o.symbol() + " " + o.interval()).toList()));
                t3 = System.nanoTime();
                error = started.getArrayElement(0).asBoolean() ? drive(started.getArrayElement(1), started.getArrayElement(2),
                        started.getArrayElement(3), request, backtest, maxFills) : started;
            }
            if (TRACE) {
                System.err.printf("candlebox worker: %d klines: check %.1f ms, module %.1f ms, start %.1f ms, klines %.1f ms%n",
                        k.size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (System.nanoTime() - t3) / 1e6);
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
        }
    }

    /** After a run: keep the context (a normal end, nothing stopped or cancelled it) or close it. */
    private void end(boolean keep) {
        synchronized (this) {
            kept = keep && stopReason.get() == null && !cancelled;
        }
        out.target(OutputStream.nullOutputStream());
        if (!kept) close();
    }

    /** Whether the context was kept open after its last run (for {@link #reuse()}). */
    public synchronized boolean kept() {
        return kept;
    }

    /** Runs done in this context so far. */
    public int runs() {
        return runs;
    }

    /**
     * Makes a kept context ready for another run of the same job: proves that nothing shared was changed
     * (the fingerprint taken before any user code ran: the strategy API's classes and functions, the
     * runner's reachable classes, the builtins, the allowed modules, decimal's context) and puts
     * {@code __main__} back as it was before any user code. Returns null when the context may be used,
     * else what changed; the context is then closed and must not be used.
     */
    public String reuse() {
        synchronized (this) {
            if (!kept) return "the context was not kept";
            kept = false;
        }
        String changed;
        try {
            Value r = reset.execute();
            changed = r.isNull() ? null : r.asString();
        } catch (RuntimeException e) {
            changed = "the check failed: " + e.getMessage();
        }
        if (changed != null) {
            close();
            return changed;
        }
        stopReason.set(null);
        cancelled = false;
        used = false;
        return null;
    }

    /** Closes a context that is not running (a kept one that is no longer wanted). */
    public void discard() {
        synchronized (this) {
            kept = false;
        }
        close();
    }

    /**
     * The first kline whose open time is at or after {@code strategyParams.tradeFrom} (epoch ms; walk-forward's
     * out-of-sample start): the klines before it are warm-up. 0 (trade from the first kline) without it.
     */
    static int tradeFromIndex(KlineSeries k, Object tradeFrom) {
        if (!(tradeFrom instanceof Number t)) return 0;
        long from = t.longValue();
        long[] open = k.openTime();
        int i = java.util.Arrays.binarySearch(open, from);
        return i >= 0 ? i : -i - 1;
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

    /**
     * The per-kline loop, in Java: the engine moves its clock to kline i, then hands the step that
     * kline's values only (and, when it is the last kline of its UTC day, the day's number; else -1).
     * Python never holds a later kline, and nothing in Python moves the clock. Returns null, or the
     * error of an exception the strategy let escape (the step returns it; an error of the engine that
     * Python cannot catch arrives as a PolyglotException).
     */
    private Value drive(Value step, Value sync, Value append, BacktestRequest request, Backtest backtest, int maxFills) {
        KlineSeries k = request.klines();
        DerivativeColumns d = request.derivatives();
        List<OtherSeries> others = request.series();
        int[] appended = new int[others.size()];
        long[] ot = k.openTime();
        double[] op = k.open(), hi = k.high(), lo = k.low(), cl = k.close(), vo = k.volume();
        long[] ct = k.closeTime();
        double[] qv = k.quoteVolume(), tbb = k.takerBuyBaseVolume(), tbq = k.takerBuyQuoteVolume();
        int[] tc = k.tradesCount();
        int n = k.size();
        try {
            for (int i = 0; i < n; i++) {
                boolean news = backtest.advance();
                if (backtest.fillLimitHit()) {
                    stop(RunError.of(RunError.FILL_LIMIT, "the strategy made more than " + maxFills + " fills"));
                    return null;
                }
                if (news) {
                    // the engine changed the account before this kline: the context learns it first (one call,
                    // only on such klines: the step itself takes nothing more than the kline)
                    Value escapedFromSync = sync.execute();
                    if (!escapedFromSync.isNull()) return describe.execute(escapedFromSync, (Object) null);
                }
                long day = Math.floorDiv(ot[i], DAY_MS);
                long dayEnd = i + 1 == n || Math.floorDiv(ot[i + 1], DAY_MS) != day ? day : -1;
                for (int j = 0; j < appended.length; j++) {
                    // the other series' klines that closed by this kline's close, before its step
                    OtherSeries o = others.get(j);
                    KlineSeries s = o.klines();
                    for (int until = o.visible()[i]; appended[j] < until; appended[j]++) {
                        int m = appended[j];
                        append.execute(j, s.openTime()[m], s.open()[m], s.high()[m], s.low()[m], s.close()[m],
                                s.volume()[m], s.closeTime()[m], s.quoteVolume()[m], s.tradesCount()[m],
                                s.takerBuyBaseVolume()[m], s.takerBuyQuoteVolume()[m]);
                    }
                }
                Value escaped = d == null
                        ? step.execute(ot[i], op[i], hi[i], lo[i], cl[i], vo[i], ct[i], qv[i], tc[i], tbb[i], tbq[i], dayEnd)
                        : step.execute(ot[i], op[i], hi[i], lo[i], cl[i], vo[i], ct[i], qv[i], tc[i], tbb[i], tbq[i], dayEnd,
                                orNone(d.openInterest()[i]), orNone(d.fundingRate()[i]),
                                d.fundingTime()[i] == Long.MIN_VALUE ? none : d.fundingTime()[i],
                                orNone(d.longShortRatio()[i]), orNone(d.liquidationsLong()[i]),
                                orNone(d.liquidationsShort()[i]));
                if (!escaped.isNull()) return describe.execute(escaped, (Object) null);
            }
        } catch (PolyglotException e) {
            if (!e.isGuestException() || e.isExit() || e.isCancelled() || e.isInterrupted() || e.isResourceExhausted()
                    || stopReason.get() != null) {
                throw e;
            }
            return describe.execute(e.getGuestObject(), String.valueOf(e.getMessage()));
        }
        return null;
    }

    /** A value of a derivatives column as Python sees it: NaN (no data) is None. */
    private Object orNone(double v) {
        return Double.isNaN(v) ? none : v;
    }

    private static final long DAY_MS = 86_400_000L;
    private static final String STEP_TEMPLATE = StrategyRuntime.preludeText("step.py");

    /**
     * The step factory for this code: step.py with the code's id in its text, evaluated as a cached
     * Source, so each strategy has its own compiled step and runs of the same code share it.
     */
    private Value stepFactory(String code) {
        String id = strategyId(code);
        context.eval(runtime.source("step_" + id + ".py", STEP_TEMPLATE.replace("STRATEGY_ID", id)));
        Value bindings = context.getBindings("python");
        Value factory = bindings.getMember("__candlebox_step__");
        bindings.removeMember("__candlebox_step__");
        return factory;
    }

    /** The first 16 hex digits of the code's SHA-256. */
    static String strategyId(String code) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the run with the given error (first reason wins); safe from any thread. */
    public void stop(RunError reason) {
        synchronized (this) {
            // A late stop for a run that already ended in a kept context must not close it under the next run.
            if (kept || !stopReason.compareAndSet(null, reason)) return;
        }
        cancelAsync();
    }

    /** Stops the run as cancelled by the user. */
    public void cancel() {
        synchronized (this) {
            if (kept) return;
            cancelled = true;
        }
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
