package dev.candlebox.server.ratelimit;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Per-client rate limits under named policies, counted in Redis when a URL is given (so every
 * server instance shares one budget per client) and in this process otherwise.
 *
 * <p>If Redis stops answering while serving, requests keep being decided under the same policies by
 * in-process counters; the log says so once, Redis is tried again every
 * {@link RateLimitConfig#redisRetryInterval()} from a background thread (never on a request), and
 * the log says once more when it is back. {@link #status()} tells /health which it is.
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** What {@link #status()} reports, for /health. */
    public record Status(String backend, Boolean redisReachable, String detail) {
        public static final String REDIS = "redis";
        public static final String IN_PROCESS = "in-process";
        public static final String DISABLED = "disabled";
    }

    private final RateLimitConfig config;
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final LocalWindowStore local = new LocalWindowStore();
    private final RedisWindowStore redis; // null: no Redis configured, or limits disabled
    private final ScheduledExecutorService prober; // null without Redis
    private final AtomicBoolean redisUp = new AtomicBoolean(false);
    private volatile Instant downSince;
    private volatile String downReason;

    private RateLimiter(RateLimitConfig config, RedisWindowStore redis, List<Policy> policies) {
        this.config = config;
        this.redis = redis;
        for (Policy p : policies) {
            this.policies.put(p.name(), p);
        }
        this.policies.putIfAbsent(Policy.KLINE, config.defaultPolicy(Policy.KLINE));
        this.prober = redis == null ? null : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("candlebox-ratelimit-redis-probe").factory());
    }

    /** A limiter with the config's limits as policy "kline" (and for any name without its own policy). */
    public static RateLimiter create(RateLimitConfig config, Optional<String> redisUrl) {
        return create(config, redisUrl, List.of());
    }

    /**
     * A limiter that also knows {@code policies} (e.g. a stricter "backtest-submit"); any other
     * policy name gets the config's per-second and per-minute limits.
     *
     * @param redisUrl {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; empty means
     *                 counting in process only
     * @throws IllegalArgumentException when the URL is not a Redis URL
     */
    public static RateLimiter create(RateLimitConfig config, Optional<String> redisUrl, List<Policy> policies) {
        if (!config.enabled()) {
            LOG.info("Rate limits are off (RATE_LIMIT_ENABLED=false)");
            return new RateLimiter(config, null, policies);
        }
        if (redisUrl.isEmpty() || redisUrl.get().isBlank()) {
            RateLimiter limiter = new RateLimiter(config, null, policies);
            LOG.info("Rate limits: {} per client, counted in this process (no REDIS_URL)",
                    limiter.policy(Policy.KLINE).describe());
            return limiter;
        }
        RateLimiter limiter = new RateLimiter(config,
                new RedisWindowStore(redisUri(redisUrl.get()), config.redisTimeout(), config.redisPoolSize()),
                policies);
        limiter.connectAtStart();
        return limiter;
    }

    /**
     * Decides one request of {@code clientKey} under the named policy, and counts it if it passes.
     * Never throws because of Redis: a Redis failure switches to in-process counting.
     */
    public Decision tryAcquire(String policy, String clientKey) {
        if (!config.enabled()) {
            return Decision.UNLIMITED;
        }
        if (clientKey == null || clientKey.isBlank()) {
            throw new IllegalArgumentException("clientKey must not be blank");
        }
        Policy p = policy(policy);
        String key = config.keyPrefix() + p.name() + ":" + clientKey;
        if (redis != null && redisUp.get()) {
            try {
                return redis.hit(p, key);
            } catch (JedisException e) {
                // Refused connection, timeout, no pooled connection free within the timeout, or an
                // error reply: Redis cannot decide now, so this process does until a probe succeeds.
                markDown(e);
            }
        }
        return local.hit(p, key);
    }

    /** The policy of that name: one given to {@link #create}, else the config's default limits. */
    public Policy policy(String name) {
        return policies.computeIfAbsent(name, config::defaultPolicy);
    }

    public boolean enabled() {
        return config.enabled();
    }

    public RateLimitConfig config() {
        return config;
    }

    public Status status() {
        if (!config.enabled()) {
            return new Status(Status.DISABLED, null, "rate limits are off (RATE_LIMIT_ENABLED=false)");
        }
        if (redis == null) {
            return new Status(Status.IN_PROCESS, null,
                    "no Redis configured: limits are counted in this instance's memory");
        }
        if (redisUp.get()) {
            return new Status(Status.REDIS, true, "limits are shared through Redis at " + redis.where());
        }
        return new Status(Status.IN_PROCESS, false,
                "Redis at " + redis.where() + " unreachable since " + downSince + " (" + downReason
                        + "): limits are counted in this instance's memory; Redis is retried every "
                        + config.redisRetryInterval().toSeconds() + " s");
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void connectAtStart() {
        if (redis.ping()) {
            redisUp.set(true);
            LOG.info("Rate limits: {} per client, shared through Redis at {}",
                    policy(Policy.KLINE).describe(), redis.where());
        } else {
            downSince = Instant.now();
            downReason = "no answer at start";
            LOG.warn("Rate limits: Redis at {} is unreachable; counting in this process until it answers"
                            + " (limits are per instance meanwhile), retrying every {} s",
                    redis.where(), config.redisRetryInterval().toSeconds());
            scheduleProbe();
        }
    }

    private void markDown(JedisException e) {
        if (!redisUp.compareAndSet(true, false)) {
            return; // another request already noticed; say it once
        }
        downSince = Instant.now();
        downReason = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.warn("Rate limits: Redis at {} stopped answering ({}); counting in this process until it is back"
                        + " (limits are per instance meanwhile), retrying every {} s",
                redis.where(), downReason, config.redisRetryInterval().toSeconds());
        redis.dropIdleConnections();
        scheduleProbe();
    }

    private void scheduleProbe() {
        try {
            prober.schedule(this::probe, config.redisRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // close() ran: nobody needs Redis any more.
        }
    }

    private void probe() {
        if (!redis.ping()) {
            scheduleProbe();
            return;
        }
        redis.dropIdleConnections();
        // Redis holds the shared truth again; counts taken meanwhile in this process are dropped.
        local.clear();
        if (redisUp.compareAndSet(false, true)) {
            LOG.info("Rate limits: Redis at {} answers again; limits are shared through it again"
                    + " (down since {})", redis.where(), downSince);
        }
    }

    private static URI redisUri(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("REDIS_URL is not a URL: " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("redis") || scheme.equals("rediss")) || uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL: '" + redacted(uri)
                    + "' is not a Redis URL (expected redis://host:port or rediss://host:port)");
        }
        if (uri.getPort() < 0) {
            // Built from the raw parts so that a percent-encoded password stays encoded once.
            uri = URI.create(uri.getScheme() + "://"
                    + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
                    + uri.getHost() + ":6379"
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return uri;
    }

    private static String redacted(URI uri) {
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }
}
