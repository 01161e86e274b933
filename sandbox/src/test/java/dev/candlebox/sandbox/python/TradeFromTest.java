package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestResult;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code strategyParams.tradeFrom} (walk-forward's out-of-sample start): the strategy sees the klines before it
 * (its indicators warm up) but its orders there are dropped, as refused orders, and counted.
 */
class TradeFromTest {
    /** On every kline: the 3-close SMA of the cache, then an order on klines 1 (warm-up) and 2 (traded). */
    private static final String CODE = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    i = len(self.kline_cache)
                    print(i, calculate_sma(self.kline_cache.get_closes(), 3))
                    if i == 2:
                        print(context.buy(kline.close, 1, kline.open_time), context.order("buy", 1, "limit", price=50))
                    if i == 3:
                        print(context.buy(kline.close, 1, kline.open_time))
            """;

    @Test
    void aBuyBeforeTradeFromIsDroppedAndOneAfterFillsWithTheIndicatorsOfTheWholeRange() {
        var k = Klines.hourly(1, 100, 102, 101, 105, 103);
        var out = TestPool.run(TestPool.request(CODE, k, Map.of("tradeFrom", Klines.T0 + 2 * Klines.HOUR)));
        BacktestResult r = succeeded(out);
        String warm = logs(out);
        var whole = TestPool.run(TestPool.request(CODE, k, Map.of()));
        // kline 1 (warm-up): both orders refused (False, None); kline 2: SMA(100, 102, 101) = 101, the buy fills
        assertEquals("1 None\n2 None\nFalse None\n3 101.0\nTrue\n4 102.66666666666667\n5 103.0\n", warm);
        assertEquals(logs(whole).lines().filter(l -> l.matches("\\d .*")).toList(),
                warm.lines().filter(l -> l.matches("\\d .*")).toList(), "the indicators see the warm-up klines");
        assertEquals(1, r.totalTrades());
        assertEquals(2, r.trades().get(0).klineIndex());
        assertEquals(2, r.dataQuality().droppedOrders(), "the buy and the limit order of kline 1");
        // buy 1 @ 101, fee 0.101: balance 9898.899; equity at the closes 101, 105, 103
        assertEquals(0, new BigDecimal("10001.899").compareTo(r.finalBalance()), r.finalBalance().toString());
        assertArrayEquals(new double[]{10000, 10000, 9898.899 + 101, 9898.899 + 105, 9898.899 + 103},
                r.equityCurve().equity(), 1e-9);
    }

    @Test
    void tradeFromBetweenKlinesStartsAtTheNextKlineAndBeforeTheFirstChangesNothing() {
        var k = Klines.hourly(1, 100, 102, 101);
        assertEquals(2, PreparedRun.tradeFromIndex(k, Klines.T0 + Klines.HOUR + 1));
        assertEquals(0, PreparedRun.tradeFromIndex(k, Klines.T0 - 5));
        assertEquals(0, PreparedRun.tradeFromIndex(k, null));
        assertEquals(3, PreparedRun.tradeFromIndex(k, Klines.T0 + 10 * Klines.HOUR), "never trades");
    }
}
