package dev.candlebox.sandbox.reference.strategies;

import static dev.candlebox.sandbox.reference.Amounts.assertAmount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candlebox.sandbox.reference.ReferenceBacktest;
import dev.candlebox.sandbox.reference.ReferenceFill;
import dev.candlebox.sandbox.reference.ReferenceKlines;
import dev.candlebox.sandbox.reference.ReferenceResult;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Java re-implementations of strategies/ on tiny series whose signals are worked out by hand. */
class ReferenceStrategiesTest {

    private static final long JAN_1_2024 = 1_704_067_200_000L;
    private static final long HOUR = 3_600_000L;

    /** Klines with open = close and a range of +-1 around the close. */
    private static ReferenceKlines closes(double... closes) {
        return ReferenceKlines.ofOhlc(JAN_1_2024, HOUR,
                IntStream.range(0, closes.length).mapToObj(i -> new double[] {closes[i], closes[i] + 1, closes[i] - 1, closes[i]})
                        .toArray(double[][]::new));
    }

    private static ReferenceResult run(ReferenceStrategy s, ReferenceKlines k, Map<String, Object> params) {
        return ReferenceBacktest.run(k, s, params, new BigDecimal("1000"), new BigDecimal("0.001"));
    }

    private static String sides(ReferenceResult r) {
        return r.trades().stream().map(f -> f.side() + "@" + f.klineIndex()).collect(Collectors.joining(" "));
    }

    @Test
    void everyStrategyFileHasAReferenceAndEveryReferenceAFile() throws Exception {
        Path dir = Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies");
        try (Stream<Path> files = Files.list(dir)) {
            // the templates reading derivatives, other series or section 6's orders are InputTemplatesTest's
            Set<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py"))
                    .filter(n -> !dev.candlebox.sandbox.python.InputTemplatesTest.FILES.contains(n))
                    .collect(Collectors.toSet());
            assertEquals(ReferenceStrategies.BY_FILE.keySet(), names);
        }
    }

    @Test
    void maCrossBuysTheGoldenCrossAndSellsTheDeathCross() {
        // fast 2, slow 3; the first decision needs slow + 1 = 4 closes (index 3).
        //  i  close  fast        slow          prev fast  prev slow
        //  3   9     9.5         10            10.5       11
        //  4   8     8.5         9             9.5        10
        //  5   9     8.5         8.667         8.5        9
        //  6  10     9.5         9             8.5        8.667   fast > slow, prev fast <= prev slow: BUY
        //  7  11     10.5        10            9.5        9
        //  8  10     10.5        10.333        10.5       10
        //  9   9     9.5         10            10.5       10.333  fast < slow, prev fast >= prev slow: SELL
        // 10   8     8.5         9             9.5        10
        ReferenceResult r = run(new MaCross(), closes(12, 11, 10, 9, 8, 9, 10, 11, 10, 9, 8),
                Map.of("fast_period", 2, "slow_period", 3));
        assertEquals("BUY@6 SELL@9", sides(r));
        // buy amount float(1000 / 10) * 0.95 = 95: cost 950, fee 0.95, balance 49.05
        assertAmount("95", r.trades().get(0).amount());
        assertAmount("49.05", r.trades().get(0).balanceAfter());
        // sell 95 @ 9: proceeds 855, fee 0.855 -> balance 49.05 + 854.145 = 903.195; realised 854.145 - 950.95 < 0
        assertAmount("903.195", r.trades().get(1).balanceAfter());
        assertAmount("-96.805", r.trades().get(1).realised());
        assertAmount("0", r.winRate());
        // peak equity at 7: 49.05 + 95 * 11 = 1094.05; the end: 903.195 -> (1094.05 - 903.195) / 1094.05
        assertEquals(new BigDecimal("190.855").divide(new BigDecimal("1094.05"), MathContext.DECIMAL128), r.maxDrawdown());
    }

