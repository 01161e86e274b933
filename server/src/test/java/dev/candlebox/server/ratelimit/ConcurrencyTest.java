package dev.candlebox.server.ratelimit;

import static dev.candlebox.server.ratelimit.TestServers.config;
import static dev.candlebox.server.ratelimit.TestServers.redisUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.Javalin;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Many threads at once against one client's budget: exactly the limit passes, never more. */
class ConcurrencyTest {

    private final String prefix = TestServers.uniquePrefix();

    @AfterEach
    void cleanRedis() {
        try (Jedis jedis = new Jedis(URI.create(redisUrl()))) {
            Set<String> keys = jedis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {true, false})
    void sixteenThreadsMaking400AttemptsGetExactly50Through(boolean withRedis) throws Exception {
        int threads = 16;
        int attemptsEach = 25;
        try (RateLimiter limiter = RateLimiter.create(config(100_000, 50, List.of(), prefix),
                withRedis ? Optional.of(redisUrl()) : Optional.empty())) {
            limiter.tryAcquire("warm-up", "someone-else");
            ConcurrentLinkedQueue<Decision> decisions = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < attemptsEach; i++) {
                            decisions.add(limiter.tryAcquire("kline", "198.51.100.9"));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertEquals(withRedis ? "redis" : "in-process", limiter.status().backend(),
                    "Redis must not have been mistaken for gone");
            List<Decision> allowed = decisions.stream().filter(Decision::allowed).toList();
            assertEquals(400, decisions.size());
            assertEquals(50, allowed.size());
            // Each count was handed out exactly once: remaining values 49, 48, ..., 0.
            assertEquals(IntStream.range(0, 50).boxed().toList(),
                    allowed.stream().map(Decision::remaining).sorted().toList());
            assertEquals(350L, decisions.stream().filter(d -> !d.allowed() && d.remaining() == 0).count());
            if (withRedis) {
                try (Jedis jedis = new Jedis(URI.create(redisUrl()))) {
                    assertEquals("50", jedis.hget(prefix + "kline:198.51.100.9", "c60000"));
                }
            }
        }
    }

    @Test
    void concurrentHttpRequestsSpreadOverTwoInstancesPassExactlyTheSharedLimit() throws Exception {
        RateLimitConfig config = config(100_000, 25, List.of(), prefix);
        try (RateLimiter la = RateLimiter.create(config, Optional.of(redisUrl()));
             RateLimiter lb = RateLimiter.create(config, Optional.of(redisUrl()))) {
            Javalin a = TestServers.start(la);
            Javalin b = TestServers.start(lb);
            try {
                TestServers.warmUp(a, la);
                TestServers.warmUp(b, lb);
                ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
                CountDownLatch go = new CountDownLatch(1);
                try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        Javalin target = t % 2 == 0 ? a : b;
                        done.add(pool.submit(() -> {
                            go.await();
                            for (int i = 0; i < 10; i++) {
                                statuses.add(TestServers.ping(target).statusCode());
                            }
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                assertEquals(25L, statuses.stream().filter(s -> s == 200).count());
                assertEquals(55L, statuses.stream().filter(s -> s == 429).count());
            } finally {
                a.stop();
                b.stop();
            }
        }
    }
}
