package dev.candlebox.sandbox.worker;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.ThreadMXBean;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.python.PreparedRun;
import dev.candlebox.sandbox.python.StrategyRuntime;
import dev.candlebox.sandbox.python.Warmup;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker process: one warm GraalPy engine, one run at a time, fed over stdin, answering on stdout.
 * It enforces its run's limits itself (wall time, allocation, heap, output, fills) and halts when a
 * run cannot be stopped; the pool watches it from outside as well.
 */
public final class WorkerMain {
    /** Exit status when a run could not be stopped and the worker halted itself. */
    static final int EXIT_RUN_UNSTOPPABLE = 70;
    /** Stack of the thread that runs strategies: bounds the depth of recursion (see serve()). */
    static final long RUN_STACK_BYTES = 64L << 20;

    /** Limits of the worker's own warm-up runs (generous: they only guard against a bug of ours). */
    private static final Wire.WorkerLimits WARMUP_LIMITS = new Wire.WorkerLimits(Duration.ofMinutes(5), 64L << 30,
            0.85, 1 << 20, 100_000, Duration.ofSeconds(2), 1000);

    private final DataOutputStream out;
    private final StrategyRuntime runtime;
    private final long warmupKlines;
    /** How long the context of a job's last run is kept while no run comes (0: contexts are never kept). */
    private final long jobContextIdleNanos;
    /** The context of the last job's last run, kept for that job's next run (run thread only). */
    private Kept kept;

    private record Kept(String jobKey, PreparedRun run, long sinceNanos) { }
    private final LinkedBlockingQueue<Wire.RunMessage> runs = new LinkedBlockingQueue<>();
    /**
     * Contexts prepared ahead on another thread, so that no run waits for one. Two: the warm-up takes
     * one only when both are ready, so a user's run that interrupts it still finds one.
     */
    private final ArrayBlockingQueue<PreparedRun> spare = new ArrayBlockingQueue<>(2);
    private volatile Active active;
    private volatile boolean heapPressure;
    /** Collections the JVM had made when the current run began. */
    private volatile long gcCountAtStart;

    /** The run being executed, as the watchdog sees it (runId -1: the worker's own warm-up run). */
    private record Active(long runId, Thread thread, PreparedRun run, Wire.WorkerLimits limits, long startNanos,
                          long startAllocated, long[] stoppedAt) {
        boolean warmup() {
            return runId < 0;
        }
    }

    private WorkerMain(DataOutputStream out, StrategyRuntime runtime, long warmupKlines, long jobContextIdleMillis) {
        this.out = out;
        this.runtime = runtime;
        this.warmupKlines = warmupKlines;
        this.jobContextIdleNanos = TimeUnit.MILLISECONDS.toNanos(jobContextIdleMillis);
    }

