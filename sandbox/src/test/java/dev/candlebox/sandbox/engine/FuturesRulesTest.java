package dev.candlebox.sandbox.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rules of docs/orders.md (contract section 6) on hand-made klines, driving the engine directly.
 * Every expected number is worked out by hand in the comment above its assertion from the documented
 * rules, never taken from the engine's output, and compared exactly (BigDecimal.compareTo).
 */
class FuturesRulesTest {
    static final long H = 3_600_000L;
    static final long M = 60_000L;

    static final BigDecimal MAKER = new BigDecimal("0.0002");
    static final BigDecimal TAKER = new BigDecimal("0.0005");

    /** Hourly klines from time 0, one {open, high, low, close} row each. */
    static KlineSeries klines(double[]... ohlc) {
        long[] t = new long[ohlc.length];
        for (int i = 0; i < t.length; i++) t[i] = i * H;
        return klinesAt(t, H, ohlc);
    }

    /** Klines opening at the given times, each lasting {@code length} ms. */
    static KlineSeries klinesAt(long[] openTime, long length, double[]... ohlc) {
        int n = ohlc.length;
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
        long[] ct = new long[n];
        for (int i = 0; i < n; i++) {
            o[i] = ohlc[i][0];
            h[i] = ohlc[i][1];
            l[i] = ohlc[i][2];
            c[i] = ohlc[i][3];
            v[i] = 1;
            ct[i] = openTime[i] + length - 1;
        }
        return KlineSeries.ohlcv(openTime.clone(), o, h, l, c, v, ct);
    }

    static double[] k(double open, double high, double low, double close) {
        return new double[]{open, high, low, close};
    }

    static Trading futures(int leverage, Trading.MarginMode mode, Trading.FillTiming fill, String slippage,
                           Trading.Intrabar intrabar) {
        return new Trading(Trading.Market.FUTURES, leverage, mode, fill, new BigDecimal(slippage), MAKER, TAKER, intrabar);
    }

    static Trading isolated(int leverage) {
        return futures(leverage, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED, "0", Trading.Intrabar.PESSIMISTIC);
    }

    static Backtest backtest(KlineSeries k, String balance, Trading t) {
        return backtest(k, balance, t, FundingSeries.NONE, null);
    }

