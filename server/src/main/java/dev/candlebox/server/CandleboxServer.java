package dev.candlebox.server;

import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.ingest.ImportReport;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.server.backtest.MarketData;
import dev.candlebox.server.health.HealthRoutes;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.http.Cors;
import dev.candlebox.server.ingest.BundledSample;
import dev.candlebox.server.kline.KlineRoutes;
import dev.candlebox.server.derivatives.DerivativesRoutes;
import dev.candlebox.server.observability.Observability;
import dev.candlebox.server.ratelimit.RateLimitHandler;
import dev.candlebox.server.ratelimit.RateLimiter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.server.backtest.BacktestConfig;
import dev.candlebox.server.backtest.BacktestRoutes;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.backtest.StrategyTemplates;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.server.stats.CompareRoutes;
import dev.candlebox.server.sweep.SweepRoutes;
import dev.candlebox.server.sweep.SweepService;
import dev.candlebox.server.sweep.WalkForwardRoutes;
import dev.candlebox.server.sweep.WalkForwardService;
import dev.candlebox.server.ratelimit.ClientAddress;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/** Builds the object graph of {@code serve} by hand and runs it: read top to bottom. */
public final class CandleboxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CandleboxServer.class);

    private final Database database;
    private final RateLimiter rateLimiter;
    private final BacktestService backtests;
    private final SweepService sweeps;
    private WalkForwardService walkForwards;
    private final Javalin app;

    private CandleboxServer(Database database, RateLimiter rateLimiter, BacktestService backtests, SweepService sweeps, Javalin app) {
        this.database = database;
        this.rateLimiter = rateLimiter;
        this.backtests = backtests;
        this.sweeps = sweeps;
        this.app = app;
    }

    /** The web app's client-side routes (prefixes): the server answers them with the app's index.html. */
    static final List<String> WEB_ROUTES = List.of("/runs", "/history", "/compare", "/http-api");

    public static CandleboxServer start(ServerConfig config) {
        String dbUrl = config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(config.dataDir()));
        Database database = Database.open(dbUrl, config.dbPoolSize());
        RateLimiter rateLimiter = null;
        BacktestService backtests = null;
        SweepService sweeps = null;
        WalkForwardService walkForwards = null;
        try {
            KlineStore klines = new KlineStore(database);
            if (config.databaseUrl().isEmpty() && config.loadSample()) {
                // the embedded default starts with real data to try things on
                for (ImportReport r : BundledSample.loadIfEmpty(database, klines)) {
                    log.info("bundled sample: {} klines of {} {} loaded", r.rowsAdded(), r.symbol(), r.interval());
                }
            }
            BacktestConfig bt = config.backtests();
            rateLimiter = RateLimiter.create(config.rateLimits(), config.redisUrl(), List.of(bt.submitPolicy()));
            ObjectMapper json = BacktestService.json();
            if (bt.enabled()) {
                backtests = new BacktestService(bt.serviceSettings(), new RunStore(database), klines,
                        new MarketData(klines, new FundingStore(database), new Derivatives(database)),
                        WorkerPool.start(bt.workerPool()), json);
                sweeps = new SweepService(new SweepService.Settings(bt.instanceId(), bt.sweepMaxTrials(), bt.workers(),
                        bt.maxActivePerClient()), new SweepStore(database), new RunStore(database), backtests, json);
                walkForwards = new WalkForwardService(new SweepService.Settings(bt.instanceId(), bt.sweepMaxTrials(), bt.workers(),
                        bt.maxActivePerClient()), new SweepStore(database), new RunStore(database), backtests, sweeps, json);
            }

            Javalin app = Javalin.create(cfg -> {
                cfg.showJavalinBanner = false;
                if (CandleboxServer.class.getResource("/web/index.html") != null) {
                    // the web app, built into the jar (bin/web-build)
                    cfg.staticFiles.add(files -> {
                        files.hostedPath = "/";
                        files.directory = "/web";
                        files.location = Location.CLASSPATH;
                    });
                    // the app's own routes (web/src/app/routes.ts) answer index.html, so a deep link or reload works
                    for (String route : WEB_ROUTES) cfg.spaRoot.addFile(route, "/web/index.html", Location.CLASSPATH);
                } else {
                    log.warn("the web app is not in this build (built with -Dskip.web=true?): / serves nothing");
                }
            });
            app.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            app.exception(BacktestRoutes.NotFound.class, (e, ctx) -> ctx.status(404).json(Map.of("detail", e.getMessage())));
            app.exception(BacktestRoutes.Forbidden.class, (e, ctx) -> ctx.status(403).json(Map.of("detail", e.getMessage())));
            app.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("detail", "internal error"));
            });
            app.error(404, ctx -> {
                if (ctx.result() == null) ctx.json(Map.of("detail", "not found: " + ctx.path()));
            });

            new Cors(config.corsOrigins()).register(app);
            Observability observability = new Observability();
            observability.register(app);
            if (backtests != null) observability.watch(backtests);
            app.before("/api/*", RateLimitHandler.forKlines(rateLimiter));
            new KlineRoutes(klines).register(app);
            new DerivativesRoutes(new Derivatives(database)).register(app);
            new HealthRoutes(database, rateLimiter).register(app);
            app.get("/api/v1/strategies", ctx -> ctx.json(Map.of("strategies", StrategyTemplates.all())));
            if (backtests != null) {
                new BacktestRoutes(backtests, rateLimiter, ClientAddress.from(config.rateLimits()), json, bt.maxBodyBytes()).register(app);
                new SweepRoutes(sweeps, rateLimiter, ClientAddress.from(config.rateLimits()), json, bt.maxBodyBytes()).register(app);
                new WalkForwardRoutes(walkForwards, rateLimiter, ClientAddress.from(config.rateLimits()), json, bt.maxBodyBytes()).register(app);
                new CompareRoutes(new RunStore(database), json).register(app);
            }

            app.start(config.port());
            log.info("candlebox serving on port {}; rate limits: {}", app.port(), rateLimiter.status().detail());
            CandleboxServer server = new CandleboxServer(database, rateLimiter, backtests, sweeps, app);
            server.walkForwards = walkForwards;
            return server;
        } catch (RuntimeException e) {
            if (walkForwards != null) walkForwards.close();
            if (sweeps != null) sweeps.close();
            if (backtests != null) backtests.close();
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
        if (walkForwards != null) walkForwards.close();
        if (sweeps != null) sweeps.close();
        if (backtests != null) {
            backtests.close();
            backtests.pool().close();
        }
        rateLimiter.close();
        database.close();
    }
}
