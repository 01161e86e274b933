package dev.candlebox.server.health;

import dev.candlebox.db.Database;
import dev.candlebox.server.ratelimit.RateLimiter;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: {@code status} is {@code healthy} (200) while the database answers, else
 * {@code unhealthy} (503); the parts say what a load balancer or an operator needs to know.
 */
public final class HealthRoutes {
    private final Database database;
    private final RateLimiter rateLimits;

    public HealthRoutes(Database database, RateLimiter rateLimits) {
        this.database = database;
        this.rateLimits = rateLimits;
    }

    public void register(Javalin app) {
        app.get("/health", ctx -> {
            boolean db = database.isReachable();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", db ? "healthy" : "unhealthy");
            Map<String, Object> dbInfo = new LinkedHashMap<>();
            dbInfo.put("reachable", db);
            dbInfo.put("kind", database.dialect().name().toLowerCase());
            // lets `candlebox backtest` on this machine see that it reads the same database (see BacktestCommand)
            dbInfo.put("id", db ? database.identity() : null);
            body.put("database", dbInfo);
            RateLimiter.Status limits = rateLimits.status();
            Map<String, Object> redis = new LinkedHashMap<>();
            redis.put("configured", limits.redisReachable() != null);
            redis.put("reachable", limits.redisReachable());
            body.put("redis", redis);
            body.put("rate_limits", Map.of("backend", limits.backend(), "detail", limits.detail()));
            ctx.status(db ? 200 : 503).json(body);
        });
    }
}