    static Backtest backtest(KlineSeries k, String balance, Trading t, FundingSeries funding, KlineSeries minutes) {
        return new Backtest(k, new BigDecimal(balance), t, funding, MaintenanceTiers.DEFAULT, minutes, 1000,
                Backtest.DEFAULT_MAX_OPEN_ORDERS, RunListener.NONE);
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static void assertDecimal(String expected, BigDecimal actual) {
        assertDecimal(expected, actual, "");
    }

    static void assertDecimal(String expected, BigDecimal actual, String what) {
        if (actual == null) fail(what + ": expected " + expected + " but was null");
        if (new BigDecimal(expected).compareTo(actual) != 0) {
            fail(what + ": expected " + expected + " but was " + actual.toPlainString());
        }
    }

    static Fill buy(Backtest b, String price, String amount) {
        return b.place(Side.BUY, d(price), d(amount));
    }

    static Fill sell(Backtest b, String price, String amount) {
        return b.place(Side.SELL, d(price), d(amount));
    }

    static Order order(List<Order> orders, long id) {
        return orders.stream().filter(o -> o.id() == id).findFirst().orElseThrow();
    }

    // ---- (1) liquidation ---------------------------------------------------------------------------

    @Test
    void anIsolatedLongIsLiquidatedAtBinancesPriceAndLosesExactlyItsMargin() {
        // k0: 50000 flat-ish; k1 a down kline (close < open): open -> high -> low -> close, the low reaches LP.
        Backtest b = backtest(klines(k(50000, 50100, 49900, 50000), k(48000, 48500, 45000, 46000)), "10000", isolated(10));
        b.advance();
        // buy 1 at 50000 (seed, in [49900, 50100]); taker fee 1 × 50000 × 0.0005 = 25; wallet 10000 − 25 = 9975
        Fill entry = buy(b, "50000", "1");
        assertNotNull(entry);
        assertDecimal("25", entry.fee(), "entry fee");
        assertDecimal("9975", b.account().balance(), "wallet after entry");
        // margin used = |Q| × EP / leverage = 50000 / 10 = 5000
        assertDecimal("5000", b.account().marginUsed(), "margin used");
        // notional 50000 -> default tier MMR 0.004, cum 0; WB = 5000, s = +1, Q = 1:
        // LP = (5000 + 0 − 50000) / (0.004 − 1) = −45000 / −0.996 = 45180.722891566265060240963855421686...
        // rounded to 34 significant digits: 45180.72289156626506024096385542169 (= 0.9 EP / 0.996)
        String lp = "45180.72289156626506024096385542169";
        assertDecimal(lp, b.account().liquidationPrice(), "LP of the long");

        b.advance(); // k1 reaches LP on its way down
        BacktestResult r = b.finish();
        assertEquals(2, r.totalTrades());
        Fill liq = r.trades().get(1);
        assertEquals("liquidation", liq.type());
        assertEquals(Fill.Reason.LIQUIDATION, liq.reason());
        assertEquals(1, liq.klineIndex());
        assertDecimal(lp, liq.price(), "liquidation fill price (exactly LP)");
        assertDecimal("1", liq.amount(), "liquidated amount");
        assertDecimal("0", liq.slippage(), "no slippage on a liquidation");
        // fee = Q × LP × takerFee = 45180.72289156626506024096385542169 × 0.0005
        //     = 22.590361445783132530120481927710845 (exact product; docs/orders.md prints it rounded to 34 digits)
        assertDecimal("22.590361445783132530120481927710845", liq.fee(), "liquidation fee");
        // the wallet loses exactly WB = 5000: 9975 − 5000 = 4975
        assertDecimal("4975", liq.balance(), "wallet after liquidation");
        assertDecimal("4975", r.finalBalance(), "final balance (flat)");
        assertDecimal("0", r.baseAsset(), "position after liquidation");
        assertEquals(1, r.liquidations());
        // fees total 25 + 22.590361445783132530120481927710845
        assertDecimal("47.590361445783132530120481927710845", r.quoteFee(), "fees");
    }

    @Test
    void anIsolatedShortIsLiquidatedAtOnePointOneEntryOver1004() {
        // k1 an up kline (close > open): open -> low -> high -> close, the high reaches LP.
        Backtest b = backtest(klines(k(50000, 50100, 49900, 50000), k(52000, 55000, 51000, 54000)), "10000", isolated(10));
        b.advance();
        // sell 1 at 50000: fee 25, wallet 9975, WB = 5000
        assertNotNull(sell(b, "50000", "1"));
        // s = −1: LP = (5000 + 0 + 50000) / (0.004 + 1) = 55000 / 1.004 = 54780.876494023904382470119521912350...
        // to 34 digits: 54780.87649402390438247011952191235 (= 1.1 EP / 1.004)
        String lp = "54780.87649402390438247011952191235";
        assertDecimal(lp, b.account().liquidationPrice(), "LP of the short");
        b.advance();
        BacktestResult r = b.finish();
        Fill liq = r.trades().get(1);
        assertEquals("liquidation", liq.type());
        assertEquals(Side.BUY, liq.side());
        assertDecimal(lp, liq.price(), "short liquidation price");
        // fee = 1 × 54780.87649402390438247011952191235 × 0.0005 = 27.390438247011952191235059760956175
        assertDecimal("27.390438247011952191235059760956175", liq.fee(), "short liquidation fee");
        // 9975 − 5000
        assertDecimal("4975", r.finalBalance(), "final balance");
        assertEquals(1, r.liquidations());
    }

    // ---- (2) funding ---------------------------------------------------------------------------------

    @Test
    void aShortPaysAndReceivesFundingAtEachTimeASkippedTimeInAGapAndAMarkPrice() {
        // Klines at 0, H, 2H, 3H, then a gap (4H..5H−1 missing), 5H, 6H.
        long[] t = {0, H, 2 * H, 3 * H, 5 * H, 6 * H};
        KlineSeries k = klinesAt(t, H,
                k(60000, 60100, 59900, 60000),
                k(60000, 60100, 59900, 60500),
                k(61000, 61100, 60900, 61000),
                k(60000, 60100, 59900, 60000),
                k(58900, 59100, 58800, 59000),
                k(59000, 59100, 58900, 59000));
        // funding: H (rate +0.0001, no mark: open of k1 = 60000), 2H + 1 s (−0.00005, open of k2 = 61000),
        // 4H + 30 min (in the gap: skipped), 5H (+0.0002, mark price 59000 given; k4 opens at 58900)
        FundingSeries f = new FundingSeries(
                new long[]{H, 2 * H + 1000, 4 * H + 30 * M, 5 * H},
                new BigDecimal[]{d("0.0001"), d("-0.00005"), d("0.0003"), d("0.0002")},
                new BigDecimal[]{null, null, null, d("59000")});
        Backtest b = backtest(k, "10000", isolated(5), f, null);
        b.advance();
        // sell 0.5 at 60000: fee 0.5 × 60000 × 0.0005 = 15; wallet 9985
        assertNotNull(sell(b, "60000", "0.5"));
        for (int i = 1; i < k.size(); i++) b.advance();
        BacktestResult r = b.finish();
        List<BacktestResult.FundingPayment> p = r.funding();
        assertEquals(3, p.size());
        // Q × price × rate with Q = −0.5:
        // H:        −0.5 × 60000 × 0.0001   = −3      (received)
        // 2H + 1 s: −0.5 × 61000 × −0.00005 = 1.525   (paid)
        // 5H:       −0.5 × 59000 × 0.0002   = −5.9    (received; the mark price, not the open 58900)
        assertEquals(H, p.get(0).timestamp());
        assertDecimal("0.0001", p.get(0).rate());
        assertDecimal("60000", p.get(0).price());
        assertDecimal("-0.5", p.get(0).position());
        assertDecimal("-3", p.get(0).amount(), "funding 1");
        assertEquals(2 * H + 1000, p.get(1).timestamp());
        assertDecimal("61000", p.get(1).price());
        assertDecimal("1.525", p.get(1).amount(), "funding 2");
        assertEquals(5 * H, p.get(2).timestamp());
        assertDecimal("59000", p.get(2).price(), "mark price used");
        assertDecimal("-5.9", p.get(2).amount(), "funding 3");
        // fundingPaid = −3 + 1.525 − 5.9 = −7.375
        assertDecimal("-7.375", r.fundingPaid(), "fundingPaid");
        assertEquals(3, r.dataQuality().fundingTimes());
        assertEquals(1, r.dataQuality().fundingSkipped());
        // wallet 9985 + 7.375 = 9992.375; equity = wallet + Q × (close − EP) = 9992.375 + (−0.5)(59000 − 60000)
        //        = 9992.375 + 500 = 10492.375
        assertDecimal("9992.375", r.quoteAsset(), "wallet");
        assertDecimal("10492.375", r.finalBalance(), "final balance");
    }

    // ---- (3) stops that gap --------------------------------------------------------------------------

    @Test
    void aSellStopThatGapsFillsAtTheOpenLessSlippage() {
        Trading spot = new Trading(Trading.Market.SPOT, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED,
                d("0.001"), d("0.001"), d("0.001"), Trading.Intrabar.PESSIMISTIC);
        // k1 opens at 90, below the stop 95
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(90, 92, 88, 91)), "10000", spot);
        b.advance();
        // buy 1 at base 100: 100 × 1.001 = 100.1; fee 0.1001; cash 10000 − 100.1 − 0.1001 = 9899.7999
        Fill in = buy(b, "100", "1");
        assertDecimal("100.1", in.price(), "buy with slippage");
        assertDecimal("0.1", in.slippage(), "buy slippage cost 1 × |100.1 − 100|");
        Long id = b.order(Side.SELL, Order.Type.STOP, d("1"), null, d("95"), false, null, null);
        assertNotNull(id);
        b.advance();
        BacktestResult r = b.finish();
        Fill stop = r.trades().get(1);
        assertEquals(Fill.Reason.STOP, stop.reason());
        assertEquals("sell", stop.type());
        // min(open 90, stop 95) = 90, then × (1 − 0.001) = 89.91
        assertDecimal("89.91", stop.price(), "gapped stop fill");
        // slippage cost = 1 × |89.91 − 90| = 0.09; fee (taker) 1 × 89.91 × 0.001 = 0.08991
        assertDecimal("0.09", stop.slippage(), "slippage cost");
        assertDecimal("0.08991", stop.fee(), "stop fee");
        // cash 9899.7999 + 89.91 − 0.08991 = 9989.61999
        assertDecimal("9989.61999", r.finalBalance(), "final cash");
        assertEquals(Order.Status.FILLED, order(r.orders(), id).status());
    }

    @Test
    void aStopLossGappingBeyondBothItsLevelAndLpFillsAtTheOpenBeforeTheLiquidation() {
        Trading t = new Trading(Trading.Market.FUTURES, 10, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED,
                d("0.001"), d("0.001"), d("0.001"), Trading.Intrabar.PESSIMISTIC);
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(90, 92, 88, 91)), "10000", t);
        b.advance();
        // buy 2 at 100 × 1.001 = 100.1; fee 2 × 100.1 × 0.001 = 0.2002; wallet 9999.7998; EP 100.1
        assertNotNull(buy(b, "100", "2"));
        // WB = 2 × 100.1 / 10 = 20.02; LP = (20.02 − 200.2) / (2 × 0.004 − 2) = −180.18 / −1.992
        //    = 90.45180722891566265060240963855422 (34 digits)
        assertDecimal("90.45180722891566265060240963855422", b.account().liquidationPrice(), "LP");
        assertTrue(b.setStopLoss(d("95"), null));
        b.advance(); // opens at 90: beyond the stop 95 and LP 90.45...; tie order: the stop-loss first
        BacktestResult r = b.finish();
        assertEquals(0, r.liquidations());
        Fill sl = r.trades().get(1);
        assertEquals(Fill.Reason.STOP_LOSS, sl.reason());
        // min(90, 95) × 0.999 = 89.91; slippage 2 × 0.09 = 0.18; fee 2 × 89.91 × 0.001 = 0.17982
        assertDecimal("89.91", sl.price());
        assertDecimal("0.18", sl.slippage());
        assertDecimal("0.17982", sl.fee());
        // realised 2 × (89.91 − 100.1) = −20.38 (more than WB 20.02); wallet 9999.7998 − 20.38 − 0.17982 = 9979.23998
        assertDecimal("9979.23998", r.finalBalance(), "final wallet");
    }

    // ---- (4)/(5) stop-loss and take-profit in one kline ----------------------------------------------

    /** k1 is a down kline whose pessimistic path (open → high → low) reaches the take-profit first. */
    static KlineSeries sameKline() {
        return klines(k(100, 101, 99, 100), k(100, 112, 94, 97));
    }

    @Test
    void aStopLossAndTakeProfitInOneKlineTakeTheStopAndCountTheKline() {
        Backtest b = backtest(sameKline(), "10000", isolated(1));
        b.advance();
        // buy 1 at 100: fee 0.05, wallet 9999.95
        assertNotNull(buy(b, "100", "1"));
        assertTrue(b.setStopLoss(d("95"), null));
        assertTrue(b.setTakeProfit(d("110"), null));
        b.advance();
        BacktestResult r = b.finish();
        Fill exit = r.trades().get(1);
        assertEquals(Fill.Reason.STOP_LOSS, exit.reason(), "both 95 and 110 lie in [94, 112]: the stop-loss is taken");
        // min(open 100, 95) = 95; fee 95 × 0.0005 = 0.0475
        assertDecimal("95", exit.price());
        assertDecimal("0.0475", exit.fee());
        // 9999.95 + (95 − 100) − 0.0475 = 9994.9025
        assertDecimal("9994.9025", r.finalBalance());
        assertEquals(1, r.dataQuality().ambiguousKlines());
    }

    @Test
    void theSameKlineResolvedByItsMinutesTakesTheTakeProfitTheMinutesReachFirst() {
        // The 60 minutes of k1 (H .. 2H−1): minute 0 climbs to 111 (TP 110 reached, SL 95 not in its range),
        // minute 1 falls to 100, minute 2 to 94, then flat at 97: together o 100 h 112 l 94 c 97 as the hour.
        int n = 60;
        long[] mt = new long[n];
        double[][] rows = new double[n][];
        for (int j = 0; j < n; j++) {
            mt[j] = H + j * M;
            rows[j] = k(97, 97, 97, 97);
        }
        rows[0] = k(100, 111, 99.5, 110.5);
        rows[1] = k(110.5, 112, 100, 100);
        rows[2] = k(100, 100, 94, 97);
        KlineSeries minutes = klinesAt(mt, M, rows);
        Trading t = futures(1, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED, "0", Trading.Intrabar.ONE_MINUTE);
        Backtest b = backtest(sameKline(), "10000", t, FundingSeries.NONE, minutes);
        b.advance();
        assertNotNull(buy(b, "100", "1")); // fee 0.05, wallet 9999.95
        assertTrue(b.setStopLoss(d("95"), null));
        assertTrue(b.setTakeProfit(d("110"), null));
        b.advance();
        BacktestResult r = b.finish();
        Fill exit = r.trades().get(1);
        assertEquals(Fill.Reason.TAKE_PROFIT, exit.reason());
        // minute 0 is up (110.5 > 100): open 100 → low 99.5 → high 111 reaches TP at 110: max(100, 110) = 110
        assertDecimal("110", exit.price());
        // maker fee 110 × 0.0002 = 0.022; wallet 9999.95 + 10 − 0.022 = 10009.928
        assertDecimal("0.022", exit.fee());
        assertDecimal("10009.928", r.finalBalance());
        assertEquals(0, r.dataQuality().ambiguousKlines());
    }

    // ---- (6) trailing stop ----------------------------------------------------------------------------

    @Test
    void aTrailingStopIsNotMovedByItsOwnKline() {
        // k1: down kline, high 130 then low 96: a stop moved by 130 (130 − 5 = 125) would be hit, the original 95 is not.
        // k2: opens 127, high 128, low 120: reaches the moved level 125.
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(100, 130, 96, 97), k(127, 128, 120, 121)), "10000", isolated(1));
        b.advance();
        assertNotNull(buy(b, "100", "1")); // fee 0.05, wallet 9999.95, EP 100
        assertTrue(b.setTrailingStop(null, d("5")));
        // anchor = EP 100: level 100 − 5 = 95
        assertDecimal("95", b.trailingStop(), "level when set");
        b.advance();
        assertDecimal("1", b.account().position(), "not filled on k1");
        // after k1: anchor max(100, 130) = 130, level 125
        assertDecimal("125", b.trailingStop(), "level moved after k1");
        b.advance();
        BacktestResult r = b.finish();
        assertEquals(2, r.totalTrades());
        Fill exit = r.trades().get(1);
        assertEquals(Fill.Reason.TRAILING_STOP, exit.reason());
        assertEquals(2, exit.klineIndex());
        // min(open 127, 125) = 125; fee 125 × 0.0005 = 0.0625; wallet 9999.95 + 25 − 0.0625 = 10024.8875
        assertDecimal("125", exit.price());
        assertDecimal("0.0625", exit.fee());
        assertDecimal("10024.8875", r.finalBalance());
    }

    // ---- (7) expire_after ---------------------------------------------------------------------------

    @Test
    void aLimitOrderExpiresAfterItsKlinesEvenIfThePriceComesBackLater() {
        // k1 low 96 (95 not reached), k2 low 90 (95 reached)
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(100, 101, 96, 100), k(100, 100, 90, 99)), "10000", isolated(1));
        b.advance();
        // placed on k0: expire_after 1 -> may fill on k1 only; expire_after 2 -> k1 .. k2
        Long once = b.order(Side.BUY, Order.Type.LIMIT, d("1"), d("95"), null, false, 1, "one");
        Long twice = b.order(Side.BUY, Order.Type.LIMIT, d("1"), d("95"), null, false, 2, "two");
        assertEquals(1L, once);
        assertEquals(2L, twice);
        b.advance();
        b.advance();
        BacktestResult r = b.finish();
        Order o1 = order(r.orders(), once);
        assertEquals(Order.Status.EXPIRED, o1.status());
        assertEquals(1, o1.endKline(), "expired after k1's path");
        Order o2 = order(r.orders(), twice);
        assertEquals(Order.Status.FILLED, o2.status());
        assertEquals(1, r.totalTrades(), "only the order still alive on k2 filled");
        Fill f = r.trades().get(0);
        assertEquals(2, f.klineIndex());
        assertEquals(Fill.Reason.LIMIT, f.reason());
        // min(open 100, 95) = 95, maker fee 95 × 0.0002 = 0.019; wallet 10000 − 0.019 = 9999.981;
        // equity = 9999.981 + 1 × (99 − 95) = 10003.981
        assertDecimal("95", f.price());
        assertDecimal("0.019", f.fee());
        assertDecimal("10003.981", r.finalBalance());
    }

    // ---- (8) reduce-only ----------------------------------------------------------------------------

    @Test
    void aReduceOnlyOrderIsCutToThePositionAndOneWithNothingToReduceIsCancelled() {
        // k1 up kline: open 100 -> low 99 -> high 107: reaches 105 (order 1) then 106 (order 2)
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(100, 107, 99, 106)), "10000", isolated(2));
        b.advance();
        assertNotNull(buy(b, "100", "1")); // fee 0.05, wallet 9999.95
        Long cut = b.order(Side.SELL, Order.Type.LIMIT, d("3"), d("105"), null, true, null, null);
        Long none = b.order(Side.SELL, Order.Type.LIMIT, d("1"), d("106"), null, true, null, null);
        b.advance();
        BacktestResult r = b.finish();
        assertEquals(2, r.totalTrades());
        Fill f = r.trades().get(1);
        // cut from 3 to |Q| = 1, at max(open 100, 105) = 105, maker fee 105 × 0.0002 = 0.021
        assertDecimal("1", f.amount(), "cut to the position");
        assertDecimal("105", f.price());
        assertDecimal("0.021", f.fee());
        assertDecimal("0", r.baseAsset(), "the position ends at 0, not −2");
        // 9999.95 + 5 − 0.021 = 10004.929
        assertDecimal("10004.929", r.finalBalance());
        assertEquals(Order.Status.FILLED, order(r.orders(), cut).status());
        assertEquals(Order.Status.CANCELLED, order(r.orders(), none).status(), "nothing left to reduce at 106");
    }

    // ---- (9) flips and win rate ---------------------------------------------------------------------

    @Test
    void aFlipIsOneFillRealisingTheReducedPartAndStartingAtTheFillPrice() {
        // 2x: LP long 1 @ 100 = (50 − 100)/(0.004 − 1) = 50.2...; short 2 @ 110: (110 + 220)/(0.008 + 2) = 164.3...: never reached
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(110, 120, 100, 115), k(115, 116, 114, 115)), "10000", isolated(2));
        b.advance();
        assertNotNull(buy(b, "100", "1")); // fee 0.05, wallet 9999.95
        b.advance();
        Fill flip = sell(b, "110", "3");
        assertNotNull(flip);
        // realised on the reduced 1: 1 × (110 − 100) = 10; fee 3 × 110 × 0.0005 = 0.165; wallet 9999.95 + 10 − 0.165
        assertDecimal("0.165", flip.fee());
        assertDecimal("10009.785", flip.balance(), "wallet after the flip");
        assertDecimal("-2", b.account().position());
        assertDecimal("110", b.account().avgPrice(), "new entry = fill price");
        // margin used 2 × 110 / 2 = 110
        assertDecimal("110", b.account().marginUsed());
        b.advance();
        // close the short: buy 2 at 115: realised 2 × (115 − 110) × −1 = −10; fee 2 × 115 × 0.0005 = 0.115
        assertNotNull(buy(b, "115", "2"));
        BacktestResult r = b.finish();
        assertEquals(3, r.totalTrades(), "the flip is one fill");
        // 10009.785 − 10 − 0.115 = 9999.67
        assertDecimal("9999.67", r.finalBalance());
        // trips: long: −0.05 + 10 − 0.165 × 1/3 (= 0.055) = 9.895 > 0 (win);
        //        short: −0.165 × 2/3 (= 0.11) − 10 − 0.115 = −10.225 (loss) -> 1 / 2 = 0.5
        assertDecimal("0.5", r.winRate(), "winRate over round trips");
    }

    @Test
    void aFlipTooLargeForTheMarginIsRefusedEntirely() {
        Backtest b = backtest(klines(k(100, 101, 99, 100)), "100", isolated(1));
        b.advance();
        // buy 0.5 at 100: fee 0.025, wallet 99.975, margin 50
        assertNotNull(buy(b, "100", "0.5"));
        // sell 2: reduces 0.5 (realised 0), opens a 1.5 short: margin 150 > wallet 99.975 − fee 0.1 = 99.875 -> refused
        assertNull(sell(b, "100", "2"));
        assertDecimal("0.5", b.account().position(), "nothing reduced either");
        assertDecimal("99.975", b.account().balance());
        // sell 1.4: opens 0.9 short, margin 90 <= wallet 99.975 − 1.4 × 100 × 0.0005 (0.07) = 99.905 -> accepted
        Fill f = sell(b, "100", "1.4");
        assertNotNull(f);
        assertDecimal("99.905", f.balance());
        assertDecimal("-0.9", b.account().position());
        assertDecimal("90", b.account().marginUsed());
        assertEquals(2, b.finish().totalTrades());
    }

    // ---- (10) next_open -----------------------------------------------------------------------------

    @Test
    void aQueuedBuyFillsAtTheNextOpenWithSlippageAndARefusedOneIsCountedAsDropped() {
        Trading t = new Trading(Trading.Market.SPOT, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.NEXT_OPEN,
                d("0.001"), d("0.001"), d("0.001"), Trading.Intrabar.PESSIMISTIC);
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(101, 102, 100, 102), k(102, 104, 101, 103)), "1000", t);
        b.advance();
        assertTrue(b.queue(Side.BUY, d("2")));
        assertTrue(b.advance(), "the queued fill happened before run() sees k1");
        // at k1's open 101 × 1.001 = 101.101; fee 2 × 101.101 × 0.001 = 0.202202; slippage 2 × 0.101 = 0.202
        // cash 1000 − 202.202 − 0.202202 = 797.595798
        assertDecimal("2", b.account().position());
        assertDecimal("797.595798", b.account().balance());
        // 10 at k2's open: 10 × 102 × 1.001 = 1021.02 > 797.595798: refused there, dropped
        assertTrue(b.queue(Side.BUY, d("10")), "queued (the check is at the next open)");
        b.advance();
        assertDecimal("2", b.account().position(), "the refused order changed nothing");
        BacktestResult r = b.finish();
        Fill f = r.trades().get(0);
        assertEquals(1, f.klineIndex());
        assertEquals(H, f.timestamp());
        assertDecimal("101.101", f.price());
        assertDecimal("0.202202", f.fee());
        assertDecimal("0.202", f.slippage());
        assertEquals(1, r.totalTrades());
        assertEquals(1, r.dataQuality().droppedOrders());
        // 797.595798 + 2 × 103 = 1003.595798
        assertDecimal("1003.595798", r.finalBalance());
    }

    @Test
    void anOrderStillQueuedAfterTheLastKlineIsDropped() {
        Trading t = new Trading(Trading.Market.SPOT, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.NEXT_OPEN,
                d("0"), d("0.001"), d("0.001"), Trading.Intrabar.PESSIMISTIC);
        Backtest b = backtest(klines(k(100, 101, 99, 100)), "1000", t);
        b.advance();
        assertTrue(b.queue(Side.BUY, d("1")));
        BacktestResult r = b.finish();
        assertEquals(0, r.totalTrades());
        assertEquals(1, r.dataQuality().droppedOrders());
        assertDecimal("1000", r.finalBalance());
    }

    // ---- (11) spot ----------------------------------------------------------------------------------

    @Test
    void spotTakeProfitFillsAtTheGappedOpenWithTheMakerFeeAndSellsBeyondThePositionAreRefused() {
        Trading t = new Trading(Trading.Market.SPOT, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED,
                d("0.001"), d("0.001"), d("0.002"), Trading.Intrabar.PESSIMISTIC);
        // k1 opens at 115, above the take-profit 110
        Backtest b = backtest(klines(k(100, 101, 99, 100), k(115, 118, 113, 116)), "10000", t);
        b.advance();
        // buy 1 at 100 × 1.001 = 100.1, taker fee 100.1 × 0.002 = 0.2002; cash 10000 − 100.1 − 0.2002 = 9899.6998
        Fill in = buy(b, "100", "1");
        assertDecimal("100.1", in.price());
        assertDecimal("0.2002", in.fee());
        assertNull(sell(b, "100", "2"), "spot: a sell beyond the position");
        assertNull(sell(b, "100", "1.0000001"), "spot: a sell beyond the position");
        assertTrue(b.setTakeProfit(d("110"), null));
        b.advance();
        BacktestResult r = b.finish();
        Fill tp = r.trades().get(1);
        assertEquals(Fill.Reason.TAKE_PROFIT, tp.reason());
        // max(open 115, 110) = 115, no slippage (maker); maker fee 115 × 0.001 = 0.115
        assertDecimal("115", tp.price());
        assertDecimal("0", tp.slippage());
        assertDecimal("0.115", tp.fee());
        // 9899.6998 + 115 − 0.115 = 10014.5848
        assertDecimal("10014.5848", r.finalBalance());
        assertEquals(2, r.totalTrades());
    }

    // ---- (12) cross margin --------------------------------------------------------------------------

    @Test
    void aCrossLongUsesTheWholeWalletForLpAndEndsAtZero() {
        Trading t = futures(10, Trading.MarginMode.CROSS, Trading.FillTiming.SEED, "0", Trading.Intrabar.PESSIMISTIC);
        Backtest b = backtest(klines(k(50000, 50100, 49900, 50000), k(48000, 48500, 40000, 41000)), "10000", t);
        b.advance();
        assertNotNull(buy(b, "50000", "1")); // fee 25, wallet 9975
        // cross: WB = wallet 9975; LP = (9975 − 50000) / (0.004 − 1) = −40025 / −0.996
        //    = 40185.742971887550200803212851405622... -> 40185.74297188755020080321285140562 (34 digits)
        String lp = "40185.74297188755020080321285140562";
        assertDecimal(lp, b.account().liquidationPrice(), "cross LP");
        b.advance();
        BacktestResult r = b.finish();
        Fill liq = r.trades().get(1);
        assertEquals("liquidation", liq.type());
        assertDecimal(lp, liq.price());
        // fee = 40185.74297188755020080321285140562 × 0.0005 = 20.09287148594377510040160642570281
        assertDecimal("20.09287148594377510040160642570281", liq.fee());
        assertDecimal("0", liq.balance(), "cross: the wallet ends at 0");
        assertDecimal("0", r.finalBalance());
        assertEquals(1, r.liquidations());
    }
}
