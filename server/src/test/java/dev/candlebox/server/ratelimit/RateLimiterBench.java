package dev.candlebox.server.ratelimit;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import redis.clients.jedis.Jedis;

/**
 * What one rate-limit decision costs, in Redis and in process: calls per second and p50/p99 per call
 * for 1 and 8 threads over 1000 clients. Not a test; run it by hand (see docs/rate-limits.md):
 * <pre>
 * mvn -q -o -pl server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp server/target/classes:server/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.candlebox.server.ratelimit.RateLimiterBench [redis://127.0.0.1:6379]
 * </pre>
 */
public final class RateLimiterBench {

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        System.out.printf("machine: %d cpus, %s %s, Java %s, load average %.2f; Redis %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), url);
        for (boolean redis : new boolean[] {true, false}) {
            String prefix = "candlebox-bench:rl:" + UUID.randomUUID() + ":";
            // Limits high enough that every call passes and is counted: the full write path.
            RateLimitConfig config = new RateLimitConfig(true, 1_000_000_000, 1_000_000_000, List.of(), prefix,
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 16);
            try (RateLimiter limiter = RateLimiter.create(config, redis ? Optional.of(url) : Optional.empty())) {
                run(limiter, 1, 20_000, false); // warm-up
                for (int threads : new int[] {1, 8}) {
                    run(limiter, threads, redis ? 40_000 : 400_000, true);
                }
            } finally {
                if (redis) {
                    try (Jedis j = new Jedis(java.net.URI.create(url))) {
                        var keys = j.keys(prefix + "*");
                        if (!keys.isEmpty()) {
                            j.del(keys.toArray(String[]::new));
                        }
                    }
                }
            }
        }
    }

    private static void run(RateLimiter limiter, int threads, int calls, boolean print) throws Exception {
        int each = calls / threads;
        long[][] nanos = new long[threads][each];
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        long t0 = System.nanoTime();
                        limiter.tryAcquire("kline", "198.51." + (i % 1000 / 250) + "." + (i % 250));
                        nanos[thread][i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(nanos).flatMapToLong(Arrays::stream).sorted().toArray();
        if (!print) {
            return;
        }
        System.out.printf("%-10s threads=%d calls=%d: %,.0f calls/s, p50 %.1f µs, p99 %.1f µs%n",
                limiter.status().backend(), threads, all.length, all.length / seconds,
                all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3);
    }
}
