package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.TestResources;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.RunError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.candlebox.sandbox.Outcomes.failed;
import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Assume it is bypassed": a worker whose static check is switched off (as if a way around it existed)
 * runs a strategy that uses dunders, frames, closures and the real import freely. What must still hold,
 * asserted on what the strategy printed and on the result: no future kline is reachable from anything
 * Python can reach, nothing moves the engine's clock, the account changes only through validated
 * orders, no file, socket, process, thread, host class or other language is reachable, and the result
 * is the honest one.
 */
class StaticCheckBypassedTest {
    static WorkerPool unchecked;

    @BeforeAll
    static void startAWorkerWithoutTheStaticCheck() {
        unchecked = WorkerPool.start(TestPool.config().withPoolSize(1)
                .withExtraJvmArgs(List.of("-Dcandlebox.sandbox.staticCheck=off")));
    }

    @AfterAll
    static void close() {
        if (unchecked != null) unchecked.close();
    }

    static String resource(String name) {
        return TestResources.text("/dev/candlebox/sandbox/hostile/" + name);
    }

    @Test
    void withTheCheckOffTheFutureTheClockTheAccountAndTheHostStayOutOfReach() {
        // The future holds a marker: close 4242.5 at kline 3 (and 4243.5 as its high); the hunt runs at kline 1.
        var k = Klines.hourly(1, 100, 101, 102, 4242.5, 103, 104);
        assertHeld(TestPool.run(unchecked, TestPool.request(resource("bypass.py"), k, Map.of()), null));
    }

    /**
     * The same hunt in a run that also has derivatives data and another series (section 7): the future's markers are
     * now also kline 3's open interest (4242.5) and long/short ratio (4243.5), and the 2h kline holding kline 3 (close
     * 4242.5, high 4243.5), which closes only at kline 3's close. Aligned in Java, handed over one kline at a time:
     * none of it is reachable at kline 1.
     */
    @Test
    void withTheCheckOffFutureDerivativesAndOtherSeriesStayOutOfReachToo() {
        var k = Klines.hourly(1, 100, 101, 102, 4242.5, 103, 104);
        int n = k.size();
        double[] oi = nan(n), ls = nan(n);
        oi[3] = 4242.5;
        ls[3] = 4243.5;
        var derivatives = new dev.candlebox.sandbox.engine.DerivativeColumns(oi, nan(n), new long[n], ls, nan(n), nan(n));
        var twoHours = dev.candlebox.sandbox.engine.OtherSeries.of("BTCUSDT", "2h", Klines.aggregate(k, 7_200_000L), k.closeTime());
        assertHeld(TestPool.run(unchecked, TestPool.request(resource("bypass.py"), k, Map.of())
                .withInputs(derivatives, List.of(twoHours)), null));
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /** What bypass.py prints and trades when every layer behind the static check held. */
    private static void assertHeld(dev.candlebox.sandbox.worker.RunOutcome out) {
        String printed = logs(out);
        BacktestResult r = succeeded(out);
        List<String> lines = printed.lines().toList();
        assertEquals("future: none (visited many)", lines.get(0), printed);
        assertEquals("exchange reached: True", lines.get(1), printed);
        assertTrue(lines.get(2).startsWith("advance: refused"), printed);
        assertTrue(lines.get(3).startsWith("out-of-range buy: ok None"), printed);
        assertEquals("forged balance read back: True", lines.get(4), printed);
        assertEquals("buy beyond the real balance: False", lines.get(5), printed);
        for (int i = 6; i < 11; i++) {
            assertTrue(lines.get(i).contains(": refused "), () -> "reached: " + printed);
        }
        assertEquals(11, lines.size(), printed);
        // Bought 10 at 101 on kline 1, sold them at 103 on kline 4, 0.1 % fee each way:
        // 10000 - 1010 - 1.01 + 1030 - 1.03 = 10017.96
        assertEquals(2, r.totalTrades());
        assertEquals(0, new BigDecimal("10017.96").compareTo(r.finalBalance()), r.finalBalance().toString());
        assertEquals(1, r.trades().get(0).klineIndex());
        assertEquals(4, r.trades().get(1).klineIndex());
        // The worker serves an ordinary run exactly afterwards.
        TestPool.assertRoundTripRuns(unchecked);
    }

    /** Attempts the polyglot context stops with an engine error that Python cannot even catch. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            a socket | __import__('socket', {}).socket().connect(('127.0.0.1', 5432)) | socket was excluded
            a thread | __import__('_thread', {}).start_new_thread(print, ('x',)) | Creating threads is not allowed
            """)
    void socketsAndThreadsEndTheRunWithAClearError(String name, String attempt, String engineSays) {
        String code = "class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        try:\n"
                + "            " + attempt + "\n        except BaseException as e:\n            print('caught', type(e).__name__)\n";
        var out = TestPool.run(unchecked, TestPool.request(code, Klines.hourly(1, 100, 101), Map.of()), null);
        RunError e = failed(out, RunError.RUNTIME_ERROR);
        assertTrue(e.message().startsWith("the strategy ended with an error from outside Python: ")
                && e.message().contains(engineSays), e.message());
        assertEquals("", logs(out));
    }

    @Test
    void withTheCheckOnTheSameCodeIsRefusedBeforeItRuns() {
        var k = Klines.hourly(1, 100, 101, 102, 4242.5, 103, 104);
        RunError e = failed(TestPool.run(TestPool.pool(), TestPool.request(resource("bypass.py"), k, Map.of()), null),
                RunError.FORBIDDEN_CODE);
        assertEquals(12, e.line(), e::toString);
        assertTrue(e.message().startsWith("the name '__import__' is not allowed"), e.message());
    }
}
