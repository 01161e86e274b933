package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job reuse (docs/sandbox.md, "Job reuse"): runs with one job key may run in one Python context. A run in a
 * reused context must give exactly what the same run gives alone in a fresh context, and a strategy that
 * changes anything shared must not see it in its job's next run. One real worker (GraalPy, its own pool), so
 * that every run of a job goes to the worker that kept the context.
 */
class JobReuseTest {
    private static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = WorkerPool.start(TestPool.config().withPoolSize(1).withJobContextIdle(java.time.Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** A second parameter set per template, so that the reused run differs from the first run of its job. */
    private static final Map<String, Map<String, Object>> OTHER_PARAMS = Map.of(
            "bollinger_reversion.py", Map.of("period", 15),
            "breakout_stop_loss_take_profit.py", Map.of("lookback", 10),
            "dca_take_profit.py", Map.of("every_n_klines", 12),
            "donchian_breakout.py", Map.of("entry_period", 15),
            "ma_cross.py", Map.of("fast_period", 5, "slow_period", 20),
            "rsi_macd.py", Map.of("rsi_period", 10),
            "rsi_trend_filter.py", Map.of("rsi_period", 10),
            "time_filter.py", Map.of("start_hour", 3));

    @Test
    void everyTemplateGivesInAReusedContextWhatItGivesInAFreshOne() throws Exception {
        KlineSeries k = head(Klines.btc1h(), 2000);
        Path dir = Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
        files = files.stream().filter(p -> !INPUT_TEMPLATES.contains(p.getFileName().toString())).toList();
        assertEquals(OTHER_PARAMS.keySet(), files.stream().map(p -> p.getFileName().toString())
                .collect(java.util.stream.Collectors.toSet()), "a template without a second parameter set here");
        for (Path file : files) {
            String code = Files.readString(file);
            String job = "template " + file.getFileName();
            Map<String, Object> other = OTHER_PARAMS.get(file.getFileName().toString());
            Done aloneOther = run(code, k, other, null);
            Done aloneDefault = run(code, k, Map.of(), null);
            Done first = run(code, k, Map.of(), job);
            Done second = run(code, k, other, job);
            Done third = run(code, k, Map.of(), job);
            assertEquals(RunHandle.Context.FRESH, first.context, file.toString());
            assertEquals(RunHandle.Context.REUSED, second.context, file + ": " + second.discardedBecause);
            assertEquals(RunHandle.Context.REUSED, third.context, file + ": " + third.discardedBecause);
            assertTrue(aloneDefault.result.totalTrades() > 0 && aloneOther.result.totalTrades() > 0, file + " trades");
            assertTrue(aloneDefault.result.totalTrades() != aloneOther.result.totalTrades()
                    || aloneDefault.result.finalBalance().compareTo(aloneOther.result.finalBalance()) != 0,
                    file + ": the two parameter sets must differ in result for this test to mean anything");
            assertSameResult(aloneDefault.result, first.result, file + " first");
            assertSameResult(aloneOther.result, second.result, file + " reused");
            assertSameResult(aloneDefault.result, third.result, file + " reused again");
        }
    }

    /** Templates that read derivatives data or another series: {@link #templatesWithInputs}. */
    private static final java.util.Set<String> INPUT_TEMPLATES = dev.candlebox.sandbox.python.InputTemplatesTest.FILES;

    /**
     * The two paths the plain templates do not take: a step that hands Python the kline's derivatives values (the
     * composite on the Coinalyze export) and another series appended as its klines close (1h signals, 4h trend).
     */
    @Test
    void templatesWithInputsGiveInAReusedContextWhatTheyGiveInAFreshOne() throws Exception {
        KlineSeries coinalyze = dev.candlebox.sandbox.CoinalyzeExport.btcKlines();
        KlineSeries hours = Klines.btc1h().slice(0, 24 * 365);
        var four = dev.candlebox.sandbox.engine.OtherSeries.of("BTCUSDT", "4h", Klines.aggregate(hours, 4 * 3_600_000L), hours.closeTime());
        record Case(String file, java.util.function.Function<Map<String, Object>, BacktestRequest> request, Map<String, Object> other) {}
        List<Case> cases = List.of(
                new Case("derivatives_composite.py", p -> dev.candlebox.sandbox.python.InputTemplatesTest.futures(template("derivatives_composite.py"), coinalyze, p)
                        .withInputs(dev.candlebox.sandbox.python.InputTemplatesTest.coinalyze(coinalyze), List.of()),
                        Map.of("threshold", 0.3)),
                new Case("multi_timeframe_trend.py", p -> TestPool.request(template("multi_timeframe_trend.py"), hours, p)
                        .withInputs(null, List.of(four)), Map.of("fast_period", 5)));
        assertTrue(INPUT_TEMPLATES.containsAll(cases.stream().map(Case::file).toList()));
        for (Case c : cases) {
            String job = "inputs " + c.file();
            Done aloneDefault = run(c.request().apply(Map.of()), null);
            Done aloneOther = run(c.request().apply(c.other()), null);
            Done first = run(c.request().apply(Map.of()), job);
            Done second = run(c.request().apply(c.other()), job);
            assertEquals(RunHandle.Context.REUSED, second.context, c.file() + ": " + second.discardedBecause);
            assertTrue(aloneDefault.result.totalTrades() > 0, c.file() + " trades");
            assertTrue(aloneDefault.result.totalTrades() != aloneOther.result.totalTrades()
                    || aloneDefault.result.finalBalance().compareTo(aloneOther.result.finalBalance()) != 0,
                    c.file() + ": the two parameter sets must differ in result for this test to mean anything");
            assertSameResult(aloneDefault.result, first.result, c.file() + " first");
            assertSameResult(aloneOther.result, second.result, c.file() + " reused");
        }
    }

    private static String template(String file) {
        try {
            return dev.candlebox.sandbox.python.InputTemplatesTest.template(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The klines of {@link #leakDetector}: buying at the 2nd kline's close (102) and selling at the 4th (105). */
    private static final KlineSeries FIVE = Klines.hourly(1, 100, 102, 101, 105, 103);
    /** 10000 - 1020 - 1.02 + 1050 - 1.05 (bought at 102, 0.1 % fee, sold at 105): what every fresh run gives. */
    private static final BigDecimal FRESH = new BigDecimal("10027.93");

    /**
     * A strategy whose module body first computes {@code leaked} (whether an earlier run's change is visible)
     * and then makes the change; it buys at the 2nd kline when nothing leaked and at the 3rd (101) when
     * something did, which would give 10000 - 1010 - 1.01 + 1050 - 1.05 = 10037.94.
     */
    private static String leakDetector(String leakedAndChange) {
        return leakedAndChange + """

                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        i = len(self.kline_cache)
                        if i == (3 if leaked else 2):
                            context.buy(kline.close, 10, kline.open_time)
                        if i == 4:
                            context.sell_all(kline.close, kline.open_time)
                """;
    }

    /** Hostile strategies of one job: what the second run's context is, and why when it was discarded. */
    private static final Map<String, Object[]> HOSTILE = new LinkedHashMap<>();

    static {
        // module-level mutable state: the module is executed anew in a namespace reset to its state before user code
        HOSTILE.put("module-level list", new Object[]{"""
                runs = []
                runs.append(1)
                leaked = len(runs) > 1
                """, RunHandle.Context.REUSED, null});
        HOSTILE.put("a name of the API rebound in the module", new Object[]{"""
                leaked = calculate_sma is None
                calculate_sma = None
                """, RunHandle.Context.REUSED, null});
        HOSTILE.put("a builtin shadowed in the module", new Object[]{"""
                leaked = abs is None
                abs = None
                """, RunHandle.Context.REUSED, null});
        HOSTILE.put("state stashed on an API class", new Object[]{"""
                leaked = hasattr(KlineCache, "seen")
                KlineCache.seen = True
                """, RunHandle.Context.DISCARDED, "__main__ was changed"});
        HOSTILE.put("an API method monkey-patched", new Object[]{"""
                leaked = KlineCache.get_closes.__name__ == "fake"
                def fake(self):
                    return []
                KlineCache.get_closes = fake
                """, RunHandle.Context.DISCARDED, "__main__ was changed"});
        HOSTILE.put("an attribute set on an indicator function", new Object[]{"""
                leaked = hasattr(calculate_sma, "memo")
                calculate_sma.memo = {}
                """, RunHandle.Context.DISCARDED, "__main__ was changed"});
        HOSTILE.put("a class of an allowed module patched", new Object[]{"""
                import statistics
                leaked = hasattr(statistics.NormalDist, "seen")
                statistics.NormalDist.seen = True
                """, RunHandle.Context.DISCARDED, "statistics was changed"});
        HOSTILE.put("the datetime class patched", new Object[]{"""
                leaked = hasattr(datetime, "seen")
                datetime.seen = True
                """, RunHandle.Context.DISCARDED, "was changed"});
        HOSTILE.put("decimal's context changed", new Object[]{"""
                import decimal
                leaked = decimal.getcontext().prec != 28
                decimal.getcontext().prec = 6
                """, RunHandle.Context.DISCARDED, "decimal.getcontext() was changed"});
        HOSTILE.put("decimal's default context changed", new Object[]{"""
                import decimal
                leaked = decimal.DefaultContext.prec != 28
                decimal.DefaultContext.prec = 7
                """, RunHandle.Context.DISCARDED, "decimal"});
        HOSTILE.put("the account's Decimal class stashed on", new Object[]{"""
                leaked = False
                def mark(context):
                    global leaked
                    t = type(context.balance)
                    leaked = leaked or hasattr(t, "seen")
                    t.seen = True
                """, RunHandle.Context.DISCARDED, "__main__ was changed"});
        HOSTILE.put("the context's own class stashed on (a new class each run)", new Object[]{"""
                leaked = False
                def mark(context):
                    global leaked
                    t = type(context)
                    leaked = leaked or hasattr(t, "seen")
                    t.seen = True
                """, RunHandle.Context.REUSED, null});
    }

    @Test
    void hostileStrategiesOfAJobSeeNothingOfTheirEarlierRuns() throws Exception {
        for (var e : HOSTILE.entrySet()) {
            String name = e.getKey();
            String prefix = (String) e.getValue()[0];
            String code = leakDetector(prefix);
            if (prefix.contains("def mark(context)")) {
                // these look at objects only a run reaches: mark on the first kline, decide on later ones
                code = code.replace("        i = len(self.kline_cache)\n",
                        "        i = len(self.kline_cache)\n        if i == 1:\n            mark(context)\n");
            }
            String job = "hostile " + name;
            Done alone = run(code, FIVE, Map.of(), null);
            Done first = run(code, FIVE, Map.of(), job);
            Done second = run(code, FIVE, Map.of(), job);
            assertEquals(0, FRESH.compareTo(alone.result.finalBalance()), name + " alone: " + alone.result.finalBalance());
            assertEquals(RunHandle.Context.FRESH, first.context, name);
            assertEquals(e.getValue()[1], second.context, name + ": " + second.discardedBecause);
            if (e.getValue()[2] != null) {
                assertNotNull(second.discardedBecause, name);
                assertTrue(second.discardedBecause.contains((String) e.getValue()[2]), name + ": " + second.discardedBecause);
            }
            assertSameResult(alone.result, first.result, name + " first");
            assertSameResult(alone.result, second.result, name + " second");
            assertEquals(2, second.result.totalTrades(), name);
        }
    }

    @Test
    void runsOfAnotherJobOrAFailedRunNeverReuseAContext() throws Exception {
        String code = leakDetector("leaked = False\n");
        run(code, FIVE, Map.of(), "job A");
        assertEquals(RunHandle.Context.REUSED, run(code, FIVE, Map.of(), "job A").context);
        // same code, another client: another job
        assertEquals(RunHandle.Context.FRESH, run(code, FIVE, Map.of(), "job B").context);
        // a run without a job
        assertEquals(RunHandle.Context.FRESH, run(code, FIVE, Map.of(), null).context);
        // a run that failed is not kept: the job's next run gets a new context
        String failing = code + "\nif len([1]) == 1:\n    raise ValueError('no')\n";
        RunHandle h = pool.submit(TestPool.request(failing, FIVE, Map.of()), RunListener.NONE, "job C");
        assertTrue(h.outcome().get(120, TimeUnit.SECONDS) instanceof RunOutcome.Failed);
        RunHandle h2 = pool.submit(TestPool.request(failing, FIVE, Map.of()), RunListener.NONE, "job C");
        assertTrue(h2.outcome().get(120, TimeUnit.SECONDS) instanceof RunOutcome.Failed);
        assertEquals(RunHandle.Context.FRESH, h2.context());
    }

    private record Done(BacktestResult result, RunHandle.Context context, String discardedBecause) { }

    private static Done run(String code, KlineSeries k, Map<String, Object> params, String job) throws Exception {
        return run(TestPool.request(code, k, params), job);
    }

    private static Done run(BacktestRequest r, String job) throws Exception {
        RunHandle h = pool.submit(r, RunListener.NONE, job == null ? null : sha256(job));
        BacktestResult result = succeeded(h.outcome().get(120, TimeUnit.SECONDS));
        return new Done(result, h.context(), h.contextDiscardedBecause());
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Equal to the last digit: every field of the result, the fills, the equity curve, as the wire writes them. */
    private static void assertSameResult(BacktestResult expected, BacktestResult actual, String what) throws IOException {
        assertEquals(expected.totalTrades(), actual.totalTrades(), what + " trades");
        assertEquals(expected.finalBalance(), actual.finalBalance(), what + " final balance");
        assertEquals(expected.trades(), actual.trades(), what + " fills");
        assertArrayEquals(bytes(expected), bytes(actual), what + ": the results differ");
    }

    private static byte[] bytes(BacktestResult r) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            Wire.writeResultBody(out, r);
        }
        return b.toByteArray();
    }

    private static KlineSeries head(KlineSeries m, int n) {
        return new KlineSeries(Arrays.copyOf(m.openTime(), n), Arrays.copyOf(m.open(), n), Arrays.copyOf(m.high(), n),
                Arrays.copyOf(m.low(), n), Arrays.copyOf(m.close(), n), Arrays.copyOf(m.volume(), n),
                Arrays.copyOf(m.closeTime(), n), Arrays.copyOf(m.quoteVolume(), n), Arrays.copyOf(m.tradesCount(), n),
                Arrays.copyOf(m.takerBuyBaseVolume(), n), Arrays.copyOf(m.takerBuyQuoteVolume(), n));
    }
}
