package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.Trading;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.strategy;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile strategies on the order surface of contract section 6 (context.order, cancel, open_orders,
 * brackets), run through the shared worker pool like {@link AdversarialTest}. Each asserts a concrete
 * outcome: what the calls returned, what reached the account, that the run succeeded.
 */
class OrdersAdversarialTest {

    static Trading futures(int leverage) {
        return new Trading(Trading.Market.FUTURES, leverage, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED,
                BigDecimal.ZERO, new BigDecimal("0.0002"), new BigDecimal("0.0005"), Trading.Intrabar.PESSIMISTIC);
    }

    static BacktestRequest request(String code, KlineSeries k, Trading t) {
        return new BacktestRequest(code, k, Map.of(), new BigDecimal("10000"), new BigDecimal("0.001"), "BTC", "USDT",
                t, null, null);
    }

    static RunOutcome run(String code, KlineSeries k, Trading t) {
        return TestPool.run(TestPool.pool(), request(code, k, t), null);
    }

    @Test
    void ordersAndBracketsWithAbsurdValuesAreRefusedAndTheRunSucceeds() {
        var k = Klines.hourly(1, 100, 100, 100, 100);
        String code = strategy("""
                n = len(self.kline_cache)
                p = kline.close
                if n == 1:
                    context.buy(p, 1, '')
                if n == 2:
                    o = context.order
                    a = [o('buy', float('nan'), 'limit', price=p), o('buy', 1, 'limit', price=float('nan')),
                         o('buy', float('inf'), 'limit', price=p), o('buy', 1, 'limit', price=float('-inf')),
                         o('buy', -1, 'limit', price=p), o('buy', 1, 'limit', price=-p), o('buy', 0, 'limit', price=p),
                         o('buy', 1e400, 'limit', price=p), o('buy', 1, 'limit', price=1e400),
                         o('buy', 10 ** 400, 'limit', price=p), o('sell', 1, 'stop', stop=10 ** 400),
                         o('buy', '9' * 100000, 'limit', price=p), o('buy', 1, 'limit', price='9' * 100000),
                         o('buy', Decimal('NaN'), 'limit', price=p), o('buy', 1, 'limit', price=Decimal('-Infinity')),
                         o('buy', 1, 'limit', price=Decimal('1E-999999')), o('buy', [1], 'limit', price=p),
                         o('buy', True, 'limit', price=p), o('buy', None, 'limit', price=p),
                         o(1, 1, 'limit', price=p), o('BUY', 1, 'limit', price=p), o(None, 1, 'limit', price=p),
                         o('buy', 1, 'market', price=p), o('buy', 1, None, price=p), o('buy', 1, 7, price=p),
                         o('buy', 1, 'limit', price=p, reduce_only=1), o('buy', 1, 'limit', price=p, reduce_only='yes'),
                         o('buy', 1, 'limit', price=p, reduce_only=None),
                         o('buy', 1, 'limit', price=p, expire_after=0), o('buy', 1, 'limit', price=p, expire_after=-1),
                         o('buy', 1, 'limit', price=p, expire_after=1.5), o('buy', 1, 'limit', price=p, expire_after=True),
                         o('buy', 1, 'limit', price=p, expire_after=2 ** 40), o('buy', 1, 'limit', price=p, expire_after='3'),
                         o('buy', 1, 'limit', price=p, tag=5), o('buy', 1, 'limit', price=p, tag='x' * 10000),
                         o('buy', 1, 'limit', price=p, tag=b'bytes'),
                         o('buy', 1, 'limit'), o('buy', 1, 'limit', price=p, stop=p), o('buy', 1, 'stop'),
                         o('buy', 1, 'stop', price=p, stop=p), o('buy', 1, 'stop_limit', price=p), o('buy', 1, 'stop_limit', stop=p)]
                    b = [context.set_stop_loss(float('nan')), context.set_stop_loss(pct=float('inf')), context.set_stop_loss(-5),
                         context.set_stop_loss(price=p, pct=0.1), context.set_stop_loss(10 ** 400), context.set_stop_loss(pct=1.5),
                         context.set_take_profit(price='100'), context.set_take_profit(pct=-0.5), context.set_take_profit(price=[1]),
                         context.set_take_profit(pct=1e-300), context.set_trailing_stop(pct=1.5), context.set_trailing_stop(pct=0),
                         context.set_trailing_stop(distance=-1), context.set_trailing_stop(pct=0.1, distance=1),
                         context.set_trailing_stop(distance=float('nan'))]
                    print(a.count(None), len(a), b.count(False), len(b), len(context.open_orders),
                          context.stop_loss, context.take_profit, context.trailing_stop, context.position == 1,
                          context.cancel(1), len(context.trades))
                """);
        var out = run(code, k, futures(5));
        BacktestResult r = succeeded(out);
        // 43 orders, all refused (None); 15 brackets, all refused (False); nothing open, no bracket set;
        // the position is the one buy of kline 1; cancel(1) finds nothing (no order was ever issued).
        assertEquals("43 43 15 15 0 None None None True False 1\n", logs(out));
        assertEquals(1, r.totalTrades());
        assertEquals(0, r.orders().size());
    }

