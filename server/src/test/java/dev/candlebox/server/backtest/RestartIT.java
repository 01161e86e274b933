package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.MainSeries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a real process (candlebox.jar) killed with SIGKILL during a run: on the next start the run
 * is failed with a reason, the queued run runs, and the queue takes new work. Its workers die with it.
 */
class RestartIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRunInterruptedByAKilledServerIsFailedOnRestartAndTheQueueWorks() throws Exception {
        String dbUrl = TestDatabases.freshPostgres();
        Process first = null, second = null;
        try {
            try (Database db = Database.open(dbUrl, 2)) {
                new KlineStore(db).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
            }
            int port = freePort();
            first = serve(dbUrl, port);
            String slow = submit(port, BacktestApiTest.SLOW, null);
            String queued = submit(port, Files.readString(repo().resolve("strategies/ma_cross.py")), "2024-01-01T00:00:00Z");
            awaitStatus(port, slow, "running", 60_000);
            assertEquals("queued", get(port, queued).get("status").asText(), "one worker: the second run waits");
            List<ProcessHandle> workers = first.descendants().toList();
            assertFalse(workers.isEmpty(), "the server runs its strategies in worker processes");

            first.destroyForcibly();
            first.waitFor();
            // 15 s was not enough once in four full runs (alone it passes; not explained yet: perhaps a halted
            // orphan that this machine's init has not reaped, which ProcessHandle still sees alive).
            long deadline = System.currentTimeMillis() + 60_000;
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) Thread.sleep(100);
            assertTrue(workers.stream().noneMatch(ProcessHandle::isAlive), "workers exit when their server dies");

            second = serve(dbUrl, port);
            JsonNode failed = get(port, slow);
            assertEquals("failed", failed.get("status").asText(), failed.toString());
            assertEquals("server_restart", failed.get("error").get("type").asText());
            assertTrue(failed.get("error").get("message").asText().contains("stopped while this run was running"));
            assertTrue(failed.hasNonNull("finishedAt"));

            assertEquals("succeeded", awaitStatus(port, queued, "succeeded", 120_000).get("status").asText());
            String fresh = submit(port, Files.readString(repo().resolve("strategies/ma_cross.py")), "2024-03-01T00:00:00Z");
            JsonNode done = awaitStatus(port, fresh, "succeeded", 120_000);
            assertTrue(done.get("result").get("totalTrades").asInt() > 0, done.toString());
        } finally {
            if (first != null) first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
            TestDatabases.dropPostgresSchema(dbUrl);
        }
    }

    static Path repo() {
        return Path.of(System.getProperty("candlebox.repo.root", ".."));
    }

    static Process serve(String dbUrl, int port) throws Exception {
        Path jar = repo().resolve("server/target/candlebox.jar");
        assertTrue(Files.isRegularFile(jar), "built: " + jar);
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "serve");
        Map<String, String> env = pb.environment();
        env.put("DATABASE_URL", dbUrl);
        env.put("PORT", Integer.toString(port));
        env.put("INSTANCE_ID", "restart-it");
        env.put("WORKERS", "1");
        env.put("RATE_LIMIT_ENABLED", "false");
        env.put("RUN_TIME_LIMIT_SECONDS", "120");
        env.remove("REDIS_URL");
        pb.redirectErrorStream(true).redirectOutput(Files.createTempFile("restart-it", ".log").toFile());
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return p;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
            assertTrue(p.isAlive(), "the server exited during start-up");
        }
        throw new AssertionError("the server did not start on port " + port);
    }

    static String submit(int port, String code, String startTime) throws Exception {
        ObjectNode b = JSON.createObjectNode();
        b.put("symbol", "BTCUSDT");
        b.put("interval", "1h");
        b.put("code", code);
        if (startTime != null) b.put("startTime", startTime);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/backtests"))
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static JsonNode get(int port, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/backtests/" + id + "?view=summary")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static JsonNode awaitStatus(int port, String id, String status, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JsonNode run;
        do {
            run = get(port, id);
            if (run.get("status").asText().equals(status)) return run;
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("run " + id + " did not become " + status + ": " + run);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
