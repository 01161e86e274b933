package dev.candlebox.server.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.run.RunStatus;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.server.backtest.BacktestRoutes;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.http.BadRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/compare {"a": runId, "b": runId}}: whether run a's Sharpe ratio is really above run b's on
 * the klines both ran on (Ledoit-Wolf studentized block bootstrap, {@link SharpeComparison}).
 */
public final class CompareRoutes {
    static final int RESAMPLES = 2000;
    static final double YEAR_MS = 365.25 * 86_400_000d;

    private final RunStore runs;
    private final ObjectMapper json;

    public CompareRoutes(RunStore runs, ObjectMapper json) {
        this.runs = runs;
        this.json = json;
    }

    public void register(Javalin app) {
        app.post("/api/v1/compare", this::compare);
    }

    private void compare(Context ctx) throws java.io.IOException {
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BadRequest.field("body", "the body is not valid JSON", "{\"a\": runId, \"b\": runId}");
        }
        if (body == null || !body.isObject()) throw BadRequest.field("body", "the body must be a JSON object", "{\"a\": runId, \"b\": runId}");
        ctx.json(compare(text(body, "a"), text(body, "b"), body.path("seed").asLong(1)));
    }

    /** The comparison of two stored runs (BadRequest naming a or b, NotFound). */
    public ObjectNode compare(String idA, String idB, long seed) {
        StoredRun a = run(idA, "a"), b = run(idB, "b");
        if (!a.interval().equals(b.interval())) {
            throw BadRequest.field("b", "run b is on " + b.interval() + " klines and run a on " + a.interval(), "two runs on the same interval");
        }
        Returns.Pair common = Returns.common(returns(a), returns(b));
        SharpeComparison.Result r = SharpeComparison.compare(common.a(), common.b(), 0.95, RESAMPLES, seed);
        double annual = Math.sqrt(YEAR_MS / Interval.parse(a.interval()).orElseThrow().nominalMillis());
        ObjectNode n = json.createObjectNode();
        n.put("a", a.id());
        n.put("b", b.id());
        n.put("commonKlines", common.time().length);
        if (r == null) {
            n.putNull("difference");
            n.put("detail", "fewer than 10 common klines, or a run without variation: no comparison");
            return n;
        }
        n.put("sharpeA", r.sharpeA() * annual);
        n.put("sharpeB", r.sharpeB() * annual);
        n.put("difference", r.difference() * annual);
        n.put("standardError", r.standardError() * annual);
        n.put("low", r.low() * annual);
        n.put("high", r.high() * annual);
        n.put("level", r.level());
        n.put("excludesZero", r.excludesZero());
        n.put("resamples", r.resamples());
        n.put("block", r.block());
        n.put("seed", seed);
        return n;
    }

    private Returns returns(StoredRun run) {
        EquityCurve c = BacktestService.equity(runs, run.id()).orElseThrow();
        double initial = json.convertValue(readTree(run.resultJson()).get("initialBalance"), Double.class);
        return Returns.of(c, initial);
    }

    private JsonNode readTree(String s) {
        try {
            return json.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode id = body.get(field);
        if (id == null || !id.isTextual()) throw BadRequest.field(field, field + " must be a run id", "the id of a succeeded run");
        return id.asText();
    }

    private StoredRun run(String id, String field) {
        StoredRun run = runs.get(id).orElseThrow(() -> new BacktestRoutes.NotFound("no run with id '" + id + "'"));
        if (run.status() != RunStatus.SUCCEEDED) {
            throw BadRequest.field(field, "run " + run.id() + " is " + run.status().code() + ", not succeeded", "the id of a succeeded run");
        }
        return run;
    }
}