    @Test
    void cancellingIdsThatWereNeverIssuedOrBelongToAnotherRunReturnsFalse() throws Exception {
        var k = Klines.hourly(1, 100, 100, 100);
        // Run A issues ids 1..3 (tag 'A'); run B, submitted at the same time, issues only id 1 (tag 'B').
        String a = strategy("""
                if len(self.kline_cache) == 1:
                    print([context.order('buy', 1, 'limit', price=50, tag='A') for _ in range(3)])
                """);
        String b = strategy("""
                if len(self.kline_cache) == 1:
                    mine = context.order('buy', 1, 'limit', price=50, tag='B')
                    print(mine, [context.cancel(x) for x in (0, -1, 2, 3, 2 ** 70, 2 ** 62, -(2 ** 70))],
                          context.cancel('1'), context.cancel(1.0), context.cancel(True), context.cancel(None),
                          context.cancel(Decimal(1)))
                    print([(o.id, o.tag) for o in context.open_orders])
                    print(context.cancel(mine), context.cancel(mine), len(context.open_orders))
                """);
        var ha = TestPool.pool().submit(request(a, k, futures(1)), null);
        var hb = TestPool.pool().submit(request(b, k, futures(1)), null);
        var oa = ha.outcome().get(120, TimeUnit.SECONDS);
        var ob = hb.outcome().get(120, TimeUnit.SECONDS);
        BacktestResult ra = succeeded(oa);
        BacktestResult rb = succeeded(ob);
        assertEquals("[1, 2, 3]\n", logs(oa));
        assertEquals("1 [False, False, False, False, False, False, False] False False False False False\n"
                + "[(1, 'B')]\n"
                + "True False 0\n", logs(ob));
        // A's orders were not touched by B: all three still open at the end
        assertEquals(3, ra.orders().size());
        assertTrue(ra.orders().stream().allMatch(o -> o.status() == Order.Status.OPEN && "A".equals(o.tag())));
        assertEquals(1, rb.orders().size());
        assertEquals(Order.Status.CANCELLED, rb.orders().get(0).status());
    }

    @Test
    void floodingRestingOrdersStopsAtAThousandOpenAndTheRunFinishes() {
        var k = Klines.hourly(1, 100, 100, 100, 100, 100);
        // 100 000 buy limits at 1 (never reached): the first 1000 get ids 1..1000, the rest None;
        // on every later kline another 1000 attempts all fail (still 1000 open).
        String code = strategy("""
                n = len(self.kline_cache)
                if n == 1:
                    ids = [context.order('buy', 1, 'limit', price=1) for _ in range(100000)]
                    got = [i for i in ids if i is not None]
                    print(len(got), got[0], got[-1], ids.count(None), len(context.open_orders))
                else:
                    ids = [context.order('sell', 1, 'stop', stop=1) for _ in range(1000)]
                    print(ids.count(None), len(context.open_orders))
                """);
        long t0 = System.nanoTime();
        var out = run(code, k, futures(1));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        BacktestResult r = succeeded(out);
        assertEquals("1000 1 1000 99000 1000\n" + "1000 1000\n".repeat(4), logs(out));
        assertEquals(1000, r.orders().size());
        assertTrue(r.orders().stream().allMatch(o -> o.status() == Order.Status.OPEN));
        assertEquals(0, r.totalTrades());
        assertTrue(seconds < 90, "within the pool's wall time: " + seconds + " s");
    }

