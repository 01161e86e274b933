package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.python.Warmup;
import org.junit.jupiter.api.Test;

import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle worker's warm-up: it gives way to users' runs at once, then finishes and says so. */
class WorkerWarmupTest {
    @Test
    void aUsersRunCancelsTheWarmupAndTheWorkerWarmsUpAfterwards() throws Exception {
        try (WorkerPool pool = WorkerPool.start(TestPool.config().withPoolSize(1).withWarmupKlines(3L * Warmup.KLINES_PER_RUN))) {
            waitUntil(() -> pool.state().alive() == 1, 180);
            assertEquals(0, pool.state().warm(), "three warm-up runs of 50,000 klines take seconds");
            TestPool.assertRoundTripRuns(pool);
            // The run did not wait for the rest of the warm-up: that is still to do.
            assertEquals(0, pool.state().warm());
            waitUntil(() -> pool.state().warm() == 1, 300);
            TestPool.assertRoundTripRuns(pool);
            assertEquals(0, pool.state().restarts());
        }
    }

    @Test
    void theWarmupStrategyTradesOnSaneSyntheticKlines() {
        BacktestRequest r = Warmup.request(0);
        KlineSeries k = r.klines();
        assertEquals(Warmup.KLINES_PER_RUN, k.size());
        for (int i = 0; i < k.size(); i++) {
            assertTrue(k.low()[i] > 0 && k.low()[i] <= Math.min(k.open()[i], k.close()[i])
                    && k.high()[i] >= Math.max(k.open()[i], k.close()[i]), "kline " + i);
            if (i > 0) assertEquals(k.openTime()[i - 1] + 3_600_000L, k.openTime()[i]);
        }
        BacktestResult result = succeeded(TestPool.run(r));
        // It must reach the fill path (buys, partial sells, sell_all) for the warm-up to compile it.
        assertTrue(result.totalTrades() > 500, "trades: " + result.totalTrades());
        assertTrue(result.trades().stream().map(f -> f.type()).distinct().count() == 2);
    }

    interface Check {
        boolean ok();
    }

    static void waitUntil(Check c, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("not within " + seconds + " s");
            Thread.sleep(50);
        }
    }
}
