package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.candlebox.sandbox.Outcomes.failed;
import static dev.candlebox.sandbox.Outcomes.failedWithOneOf;
import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.strategy;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resource abuse against a pool with tight limits; after each, the pool still serves normal runs. */
class WorkerLimitsTest {
    static WorkerPool pool;
    static final int MAX_FILLS = 50;
    static final int MAX_OPEN_ORDERS = 5;
    static final long MAX_OUTPUT = 2000;

    @BeforeAll
    static void start() {
        pool = WorkerPool.start(TestPool.config()
                .withPoolSize(2)
                .withWorkerXmx("768m")
                .withLimits(WorkerPoolConfig.Limits.defaults()
                        .withWallTime(Duration.ofSeconds(8))
                        .withKillGrace(Duration.ofSeconds(1))
                        .withMaxFills(MAX_FILLS)
                        .withMaxOpenOrders(MAX_OPEN_ORDERS)
                        .withMaxOutputBytes(MAX_OUTPUT)
                        .withMaxAllocatedBytes(3L << 30)));
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static RunOutcome run(String code) {
        return TestPool.run(pool, TestPool.request(code, Klines.hourly(1, 100, 101, 102), Map.of()), null);
    }

    static void aNormalRunStillWorks() {
        TestPool.assertRoundTripRuns(pool);
    }

    @Test
    void restingOrdersStopAtTheConfiguredLimitAndCancellingMakesRoom() {
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        if not context.open_orders:
                            ids = [context.order("buy", 1, "limit", price=1) for _ in range(8)]
                            print(len([i for i in ids if i is not None]), len(context.open_orders))
                            context.cancel(ids[0])
                            print(context.order("buy", 1, "limit", price=1), context.order("buy", 1, "limit", price=1))
                """;
        RunOutcome.Succeeded ok = assertInstanceOf(RunOutcome.Succeeded.class, run(code));
        // 5 of 8 placed (ids 1..5); cancelling 1 makes room for one more (id 6), not two
        assertEquals("5 5\n6 None\n", ok.logs());
        assertEquals(6, ok.result().orders().size());
        aNormalRunStillWorks();
    }

    @Test
    void aTightLoopStopsAtTheWallTimeLimit() {
        RunError e = failed(run(strategy("while True:\n    pass")), RunError.TIME_LIMIT);
        assertTrue(e.message().contains("time limit of 8 s"), e.message());
        aNormalRunStillWorks();
    }

    @Test
    void aHugeBuiltinCallThatIgnoresCancellationCostsTheWorkerNotThePool() {
        long before = pool.state().restarts();
        // a sum past 2**63 allocates a big integer per step: the allocation budget may stop it before the clock
        RunError e = failedWithOneOf(run(strategy("x = sum(range(10 ** 13))")), RunError.TIME_LIMIT, RunError.MEMORY_LIMIT);
        assertTrue(e.message().contains("time limit") || e.message().contains("allocated more than"), e.message());
        assertTrue(pool.state().restarts() > before, "the stuck worker was replaced");
        aNormalRunStillWorks();
    }

    @Test
    void aHugePowerIsStoppedByATimeOrMemoryLimit() {
        failedWithOneOf(run(strategy("x = 7 ** (10 ** 9)")), RunError.TIME_LIMIT, RunError.MEMORY_LIMIT);
        aNormalRunStillWorks();
    }

    @Test
    void growingAListUntilTheHeapIsFullFailsWithMemoryLimit() {
        // Alone it ends with memory_limit in 1-4 s; late in the full suite (the other worker restarting on
        // the same two cores) the collector copying the ever-live list can take longer than the 8 s wall
        // time: either limit stops it, and the worker serves the next run.
        failedWithOneOf(run(strategy("x = []\nwhile True:\n    x.append([0] * 100000)")), RunError.MEMORY_LIMIT, RunError.TIME_LIMIT);
        aNormalRunStillWorks();
    }

    @Test
    void oneGiganticAllocationFailsWithMemoryLimit() {
        failed(run(strategy("x = [0.5] * (10 ** 9)")), RunError.MEMORY_LIMIT);
        aNormalRunStillWorks();
    }

    @Test
    void churningGarbageBeyondTheAllocationBudgetFailsWithMemoryLimit() {
        RunError e = failed(run(strategy("for i in range(10 ** 6):\n    x = [float(i)] * 1000000")), RunError.MEMORY_LIMIT);
        assertTrue(e.message().contains("allocated more than 3072 MiB"), e.message());
        aNormalRunStillWorks();
    }

    @Test
    void aPrintFloodFailsWithOutputLimitAndKeepsTheFirstBytes() {
        RunOutcome o = run(strategy("while True:\n    print('x' * 99)"));
        RunError e = failed(o, RunError.OUTPUT_LIMIT);
        assertTrue(e.message().contains("more than 2000 bytes"), e.message());
        assertEquals("x".repeat(99) + "\n", logs(o).substring(0, 100));
        assertTrue(logs(o).length() <= MAX_OUTPUT, "logs capped: " + logs(o).length());
        aNormalRunStillWorks();
    }

    @Test
    void millionsOfFillsStopAtTheFillLimit() {
        RunError e = failed(run(strategy("""
                for j in range(1000000):
                    context.buy(kline.close, 0.001, '')
                    context.sell(kline.close, 0.001, '')
                """)), RunError.FILL_LIMIT);
        assertTrue(e.message().contains("more than " + MAX_FILLS + " fills"), e.message());
        aNormalRunStillWorks();
    }

    @Test
    void exactlyTheFillLimitIsAllowed() {
        BacktestResult r = succeeded(run(strategy("""
                if len(self.kline_cache) == 1:
                    for j in range(25):
                        context.buy(kline.close, 0.001, '')
                        context.sell(kline.close, 0.001, '')
                """)));
        assertEquals(MAX_FILLS, r.totalTrades());
    }

    @Test
    void cancellingARunningRunEndsItAsCancelled() throws Exception {
        RunHandle h = pool.submit(TestPool.request(strategy("while True:\n    pass"), Klines.hourly(1, 100), Map.of()), null);
        Thread.sleep(3000);
        h.cancel();
        RunOutcome o = h.outcome().get(30, TimeUnit.SECONDS);
        assertInstanceOf(RunOutcome.Cancelled.class, o, () -> "ended as " + o);
        aNormalRunStillWorks();
    }

    @Test
    void aStuckRunInOneWorkerLeavesARunInTheOtherUntouched() throws Exception {
        RunHandle stuck = pool.submit(TestPool.request(strategy("x = sum(range(10 ** 13))"), Klines.hourly(1, 100), Map.of()), null);
        RunHandle normal = pool.submit(TestPool.request(TestPool.ROUND_TRIP, Klines.hourly(1, 100, 102, 101, 105, 103), Map.of()), null);
        // Generous waits: the other worker may still be replacing a JVM an earlier test killed (a cold start
        // took up to 30 s on a loaded 2-core machine); what is under test is that the normal run succeeds.
        assertEquals(0, new BigDecimal("10027.93").compareTo(succeeded(normal.outcome().get(150, TimeUnit.SECONDS)).finalBalance()));
        failedWithOneOf(stuck.outcome().get(150, TimeUnit.SECONDS), RunError.TIME_LIMIT, RunError.MEMORY_LIMIT);
    }

    @Test
    void fillsAndProgressReachTheListenerWhileTheRunGoes() {
        List<Fill> fills = new CopyOnWriteArrayList<>();
        List<Double> progress = new CopyOnWriteArrayList<>();
        List<String> printed = new CopyOnWriteArrayList<>();
        RunListener l = new RunListener() {
            @Override
            public void onProgress(double f) { progress.add(f); }

            @Override
            public void onFill(Fill f) { fills.add(f); }

            @Override
            public void onLog(String t) { printed.add(t); }
        };
        String code = strategy("""
                if len(self.kline_cache) % 100 == 1:
                    print('k', len(self.kline_cache))
                    context.buy(kline.close, 1, '')
                """);
        BacktestResult r = succeeded(TestPool.run(pool, TestPool.request(code, Klines.wave(300), Map.of("klineWndSize", 1000)), l));
        assertEquals(r.trades(), fills);
        assertEquals(3, fills.size());
        assertTrue(!progress.isEmpty() && progress.stream().allMatch(p -> p >= 0 && p <= 1), progress.toString());
        assertEquals("k 1\nk 101\nk 201\n", String.join("", printed));
    }

    @Test
    void codeOverTheSizeLimitIsRefusedAtSubmit() throws Exception {
        String big = "# " + "x".repeat(300_000) + "\n" + TestPool.ROUND_TRIP;
        RunOutcome o = pool.submit(TestPool.request(big, Klines.hourly(1, 100), Map.of()), null).outcome().get(1, TimeUnit.SECONDS);
        RunError e = failed(o, RunError.INVALID_REQUEST);
        assertTrue(e.message().contains("limit is 262144"), e.message());
    }
}
