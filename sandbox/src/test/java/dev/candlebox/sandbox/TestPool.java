package dev.candlebox.sandbox;

import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.sandbox.worker.WorkerPoolConfig;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker pool shared by the tests of this JVM (workers are real processes with the optimizing
 * compiler when target/jvmci holds the jars, as the maven build arranges).
 */
public final class TestPool {
    private TestPool() { }

    private static WorkerPool pool;

    public static WorkerPoolConfig config() {
        String jvmci = System.getProperty("candlebox.jvmci.dir", "target/jvmci");
        return WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"), Path.of(jvmci))
                .withPoolSize(2)
                .withLimits(WorkerPoolConfig.Limits.defaults().withWallTime(Duration.ofSeconds(90)));
    }

    public static synchronized WorkerPool pool() {
        if (pool == null) {
            pool = WorkerPool.start(config());
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        }
        return pool;
    }

    public static BacktestRequest request(String code, KlineSeries k, Map<String, Object> params) {
        return new BacktestRequest(code, k, params, new BigDecimal("10000"), new BigDecimal("0.001"), "BTC", "USDT");
    }

    public static RunOutcome run(String code, KlineSeries k) {
        return run(request(code, k, Map.of()));
    }

    public static RunOutcome run(BacktestRequest r) {
        return run(pool(), r, RunListener.NONE);
    }

    public static RunOutcome run(WorkerPool p, BacktestRequest r, RunListener l) {
        try {
            return p.submit(r, l).outcome().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