    @Test
    void breakoutComparesWithThePreviousLookbackKlinesAndTakesProfit() {
        // lookback 3. At 4 the previous three highs are 11, 10.5, 10.8 -> close 11.5 > 11: BUY at 11.5
        // (the current kline's high 12 is not part of the channel, or it could never fire).
        // take profit 6%: 11.5 * 1.06 = 12.19 -> close 12.5 at 6 sells.
        ReferenceKlines k = ReferenceKlines.ofOhlc(JAN_1_2024, HOUR, new double[][] {
                {10, 10, 9, 9.5},
                {9.5, 11, 9, 10},
                {10, 10.5, 9.5, 10},
                {10, 10.8, 9.8, 10.5},
                {10.5, 12, 10.4, 11.5},
                {11.5, 12, 11, 11.8},
                {11.8, 12.6, 11.7, 12.5},
        });
        ReferenceResult r = run(new BreakoutStopLossTakeProfit(), k, Map.of("lookback", 3));
        assertEquals("BUY@4 SELL@6", sides(r));
        assertAmount("11.5", r.trades().get(0).price());
        assertAmount("12.5", r.trades().get(1).price());
        assertAmount("1", r.winRate());
    }

    @Test
    void breakoutStopsTheLossBelowTheAverageEntryPrice() {
        // BUY at 11.5 as above; stop 3%: 11.5 * 0.97 = 11.155 -> close 11.1 at 5 sells (the lowest low of the
        // previous three, 9.5, is not reached).
        ReferenceKlines k = ReferenceKlines.ofOhlc(JAN_1_2024, HOUR, new double[][] {
                {10, 10, 9, 9.5},
                {9.5, 11, 9, 10},
                {10, 10.5, 9.5, 10},
                {10, 10.8, 9.8, 10.5},
                {10.5, 12, 10.4, 11.5},
                {11.5, 11.6, 11, 11.1},
        });
        ReferenceResult r = run(new BreakoutStopLossTakeProfit(), k, Map.of("lookback", 3));
        assertEquals("BUY@4 SELL@5", sides(r));
    }

    @Test
    void bollingerBuysBelowTheLowerBandAndSellsAtTheMiddle() {
        // period 3, 1 standard deviation. At 3 the window is 10, 10, 7: mean 9, variance (1 + 1 + 4) / 3 = 2,
        // std 1.414 -> lower 7.586; close 7 < lower: BUY.
        // At 4 the window is 10, 7, 9.5: mean 8.833; close 9.5 >= mean: SELL.
        ReferenceResult r = run(new BollingerReversion(), closes(10, 10, 10, 7, 9.5, 9.5),
                Map.of("period", 3, "num_std", 1.0));
        assertEquals("BUY@3 SELL@4", sides(r));
    }

    @Test
    void donchianBuysAboveThePreviousHighsAndSellsBelowThePreviousLows() {
        // entry 3, exit 2; ranges are close +-1. At 3 the previous highs are 11, 11, 11 -> close 10.5 no;
        // at 4 close 12.5 > 11: BUY. Exit channel = lowest low of the previous two klines:
        // at 5: lows 9.5, 11.5 -> 9.5, close 12 stays; at 6: lows 11.5, 11 -> 11, close 10.9 < 11: SELL.
        ReferenceResult r = run(new DonchianBreakout(), closes(10, 10, 10, 10.5, 12.5, 12, 10.9),
                Map.of("entry_period", 3, "exit_period", 2));
        assertEquals("BUY@4 SELL@6", sides(r));
    }

    @Test
    void rsiTrendFilterBuysADipOnlyAboveTheTrend() {
        // rsi 2, trend 4; closes 20, 21, 22, 23, 24, 23.9, 23.8, 25.
        // 4: trend (21 + 22 + 23 + 24) / 4 = 22.5, changes +1, +1 -> rsi 100: no.
        // 5: trend (22 + 23 + 24 + 23.9) / 4 = 23.225, changes +1, -0.1 -> rsi 100 - 100 / (1 + 0.5 / 0.05) = 90.9: no.
        // 6: trend (23 + 24 + 23.9 + 23.8) / 4 = 23.675 < close 23.8 (uptrend); changes -0.1, -0.1 -> rsi 0 < 35: BUY.
        // 7: changes -0.1, +1.2 -> rsi 100 - 100 / (1 + 0.6 / 0.05) = 92.3 > 70: SELL.
        ReferenceResult r = run(new RsiTrendFilter(), closes(20, 21, 22, 23, 24, 23.9, 23.8, 25),
                Map.of("rsi_period", 2, "trend_period", 4));
        assertEquals("BUY@6 SELL@7", sides(r));
    }

