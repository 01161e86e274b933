package dev.candlebox.sandbox.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.reference.strategies.ReferenceStrategies;
import dev.candlebox.sandbox.reference.strategies.RsiMacd;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.sandbox.worker.WorkerPoolConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.candlebox.sandbox.Klines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of {@code strategies/} run through the product path (worker processes, GraalPy, the
 * engine's account) on real Binance data, against the plain Java reference of the same strategy:
 * every fill, the metrics and the equity curve must agree within 1e-9 relative, and every strategy
 * must trade. Also: the reference document's examples exactly as printed.
 */
class StrategiesMatchReferenceTest {

    /** Relative tolerance. Amounts may differ in the last bit of a float (e.g. balance / close), no more. */
    private static final double TOLERANCE = 1e-9;
    private static final BigDecimal INITIAL = new BigDecimal("10000");
    private static final BigDecimal FEE_RATE = new BigDecimal("0.001");
    /** The main 1h series from 2019-01-01: 20 000 klines to 2021-04 (real exchange gaps included). */
    private static final int HOURLY_KLINES = 20_000;
    private static final Duration RUN_TIME_LIMIT = Duration.ofMinutes(10);

    private static WorkerPool pool;
    /** The largest relative difference seen in the current comparison, reported for the record. */
    private static double largestDifference;
    private static ReferenceKlines hourly;
    private static ReferenceKlines minutes;

    /** Parameters per strategy: chosen so that each trades on the data, and to exercise more of the rules. */
    private static final Map<String, Map<String, Object>> PARAMS = Map.of(
            "ma_cross.py", Map.of(),
            "rsi_macd.py", Map.of(),
            "breakout_stop_loss_take_profit.py", Map.of(),
            "time_filter.py", Map.of(),
            "bollinger_reversion.py", Map.of("num_std", 2.5, "klineWndSize", 30),
            "donchian_breakout.py", Map.of(),
            // a window larger than the default 50
            "rsi_trend_filter.py", Map.of("trend_period", 100, "klineWndSize", 120),
            // 2000 per buy from 10000: the fifth buy without a sell in between is refused by the balance
            "dca_take_profit.py", Map.of("quote_per_buy", 2000, "max_buys", 8, "take_profit", 0.04));

    @BeforeAll
    static void startPool() {
        Path data = Klines.testData();
        hourly = BinanceCsv.read(data.resolve("derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz")).slice(0, HOURLY_KLINES);
        minutes = BinanceCsv.readOhlcv(data.resolve("derived/BTCUSDT-1m-spot-202503.csv.gz"), Duration.ofMinutes(1));
        // The time limit is not under test here, and the test machine may be shared: allow slow runs.
        WorkerPoolConfig config = WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"),
                Path.of(System.getProperty("candlebox.jvmci.dir", "target/jvmci"))).withPoolSize(2);
        pool = WorkerPool.start(config.withLimits(config.limits().withWallTime(RUN_TIME_LIMIT)));
    }

    @AfterAll
    static void stopPool() {
        if (pool != null) {
            pool.close();
        }
    }

    static Stream<String> strategyFiles() {
        try (Stream<Path> files = Files.list(strategiesDir())) {
            // the templates reading derivatives or other series are InputTemplatesTest's
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py"))
                    .filter(n -> !dev.candlebox.sandbox.python.InputTemplatesTest.FILES.contains(n)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path strategiesDir() {
        return Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies");
    }

    @ParameterizedTest(name = "{0} on BTCUSDT 1h")
    @MethodSource("strategyFiles")
    void strategyMatchesTheReferenceOnHourlyKlines(String file) throws Exception {
        compare(file, hourly, PARAMS.getOrDefault(file, Map.of()));
    }

    @ParameterizedTest(name = "{0} on BTCUSDT 1m")
    @MethodSource("strategyFiles")
    void strategyMatchesTheReferenceOnMinuteKlines(String file) throws Exception {
        compare(file, minutes, PARAMS.getOrDefault(file, Map.of()));
    }

    private static void compare(String file, ReferenceKlines klines, Map<String, Object> params) throws Exception {
        var reference = ReferenceStrategies.BY_FILE.get(file);
        assertTrue(reference != null, "no Java reference for strategies/" + file);
        ReferenceResult expected = ReferenceBacktest.run(klines, reference.get(), params, INITIAL, FEE_RATE);
        long started = System.nanoTime();
        BacktestResult actual = succeed(Files.readString(strategiesDir().resolve(file)), klines, params);
        long millis = (System.nanoTime() - started) / 1_000_000;
        largestDifference = 0;

        assertTrue(expected.totalTrades() > 0, file + " must trade on this data (reference made no fill)");
        assertFills(file, expected.trades(), actual.trades());
        assertEquals(expected.totalTrades(), actual.totalTrades(), file + " totalTrades");
        double money = INITIAL.doubleValue();
        assertClose(file + " finalBalance", expected.finalBalance(), actual.finalBalance(), money);
        assertClose(file + " profit", expected.profit(), actual.profit(), money);
        assertClose(file + " profitRate", expected.profitRate(), actual.profitRate(), 1);
        assertClose(file + " maxDrawdown", expected.maxDrawdown(), actual.maxDrawdown(), 1);
        assertClose(file + " winRate", expected.winRate(), actual.winRate(), 1);
        assertClose(file + " quoteFee", expected.quoteFee(), actual.quoteFee(), money);
        assertClose(file + " baseFee", BigDecimal.ZERO, actual.baseFee(), money);
        assertClose(file + " baseAsset", expected.baseAsset(), actual.baseAsset(), 1);
        assertClose(file + " quoteAsset", expected.quoteAsset(), actual.quoteAsset(), money);
        assertClose(file + " initialBalance", INITIAL, actual.initialBalance(), money);
        assertEquity(file, klines, expected, actual.equityCurve());
        System.out.printf("%s: %d klines, %d fills, final %s, largest relative difference %.3g, run %d ms%n",
                file, klines.size(), actual.totalTrades(), actual.finalBalance().toPlainString(), largestDifference,
                millis);
    }

    private static void assertFills(String file, List<ReferenceFill> expected, List<Fill> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            ReferenceFill e = expected.get(i);
            Fill a = actual.get(i);
            String what = file + " fill " + i + " (expected " + e + ", was " + a + ")";
            assertEquals(e.klineIndex(), a.klineIndex(), what + ": kline");
            assertEquals(e.timestamp(), a.timestamp(), what + ": timestamp");
            assertEquals(e.side().name(), a.side().name(), what + ": side");
            assertClose(what + ": price", e.price(), a.price(), 0);
            assertClose(what + ": amount", e.amount(), a.amount(), 0);
            assertClose(what + ": fee", e.fee(), a.fee(), 0);
            assertClose(what + ": balance", e.balanceAfter(), a.balance(), INITIAL.doubleValue());
        }
        assertEquals(expected.size(), actual.size(), file + " number of fills");
    }

    /** Every point of the curve: equity, balance and position at each close, and its timestamp. */
    private static void assertEquity(String file, ReferenceKlines klines, ReferenceResult expected, EquityCurve actual) {
        assertEquals(klines.size(), actual.size(), file + " equity points");
        double money = INITIAL.doubleValue();
        for (int i = 0; i < klines.size(); i++) {
            ReferenceResult.EquityPoint e = expected.equityCurve().get(i);
            assertEquals(klines.openTime()[i], actual.timestamp()[i], file + " equity timestamp " + i);
            assertClose(file + " equity " + i, e.equity().doubleValue(), actual.equity()[i], money);
            assertClose(file + " balance " + i, e.balance().doubleValue(), actual.balance()[i], money);
            assertClose(file + " position " + i, e.position().doubleValue(), actual.position()[i], 1e-6);
        }
    }

    private static BacktestResult succeed(String code, ReferenceKlines klines, Map<String, Object> params)
            throws Exception {
        RunOutcome outcome = run(code, klines, params);
        if (outcome instanceof RunOutcome.Failed(var error, var logs)) {
            fail("run failed: " + error + "\nlogs: " + logs);
        }
        return assertInstanceOf(RunOutcome.Succeeded.class, outcome).result();
    }

    private static RunOutcome run(String code, ReferenceKlines klines, Map<String, Object> params) throws Exception {
        BacktestRequest request = new BacktestRequest(code, series(klines), params, INITIAL, FEE_RATE, "BTC", "USDT");
        return pool.submit(request, RunListener.NONE).outcome().get(RUN_TIME_LIMIT.toMinutes() + 5, TimeUnit.MINUTES);
    }

    static KlineSeries series(ReferenceKlines k) {
        return new KlineSeries(k.openTime(), k.open(), k.high(), k.low(), k.close(), k.volume(), k.closeTime(),
                k.quoteVolume(), k.tradesCount(), k.takerBuyBaseVolume(), k.takerBuyQuoteVolume());
    }

    /** |e - a| <= 1e-9 * max(|e|, |a|, scale): relative, with a floor for values near zero. */
    private static void assertClose(String what, double expected, double actual, double scale) {
        double magnitude = Math.max(Math.max(Math.abs(expected), Math.abs(actual)), scale);
        double bound = TOLERANCE * magnitude;
        if (magnitude > 0) {
            largestDifference = Math.max(largestDifference, Math.abs(expected - actual) / magnitude);
        }
        if (!(Math.abs(expected - actual) <= bound)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    private static void assertClose(String what, BigDecimal expected, BigDecimal actual, double scale) {
        assertClose(what, expected.doubleValue(), actual.doubleValue(), scale);
    }

    // --- the reference document's examples exactly as printed ---

    private static String printed(String name) throws IOException {
        try (var in = StrategiesMatchReferenceTest.class.getResourceAsStream("printed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first slice start where, on the 30th kline, the SMA10 of the closes is above (or below) the SMA30. */
    private static int firstStartWhere(boolean fastAbove) {
        for (int s = 0; s + 30 <= hourly.size(); s += 24) {
            double[] first30 = java.util.Arrays.copyOfRange(hourly.close(), s, s + 30);
            double fast = ReferenceIndicators.sma(first30, 10);
            double slow = ReferenceIndicators.sma(first30, 30);
            if (fastAbove ? fast > slow : fast < slow) {
                return s;
            }
        }
        throw new AssertionError("no such slice");
    }

    @Test
    void theMovingAverageExampleAsPrintedFailsOnLine16WhenTheFastAverageIsAbove() throws Exception {
        int start = firstStartWhere(true);
        // On the 30th kline prev_slow = calculate_sma(29 closes, 30) is None; fast_ma > slow_ma holds, so
        // `prev_fast <= prev_slow` on line 16 is evaluated and raises a TypeError.
        RunOutcome outcome = run(printed("ma_cross.py"), hourly.slice(start, start + 200), Map.of());
        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcome);
        assertEquals(16, failed.error().line(), failed.error().toString());
        assertTrue(failed.error().message().contains("None"), failed.error().message());
    }

    @Test
    void theMovingAverageExampleAsPrintedFailsOnLine21WhenTheFastAverageIsBelow() throws Exception {
        int start = firstStartWhere(false);
        // fast_ma > slow_ma is False, so line 16 short-circuits; the elif on line 21 compares with None.
        RunOutcome outcome = run(printed("ma_cross.py"), hourly.slice(start, start + 200), Map.of());
        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcome);
        assertEquals(21, failed.error().line(), failed.error().toString());
        assertTrue(failed.error().message().contains("None"), failed.error().message());
    }

    @Test
    void theRsiMacdExampleAsPrintedMatchesTheReference() throws Exception {
        ReferenceResult expected = ReferenceBacktest.run(hourly, new RsiMacd(), Map.of(), INITIAL, FEE_RATE);
        BacktestResult actual = succeed(printed("rsi_macd.py"), hourly, Map.of());
        assertTrue(expected.totalTrades() > 0);
        assertFills("printed rsi_macd.py", expected.trades(), actual.trades());
        assertClose("printed rsi_macd.py finalBalance", expected.finalBalance(), actual.finalBalance(),
                INITIAL.doubleValue());
    }

    @Test
    void theBreakoutExampleAsPrintedNeverBuys() throws Exception {
        // Its channel includes the current kline, whose high is never below its close.
        BacktestResult actual = succeed(printed("breakout_stop_loss_take_profit.py"), hourly, Map.of());
        assertEquals(0, actual.totalTrades());
        assertEquals(0, INITIAL.compareTo(actual.finalBalance()));
    }

    @Test
    void theTimeFilterExampleAsPrintedRunsAndDoesNothing() throws Exception {
        BacktestResult actual = succeed(printed("time_filter.py"), hourly.slice(0, 500), Map.of());
        assertEquals(0, actual.totalTrades());
        assertEquals(500, actual.equityCurve().size());
    }
}
