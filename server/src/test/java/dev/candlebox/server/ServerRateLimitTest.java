package dev.candlebox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real server with its limiter in Redis: instances share one budget per client. */
class ServerRateLimitTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static CandleboxServer start(String dbUrl, String prefix) throws Exception {
        Map<String, String> env = Map.of(
                "CANDLEBOX_DATA_DIR", Files.createTempDirectory("cb").toString(),
                "REDIS_URL", System.getProperty("candlebox.test.redis", "redis://127.0.0.1:6379"),
                "RATE_LIMIT_PER_SECOND", "1000",
                "RATE_LIMIT_PER_MINUTE", "10",
                "RATE_LIMIT_KEY_PREFIX", prefix,
                "BACKTESTS_ENABLED", "false");
        return CandleboxServer.start(ServerConfig.fromEnv(env).withPort(0).withDatabaseUrl(dbUrl));
    }

    static HttpResponse<String> get(CandleboxServer s, String path, String forwardedFor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (forwardedFor != null) b.header("X-Forwarded-For", forwardedFor);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoInstancesShareOneLimitAndASpoofedForwardedForDoesNotResetIt() throws Exception {
        String url = TestDatabases.freshPostgres();
        String prefix = "cbtest:" + UUID.randomUUID() + ":";
        try (CandleboxServer a = start(url, prefix); CandleboxServer b = start(url, prefix)) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = get(i % 2 == 0 ? a : b, "/api/v1/kline/intervals", null);
                assertEquals(200, r.statusCode());
                assertEquals(Optional.of("10"), r.headers().firstValue("X-RateLimit-Limit"));
                assertEquals(Optional.of(Integer.toString(9 - i)), r.headers().firstValue("X-RateLimit-Remaining"));
            }
            HttpResponse<String> refused = get(b, "/api/v1/kline/intervals", null);
            assertEquals(429, refused.statusCode());
            assertEquals(Optional.of("0"), refused.headers().firstValue("X-RateLimit-Remaining"));
            long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            assertEquals(429, get(a, "/api/v1/kline/intervals", "203.0.113.9").statusCode(), "no trusted proxy: the header is ignored");
            assertEquals(429, get(b, "/api/v1/kline/symbols", "198.51.100.1, 203.0.113.9").statusCode());

            // health is outside /api and reports Redis
            HttpResponse<String> health = get(a, "/health", null);
            assertEquals(200, health.statusCode());
            JsonNode h = new ObjectMapper().readTree(health.body());
            assertTrue(h.get("redis").get("reachable").asBoolean());
            assertEquals("redis", h.get("rate_limits").get("backend").asText());
        } finally {
            TestDatabases.dropPostgresSchema(url);
        }
    }
}
