package dev.candlebox.sandbox.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.engine.Trading;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.sandbox.worker.WorkerPoolConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract section 6 checked against a second, plain implementation written from the contract alone
 * ({@code src/test/resources/reference/plain_engine.py}, CPython, exact decimals): the strategies in
 * {@code reference/strategies/} run through the product path (worker process, GraalPy, the engine) and
 * through the plain simulator on real Binance data (the BTCUSDT 1h perpetual klines 2025-01 .. 2026-07
 * with their real funding, the whole main spot series, March 2025 hours with their minutes), long and short,
 * leverage 1, 5 and 20, isolated and cross, every fill mode, every order type and bracket, liquidations.
 * Every fill (kline, type, reason, price, amount, fee, slippage, wallet after), every funding payment,
 * the final balance, funding paid, the order statuses and the counts must be the same to the last
 * digit; the equity curve (doubles) within 1e-9 relative.
 */
class OrdersMatchPlainEngineTest {
    private static final double TOLERANCE = 1e-9;
    private static final Duration RUN_TIME_LIMIT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WorkerPool pool;
    private static Path data;
    private static ReferenceKlines perpetual;
    private static FundingSeries perpetualFunding;
    private static ReferenceKlines spot;
    private static ReferenceKlines marchMinutes;
    private static ReferenceKlines marchHours;

    @TempDir
    static Path work;

    /** One run: the strategy file, its params, the trading settings, the data. */
    record Case(String name, String strategy, Map<String, Object> params, Trading trading, String klines,
                boolean funding, boolean minutes, int minLiquidations) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Trading futures(int leverage, Trading.MarginMode mode, Trading.FillTiming fill) {
        return new Trading(Trading.Market.FUTURES, leverage, mode, fill, new BigDecimal("0.0002"),
                new BigDecimal("0.0002"), new BigDecimal("0.0005"), Trading.Intrabar.PESSIMISTIC);
    }

    private static Trading spotTrading(Trading.Intrabar intrabar) {
        BigDecimal fee = new BigDecimal("0.001");
        return new Trading(Trading.Market.SPOT, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED, BigDecimal.ZERO,
                fee, fee, intrabar);
    }

    static Stream<Case> cases() {
        var iso = Trading.MarginMode.ISOLATED;
        var seed = Trading.FillTiming.SEED;
        return Stream.of(
                new Case("long/short SMA with brackets, futures 5x", "long_short_sma.py", Map.of(),
                        futures(5, iso, seed), "perpetual", true, false, 0),
                new Case("resting orders and trailing stop, futures 5x", "resting_orders.py", Map.of(),
                        futures(5, iso, seed), "perpetual", true, false, 0),
                new Case("liquidated, futures 20x isolated", "liquidate_me.py", Map.of(),
                        futures(20, iso, seed), "perpetual", true, false, 1),
                new Case("liquidated, futures 20x cross", "liquidate_me.py", Map.of(),
                        futures(20, Trading.MarginMode.CROSS, seed), "perpetual", true, false, 1),
                new Case("flips at the close, futures 1x", "flip.py", Map.of(),
                        futures(1, iso, Trading.FillTiming.CLOSE), "perpetual", true, false, 0),
                new Case("flips at the next open, futures 5x", "flip.py", Map.of(),
                        futures(5, iso, Trading.FillTiming.NEXT_OPEN), "perpetual", true, false, 0),
                new Case("long/short SMA with brackets, spot", "long_short_sma.py", Map.of(),
                        spotTrading(Trading.Intrabar.PESSIMISTIC), "spot", false, false, 0),
                new Case("resting orders, spot", "resting_orders.py", Map.of(),
                        spotTrading(Trading.Intrabar.PESSIMISTIC), "spot", false, false, 0),
                new Case("tight brackets, spot hours walked by their minutes", "long_short_sma.py",
                        Map.of("sl", 0.0015, "tp", 0.0015), spotTrading(Trading.Intrabar.ONE_MINUTE), "march", false, true, 0),
                new Case("tight brackets, spot hours walked pessimistically", "long_short_sma.py",
                        Map.of("sl", 0.0015, "tp", 0.0015), spotTrading(Trading.Intrabar.PESSIMISTIC), "march", false, false, 0));
    }

