package dev.candlebox.server.derivatives;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.ingest.DerivativesFileImport;
import dev.candlebox.db.ingest.FundingFileImport;
import dev.candlebox.db.ingest.ImportLog;
import dev.candlebox.db.ingest.ImportSettings;
import dev.candlebox.db.ingest.KlineFile;
import dev.candlebox.db.ingest.RawFile;
import dev.candlebox.server.CandleboxServer;
import dev.candlebox.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/derivatives/...} over the real files on PostgreSQL: the Coinalyze exports (1h, shifted from
 * UTC+6), silertrades' 4h open interest and its funding rates.
 */
class DerivativesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String COINALYZE = "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_";
    static String url;
    static CandleboxServer server;

    @BeforeAll
    static void start() throws IOException {
        url = TestDatabases.freshPostgres();
        server = CandleboxServer.start(ServerConfig.fromEnv(Map.of("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString(),
                "CANDLEBOX_SAMPLE", "false", "RATE_LIMIT_ENABLED", "false", "BACKTESTS_ENABLED", "false")).withPort(0).withDatabaseUrl(url));
        ImportLog log = new ImportLog(server.database());
        DerivativesFileImport derivatives = new DerivativesFileImport(new Derivatives(server.database()), log, ImportSettings.defaults());
        for (String kind : new String[]{"open-interest", "long-short-ratio", "liquidation"}) {
            derivatives.run(DerivativesFileImport.Request.of(KlineFile.of(RawFile.path(COINALYZE + kind + "-history.csv.gz")))
                    .withShiftMillis(-6 * 3_600_000L));
        }
        derivatives.run(DerivativesFileImport.Request.of(KlineFile.of(RawFile.path("silertrades__gravestone-data/data/oi_4h/BTCUSDT.csv.gz"))));
        new FundingFileImport(new FundingStore(server.database()), log, ImportSettings.defaults()).run(FundingFileImport.Request.of(
                KlineFile.of(RawFile.path("silertrades__gravestone-data/data/funding/BTCUSDT.csv.gz"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        TestDatabases.dropPostgresSchema(url);
    }

    static HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static BigDecimal number(JsonNode n) {
        assertTrue(n.isNumber(), n.toString());
        return n.decimalValue();
    }

    @Test
    void theFirstHourOfTheCoinalyzeExportsHasEveryKindInUtc() {
        JsonNode page = getJson("/api/v1/derivatives/btcusdt/1h?limit=1");
        assertEquals("BTCUSDT", page.get("symbol").asText());
        assertEquals("1h", page.get("interval").asText());
        assertEquals(1, page.get("count").asInt());
        JsonNode row = page.get("data").get(0);
        // "2024-06-20 03:00:00" in the files, UTC+6
        assertEquals("2024-06-19T21:00:00+00:00", row.get("open_time").asText());
        assertEquals(0, new BigDecimal("75286.992").compareTo(number(row.get("open_interest"))));
        assertTrue(row.get("open_interest_value").isNull());
        assertEquals(0, new BigDecimal("2.4977").compareTo(number(row.get("long_short_ratio"))));
        assertEquals(0, new BigDecimal("0.7141").compareTo(number(row.get("long_account"))));
        assertEquals(0, new BigDecimal("0.2859").compareTo(number(row.get("short_account"))));
        assertEquals(0, new BigDecimal("844.649").compareTo(number(row.get("liquidations_long"))));
        assertEquals(0, new BigDecimal("63283.702").compareTo(number(row.get("liquidations_short"))));
        assertEquals(0, new BigDecimal("0.974").compareTo(number(row.get("liquidations_short_base"))));
        assertTrue(row.get("funding_rate").isNull()); // the funding file starts in 2026
        assertTrue(row.get("funding_time").isNull());
    }

    @Test
    void aKindWithoutARowAtATimeIsNull() {
        // the long/short export lacks 2024-07-19 13:00 UTC+6 (it repeats 12:00 instead); the others have it
        JsonNode row = getJson("/api/v1/derivatives/BTCUSDT/1h?start_time=2024-07-19T06:00:00Z&limit=1").get("data").get(0);
        assertEquals("2024-07-19T07:00:00+00:00", row.get("open_time").asText());
        assertTrue(row.get("long_short_ratio").isNull());
        assertTrue(row.get("long_account").isNull());
        assertEquals(0, new BigDecimal("78471.991").compareTo(number(row.get("open_interest"))));
        assertEquals(0, new BigDecimal("62.038").compareTo(number(row.get("liquidations_long_base"))));
    }

    @Test
    void fourHourOpenInterestCarriesTheLastFundingRateSettledAtOrBeforeIt() {
        JsonNode page = getJson("/api/v1/derivatives/BTCUSDT/4h?limit=3");
        JsonNode data = page.get("data");
        assertEquals(3, data.size());
        assertEquals("2026-02-20T04:00:00+00:00", data.get(0).get("open_time").asText());
        assertEquals(0, new BigDecimal("80485.615").compareTo(number(data.get(0).get("open_interest"))));
        assertEquals(0, new BigDecimal("5419496040.188065").compareTo(number(data.get(0).get("open_interest_value"))));
        assertTrue(data.get(0).get("long_short_ratio").isNull());
        // settled at 00:00 (1771545600000,BTCUSDT,0.00005365), in force at 04:00
        assertEquals(0, new BigDecimal("0.00005365").compareTo(number(data.get(0).get("funding_rate"))));
        assertEquals("2026-02-20T00:00:00+00:00", data.get(0).get("funding_time").asText());
        // a settlement at the row's own time counts (08:00, stamped 1771574400xxx by Binance)
        assertEquals(0, new BigDecimal("0.00001302").compareTo(number(data.get(1).get("funding_rate"))));
        assertEquals("2026-02-20T08:00:00+00:00", data.get(1).get("funding_time").asText());
        assertEquals("2026-02-20T08:00:00+00:00", data.get(2).get("funding_time").asText()); // 12:00: still the 08:00 rate
    }

    @Test
    void valuesAreJsonNumbersWrittenAsTheStoredDecimal() {
        String body = get("/api/v1/derivatives/BTCUSDT/4h?limit=1").body();
        assertTrue(body.contains("\"open_interest\":80485.615,\"open_interest_value\":5419496040.188065,\"long_short_ratio\":null,"), body);
        assertTrue(body.contains("\"funding_rate\":0.00005365,\"funding_time\":\"2026-02-20T00:00:00+00:00\""), body);
    }

    @Test
    void theKlineApisRateLimitCoversIt() throws Exception {
        Map<String, String> env = Map.of("CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString(),
                "REDIS_URL", System.getProperty("candlebox.test.redis", "redis://127.0.0.1:6379"),
                "RATE_LIMIT_PER_SECOND", "1000", "RATE_LIMIT_PER_MINUTE", "3",
                "RATE_LIMIT_KEY_PREFIX", "cbtest:" + java.util.UUID.randomUUID() + ":", "BACKTESTS_ENABLED", "false");
        try (CandleboxServer limited = CandleboxServer.start(ServerConfig.fromEnv(env).withPort(0).withDatabaseUrl(url))) {
            URI uri = URI.create("http://127.0.0.1:" + limited.port() + "/api/v1/derivatives/BTCUSDT/4h?limit=1");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(java.util.Optional.of(Integer.toString(2 - i)), r.headers().firstValue("X-RateLimit-Remaining"));
            }
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void theReferenceClientsPaginationGetsEveryRowOnceInOrder() {
        int seen = 0, pages = 0;
        long last = Long.MIN_VALUE;
        String start = "2026-01-01T00:00:00Z";
        while (true) {
            HttpResponse<String> r = get("/api/v1/derivatives/BTCUSDT/4h?limit=100&start_time=" + start);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode data;
            try {
                data = JSON.readTree(r.body()).get("data");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            pages++;
            for (JsonNode row : data) {
                long t = OffsetDateTime.parse(row.get("open_time").asText()).toInstant().toEpochMilli();
                assertTrue(t > last);
                last = t;
                seen++;
            }
            assertEquals(data.size() == 100, r.headers().firstValue("Link").isPresent());
            if (data.size() < 100) break;
            start = String.valueOf(last);
        }
        assertEquals(168, seen);
        assertEquals(2, pages);
        assertEquals(1773964800000L, last); // 2026-03-20 00:00
    }

    @Test
    void startIsExclusiveAndEndInclusive() {
        JsonNode page = getJson("/api/v1/derivatives/BTCUSDT/4h?start_time=1771560000000&end_time=2026-02-20T16:00:00");
        assertEquals(3, page.get("count").asInt()); // 08:00, 12:00, 16:00
        assertEquals("2026-02-20T08:00:00+00:00", page.get("data").get(0).get("open_time").asText());
        assertEquals("2026-02-20T16:00:00+00:00", page.get("data").get(2).get("open_time").asText());
        assertFalse(get("/api/v1/derivatives/BTCUSDT/4h?start_time=1771560000000&end_time=2026-02-20T16:00:00").headers()
                .firstValue("Link").isPresent());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/derivatives/BTCUSDT/4h?limit=0|limit|limit 0 is out of range",
            "/api/v1/derivatives/BTCUSDT/4h?limit=abc|limit|limit is not an integer: 'abc'",
            "/api/v1/derivatives/BTCUSDT/4h?start_time=yesterday|start_time|start_time is not a time: 'yesterday'",
            "/api/v1/derivatives/BTCUSDT/4h?start_time=2026-03-01&end_time=2026-02-01|start_time|start_time is after end_time",
            "/api/v1/derivatives/BTCUSDT/2x|interval|unknown interval '2x'",
            "/api/v1/derivatives/BTCUSDT/1d|interval|no BTCUSDT derivatives data at interval '1d'",
            "/api/v1/derivatives/ETHUSDT/1h|symbol|unknown symbol 'ETHUSDT'",
    })
    void badInputIsA400NamingTheParameter(String path, String parameter, String detail) throws IOException {
        HttpResponse<String> r = get(path);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(parameter, body.get("parameter").asText(), r.body());
        assertEquals(detail, body.get("detail").asText());
        assertTrue(body.hasNonNull("allowed"), r.body());
    }

    @Test
    void intervalsWithDataAreListedWhenOneHasNone() throws IOException {
        JsonNode body = JSON.readTree(get("/api/v1/derivatives/BTCUSDT/1d").body());
        assertEquals("intervals with derivatives data for BTCUSDT: [1h, 4h]", body.get("allowed").asText());
    }
}
