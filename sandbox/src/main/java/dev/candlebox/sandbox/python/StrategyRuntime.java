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
    private final Source api;
    private final Source runner;
    /** Where user code is parsed and checked: a context of its own, reused, in which no user code runs. */
    private Context checker;
    private Value check;

    private StrategyRuntime(Engine engine) {
        this.engine = engine;
        this.api = prelude("strategy_api.py");
        this.runner = prelude("runner.py");
    }

    public static StrategyRuntime create() {
        Engine engine = Engine.newBuilder("python")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .option("engine.Mode", ENGINE_MODE)
                .build();
        return new StrategyRuntime(engine);
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
        long t0 = System.nanoTime();
        SwitchableOutput out = new SwitchableOutput();
        Context ctx = newContext(out);
        try {
            ctx.eval(api);
            ctx.eval(runner);
        } catch (RuntimeException e) {
            ctx.close(true);
            throw e;
        }
        PreparedRun p = new PreparedRun(this, ctx, out);
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

    /**
     * Builds the checker context now (it takes a second or more on a cold worker); the worker calls
     * this on a thread of its own at start, so the first run does not wait for it. Idempotent.
     */
    public synchronized void startChecker() {
        if (checker != null) return;
        Context c = newContext(OutputStream.nullOutputStream());
        c.eval(api);
        c.eval(runner);
        check = c.getBindings("python").getMember("__candlebox__").getArrayElement(0);
        checker = c;
    }

    private Context newContext(OutputStream out) {
        return Context.newBuilder("python")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
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
