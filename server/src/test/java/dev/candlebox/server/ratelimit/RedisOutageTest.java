package dev.candlebox.server.ratelimit;

import static dev.candlebox.server.ratelimit.TestServers.header;
import static dev.candlebox.server.ratelimit.TestServers.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis going away while serving, with a private redis-server started and killed by the test.
 * Timings: Redis timeout 300 ms, retry every 1 s.
 */
class RedisOutageTest {

    private final int port = TestServers.freePort();
    private final String url = "redis://127.0.0.1:" + port;
    private Process redis;
    private PrintStream originalErr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        // slf4j-simple writes to whatever System.err is at the time of each line.
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws InterruptedException {
        System.setErr(originalErr);
        stopRedis();
    }

    @Test
    void whenRedisGoesAwayRequestsAreServedUnderInProcessLimitsAndItIsToldOnceEachWay() throws Exception {
        startRedis();
        RateLimitConfig config = new RateLimitConfig(true, 100, 8, List.of(), TestServers.uniquePrefix(),
                Duration.ofMillis(300), Duration.ofSeconds(1), 4);
        String key = config.keyPrefix() + "kline:127.0.0.1";
        try (RateLimiter limiter = RateLimiter.create(config, Optional.of(url))) {
            Javalin app = TestServers.start(limiter);
            try {
                assertEquals(new RateLimiter.Status("redis", true, "limits are shared through Redis at 127.0.0.1:" + port),
                        limiter.status());
                for (int i = 1; i <= 3; i++) {
                    assertEquals(Integer.toString(8 - i), header(ping(app), "X-RateLimit-Remaining"));
                }
                assertEquals("3", redisHash(key).get("c60000"));

                stopRedis(); // SIGKILL, as a crash

                // A fresh in-process budget of 8 under the same policy, then 429.
                List<String> during = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> r = ping(app);
                    during.add(r.statusCode() + "/" + header(r, "X-RateLimit-Remaining"));
                }
                assertEquals(List.of("200/7", "200/6", "200/5", "200/4", "200/3", "200/2", "200/1", "200/0",
                        "429/0", "429/0"), during);
                RateLimiter.Status down = limiter.status();
                assertEquals("in-process", down.backend());
                assertEquals(false, down.redisReachable());
                assertTrue(down.detail().startsWith("Redis at 127.0.0.1:" + port + " unreachable since "), down.detail());
                assertTrue(down.detail().endsWith(
                        "limits are counted in this instance's memory; Redis is retried every 1 s"), down.detail());
                assertEquals(1, logLines("stopped answering"), log());

                // Something now listens on the port but never answers: were Redis tried on every
                // request, each would wait the 300 ms timeout and open a connection.
                AtomicInteger connections = new AtomicInteger();
                try (ServerSocket blackHole = new ServerSocket()) {
                    blackHole.setReuseAddress(true);
                    blackHole.bind(new InetSocketAddress("127.0.0.1", port));
                    List<Socket> held = new ArrayList<>();
                    Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                        try {
                            while (true) {
                                held.add(blackHole.accept());
                                connections.incrementAndGet();
                            }
                        } catch (IOException closed) {
                            // the test is done with it
                        }
                    });
                    long slowest = 0;
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
                    int requests = 0;
                    while (System.nanoTime() < until) {
                        long t0 = System.nanoTime();
                        assertEquals(429, ping(app).statusCode());
                        slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
                        requests++;
                        Thread.sleep(50);
                    }
                    blackHole.close();
                    acceptor.join(1000);
                    for (Socket s : held) {
                        s.close();
                    }
                    assertTrue(requests >= 20, "requests " + requests);
                    assertTrue(slowest < 250, "a request waited " + slowest + " ms: it must not wait on Redis");
                    // Probes every 1 s (each waiting out the 300 ms timeout) over 2.5 s: 1 to 3.
                    assertTrue(connections.get() >= 1 && connections.get() <= 3,
                            connections.get() + " connections to Redis during " + requests + " requests");
                }
                assertEquals(1, logLines("stopped answering"), log());

                startRedis(); // empty: no persistence
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!limiter.status().backend().equals("redis") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(new RateLimiter.Status("redis", true, "limits are shared through Redis at 127.0.0.1:" + port),
                        limiter.status());
                assertEquals(1, logLines("answers again"), log());

                // Shared again: a fresh Redis counts from zero.
                HttpResponse<String> back = ping(app);
                assertEquals(200, back.statusCode());
                assertEquals("7", header(back, "X-RateLimit-Remaining"));
                assertEquals("1", redisHash(key).get("c60000"));
                assertEquals(1, logLines("stopped answering"), log());
                assertEquals(1, logLines("answers again"), log());
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void whenRedisIsDownAtStartTheServerStillStartsInProcessAndSwitchesWhenRedisAppears() throws Exception {
        RateLimitConfig config = new RateLimitConfig(true, 100, 2, List.of(), TestServers.uniquePrefix(),
                Duration.ofMillis(300), Duration.ofSeconds(1), 4);
        try (RateLimiter limiter = RateLimiter.create(config, Optional.of(url))) {
            assertEquals("in-process", limiter.status().backend());
            assertEquals(false, limiter.status().redisReachable());
            assertEquals(1, logLines("is unreachable"), log());
            assertEquals(new Decision(true, 2, 1, 0), limiter.tryAcquire("kline", "192.0.2.1"));
            assertEquals(new Decision(true, 2, 0, 0), limiter.tryAcquire("kline", "192.0.2.1"));
            assertEquals(new Decision(false, 2, 0, 60), limiter.tryAcquire("kline", "192.0.2.1"));

            startRedis();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!limiter.status().backend().equals("redis") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("redis", limiter.status().backend());
            assertEquals(new Decision(true, 2, 1, 0), limiter.tryAcquire("kline", "192.0.2.1"));
            assertEquals("1", redisHash(config.keyPrefix() + "kline:192.0.2.1").get("c60000"));
        }
    }

    private void startRedis() throws IOException, InterruptedException {
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Jedis j = new Jedis(URI.create(url), 200)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer within 5 s");
    }

    private void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly();
            redis.waitFor(5, TimeUnit.SECONDS);
            redis = null;
        }
    }

    private java.util.Map<String, String> redisHash(String key) {
        try (Jedis j = new Jedis(URI.create(url), 1000)) {
            return j.hgetAll(key);
        }
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private long logLines(String text) {
        return log().lines().filter(l -> l.contains("RateLimiter") && l.contains(text)).count();
    }

    /** Copies what is written to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
