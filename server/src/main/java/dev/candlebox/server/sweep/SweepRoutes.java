package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.sweep.SweepStore.StoredSweep;
import dev.candlebox.server.backtest.BacktestRoutes;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.http.EventStreams;
import dev.candlebox.server.ratelimit.ClientAddress;
import dev.candlebox.server.ratelimit.Decision;
import dev.candlebox.server.ratelimit.RateLimitHandler;
import dev.candlebox.server.ratelimit.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;

import java.util.Map;

/** The sweep API (contract section 8) under {@code /api/v1/sweeps}. */
public final class SweepRoutes {
    private static final String BASE = "/api/v1/sweeps";

    private final SweepService service;
    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    public SweepRoutes(SweepService service, RateLimiter limiter, ClientAddress clients, ObjectMapper json, long maxBodyBytes) {
        this.service = service;
        this.limiter = limiter;
        this.clients = clients;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(Javalin app) {
        app.post(BASE, this::submit);
        app.get(BASE + "/{id}", ctx -> ctx.json(service.view(sweep(ctx))));
        app.delete(BASE + "/{id}", this::cancel);
        app.sse(BASE + "/{id}/events", this::events);
    }

    private void submit(Context ctx) {
        StoredSweep sweep = submit(ctx, limiter, clients, json, maxBodyBytes, service::submit);
        if (sweep == null) return;
        ctx.header("Location", BASE + "/" + sweep.id());
        ctx.status(202).json(service.view(sweep));
    }

    /**
     * A sweep or walk-forward submission: one submission of the client's backtest budget, the body within its
     * size limit; null when refused (429 already answered).
     */
    static StoredSweep submit(Context ctx, RateLimiter limiter, ClientAddress clients, ObjectMapper json, long maxBodyBytes,
                              java.util.function.BiFunction<String, JsonNode, StoredSweep> submitter) {
        String client = clients.budgetKey(ctx);
        if (limiter.enabled()) {
            Decision d = limiter.tryAcquire(BacktestRoutes.SUBMIT_POLICY, client);
            if (!d.allowed()) {
                ctx.header(RateLimitHandler.RETRY_AFTER_HEADER, Long.toString(d.retryAfterSeconds()));
                ctx.status(429).json(Map.of("detail", "too many submissions: " + limiter.policy(BacktestRoutes.SUBMIT_POLICY).describe(),
                        "retry_after", d.retryAfterSeconds()));
                return null;
            }
        }
        JsonNode body = body(ctx, json, maxBodyBytes);
        try {
            return submitter.apply(client, body);
        } catch (BacktestService.Busy busy) {
            ctx.header(RateLimitHandler.RETRY_AFTER_HEADER, Long.toString(busy.retryAfterSeconds()));
            ctx.status(busy.status()).json(Map.of("detail", busy.getMessage(), "retry_after", busy.retryAfterSeconds()));
            return null;
        }
    }

    /** The JSON body of a submission, within the body size limit. */
    static JsonNode body(Context ctx, ObjectMapper json, long maxBodyBytes) {
        long length = ctx.contentLength();
        if (length > maxBodyBytes) {
            throw BadRequest.tooLarge("body", "the request body is " + length + " bytes", "at most " + maxBodyBytes + " bytes (BACKTEST_MAX_BODY_BYTES)");
        }
        try {
            return json.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw BadRequest.field("body", "the body is not valid JSON", "a JSON object");
        }
    }

    private void cancel(Context ctx) {
        StoredSweep before = sweep(ctx);
        if (before.isFinal()) {
            ctx.status(409).json(Map.of("detail", "sweep " + before.id() + " has already ended (" + before.status() + ")"));
            return;
        }
        ctx.json(service.view(service.cancel(before.id()).orElse(before)));
    }

    private void events(SseClient client) {
        String id = client.ctx().pathParam("id");
        if (service.get(id).filter(s -> SweepService.KIND.equals(s.kind())).isEmpty()) {
            EventStreams.notFound(client, "no sweep with id '" + id + "'");
            return;
        }
        EventStreams.follow(client, listener -> service.subscribe(id, e -> listener.accept(e.name(), e.json())));
    }

    private StoredSweep sweep(Context ctx) {
        String id = ctx.pathParam("id");
        return service.get(id).filter(s -> SweepService.KIND.equals(s.kind()))
                .orElseThrow(() -> new BacktestRoutes.NotFound("no sweep with id '" + id + "'"));
    }
}
