package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static dev.candlebox.sandbox.Outcomes.failed;
import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.strategy;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategy API end to end through a worker, against numbers computed by hand. */
class StrategyApiTest {

    @Test
    void aRoundTripIsAccountedAsComputedByHand() {
        var k = Klines.hourly(1, 100, 102, 101, 105, 103);
        String code = strategy("""
                i = len(self.kline_cache)
                if i == 2:
                    print(context.buy(kline.close, 10, kline.open_time))
                if i == 4:
                    print(context.sell(kline.close, 10, 'any timestamp'))
                """);
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertEquals("True\nTrue\n", logs(out));
        // buy 10 @ 102: cost 1020 + fee 1.02; sell 10 @ 105: 1050 - 1.05.
        assertEquals(0, new BigDecimal("10027.93").compareTo(r.finalBalance()), r.finalBalance().toString());
        assertEquals(0, new BigDecimal("27.93").compareTo(r.profit()));
        assertEquals(0, new BigDecimal("0.002793").compareTo(r.profitRate()));
        assertEquals(0, new BigDecimal("2.07").compareTo(r.quoteFee()));
        assertEquals(0, BigDecimal.ONE.compareTo(r.winRate()));
        assertEquals(2, r.totalTrades());
        assertEquals(Side.BUY, r.trades().get(0).side());
        assertEquals(1, r.trades().get(0).klineIndex());
        assertEquals(Klines.T0 + Klines.HOUR, r.trades().get(0).timestamp());
        assertEquals(Klines.T0 + 3 * Klines.HOUR, r.trades().get(1).timestamp(), "the engine's time, not the strategy's");
        assertEquals(0, new BigDecimal("8978.98").compareTo(r.trades().get(0).balance()));
        assertArrayEquals(new double[]{10000, 8978.98 + 1020, 8978.98 + 1010, 10027.93, 10027.93},
                r.equityCurve().equity(), 1e-9);
        assertEquals((10000 - (8978.98 + 1010)) / 10000, r.maxDrawdown().doubleValue(), 1e-12);
    }

    @Test
    void aRestingFillReachesOnTradeBeforeTheNextRunAndAnErrorThereIsReportedAtItsLine() {
        // kline 1: open 100, high 103, low 99; a sell limit at 101 placed on kline 0 fills there, at 101
        var k = Klines.hourly(1, 100, 102, 103);
        String seen = """
                class Strategy(IStrategy):
                    def on_trade(self, trade):
                        print(trade["type"], trade["reason"], trade["price"], len(self.kline_cache))
                    def run(self, context, kline, params):
                        if len(self.kline_cache) == 1:
                            context.buy(kline.close, 1)
                            context.order("sell", 1, "limit", price=101)
                        elif len(self.kline_cache) == 2:
                            print(context.position, context.balance)
                """;
        var out = TestPool.run(seen, k);
        succeeded(out);
        // buy 1 @ 100 (fee 0.1); the limit fills at 101 (maker fee = feeRate 0.001: 0.101) and on_trade hears of
        // it before run() sees kline 1 (the cache still holds 1 kline); balance 10000 - 100.1 + 101 - 0.101
        assertEquals("buy order 100.0 1\nsell limit 101.0 1\n0 10000.7990\n", logs(out));

        String raising = seen.replace("print(trade[\"type\"], trade[\"reason\"], trade[\"price\"], len(self.kline_cache))",
                "if trade[\"reason\"] == \"limit\":\n            raise ValueError(\"limit filled at %s\" % trade[\"price\"])");
        RunError e = failed(TestPool.run(raising, k), RunError.RUNTIME_ERROR);
        assertTrue(e.message().contains("limit filled at 101.0"), e.message());
        assertEquals(4, e.line(), e.toString());
    }

    @Test
    void accountValuesAreDecimalsThatAlsoDivideByAFloat() {
        var k = Klines.hourly(1, 100, 100);
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    print(float(context.balance / kline.close))
                    print(repr(context.balance / 3))
                    print(isinstance(context.balance, Decimal), context.position == 0, context.fee_rate)
                    print(context.initial_balance * 2, context.balance * 0.5)
                    try:
                        context.balance = Decimal('1e12')
                    except AttributeError as e:
                        print('read-only:', e)
                    print(context.balance)
                """);
        var out = TestPool.run(code, k);
        succeeded(out);
        assertEquals("""
                100.0
                Decimal('3333.333333333333333333333333')
                True True 0.001
                20000 5000.0
                read-only: context.balance is read-only: the engine keeps the account
                10000
                """, logs(out));
    }

    @Test
    void dayEndAndTradeCallbacksAndParamsReachTheStrategy() {
        double[] closes = new double[30];
        for (int i = 0; i < 30; i++) closes[i] = 100 + i;
        var k = Klines.hourly(1, closes);
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        if len(self.kline_cache) == 1:
                            print('params', params['fast'], params['klineWndSize'])
                            context.buy(kline.close, 1, kline.open_time)
                    def on_trade(self, trade):
                        print('trade', trade['type'], trade['price'], trade['amount'], trade['timestamp'], trade['fee'])
                    def on_day_end(self, date, context):
                        print('day', date, len(self.kline_cache), self.kline_cache.get_closes()[-1])
                """;
        var out = TestPool.run(TestPool.request(code, k, Map.of("fast", 7, "klineWndSize", 10)));
        succeeded(out);
        assertEquals("""
                params 7 10
                trade buy 100.0 1.0 2024-01-01T00:00:00+00:00 0.1
                day 2024-01-01 10 123.0
                day 2024-01-02 10 129.0
                """, logs(out));
    }

