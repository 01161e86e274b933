package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.http.BadRequest;

/**
 * A sweep as asked for (contract section 8): the base backtest request, the space, the method, the number of
 * trials, the objective and its constraint, the seed. Parsing refuses a bad request with a 400 naming the
 * field; the base is checked as a backtest submission would be ({@code base.symbol}, ...).
 */
public record SweepRequest(ObjectNode base, JsonNode spaceJson, SearchSpace space, SweepMethod method, int trials,
                           Objective objective, long seed) {
    /** Trials of a random or bayes sweep when none are asked for. */
    public static final int DEFAULT_TRIALS = 50;

    public static SweepRequest parse(JsonNode body, BacktestService backtests, int maxTrials) {
        if (body == null || !body.isObject()) throw BadRequest.field("body", "the body must be a JSON object", "a sweep request");
        JsonNode base = body.get("base");
        if (base == null || !base.isObject()) throw BadRequest.field("base", "base must be a backtest request", "{\"symbol\", \"interval\", \"code\", ...}");
        validateBase(base, backtests);
        SearchSpace space = SearchSpace.parse(body.get("space"), "space");
        String methodText = body.path("method").asText("bayes");
        SweepMethod method = SweepMethod.parse(methodText)
                .orElseThrow(() -> BadRequest.field("method", "unknown method '" + methodText + "'", "grid, random, bayes"));
        int trials = trials(body, method, space, maxTrials);
        String metric = body.path("objective").asText("sharpe");
        if (!Objective.METRICS.contains(metric)) {
            throw BadRequest.field("objective", "unknown objective '" + metric + "'", String.join(", ", Objective.METRICS));
        }
        String direction = body.path("direction").asText("maximize");
        if (!direction.equals("maximize") && !direction.equals("minimize")) {
            throw BadRequest.field("direction", "unknown direction '" + direction + "'", "maximize, minimize");
        }
        JsonNode minTrades = body.path("constraints").path("minTrades");
        if (!minTrades.isMissingNode() && !minTrades.isNull() && (!minTrades.isIntegralNumber() || minTrades.asLong() < 0 || minTrades.asLong() > 1_000_000)) {
            throw BadRequest.field("constraints.minTrades", "minTrades must be a whole number", "0..1000000");
        }
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) throw BadRequest.field("seed", "seed must be an integer", "an integer");
        return new SweepRequest((ObjectNode) base, body.get("space"), space, method, trials,
                new Objective(metric, direction.equals("maximize"), minTrades.asInt(0)), seed == null ? 1 : seed.asLong());
    }

    static void validateBase(JsonNode base, BacktestService backtests) {
        try {
            backtests.validate(base);
        } catch (BadRequest e) {
            Object field = e.body().get("field");
            throw BadRequest.field("base." + (field == null ? "body" : field), e.getMessage(), (String) e.body().get("allowed"));
        }
    }

    private static int trials(JsonNode body, SweepMethod method, SearchSpace space, int maxTrials) {
        JsonNode t = body.get("trials");
        if (t != null && !t.isNull() && (!t.isIntegralNumber() || t.asLong() < 1)) {
            throw BadRequest.field("trials", "trials must be a positive integer", "1.." + maxTrials + " (SWEEP_MAX_TRIALS)");
        }
        if (method == SweepMethod.GRID) {
            long grid = space.gridSize();
            if (grid > maxTrials) {
                throw BadRequest.field("space", "the grid has " + (grid == Long.MAX_VALUE ? "too many" : grid) + " points, more than "
                        + maxTrials + " trials", "at most " + maxTrials + " points (SWEEP_MAX_TRIALS)");
            }
            if (t != null && !t.isNull() && t.asLong() != grid) {
                throw BadRequest.field("trials", "a grid sweep runs every one of its " + grid + " points; trials is " + t.asLong(),
                        grid + " or none");
            }
            return (int) grid;
        }
        long n = t == null || t.isNull() ? DEFAULT_TRIALS : t.asLong();
        if (n > maxTrials) throw BadRequest.field("trials", "trials " + n + " is more than " + maxTrials, "1.." + maxTrials + " (SWEEP_MAX_TRIALS)");
        return (int) n;
    }

    /** The backtest request of one trial: the base with the trial's parameters over its strategyParams. */
    public ObjectNode trialRequest(ObjectNode params) {
        ObjectNode body = base.deepCopy();
        ObjectNode sp = base.get("strategyParams") instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        sp.setAll(params);
        body.set("strategyParams", sp);
        return body;
    }

    /** As stored and shown: every default filled in. */
    public ObjectNode toJson(int parallelism) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("base", base);
        n.set("space", spaceJson);
        n.put("method", method.wire);
        n.put("trials", trials);
        n.put("objective", objective.metric());
        n.put("direction", objective.maximize() ? "maximize" : "minimize");
        n.putObject("constraints").put("minTrades", objective.minTrades());
        n.put("seed", seed);
        n.put("parallelism", parallelism);
        return n;
    }

    /** Reads a stored request back (already validated). */
    public static SweepRequest fromJson(JsonNode n) {
        return new SweepRequest((ObjectNode) n.get("base"), n.get("space"), SearchSpace.parse(n.get("space"), "space"),
                SweepMethod.parse(n.get("method").asText()).orElseThrow(), n.get("trials").asInt(),
                new Objective(n.get("objective").asText(), n.get("direction").asText().equals("maximize"),
                        n.path("constraints").path("minTrades").asInt(0)), n.get("seed").asLong());
    }
}
