package dev.candlebox.sandbox.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The reference indicators against values worked out by hand. */
class ReferenceIndicatorsTest {

    @Test
    void smaAveragesTheLastPeriodValues() {
        // (3 + 4 + 5) / 3 = 4
        assertEquals(4.0, ReferenceIndicators.sma(new double[] {1, 2, 3, 4, 5}, 3));
        // (1 + 2 + 3 + 4 + 5) / 5 = 3
        assertEquals(3.0, ReferenceIndicators.sma(new double[] {1, 2, 3, 4, 5}, 5));
    }

    @Test
    void smaIsNoneWhenTooShortOrPeriodNotPositive() {
        assertNull(ReferenceIndicators.sma(new double[] {1, 2}, 3));
        assertNull(ReferenceIndicators.sma(new double[] {1, 2}, 0));
        assertNull(ReferenceIndicators.sma(new double[] {1, 2}, -1));
    }

    @Test
    void smaSumsLeftToRightLikePythonSumNotCompensated() {
        double[] tenths = new double[10];
        Arrays.fill(tenths, 0.1);
        // 0.1 + 0.1 + ... (ten times, left to right) = 0.9999999999999999; / 10 = 0.09999999999999999.
        // A compensated sum (CPython 3.12) would give exactly 1.0 and 0.1.
        assertEquals(0.09999999999999999, ReferenceIndicators.sma(tenths, 10));
    }

    @Test
    void emaIsSeededWithTheSmaOfTheFirstPeriodValues() {
        // seed = (1 + 2 + 3) / 3 = 2, k = 2 / (3 + 1) = 0.5
        // x = 4: (4 - 2) * 0.5 + 2 = 3;  x = 5: (5 - 3) * 0.5 + 3 = 4
        assertEquals(4.0, ReferenceIndicators.ema(new double[] {1, 2, 3, 4, 5}, 3));
        // exactly period values: the seed itself, (1 + 2 + 3) / 3 = 2
        assertEquals(2.0, ReferenceIndicators.ema(new double[] {1, 2, 3}, 3));
        assertNull(ReferenceIndicators.ema(new double[] {1, 2}, 3));
    }

    @Test
    void rsiIsMeanGainOverMeanLossOfTheLastPeriodChanges() {
        // last 3 changes of [1, 2, 3, 2, 4]: +1, -1, +2 -> gain = 3 / 3 = 1, loss = 1 / 3
        // rs = 1 / (1/3) = 3 -> 100 - 100 / (1 + 3) = 75
        assertEquals(75.0, ReferenceIndicators.rsi(new double[] {1, 2, 3, 2, 4}, 3));
        // the first change (+1 from 1 to 2) is outside the window: [5, 6, 4, 4, 3] -> -2, 0, -1 -> gain 0 -> 0
        assertEquals(0.0, ReferenceIndicators.rsi(new double[] {5, 6, 4, 4, 3}, 3));
    }

    @Test
    void rsiWithoutLossesIsHundredAndWithoutMovesFifty() {
        assertEquals(100.0, ReferenceIndicators.rsi(new double[] {1, 2, 2, 3}, 3));
        assertEquals(50.0, ReferenceIndicators.rsi(new double[] {7, 7, 7, 7}, 3));
    }

    @Test
    void rsiNeedsPeriodPlusOneValues() {
        assertNull(ReferenceIndicators.rsi(new double[] {1, 2, 3}, 3));
        assertNull(ReferenceIndicators.rsi(IntStream.range(0, 14).asDoubleStream().toArray()));
        // 15 rising values: 14 gains, no loss
        assertEquals(100.0, ReferenceIndicators.rsi(IntStream.range(0, 15).asDoubleStream().toArray()));
    }

    @Test
    void macdSignalIsTheRealEmaOfTheMacdSeries() {
        // fast = 1 (k = 1: the EMA is the last value), slow = 3 (k = 0.5), signal = 3 (k = 0.5)
        // data [1, 3, 2, 6, 4, 8]; EMA3 of each prefix of length 3..6:
        //   [1,3,2] -> 2;  then 6 -> (6-2)*.5+2 = 4;  then 4 -> 4;  then 8 -> (8-4)*.5+4 = 6
        // MACD series = last value - EMA3 = [2-2, 6-4, 4-4, 8-6] = [0, 2, 0, 2]
        // signal = EMA3 of it: seed (0+2+0)/3 = 2/3, then 2 -> (2 - 2/3) * .5 + 2/3 = 4/3
        ReferenceIndicators.Macd m = ReferenceIndicators.macd(new double[] {1, 3, 2, 6, 4, 8}, 1, 3, 3);
        assertEquals(2.0, m.macd());
        assertEquals(4.0 / 3, m.signal(), 1e-15);
        assertEquals(2.0 / 3, m.histogram(), 1e-15);
        // the histogram is macd - signal of the same floats
        assertEquals(m.macd() - m.signal(), m.histogram());
    }

    @Test
    void macdNeedsSlowPlusSignalMinusOneValues() {
        assertNull(ReferenceIndicators.macd(new double[] {1, 3, 2, 6}, 1, 3, 3));
        assertNotNull(ReferenceIndicators.macd(new double[] {1, 3, 2, 6, 4}, 1, 3, 3));
        // defaults 12, 26, 9: 26 + 9 - 1 = 34 values
        assertNull(ReferenceIndicators.macd(IntStream.range(0, 33).asDoubleStream().toArray()));
        assertNotNull(ReferenceIndicators.macd(IntStream.range(0, 34).asDoubleStream().toArray()));
    }

    @Test
    void macdOfAStraightLineHasAFlatHistogram() {
        // a line rising by 1: every EMA lags the last value by a constant, so the MACD line is constant
        // and equal to its own EMA: histogram 0. With fast 1, slow 3 the lag of EMA3 is 1 -> MACD = 1.
        ReferenceIndicators.Macd m = ReferenceIndicators.macd(new double[] {1, 2, 3, 4, 5, 6}, 1, 3, 3);
        assertEquals(1.0, m.macd());
        assertEquals(1.0, m.signal());
        assertEquals(0.0, m.histogram());
    }
}
