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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run identity on PostgreSQL with a real worker: a run's default name, PATCH of its name and tags (400s
 * naming the field, 403 for another client), DELETE with purge=true of a run that has ended (409 while it
 * runs), the listing, and the page's routes answered with index.html when the web app is built in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunIdentityApiTest {
    static final ObjectMapper JSON = BacktestService.json();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String OWNER = "203.0.113.5";
    static final String OTHER = "203.0.113.9";
    static final String QUICK = """
            \"\"\"Quick buyer
            Buys once.\"\"\"
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    pass
            """;
    static final String SLOW = """
            class Slowpoke(IStrategy):
                def run(self, context, kline, params):
                    x = 0
                    for i in range(3000000):
                        x += i
            """;

    String dbUrl;
    CandleboxServer server;

    @BeforeAll
    void start() throws IOException {
        dbUrl = TestDatabases.freshPostgres();
        Map<String, String> env = new HashMap<>();
        env.put("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString());
        env.put("REDIS_URL", System.getProperty("candlebox.test.redis", "redis://127.0.0.1:6379"));
        env.put("RATE_LIMIT_KEY_PREFIX", "cbtest:" + UUID.randomUUID() + ":");
        env.put("TRUSTED_PROXIES", "127.0.0.1");
        env.put("RATE_LIMIT_PER_SECOND", "10000");
        env.put("RATE_LIMIT_PER_MINUTE", "100000");
        env.put("BACKTEST_SUBMIT_PER_SECOND", "1000");
        env.put("BACKTEST_SUBMIT_PER_MINUTE", "10000");
        env.put("WORKERS", "1");
        env.put("BACKTEST_MAX_ACTIVE_PER_CLIENT", "5");
        env.put("WORKER_WARMUP_KLINES", "0");
        env.put("RUN_TIME_LIMIT_SECONDS", "120");
        server = CandleboxServer.start(ServerConfig.fromEnv(env).withPort(0).withDatabaseUrl(dbUrl));
        new KlineStore(server.database()).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        TestDatabases.dropPostgresSchema(dbUrl);
    }

    HttpResponse<String> send(String method, String path, String body, String client) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            b.header("X-Forwarded-For", client);
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    /** Submits and waits for the end. */
    JsonNode run(String code) {
        return run(code, "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z");
    }

    JsonNode run(String code, String start, String end) {
        ObjectNode b = JSON.createObjectNode();
        b.put("symbol", "BTCUSDT");
        b.put("interval", "1h");
        b.put("startTime", start);
        b.put("endTime", end);
        b.put("initialBalance", 1000);
        b.put("code", code);
        HttpResponse<String> r = send("POST", "/api/v1/backtests?wait=true", b.toString(), OWNER);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    @Test
    void aRunIsNamedFromItsDocstringRenamedTaggedListedAndPurged() {
        JsonNode run = run(QUICK);
        String id = run.get("id").asText();
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals("Quick buyer", run.get("name").asText());
        assertTrue(run.get("nameIsDefault").asBoolean());
        assertEquals(0, run.get("tags").size());
        assertFalse(run.has("waiting"), "an ended run does not wait");

        HttpResponse<String> patched = send("PATCH", "/api/v1/backtests/" + id, "{\"name\":\"  SMA 10/30 \",\"tags\":[\"trend\",\" btc\",\"trend\"]}", OWNER);
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("SMA 10/30", json(patched).get("name").asText());
        assertFalse(json(patched).get("nameIsDefault").asBoolean());
        assertEquals("[\"trend\",\"btc\"]", json(patched).get("tags").toString());

        // a field left out keeps its value; null name goes back to the default
        JsonNode tagsOnly = json(send("PATCH", "/api/v1/backtests/" + id, "{\"tags\":[\"kept\"]}", OWNER));
        assertEquals("SMA 10/30", tagsOnly.get("name").asText());
        assertEquals("[\"kept\"]", tagsOnly.get("tags").toString());
        JsonNode listed = null;
        for (JsonNode r : json(send("GET", "/api/v1/backtests?limit=100", null, OWNER)).get("runs")) {
            if (r.get("id").asText().equals(id)) listed = r;
        }
        assertEquals("SMA 10/30", listed.get("name").asText());
        assertEquals("[\"kept\"]", listed.get("tags").toString());
        JsonNode reset = json(send("PATCH", "/api/v1/backtests/" + id, "{\"name\":null,\"tags\":[]}", OWNER));
        assertEquals("Quick buyer", reset.get("name").asText());
        assertTrue(reset.get("nameIsDefault").asBoolean());
        assertEquals(0, reset.get("tags").size());

        assertEquals(403, send("PATCH", "/api/v1/backtests/" + id, "{\"name\":\"mine\"}", OTHER).statusCode());
        assertEquals(403, send("DELETE", "/api/v1/backtests/" + id + "?purge=true", null, OTHER).statusCode());
        assertEquals(409, send("DELETE", "/api/v1/backtests/" + id, null, OWNER).statusCode(), "without purge: cancel, and it has ended");
        HttpResponse<String> badPurge = send("DELETE", "/api/v1/backtests/" + id + "?purge=yes", null, OWNER);
        assertEquals(400, badPurge.statusCode());
        assertEquals("purge", json(badPurge).get("parameter").asText());

        assertEquals(204, send("DELETE", "/api/v1/backtests/" + id + "?purge=true", null, OWNER).statusCode());
        assertEquals(404, send("GET", "/api/v1/backtests/" + id, null, OWNER).statusCode());
        assertEquals(404, send("GET", "/api/v1/backtests/" + id + "/trades", null, OWNER).statusCode());
        assertEquals(404, send("DELETE", "/api/v1/backtests/" + id + "?purge=true", null, OWNER).statusCode());
        assertEquals(404, send("PATCH", "/api/v1/backtests/" + id, "{\"name\":\"x\"}", OWNER).statusCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1]                           | body",
            "{\"title\":\"x\"}             | title",
            "{\"name\":5}                  | name",
            "{\"name\":\"   \"}            | name",
            "{\"name\":\"a\\u0007b\"}      | name",
            "{\"tags\":\"trend\"}          | tags",
            "{\"tags\":[\"a,b\"]}          | tags",
            "{\"tags\":[\"\"]}             | tags",
            "{\"tags\":[3]}                | tags",
            "{\"tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]} | tags",
    })
    void badLabelsAre400sNamingTheField(String body, String field) {
        String id = ids.computeIfAbsent("quick", k -> run(QUICK).get("id").asText());
        HttpResponse<String> r = send("PATCH", "/api/v1/backtests/" + id, body, OWNER);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(field, json(r).get("field").asText(), r.body());
    }

    final Map<String, String> ids = new HashMap<>();

    @Test
    void aLongNameIs400AndAClassNameIsTheDefaultWithoutADocstring() {
        JsonNode run = run("class Plain(IStrategy):\n    def run(self, context, kline, params):\n        pass\n");
        assertEquals("Plain", run.get("name").asText());
        HttpResponse<String> r = send("PATCH", "/api/v1/backtests/" + run.get("id").asText(), "{\"name\":\"" + "x".repeat(101) + "\"}", OWNER);
        assertEquals(400, r.statusCode());
        assertEquals("name", json(r).get("field").asText());
    }

    @Test
    void aRunningRunIsNotPurgedAndSaysWhatItWaitsFor() throws Exception {
        ObjectNode b = JSON.createObjectNode();
        b.put("symbol", "BTCUSDT");
        b.put("interval", "1h");
        b.put("initialBalance", 1000);
        b.put("code", SLOW);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = send("POST", "/api/v1/backtests", b.toString(), OWNER);
            assertEquals(202, r.statusCode(), r.body());
            ids.add(json(r).get("id").asText());
        }
        try {
            // one worker: once the first runs, the second waits with none ahead of it, the third behind one
            for (int i = 0; i < 600 && !json(send("GET", "/api/v1/backtests/" + ids.get(0), null, OWNER)).get("status").asText().equals("running"); i++) {
                Thread.sleep(100);
            }
            JsonNode first = json(send("GET", "/api/v1/backtests/" + ids.get(0), null, OWNER));
            assertEquals("running", first.get("status").asText());
            assertEquals(1, first.get("waiting").get("workers").asInt());
            assertFalse(first.get("waiting").has("ahead"));
            JsonNode second = json(send("GET", "/api/v1/backtests/" + ids.get(1), null, OWNER));
            JsonNode third = json(send("GET", "/api/v1/backtests/" + ids.get(2), null, OWNER));
            assertEquals("Slowpoke", second.get("name").asText());
            assertEquals("queued", second.get("status").asText());
            assertEquals(0, second.get("waiting").get("ahead").asInt());
            assertEquals(1, third.get("waiting").get("ahead").asInt());
            HttpResponse<String> purge = send("DELETE", "/api/v1/backtests/" + ids.get(0) + "?purge=true", null, OWNER);
            assertEquals(409, purge.statusCode(), purge.body());
            assertEquals(200, send("GET", "/api/v1/backtests/" + ids.get(0), null, OWNER).statusCode());
        } finally {
            for (String id : ids) send("DELETE", "/api/v1/backtests/" + id, null, OWNER);
        }
    }

    /** Buys with everything on the first kline and holds. */
    static final String HOLD = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    if context.position == 0 and context.balance > 0:
                        context.buy(kline.close, float(context.balance / kline.close) * 0.5, kline.open_time)
            """;

    @Test
    void theEquityViewHasBuyAndHoldAndMonthlyAndYearlyReturnsAndTheReportHasDates() {
        JsonNode run = run(HOLD, "2023-12-30T00:00:00Z", "2024-02-02T00:00:00Z");
        String id = run.get("id").asText();
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        JsonNode full = json(send("GET", "/api/v1/backtests/" + id, null, OWNER)).get("result").get("equityCurve");
        JsonNode view = json(send("GET", "/api/v1/backtests/" + id + "/equity?maxPoints=100000", null, OWNER));
        assertEquals(full.size(), view.get("timestamp").size());

        // buy & hold: 1000 in BTC from the first kline's close, each point at its kline's close (the kline API's)
        JsonNode klines = json(send("GET", "/api/v1/kline/BTCUSDT/1h/batch?start_time=2023-12-30T00:00:00Z&end_time=2024-02-02T00:00:00Z", null, OWNER)).get("data");
        Map<Long, Double> closeAt = new HashMap<>();
        for (JsonNode k : klines) closeAt.put(java.time.OffsetDateTime.parse(k.get("open_time").asText()).toInstant().toEpochMilli(), k.get("close").asDouble());
        double first = closeAt.get(view.get("timestamp").get(0).asLong());
        for (int i = 0; i < view.get("timestamp").size(); i++) {
            double expected = 1000 * closeAt.get(view.get("timestamp").get(i).asLong()) / first;
            assertEquals(expected, view.get("buyHold").get(i).asDouble(), 1e-9 * expected);
        }

        // monthly and yearly returns recomputed from the whole equity curve: the last equity of a period over the last before it
        Map<String, Double> lastOfMonth = new java.util.LinkedHashMap<>(), lastOfYear = new java.util.LinkedHashMap<>();
        for (JsonNode p : full) {
            String ts = p.get("timestamp").asText();
            lastOfMonth.put(ts.substring(0, 7), p.get("equity").asDouble());
            lastOfYear.put(ts.substring(0, 4), p.get("equity").asDouble());
        }
        assertEquals(List.of("2023-12", "2024-01", "2024-02"), List.copyOf(lastOfMonth.keySet()));
        JsonNode months = view.get("periods").get("months");
        double before = 1000;
        int i = 0;
        for (var e : lastOfMonth.entrySet()) {
            assertEquals(e.getKey(), months.get(i).get("period").asText());
            assertEquals(e.getValue() / before - 1, months.get(i).get("return").asDouble(), 1e-12);
            before = e.getValue();
            i++;
        }
        assertEquals(3, months.size());
        JsonNode years = view.get("periods").get("years");
        assertEquals("2023", years.get(0).get("period").asText());
        assertEquals(lastOfYear.get("2023") / 1000 - 1, years.get(0).get("return").asDouble(), 1e-12);
        assertEquals(lastOfYear.get("2024") / lastOfYear.get("2023") - 1, years.get(1).get("return").asDouble(), 1e-12);

        // the report's charts carry dates: the first kline's day and the last's
        String html = send("GET", "/api/v1/backtests/" + id + "/report.html", null, OWNER).body();
        assertTrue(html.contains(">2023-12-30</text>"), "the first date under the charts");
        assertTrue(html.contains(">2024-02-02</text>") || html.contains(">2024-02-01</text>"), "the last date under the charts");
        assertEquals(3, html.split("<text class=\"date\"[^>]*>2023-12-30</text>", -1).length - 1, "under candles, equity and drawdown");
    }
}
