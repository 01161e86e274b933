package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.server.http.BadRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The parameters a sweep varies, in the request's order: {@code {"fast_period": {"int": [5, 50], "step": 5},
 * "stop_loss": {"float": [0.01, 0.05], "log": true}, "mode": {"choice": ["a", "b"]}}}. Parsing refuses a bad
 * space with a 400 naming the field ({@code space.fast_period}).
 */
public record SearchSpace(List<Parameter> parameters) {
    /** Grid points of a float parameter without a step. */
    public static final int DEFAULT_FLOAT_POINTS = 10;

    public int size() {
        return parameters.size();
    }

    /** The strategy parameters of a point. */
    public ObjectNode values(double[] point) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < parameters.size(); i++) n.set(parameters.get(i).name(), parameters.get(i).value(point[i]));
        return n;
    }

    /** Points in the grid: the product of every parameter's grid (saturating at Long.MAX_VALUE). */
    public long gridSize() {
        long n = 1;
        try {
            for (Parameter p : parameters) n = Math.multiplyExact(n, (long) p.grid().size());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return n;
    }

    public static SearchSpace parse(JsonNode space, String field) {
        if (space == null || space.isNull() || !space.isObject() || space.isEmpty()) {
            throw BadRequest.field(field, field + " must name at least one parameter", "{\"name\": {\"int\": [low, high]} | {\"float\": [low, high]} | {\"choice\": [...]}}");
        }
        List<Parameter> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = space.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(parameter(e.getKey(), e.getValue(), field + "." + e.getKey()));
        }
        return new SearchSpace(List.copyOf(out));
    }

    private static Parameter parameter(String name, JsonNode spec, String field) {
        String kinds = "exactly one of int, float, choice";
        if (spec == null || !spec.isObject()) throw BadRequest.field(field, field + " must be an object", kinds);
        int kindsGiven = (spec.has("int") ? 1 : 0) + (spec.has("float") ? 1 : 0) + (spec.has("choice") ? 1 : 0);
        if (kindsGiven != 1) throw BadRequest.field(field, field + " has no known parameter kind", kinds);
        boolean log = spec.path("log").asBoolean(false);
        if (spec.has("choice")) {
            JsonNode v = spec.get("choice");
            if (!v.isArray() || v.isEmpty()) throw BadRequest.field(field, field + ".choice must be a non-empty list", "[value, ...]");
            List<JsonNode> values = new ArrayList<>();
            v.forEach(values::add);
            return new Parameter.Choice(name, List.copyOf(values));
        }
        String kind = spec.has("int") ? "int" : "float";
        JsonNode range = spec.get(kind);
        if (!range.isArray() || range.size() != 2 || !range.get(0).isNumber() || !range.get(1).isNumber()) {
            throw BadRequest.field(field, field + "." + kind + " must be [low, high]", "two numbers, low <= high");
        }
        if (kind.equals("int")) {
            if (!range.get(0).canConvertToLong() || !range.get(1).canConvertToLong() || !range.get(0).isIntegralNumber() || !range.get(1).isIntegralNumber()) {
                throw BadRequest.field(field, field + ".int must be two integers", "[low, high]");
            }
            long low = range.get(0).asLong(), high = range.get(1).asLong();
            if (low > high) throw BadRequest.field(field, field + " is reversed: " + low + " > " + high, "low <= high");
            long step = spec.path("step").asLong(1);
            if (step < 1 || (spec.has("step") && !spec.get("step").isIntegralNumber())) {
                throw BadRequest.field(field, field + ".step must be a positive integer", ">= 1");
            }
            if (log && low < 1) throw BadRequest.field(field, field + " is log-scaled but low is " + low, "low >= 1 with log");
            return new Parameter.IntRange(name, low, high, step, log);
        }
        double low = range.get(0).asDouble(), high = range.get(1).asDouble();
        if (!Double.isFinite(low) || !Double.isFinite(high)) throw BadRequest.field(field, field + " must be finite", "finite numbers");
        if (low > high) throw BadRequest.field(field, field + " is reversed: " + low + " > " + high, "low <= high");
        if (log && low <= 0) throw BadRequest.field(field, field + " is log-scaled but low is " + low, "low > 0 with log");
        Double step = null;
        if (spec.has("step")) {
            step = spec.get("step").asDouble();
            if (!spec.get("step").isNumber() || !(step > 0)) throw BadRequest.field(field, field + ".step must be a positive number", "> 0");
            if (log) throw BadRequest.field(field, field + " cannot have both log and step", "log or step");
        }
        int points = spec.path("points").asInt(DEFAULT_FLOAT_POINTS);
        if (points < 1 || points > 10_000) throw BadRequest.field(field, field + ".points must be 1..10000", "1..10000");
        return new Parameter.FloatRange(name, low, high, log, step, points);
    }
}
