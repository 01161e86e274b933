package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a sweep optimises: a metric of the run ({@code docs/metrics.md}), maximised or minimised, with the
 * constraint that a trial closes at least {@code minTrades} round trips. A trial that fails, has a null
 * objective or too few round trips is infeasible: it is reported but never the best.
 */
public record Objective(String metric, boolean maximize, int minTrades) {
    /** The metrics a run has (every name {@code Metrics.of} writes). */
    public static final List<String> METRICS = List.of("totalReturn", "cagr", "volatility", "sharpe", "psr", "sortino",
            "maxDrawdown", "calmar", "roundTrips", "winRate", "profitFactor", "expectancy", "avgHoldingHours",
            "longestHoldingHours", "maxConsecutiveLosses", "exposure", "maxDrawdownDurationHours", "buyAndHoldReturn",
            "totalFees", "totalTrades");

    /** The objective's value in a run's metrics, or null when the trial is infeasible. */
    public Double value(JsonNode metrics) {
        if (metrics == null) return null;
        JsonNode v = metrics.get(metric);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) return null;
        if (metrics.path("roundTrips").asDouble(0) < minTrades) return null;
        return v.asDouble();
    }

    /** Lower is better; +∞ for an infeasible trial. */
    public double loss(JsonNode metrics) {
        Double v = value(metrics);
        return v == null ? Double.POSITIVE_INFINITY : maximize ? -v : v;
    }
}
