package dev.candlebox.sandbox.python;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The GraalPy side of a worker: one shared {@link Engine} (so compiled code survives from run to
 * run) and a fresh, locked-down {@link Context} per run. Only worker processes create this: user
 * code never runs in the server's JVM.
 */
public final class StrategyRuntime implements AutoCloseable {
    static final String RESOURCE_DIR = "/dev/candlebox/sandbox/python/";

    /** Only methods marked {@code @HostAccess.Export} (on {@link Exchange}) and array reads. */
    static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.CONSTRAINED)
            .allowArrayAccess(true)
            .build();

    /**
     * Truffle's compilation mode: "latency" (the default here) compiles sooner and lighter. Measured
     * side by side with "default" through a worker (sandbox/bench/run.sh, BENCH_WORKER_ARGS): the
     * warm-up ended in 37 s instead of 49 s and a run that interrupted it took 3.6 s instead of 4.5 s;
     * warm runs were the same within the machine's noise. Set with the worker JVM property
     * {@code -Dcandlebox.engine.mode=default|latency|throughput}.
     */
    static final String ENGINE_MODE = System.getProperty("candlebox.engine.mode", "latency");

    private final Engine engine;
    private final SandboxPolicy sandboxPolicy;
    private final Source api;
    private final Source runner;
    /** Where user code is parsed and checked: a context of its own, reused, in which no user code runs. */
    private Context checker;
    private Value check;
    private Value policy;

    private StrategyRuntime(Engine engine, SandboxPolicy policy) {
        this.engine = engine;
        this.sandboxPolicy = policy;
        this.api = prelude("strategy_api.py");
        this.runner = prelude("runner.py");
    }

    public static StrategyRuntime create() {
        Engine engine;
        try {
            engine = engine(true);
        } catch (IllegalArgumentException e) {
            // Without the optimizing compiler (no JVMCI, e.g. a test JVM) Truffle has no engine.Mode option.
            engine = engine(false);
        }
        return new StrategyRuntime(engine, SandboxPolicy.CONSTRAINED);
    }

    /**
     * For the compilation-trace harness only (sandbox/bench/compilation-trace.sh), never for users' code
     * in a worker: the same runtime without the sandbox policy, which refuses Truffle's tracing options,
     * with those options set and the engine's log on stderr.
     */
    public static StrategyRuntime createForTracing(java.util.Map<String, String> engineOptions) {
        Engine engine = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.TRUSTED)
                .allowExperimentalOptions(true)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .logHandler(System.err)
                .option("engine.WarnInterpreterOnly", "false")
                .option("engine.Mode", ENGINE_MODE)
                .options(engineOptions)
                .build();
        return new StrategyRuntime(engine, SandboxPolicy.TRUSTED);
    }

    private static Engine engine(boolean withMode) {
        Engine.Builder b = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false");
        if (withMode) b.option("engine.Mode", ENGINE_MODE);
        return b.build();
    }

    /** The Python source of one prelude file, as shipped in this jar. */
    public static String preludeText(String name) {
        try (InputStream in = StrategyRuntime.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE_DIR + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source prelude(String name) {
        return Source.newBuilder("python", preludeText(name), name).cached(true).buildLiteral();
    }

    /** Sources of recent strategies (and their steps), by text: see {@link #source}. */
    private final java.util.Map<String, Source> sources = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Source> eldest) {
            return size() > 64;
        }
    };

    /**
     * The one {@link Source} object of this text and name in this runtime. Runs of the same code must
     * evaluate the same Source object, not an equal one: only then does GraalPy reuse the code it
     * already parsed and compiled in another context (seen in the compilation trace: a new Source per
     * run gave the strategy's run and step new call targets, compiled anew at tier 1, in every run).
     */
    synchronized Source source(String name, String text) {
        return sources.computeIfAbsent(name + '\u0000' + text,
                k -> Source.newBuilder("python", text, name).cached(true).buildLiteral());
    }

    /** Whether Truffle compiles guest code here (false: the JVM lacks JVMCI / the compiler jars). */
    public boolean optimizing() {
        return !engine.getImplementationName().toLowerCase().contains("interpreted")
                && !"Interpreted".equalsIgnoreCase(engine.getImplementationName());
    }

    public String implementationName() {
        return engine.getImplementationName();
    }

    /** A fresh context with the strategy API loaded, ready for one run. Any thread may prepare one. */
    public PreparedRun prepare() {
        return prepare(false);
    }

    /**
     * @param reusable also fingerprint what runs share (the API, builtins, allowed modules), so that the
     *                 context can be kept for further runs of one job ({@link PreparedRun#reuse()})
     */
    public PreparedRun prepare(boolean reusable) {
        long t0 = System.nanoTime();
        SwitchableOutput out = new SwitchableOutput();
        Context ctx = newContext(out);
        PreparedRun p;
        try {
            ctx.eval(api);
            ctx.eval(runner);
            p = new PreparedRun(this, ctx, out, reusable);
        } catch (RuntimeException e) {
            ctx.close(true);
            throw e;
        }
        if (PreparedRun.TRACE) System.err.printf("candlebox worker: context prepared in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        return p;
    }

    /**
     * Parses and statically checks a strategy's code (allowed imports, names and attributes) without
     * running any of it. Returns the checker's error tuple {@code (False, type, message, line, traceback)},
     * or null when the code may run. Called by the run thread only.
     */
    synchronized Value check(String code) {
        startChecker();
        try {
            Value error = check.execute(code);
            return error.isNull() ? null : error;
        } catch (RuntimeException e) {
            // Whatever broke the checker (it runs no user code, only parses it), the next check gets a new one.
            checker.close(true);
            checker = null;
            throw e;
        }
    }

    /** One node type of the running Python's {@code ast} module and what the static check does with it. */
    public record NodeRule(String name, boolean allowed, String why) { }

    /** The static check's allowlist over every node type of GraalPy's own {@code ast} module. */
    public synchronized java.util.List<NodeRule> nodePolicy() {
        startChecker();
        Value rules = policy.execute();
        java.util.List<NodeRule> out = new java.util.ArrayList<>();
        for (long i = 0; i < rules.getArraySize(); i++) {
            Value r = rules.getArrayElement(i);
            out.add(new NodeRule(r.getArrayElement(0).asString(), r.getArrayElement(1).asBoolean(),
                    r.getArrayElement(2).asString()));
        }
        return out;
    }

    /**
     * Builds the checker context now (it takes a second or more on a cold worker); the worker calls
     * this on a thread of its own at start, so the first run does not wait for it. Idempotent.
     */
    public synchronized void startChecker() {
        if (checker != null) return;
        Context c = newContext(OutputStream.nullOutputStream());
        c.eval(api);
        c.eval(runner);
        Value entry = c.getBindings("python").getMember("__candlebox__");
        check = entry.getArrayElement(0);
        policy = entry.getArrayElement(4);
        checker = c;
    }

    private Context newContext(OutputStream out) {
        return Context.newBuilder("python")
                .engine(engine)
                .sandbox(sandboxPolicy)
                .out(out)
                .err(out)
                .in(InputStream.nullInputStream())
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .build();
    }

    @Override
    public synchronized void close() {
        if (checker != null) checker.close(true);
        engine.close(true);
    }

    /** The context's stdout, pointed at a run's capped buffer once the run starts. */
    static final class SwitchableOutput extends OutputStream {
        private volatile OutputStream target = OutputStream.nullOutputStream();

        void target(OutputStream t) {
            target = t;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }
    }
}
