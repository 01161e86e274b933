package dev.candlebox.server.ratelimit;

import dev.candlebox.server.Env;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How requests are limited per client. The default policy allows {@code perSecond} requests in a
 * one-second window AND {@code perMinute} in a one-minute window; both must hold.
 *
 * @param enabled            false turns rate limiting off entirely (no Redis connection, no headers)
 * @param perSecond          requests per client per second (≥ 1)
 * @param perMinute          requests per client per minute (≥ 1)
 * @param trustedProxies     IPs or CIDRs of reverse proxies whose {@code X-Forwarded-For} is believed
 * @param keyPrefix          Redis key prefix; keys are {@code {keyPrefix}{policy}:{client}}
 * @param redisTimeout       connect/read timeout of one Redis call; past it the request is served in process
 * @param redisRetryInterval how often an unreachable Redis is tried again
 * @param redisPoolSize      connections to Redis kept by one server instance
 */
public record RateLimitConfig(
        boolean enabled,
        int perSecond,
        int perMinute,
        List<String> trustedProxies,
        String keyPrefix,
        Duration redisTimeout,
        Duration redisRetryInterval,
        int redisPoolSize) {

    public static final int DEFAULT_PER_SECOND = 30;
    public static final int DEFAULT_PER_MINUTE = 1000;
    public static final String DEFAULT_KEY_PREFIX = "candlebox:rl:";
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_REDIS_RETRY_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_REDIS_POOL_SIZE = 32;

    public RateLimitConfig {
        requireRange("perSecond", perSecond, 1, 1_000_000_000);
        requireRange("perMinute", perMinute, 1, 1_000_000_000);
        trustedProxies = List.copyOf(trustedProxies);
        for (String proxy : trustedProxies) {
            AddressRange.parse(proxy); // fails early with a message naming the bad entry
        }
        if (keyPrefix == null || keyPrefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be blank");
        }
        requirePositive("redisTimeout", redisTimeout);
        requirePositive("redisRetryInterval", redisRetryInterval);
        requireRange("redisPoolSize", redisPoolSize, 1, 10_000);
    }

    /** The four settings an operator usually touches; the rest take their defaults. */
    public RateLimitConfig(boolean enabled, int perSecond, int perMinute, List<String> trustedProxies) {
        this(enabled, perSecond, perMinute, trustedProxies, DEFAULT_KEY_PREFIX, DEFAULT_REDIS_TIMEOUT,
                DEFAULT_REDIS_RETRY_INTERVAL, DEFAULT_REDIS_POOL_SIZE);
    }

    /** 30/s and 1000/min, on, no trusted proxy. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(true, DEFAULT_PER_SECOND, DEFAULT_PER_MINUTE, List.of());
    }

    /**
     * Reads {@code RATE_LIMIT_ENABLED}, {@code RATE_LIMIT_PER_SECOND}, {@code RATE_LIMIT_PER_MINUTE},
     * {@code TRUSTED_PROXIES}, {@code RATE_LIMIT_KEY_PREFIX}, {@code RATE_LIMIT_REDIS_TIMEOUT_MS},
     * {@code RATE_LIMIT_REDIS_RETRY_SECONDS}, {@code RATE_LIMIT_REDIS_POOL_SIZE}. Unset or blank
     * means the default.
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be used
     */
    public static RateLimitConfig fromEnv(Map<String, String> env) {
        boolean enabled = Env.bool(env, "RATE_LIMIT_ENABLED", true);
        int perSecond = Env.integer(env, "RATE_LIMIT_PER_SECOND", DEFAULT_PER_SECOND, 1, 1_000_000_000);
        int perMinute = Env.integer(env, "RATE_LIMIT_PER_MINUTE", DEFAULT_PER_MINUTE, 1, 1_000_000_000);
        List<String> proxies = proxies(env);
        String prefix = Env.value(env, "RATE_LIMIT_KEY_PREFIX");
        if (prefix == null) {
            prefix = DEFAULT_KEY_PREFIX;
        } else if (prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "RATE_LIMIT_KEY_PREFIX: '" + prefix + "' must not contain whitespace");
        }
        int timeoutMs = Env.integer(env, "RATE_LIMIT_REDIS_TIMEOUT_MS",
                (int) DEFAULT_REDIS_TIMEOUT.toMillis(), 1, 600_000);
        int retrySeconds = Env.integer(env, "RATE_LIMIT_REDIS_RETRY_SECONDS",
                (int) DEFAULT_REDIS_RETRY_INTERVAL.toSeconds(), 1, 3600);
        int poolSize = Env.integer(env, "RATE_LIMIT_REDIS_POOL_SIZE", DEFAULT_REDIS_POOL_SIZE, 1, 10_000);
        return new RateLimitConfig(enabled, perSecond, perMinute, proxies, prefix,
                Duration.ofMillis(timeoutMs), Duration.ofSeconds(retrySeconds), poolSize);
    }

    /** The 30/s + 1000/min shape of this configuration under a policy name such as "kline". */
    public Policy defaultPolicy(String name) {
        return new Policy(name, List.of(
                new Policy.Window(Duration.ofSeconds(1), perSecond),
                new Policy.Window(Duration.ofMinutes(1), perMinute)));
    }

    private static List<String> proxies(Map<String, String> env) {
        String v = Env.value(env, "TRUSTED_PROXIES");
        if (v == null) {
            return List.of();
        }
        List<String> entries = Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String entry : entries) {
            try {
                AddressRange.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: " + e.getMessage(), e);
            }
        }
        return entries;
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is out of range (allowed: " + min + ".." + max + ")");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
