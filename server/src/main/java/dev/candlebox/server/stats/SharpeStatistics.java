package dev.candlebox.server.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The Probabilistic Sharpe Ratio (Bailey and López de Prado, "The Sharpe Ratio Efficient Frontier", 2012) and
 * the Deflated Sharpe Ratio (Bailey and López de Prado, "The Deflated Sharpe Ratio", 2014). Every Sharpe ratio
 * here is per kline (not annualised). Formulas in {@code docs/sweeps.md}.
 */
public final class SharpeStatistics {
    /** The Euler-Mascheroni constant of the expected maximum of N normal draws. */
    static final double EULER_GAMMA = 0.5772156649015329;
    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    private SharpeStatistics() {}

    /**
     * PSR(SR*) = Φ((SR − SR*) √(n − 1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²)): the probability that the true Sharpe
     * ratio exceeds {@code benchmark}, given the estimate's skewness γ3 and kurtosis γ4. Null when the
     * denominator is 0.
     */
    public static Double psr(SharpeMoments m, double benchmark) {
        if (m == null) return null;
        double sr = m.sharpe();
        double var = 1 - m.skewness() * sr + (m.kurtosis() - 1) / 4 * sr * sr;
        if (!(var > 0)) return null;
        return STANDARD.cumulativeProbability((sr - benchmark) * Math.sqrt(m.n() - 1) / Math.sqrt(var));
    }

    /**
     * The Sharpe ratio the best of {@code trials} unskilled trials would show by luck:
     * SR0 = √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), V the variance of the trials' Sharpe ratios.
     */
    public static double expectedMaxSharpe(int trials, double variance) {
        if (trials < 2) return 0;
        return Math.sqrt(variance) * ((1 - EULER_GAMMA) * STANDARD.inverseCumulativeProbability(1 - 1.0 / trials)
                + EULER_GAMMA * STANDARD.inverseCumulativeProbability(1 - 1.0 / (trials * Math.E)));
    }

    /** DSR = PSR(SR0) of the best trial: its PSR against the luck of the best of {@code trials}. */
    public static Double dsr(SharpeMoments best, int trials, double variance) {
        return psr(best, expectedMaxSharpe(trials, variance));
    }
}
