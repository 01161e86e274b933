package dev.candlebox.server.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bootstrap intervals do what they claim over many seeded simulated series: the Sharpe interval covers the
 * true Sharpe ratio at about its nominal rate, and the Ledoit-Wolf comparison rejects equal Sharpe ratios at
 * about its size and unequal ones almost always.
 */
class BootstrapCoverageTest {
    static double[] normal(SplittableRandom rnd, int n, double mean, double sd) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller
            double u = 1 - rnd.nextDouble(), v = rnd.nextDouble();
            r[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
        return r;
    }

    @Test
    void theSharpeIntervalCoversTheTrueSharpeAtAboutNinetyFivePercent() {
        // 400 series of 400 iid normal returns with Sharpe 0.1 per kline; 400 resamples each.
        SplittableRandom rnd = new SplittableRandom(20260101);
        int reps = 400, covered = 0;
        for (int k = 0; k < reps; k++) {
            double[] r = normal(rnd, 400, 0.001, 0.01);
            BlockBootstrap.Interval ci = BlockBootstrap.sharpe(r, 0.95, 400, k);
            if (ci.low() <= 0.1 && 0.1 <= ci.high()) covered++;
        }
        double rate = covered / (double) reps;
        // binomial standard error at 0.95 over 400: 0.011; the block bootstrap on iid data is a little narrow
        assertTrue(rate >= 0.90 && rate <= 0.99, "coverage " + rate);
    }

    @Test
    void theSameSeedGivesTheSameInterval() {
        double[] r = normal(new SplittableRandom(7), 300, 0.001, 0.01);
        assertEquals(BlockBootstrap.sharpe(r, 0.95, 500, 3), BlockBootstrap.sharpe(r, 0.95, 500, 3));
    }

    @Test
    void theComparisonRejectsEqualSharpeRatiosAtAboutItsSizeAndDifferentOnesAlmostAlways() {
        SplittableRandom rnd = new SplittableRandom(42);
        int reps = 200, falseAlarms = 0, found = 0;
        for (int k = 0; k < reps; k++) {
            double[] a = normal(rnd, 400, 0.0005, 0.01), b = normal(rnd, 400, 0.0005, 0.01);
            if (SharpeComparison.compare(a, b, 0.95, 300, k).excludesZero()) falseAlarms++;
            double[] better = normal(rnd, 400, 0.003, 0.01), worse = normal(rnd, 400, -0.0005, 0.01);
            SharpeComparison.Result res = SharpeComparison.compare(better, worse, 0.95, 300, k);
            if (res.excludesZero() && res.low() > 0) found++;
        }
        double size = falseAlarms / (double) reps, power = found / (double) reps;
        assertTrue(size <= 0.10, "rejections of a true null: " + size);
        assertTrue(power >= 0.90, "a Sharpe gap of 0.35 per kline over 400 klines found in " + power);
    }
}
