package dev.candlebox.server;

import dev.candlebox.server.backtest.BacktestConfig;
import dev.candlebox.server.ratelimit.RateLimitConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code serve} is configured with, read from the environment (flags override some of it).
 * Every variable is documented in the README.
 */
public record ServerConfig(
        int port,
        Optional<String> databaseUrl,
        Optional<String> redisUrl,
        Path dataDir,
        List<String> corsOrigins,
        int dbPoolSize,
        boolean loadSample,
        RateLimitConfig rateLimits,
        BacktestConfig backtests) {

    public static final List<String> DEV_ORIGINS = List.of("http://localhost:5173", "http://localhost:3000");

    public static ServerConfig fromEnv(Map<String, String> env) {
        return new ServerConfig(
                Env.integer(env, "PORT", 8000, 0, 65_535),
                nonBlank(env.get("DATABASE_URL")),
                nonBlank(env.get("REDIS_URL")),
                Path.of(env.getOrDefault("CANDLEBOX_DATA_DIR", "data")),
                nonBlank(env.get("CORS_ORIGINS")).map(ServerConfig::list).orElse(DEV_ORIGINS),
                Env.integer(env, "DB_POOL_SIZE", 16, 1, 1_000),
                Env.bool(env, "CANDLEBOX_SAMPLE", true),
                RateLimitConfig.fromEnv(env),
                BacktestConfig.fromEnv(env));
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(port, databaseUrl, redisUrl, dataDir, corsOrigins, dbPoolSize, loadSample, rateLimits, backtests);
    }

    public ServerConfig withDatabaseUrl(String url) {
        return new ServerConfig(port, Optional.of(url), redisUrl, dataDir, corsOrigins, dbPoolSize, loadSample, rateLimits, backtests);
    }

    public ServerConfig withRedisUrl(Optional<String> url) {
        return new ServerConfig(port, databaseUrl, url, dataDir, corsOrigins, dbPoolSize, loadSample, rateLimits, backtests);
    }

    public ServerConfig withRateLimits(RateLimitConfig limits) {
        return new ServerConfig(port, databaseUrl, redisUrl, dataDir, corsOrigins, dbPoolSize, loadSample, limits, backtests);
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
