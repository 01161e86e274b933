package dev.candlebox.server.health;

import dev.candlebox.db.Database;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health}: {@code status} is {@code healthy} (200) while the database answers, else
 * {@code unhealthy} (503); the parts say what a load balancer or an operator needs to know.
 */
public final class HealthRoutes {
    private final Database database;
    private final Supplier<Map<String, Object>> rateLimits;

    public HealthRoutes(Database database, Supplier<Map<String, Object>> rateLimits) {
        this.database = database;
        this.rateLimits = rateLimits;
    }

    public void register(Javalin app) {
        app.get("/health", ctx -> {
            boolean db = database.isReachable();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", db ? "healthy" : "unhealthy");
            body.put("database", Map.of("reachable", db, "kind", database.dialect().name().toLowerCase()));
            body.put("rate_limits", rateLimits.get());
            ctx.status(db ? 200 : 503).json(body);
        });
    }
}
