package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.server.CandleboxServer;
import dev.candlebox.server.MainSeries;
import dev.candlebox.server.ServerConfig;
import dev.candlebox.server.backtest.BacktestService;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep and compare API end to end on PostgreSQL with real workers, over a slice of the main series
 * (2023-01-01 .. 2023-03-24, about 2,000 hourly klines) with the moving-average template.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepApiTest {
    static final ObjectMapper JSON = BacktestService.json();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String SLOW = """
            class Strategy(IStrategy):
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
        server = CandleboxServer.start(ServerConfig.fromEnv(env("local", 2, 50_000)).withPort(0).withDatabaseUrl(dbUrl));
        new KlineStore(server.database()).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
    }

    static Map<String, String> env(String instance, int workers, int warmup) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString());
        env.put("RATE_LIMIT_ENABLED", "false");
        env.put("BACKTEST_MAX_ACTIVE_PER_CLIENT", "4");
        env.put("INSTANCE_ID", instance);
        env.put("WORKERS", Integer.toString(workers));
        env.put("WORKER_WARMUP_KLINES", Integer.toString(warmup));
        env.put("RUN_TIME_LIMIT_SECONDS", "120");
        env.put("SWEEP_MAX_TRIALS", "40");
        return env;
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        TestDatabases.dropPostgresSchema(dbUrl);
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

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(s, e);
        }
    }

    static ObjectNode base(String code) {
        ObjectNode b = JSON.createObjectNode();
        b.put("symbol", "BTCUSDT");
        b.put("interval", "1h");
        b.put("startTime", "2023-01-01T00:00:00Z");
        b.put("endTime", "2023-03-24T00:00:00Z");
        b.put("initialBalance", 10000);
        b.put("feeRate", 0.001);
        b.put("code", code);
        return b;
    }

    static String maCross() throws IOException {
        return Files.readString(Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies").resolve("ma_cross.py"));
    }

    ObjectNode gridRequest() throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.set("base", base(maCross()));
        r.set("space", json("{\"fast_period\": {\"int\": [5, 15], \"step\": 5}, \"slow_period\": {\"int\": [20, 40], \"step\": 10}}"));
        r.put("method", "grid");
        r.put("objective", "sharpe");
        r.set("constraints", json("{\"minTrades\": 1}"));
        return r;
    }

    /** Follows a sweep's events to {@code end}: the trial events' data and the end's. */
    record Events(List<JsonNode> trials, JsonNode end) {}

    Events follow(String id) {
        try {
            HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/sweeps/" + id + "/events"))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            List<JsonNode> trials = new ArrayList<>();
            String event = null;
            for (Iterator<String> it = r.body().iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) event = line.substring(6).trim();
                else if (line.startsWith("data:") && event != null) {
                    JsonNode data = json(line.substring(5).trim());
                    if (event.equals("trial")) trials.add(data);
                    if (event.equals("end")) return new Events(trials, data);
                }
            }
            throw new AssertionError("the event stream ended without 'end'");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    String submit(ObjectNode request) {
        HttpResponse<String> r = send("POST", "/api/v1/sweeps", request.toString());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode sweep = json(r);
        assertEquals("running", sweep.get("status").asText());
        return sweep.get("id").asText();
    }

    @Test
    void aGridSweepRunsEveryPointAsStoredRunsRanksThemAndDeflatesTheBest() throws IOException {
        String id = submit(gridRequest());
        Events events = follow(id);
        assertEquals("succeeded", events.end().get("status").asText(), events.end().toString());
        JsonNode sweep = json(send("GET", "/api/v1/sweeps/" + id, null));
        assertEquals(9, sweep.get("progress").get("finished").asInt());
        JsonNode trials = sweep.get("trials");
        assertEquals(9, trials.size());
        // trial k is the k-th point of the product, slow_period fastest; each one a stored run with its params
        Map<Integer, JsonNode> byTrial = new HashMap<>();
        for (JsonNode t : trials) byTrial.put(t.get("trial").asInt(), t);
        List<Double> sharpes = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            JsonNode t = byTrial.get(k);
            assertEquals(5 + 5 * (k / 3), t.get("params").get("fast_period").asInt());
            assertEquals(20 + 10 * (k % 3), t.get("params").get("slow_period").asInt());
            JsonNode run = json(send("GET", "/api/v1/backtests/" + t.get("runId").asText() + "?view=summary", null));
            assertEquals("succeeded", run.get("status").asText());
            assertEquals(t.get("params").get("fast_period"), run.get("request").get("strategyParams").get("fast_period"));
            assertEquals(run.get("metrics").get("sharpe").asDouble(), t.get("objective").asDouble(), 0);
            run.get("metrics").fieldNames().forEachRemaining(name ->
                    assertTrue(Objective.METRICS.contains(name), "a metric the objective does not know: " + name));
            sharpes.add(run.get("metrics").get("sharpe").asDouble());
        }
        assertEquals(9, events.trials().size(), "one event per finished trial");
        // ranked by the objective, best first; the best is the highest Sharpe ratio of the nine
        for (int i = 1; i < trials.size(); i++) {
            assertTrue(trials.get(i - 1).get("objective").asDouble() >= trials.get(i).get("objective").asDouble());
        }
        double bestSharpe = sharpes.stream().mapToDouble(d -> d).max().orElseThrow();
        assertEquals(bestSharpe, sweep.get("best").get("objective").asDouble(), 0);

        // PSR and DSR of the best trial, computed here from its equity curve with the papers' formulas
        JsonNode bestRun = json(send("GET", "/api/v1/backtests/" + sweep.get("best").get("runId").asText(), null));
        JsonNode curve = bestRun.get("result").get("equityCurve");
        int n = curve.size();
        double[] r = new double[n];
        double prev = 10000;
        for (int i = 0; i < n; i++) {
            double e = curve.get(i).get("equity").asDouble();
            r[i] = e / prev - 1;
            prev = e;
        }
        double mean = 0;
        for (double x : r) mean += x / n;
        double m2 = 0, m3 = 0, m4 = 0;
        for (double x : r) {
            m2 += Math.pow(x - mean, 2) / n;
            m3 += Math.pow(x - mean, 3) / n;
            m4 += Math.pow(x - mean, 4) / n;
        }
        double sr = mean / Math.sqrt(m2 * n / (n - 1));
        double g3 = m3 / Math.pow(m2, 1.5), g4 = m4 / (m2 * m2);
        NormalDistribution phi = NormalDistribution.of(0, 1);
        double psr = phi.cumulativeProbability(sr * Math.sqrt(n - 1) / Math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr * sr));
        assertEquals(psr, bestRun.get("metrics").get("psr").asDouble(), 1e-9, "psr in the run's metrics");
        assertEquals(psr, sweep.get("statistics").get("psr").asDouble(), 1e-9);
        double ppy = 365.25 * 24;
        double meanSr = sharpes.stream().mapToDouble(s -> s / Math.sqrt(ppy)).average().orElseThrow();
        double var = sharpes.stream().mapToDouble(s -> Math.pow(s / Math.sqrt(ppy) - meanSr, 2)).sum() / 8;
        double sr0 = Math.sqrt(var) * ((1 - 0.5772156649015329) * phi.inverseCumulativeProbability(1 - 1 / 9.0)
                + 0.5772156649015329 * phi.inverseCumulativeProbability(1 - 1 / (9 * Math.E)));
        double dsr = phi.cumulativeProbability((sr - sr0) * Math.sqrt(n - 1) / Math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr * sr));
        JsonNode stats = sweep.get("statistics");
        assertEquals(9, stats.get("trialsCounted").asInt());
        assertEquals(dsr, stats.get("dsr").asDouble(), 1e-9);
        assertEquals(sr0 * Math.sqrt(ppy), stats.get("expectedMaxSharpe").asDouble(), 1e-9);
        JsonNode ci = stats.get("sharpeInterval");
        assertTrue(ci.get("low").asDouble() < bestSharpe && bestSharpe < ci.get("high").asDouble(), ci.toString());

        // compare the best with the worst on their common klines
        JsonNode worst = trials.get(trials.size() - 1);
        ObjectNode cmp = JSON.createObjectNode();
        cmp.put("a", sweep.get("best").get("runId").asText());
        cmp.put("b", worst.get("runId").asText());
        HttpResponse<String> c = send("POST", "/api/v1/compare", cmp.toString());
        assertEquals(200, c.statusCode(), c.body());
        JsonNode d = json(c);
        assertEquals(n, d.get("commonKlines").asInt());
        assertEquals(d.get("sharpeA").asDouble() - d.get("sharpeB").asDouble(), d.get("difference").asDouble(), 1e-12);
        assertTrue(d.get("low").asDouble() < d.get("difference").asDouble() && d.get("difference").asDouble() < d.get("high").asDouble());
        assertEquals(d.get("low").asDouble() > 0 || d.get("high").asDouble() < 0, d.get("excludesZero").asBoolean());
        cmp.put("b", "no-such-run");
        assertEquals(404, send("POST", "/api/v1/compare", cmp.toString()).statusCode());
        cmp.remove("b");
        assertEquals("b", json(send("POST", "/api/v1/compare", cmp.toString())).get("field").asText());
    }

    @Test
    void aBayesSweepIsReproducibleFromItsSeed() throws IOException {
        ObjectNode req = gridRequest();
        req.put("method", "bayes");
        req.put("trials", 12);
        req.put("seed", 7);
        req.set("space", json("{\"fast_period\": {\"int\": [3, 30]}, \"slow_period\": {\"int\": [20, 48], \"step\": 2}}"));
        List<String> params = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = submit(req);
            JsonNode end = follow(id).end();
            assertEquals("succeeded", end.get("status").asText(), end.toString());
            assertEquals(12, end.get("trials").size());
            StringBuilder b = new StringBuilder();
            List<JsonNode> ordered = new ArrayList<>();
            end.get("trials").forEach(ordered::add);
            ordered.sort((x, y) -> x.get("trial").asInt() - y.get("trial").asInt());
            for (JsonNode t : ordered) b.append(t.get("params")).append(';');
            params.add(b.toString());
        }
        assertEquals(params.get(0), params.get(1));
    }

    @Test
    void badSweepsAre400sNamingTheField() throws IOException {
        record Case(String field, String patch) {}
        List<Case> cases = List.of(
                new Case("space", "{\"space\": {}}"),
                new Case("space.fast_period", "{\"space\": {\"fast_period\": {\"int\": [15, 5]}}}"),
                new Case("space.fast_period", "{\"space\": {\"fast_period\": {\"range\": [5, 15]}}}"),
                new Case("space", "{\"space\": {\"fast_period\": {\"int\": [1, 100]}}}"),
                new Case("trials", "{\"method\": \"random\", \"trials\": 41}"),
                new Case("objective", "{\"objective\": \"luck\"}"),
                new Case("method", "{\"method\": \"genetic\"}"),
                new Case("constraints.minTrades", "{\"constraints\": {\"minTrades\": -1}}"),
                new Case("base.symbol", "{\"base\": {\"interval\": \"1h\", \"code\": \"x\"}}"));
        for (Case c : cases) {
            ObjectNode req = gridRequest();
            json(c.patch()).fields().forEachRemaining(e -> req.set(e.getKey(), e.getValue()));
            HttpResponse<String> r = send("POST", "/api/v1/sweeps", req.toString());
            assertEquals(400, r.statusCode(), c.patch() + " -> " + r.body());
            assertEquals(c.field(), json(r).get("field").asText(), r.body());
        }
    }

    @Test
    void cancellingASweepStopsItsQueuedTrialsAtOnceAndCancelsTheRunningOnes() throws Exception {
        ObjectNode req = gridRequest();
        req.set("base", base(SLOW));
        req.put("method", "random");
        req.put("trials", 30);
        req.set("space", json("{\"x\": {\"int\": [1, 1000]}}"));
        String id = submit(req);
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode sweep;
        do {
            sweep = json(send("GET", "/api/v1/sweeps/" + id, null));
            Thread.sleep(100);
        } while (sweep.get("progress").get("submitted").asInt() < 2 && System.currentTimeMillis() < deadline);
        // the sweep is one job of its client, however many of its trials are queued or running
        assertEquals(1, new RunStore(server.database()).activeCount("127.0.0.1"));
        HttpResponse<String> r = send("DELETE", "/api/v1/sweeps/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode after = json(r);
        assertEquals("cancelled", after.get("status").asText());
        int submitted = after.get("progress").get("submitted").asInt();
        assertTrue(submitted <= 3, "no more than the pool size (+ one being submitted) ever started: " + submitted);
        for (JsonNode t : after.get("trials")) assertEquals("cancelled", t.get("status").asText(), t.toString());
        Thread.sleep(1000);
        assertEquals(submitted, json(send("GET", "/api/v1/sweeps/" + id, null)).get("trials").size(), "nothing started after the cancel");
        assertEquals(409, send("DELETE", "/api/v1/sweeps/" + id, null).statusCode());
    }

    @Test
    void aSweepLeftRunningByAStoppedServerIsEndedAsFailedWhenItStartsAgain() throws Exception {
        // the state a killed instance 'crashed' leaves: its sweep running, a trial queued
        Database db = server.database();
        String runId = UUID.randomUUID().toString();
        new RunStore(db).create(runId, "crashed", "client", "BTCUSDT", "1h", base(maCross()).toString(), Instant.now());
        SweepStore store = new SweepStore(db);
        String sweepId = UUID.randomUUID().toString();
        store.create(sweepId, "client", "crashed", "sweep", gridRequestJson(), Instant.now());
        store.addTrial(sweepId, 0, runId, "{\"fast_period\": 5}");
        try (CandleboxServer again = CandleboxServer.start(ServerConfig.fromEnv(env("crashed", 1, 0)).withPort(0).withDatabaseUrl(dbUrl))) {
            SweepStore.StoredSweep s = store.get(sweepId).orElseThrow();
            assertEquals("failed", s.status());
            assertNotNull(s.finishedAt());
            assertEquals("server_restart", json(s.errorJson()).get("type").asText());
            assertEquals("cancelled", new RunStore(db).get(runId).orElseThrow().status().code());
        }
    }

    String gridRequestJson() throws IOException {
        ObjectNode r = gridRequest();
        r.put("trials", 9);
        r.put("direction", "maximize");
        r.put("seed", 1);
        r.put("parallelism", 2);
        return r.toString();
    }
}
