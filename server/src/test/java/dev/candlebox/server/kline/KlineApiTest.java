package dev.candlebox.server.kline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.CandleboxServer;
import dev.candlebox.server.MainSeries;
import dev.candlebox.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kline API over the whole main series, once on PostgreSQL and once on the embedded H2. */
class KlineApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static List<String[]> lines;

    @BeforeAll
    static void readFile() {
        lines = MainSeries.lines();
        assertEquals(MainSeries.ROWS, lines.size());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgres extends Contract {
        String url;

        @BeforeAll
        void start() {
            url = TestDatabases.freshPostgres();
            startServer(url);
        }

        @AfterAll
        void stop() {
            stopServer();
            TestDatabases.dropPostgresSchema(url);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnH2 extends Contract {
        @BeforeAll
        void start() {
            startServer(TestDatabases.freshH2());
        }

        @AfterAll
        void stop() {
            stopServer();
        }
    }

    abstract static class Contract {
        CandleboxServer server;

        void startServer(String dbUrl) {
            ServerConfig config;
            try {
                config = ServerConfig.fromEnv(Map.of("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString(),
                        "CANDLEBOX_SAMPLE", "false", "RATE_LIMIT_ENABLED", "false", "BACKTESTS_ENABLED", "false")).withPort(0).withDatabaseUrl(dbUrl);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            server = CandleboxServer.start(config);
            KlineStore store = new KlineStore(server.database());
            KlineStore.UpsertResult r = store.upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(lines));
            assertEquals(MainSeries.ROWS, r.inserted());
        }

        void stopServer() {
            if (server != null) server.close();
        }

        HttpResponse<String> get(String pathAndQuery) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        JsonNode getJson(String pathAndQuery) {
            HttpResponse<String> r = get(pathAndQuery);
            assertEquals(200, r.statusCode(), r.body());
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Test
        void theReferenceClientsPaginationGetsEveryRowOnceInOrderWithTheFilesValues() {
            int seen = 0;
            String start = "2018-12-31T23:00:00+00:00";
            while (true) {
                JsonNode page = getJson("/api/v1/kline/BTCUSDT/1h?limit=1000&start_time=" + start.replace("+", "%2B"));
                JsonNode data = page.get("data");
                assertEquals(data.size(), page.get("count").asInt());
                for (JsonNode k : data) {
                    String[] f = lines.get(seen++);
                    assertEquals(Long.parseLong(f[0]), OffsetDateTime.parse(k.get("open_time").asText()).toInstant().toEpochMilli());
                    assertEquals(Double.parseDouble(f[1]), k.get("open").asDouble(), "open of row " + seen);
                    assertEquals(Double.parseDouble(f[2]), k.get("high").asDouble());
                    assertEquals(Double.parseDouble(f[3]), k.get("low").asDouble());
                    assertEquals(Double.parseDouble(f[4]), k.get("close").asDouble());
                    assertEquals(Double.parseDouble(f[5]), k.get("volume").asDouble());
                    assertEquals(Long.parseLong(f[6]), OffsetDateTime.parse(k.get("close_time").asText()).toInstant().toEpochMilli());
                    assertEquals(Double.parseDouble(f[7]), k.get("quote_asset_volume").asDouble());
                    assertEquals(Integer.parseInt(f[8]), k.get("number_of_trades").intValue());
                    assertTrue(k.get("number_of_trades").isInt());
                    assertEquals(Double.parseDouble(f[9]), k.get("taker_buy_base_asset_volume").asDouble());
                    assertEquals(Double.parseDouble(f[10]), k.get("taker_buy_quote_asset_volume").asDouble());
                }
                if (data.size() < 1000) break;
                start = data.get(data.size() - 1).get("open_time").asText();
            }
            assertEquals(MainSeries.ROWS, seen);
        }

        @Test
        void aPageHoldsRowsAfterStartUpToAndIncludingEnd() {
            // 2024-01-01T00:00Z = 1704067200000; rows at 01:00, 02:00, 03:00
            JsonNode page = getJson("/api/v1/kline/btcusdt/1h?start_time=1704067200000&end_time=2024-01-01T03:00:00&limit=10");
            assertEquals("BTCUSDT", page.get("symbol").asText());
            assertEquals("1h", page.get("interval").asText());
            assertEquals(3, page.get("count").asInt());
            assertEquals("2024-01-01T01:00:00+00:00", page.get("data").get(0).get("open_time").asText());
            assertEquals("2024-01-01T03:00:00+00:00", page.get("data").get(2).get("open_time").asText());
            assertEquals("2024-01-01T01:59:59.999+00:00", page.get("data").get(0).get("close_time").asText());
        }

        @Test
        void theDefaultLimitIs100FromTheFirstRow() {
            JsonNode page = getJson("/api/v1/kline/BTCUSDT/1h");
            assertEquals(100, page.get("count").asInt());
            assertEquals(Long.parseLong(lines.get(0)[0]),
                    OffsetDateTime.parse(page.get("data").get(0).get("open_time").asText()).toInstant().toEpochMilli());
        }

        @Test
        void aFullPageLinksToTheNextOne() {
            HttpResponse<String> r = get("/api/v1/kline/BTCUSDT/1h?limit=2&start_time=1704067200000");
            assertEquals(Optional.of("</api/v1/kline/BTCUSDT/1h?start_time=1704074400000&limit=2>; rel=\"next\""),
                    r.headers().firstValue("Link"));
        }

        @Test
        void previousAndNextAreStrictNeighbours() {
            JsonNode prev = getJson("/api/v1/kline/BTCUSDT/1h/previous?current_time=2024-01-01T00:00:00Z");
            assertEquals("2023-12-31T23:00:00+00:00", prev.get("data").get("open_time").asText());
            JsonNode next = getJson("/api/v1/kline/BTCUSDT/1h/next?current_time=2024-01-01T00:00:00Z");
            assertEquals("2024-01-01T01:00:00+00:00", next.get("data").get("open_time").asText());
            // a gap: 2019-05-15 03:00 .. 12:00 are missing, so after 02:00 comes 13:00
            JsonNode acrossGap = getJson("/api/v1/kline/BTCUSDT/1h/next?current_time=2019-05-15T02:00:00");
            assertEquals("2019-05-15T13:00:00+00:00", acrossGap.get("data").get("open_time").asText());
            JsonNode none = getJson("/api/v1/kline/BTCUSDT/1h/next?current_time=2030-01-01");
            assertTrue(none.get("data").isNull());
            JsonNode latest = getJson("/api/v1/kline/BTCUSDT/1h/previous");
            assertEquals(Long.parseLong(lines.get(lines.size() - 1)[0]),
                    OffsetDateTime.parse(latest.get("data").get("open_time").asText()).toInstant().toEpochMilli());
        }

        @Test
        void batchIncludesBothBoundsAndStreamsWideRanges() {
            JsonNode day = getJson("/api/v1/kline/BTCUSDT/1h/batch?start_time=2024-01-01T00:00:00Z&end_time=2024-01-01T23:00:00Z");
            assertEquals(24, day.get("count").asInt());
            assertEquals(24, day.get("data").size());
            assertEquals("2024-01-01T00:00:00+00:00", day.get("start_time").asText());
            JsonNode all = getJson("/api/v1/kline/BTCUSDT/1h/batch?start_time=0&end_time=2100-01-01");
            assertEquals(MainSeries.ROWS, all.get("count").asInt());
            assertEquals(MainSeries.ROWS, all.get("data").size());
        }

        @Test
        void symbolsAndIntervalsListWhatExists() {
            assertEquals(List.of("BTCUSDT"), JSON.convertValue(getJson("/api/v1/kline/symbols").get("symbols"), List.class));
            assertEquals(Interval.codes(), JSON.convertValue(getJson("/api/v1/kline/intervals").get("intervals"), List.class));
        }

        @Test
        void healthReportsTheDatabase() {
            JsonNode h = getJson("/health");
            assertEquals("healthy", h.get("status").asText());
            assertTrue(h.get("database").get("reachable").asBoolean());
        }

        @Test
        void theReferenceFrontendsOriginIsAllowedAndOtherOriginsGetNoCorsHeaders() {
            try {
                String url = "http://127.0.0.1:" + server.port() + "/api/v1/kline/symbols";
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Origin", "http://localhost:5173").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(Optional.of("http://localhost:5173"), r.headers().firstValue("Access-Control-Allow-Origin"));
                assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Retry-After"));
                HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, other.statusCode(), "served; the browser withholds it from that page");
                assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
                // the server's own page sends its own origin: never refused
                HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Origin", "http://127.0.0.1:" + server.port()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, own.statusCode());
                HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/backtests"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:3000")
                        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(204, preflight.statusCode());
                assertEquals(Optional.of("GET, POST, PATCH, DELETE, OPTIONS"), preflight.headers().firstValue("Access-Control-Allow-Methods"));
                assertEquals(Optional.of("content-type"), preflight.headers().firstValue("Access-Control-Allow-Headers"));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @ParameterizedTest(name = "{0} -> 400 naming {1}")
        @CsvSource(delimiter = '|', value = {
                "/api/v1/kline/XYZUSDT/1h|symbol|unknown symbol 'XYZUSDT'",
                "/api/v1/kline/BTCUSDT/2x|interval|unknown interval '2x'",
                "/api/v1/kline/BTCUSDT/5m|interval|no BTCUSDT klines at interval '5m'",
                "/api/v1/kline/BTCUSDT/1h?start_time=yesterday|start_time|start_time is not a time",
                "/api/v1/kline/BTCUSDT/1h?end_time=2024-13-01|end_time|end_time is not a time",
                "/api/v1/kline/BTCUSDT/1h?start_time=99999999999999999999|start_time|start_time is out of range",
                "/api/v1/kline/BTCUSDT/1h?start_time=2024-02-01&end_time=2024-01-01|start_time|start_time is after end_time",
                "/api/v1/kline/BTCUSDT/1h?limit=0|limit|limit 0 is out of range",
                "/api/v1/kline/BTCUSDT/1h?limit=1001|limit|limit 1001 is out of range",
                "/api/v1/kline/BTCUSDT/1h?limit=ten|limit|limit is not an integer",
                "/api/v1/kline/BTC'%3B%20DROP%20TABLE%20t_kline_btcusdt_1h%3B--/1h|symbol|invalid symbol",
                "/api/v1/kline/BTCUSDT/1h'%20OR%20'1'='1|interval|unknown interval",
                "/api/v1/kline/..%5C..%5Cetc/1h|symbol|invalid symbol",
                "/api/v1/kline/BTC.USDT/1h|symbol|invalid symbol",
                "/api/v1/kline/BTCUSDT/..|interval|unknown interval",
                "/api/v1/kline/BTCUSDT/1h/previous?current_time=noon|current_time|current_time is not a time",
                "/api/v1/kline/BTCUSDT/1h/batch?start_time=2024-01-01|end_time|end_time is required",
                "/api/v1/kline/BTCUSDT/1h/batch?start_time=2024-01-02&end_time=2024-01-01|start_time|start_time is after end_time",
        })
        void badInputIsA400ThatSaysWhichParameterAndWhatIsAllowed(String path, String parameter, String detail) throws IOException {
            HttpResponse<String> r = get(path);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(parameter, body.get("parameter").asText(), r.body());
            assertTrue(body.get("detail").asText().startsWith(detail), r.body());
            assertFalse(body.get("allowed").asText().isEmpty());
        }

        @Test
        void theTableSurvivesAnInjectionAttempt() {
            get("/api/v1/kline/BTC'%3B%20DROP%20TABLE%20t_kline_btcusdt_1h%3B--/1h");
            assertEquals(Long.parseLong(lines.get(0)[0]), Instant.parse(
                    getJson("/api/v1/kline/BTCUSDT/1h?limit=1").get("data").get(0).get("open_time").asText().replace("+00:00", "Z")).toEpochMilli());
        }
    }
}
