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

    /** Test pools do not warm up (WorkerWarmupTest covers it): tests stay quick and their timings quiet. */
    public static WorkerPoolConfig config() {
        String jvmci = System.getProperty("candlebox.jvmci.dir", "target/jvmci");
        return WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"), Path.of(jvmci))
                .withPoolSize(2)
                .withWarmupKlines(0)
                .withLimits(WorkerPoolConfig.Limits.defaults().withWallTime(Duration.ofSeconds(90)));
    }

    public static synchronized WorkerPool pool() {
        if (pool == null) {
            pool = WorkerPool.start(config());
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        }
        return pool;
    }

    /** Buys 10 at 102 and sells them at 105 with a 0.1 % fee: 10000 - 1020 - 1.02 + 1050 - 1.05 = 10027.93. */
    public static final String ROUND_TRIP = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    i = len(self.kline_cache)
                    if i == 2:
                        context.buy(kline.close, 10, kline.open_time)
                    if i == 4:
                        context.sell_all(kline.close, kline.open_time)
            """;

    /** Runs ROUND_TRIP on the pool and checks its two fills and final balance (computed by hand above). */
    public static void assertRoundTripRuns(WorkerPool p) {
        var r = Outcomes.succeeded(run(p, request(ROUND_TRIP, Klines.hourly(1, 100, 102, 101, 105, 103), Map.of()), null));
        org.junit.jupiter.api.Assertions.assertEquals(2, r.totalTrades());
        org.junit.jupiter.api.Assertions.assertEquals(0, new BigDecimal("10027.93").compareTo(r.finalBalance()),
                r.finalBalance().toString());
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