    @Test
    void paramsOfEveryJsonTypeArriveAsPythonValues() {
        var k = Klines.hourly(1, 100);
        String code = strategy("""
                for key in sorted(params):
                    v = params[key]
                    print(key, type(v).__name__, repr(v))
                print(type(params).__name__, params['nested']['list'][2]['deep'] + 1)
                """);
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("list", java.util.Arrays.asList(1, "two", Map.of("deep", 41), null));
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("int", 7);
        params.put("long", 12_345_678_901L);
        params.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        params.put("float", 0.95);
        params.put("text", "héllo");
        params.put("yes", true);
        params.put("none", null);
        params.put("nested", nested);
        var out = TestPool.run(TestPool.request(code, k, params));
        succeeded(out);
        assertEquals("""
                big int 123456789012345678901234567890
                float float 0.95
                int int 7
                long int 12345678901
                nested dict {'list': [1, 'two', {'deep': 41}, None]}
                none NoneType None
                text str 'héllo'
                yes bool True
                dict 42
                """, logs(out));
    }

    @Test
    void accountValuesCompareExactlyWithFloatsAndInts() {
        // Expected by hand: Decimal compares with floats and ints by exact value. 0.1 as a float is
        // 0.1000000000000000055511151231257827..., so Decimal('0.1') is below it; 8978.98 as a float is
        // 8978.97999999999956344..., so Decimal('8978.98') is above it; 2**53 + 1 is no float.
        var k = Klines.hourly(1, 100);
        String code = strategy("""
                D = type(context.balance)
                big = 2 ** 53 + 1
                cases = [
                    (D('0.1'), 0.1), (D('0.1000000000000000055511151231257827021181583404541015625'), 0.1),
                    (D('8978.98'), 8978.98), (D('8978.98'), 8978), (D('8978.98'), 8979), (D('0'), 0),
                    (D('0'), -0.0), (D('-0'), 0), (D('1E-30'), 0), (D('-1E-30'), 0.0), (D(big), big),
                    (D(big - 1), big), (D('9007199254740993.5'), big), (D('1e400'), 1e308),
                ]
                for a, b in cases:
                    print(a == b, a != b, a < b, a <= b, a > b, a >= b, bool(a))
                # and the same as plain Decimal's own comparisons, over a grid
                wrong = 0
                values = [D(x) for x in ('0', '-0', '1E-30', '0.1', '0.3', '1', '2.5', '-2.5', '100', '1e20', '9007199254740993')]
                others = [0, 1, -1, 2, 100, 0.0, 0.1, 0.3, 2.5, -2.5, 1e20, 1e-30, float('inf'), float('-inf'), 2 ** 53, 2 ** 53 + 1, 10 ** 30]
                for a in values:
                    p = Decimal(str(a))
                    for b in others:
                        if (a == b, a != b, a < b, a <= b, a > b, a >= b) != (p == b, p != b, p < b, p <= b, p > b, p >= b):
                            wrong += 1
                print('grid', len(values) * len(others), 'wrong', wrong)
                print(float(D('0.1')), float(D('8978.98')) == 8978.98)
                """);
        var out = TestPool.run(code, k);
        succeeded(out);
        assertEquals("""
                False True True True False False True
                True False False True False True True
                False True False False True True True
                False True False False True True True
                False True True True False False True
                True False False True False True False
                True False False True False True False
                True False False True False True False
                False True False False True True True
                False True True True False False True
                True False False True False True True
                False True True True False False True
                False True False False True True True
                False True False False True True True
                grid 187 wrong 0
                0.1 True
                """, logs(out));
    }

