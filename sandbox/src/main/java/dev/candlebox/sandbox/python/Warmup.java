package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.KlineSeries;

import java.math.BigDecimal;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What an idle worker runs to warm itself up: {@code warmup.py} (a strategy that walks through the
 * whole strategy API) over synthetic hourly klines, one ordinary run at a time. Truffle shares the
 * compiled API code between contexts of one engine, so a user's run after the warm-up starts on
 * compiled code instead of the interpreter.
 */
public final class Warmup {
    /** Klines per warm-up run: about one real series, so each run is short and easy to give way. */
    public static final int KLINES_PER_RUN = 50_000;

    private static final String CODE = StrategyRuntime.preludeText("warmup.py");

    private Warmup() { }

    /** The i-th warm-up run (each gets another price path, so the strategy trades differently). */
    public static BacktestRequest request(int i) {
        return new BacktestRequest(CODE, series(KLINES_PER_RUN, 7919L * (i + 1)),
                Map.of("klineWndSize", 60, "fast", 5 + i % 4, "slow", 20 + i % 7),
                new BigDecimal("10000"), new BigDecimal("0.001"), "BASE", "QUOTE");
    }

    /** A random walk of n hourly klines from 2020-01-01, with highs and lows around open and close. */
    static KlineSeries series(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] openTime = new long[n];
        long[] closeTime = new long[n];
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        double[] close = new double[n];
        double[] volume = new double[n];
        double[] quoteVolume = new double[n];
        int[] trades = new int[n];
        double[] takerBase = new double[n];
        double[] takerQuote = new double[n];
        long t = 1_577_836_800_000L;
        double price = 100;
        for (int i = 0; i < n; i++) {
            double o = price;
            double c = Math.max(0.01, o * Math.exp(rnd.nextGaussian() * 0.01));
            openTime[i] = t;
            closeTime[i] = t + 3_599_999L;
            open[i] = round(o);
            close[i] = round(c);
            high[i] = round(Math.max(o, c) * (1 + Math.abs(rnd.nextGaussian()) * 0.003));
            low[i] = round(Math.min(o, c) * (1 - Math.abs(rnd.nextGaussian()) * 0.003));
            volume[i] = round(10 + rnd.nextDouble() * 100);
            quoteVolume[i] = round(volume[i] * c);
            trades[i] = 100 + rnd.nextInt(1000);
            takerBase[i] = round(volume[i] * 0.5);
            takerQuote[i] = round(quoteVolume[i] * 0.5);
            price = c;
            t += 3_600_000L;
        }
        return new KlineSeries(openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
                takerBase, takerQuote);
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
