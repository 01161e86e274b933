package dev.candlebox.sandbox.reference;

import java.util.Map;

/** {@code params.get(name, default)} over the request's strategyParams. */
public record StrategyParams(Map<String, Object> values) {

    public int integer(String name, int fallback) {
        Object v = values.get(name);
        return v == null ? fallback : ((Number) v).intValue();
    }

    public double number(String name, double fallback) {
        Object v = values.get(name);
        return v == null ? fallback : ((Number) v).doubleValue();
    }
}
