package dev.candlebox.server.ratelimit;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Real Javalin instances with the rate-limit handler on /api/*, and a real HTTP client. */
final class TestServers {
    private TestServers() {}

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** The shared Redis of the test machine; the test fails (never skips) when it is not there. */
    static String redisUrl() {
        return System.getProperty("candlebox.test.redis", "redis://127.0.0.1:6379");
    }

    /** A key prefix no other test (or concurrent test run) uses. */
    static String uniquePrefix() {
        return "candlebox-test:rl:" + UUID.randomUUID() + ":";
    }

    /**
     * Limits for a test: per second, per minute, trusted proxies, a unique key prefix; Redis timeout
     * generous enough that a slow shared machine is not mistaken for an outage.
     */
    static RateLimitConfig config(int perSecond, int perMinute, List<String> proxies, String prefix) {
        return new RateLimitConfig(true, perSecond, perMinute, proxies, prefix,
                Duration.ofSeconds(2), Duration.ofSeconds(1), 16);
    }

    /** A tiny app: the handler before /api/*, GET /api/ping, and an unlimited GET /ping for warm-up. */
    static Javalin start(RateLimiter limiter) {
        Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
        app.before("/api/*", RateLimitHandler.forKlines(limiter));
        app.get("/api/ping", ctx -> ctx.result("pong"));
        app.get("/ping", ctx -> ctx.result("pong"));
        return app.start("127.0.0.1", 0);
    }

    static HttpResponse<String> get(Javalin app, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> ping(Javalin app, String... headers) {
        return get(app, "/api/ping", headers);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Warms Jetty, the HTTP client and the Lua script cache so that timed sequences start hot. */
    static void warmUp(Javalin app, RateLimiter limiter) {
        for (int i = 0; i < 5; i++) {
            get(app, "/ping");
        }
        limiter.tryAcquire("warm-up", "warm-up-client");
    }
}
