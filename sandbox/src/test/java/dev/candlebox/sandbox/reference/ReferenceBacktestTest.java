package dev.candlebox.sandbox.reference;

import static dev.candlebox.sandbox.reference.Amounts.assertAmount;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference loop and metrics on six hand-made hourly klines across two UTC days. */
class ReferenceBacktestTest {

    /** 2024-01-01T21:00:00Z */
    private static final long START = 1_704_142_800_000L;
    private static final long HOUR = 3_600_000L;

    // open, high, low, close
    private static final ReferenceKlines SIX = ReferenceKlines.ofOhlc(START, HOUR, new double[][] {
            {100, 101, 99, 100},   // 0  21:00 day 1
            {100, 102, 98, 100},   // 1  22:00
            {100, 100, 94, 95},    // 2  23:00
            {95, 111, 95, 110},    // 3  00:00 day 2
            {110, 112, 104, 105},  // 4  01:00
            {105, 106, 96, 98},    // 5  02:00
    });

    /** Buys 1 at kline 1, sells all at kline 3, buys 2 at kline 4; records what it was shown. */
    private static final class Scripted implements ReferenceStrategy {
        final List<Integer> windowSizes = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
            windowSizes.add(cache.size());
            double[] closes = cache.closes();
            assertEquals(kline.close(), closes[closes.length - 1]);
            switch (kline.index()) {
                case 1 -> context.buy(kline.close(), 1);
                case 3 -> context.sellAll(kline.close());
                case 4 -> context.buy(kline.close(), 2);
                default -> { }
            }
        }

        @Override
        public void onTrade(ReferenceFill trade) {
            events.add("trade " + trade.side() + " at " + trade.klineIndex());
        }

        @Override
        public void onDayEnd(String date, ReferenceAccount context) {
            events.add("day end " + date + " after " + (windowSizes.size() - 1));
        }
    }

    @Test
    void equityFeesDrawdownAndWinRateAsWorkedOutByHand() {
        Scripted strategy = new Scripted();
        ReferenceResult r = ReferenceBacktest.run(SIX, strategy, Map.of("klineWndSize", 3),
                new BigDecimal("1000"), new BigDecimal("0.001"));

        // k1 buy 1 @100: cost 100, fee 0.1 -> balance 899.9
        // k3 sell 1 @110: proceeds 110, fee 0.11 -> balance 1009.79; realised 109.89 - 100.1 = 9.79 (a win)
        // k4 buy 2 @105: cost 210, fee 0.21 -> balance 799.58
        assertEquals(3, r.totalTrades());
        assertAmount("899.9", r.trades().get(0).balanceAfter());
        assertAmount("1009.79", r.trades().get(1).balanceAfter());
        assertAmount("9.79", r.trades().get(1).realised());
        assertAmount("799.58", r.trades().get(2).balanceAfter());
        assertAmount("0.21", r.trades().get(2).fee());

        // equity = balance + position * close:
        // k0 1000; k1 899.9 + 100 = 999.9; k2 899.9 + 95 = 994.9; k3 1009.79;
        // k4 799.58 + 2 * 105 = 1009.58; k5 799.58 + 2 * 98 = 995.58
        String[] equity = {"1000", "999.9", "994.9", "1009.79", "1009.58", "995.58"};
        for (int i = 0; i < equity.length; i++) {
            assertAmount(equity[i], r.equityCurve().get(i).equity());
            assertEquals(START + i * HOUR, r.equityCurve().get(i).timestamp());
        }
        assertAmount("2", r.equityCurve().get(5).position());
        assertAmount("799.58", r.equityCurve().get(5).balance());

        assertAmount("995.58", r.finalBalance());
        assertAmount("-4.42", r.profit());
        assertAmount("-0.00442", r.profitRate());
        // peak 1009.79 at k3, lowest equity after it 995.58 at k5: (1009.79 - 995.58) / 1009.79 = 14.21 / 1009.79
        // (the fall to 994.9 at k2 is 5.1 / 1000 = 0.0051, smaller)
        assertEquals(new BigDecimal("14.21").divide(new BigDecimal("1009.79"), MathContext.DECIMAL128), r.maxDrawdown());
        assertAmount("1", r.winRate());
        assertAmount("0.42", r.quoteFee()); // 0.1 + 0.11 + 0.21
        assertAmount("0", r.baseFee());
        assertAmount("2", r.baseAsset());
        assertAmount("799.58", r.quoteAsset());
    }

    @Test
    void theCacheHoldsTheLastKlineWndSizeKlinesAndCallbacksComeInOrder() {
        Scripted strategy = new Scripted();
        ReferenceBacktest.run(SIX, strategy, Map.of("klineWndSize", 3), new BigDecimal("1000"),
                new BigDecimal("0.001"));
        assertEquals(List.of(1, 2, 3, 3, 3, 3), strategy.windowSizes);
        assertEquals(List.of("trade BUY at 1", "day end 2024-01-01 after 2", "trade SELL at 3", "trade BUY at 4",
                "day end 2024-01-02 after 5"), strategy.events);
    }

    @Test
    void aRoundTripAtTheSamePriceLosesItsFeesAndCountsAsALoss() {
        ReferenceStrategy flat = new ReferenceStrategy() {
            @Override
            public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams p) {
                if (kline.index() == 0) {
                    context.buy(100, 1);
                } else if (kline.index() == 1) {
                    context.sellAll(100);
                }
            }
        };
        ReferenceResult r = ReferenceBacktest.run(SIX, flat, Map.of(), new BigDecimal("1000"), new BigDecimal("0.001"));
        // buy: 100 + 0.1; sell: 100 - 0.1 -> realised 99.9 - 100.1 = -0.2: a loss although the price did not move
        assertAmount("-0.2", r.trades().get(1).realised());
        assertAmount("0", r.winRate());
        assertAmount("999.8", r.finalBalance());
        // the drawdown is the fee loss: 0.1 / 1000 at k0 (equity 999.9), then 0.2 / 1000 from k1 on
        assertAmount("0.0002", r.maxDrawdown());
    }

    @Test
    void withoutSellsTheWinRateIsZeroAndEquityFollowsTheClose() {
        ReferenceResult r = ReferenceBacktest.run(SIX, (c, k, w, p) -> { }, Map.of(), new BigDecimal("1000"),
                new BigDecimal("0.001"));
        assertEquals(0, r.totalTrades());
        assertAmount("0", r.winRate());
        assertAmount("0", r.maxDrawdown());
        assertAmount("1000", r.finalBalance());
    }
}
