package dev.candlebox.server.ratelimit;

import static dev.candlebox.server.ratelimit.TestServers.config;
import static dev.candlebox.server.ratelimit.TestServers.header;
import static dev.candlebox.server.ratelimit.TestServers.ping;
import static dev.candlebox.server.ratelimit.TestServers.redisUrl;
import static dev.candlebox.server.ratelimit.TestServers.start;
import static dev.candlebox.server.ratelimit.TestServers.uniquePrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/** The handler in real Javalin servers, over real HTTP, counting in the real Redis. */
class RateLimitHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final String prefix = uniquePrefix();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            Set<String> keys = jedis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        }
    }

    private RateLimiter limiter(RateLimitConfig config, boolean withRedis) {
        RateLimiter l = RateLimiter.create(config, withRedis ? Optional.of(redisUrl()) : Optional.empty());
        toClose.add(l);
        return l;
    }

    private Javalin app(RateLimiter limiter) {
        Javalin app = start(limiter);
        toClose.add(app::stop);
        return app;
    }

    private static Map<String, String> redisHash(String key) {
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            return jedis.hgetAll(key);
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {true, false})
    void the31stRequestWithinASecondGets429WithHeadersAndRetryAfter(boolean withRedis) throws Exception {
        RateLimiter limiter = limiter(config(30, 1000, List.of(), prefix), withRedis);
        assertEquals(withRedis ? "redis" : "in-process", limiter.status().backend());
        Javalin app = app(limiter);
        TestServers.warmUp(app, limiter);

        long started = System.nanoTime();
        for (int i = 1; i <= 30; i++) {
            HttpResponse<String> r = ping(app);
            assertEquals(200, r.statusCode(), "request " + i);
            assertEquals("pong", r.body());
            assertEquals("30", header(r, "X-RateLimit-Limit"), "request " + i);
            assertEquals(Integer.toString(30 - i), header(r, "X-RateLimit-Remaining"), "request " + i);
            assertNull(header(r, "Retry-After"));
        }
        HttpResponse<String> refused = ping(app);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs < 1000, "precondition: 31 requests took " + elapsedMs + " ms, more than the window");
        assertEquals(429, refused.statusCode());
        assertEquals("30", header(refused, "X-RateLimit-Limit"));
        assertEquals("0", header(refused, "X-RateLimit-Remaining"));
        assertEquals("1", header(refused, "Retry-After"));
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(refused.body());
        assertEquals("Too many requests: the limit is 30 per second and 1000 per minute per client. Retry after 1 s.",
                body.get("detail").asText());
        assertEquals("kline", body.get("policy").asText());
        assertEquals(30, body.get("limit").asInt());
        assertEquals(1, body.get("retry_after").asInt());

        if (withRedis) {
            Map<String, String> hash = redisHash(prefix + "kline:127.0.0.1");
            assertEquals("30", hash.get("c1000"));
            assertEquals("30", hash.get("c60000"));
        }

        Thread.sleep(1000); // what Retry-After said
        HttpResponse<String> again = ping(app);
        assertEquals(200, again.statusCode());
        // the second window reopened: 29 left; the minute has 1000 - 31 = 969 left
        assertEquals("30", header(again, "X-RateLimit-Limit"));
        assertEquals("29", header(again, "X-RateLimit-Remaining"));
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {true, false})
    void thePerMinuteLimitHoldsWhenThePerSecondOneHasRoom(boolean withRedis) {
        Javalin app = app(limiter(config(100, 5, List.of(), prefix), withRedis));
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = ping(app);
            assertEquals(200, r.statusCode());
            assertEquals("5", header(r, "X-RateLimit-Limit")); // minute binds: 5 - i < 100 - i
            assertEquals(Integer.toString(5 - i), header(r, "X-RateLimit-Remaining"));
        }
        HttpResponse<String> refused = ping(app);
        assertEquals(429, refused.statusCode());
        assertEquals("5", header(refused, "X-RateLimit-Limit"));
        assertEquals("0", header(refused, "X-RateLimit-Remaining"));
        // the minute window opened less than a second ago: 59.x s left, rounded up
        assertEquals("60", header(refused, "Retry-After"));
    }

    @Test
    void twoServerInstancesSharingOneRedisShareOneLimit() {
        RateLimitConfig config = config(100, 10, List.of(), prefix);
        Javalin a = app(limiter(config, true));
        Javalin b = app(limiter(config, true));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            HttpResponse<String> r = ping(i % 2 == 1 ? a : b);
            statuses.add(r.statusCode());
            if (i <= 10) {
                assertEquals(Integer.toString(10 - i), header(r, "X-RateLimit-Remaining"), "request " + i);
            } else {
                assertEquals("0", header(r, "X-RateLimit-Remaining"));
                assertEquals("60", header(r, "Retry-After"));
            }
        }
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429, 429, 429), statuses);
        assertEquals("10", redisHash(prefix + "kline:127.0.0.1").get("c60000"));
    }

    @Test
    void aSpoofedXForwardedForDoesNotResetTheLimit() {
        Javalin app = app(limiter(config(100, 5, List.of(), prefix), true));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            statuses.add(ping(app, "X-Forwarded-For", "198.51.100." + i).statusCode());
        }
        assertEquals(List.of(200, 200, 200, 200, 200, 429, 429, 429), statuses);
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            assertEquals(Set.of(prefix + "kline:127.0.0.1"), jedis.keys(prefix + "*"));
        }
    }

    @Test
    void behindATrustedProxyXForwardedForNamesTheClientAndEachClientHasItsOwnBudget() {
        Javalin app = app(limiter(config(100, 3, List.of("127.0.0.1"), prefix), true));
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = ping(app, "X-Forwarded-For", "203.0.113.7");
            a.add(r.statusCode() + "/" + header(r, "X-RateLimit-Remaining"));
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = ping(app, "X-Forwarded-For", "203.0.113.8");
            b.add(r.statusCode() + "/" + header(r, "X-RateLimit-Remaining"));
        }
        assertEquals(List.of("200/2", "200/1", "200/0", "429/0"), a);
        assertEquals(List.of("200/2", "200/1", "200/0", "429/0"), b);
        // A client that prepends an address of its own is still 203.0.113.7 (the proxy appended that).
        assertEquals(429, ping(app, "X-Forwarded-For", "192.0.2.1, 203.0.113.7").statusCode());
        // The proxy's own requests (no header) count for the proxy.
        HttpResponse<String> own = ping(app);
        assertEquals(200, own.statusCode());
        assertEquals("2", header(own, "X-RateLimit-Remaining"));
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            assertEquals(new TreeSet<>(List.of(prefix + "kline:127.0.0.1", prefix + "kline:203.0.113.7",
                    prefix + "kline:203.0.113.8")), new TreeSet<>(jedis.keys(prefix + "*")));
        }
    }

    @Test
    void keysExpireOneLongestWindowAfterTheLastCountedRequest() {
        Javalin app = app(limiter(config(100, 5, List.of(), prefix), true));
        ping(app);
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            long ttl = jedis.pttl(prefix + "kline:127.0.0.1");
            assertTrue(ttl > 55_000 && ttl <= 60_000, "pttl " + ttl);
        }
    }

    @Test
    void routesOutsideTheLimitedPathAndCorsPreflightsAreNotCounted() throws Exception {
        Javalin app = app(limiter(config(100, 5, List.of(), prefix), true));
        assertNull(header(TestServers.get(app, "/ping"), "X-RateLimit-Limit"));
        for (int i = 0; i < 3; i++) {
            var options = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + app.port() + "/api/ping"))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build();
            TestServers.HTTP.send(options, HttpResponse.BodyHandlers.discarding());
        }
        assertEquals("4", header(ping(app), "X-RateLimit-Remaining"));
    }

    @Test
    void withRateLimitsOffNothingIsCountedAndNoHeadersAreSent() {
        RateLimitConfig off = new RateLimitConfig(false, 1, 1, List.of(), prefix,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 1);
        RateLimiter limiter = limiter(off, true);
        assertEquals(new RateLimiter.Status("disabled", null, "rate limits are off (RATE_LIMIT_ENABLED=false)"),
                limiter.status());
        Javalin app = app(limiter);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = ping(app);
            assertEquals(200, r.statusCode());
            assertNull(header(r, "X-RateLimit-Limit"));
        }
        try (Jedis jedis = new Jedis(java.net.URI.create(redisUrl()))) {
            assertEquals(Set.of(), jedis.keys(prefix + "*"));
        }
    }
}
