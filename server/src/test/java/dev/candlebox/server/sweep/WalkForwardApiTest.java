package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.candlebox.server.sweep.SweepApiTest.JSON;
import static dev.candlebox.server.sweep.SweepApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk-forward API end to end on PostgreSQL with real workers: the moving-average template over
 * 2023-01-01 .. 2023-02-20 (hourly), windows of 20 days in-sample and 10 days out-of-sample, a 2 × 2 grid.
 * The test computes the windows itself, runs every grid point of every in-sample range and every
 * out-of-sample run as ordinary backtests, picks the best itself and stitches the out-of-sample equity
 * itself, and checks the walk-forward's table and stitched curve against that.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalkForwardApiTest {
    static final long DAY = 86_400_000L;
    static final long HOUR = 3_600_000L;
    static final long START = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
    static final long END = Instant.parse("2023-02-20T00:00:00Z").toEpochMilli() - 1;

    String dbUrl;
    CandleboxServer server;
    SweepApiTest http;

    @BeforeAll
    void start() throws IOException {
        dbUrl = TestDatabases.freshPostgres();
        server = CandleboxServer.start(ServerConfig.fromEnv(SweepApiTest.env("local", 2, 50_000)).withPort(0).withDatabaseUrl(dbUrl));
        new KlineStore(server.database()).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
        http = new SweepApiTest();
        http.server = server;
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        TestDatabases.dropPostgresSchema(dbUrl);
    }

    ObjectNode base() throws IOException {
        ObjectNode b = SweepApiTest.base(SweepApiTest.maCross());
        b.put("startTime", START);
        b.put("endTime", END);
        b.putObject("strategyParams").put("klineWndSize", 50);
        return b;
    }

    ObjectNode request() throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.set("base", base());
        r.set("space", json("{\"fast_period\": {\"int\": [5, 10], \"step\": 5}, \"slow_period\": {\"int\": [20, 30], \"step\": 10}}"));
        r.put("method", "grid");
        r.put("objective", "totalReturn");
        r.put("inSample", "20d");
        r.put("outOfSample", "10d");
        r.put("step", "10d");
        r.put("anchored", false);
        r.put("minTrades", 0);
        return r;
    }

    /** Runs a backtest through the ordinary API and waits for its end. */
    JsonNode backtest(ObjectNode body) throws InterruptedException {
        HttpResponse<String> r = http.send("POST", "/api/v1/backtests", body.toString());
        assertEquals(202, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        for (int i = 0; i < 1200; i++) {
            JsonNode run = json(http.send("GET", "/api/v1/backtests/" + id, null));
            String status = run.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                assertEquals("succeeded", status, run.toString());
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not end");
    }

    JsonNode walkForward(ObjectNode request) throws InterruptedException {
        HttpResponse<String> r = http.send("POST", "/api/v1/walkforward", request.toString());
        assertEquals(202, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        for (int i = 0; i < 3000; i++) {
            JsonNode wf = json(http.send("GET", "/api/v1/walkforward/" + id, null));
            if (!wf.get("status").asText().equals("running")) return wf;
            Thread.sleep(100);
        }
        throw new AssertionError("walk-forward " + id + " did not end");
    }

    @Test
    void theWindowsChosenParamsAndStitchedEquityAreThoseOfPlainBacktests() throws Exception {
        JsonNode wf = walkForward(request());
        assertEquals("succeeded", wf.get("status").asText(), wf.toString());
        JsonNode rows = wf.get("windows");
        // windows by time: in-sample [s, s + 20d), out-of-sample the next 10 days, s stepping by 10 days
        long[][] windows = {{START, START + 20 * DAY, START + 30 * DAY}, {START + 10 * DAY, START + 30 * DAY, START + 40 * DAY},
                {START + 20 * DAY, START + 40 * DAY, START + 50 * DAY}};
        assertEquals(windows.length, rows.size(), rows.toString());
        String balance = "10000";
        List<double[]> stitched = new ArrayList<>();
        int profitable = 0;
        for (int w = 0; w < windows.length; w++) {
            JsonNode row = rows.get(w);
            long isStart = windows[w][0], oosStart = windows[w][1], oosEnd = windows[w][2];
            assertEquals(Instant.ofEpochMilli(isStart).toString(), row.get("inSample").get("start").asText());
            assertEquals(Instant.ofEpochMilli(oosStart).toString(), row.get("outOfSample").get("start").asText());
            assertEquals(Instant.ofEpochMilli(oosEnd).toString(), row.get("outOfSample").get("end").asText());
            // the grid on the in-sample range, each point an ordinary backtest; the best total return wins,
            // the first in grid order among equals
            int bestFast = 0, bestSlow = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int fast : new int[]{5, 10}) {
                for (int slow : new int[]{20, 30}) {
                    ObjectNode b = base();
                    b.put("startTime", isStart);
                    b.put("endTime", oosStart - 1);
                    ((ObjectNode) b.get("strategyParams")).put("fast_period", fast).put("slow_period", slow);
                    double ret = backtest(b).get("metrics").get("totalReturn").asDouble();
                    if (ret > best) {
                        best = ret;
                        bestFast = fast;
                        bestSlow = slow;
                    }
                }
            }
            assertEquals(bestFast, row.get("params").get("fast_period").asInt(), "window " + w + ": " + row);
            assertEquals(bestSlow, row.get("params").get("slow_period").asInt(), "window " + w + ": " + row);
            assertEquals(best, row.get("inSampleObjective").asDouble(), 0, "window " + w);
            // out of sample: warmed up on the 50 klines before, trading from the start, from the previous equity
            ObjectNode b = base();
            b.put("startTime", oosStart - 50 * HOUR);
            b.put("endTime", oosEnd - 1);
            b.put("initialBalance", balance);
            ((ObjectNode) b.get("strategyParams")).put("fast_period", bestFast).put("slow_period", bestSlow).put("tradeFrom", oosStart);
            JsonNode oos = backtest(b);
            assertEquals(balance, row.get("initialBalance").asText(), "window " + w);
            balance = oos.get("result").get("finalBalance").asText();
            assertEquals(balance, row.get("finalBalance").asText(), "window " + w);
            if (oos.get("result").get("finalBalance").asDouble() > Double.parseDouble(row.get("initialBalance").asText())) profitable++;
            for (JsonNode p : oos.get("result").get("equityCurve")) {
                long t = Instant.parse(p.get("timestamp").asText()).toEpochMilli();
                if (t >= oosStart) stitched.add(new double[]{t, p.get("equity").asDouble()});
                else assertEquals(Double.parseDouble(row.get("initialBalance").asText()), p.get("equity").asDouble(), 0,
                        "no trade in the warm-up");
            }
            assertEquals(oos.get("metrics").get("totalReturn").asDouble(), row.get("outOfSampleObjective").asDouble(), 0);
        }
        JsonNode summary = wf.get("summary");
        JsonNode curve = summary.get("outOfSample").get("equity");
        assertEquals(stitched.size(), curve.size());
        assertEquals(30 * 24, stitched.size(), "30 days of hourly klines out of sample");
        for (int i = 0; i < stitched.size(); i++) {
            assertEquals((long) stitched.get(i)[0], curve.get(i).get(0).asLong(), "point " + i);
            assertEquals(stitched.get(i)[1], curve.get(i).get(1).asDouble(), 0, "point " + i);
        }
        double last = stitched.getLast()[1];
        assertEquals(last / 10000 - 1, summary.get("outOfSample").get("totalReturn").asDouble(), 1e-12);
        assertEquals(profitable / 3.0, summary.get("profitableShare").asDouble(), 1e-12);
        JsonNode fast = summary.get("parameterStability").get("fast_period");
        assertEquals(3, fast.get("values").size());
        double mean = 0;
        for (JsonNode v : fast.get("values")) mean += v.asDouble() / 3;
        assertEquals(mean, fast.get("mean").asDouble(), 1e-12);
        for (int w = 0; w < 3; w++) assertEquals(rows.get(w).get("params").get("fast_period"), fast.get("values").get(w));
        assertEquals(409, http.send("DELETE", "/api/v1/walkforward/" + wf.get("id").asText(), null).statusCode());
        // the out-of-sample runs are linked to the walk-forward (not counted as jobs of their own); the sweeps are sweeps
        var linked = new dev.candlebox.db.sweep.SweepStore(server.database()).trials(wf.get("id").asText());
        assertEquals(3, linked.size());
        for (int w = 0; w < 3; w++) {
            assertEquals(rows.get(w).get("runId").asText(), linked.get(w).runId());
            JsonNode sweep = json(http.send("GET", "/api/v1/sweeps/" + rows.get(w).get("sweepId").asText(), null));
            assertEquals(4, sweep.get("trials").size(), sweep.toString());
        }
        assertEquals(404, http.send("GET", "/api/v1/sweeps/" + wf.get("id").asText(), null).statusCode(), "a walk-forward is no sweep");
    }

    @Test
    void deleteCancelsTheInSampleSweepInFlightAndNoWindowStarts() throws Exception {
        ObjectNode r = request();
        ((ObjectNode) r.get("base")).put("code", SweepApiTest.SLOW);
        HttpResponse<String> posted = http.send("POST", "/api/v1/walkforward", r.toString());
        assertEquals(202, posted.statusCode(), posted.body());
        String id = json(posted).get("id").asText();
        HttpResponse<String> deleted = http.send("DELETE", "/api/v1/walkforward/" + id, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        JsonNode wf = json(deleted);
        assertEquals("cancelled", wf.get("status").asText(), wf.toString());
        assertTrue(wf.get("windows").size() <= 1, wf.toString());
        for (JsonNode row : wf.get("windows")) {
            if (!row.has("sweepId")) continue;  // cancelled before its sweep was submitted
            assertEquals("cancelled", json(http.send("GET", "/api/v1/sweeps/" + row.get("sweepId").asText(), null)).get("status").asText());
        }
        assertEquals(409, http.send("DELETE", "/api/v1/walkforward/" + id, null).statusCode());
    }

    @Test
    void aBadRequestIsA400NamingTheField() throws IOException {
        assertField("inSample", r -> r.put("inSample", "60x"));
        assertField("outOfSample", r -> r.remove("outOfSample"));
        assertField("inSample", r -> r.put("inSample", "45d"));  // 45 + 10 days > the 50 days of base
        assertField("base.endTime", r -> ((ObjectNode) r.get("base")).remove("endTime"));
        assertField("space", r -> r.remove("space"));
        assertField("anchored", r -> r.put("anchored", "yes"));
        assertField("minTrades", r -> r.put("minTrades", -1));
        assertField("strategyParams.tradeFrom", r -> {}, "/api/v1/backtests", true);
        assertEquals(404, http.send("GET", "/api/v1/walkforward/nope", null).statusCode());
    }

    void assertField(String field, java.util.function.Consumer<ObjectNode> change) throws IOException {
        assertField(field, change, "/api/v1/walkforward", false);
    }

    void assertField(String field, java.util.function.Consumer<ObjectNode> change, String path, boolean backtest) throws IOException {
        ObjectNode r = request();
        change.accept(r);
        ObjectNode body = r;
        if (backtest) {
            body = base();
            ((ObjectNode) body.get("strategyParams")).put("tradeFrom", "soon");
        }
        HttpResponse<String> res = http.send("POST", path, body.toString());
        assertEquals(400, res.statusCode(), res.body());
        assertEquals(field, json(res).get("field").asText(), res.body());
        assertTrue(json(res).has("detail") || json(res).size() > 1, res.body());
    }
}
