package dev.candlebox.server.stats;

import org.apache.commons.statistics.descriptive.Kurtosis;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Skewness;
import org.apache.commons.statistics.descriptive.StandardDeviation;

/**
 * What the Probabilistic Sharpe Ratio needs of a run's per-kline returns: their count, the per-kline Sharpe
 * ratio (mean over the sample standard deviation, as the run's {@code sharpe} before annualising), and the
 * population skewness and (non-excess) kurtosis, a normal distribution having 0 and 3. Moments come from
 * Apache Commons Statistics.
 */
public record SharpeMoments(int n, double sharpe, double skewness, double kurtosis) {
    /** Null when the Sharpe ratio is undefined (fewer than 3 returns or no variation). */
    public static SharpeMoments of(double[] returns) {
        if (returns.length < 3) return null;
        double sd = StandardDeviation.of(returns).getAsDouble();
        if (!(sd > 0)) return null;
        double mean = Mean.of(returns).getAsDouble();
        return new SharpeMoments(returns.length, mean / sd,
                Skewness.of(returns).setBiased(true).getAsDouble(),
                Kurtosis.of(returns).setBiased(true).getAsDouble() + 3);
    }
}
