package dev.candlebox.server.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Window counters in Redis, shared by every server instance. One request is one EVALSHA of
 * {@link FixedWindows#LUA}: read, decide, count and expire happen inside Redis as one atomic step,
 * so concurrent requests from any number of instances can never pass more than the limit.
 * Every Redis failure surfaces as a {@link redis.clients.jedis.exceptions.JedisException}; the
 * {@link RateLimiter} decides what to do about it.
 */
final class RedisWindowStore implements WindowStore, AutoCloseable {

    private final URI uri;
    private final int timeoutMillis;
    private final JedisPool pool;
    private final String sha;
    private final Map<String, List<String>> argsByPolicy = new ConcurrentHashMap<>();

    RedisWindowStore(URI uri, Duration timeout, int poolSize) {
        this.uri = uri;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMinIdle(0);
        poolConfig.setBlockWhenExhausted(true);
        poolConfig.setMaxWait(timeout);
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, uri, timeoutMillis, timeoutMillis);
        this.sha = sha1Hex(FixedWindows.LUA);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Decision hit(Policy policy, String key) {
        List<String> args = argsByPolicy.computeIfAbsent(policy.name(), n -> args(policy));
        Object reply;
        try (Jedis jedis = pool.getResource()) {
            try {
                reply = jedis.evalsha(sha, List.of(key), args);
            } catch (JedisNoScriptException e) {
                // Redis restarted or was flushed: its script cache is empty. EVAL caches it again.
                reply = jedis.eval(FixedWindows.LUA, List.of(key), args);
            }
        }
        List<Long> r = (List<Long>) reply;
        int limit = Math.toIntExact(r.get(1));
        return r.get(0) == 1
                ? Decision.allowed(limit, Math.toIntExact(r.get(2)))
                : Decision.refused(limit, r.get(3));
    }

    /**
     * True when a fresh connection (not one from the pool, which may hold dead sockets) answers PING
     * within the timeout.
     */
    boolean ping() {
        try (Jedis jedis = new Jedis(uri, timeoutMillis, timeoutMillis)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Drops idle pooled connections, which are dead after an outage. */
    void dropIdleConnections() {
        pool.clear();
    }

    /** host:port, without credentials, for logs and /health. */
    String where() {
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    @Override
    public void close() {
        pool.close();
    }

    private static List<String> args(Policy policy) {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(policy.windows().size()));
        for (Policy.Window w : policy.windows()) {
            args.add(Long.toString(w.length().toMillis()));
            args.add(Integer.toString(w.limit()));
        }
        return List.copyOf(args);
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
