package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.server.stats.BlockBootstrap;
import dev.candlebox.server.stats.Returns;
import dev.candlebox.server.stats.SharpeMoments;
import dev.candlebox.server.stats.SharpeStatistics;
import org.apache.commons.statistics.descriptive.Variance;

import java.util.List;

/**
 * The multiple-testing view of a sweep's best trial: its PSR, the Deflated Sharpe Ratio given the number of
 * trials and the variance of their Sharpe ratios, and a block-bootstrap interval of its Sharpe ratio.
 * Sharpe ratios are annualised in the output, per kline inside the formulas.
 */
final class SweepStatistics {
    static final double YEAR_MS = 365.25 * 86_400_000d;

    private SweepStatistics() {}

    /**
     * @param trialSharpes the annualised Sharpe ratios of every trial that ran to the end and has one
     * @param best         the best trial's equity curve, null if none
     * @param withInterval whether to bootstrap the interval (else sharpeInterval is null)
     */
    static ObjectNode of(List<Double> trialSharpes, EquityCurve best, double initialBalance, long intervalMs, long seed,
                         boolean withInterval) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        double ppy = YEAR_MS / intervalMs;
        double[] perKline = trialSharpes.stream().mapToDouble(s -> s / Math.sqrt(ppy)).toArray();
        n.put("trialsCounted", perKline.length);
        double variance = perKline.length >= 2 ? Variance.of(perKline).getAsDouble() : Double.NaN;
        put(n, "trialSharpeVariance", variance * ppy);
        double sr0 = perKline.length >= 2 ? SharpeStatistics.expectedMaxSharpe(perKline.length, variance) : Double.NaN;
        put(n, "expectedMaxSharpe", sr0 * Math.sqrt(ppy));
        SharpeMoments m = null;
        double[] returns = null;
        if (best != null) {
            returns = Returns.of(best, initialBalance).value();
            m = SharpeMoments.of(returns);
        }
        put(n, "psr", m == null ? null : SharpeStatistics.psr(m, 0));
        put(n, "dsr", m == null || perKline.length < 2 ? null : SharpeStatistics.dsr(m, perKline.length, variance));
        BlockBootstrap.Interval ci = returns == null || !withInterval ? null
                : BlockBootstrap.sharpe(returns, 0.95, BlockBootstrap.DEFAULT_RESAMPLES, seed);
        if (ci == null) {
            n.putNull("sharpeInterval");
        } else {
            BlockBootstrap.Interval a = ci.scaled(Math.sqrt(ppy));
            ObjectNode i = n.putObject("sharpeInterval");
            i.put("sharpe", a.estimate());
            i.put("low", a.low());
            i.put("high", a.high());
            i.put("level", a.level());
            i.put("resamples", a.resamples());
            i.put("block", a.block());
        }
        return n;
    }

    private static void put(ObjectNode n, String field, Double v) {
        if (v == null || !Double.isFinite(v)) n.putNull(field);
        else n.put(field, v);
    }

    static Double sharpe(JsonNode metrics) {
        JsonNode s = metrics == null ? null : metrics.get("sharpe");
        return s == null || !s.isNumber() ? null : s.asDouble();
    }
}
