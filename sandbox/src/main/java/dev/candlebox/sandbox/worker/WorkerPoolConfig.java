package dev.candlebox.sandbox.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How the pool starts its worker JVMs and what each run may use. Every field is meant to be mapped
 * from the server's configuration; see docs/sandbox.md.
 *
 * @param poolSize     number of worker processes (default: available processors)
 * @param javaCommand  the java executable for workers (default: the running JVM's own)
 * @param classpath    classpath of the worker JVM (must hold this module and GraalPy)
 * @param jvmciDir     directory with the Truffle compiler jars (compiler, truffle-compiler, word,
 *                     collections); null or missing: workers run interpreted (slow) and the pool
 *                     logs one warning
 * @param workerXmx    heap of each worker, as for {@code -Xmx} (for example "1g")
 * @param limits       per-run limits
 * @param warmupKlines synthetic klines each worker runs through its own warm-up strategy while it has
 *                     nothing else to do (default {@value #DEFAULT_WARMUP_KLINES}; 0: none), so that
 *                     the strategy API is compiled before users' runs need it. A user's run that
 *                     arrives cancels the warm-up run at once.
 * @param jobContextIdle how long a worker keeps the Python context of a job's last run for the job's next run
 *                     (runs submitted with the same job key: same client, same code) while no run comes
 *                     (default {@link #DEFAULT_JOB_CONTEXT_IDLE}; zero: never kept, every run gets a new context).
 *                     At most one kept context per worker; see "Job reuse" in docs/sandbox.md.
 */
public record WorkerPoolConfig(
        int poolSize,
        String javaCommand,
        String classpath,
        Path jvmciDir,
        String workerXmx,
        Limits limits,
        List<String> extraJvmArgs,
        long warmupKlines,
        Duration jobContextIdle) {

    public static final String DEFAULT_XMX = "1g";
    public static final long DEFAULT_WARMUP_KLINES = 400_000;
    public static final Duration DEFAULT_JOB_CONTEXT_IDLE = Duration.ofSeconds(60);

    /**
     * Per-run limits.
     *
     * @param wallTime            wall-clock time of one run (default 60 s); on expiry the run is
     *                            interrupted, its context closed, and if that does not stop it within
     *                            {@code killGrace} the worker process is killed and replaced
     * @param maxAllocatedBytes   bytes the run thread may allocate in total (a watchdog polls it);
     *                            default 64 GiB: it catches runaway allocation, not normal churn
     * @param maxHeapFraction     fraction of the worker's max heap that may stay in use after a
     *                            collection before the run fails with memory_limit (default 0.85)
     * @param maxOutputBytes      bytes the strategy may print (default 1 MiB); more fails the run
     *                            with output_limit
     * @param maxFills            fills per run (default 100 000); more fails the run with fill_limit
     * @param maxCodeBytes        size of the strategy source (default 256 KiB)
     * @param killGrace           how long a worker gets to stop a run before it is killed (default 2 s)
     * @param maxOpenOrders       resting orders a run may have open at once, and immediate orders queued for
     *                            the next open (default 1000); beyond it {@code order()} returns None
     */
    public record Limits(
            Duration wallTime,
            long maxAllocatedBytes,
            double maxHeapFraction,
            long maxOutputBytes,
            int maxFills,
            int maxCodeBytes,
            Duration killGrace,
            int maxOpenOrders) {

        public Limits {
            Objects.requireNonNull(wallTime, "wallTime");
            Objects.requireNonNull(killGrace, "killGrace");
            if (wallTime.isNegative() || wallTime.isZero()) throw new IllegalArgumentException("wallTime must be > 0");
            if (maxAllocatedBytes <= 0 || maxOutputBytes < 0 || maxFills < 0 || maxCodeBytes <= 0 || maxOpenOrders < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (!(maxHeapFraction > 0 && maxHeapFraction <= 1)) throw new IllegalArgumentException("maxHeapFraction must be in (0, 1]");
        }

        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(60), 64L << 30, 0.85, 1L << 20, 100_000, 256 << 10,
                    Duration.ofSeconds(2), 1000);
        }

        public Limits withWallTime(Duration d) {
            return new Limits(d, maxAllocatedBytes, maxHeapFraction, maxOutputBytes, maxFills, maxCodeBytes, killGrace, maxOpenOrders);
        }

        public Limits withMaxAllocatedBytes(long b) {
            return new Limits(wallTime, b, maxHeapFraction, maxOutputBytes, maxFills, maxCodeBytes, killGrace, maxOpenOrders);
        }

        public Limits withMaxHeapFraction(double f) {
            return new Limits(wallTime, maxAllocatedBytes, f, maxOutputBytes, maxFills, maxCodeBytes, killGrace, maxOpenOrders);
        }

        public Limits withMaxOutputBytes(long b) {
            return new Limits(wallTime, maxAllocatedBytes, maxHeapFraction, b, maxFills, maxCodeBytes, killGrace, maxOpenOrders);
        }

        public Limits withMaxFills(int n) {
            return new Limits(wallTime, maxAllocatedBytes, maxHeapFraction, maxOutputBytes, n, maxCodeBytes, killGrace, maxOpenOrders);
        }

        public Limits withMaxCodeBytes(int n) {
            return new Limits(wallTime, maxAllocatedBytes, maxHeapFraction, maxOutputBytes, maxFills, n, killGrace, maxOpenOrders);
        }

        public Limits withMaxOpenOrders(int n) {
            return new Limits(wallTime, maxAllocatedBytes, maxHeapFraction, maxOutputBytes, maxFills, maxCodeBytes, killGrace, n);
        }

        public Limits withKillGrace(Duration d) {
            return new Limits(wallTime, maxAllocatedBytes, maxHeapFraction, maxOutputBytes, maxFills, maxCodeBytes, d, maxOpenOrders);
        }
    }

    public WorkerPoolConfig {
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be >= 1");
        if (warmupKlines < 0) throw new IllegalArgumentException("warmupKlines must be >= 0");
        Objects.requireNonNull(javaCommand, "javaCommand");
        Objects.requireNonNull(classpath, "classpath");
        workerXmx = workerXmx == null ? DEFAULT_XMX : workerXmx;
        limits = limits == null ? Limits.defaults() : limits;
        extraJvmArgs = extraJvmArgs == null ? List.of() : List.copyOf(extraJvmArgs);
        jobContextIdle = jobContextIdle == null ? DEFAULT_JOB_CONTEXT_IDLE : jobContextIdle;
        if (jobContextIdle.isNegative()) throw new IllegalArgumentException("jobContextIdle must be >= 0");
    }

    /** The server's layout: {@code candlebox.jar} with {@code lib/*.jar} and {@code jvmci/} beside it. */
    public static WorkerPoolConfig forJar(Path candleboxJar) {
        Path jar = candleboxJar.toAbsolutePath().normalize();
        Path dir = jar.getParent();
        List<String> cp = new ArrayList<>();
        cp.add(jar.toString());
        Path lib = dir.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                        .forEach(p -> cp.add(p.toString()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + lib, e);
            }
        }
        return forClasspath(String.join(File.pathSeparator, cp), dir.resolve("jvmci"));
    }

    /** Workers on the given classpath (tests: the test JVM's {@code java.class.path}). */
    public static WorkerPoolConfig forClasspath(String classpath, Path jvmciDir) {
        return new WorkerPoolConfig(defaultPoolSize(), currentJava(), classpath, jvmciDir, DEFAULT_XMX,
                Limits.defaults(), List.of(), DEFAULT_WARMUP_KLINES, DEFAULT_JOB_CONTEXT_IDLE);
    }

    /**
     * One worker per core but one, at least one: the server, the database and Truffle's compiler threads
     * need a core. Measured with bench/first-minutes.sh on the 2-core machine (a fresh serve, PostgreSQL,
     * the main series run after run through the API): two workers gave the first result 67 s after the
     * server answered and runs of 7-23 s for two minutes; one worker 28 s and 1.5-2.7 s after the first
     * minute (both with the default warm-up).
     */
    public static int defaultPoolSize() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** The java executable of the running JVM, so workers use the same JDK as the server. */
    public static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public WorkerPoolConfig withPoolSize(int n) {
        return new WorkerPoolConfig(n, javaCommand, classpath, jvmciDir, workerXmx, limits, extraJvmArgs, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withWorkerXmx(String xmx) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, jvmciDir, xmx, limits, extraJvmArgs, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withLimits(Limits l) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, jvmciDir, workerXmx, l, extraJvmArgs, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withJvmciDir(Path dir) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, dir, workerXmx, limits, extraJvmArgs, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withJavaCommand(String java) {
        return new WorkerPoolConfig(poolSize, java, classpath, jvmciDir, workerXmx, limits, extraJvmArgs, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withExtraJvmArgs(List<String> args) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, jvmciDir, workerXmx, limits, args, warmupKlines, jobContextIdle);
    }

    public WorkerPoolConfig withWarmupKlines(long n) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, jvmciDir, workerXmx, limits, extraJvmArgs, n, jobContextIdle);
    }

    public WorkerPoolConfig withJobContextIdle(Duration idle) {
        return new WorkerPoolConfig(poolSize, javaCommand, classpath, jvmciDir, workerXmx, limits, extraJvmArgs, warmupKlines, idle);
    }
}