    @Test
    void indicatorsMatchAPlainComputation() {
        double[] data = {44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61,
                46.28, 46.28, 46.00, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03,
                44.18, 44.22, 44.57, 43.42, 42.66, 43.13, 43.50, 43.10, 42.90, 43.70};
        StringBuilder py = new StringBuilder("[");
        for (double d : data) py.append(d).append(',');
        py.append(']');
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    d = DATA
                    print(repr(calculate_sma(d, 5)), calculate_sma(d[:3], 5), calculate_sma(d, 0))
                    print(repr(calculate_ema(d, 10)), calculate_ema(d[:9], 10))
                    print(repr(calculate_rsi(d, 14)), calculate_rsi(d[:14], 14), calculate_rsi([1.0] * 20), calculate_rsi([float(i) for i in range(20)]))
                    m, s, h = calculate_macd(d, 12, 26, 9)
                    print(repr(m), repr(s), repr(h))
                    print(calculate_macd(d[:33]))
                """.replace("DATA", py));
        var out = TestPool.run(code, Klines.hourly(1, 100));
        succeeded(out);
        String[] lines = logs(out).split("\n");
        assertEquals(repr(sma(data, 5)) + " None None", lines[0]);
        assertEquals(repr(ema(data, data.length, 10)) + " None", lines[1]);
        assertEquals(repr(rsi(data, 14)) + " None 50.0 100.0", lines[2]);
        int n = data.length;
        double[] series = new double[n - 26 + 1];
        for (int i = 26; i <= n; i++) series[i - 26] = ema(data, i, 12) - ema(data, i, 26);
        double signal = ema(series, series.length, 9);
        double macd = series[series.length - 1];
        assertEquals(repr(macd) + " " + repr(signal) + " " + repr(macd - signal), lines[3]);
        assertEquals("(None, None, None)", lines[4]);
    }

    // A second, plain implementation of the indicator formulas (docs/sandbox.md), for comparison.
    private static double sma(double[] d, int p) {
        double s = 0;
        for (int i = d.length - p; i < d.length; i++) s += d[i];
        return s / p;
    }

    private static double ema(double[] d, int len, int p) {
        double s = 0;
        for (int i = 0; i < p; i++) s += d[i];
        double e = s / p;
        double k = 2.0 / (p + 1);
        for (int i = p; i < len; i++) e = (d[i] - e) * k + e;
        return e;
    }

    private static double rsi(double[] d, int p) {
        double g = 0, l = 0;
        for (int i = d.length - p; i < d.length; i++) {
            double c = d[i] - d[i - 1];
            if (c > 0) g += c;
            else if (c < 0) l += -c;
        }
        double gain = g / p, loss = l / p;
        return 100 - 100 / (1 + gain / loss);
    }

    /** Python's repr of a float is the shortest round-trip string, as Java's Double.toString since JDK 19. */
    private static String repr(double d) {
        String s = Double.toString(d);
        if (s.contains("E")) {
            BigDecimal b = new BigDecimal(s);
            return b.toString();
        }
        return s;
    }

    @Test
    void theReferenceMovingAverageExampleFailsOnLine16SayingWhichCallReturnedNone() throws java.io.IOException {
        // The reference document's example exactly as printed (the file StrategiesMatchReferenceTest also runs).
        String code;
        try (var in = StrategyApiTest.class.getResourceAsStream("/dev/candlebox/sandbox/reference/printed/ma_cross.py")) {
            code = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        double[] rising = new double[40];
        for (int i = 0; i < 40; i++) rising[i] = 100 + i;
        RunError e = failed(TestPool.run(code, Klines.hourly(1, rising)), RunError.RUNTIME_ERROR);
        assertEquals(16, e.line());
        assertTrue(e.message().startsWith("TypeError: '<=' not supported between instances of 'float' and 'NoneType'"), e.message());
        assertTrue(e.message().contains("prev_slow is None: calculate_sma(closes[:-1], slow_period) on line 13 returned None"), e.message());
        assertTrue(e.traceback().contains("line 16, in run"), e.traceback());
        assertTrue(!e.traceback().contains("runner.py") && !e.traceback().contains("strategy_api.py"), e.traceback());
    }

    @Test
    void anExceptionInsideAnIndicatorPointsAtTheUsersCall() {
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        x = 1
                        calculate_sma(None, 3)
                """;
        RunError e = failed(TestPool.run(code, Klines.hourly(1, 100, 101)), RunError.RUNTIME_ERROR);
        assertEquals(4, e.line());
        assertTrue(e.message().startsWith("TypeError"), e.message());
    }

    @Test
    void getAvgPositionPriceIsTheAverageOfTheOpenPosition() {
        var k = Klines.hourly(50, 100, 200, 150, 120, 130);
        String code = strategy("""
                i = len(self.kline_cache)
                if i == 1: context.buy(100.0, 10, '')
                if i == 2: context.buy(200.0, 5, '')
                if i == 3:
                    context.sell(150.0, 5, '')
                    print(round(context.get_avg_position_price(), 6))
                if i == 4:
                    context.sell_all(120.0, '')
                    print(context.get_avg_position_price())
                if i == 5:
                    context.buy(130.0, 1, '')
                    print(context.get_avg_position_price())
                """);
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertEquals("133.333333\n0.0\n130.0\n", logs(out));
        assertEquals(0, new BigDecimal("0.5").compareTo(r.winRate()), "one winning sell of two");
    }
}
