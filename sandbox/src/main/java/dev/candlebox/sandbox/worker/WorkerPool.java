package dev.candlebox.sandbox.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker processes that run strategies, one run per worker at a time, so that user code never runs
 * in the caller's JVM. A worker that dies (killed at a limit, out of memory, crashed) fails only its
 * own run and is replaced; queued runs wait for the next free worker.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    static final List<String> JVMCI_JARS = List.of("compiler", "truffle-compiler", "word", "collections");
    /** -XX:+ExitOnOutOfMemoryError makes the JVM exit with this status. */
    private static final int EXIT_OUT_OF_MEMORY = 3;
    private static final long READY_TIMEOUT_MS = 120_000;

    private final WorkerPoolConfig config;
    private final RunQueue queue = new RunQueue();
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong runIds = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean warnedInterpreted = new AtomicBoolean();
    private volatile List<String> jvmciArgs;
    private volatile boolean optimizing;
    private volatile boolean closed;

    private WorkerPool(WorkerPoolConfig config) {
        this.config = config;
        this.jvmciArgs = jvmciArgs(config.jvmciDir());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-pool-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the pool; workers warm up in the background, runs submitted meanwhile wait for them. */
    public static WorkerPool start(WorkerPoolConfig config) {
        WorkerPool pool = new WorkerPool(config);
        for (int i = 0; i < config.poolSize(); i++) {
            Slot s = pool.new Slot(i);
            pool.slots.add(s);
            s.thread.start();
        }
        return pool;
    }

    private List<String> jvmciArgs(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            warnInterpreted("no JVMCI compiler directory" + (dir == null ? "" : " at " + dir));
            return null;
        }
        List<String> jars = new ArrayList<>();
        for (String name : JVMCI_JARS) {
            Path jar;
            try (var files = Files.list(dir)) {
                jar = files.filter(p -> p.getFileName().toString().matches(name + "-\\d.*\\.jar")).findFirst().orElse(null);
            } catch (IOException e) {
                jar = null;
            }
            if (jar == null) {
                warnInterpreted("the JVMCI directory " + dir + " has no " + name + "-*.jar");
                return null;
            }
            jars.add(jar.toAbsolutePath().toString());
        }
        return List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + String.join(File.pathSeparator, jars));
    }

    private void warnInterpreted(String why) {
        if (warnedInterpreted.compareAndSet(false, true)) {
            LOG.warn("Strategy workers run GraalPy INTERPRETED ({}): backtests will be 10-20x slower. "
                    + "Put compiler, truffle-compiler, word and collections jars (GraalVM {}) in the jvmci/ "
                    + "directory beside candlebox.jar.", why, "25.0.3");
        }
    }

    /** Queues a run. The listener is called from a pool thread while the run goes. */
    public RunHandle submit(BacktestRequest request, RunListener listener) {
        return submit(request, listener, null);
    }

    /**
     * Queues a run of a job: runs with the same job key (the caller makes it from the client and the code,
     * e.g. a SHA-256 of both) may run in one Python context, one after another, on the worker that kept it
     * (see "Job reuse" in docs/sandbox.md). Runs of different keys never share a context. Null: no job.
     */
    public RunHandle submit(BacktestRequest request, RunListener listener, String jobKey) {
        Job job = new Job(request, listener == null ? RunListener.NONE : listener, jobKey);
        int codeBytes = request.code().getBytes(StandardCharsets.UTF_8).length;
        if (codeBytes > config.limits().maxCodeBytes()) {
            job.complete(new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST, "the strategy code is "
                    + codeBytes + " bytes; the limit is " + config.limits().maxCodeBytes()), ""));
            return job;
        }
        if (request.klines().size() == 0) {
            job.complete(new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST, "no klines to run on"), ""));
            return job;
        }
        try {
            new ObjectMapper().writeValueAsString(request.strategyParams());
        } catch (JsonProcessingException e) {
            job.complete(new RunOutcome.Failed(RunError.of(RunError.INVALID_REQUEST,
                    "strategyParams must be JSON values: " + e.getOriginalMessage()), ""));
            return job;
        }
        if (closed) {
            job.complete(new RunOutcome.Failed(RunError.of(RunError.WORKER_CRASHED, "the worker pool is closed"), ""));
            return job;
        }
        queue.add(job);
        return job;
    }

    public PoolState state() {
        int alive = 0;
        int busy = 0;
        int warm = 0;
        for (Slot s : slots) {
            if (s.ready) alive++;
            if (s.ready && s.warm) warm++;
            if (s.current != null) busy++;
        }
        return new PoolState(config.poolSize(), alive, busy, queue.size(), restarts.get(), optimizing, warm);
    }

    public WorkerPoolConfig config() {
        return config;
    }

    @Override
    public void close() {
        closed = true;
        Job j;
        while ((j = queue.poll()) != null) j.complete(new RunOutcome.Cancelled());
        for (Slot s : slots) s.shutdown();
        timer.shutdownNow();
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.javaCommand());
        cmd.add("-Xmx" + config.workerXmx());
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        List<String> j = jvmciArgs;
        if (j != null) cmd.addAll(j);
        cmd.addAll(config.extraJvmArgs());
        cmd.add("-cp");
        cmd.add(config.classpath());
        cmd.add(WorkerMain.class.getName());
        cmd.add(Long.toString(config.warmupKlines()));
        cmd.add(Long.toString(config.jobContextIdle().toMillis()));
        return cmd;
    }

    /**
     * Runs waiting for a worker, first come first served, except that a run whose job's context an idle
     * worker keeps is left for that worker (which takes it at once).
     */
    private final class RunQueue {
        private final ArrayDeque<Job> jobs = new ArrayDeque<>();

        synchronized void add(Job j) {
            jobs.add(j);
            notifyAll();
        }

        synchronized boolean remove(Job j) {
            return jobs.remove(j);
        }

        synchronized Job poll() {
            return jobs.poll();
        }

        synchronized int size() {
            return jobs.size();
        }

        /** The next run for this slot, waiting up to timeoutMs (negative: no limit); null on timeout. */
        synchronized Job take(Slot s, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
            s.waiting = true;
            try {
                while (true) {
                    Job j = pick(s);
                    if (j != null) {
                        jobs.remove(j);
                        // Someone else may now find a run of theirs at the head.
                        notifyAll();
                        return j;
                    }
                    if (timeoutMs < 0) {
                        wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) return null;
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                }
            } finally {
                s.waiting = false;
            }
        }

        /** The first run not kept for another idle worker (that worker has its job's context). */
        private Job pick(Slot s) {
            for (Job j : jobs) {
                if (j.jobKey == null || j.jobKey.equals(s.keptJob) || !keptByAnotherIdle(j.jobKey, s)) return j;
            }
            return null;
        }

        private boolean keptByAnotherIdle(String jobKey, Slot s) {
            for (Slot o : slots) {
                if (o != s && o.waiting && o.ready && jobKey.equals(o.keptJob)) return true;
            }
            return false;
        }
    }

    /** A submitted run. */
    private final class Job implements RunHandle {
        final BacktestRequest request;
        final RunListener listener;
        final String jobKey;
        final CompletableFuture<RunOutcome> future = new CompletableFuture<>();
        volatile Slot slot;
        volatile long runId;
        volatile boolean cancelRequested;
        volatile RunHandle.Context context;
        volatile String discardedBecause;

        Job(BacktestRequest request, RunListener listener, String jobKey) {
            this.request = request;
            this.listener = listener;
            this.jobKey = jobKey;
        }

        @Override
        public RunHandle.Context context() {
            return context;
        }

        @Override
        public String contextDiscardedBecause() {
            return discardedBecause;
        }

        void complete(RunOutcome outcome) {
            future.complete(outcome);
        }

        @Override
        public void cancel() {
            cancelRequested = true;
            if (queue.remove(this)) {
                complete(new RunOutcome.Cancelled());
                return;
            }
            Slot s = slot;
            if (s != null && !future.isDone()) s.cancel(this);
        }

        @Override
        public CompletableFuture<RunOutcome> outcome() {
            return future;
        }
    }

    /** One worker process and the thread that feeds it. */
    private final class Slot {
        final int index;
        final Thread thread;
        volatile Process process;
        volatile DataOutputStream toWorker;
        volatile DataInputStream fromWorker;
        volatile boolean ready;
        /** The worker has finished its warm-up (or has none to do). */
        volatile boolean warm;
        volatile Job current;
        volatile RunError killReason;
        /** The job whose context the worker kept after its last run (as far as the pool knows), or null. */
        volatile String keptJob;
        /** Waiting in the queue for a run (guarded by the queue). */
        boolean waiting;

        Slot(int index) {
            this.index = index;
            this.thread = Thread.ofPlatform().name("worker-slot-" + index).daemon(true).unstarted(this::loop);
        }

        private void loop() {
            while (!closed) {
                try {
                    if (!ready) startWorker();
                    Job job = ready && !warm ? takeWhileWarming() : queue.take(this, -1);
                    if (job == null || job.future.isDone()) continue;
                    if (ready) forgetIfDead(); // died while idle (killed from outside): a new worker takes this run
                    if (!ready) startWorker();
                    if (!ready) {
                        job.complete(new RunOutcome.Failed(RunError.of(RunError.WORKER_CRASHED,
                                "no worker process could be started; see the server log"), ""));
                        continue;
                    }
                    execute(job);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("worker slot {} failed", index, e);
                }
            }
        }

        private void startWorker() throws InterruptedException {
            for (int attempt = 0; attempt < 3 && !closed; attempt++) {
                boolean withJvmci = jvmciArgs != null;
                long t0 = System.nanoTime();
                try {
                    ProcessBuilder pb = new ProcessBuilder(command());
                    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                    Process p = pb.start();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(p.getInputStream(), 1 << 16));
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(p.getOutputStream(), 1 << 16));
                    process = p;
                    ScheduledFuture<?> guard = timer.schedule(p::destroyForcibly, READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    byte type = in.readByte();
                    guard.cancel(false);
                    if (type != Wire.READY) throw new IOException("unexpected first message " + type);
                    boolean opt = in.readBoolean();
                    String impl = Wire.readString(in);
                    toWorker = out;
                    fromWorker = in;
                    optimizing = opt;
                    warm = config.warmupKlines() == 0;
                    keptJob = null;
                    if (!opt) warnInterpreted("the worker's Truffle runtime is '" + impl + "'");
                    LOG.debug("worker {} ready in {} ms ({})", index, (System.nanoTime() - t0) / 1_000_000, impl);
                    ready = true;
                    return;
                } catch (IOException e) {
                    Process p = process;
                    if (p != null) p.destroyForcibly();
                    process = null;
                    if (withJvmci) {
                        // A JVM that cannot start with the compiler jars still runs interpreted.
                        jvmciArgs = null;
                        warnInterpreted("a worker failed to start with the JVMCI flags: " + e.getMessage());
                    } else {
                        LOG.error("worker {} failed to start: {}", index, e.toString());
                        Thread.sleep(1000L * (attempt + 1));
                    }
                }
            }
        }

        private void execute(Job job) throws InterruptedException {
            long runId = runIds.incrementAndGet();
            job.runId = runId;
            keptJob = null;
            killReason = null;
            current = job;
            job.slot = this;
            StringBuilder logs = new StringBuilder();
            RunError dying = null;
            WorkerPoolConfig.Limits limits = config.limits();
            // The worker enforces the wall time itself; this is the backstop if it cannot. Until the run
            // starts (the worker may still be preparing its next context) a wider bound applies.
            long backstop = limits.wallTime().toMillis() + 2 * limits.killGrace().toMillis() + 1000;
            RunError timeLimit = RunError.of(RunError.TIME_LIMIT, "the run took longer than the time limit of "
                    + seconds(limits.wallTime().toMillis()) + " s");
            ScheduledFuture<?> deadline = timer.schedule(() -> kill(job, timeLimit),
                    backstop + READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            try {
                if (job.cancelRequested) {
                    job.complete(new RunOutcome.Cancelled());
                    return;
                }
                try {
                    synchronized (this) {
                        Wire.writeRun(toWorker, runId, job.jobKey, job.request, Wire.WorkerLimits.of(limits));
                    }
                    while (true) {
                        byte type = fromWorker.readByte();
                        switch (type) {
                            case Wire.CONTEXT -> {
                                fromWorker.readLong();
                                job.context = RunHandle.Context.values()[fromWorker.readByte()];
                                job.discardedBecause = Wire.readString(fromWorker);
                            }
                            case Wire.STARTED -> {
                                fromWorker.readLong();
                                deadline.cancel(false);
                                deadline = timer.schedule(() -> kill(job, timeLimit), backstop, TimeUnit.MILLISECONDS);
                            }
                            case Wire.PROGRESS -> {
                                fromWorker.readLong();
                                double f = fromWorker.readDouble();
                                notify(() -> job.listener.onProgress(f));
                            }
                            case Wire.FILL -> {
                                fromWorker.readLong();
                                var fill = Wire.readFillBody(fromWorker);
                                notify(() -> job.listener.onFill(fill));
                            }
                            case Wire.LOG -> {
                                fromWorker.readLong();
                                String text = Wire.readString(fromWorker);
                                if (logs.length() < limits.maxOutputBytes()) logs.append(text);
                                notify(() -> job.listener.onLog(text));
                            }
                            case Wire.SUCCEEDED -> {
                                fromWorker.readLong();
                                var result = Wire.readResultBody(fromWorker);
                                String l = Wire.readString(fromWorker);
                                // The worker keeps a job's context after a run that succeeded (when reuse is on).
                                if (job.jobKey != null && config.jobContextIdle().isPositive()) keptJob = job.jobKey;
                                job.complete(new RunOutcome.Succeeded(result, l));
                                return;
                            }
                            case Wire.FAILED -> {
                                fromWorker.readLong();
                                RunError e = Wire.readError(fromWorker);
                                String l = Wire.readString(fromWorker);
                                job.complete(job.cancelRequested && isCancel(e)
                                        ? new RunOutcome.Cancelled() : new RunOutcome.Failed(e, l));
                                return;
                            }
                            case Wire.CANCELLED -> {
                                fromWorker.readLong();
                                RunError k = killReason;
                                job.complete(k != null && !job.cancelRequested
                                        ? new RunOutcome.Failed(k, logs.toString()) : new RunOutcome.Cancelled());
                                return;
                            }
                            case Wire.WARMED -> warm = true;
                            case Wire.DYING -> {
                                fromWorker.readLong();
                                dying = Wire.readError(fromWorker);
                            }
                            default -> throw new IOException("unexpected message " + type);
                        }
                    }
                } catch (IOException e) {
                    workerDied(job, dying, logs.toString());
                }
            } finally {
                deadline.cancel(false);
                current = null;
                job.slot = null;
            }
        }

        /**
         * The next job, meanwhile reading what an idle worker says: it sends WARMED when its warm-up is
         * over. Returns null when the worker has gone (the loop starts another).
         */
        private Job takeWhileWarming() throws InterruptedException {
            while (!warm) {
                Job j = queue.take(this, 100);
                if (j != null) return j;
                try {
                    while (fromWorker.available() > 0) {
                        byte type = fromWorker.readByte();
                        if (type != Wire.WARMED) throw new IOException("unexpected message " + type + " from an idle worker");
                        warm = true;
                    }
                } catch (IOException e) {
                    LOG.warn("worker {}: {}; replacing it", index, e.getMessage());
                    Process p = process;
                    if (p != null) p.destroyForcibly();
                    ready = false;
                    restarts.incrementAndGet();
                    return null;
                }
                if (forgetIfDead()) return null;
            }
            return queue.take(this, -1);
        }

        /** If the idle worker's process has ended, counts the restart and marks the slot for a new one. */
        private boolean forgetIfDead() {
            Process p = process;
            if (p == null || p.isAlive()) return false;
            LOG.info("worker {} died while idle (exit status {}); replacing it", index, p.exitValue());
            ready = false;
            restarts.incrementAndGet();
            return true;
        }

        private boolean isCancel(RunError e) {
            return "cancelled".equals(e.type());
        }

        private void workerDied(Job job, RunError dying, String logs) throws InterruptedException {
            Process p = process;
            ready = false;
            int status = -1;
            if (p != null) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                status = p.isAlive() ? -1 : p.exitValue();
            }
            process = null;
            restarts.incrementAndGet();
            RunError reason = killReason != null ? killReason : dying;
            if (job.cancelRequested && (reason == null || isCancel(reason))) {
                job.complete(new RunOutcome.Cancelled());
            } else if (reason != null && !isCancel(reason)) {
                job.complete(new RunOutcome.Failed(reason, logs));
            } else if (status == EXIT_OUT_OF_MEMORY) {
                job.complete(new RunOutcome.Failed(RunError.of(RunError.MEMORY_LIMIT,
                        "the run used all of the worker's memory (" + config.workerXmx() + ")"), logs));
            } else {
                job.complete(new RunOutcome.Failed(RunError.of(RunError.WORKER_CRASHED,
                        "the worker process died (exit status " + status + ")"), logs));
            }
            LOG.info("worker {} replaced after run {} (exit status {})", index, job.runId, status);
        }

        private void notify(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a run listener failed", e);
            }
        }

        /** Asks the worker to stop the job; kills the process if it does not within the grace time. */
        void cancel(Job job) {
            if (current != job) return;
            try {
                synchronized (this) {
                    toWorker.writeByte(Wire.CANCEL);
                    toWorker.writeLong(job.runId);
                    toWorker.flush();
                }
            } catch (IOException | RuntimeException e) {
                // The worker is gone already; the slot thread sees it.
            }
            long grace = config.limits().killGrace().toMillis() * 2 + 1000;
            timer.schedule(() -> kill(job, RunError.of("cancelled", "the run was cancelled")), grace, TimeUnit.MILLISECONDS);
        }

        /** Kills the worker if it is still running this job. */
        void kill(Job job, RunError reason) {
            if (current != job || job.future.isDone()) return;
            killReason = reason;
            Process p = process;
            if (p != null) {
                LOG.warn("killing worker {} for run {}: {}", index, job.runId, reason.message());
                p.destroyForcibly();
            }
        }

        void shutdown() {
            Process p = process;
            if (p != null) {
                try {
                    synchronized (this) {
                        toWorker.writeByte(Wire.SHUTDOWN);
                        toWorker.flush();
                    }
                } catch (IOException | RuntimeException ignored) {
                    // Destroyed below anyway.
                }
                p.destroyForcibly();
            }
            Job j = current;
            if (j != null) j.complete(new RunOutcome.Cancelled());
            thread.interrupt();
        }
    }
}
