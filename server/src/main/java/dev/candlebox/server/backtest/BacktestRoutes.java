package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.http.EventStreams;
import dev.candlebox.server.ratelimit.ClientAddress;
import dev.candlebox.server.ratelimit.Decision;
import dev.candlebox.server.ratelimit.RateLimitHandler;
import dev.candlebox.server.ratelimit.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The backtest API (contract §5) under {@code /api/v1/backtests}. */
public final class BacktestRoutes {
    /** The rate-limit policy of submissions, stricter than the kline API's. */
    public static final String SUBMIT_POLICY = "backtest-submit";
    static final String BASE = "/api/v1/backtests";

    private final BacktestService service;
    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    public BacktestRoutes(BacktestService service, RateLimiter limiter, ClientAddress clients, ObjectMapper json, long maxBodyBytes) {
        this.service = service;
        this.limiter = limiter;
        this.clients = clients;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(Javalin app) {
        app.post(BASE, this::submit);
        app.get(BASE, this::list);
        app.get(BASE + "/{id}", ctx -> ctx.json(RunViews.run(run(ctx), service, json, !"summary".equals(ctx.queryParam("view")))));
        app.delete(BASE + "/{id}", this::cancel);
        app.patch(BASE + "/{id}", this::label);
        app.get(BASE + "/{id}/trades", this::trades);
        app.get(BASE + "/{id}/equity", this::equity);
        app.get(BASE + "/{id}/report.html", ctx -> {
            StoredRun r = run(ctx);
            ctx.contentType("text/html; charset=utf-8").result(Report.html(r, service, json));
        });
        app.sse(BASE + "/{id}/events", this::events);
    }

    private void submit(Context ctx) throws IOException {
        String client = clients.budgetKey(ctx);
        if (limiter.enabled()) {
            Decision d = limiter.tryAcquire(SUBMIT_POLICY, client);
            if (!d.allowed()) {
                ctx.header(RateLimitHandler.RETRY_AFTER_HEADER, Long.toString(d.retryAfterSeconds()));
                ctx.status(429).json(Map.of("detail", "too many backtest submissions: " + limiter.policy(SUBMIT_POLICY).describe(),
                        "retry_after", d.retryAfterSeconds()));
                return;
            }
        }
        long length = ctx.contentLength();
        if (length > maxBodyBytes) {
            throw BadRequest.tooLarge("body", "the request body is " + length + " bytes", "at most " + maxBodyBytes + " bytes (BACKTEST_MAX_BODY_BYTES)");
        }
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BadRequest.field("body", "the body is not valid JSON: " + e.getOriginalMessage(), "a JSON object");
        }
        StoredRun run;
        try {
            run = service.submit(client, body);
        } catch (BacktestService.Busy busy) {
            ctx.header(RateLimitHandler.RETRY_AFTER_HEADER, Long.toString(busy.retryAfterSeconds()));
            ctx.status(busy.status()).json(Map.of("detail", busy.getMessage(), "retry_after", busy.retryAfterSeconds()));
            return;
        }
        ctx.header("Location", BASE + "/" + run.id());
        if ("true".equals(ctx.queryParam("wait"))) {
            try {
                StoredRun done = service.whenDone(run.id()).get(service.settings().waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                ctx.status(200).json(RunViews.run(done, service, json, true));
                return;
            } catch (TimeoutException e) {
                // still running: answer as without wait
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            run = service.get(run.id()).orElse(run);
        }
        ctx.status(202).json(RunViews.run(run, service, json, null));
    }

    private void list(Context ctx) {
        int limit = intParam(ctx, "limit", 20, 1, 100);
        Long beforeSeq = null;
        String before = ctx.queryParam("before");
        if (before != null && !before.isBlank()) {
            beforeSeq = service.get(before).map(StoredRun::seq)
                    .orElseThrow(() -> new BadRequest("before", "no run with id '" + before + "'", "the id of a listed run"));
        }
        List<StoredRun> page = service.runs().list(limit, beforeSeq);
        ArrayNode runs = json.createArrayNode();
        for (StoredRun r : page) {
            ObjectNode v = RunViews.run(r, service, json, null);
            ((ObjectNode) v.get("request")).remove("code");
            v.remove("logs");
            runs.add(v);
        }
        ObjectNode out = json.createObjectNode();
        out.set("runs", runs);
        out.put("next", page.size() == limit ? page.getLast().id() : null);
        ctx.json(out);
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        StoredRun before = run(ctx);
        if (purge(ctx)) {
            owned(ctx, before);
            if (!before.status().isFinal() || !service.runs().delete(id)) {
                ctx.status(409).json(Map.of("detail", "run " + id + " has not ended; cancel it first (DELETE without purge)",
                        "run", RunViews.run(service.get(id).orElse(before), service, json, null)));
                return;
            }
            ctx.status(204);
            return;
        }
        if (before.status().isFinal()) {
            ctx.status(409).json(Map.of("detail", "run " + id + " has already ended (" + before.status().code() + ")",
                    "run", RunViews.run(before, service, json, null)));
            return;
        }
        Optional<StoredRun> after = service.cancel(id);
        ctx.json(RunViews.run(after.orElse(before), service, json, null));
    }

    /** PATCH: the run's name and tags (see {@link RunLabels#patch}); only the client that submitted it. */
    private void label(Context ctx) throws IOException {
        StoredRun r = run(ctx);
        owned(ctx, r);
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BadRequest.field("body", "the body is not valid JSON: " + e.getOriginalMessage(), "a JSON object");
        }
        service.runs().label(r.id(), RunLabels.patch(body, service.runs().label(r.id()), json));
        ctx.json(RunViews.run(service.get(r.id()).orElse(r), service, json, null));
    }

    private static boolean purge(Context ctx) {
        String raw = ctx.queryParam("purge");
        if (raw == null || raw.equals("false")) return false;
        if (raw.equals("true")) return true;
        throw new BadRequest("purge", "purge must be true or false, not '" + raw + "'", "true, false");
    }

    /** Renaming or deleting a run is for the client that submitted it: 403 for another. */
    private void owned(Context ctx, StoredRun r) {
        if (!clients.budgetKey(ctx).equals(r.client())) throw new Forbidden("run " + r.id() + " was submitted by another client");
    }

    private void trades(Context ctx) {
        StoredRun r = run(ctx);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 1000, 1, 10_000);
        ArrayNode all = RunViews.trades(service, r.id());
        ArrayNode page = json.createArrayNode();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) page.add(all.get(i));
        ObjectNode out = json.createObjectNode();
        out.put("total", all.size());
        out.put("offset", offset);
        out.set("trades", page);
        ctx.json(out);
    }

    private void equity(Context ctx) {
        StoredRun r = run(ctx);
        int maxPoints = intParam(ctx, "maxPoints", 2000, 4, 1_000_000);
        EquityCurve c = RunViews.equity(service, r.id());
        double initial = r.resultJson() == null ? 0 : service.read(r.resultJson()).get("initialBalance").asDouble();
        // buy & hold beside the equity (the run's klines read again) and the monthly and yearly returns
        double[] closes = c == null ? null : service.candles(r).closes();
        ObjectNode view = EquityThinning.view(c, initial, maxPoints, closes, json);
        view.set("periods", PeriodReturns.of(c, initial, json));
        ctx.json(view);
    }

    private void events(SseClient client) {
        String id = client.ctx().pathParam("id");
        if (service.get(id).isEmpty()) {
            EventStreams.notFound(client, "no run with id '" + id + "'");
            return;
        }
        EventStreams.follow(client, listener -> service.subscribe(id, e -> listener.accept(e.name(), e.json())));
    }

    private StoredRun run(Context ctx) {
        String id = ctx.pathParam("id");
        return service.get(id).orElseThrow(() -> new NotFound("no run with id '" + id + "'"));
    }

    private static int intParam(Context ctx, String name, int def, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return def;
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) throw new BadRequest(name, name + " " + v + " is out of range", min + ".." + max);
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequest(name, name + " is not an integer: '" + raw + "'", min + ".." + max);
        }
    }

    /** A run of another client: 403. */
    public static final class Forbidden extends RuntimeException {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** A run that does not exist: 404. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }
}
