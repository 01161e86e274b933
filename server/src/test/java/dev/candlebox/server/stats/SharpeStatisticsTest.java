package dev.candlebox.server.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * PSR and DSR against values computed independently with CPython's standard library (statistics.NormalDist
 * for Φ and Φ⁻¹, moments by hand), and the worked example of the DSR paper.
 */
class SharpeStatisticsTest {
    /** Twelve per-kline returns. */
    static final double[] R = {0.012, -0.004, 0.007, 0.021, -0.015, 0.003, 0.009, -0.002, 0.011, -0.008, 0.016, 0.001};

    @Test
    void momentsOfASmallSeriesAreThePopulationSkewnessAndKurtosisAndTheSampleSharpe() {
        // python3: mu = sum(r)/12 = 0.00425; sd = sqrt(sum((x-mu)^2)/11) = 0.010419605646001284
        // sr = mu/sd = 0.4078849185267405; m_k = sum((x-mu)^k)/12; g3 = m3/m2^1.5 = -0.21746742320610368;
        // g4 = m4/m2^2 = 2.2728457905876094
        SharpeMoments m = SharpeMoments.of(R);
        assertEquals(12, m.n());
        assertEquals(0.4078849185267405, m.sharpe(), 1e-13);
        assertEquals(-0.21746742320610368, m.skewness(), 1e-12);
        assertEquals(2.2728457905876094, m.kurtosis(), 1e-12);
    }

    @Test
    void psrAgainstZeroIsTheNormalCdfOfTheAdjustedZ() {
        // den = 1 - g3*sr + (g4-1)/4*sr^2 = 1.1416425547144093
        // z = sr*sqrt(11)/sqrt(den) = 1.266102644408539; PSR = NormalDist().cdf(z) = 0.8972618320008723
        assertEquals(0.8972618320008723, SharpeStatistics.psr(SharpeMoments.of(R), 0), 1e-12);
    }

    @Test
    void dsrOfTheSeriesAsTheBestOfTwentyTrialsWithSharpeVariance004() {
        // SR0 = sqrt(0.04)*((1-0.5772156649015329)*inv_cdf(1-1/20) + 0.5772156649015329*inv_cdf(1-1/(20e)))
        //     = 0.38014159023623967
        // z0 = (sr - SR0)*sqrt(11)/sqrt(den) = 0.08611718579880405; DSR = cdf(z0) = 0.5343133689577593
        assertEquals(0.38014159023623967, SharpeStatistics.expectedMaxSharpe(20, 0.04), 1e-12);
        assertEquals(0.5343133689577593, SharpeStatistics.dsr(SharpeMoments.of(R), 20, 0.04), 1e-12);
    }

    @Test
    void theDeflatedSharpePapersWorkedExampleGives09004() {
        // Bailey & López de Prado (2014), section 5: N = 100 trials, V[SR] = 1/2 annualised (250 days a year),
        // best SR = 2.5 annualised, T = 1250 daily returns, skewness -3, kurtosis 10: SR0 = 0.1132 daily,
        // DSR = 0.9004. python3 gives SR0 = 0.11317200186513214, DSR = 0.9003968344493904.
        SharpeMoments best = new SharpeMoments(1250, 2.5 / Math.sqrt(250), -3, 10);
        assertEquals(0.11317200186513214, SharpeStatistics.expectedMaxSharpe(100, 0.5 / 250), 1e-12);
        assertEquals(0.9003968344493904, SharpeStatistics.dsr(best, 100, 0.5 / 250), 1e-12);
    }

    @Test
    void aFlatSeriesHasNoSharpeAndNoPsr() {
        assertNull(SharpeMoments.of(new double[]{0.01, 0.01, 0.01, 0.01}));
        assertNull(SharpeStatistics.psr(null, 0));
    }
}
