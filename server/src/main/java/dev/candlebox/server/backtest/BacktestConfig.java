package dev.candlebox.server.backtest;

import dev.candlebox.sandbox.worker.WorkerPoolConfig;
import dev.candlebox.server.Env;
import dev.candlebox.server.ratelimit.Policy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Backtest settings from the environment; every variable and its default is in the README. The worker
 * processes start with the same JDK as the server and find their jars beside {@code candlebox.jar}.
 */
public record BacktestConfig(
        boolean enabled,
        String instanceId,
        int workers,
        String workerXmx,
        long workerWarmupKlines,
        Duration workerJobContextIdle,
        Duration runTimeLimit,
        long maxOutputBytes,
        int maxFills,
        long maxAllocatedBytes,
        int maxCodeBytes,
        int maxParamsBytes,
        long maxBodyBytes,
        int maxKlines,
        int queueCapacity,
        int maxActivePerClient,
        int submitPerSecond,
        int submitPerMinute,
        int maxOpenOrders,
        int sweepMaxTrials,
        int maxSeries) {

    public static BacktestConfig fromEnv(Map<String, String> env) {
        WorkerPoolConfig.Limits d = WorkerPoolConfig.Limits.defaults();
        return new BacktestConfig(
                Env.bool(env, "BACKTESTS_ENABLED", true),
                env.getOrDefault("INSTANCE_ID", "local"),
                Env.integer(env, "WORKERS", WorkerPoolConfig.defaultPoolSize(), 1, 256),
                env.getOrDefault("WORKER_XMX", WorkerPoolConfig.DEFAULT_XMX),
                Env.longValue(env, "WORKER_WARMUP_KLINES", WorkerPoolConfig.DEFAULT_WARMUP_KLINES, 0, 100_000_000),
                Duration.ofSeconds(Env.integer(env, "WORKER_JOB_CONTEXT_IDLE_SECONDS",
                        (int) WorkerPoolConfig.DEFAULT_JOB_CONTEXT_IDLE.toSeconds(), 0, 86_400)),
                Duration.ofSeconds(Env.integer(env, "RUN_TIME_LIMIT_SECONDS", (int) d.wallTime().toSeconds(), 1, 86_400)),
                Env.longValue(env, "RUN_MAX_OUTPUT_BYTES", d.maxOutputBytes(), 0, 1L << 30),
                Env.integer(env, "RUN_MAX_FILLS", d.maxFills(), 0, 10_000_000),
                Env.longValue(env, "RUN_MAX_ALLOCATED_BYTES", d.maxAllocatedBytes(), 1 << 20, Long.MAX_VALUE),
                Env.integer(env, "BACKTEST_MAX_CODE_BYTES", d.maxCodeBytes(), 1, 16 << 20),
                Env.integer(env, "BACKTEST_MAX_PARAMS_BYTES", 64 << 10, 2, 16 << 20),
                Env.longValue(env, "BACKTEST_MAX_BODY_BYTES", 1 << 20, 1024, 64L << 20),
                Env.integer(env, "BACKTEST_MAX_KLINES", 2_000_000, 1, 50_000_000),
                Env.integer(env, "BACKTEST_QUEUE_CAPACITY", 64, 1, 100_000),
                Env.integer(env, "BACKTEST_MAX_ACTIVE_PER_CLIENT", 8, 1, 100_000),
                Env.integer(env, "BACKTEST_SUBMIT_PER_SECOND", 2, 1, 1_000_000),
                Env.integer(env, "BACKTEST_SUBMIT_PER_MINUTE", 60, 1, 1_000_000),
                Env.integer(env, "RUN_MAX_OPEN_ORDERS", d.maxOpenOrders(), 0, 1_000_000),
                Env.integer(env, "SWEEP_MAX_TRIALS", 1000, 1, 1_000_000),
                Env.integer(env, "BACKTEST_MAX_SERIES", Submission.DEFAULT_MAX_SERIES, 0, 64));
    }

    public WorkerPoolConfig.Limits limits() {
        return WorkerPoolConfig.Limits.defaults().withWallTime(runTimeLimit).withMaxOutputBytes(maxOutputBytes)
                .withMaxFills(maxFills).withMaxAllocatedBytes(maxAllocatedBytes).withMaxCodeBytes(maxCodeBytes)
                .withMaxOpenOrders(maxOpenOrders);
    }

    /**
     * Workers run from {@code candlebox.jar} and its {@code lib/} and {@code jvmci/} folders when the server
     * runs from the jar; from the server's own classpath otherwise (tests, an IDE).
     */
    public WorkerPoolConfig workerPool() {
        WorkerPoolConfig base;
        Path self = codeSource();
        if (self != null && self.toString().endsWith(".jar")) {
            base = WorkerPoolConfig.forJar(self);
        } else {
            Path jvmci = self == null ? null : self.getParent().resolve("jvmci");
            base = WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"),
                    jvmci != null && Files.isDirectory(jvmci) ? jvmci : null);
        }
        return base.withPoolSize(workers).withWorkerXmx(workerXmx).withWarmupKlines(workerWarmupKlines)
                .withJobContextIdle(workerJobContextIdle)
                .withLimits(limits());
    }

    public Policy submitPolicy() {
        return new Policy(BacktestRoutes.SUBMIT_POLICY, List.of(
                new Policy.Window(Duration.ofSeconds(1), submitPerSecond),
                new Policy.Window(Duration.ofMinutes(1), submitPerMinute)));
    }

    public BacktestService.Settings serviceSettings() {
        return new BacktestService.Settings(instanceId, queueCapacity, maxActivePerClient, maxKlines,
                new Submission.Limits(maxCodeBytes, maxParamsBytes, maxSeries), runTimeLimit.plusSeconds(30));
    }

    private static Path codeSource() {
        try {
            return Path.of(BacktestConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