    @Test
    void timeFilterBuysOnceADayInTheSessionAndSellsWhenItEnds() {
        // 48 hourly green klines from 2024-01-01 00:00 UTC: the entry of each day is at 09:00, the exit at 16:00.
        // Without the per-day reset in on_day_end the second day would not trade.
        double[][] ohlc = IntStream.range(0, 48).mapToObj(i -> new double[] {100, 102, 99, 101}).toArray(double[][]::new);
        ReferenceResult r = run(new TimeFilter(), ReferenceKlines.ofOhlc(JAN_1_2024, HOUR, ohlc), Map.of());
        assertEquals("BUY@9 SELL@16 BUY@33 SELL@40", sides(r));
    }

    @Test
    void dcaAveragesDownAndTakesProfitInTwoParts() {
        // every 2nd kline, 100 quote per buy, at most 2 buys between sells, take profit 5%, half, min sell value 100.
        // 1: BUY 100 / 10 = 10 @ 10 (fee 0.1 -> 899.9)   3: BUY 100 / 8 = 12.5 @ 8 (fee 0.1 -> 799.8)
        // average price (10 * 10 + 12.5 * 8) / 22.5 = 8.888..., take profit above 9.333...
        // 5: a third buy is refused by max_buys (2)
        // 6: close 10: SELL half = 11.25 @ 10 (value 112.5 >= 100): proceeds 112.5, fee 0.1125 -> 912.1875;
        //    basis sold 200.2 / 2 = 100.1 -> realised 12.2875
        // 7: close 10: half would be worth 56.25 < 100 -> SELL all 11.25 @ 10 -> 1024.575; realised 12.2875
        //    (no buy on this kline although it is an even one: the strategy returns after a take profit)
        ReferenceKlines k = ReferenceKlines.ofOhlc(JAN_1_2024, HOUR, new double[][] {
                {10, 10, 10, 10}, {10, 10, 10, 10}, {10, 10, 10, 10}, {8, 8, 8, 8},
                {8, 8, 8, 8}, {8, 8, 8, 8}, {10, 10, 10, 10}, {10, 10, 10, 10},
        });
        ReferenceResult r = run(new DcaTakeProfit(), k, Map.of("every_n_klines", 2, "quote_per_buy", 100,
                "max_buys", 2, "min_sell_value", 100));
        assertEquals("BUY@1 BUY@3 SELL@6 SELL@7", sides(r));
        List<ReferenceFill> f = r.trades();
        assertAmount("10", f.get(0).amount());
        assertAmount("12.5", f.get(1).amount());
        assertAmount("799.8", f.get(1).balanceAfter());
        assertAmount("11.25", f.get(2).amount());
        assertAmount("912.1875", f.get(2).balanceAfter());
        assertAmount("12.2875", f.get(2).realised());
        assertAmount("11.25", f.get(3).amount());
        assertAmount("1024.575", f.get(3).balanceAfter());
        assertAmount("1024.575", r.finalBalance());
        assertAmount("1", r.winRate());
        assertAmount("0.425", r.quoteFee());
        assertTrue(r.equityCurve().getLast().position().signum() == 0);
    }

    @Test
    void rsiMacdBuysOversoldWhenMacdTurnsUpAndSellsOverboughtWhenItTurnsDown() {
        // rsi 2; macd fast 1 (its EMA is the last close), slow 3 and signal 3 (k = 0.5); runs from 3 + 3 = 6 closes.
        //  i  close  EMA3 of closes  MACD = close - EMA3  signal (EMA3 of MACD)  hist      RSI(2)
        //  4  10     10              0                    0                      0         50
        //  5   8     9               -1                   -0.5                   -0.5      0     (first run; no prev)
        //  6   6     7.5             -1.5                 -1                     -0.5      0
        //  7   7     7.25            -0.25                -0.625                 0.375     33.3  (+1 / -2)
        //      -> RSI < 35, hist > 0, prev MACD -1.5 <= prev signal -1: BUY at 7
        //  8   6.5   6.875           -0.375               -0.5                   0.125     66.7
        //  9   9     7.9375          1.0625               0.28125                0.78125   83.3
        // 10  12     9.96875         2.03125              1.15625                0.875     100
        // 11  11     10.484375       0.515625             0.8359375              -0.3203125 75   (+3 / -1)
        //      -> RSI > 65, hist < 0, prev MACD 2.03125 >= prev signal 1.15625: SELL at 11
        ReferenceResult r = run(new RsiMacd(), closes(10, 10, 10, 10, 10, 8, 6, 7, 6.5, 9, 12, 11, 12.5),
                Map.of("rsi_period", 2, "macd_fast", 1, "macd_slow", 3, "macd_signal", 3));
        assertEquals("BUY@7 SELL@11", sides(r));
    }
}
