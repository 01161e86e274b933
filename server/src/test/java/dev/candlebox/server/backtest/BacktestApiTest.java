package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.CandleboxServer;
import dev.candlebox.server.MainSeries;
import dev.candlebox.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backtest API end to end on PostgreSQL and Redis, over the real main series, with real worker
 * processes: submit, follow the events, fetch, and check the numbers with a second implementation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BacktestApiTest {
    static final ObjectMapper JSON = BacktestService.json();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Slow enough to stay running until cancelled or timed out. */
    static final String SLOW = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    x = 0
                    for i in range(3000000):
                        x += i
            """;

    String dbUrl;
    CandleboxServer server;
    List<String[]> lines;

    @BeforeAll
    void start() throws IOException {
        dbUrl = TestDatabases.freshPostgres();
        Map<String, String> env = new HashMap<>();
        env.put("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString());
        env.put("REDIS_URL", System.getProperty("candlebox.test.redis", "redis://127.0.0.1:6379"));
        env.put("RATE_LIMIT_KEY_PREFIX", "cbtest:" + UUID.randomUUID() + ":");
        env.put("RATE_LIMIT_PER_SECOND", "10000");
        env.put("RATE_LIMIT_PER_MINUTE", "100000");
        env.put("BACKTEST_SUBMIT_PER_SECOND", "1000");
        env.put("BACKTEST_SUBMIT_PER_MINUTE", "10000");
        env.put("BACKTEST_MAX_ACTIVE_PER_CLIENT", "10");
        env.put("BACKTEST_QUEUE_CAPACITY", "2");
        env.put("BACKTEST_MAX_CODE_BYTES", "20000");
        env.put("WORKERS", "2");
        env.put("WORKER_WARMUP_KLINES", "50000");
        env.put("RUN_TIME_LIMIT_SECONDS", "120");
        server = CandleboxServer.start(ServerConfig.fromEnv(env).withPort(0).withDatabaseUrl(dbUrl));
        lines = MainSeries.lines();
        new KlineStore(server.database()).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(lines));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        TestDatabases.dropPostgresSchema(dbUrl);
    }

    static String strategy(String file) throws IOException {
        return Files.readString(Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies").resolve(file));
    }

    HttpResponse<String> send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    ObjectNode body(String code) {
        ObjectNode b = JSON.createObjectNode();
        b.put("symbol", "BTCUSDT");
        b.put("interval", "1h");
        b.put("initialBalance", 10000);
        b.put("feeRate", 0.001);
        b.put("code", code);
        return b;
    }

    String submit(ObjectNode body) {
        HttpResponse<String> r = send("POST", "/api/v1/backtests", body.toString());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode run = json(r);
        assertEquals("queued", run.get("status").asText());
        return run.get("id").asText();
    }

    /** Follows a run's events until {@code end}; returns the names of the events seen, and the end's data. */
    record Events(List<String> names, List<JsonNode> fills, JsonNode end) {}

    Events follow(String id) {
        try {
            HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/backtests/" + id + "/events"))
                            .header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            List<String> names = new ArrayList<>();
            List<JsonNode> fills = new ArrayList<>();
            String event = null;
            Iterator<String> it = r.body().iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) event = line.substring(6).trim();
                else if (line.startsWith("data:") && event != null) {
                    JsonNode data = JSON.readTree(line.substring(5).trim());
                    names.add(event);
                    if (event.equals("fill")) fills.add(data);
                    if (event.equals("end")) return new Events(names, fills, data);
                }
            }
            throw new AssertionError("the event stream ended without 'end': " + names);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode awaitStatus(String id, String status, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JsonNode run;
        do {
            run = json(send("GET", "/api/v1/backtests/" + id + "?view=summary", null));
            if (run.get("status").asText().equals(status)) return run;
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("run " + id + " did not become " + status + ": " + run);
    }

    @Test
    void idleWorkersWarmUpAndMetricsSaySo() throws InterruptedException {
        // WORKER_WARMUP_KLINES=50000: one warm-up run per worker, given up whenever a test's run arrives.
        long deadline = System.currentTimeMillis() + 300_000;
        String metrics;
        do {
            metrics = send("GET", "/metrics", null).body();
            if (metrics.contains("candlebox_workers_warm 2.0")) return;
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("workers not warm within 300 s: " + metrics.lines()
                .filter(l -> l.startsWith("candlebox_workers")).toList());
    }

    @Test
    void aMovingAverageRunOverTheMainSeriesMatchesTheContractsArithmetic() throws IOException {
        ObjectNode body = body(strategy("ma_cross.py"));
        body.set("strategyParams", JSON.readTree("{\"fast_period\": 10, \"slow_period\": 30}"));
        String id = submit(body);
        Events events = follow(id);
        assertEquals("succeeded", events.end().get("status").asText(), events.end().toString());
        assertTrue(events.names().contains("progress"), "progress events: " + events.names());

        JsonNode run = json(send("GET", "/api/v1/backtests/" + id, null));
        JsonNode result = run.get("result");
        JsonNode trades = result.get("trades");
        int n = trades.size();
        assertTrue(n > 50, "the MA cross trades on 5.5 years of hours: " + n);
        assertEquals(n, result.get("totalTrades").asInt());
        assertEquals(n, events.fills().size(), "one fill event per trade");
        assertEquals(trades.get(0), events.fills().get(0));

        ContractArithmetic check = ContractArithmetic.replay(trades, lines, new BigDecimal("10000"), new BigDecimal("0.001"));
        assertEquals(check.finalEquity, result.get("finalBalance").asDouble(), 1e-6);
        assertEquals(check.finalEquity - 10000, result.get("profit").asDouble(), 1e-6);
        assertEquals((check.finalEquity - 10000) / 10000, result.get("profitRate").asDouble(), 1e-10);
        assertEquals(check.maxDrawdown, result.get("maxDrawdown").asDouble(), 1e-9);
        assertEquals(check.winRate, result.get("winRate").asDouble(), 1e-12);
        JsonNode curve = result.get("equityCurve");
        assertEquals(MainSeries.ROWS, curve.size(), "one equity point per kline");
        for (int i : new int[]{0, 1000, 20_000, MainSeries.ROWS - 1}) {
            assertEquals(check.equity[i], curve.get(i).get("equity").asDouble(), 1e-6 * check.equity[i], "equity at " + i);
        }
        assertEquals(10000 * (Double.parseDouble(lines.getLast()[4]) / Double.parseDouble(lines.getFirst()[4]) - 1) / 10000,
                run.get("metrics").get("buyAndHoldReturn").asDouble(), 1e-12);
        assertEquals(21, run.get("dataQuality").get("gaps").asInt(), "the main series' 21 real gaps");
        assertEquals(83, run.get("dataQuality").get("missingKlines").asInt());
        JsonNode firstGap = run.get("dataQuality").get("gapList").get(0);  // the file: 01:00 then 08:00 on 2019-03-12
        assertEquals("2019-03-12T02:00:00+00:00", firstGap.get("from").asText());
        assertTrue(firstGap.get("to").asText().startsWith("2019-03-12T07:59:59"), firstGap.toString());
        assertEquals(6, firstGap.get("missingKlines").asInt());
        assertEquals(64, run.get("reproducibility").get("codeSha256").asText().length());
        assertNotNull(run.get("startedAt").asText());

        JsonNode page = json(send("GET", "/api/v1/backtests/" + id + "/trades?offset=1&limit=2", null));
        assertEquals(n, page.get("total").asInt());
        assertEquals(trades.get(1), page.get("trades").get(0));
        JsonNode thin = json(send("GET", "/api/v1/backtests/" + id + "/equity?maxPoints=400", null));
        assertEquals(MainSeries.ROWS, thin.get("total").asInt());
        assertTrue(thin.get("equity").size() <= 400 && thin.get("equity").size() > 300, "thinned: " + thin.get("equity").size());
        double lowest = Double.MAX_VALUE;
        for (double e : check.equity) lowest = Math.min(lowest, e);
        double thinLowest = Double.MAX_VALUE;
        for (JsonNode e : thin.get("equity")) thinLowest = Math.min(thinLowest, e.asDouble());
        assertEquals(lowest, thinLowest, 1e-6, "thinning keeps the lowest point");

        HttpResponse<String> report = send("GET", "/api/v1/backtests/" + id + "/report.html", null);
        assertEquals(200, report.statusCode());
        assertTrue(report.body().contains("class=\"marker buy\"") && report.body().contains("class=\"marker sell\""));

        JsonNode list = json(send("GET", "/api/v1/backtests?limit=100", null));
        assertTrue(list.get("runs").findValuesAsText("id").contains(id));

        String metrics = send("GET", "/metrics", null).body();
        assertTrue(metrics.contains("candlebox_workers_size 2.0"), "worker pool state in /metrics");
        assertTrue(metrics.contains("candlebox_backtest_queue_length "), "queue length in /metrics");
        assertTrue(java.util.regex.Pattern.compile("candlebox_backtest_runs_total\\{outcome=\"succeeded\"} [1-9]").matcher(metrics).find(),
                "runs by outcome in /metrics");
        assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/backtests\",status=\"202\"}"),
                "request rates by route in /metrics");
        assertTrue(java.util.regex.Pattern.compile("candlebox_backtest_klines_total [1-9]").matcher(metrics).find(), "klines run in /metrics");
    }

    /** Sells 0.1 BTC at the first close and holds the short to the end. */
    static final String SHORT_AND_HOLD = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    if context.position == 0 and not context.trades:
                        context.sell(kline.close, 0.1)
            """;

    @Test
    void aFuturesShortOverThePerpetualsPaysTheirRealFundingAsTheContractComputesIt() throws IOException {
        // the BTCUSDT perpetual's 4h klines and its real funding, 2025-01 .. 2026-07
        Path data = dev.candlebox.db.TestDatabases.testData();
        List<String[]> perp = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                Files.newInputStream(data.resolve("gg-cmk__binance-quant/data/BTCUSDT-4h-futures.csv.gz")))))) {
            in.lines().filter(l -> Character.isDigit(l.charAt(0))).forEach(l -> perp.add(l.split(",")));
        }
        new KlineStore(server.database()).upsert(new Series("BTCUSDT", Interval.parse("4h").orElseThrow()), MainSeries.columns(perp));
        List<String[]> funding = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                Files.newInputStream(data.resolve("gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz")))))) {
            in.lines().filter(l -> Character.isDigit(l.charAt(0))).forEach(l -> funding.add(l.split(",")));
        }
        List<dev.candlebox.db.funding.FundingRate> rows = new ArrayList<>();
        for (String[] f : funding) rows.add(new dev.candlebox.db.funding.FundingRate(Long.parseLong(f[0]), new BigDecimal(f[2]), 8, null));
        new dev.candlebox.db.funding.FundingStore(server.database()).upsert("BTCUSDT", rows);

        ObjectNode body = body(SHORT_AND_HOLD);
        body.put("interval", "4h");
        body.put("market", "futures");
        body.put("leverage", 2); // liquidated above 1.5 / 1.004 x the entry (about 140 000): BTC stayed below
        body.put("fill", "close");
        body.put("slippage", "0.0002");
        body.put("makerFee", "0.0002");
        body.put("takerFee", "0.0005");
        String id = submit(body);
        assertEquals("succeeded", follow(id).end().get("status").asText());
        JsonNode run = json(send("GET", "/api/v1/backtests/" + id, null));
        JsonNode result = run.get("result");

        // By hand from the files: the short fills at the first close less 0.02 %, pays the 0.05 % taker fee,
        // then pays Q x open x rate at every funding time from the second kline on (the first kline's funding
        // was settled before run() saw it, while flat).
        BigDecimal q = new BigDecimal("-0.1");
        BigDecimal entry = new BigDecimal(perp.get(0)[4]).multiply(new BigDecimal("0.9998"));
        BigDecimal fee = new BigDecimal("0.1").multiply(entry).multiply(new BigDecimal("0.0005"));
        BigDecimal paid = BigDecimal.ZERO;
        int payments = 0;
        int k = 1;
        for (String[] f : funding) {
            long t = Long.parseLong(f[0]);
            while (k < perp.size() && Long.parseLong(perp.get(k)[6]) < t) k++;
            if (k >= perp.size() || t < Long.parseLong(perp.get(k)[0])) continue;
            paid = paid.add(q.multiply(new BigDecimal(perp.get(k)[1])).multiply(new BigDecimal(f[2])));
            payments++;
        }
        BigDecimal wallet = new BigDecimal("10000").subtract(fee).subtract(paid);
        BigDecimal finalBalance = wallet.add(q.multiply(new BigDecimal(perp.getLast()[4]).subtract(entry)));

        assertEquals("futures", result.get("market").asText());
        assertEquals(2, result.get("leverage").asInt());
        assertEquals(0, paid.compareTo(result.get("fundingPaid").decimalValue()), "fundingPaid " + result.get("fundingPaid") + " vs " + paid);
        assertEquals(0, finalBalance.compareTo(result.get("finalBalance").decimalValue()), result.get("finalBalance") + " vs " + finalBalance);
        assertEquals(1, result.get("trades").size());
        JsonNode trade = result.get("trades").get(0);
        assertEquals("sell", trade.get("type").asText());
        assertEquals("order", trade.get("reason").asText());
        assertEquals(0, entry.compareTo(trade.get("price").decimalValue()));
        assertEquals(0, fee.compareTo(trade.get("fee").decimalValue()));
        assertEquals(0, new BigDecimal("0.1").multiply(new BigDecimal(perp.get(0)[4])).multiply(new BigDecimal("0.0002"))
                .compareTo(trade.get("slippage").decimalValue()));
        assertEquals(payments, result.get("funding").size());
        assertTrue(payments > 1000, "payments: " + payments);
        JsonNode first = result.get("funding").get(0);
        assertEquals(0, new BigDecimal("-0.1").compareTo(first.get("position").decimalValue()));
        assertEquals(0, result.get("orders").size());
        assertEquals(0, result.get("liquidations").asInt());
        assertEquals(funding.size(), run.get("dataQuality").get("fundingTimes").asInt(), "every funding time is inside the run");
        assertEquals(0, run.get("dataQuality").get("ambiguousKlines").asInt());
        assertEquals("futures", run.get("request").get("market").asText());
        assertEquals("close", run.get("request").get("fill").asText());
        assertTrue(run.get("metrics").get("exposure").asDouble() > 0.99, "a short counts as exposure");

        // the same symbol's 1h spot run has no funding and says nothing about it; a futures 1h run says there is none
        ObjectNode noFunding = body(SHORT_AND_HOLD);
        noFunding.put("market", "futures");
        noFunding.put("startTime", "2020-01-01");
        noFunding.put("endTime", "2020-02-01");
        String id2 = submit(noFunding);
        assertEquals("succeeded", follow(id2).end().get("status").asText());
        JsonNode run2 = json(send("GET", "/api/v1/backtests/" + id2 + "?view=summary", null));
        assertEquals(0, run2.get("result").get("fundingPaid").asDouble());
        assertEquals(0, run2.get("dataQuality").get("fundingTimes").asInt());
        assertTrue(run2.get("dataQuality").get("funding").asText().startsWith("no funding data"), run2.get("dataQuality").toString());
    }

    /** Prints what the strategy sees of the derivatives and of the daily series on every kline. */
    static final String INPUTS_RECORDER = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    d = self.series("1d")
                    last = d.get_klines()[-1] if len(d) else None
                    print("%s|%r|%r|%r|%r|%s|%r" % (kline.open_time, kline.open_interest, kline.long_short_ratio,
                          kline.liquidations_long, kline.funding_rate, last.open_time if last else None,
                          last.close if last else None))
            """;

    @Test
    void aRunSeesTheCoinalyzeDerivativesAndADailySeriesBuiltFromTheHoursAsAPlainAlignmentSays() throws IOException {
        // Coinalyze's BTC perpetual export (UTC+6 times), hourly: the open interest's last value of the hour, the
        // long/short ratio and the liquidations, stored at the UTC open time of their hour
        Path dir = TestDatabases.testData().resolve("denizyts__Coinalyze-Backtester/src/csvFolder");
        Map<Long, String[]> oi = coinalyze(dir.resolve("BTCUSDT_PERP.A_open-interest-history.csv.gz"));
        Map<Long, String[]> ls = coinalyze(dir.resolve("BTCUSDT_PERP.A_long-short-ratio-history.csv.gz"));
        Map<Long, String[]> liq = coinalyze(dir.resolve("BTCUSDT_PERP.A_liquidation-history.csv.gz"));
        var db = server.database();
        dev.candlebox.db.derivatives.DerivativeStore.openInterest(db).upsert("BTCUSDT", Interval.H1, oi.entrySet().stream()
                .map(e -> new dev.candlebox.db.derivatives.OpenInterest(e.getKey(), new BigDecimal(e.getValue()[4]), null)).toList());
        dev.candlebox.db.derivatives.DerivativeStore.longShortRatios(db).upsert("BTCUSDT", Interval.H1, ls.entrySet().stream()
                .map(e -> new dev.candlebox.db.derivatives.LongShortRatio(e.getKey(), new BigDecimal(e.getValue()[1]), null, null)).toList());
        dev.candlebox.db.derivatives.DerivativeStore.liquidations(db).upsert("BTCUSDT", Interval.H1, liq.entrySet().stream()
                .map(e -> new dev.candlebox.db.derivatives.Liquidations(e.getKey(), twelve(e.getValue()[1]),
                        twelve(e.getValue()[2]), null, null)).toList());

        ObjectNode body = body(INPUTS_RECORDER);
        body.put("startTime", "2024-06-15T00:00:00Z");
        body.putArray("series").addObject().put("interval", "1d");
        String id = submit(body);
        assertEquals("succeeded", follow(id).end().get("status").asText());
        JsonNode run = json(send("GET", "/api/v1/backtests/" + id, null));
        String[] seen = run.get("logs").asText().split("\n");
        List<String[]> hours = lines.stream().filter(l -> Long.parseLong(l[0]) >= 1_718_409_600_000L).toList();
        assertEquals(hours.size(), seen.length);
        int withOi = 0;
        for (int i = 0; i < seen.length; i++) {
            String[] f = seen[i].split("\\|");
            long open = Long.parseLong(hours.get(i)[0]);
            // same interval: the hour's own value, or None when the export lacks that hour
            assertEquals(oi.containsKey(open) ? Double.valueOf(oi.get(open)[4]) : null, orNull(f[1]), "open interest " + f[0]);
            assertEquals(ls.containsKey(open) ? Double.valueOf(ls.get(open)[1]) : null, orNull(f[2]), "long/short " + f[0]);
            assertEquals(liq.containsKey(open) ? twelve(liq.get(open)[1]).doubleValue() : null, orNull(f[3]), "liquidations " + f[0]);
            if (oi.containsKey(open)) withOi++;
            // the last day that closed by this hour's close: the day before, or today at 23:00 (the hour closing with it)
            long day = Math.floorDiv(open, 86_400_000L) * 86_400_000L;
            long lastDay = open - day == 23 * 3_600_000L ? day : day - 86_400_000L;
            String[] lastHour = hours.stream().filter(h -> Long.parseLong(h[0]) == lastDay + 23 * 3_600_000L).findFirst()
                    .orElse(lines.stream().filter(h -> Long.parseLong(h[0]) == lastDay + 23 * 3_600_000L).findFirst().orElseThrow());
            assertEquals(java.time.Instant.ofEpochMilli(lastDay).toString().replace("Z", "+00:00"), f[5], "daily series at " + f[0]);
            assertEquals(Double.valueOf(lastHour[4]), orNull(f[6]), "the day's close is its last hour's close, at " + f[0]);
        }
        JsonNode inputs = run.get("dataQuality").get("inputs");
        assertEquals(withOi, inputs.get("open_interest").get("klines").asInt(), inputs.toString());
        assertEquals(seen.length, inputs.get("open_interest").get("of").asInt());
        assertEquals(seen.length, inputs.get("buy_volume").get("klines").asInt());
        assertEquals("1d", inputs.get("series").get(0).get("interval").asText());
        assertTrue(inputs.get("missing").toString().contains("funding_rate: no data for BTCUSDT"), inputs.toString());
        assertEquals("1d", run.get("request").get("series").get(0).get("interval").asText());
    }

    /** The stores keep 12 decimals: the export's 0.9740000000000001 is 0.974. */
    static BigDecimal twelve(String v) {
        return new BigDecimal(v).setScale(12, java.math.RoundingMode.HALF_EVEN);
    }

    /** Python's repr of a float or None. */
    static Double orNull(String v) {
        return v.equals("None") ? null : Double.valueOf(v);
    }

    /** UTC open time -> row of a Coinalyze export (times in UTC+6), the first of a repeated hour kept. */
    static Map<Long, String[]> coinalyze(Path gz) throws IOException {
        Map<Long, String[]> out = new java.util.TreeMap<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(Files.newInputStream(gz))))) {
            in.lines().filter(l -> !l.isBlank()).map(l -> l.split(",")).forEach(f -> out.putIfAbsent(
                    java.time.LocalDateTime.parse(f[0].replace(' ', 'T')).toInstant(java.time.ZoneOffset.ofHours(6)).toEpochMilli(), f));
        }
        return out;
    }

    @Test
    void theKlineApiBuildsDailyKlinesFromTheStoredHoursWhenNoDailyOnesAreStored() {
        // 2019-01-01 .. : every day of the main series is complete at the start (and another test may store the
        // perpetual's 4h klines of 2025-2026 under BTCUSDT: the hours are the interval with klines in this range)
        var response = send("GET", "/api/v1/kline/BTCUSDT/1d?start_time=2018-12-31&end_time=2019-01-03&limit=3", null);
        assertEquals("1h", response.headers().firstValue("X-Aggregated-From").orElse(null));
        JsonNode page = json(response);
        assertEquals(3, page.get("count").asInt(), page.toString());
        for (int d = 0; d < 3; d++) {
            List<String[]> day = lines.subList(24 * d, 24 * d + 24);
            JsonNode k = page.get("data").get(d);
            double high = day.stream().mapToDouble(l -> Double.parseDouble(l[2])).max().orElseThrow();
            double low = day.stream().mapToDouble(l -> Double.parseDouble(l[3])).min().orElseThrow();
            double volume = 0;
            for (String[] l : day) volume += Double.parseDouble(l[5]);
            assertEquals(Long.parseLong(day.get(0)[0]), java.time.OffsetDateTime.parse(k.get("open_time").asText()).toInstant().toEpochMilli(),
                    k.toString());
            assertEquals(Double.parseDouble(day.get(0)[1]), k.get("open").asDouble());
            assertEquals(high, k.get("high").asDouble());
            assertEquals(low, k.get("low").asDouble());
            assertEquals(Double.parseDouble(day.get(23)[4]), k.get("close").asDouble());
            assertEquals(volume, k.get("volume").asDouble(), 1e-6);
        }
        assertEquals("1d", json(send("GET", "/api/v1/kline/BTCUSDT/1d?limit=1", null)).get("interval").asText());
    }

    @Test
    void aBrokenStrategyFailsWithItsLine() {
        String id = submit(body("class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        x = 1\n        return undefined_name\n"));
        JsonNode end = follow(id).end();
        assertEquals("failed", end.get("status").asText());
        assertEquals(4, end.get("error").get("line").asInt(), end.toString());
        assertTrue(end.get("error").get("message").asText().contains("undefined_name"), end.toString());
    }

    @Test
    void aCancelledRunStopsWithinASecondAndThePoolServesTheNext() throws Exception {
        String id = submit(body(SLOW));
        awaitStatus(id, "running", 30_000);
        Thread.sleep(500);
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("DELETE", "/api/v1/backtests/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        awaitStatus(id, "cancelled", 5_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "cancelled in " + ms + " ms");
        assertEquals(409, send("DELETE", "/api/v1/backtests/" + id, null).statusCode(), "an ended run cannot be cancelled");

        ObjectNode small = body(strategy("ma_cross.py"));
        small.put("startTime", "2024-01-01T00:00:00Z");
        String next = submit(small);
        JsonNode end = follow(next).end();
        assertEquals("succeeded", end.get("status").asText(), end.toString());
    }

    @Test
    void aFullQueueRefusesWith503AndRetryAfter() throws Exception {
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) ids.add(submit(body(SLOW))); // 2 running on the 2 workers, 2 queued
            awaitStatus(ids.get(0), "running", 30_000);
            awaitStatus(ids.get(1), "running", 30_000);
            HttpResponse<String> refused = send("POST", "/api/v1/backtests", body(SLOW).toString());
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
            assertTrue(json(refused).get("detail").asText().contains("queue is full"));
        } finally {
            for (String id : ids) send("DELETE", "/api/v1/backtests/" + id, null);
        }
        for (String id : ids) awaitStatus(id, "cancelled", 10_000);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"}|code|400",
            "{\"symbol\":\"NOPEUSDT\",\"interval\":\"1h\",\"code\":\"x\"}|symbol|400",
            "{\"symbol\":\"BTC'--\",\"interval\":\"1h\",\"code\":\"x\"}|symbol|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"7h\",\"code\":\"x\"}|interval|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"5m\",\"code\":\"x\"}|interval|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"startTime\":\"soon\"}|startTime|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"startTime\":\"2024-02-01\",\"endTime\":\"2024-01-01\"}|startTime|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"initialBalance\":-5}|initialBalance|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"initialBalance\":\"lots\"}|initialBalance|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"feeRate\":2}|feeRate|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"strategyParams\":[1,2]}|strategyParams|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"strategyParams\":{\"klineWndSize\":0}}|strategyParams.klineWndSize|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":42}|code|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"market\":\"margin\"}|market|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"market\":1}|market|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"leverage\":0}|leverage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"leverage\":126}|leverage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"leverage\":2.5}|leverage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"leverage\":\"5\"}|leverage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"marginMode\":\"hedge\"}|marginMode|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"fill\":\"vwap\"}|fill|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"slippage\":-0.1}|slippage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"slippage\":0.5}|slippage|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"makerFee\":1}|makerFee|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"takerFee\":-0.001}|takerFee|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"takerFee\":\"cheap\"}|takerFee|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"intrabar\":\"1s\"}|intrabar|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":{\"interval\":\"1d\"}}|series|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"interval\":\"1d\"},{\"interval\":\"3d\"},{\"interval\":\"1w\"},{\"interval\":\"1M\"},{\"interval\":\"12h\"}]}|series|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[1]}|series[0]|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"symbol\":\"BTCUSDT\"}]}|series[0].interval|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"interval\":\"7h\"}]}|series[0].interval|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"interval\":\"1d\"},{\"interval\":\"15m\"}]}|series[1].interval|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"symbol\":\"BTC'--\",\"interval\":\"1d\"}]}|series[0].symbol|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"symbol\":\"NOPEUSDT\",\"interval\":\"1d\"}]}|series[0].symbol|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"symbol\":7,\"interval\":\"1d\"}]}|series[0].symbol|400",
            "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"code\":\"x\",\"series\":[{\"interval\":\"1d\"},{\"symbol\":\"btcusdt\",\"interval\":\"1d\"}]}|series[1]|400",
            "[1,2,3]|body|400",
            "{not json|body|400",
    })
    void badRequestsAre400sNamingTheField(String body, String field, int status) throws IOException {
        HttpResponse<String> r = send("POST", "/api/v1/backtests", body);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(field, JSON.readTree(r.body()).get("field").asText(), r.body());
    }

    @Test
    void codeOverTheSizeLimitIs413NamingTheLimit() throws IOException {
        HttpResponse<String> r = send("POST", "/api/v1/backtests", body("#".repeat(20_001)).toString());
        assertEquals(413, r.statusCode(), r.body());
        JsonNode b = JSON.readTree(r.body());
        assertEquals("code", b.get("field").asText());
        assertEquals("at most 20000 bytes", b.get("allowed").asText());
    }

    @Test
    void anUnknownRunIs404() {
        assertEquals(404, send("GET", "/api/v1/backtests/nope", null).statusCode());
        assertEquals(404, send("DELETE", "/api/v1/backtests/nope", null).statusCode());
    }

    /**
     * `candlebox backtest` handed to this running server (--server) writes the same files as the same command run
     * in a worker of its own (--local): the API's result equals the CLI's. --days takes the last N days.
     */
    @Test
    void theCommandLineHandsARunToARunningServerWithTheSameFilesAsALocalRun() throws Exception {
        String id = server.database().identity();
        JsonNode health = JSON.readTree(send("GET", "/health", null).body());
        assertEquals(id, health.get("database").get("id").asText(), "/health names the database it reads");

        Path code = Files.createTempFile("ma_cross", ".py");
        Files.writeString(code, strategy("ma_cross.py"));
        Path viaServer = Files.createTempDirectory("cli-server");
        Path inWorker = Files.createTempDirectory("cli-local");
        String[] common = {code.toString(), "--symbol", "BTCUSDT", "--interval", "1h", "--to", "2023-06-30T23:00:00Z",
                "--days", "60", "--params", "{\"fast_period\": 5, \"slow_period\": 20}", "--fee", "0.002",
                "--database-url", dbUrl};
        String url = "http://127.0.0.1:" + server.port();
        assertEquals(0, new CommandLine(new BacktestCommand()).execute(concat(common, "--server", url, "--out", viaServer.toString())));
        assertEquals(0, new CommandLine(new BacktestCommand()).execute(concat(common, "--local", "--out", inWorker.toString())));

        List<String> equity = Files.readAllLines(viaServer.resolve("equity.csv"));
        assertEquals(60 * 24 + 1, equity.size(), "60 days of 1h klines and a header");
        assertEquals("2023-05-02T00:00:00+00:00", equity.get(1).split(",")[0], "the first kline is 60 days before the last");
        assertEquals("2023-06-30T23:00:00+00:00", equity.getLast().split(",")[0]);
        for (String file : List.of("trades.csv", "equity.csv", "report.html")) {
            assertArrayEquals(Files.readAllBytes(inWorker.resolve(file)), Files.readAllBytes(viaServer.resolve(file)), file);
        }
        assertTrue(Files.readAllLines(viaServer.resolve("trades.csv")).size() > 5, "the strategy traded");
        JsonNode a = JSON.readTree(viaServer.resolve("metrics.json").toFile());
        JsonNode b = JSON.readTree(inWorker.resolve("metrics.json").toFile());
        assertSameValues(b.get("result"), a.get("result"), "result");
        assertSameValues(b.get("metrics"), a.get("metrics"), "metrics");
        assertSameValues(b.get("dataQuality"), a.get("dataQuality"), "dataQuality");

        // a server that reads another database is not used: with --server that is an error, before anything runs
        String other = TestDatabases.freshH2();
        try (dev.candlebox.db.Database db = dev.candlebox.db.Database.open(other, 2)) {
            new KlineStore(db).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(lines.subList(0, 200)));
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = new CommandLine(new BacktestCommand()).execute(code.toString(), "--symbol", "BTCUSDT", "--interval", "1h",
                    "--database-url", other, "--server", url, "--out", Files.createTempDirectory("cli-other").toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, exit);
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("the server at " + url + " reads another database"), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Same fields, numbers equal as decimals (one file may write 1.0E-5 where the other writes 0.000010). */
    private static void assertSameValues(JsonNode expected, JsonNode actual, String where) {
        assertEquals(expected.size(), actual.size(), where + " size");
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = actual.get(e.getKey());
            assertNotNull(v, where + "." + e.getKey());
            if (e.getValue().isNumber()) {
                assertEquals(0, e.getValue().decimalValue().compareTo(v.decimalValue()), where + "." + e.getKey() + ": " + e.getValue() + " vs " + v);
            } else if (e.getValue().isContainerNode()) {
                assertEquals(e.getValue().toString(), v.toString(), where + "." + e.getKey());
            } else {
                assertEquals(e.getValue(), v, where + "." + e.getKey());
            }
        }
    }
}