    /** args: [warm-up klines (default 0: no warm-up)] [job context idle ms (default 0: no reuse)]. */
    public static void main(String[] args) throws Exception {
        // The protocol owns the real stdout; anything else printed goes to stderr.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        if (dev.candlebox.sandbox.python.PreparedRun.STATIC_CHECK_OFF) {
            System.err.println("candlebox worker: WARNING: the static check of strategy code is OFF (test harness only)");
        }
        StrategyRuntime runtime = StrategyRuntime.create();
        WorkerMain worker = new WorkerMain(out, runtime, args.length > 0 ? Long.parseLong(args[0]) : 0,
                args.length > 1 ? Long.parseLong(args[1]) : 0);
        worker.serve(in);
    }

    private void serve(DataInputStream in) throws Exception {
        // The checker context is built beside the first run context (two cores), not at the first check.
        Thread.ofPlatform().name("sandbox-checker-start").daemon(true).start(() -> {
            try {
                runtime.startChecker();
            } catch (RuntimeException e) {
                System.err.println("candlebox worker: the checker context failed to start: " + e);
            }
        });
        // Not fingerprinted: the worker's very first context is slow enough (a run of a job fingerprints it then).
        spare.add(runtime.prepare(false));
        synchronized (out) {
            out.writeByte(Wire.READY);
            out.writeBoolean(runtime.optimizing());
            Wire.writeString(out, runtime.implementationName());
            out.flush();
        }
        watchHeap();
        // GraalPy stops recursion when the Java stack overflows (it does not count against
        // sys.getrecursionlimit()): 64 MiB allows about 14,000 Python frames and ends runaway recursion
        // with a RecursionError in about a second; 256 MiB took minutes and sometimes filled the heap.
        Thread runner = Thread.ofPlatform().name("sandbox-run").stackSize(RUN_STACK_BYTES).daemon(true)
                .start(this::runLoop);
        Thread.ofPlatform().name("sandbox-prepare").daemon(true).start(this::prepareLoop);
        Thread.ofPlatform().name("sandbox-watchdog").daemon(true).start(this::watchdog);
        try {
            while (true) {
                byte type = in.readByte();
                switch (type) {
                    case Wire.RUN -> {
                        runs.add(Wire.readRun(in));
                        // A user's run never waits for a warm-up run: stop it (its context closes in ms).
                        Active a = active;
                        if (a != null && a.warmup()) a.run().cancel();
                    }
                    case Wire.CANCEL -> {
                        long id = in.readLong();
                        Active a = active;
                        if (a != null && a.runId() == id) {
                            a.run().cancel();
                            a.stoppedAt()[0] = System.nanoTime();
                        }
                    }
                    case Wire.SHUTDOWN -> {
                        Runtime.getRuntime().halt(0);
                    }
                    default -> throw new IOException("unknown message " + type);
                }
            }
        } catch (EOFException e) {
            // The pool went away: so do we.
            Runtime.getRuntime().halt(0);
        }
        runner.join();
    }

    private void runLoop() {
        long warmupLeft = warmupKlines;
        int warmupRuns = 0;
        int warmupFailures = 0;
        while (true) {
            Wire.RunMessage msg;
            try {
                if (warmupLeft > 0) {
                    msg = runs.poll(spare.remainingCapacity() == 0 ? 0 : 100, TimeUnit.MILLISECONDS);
                    if (msg == null && spare.remainingCapacity() > 0) continue;
                } else if (kept != null) {
                    msg = runs.poll(100, TimeUnit.MILLISECONDS);
                } else {
                    msg = runs.take();
                }
            } catch (InterruptedException e) {
                return;
            }
            if (kept != null && (msg == null && System.nanoTime() - kept.sinceNanos() > jobContextIdleNanos
                    || msg != null && !kept.jobKey().equals(msg.jobKey()))) {
                // Idle too long, or another job's run: the kept context goes (at most one per worker).
                kept.run().discard();
                kept = null;
            }
            if (msg == null && warmupLeft <= 0) continue;
            if (msg == null) {
                // Idle, not warm yet, two contexts ready: one more warm-up run in one of them (the
                // other stays ready for a user), given up as soon as a user's run arrives.
                PreparedRun w = nextContextOrNull();
                RunOutcome o = w == null
                        ? new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR, "no context could be prepared"), "")
                        : warmup(w, warmupRuns);
                if (o instanceof RunOutcome.Succeeded) {
                    warmupRuns++;
                    warmupLeft -= Warmup.KLINES_PER_RUN;
                } else if (o instanceof RunOutcome.Failed f && ++warmupFailures >= 3) {
                    System.err.println("candlebox worker: warm-up given up after 3 failed runs: " + f.error().message());
                    warmupLeft = 0;
                }
                if (warmupLeft <= 0) event(() -> out.writeByte(Wire.WARMED));
                continue;
            }
            long id = msg.runId();
            long waitStart = System.nanoTime();
            RunHandle.Context use = RunHandle.Context.FRESH;
            String discardedBecause = null;
            PreparedRun run = null;
            if (kept != null) {
                // The same job's kept context: used again only if nothing shared was changed.
                PreparedRun k = kept.run();
                kept = null;
                begin(id, k, msg.limits()); // the check counts against the run's limits
                discardedBecause = k.reuse();
                active = null;
                if (discardedBecause == null) {
                    run = k;
                    use = RunHandle.Context.REUSED;
                } else {
                    use = RunHandle.Context.DISCARDED;
                }
            }
            if (run == null) run = nextContextOrNull();
            if (PreparedRun.TRACE) {
                System.err.printf("candlebox worker: run %d waited %.1f ms for its context (%s%s)%n", id,
                        (System.nanoTime() - waitStart) / 1e6, use.name().toLowerCase(java.util.Locale.ROOT),
                        discardedBecause == null ? "" : ": " + discardedBecause);
            }
            if (run == null) {
                send(id, new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR,
                        "the worker could not prepare a Python context; see the server log"), ""));
                continue;
            }
            begin(id, run, msg.limits());
            RunHandle.Context used = use;
            String because = discardedBecause;
            event(() -> {
                out.writeByte(Wire.CONTEXT);
                out.writeLong(id);
                out.writeByte(used.ordinal());
                Wire.writeString(out, because);
                out.writeByte(Wire.STARTED);
                out.writeLong(id);
            });
            boolean keep = reuse() && msg.jobKey() != null;
            RunOutcome outcome;
            try {
                outcome = run.run(msg.request(), new Events(id), msg.limits().maxOutputBytes(), msg.limits().maxFills(),
                        msg.limits().maxOpenOrders(), keep);
                if (keep && run.kept()) kept = new Kept(msg.jobKey(), run, System.nanoTime());
            } catch (RuntimeException | StackOverflowError e) {
                outcome = new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR, "the engine failed: " + e), "");
            } catch (OutOfMemoryError e) {
                outcome = new RunOutcome.Failed(RunError.of(RunError.MEMORY_LIMIT, "the run ran out of memory"), "");
            }
            active = null;
            if (outcome instanceof RunOutcome.Failed f && RunError.MEMORY_LIMIT.equals(f.error().type())) {
                // The run's garbage is unreachable now (its context is closed) but may sit in the old generation
                // until a full collection: collect it before the next run, whose heap watchdog would otherwise read
                // this run's memory as its own (seen: a `while True: pass` run failing with memory_limit right after
                // a heap-filling run in the same worker).
                System.gc();
            }
            send(id, outcome);
        }
    }

    /** Whether contexts are kept for the next run of their job. */
    private boolean reuse() {
        return jobContextIdleNanos > 0;
    }

    /** Keeps up to two fresh contexts ready: while a run goes, the next one's context is built beside it. */
    private void prepareLoop() {
        while (true) {
            try {
                spare.put(runtime.prepare(reuse()));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("candlebox worker: preparing a context failed: " + e);
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The prepared context, or one made here if the preparer cannot deliver; null if none can be made. */
    private PreparedRun nextContextOrNull() {
        try {
            PreparedRun p = spare.poll(60, TimeUnit.SECONDS);
            return p != null ? p : runtime.prepare(reuse());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            System.err.println("candlebox worker: preparing a context failed: " + e);
            return null;
        }
    }

    /** Makes the run the one the watchdog and the reader see, its clock and allocation counted from now. */
    private void begin(long runId, PreparedRun run, Wire.WorkerLimits limits) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        heapPressure = false;
        gcCountAtStart = gcCount();
        active = new Active(runId, Thread.currentThread(), run, limits, System.nanoTime(),
                threads.getCurrentThreadAllocatedBytes(), new long[]{0});
    }

    /** One warm-up run; cancelled at once if a user's run is (or becomes) waiting. */
    private RunOutcome warmup(PreparedRun run, int index) {
        begin(-1, run, WARMUP_LIMITS);
        // The reader cancels warm-ups it sees in `active`; a run queued just before that is seen here.
        if (!runs.isEmpty()) run.cancel();
        try {
            return run.run(Warmup.request(index), RunListener.NONE, WARMUP_LIMITS.maxOutputBytes(),
                    WARMUP_LIMITS.maxFills());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return new RunOutcome.Failed(RunError.of(RunError.RUNTIME_ERROR, "the warm-up failed: " + e), "");
        } finally {
            active = null;
        }
    }

    private void send(long id, RunOutcome outcome) {
        try {
            synchronized (out) {
                switch (outcome) {
                    case RunOutcome.Succeeded s -> {
                        out.writeByte(Wire.SUCCEEDED);
                        out.writeLong(id);
                        Wire.writeResultBody(out, s.result());
                        Wire.writeString(out, s.logs());
                    }
                    case RunOutcome.Failed f -> {
                        out.writeByte(Wire.FAILED);
                        out.writeLong(id);
                        Wire.writeError(out, f.error());
                        Wire.writeString(out, f.logs());
                    }
                    case RunOutcome.Cancelled c -> {
                        out.writeByte(Wire.CANCELLED);
                        out.writeLong(id);
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            Runtime.getRuntime().halt(0);
        }
    }

    /** Events to the pool as they happen. */
    private final class Events implements RunListener {
        private final long id;

        Events(long id) {
            this.id = id;
        }

        @Override
        public void onProgress(double fraction) {
            event(() -> {
                out.writeByte(Wire.PROGRESS);
                out.writeLong(id);
                out.writeDouble(fraction);
            });
        }

        @Override
        public void onFill(Fill fill) {
            event(() -> {
                out.writeByte(Wire.FILL);
                out.writeLong(id);
                Wire.writeFillBody(out, fill);
            });
        }

        @Override
        public void onLog(String text) {
            event(() -> {
                out.writeByte(Wire.LOG);
                out.writeLong(id);
                Wire.writeString(out, text);
            });
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void event(Write w) {
        try {
            synchronized (out) {
                w.run();
                out.flush();
            }
        } catch (IOException e) {
            Runtime.getRuntime().halt(0);
        }
    }

    /** After each collection: if the heap stays nearly full, the run is using too much memory. */
    private void watchHeap() {
        long max = Runtime.getRuntime().maxMemory();
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, hb) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                Active a = active;
                if (a == null) return;
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                // Heap pools only: the map also holds Metaspace and the code cache, which grow with
                // compiled code (a warm worker) and are not the run's memory.
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
                }
                if (used > a.limits().maxHeapFraction() * max) {
                    heapPressure = true;
                }
            }, null, null);
        }
    }

    private void watchdog() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The heap after the last collection of each heap pool, read here too: under a collector that
        // thrashes, GC notifications can arrive seconds late (seen: a list growing to the limit stopped by
        // the wall time first).
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long maxHeap = Runtime.getRuntime().maxMemory();
        java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long fullSince = 0;
        long gcsAtFullSince = 0;
        Active watched = null;
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            Active a = active;
            if (a == null) continue;
            long now = System.nanoTime();
            if (a != watched) {
                watched = a;
                fullSince = 0;
            }
            Wire.WorkerLimits l = a.limits();
            if (now - a.startNanos() > l.wallTime().toNanos()) {
                stop(a, RunError.of(RunError.TIME_LIMIT, "the run took longer than the time limit of "
                        + seconds(l.wallTime().toMillis()) + " s"), now);
            }
            long allocated = threads.getThreadAllocatedBytes(a.thread().threadId()) - a.startAllocated();
            if (allocated > l.maxAllocatedBytes()) {
                stop(a, RunError.of(RunError.MEMORY_LIMIT, "the run allocated more than "
                        + (l.maxAllocatedBytes() >> 20) + " MiB"), now);
            }
            if (!heapPressure) {
                long afterGc = 0;
                for (MemoryPoolMXBean p : heapPools) {
                    java.lang.management.MemoryUsage u = p.getCollectionUsage();
                    if (u != null) afterGc += u.getUsed();
                }
                if (afterGc > l.maxHeapFraction() * maxHeap && gcSinceRunStart(a)) heapPressure = true;
                // A heap that stays above the fraction for 300 ms across a collection: the collector cannot
                // free it (a garbage-making run drops below at its next young collection, milliseconds later).
                if (memory.getHeapMemoryUsage().getUsed() > l.maxHeapFraction() * maxHeap) {
                    if (fullSince == 0) {
                        fullSince = now;
                        gcsAtFullSince = gcCount();
                    } else if (now - fullSince > 300_000_000L && gcCount() > gcsAtFullSince) {
                        heapPressure = true;
                    }
                } else {
                    fullSince = 0;
                }
            }
            if (heapPressure) {
                stop(a, RunError.of(RunError.MEMORY_LIMIT, "the run used more than "
                        + Math.round(l.maxHeapFraction() * 100) + " % of the worker's memory ("
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)"), now);
            }
            if (a.run().stopReason() != null && a.stoppedAt()[0] == 0) a.stoppedAt()[0] = now;
            long stoppedAt = a.stoppedAt()[0];
            if (stoppedAt != 0 && now - stoppedAt > l.killGrace().toNanos() && active == a) {
                // The guest ignores cancellation (a long builtin call): only the process can go.
                RunError why = a.run().stopReason();
                if (a.warmup()) Runtime.getRuntime().halt(EXIT_RUN_UNSTOPPABLE);
                try {
                    synchronized (out) {
                        out.writeByte(Wire.DYING);
                        out.writeLong(a.runId());
                        Wire.writeError(out, why == null
                                ? RunError.of("cancelled", "the run was cancelled") : why);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // Halting anyway.
                }
                Runtime.getRuntime().halt(EXIT_RUN_UNSTOPPABLE);
            }
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
        return n;
    }

    /** Whether the heap figures after the last collection belong to this run (a collection happened since it began). */
    private boolean gcSinceRunStart(Active a) {
        return active == a && gcCount() > gcCountAtStart;
    }

    private static void stop(Active a, RunError why, long now) {
        if (a.stoppedAt()[0] == 0) a.stoppedAt()[0] = now;
        a.run().stop(why);
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }
}
