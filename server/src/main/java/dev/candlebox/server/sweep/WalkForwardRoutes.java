package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.sweep.SweepStore.StoredSweep;
import dev.candlebox.server.backtest.BacktestRoutes;
import dev.candlebox.server.http.EventStreams;
import dev.candlebox.server.ratelimit.ClientAddress;
import dev.candlebox.server.ratelimit.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;

import java.util.Map;

/** The walk-forward API (contract section 8) under {@code /api/v1/walkforward}, in the manner of the sweeps'. */
public final class WalkForwardRoutes {
    private static final String BASE = "/api/v1/walkforward";

    private final WalkForwardService service;
    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    public WalkForwardRoutes(WalkForwardService service, RateLimiter limiter, ClientAddress clients, ObjectMapper json, long maxBodyBytes) {
        this.service = service;
        this.limiter = limiter;
        this.clients = clients;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(Javalin app) {
        app.post(BASE, this::submit);
        app.get(BASE + "/{id}", ctx -> ctx.json(service.view(walkForward(ctx))));
        app.delete(BASE + "/{id}", this::cancel);
        app.sse(BASE + "/{id}/events", this::events);
    }

    private void submit(Context ctx) {
        StoredSweep wf = SweepRoutes.submit(ctx, limiter, clients, json, maxBodyBytes, service::submit);
        if (wf == null) return;
        ctx.header("Location", BASE + "/" + wf.id());
        ctx.status(202).json(service.view(wf));
    }

    private void cancel(Context ctx) {
        StoredSweep before = walkForward(ctx);
        if (before.isFinal()) {
            ctx.status(409).json(Map.of("detail", "walk-forward " + before.id() + " has already ended (" + before.status() + ")"));
            return;
        }
        ctx.json(service.view(service.cancel(before.id()).orElse(before)));
    }

    private void events(SseClient client) {
        String id = client.ctx().pathParam("id");
        if (service.get(id).isEmpty()) {
            EventStreams.notFound(client, "no walk-forward with id '" + id + "'");
            return;
        }
        EventStreams.follow(client, listener -> service.subscribe(id, e -> listener.accept(e.name(), e.json())));
    }

    private StoredSweep walkForward(Context ctx) {
        String id = ctx.pathParam("id");
        return service.get(id).orElseThrow(() -> new BacktestRoutes.NotFound("no walk-forward with id '" + id + "'"));
    }
}