    @BeforeAll
    static void start() throws IOException {
        data = Klines.testData();
        perpetual = BinanceCsv.read(data.resolve("gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz"));
        perpetualFunding = readFunding(data.resolve("gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz"));
        // the whole main series: 48 478 hours, 2019-01 .. 2024-07, its real gaps included
        spot = BinanceCsv.read(data.resolve("derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"));
        marchMinutes = BinanceCsv.readOhlcv(data.resolve("derived/BTCUSDT-1m-spot-202503.csv.gz"), Duration.ofMinutes(1));
        marchHours = hours(marchMinutes);
        WorkerPoolConfig config = WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"),
                Path.of(System.getProperty("candlebox.jvmci.dir", "target/jvmci"))).withPoolSize(1);
        pool = WorkerPool.start(config.withLimits(config.limits().withWallTime(RUN_TIME_LIMIT)));
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineAgreesWithThePlainImplementation(Case c) throws Exception {
        ReferenceKlines klines = switch (c.klines()) {
            case "perpetual" -> perpetual;
            case "spot" -> spot;
            case "march" -> marchHours;
            default -> throw new IllegalArgumentException(c.klines());
        };
        FundingSeries funding = c.funding() ? perpetualFunding : FundingSeries.NONE;
        String code = Files.readString(reference().resolve("strategies").resolve(c.strategy()));

        BacktestRequest request = new BacktestRequest(code, StrategiesMatchReferenceTest.series(klines), c.params(),
                new BigDecimal("10000"), c.trading().takerFee(), "BTC", "USDT", c.trading(), funding,
                c.minutes() ? StrategiesMatchReferenceTest.series(marchMinutes) : null);
        RunOutcome outcome = pool.submit(request, RunListener.NONE).outcome().get(RUN_TIME_LIMIT.toMinutes() + 5, TimeUnit.MINUTES);
        if (outcome instanceof RunOutcome.Failed(var error, var logs)) fail("run failed: " + error + "\nlogs: " + logs);
        RunOutcome.Succeeded ok = assertInstanceOf(RunOutcome.Succeeded.class, outcome);
        BacktestResult actual = ok.result();

        JsonNode expected = plain(c, klines, funding);
        String what = c.name();
        assertFills(what, expected.get("trades"), actual.trades());
        assertFunding(what, expected.get("funding"), actual.funding());
        assertDecimal(what + ": finalBalance", expected.get("finalBalance"), actual.finalBalance());
        assertDecimal(what + ": fundingPaid", expected.get("fundingPaid"), actual.fundingPaid());
        assertEquals(expected.get("liquidations").asInt(), actual.liquidations(), what + ": liquidations");
        assertEquals(expected.get("ambiguousKlines").asInt(), actual.dataQuality().ambiguousKlines(), what + ": ambiguous klines");
        assertEquals(expected.get("droppedOrders").asInt(), actual.dataQuality().droppedOrders(), what + ": dropped orders");
        assertEquals(expected.get("fundingSkipped").asInt(), actual.dataQuality().fundingSkipped(), what + ": funding skipped");
        assertOrders(what, expected.get("orders"), actual.orders());
        JsonNode equity = expected.get("equity");
        assertEquals(klines.size(), equity.size(), what + ": plain equity points");
        for (int i = 0; i < klines.size(); i++) {
            assertClose(what + ": equity " + i, equity.get(i).asDouble(), actual.equityCurve().equity()[i]);
        }
        assertEquals(expected.get("printed").asText(), ok.logs(), what + ": printed");
        assertTrue(actual.totalTrades() > 0, what + " must trade");
        assertTrue(actual.liquidations() >= c.minLiquidations(), what + ": at least " + c.minLiquidations() + " liquidation(s)");
        if (c.trading().futures()) {
            assertTrue(actual.trades().stream().anyMatch(f -> f.side() == dev.candlebox.sandbox.engine.Side.SELL
                    && f.balance().signum() >= 0), what + " sells");
        }
        System.out.printf("%s: %d klines, %d fills, %d funding payments, %d liquidations, %d orders, %d ambiguous, final %s%n",
                what, klines.size(), actual.totalTrades(), actual.funding().size(), actual.liquidations(), actual.orders().size(),
                actual.dataQuality().ambiguousKlines(), actual.finalBalance().toPlainString());
    }

