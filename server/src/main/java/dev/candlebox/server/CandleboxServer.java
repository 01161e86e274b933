package dev.candlebox.server;

import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.server.health.HealthRoutes;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.kline.KlineRoutes;
import dev.candlebox.server.ratelimit.RateLimitHandler;
import dev.candlebox.server.ratelimit.RateLimiter;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Builds the object graph of {@code serve} by hand and runs it: read top to bottom. */
public final class CandleboxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CandleboxServer.class);

    private final Database database;
    private final RateLimiter rateLimiter;
    private final Javalin app;

    private CandleboxServer(Database database, RateLimiter rateLimiter, Javalin app) {
        this.database = database;
        this.rateLimiter = rateLimiter;
        this.app = app;
    }

    public static CandleboxServer start(ServerConfig config) {
        String dbUrl = config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(config.dataDir()));
        Database database = Database.open(dbUrl, config.dbPoolSize());
        RateLimiter rateLimiter = null;
        try {
            KlineStore klines = new KlineStore(database);
            rateLimiter = RateLimiter.create(config.rateLimits(), config.redisUrl());

            Javalin app = Javalin.create(cfg -> {
                cfg.showJavalinBanner = false;
                cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    for (String origin : config.corsOrigins()) {
                        if (origin.equals("*")) rule.anyHost();
                        else rule.allowHost(origin);
                    }
                    // a browser client may read the rate-limit headers
                    rule.exposeHeader(RateLimitHandler.RETRY_AFTER_HEADER);
                    rule.exposeHeader(RateLimitHandler.LIMIT_HEADER);
                    rule.exposeHeader(RateLimitHandler.REMAINING_HEADER);
                    rule.exposeHeader("Link");
                }));
            });
            app.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            app.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("detail", "internal error"));
            });
            app.error(404, ctx -> {
                if (ctx.result() == null) ctx.json(Map.of("detail", "not found: " + ctx.path()));
            });

            app.before("/api/*", RateLimitHandler.forKlines(rateLimiter));
            new KlineRoutes(klines).register(app);
            new HealthRoutes(database, rateLimiter).register(app);

            app.start(config.port());
            log.info("candlebox serving on port {}; rate limits: {}", app.port(), rateLimiter.status().detail());
            return new CandleboxServer(database, rateLimiter, app);
        } catch (RuntimeException e) {
            if (rateLimiter != null) rateLimiter.close();
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        app.stop();
        rateLimiter.close();
        database.close();
    }
}