    @Test
    void queuingImmediateOrdersForTheNextOpenStopsAtAThousand() {
        var k = Klines.hourly(1, 100, 100, 100);
        Trading nextOpen = new Trading(Trading.Market.FUTURES, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.NEXT_OPEN,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, Trading.Intrabar.PESSIMISTIC);
        // 5000 queued buys of 0.001 at kline 0: 1000 queued (True), 4000 refused (False); at kline 1's open
        // the 1000 fill (1000 × 0.001 × 100 = 100 of margin, no fee): position 1.
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    r = [context.buy(kline.close, 0.001, '') for _ in range(5000)]
                    print(r.count(True), r.count(False))
                if len(self.kline_cache) == 2:
                    print(context.position == 1, len(context.trades))
                """);
        var out = run(code, k, nextOpen);
        BacktestResult r = succeeded(out);
        assertEquals("1000 4000\nTrue 1000\n", logs(out));
        assertEquals(1000, r.totalTrades());
        assertEquals(0, r.dataQuality().droppedOrders());
    }

    @Test
    void contextValuesAndOpenOrderViewsAreReadOnly() {
        var k = Klines.hourly(1, 100, 100, 100);
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    context.buy(kline.close, 1, '')
                    context.order('sell', 1, 'limit', price=150, tag='t')
                    v = context.open_orders[0]
                    errors = []
                    def attempt(f):
                        try:
                            f()
                            errors.append('ok')
                        except AttributeError:
                            errors.append('AE')
                        except TypeError:
                            errors.append('TE')
                    for name in ('leverage', 'margin_used', 'liquidation_price', 'funding_paid', 'stop_loss',
                                 'take_profit', 'trailing_stop', 'open_orders', 'balance', 'position', 'exchange'):
                        attempt(lambda: setattr(context, name, 1))
                    for name in ('id', 'price', 'amount', 'side', 'tag', 'reduce_only', 'extra'):
                        attempt(lambda: setattr(v, name, 1))
                    def set_item():
                        v[4] = 1
                    def del_attr():
                        del context.open_orders
                    attempt(set_item)
                    attempt(del_attr)
                    attempt(lambda: context.open_orders.append(v))
                    print(errors)
                    print(context.open_orders[0].price == 150, context.leverage, context.position == 1)
                """);
        var out = run(code, k, futures(3));
        succeeded(out);
        assertEquals("['AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', "
                + "'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'AE', 'TE', 'AE', 'AE']\n"
                + "True 3 True\n", logs(out));
    }

    @Test
    void leverageOutsideOneTo125IsRefusedByTheTradingRecord() {
        for (int bad : new int[]{0, -1, 126, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> futures(bad), "leverage " + bad);
        }
        assertEquals(1, futures(1).leverage());
        assertEquals(125, futures(125).leverage());
    }

    @Test
    void openOrderViewsAndTheContextHoldNoJavaObjectAndNothingOfOtherRuns() {
        var k = Klines.hourly(1, 100, 100, 100);
        // A tag carrying the wire format's separators comes back verbatim and changes no fill; the view's
        // fields are plain Python values; the exchange is not reachable by any name.
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    context.order('sell', 2, 'stop_limit', price=90, stop=95, reduce_only=False, tag='1;buy;order;1;1e9\\n2')
                    v = context.open_orders[0]
                    print([type(x).__name__ for x in v], type(v).__name__, v.tag == '1;buy;order;1;1e9\\n2')
                    print([n for n in dir(context) if 'xchange' in n.lower() or 'sync' in n.lower()])
                    found = []
                    for target in (context, v, context.buy, context.order, context.cancel):
                        for name in ('exchange', '__self__', '__closure__', '__globals__', '__class__', 'sync', '_exchange'):
                            try:
                                getattr(target, name)
                                found.append(name)
                            except AttributeError:
                                pass
                    print(found, hasattr(context, 'exchange'), getattr(context, 'sync', 'none'))
                if len(self.kline_cache) == 2:
                    print(len(context.trades), context.balance == 10000, context.position == 0)
                """);
        var out = run(code, k, futures(2));
        BacktestResult r = succeeded(out);
        assertEquals("['int', 'str', 'str', 'AccountDecimal', 'AccountDecimal', 'AccountDecimal', 'bool', 'str'] OpenOrder True\n"
                + "[]\n"
                + "[] False none\n"
                + "0 True True\n", logs(out));
        assertEquals(0, r.totalTrades());
        assertEquals("1;buy;order;1;1e9\n2", r.orders().get(0).tag());
    }

    @Test
    void decimalsWithHugeExponentsAreRefusedAndTheRunSucceeds() {
        var k = Klines.hourly(1, 100, 100, 100);
        // Decimal('1E+400') is 6 characters, no amount a 10 000 USDT account can trade; Decimal('1E+999999999')
        // (1 significant digit, 12 characters) would make an exact sum with the wallet a billion-digit number.
        // Each must be refused like any other absurd value (False / None) and the run must succeed.
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    p = kline.close
                    print(context.buy(p, Decimal('1E+400'), ''))
                    print(context.order('buy', Decimal('1E+999999999'), 'limit', price=p))
                    print(context.order('sell', 1, 'limit', price=Decimal('1E+999999999')))
                    print(context.buy(Decimal('1E+999999999'), 1, ''))
                    print(context.sell(p, Decimal('1E+999999999'), ''))
                    print(context.set_stop_loss(Decimal('1E+999999999')), len(context.trades))
                """);
        var out = run(code, k, futures(1));
        BacktestResult r = succeeded(out);
        assertEquals("False\nNone\nNone\nFalse\nFalse\nFalse 0\n", logs(out));
        assertEquals(0, r.totalTrades());
        assertEquals(0, r.orders().size());
        assertEquals(0, new BigDecimal("10000").compareTo(r.finalBalance()));
    }
}