    private static void assertFills(String what, JsonNode expected, List<Fill> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            JsonNode e = expected.get(i);
            Fill a = actual.get(i);
            String w = what + ": fill " + i + " (expected " + e + ", was " + a + ")";
            assertEquals(e.get("kline").asInt(), a.klineIndex(), w + ": kline");
            assertEquals(e.get("timestamp").asLong(), a.timestamp(), w + ": timestamp");
            assertEquals(e.get("type").asText(), a.type(), w + ": type");
            assertEquals(e.get("reason").asText(), a.reason().wire(), w + ": reason");
            assertDecimal(w + ": price", e.get("price"), a.price());
            assertDecimal(w + ": amount", e.get("amount"), a.amount());
            assertDecimal(w + ": fee", e.get("fee"), a.fee());
            assertDecimal(w + ": slippage", e.get("slippage"), a.slippage());
            assertDecimal(w + ": balance", e.get("balance"), a.balance());
        }
        assertEquals(expected.size(), actual.size(), what + ": number of fills");
    }

    private static void assertFunding(String what, JsonNode expected, List<BacktestResult.FundingPayment> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            JsonNode e = expected.get(i);
            BacktestResult.FundingPayment a = actual.get(i);
            String w = what + ": funding " + i + " (expected " + e + ", was " + a + ")";
            assertEquals(e.get("timestamp").asLong(), a.timestamp(), w + ": time");
            assertDecimal(w + ": rate", e.get("rate"), a.rate());
            assertDecimal(w + ": price", e.get("price"), a.price());
            assertDecimal(w + ": position", e.get("position"), a.position());
            assertDecimal(w + ": amount", e.get("amount"), a.amount());
        }
        assertEquals(expected.size(), actual.size(), what + ": number of funding payments");
    }

    private static void assertOrders(String what, JsonNode expected, List<Order> actual) {
        assertEquals(expected.size(), actual.size(), what + ": number of resting orders");
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(expected.get(i).get("id").asLong(), actual.get(i).id(), what + ": order " + i + " id");
            assertEquals(expected.get(i).get("status").asText(), actual.get(i).status().wire(),
                    what + ": order " + actual.get(i).id() + " status");
        }
    }

    private static void assertDecimal(String what, JsonNode expected, BigDecimal actual) {
        BigDecimal e = new BigDecimal(expected.asText());
        if (e.compareTo(actual) != 0) fail(what + ": expected " + e.toPlainString() + " but was " + actual.toPlainString());
    }

    private static void assertClose(String what, double expected, double actual) {
        double magnitude = Math.max(Math.max(Math.abs(expected), Math.abs(actual)), 1.0);
        if (!(Math.abs(expected - actual) <= TOLERANCE * magnitude)) fail(what + ": expected " + expected + " but was " + actual);
    }

    /** Runs the plain implementation (python3) on the same klines, funding and settings. */
    private static JsonNode plain(Case c, ReferenceKlines klines, FundingSeries funding) throws Exception {
        Path dir = Files.createTempDirectory(work, "plain");
        Path klinesCsv = writeCsv(dir.resolve("klines.csv"), klines);
        ObjectNode in = JSON.createObjectNode();
        in.put("strategy", reference().resolve("strategies").resolve(c.strategy()).toAbsolutePath().toString());
        in.set("params", JSON.valueToTree(c.params()));
        in.put("initialBalance", "10000");
        Trading t = c.trading();
        in.put("market", Trading.wire(t.market()));
        in.put("leverage", t.leverage());
        in.put("marginMode", Trading.wire(t.marginMode()));
        in.put("fill", Trading.wire(t.fill()));
        in.put("slippage", t.slippage().toPlainString());
        in.put("makerFee", t.makerFee().toPlainString());
        in.put("takerFee", t.takerFee().toPlainString());
        in.put("intrabar", Trading.wire(t.intrabar()));
        in.put("klines", klinesCsv.toString());
        if (c.minutes()) in.put("minutes", writeCsv(dir.resolve("minutes.csv"), marchMinutes).toString());
        else in.putNull("minutes");
        ArrayNode f = in.putArray("funding");
        for (int i = 0; i < funding.size(); i++) {
            f.addArray().add(funding.time()[i]).add(funding.rate()[i].toPlainString()).addNull();
        }
        in.set("tiers", tiers());
        Path input = dir.resolve("input.json");
        Path output = dir.resolve("output.json");
        JSON.writeValue(input.toFile(), in);
        Process p = new ProcessBuilder("python3", reference().resolve("plain_engine.py").toString(), input.toString(),
                output.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) fail("plain_engine.py failed: " + log);
        return JSON.readTree(output.toFile());
    }

    /** BTCUSDT's shipped tier table, read from the resource file itself: [[cap, mmr, cum], ...]. */
    private static ArrayNode tiers() throws IOException {
        ArrayNode out = JSON.createArrayNode();
        try (var in = OrdersMatchPlainEngineTest.class.getResourceAsStream("/dev/candlebox/sandbox/engine/tiers/BTCUSDT.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] x = line.strip().split(",");
                out.addArray().add(x[1]).add(x[3]).add(x[4]);
            }
        }
        return out;
    }

    private static Path writeCsv(Path file, ReferenceKlines k) throws IOException {
        StringBuilder sb = new StringBuilder(k.size() * 80);
        for (int i = 0; i < k.size(); i++) {
            sb.append(k.openTime()[i]).append(',').append(k.open()[i]).append(',').append(k.high()[i]).append(',')
                    .append(k.low()[i]).append(',').append(k.close()[i]).append(',').append(k.volume()[i]).append(',')
                    .append(k.closeTime()[i]).append('\n');
        }
        Files.writeString(file, sb);
        return file.toAbsolutePath();
    }

    private static Path reference() {
        return Path.of("src/test/resources/reference").toAbsolutePath();
    }

    /** fundingTime,fundingIntervalHours,fundingRate (a header row first). */
    static FundingSeries readFunding(Path gz) {
        List<long[]> times = new ArrayList<>();
        List<BigDecimal> rates = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                if (!Character.isDigit(f[0].charAt(0))) continue;
                times.add(new long[] {Long.parseLong(f[0])});
                rates.add(new BigDecimal(f[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] t = new long[times.size()];
        for (int i = 0; i < t.length; i++) t[i] = times.get(i)[0];
        return new FundingSeries(t, rates.toArray(BigDecimal[]::new), new BigDecimal[t.length]);
    }

    /** 1h klines rolled up from complete runs of 1-minute klines (a plain roll-up: first open, max, min, last close). */
    static ReferenceKlines hours(ReferenceKlines m) {
        int n = m.size() / 60;
        double[][] ohlc = new double[n][];
        for (int h = 0; h < n; h++) {
            int from = h * 60;
            double hi = Double.NEGATIVE_INFINITY, lo = Double.POSITIVE_INFINITY;
            for (int j = from; j < from + 60; j++) {
                hi = Math.max(hi, m.high()[j]);
                lo = Math.min(lo, m.low()[j]);
            }
            ohlc[h] = new double[] {m.open()[from], hi, lo, m.close()[from + 59]};
        }
        return ReferenceKlines.ofOhlc(m.openTime()[0], 3_600_000L, ohlc);
    }
}
