package dev.candlebox.sandbox.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BacktestTest {
    static final long H = 3_600_000L;

    static KlineSeries three() {
        return KlineSeries.ohlcv(new long[]{0, H, 2 * H},
                new double[]{100, 100, 80}, new double[]{110, 105, 130}, new double[]{90, 80, 85},
                new double[]{100, 80, 120}, new double[]{1, 1, 1}, new long[]{H - 1, 2 * H - 1, 3 * H - 1});
    }

    private static Fill buy(Backtest b, String p, String a) {
        return b.place(Side.BUY, new BigDecimal(p), new BigDecimal(a));
    }

    private static Fill sell(Backtest b, String p, String a) {
        return b.place(Side.SELL, new BigDecimal(p), new BigDecimal(a));
    }

    @Test
    void resultIsComputedFromTheFillsAndTheClosesByHand() {
        Backtest b = new Backtest(three(), new BigDecimal("10000"), BigDecimal.ZERO, 100, RunListener.NONE);
        b.advance();
        Fill f = buy(b, "100", "10");
        assertNotNull(f);
        assertEquals(0, f.klineIndex());
        b.advance();
        b.advance();
        assertNotNull(sell(b, "125", "10"));
        BacktestResult r = b.finish();
        // equity: k0 9000 + 10*100 = 10000; k1 9000 + 800 = 9800 (drawdown 2 %); k2 cash 10250.
        assertArrayEquals(new double[]{10000, 9800, 10250}, r.equityCurve().equity());
        assertArrayEquals(new double[]{9000, 9000, 10250}, r.equityCurve().balance());
        assertArrayEquals(new double[]{10, 10, 0}, r.equityCurve().position());
        assertArrayEquals(new long[]{0, H, 2 * H}, r.equityCurve().timestamp());
        assertEquals(0, new BigDecimal("10250").compareTo(r.finalBalance()));
        assertEquals(0, new BigDecimal("250").compareTo(r.profit()));
        assertEquals(0, new BigDecimal("0.025").compareTo(r.profitRate()));
        assertEquals(0.02, r.maxDrawdown().doubleValue(), 1e-15);
        assertEquals(2, r.totalTrades());
        assertEquals(0, BigDecimal.ONE.compareTo(r.winRate()));
        assertEquals(0, BigDecimal.ZERO.compareTo(r.quoteFee()));
        assertEquals(2 * H, r.trades().get(1).timestamp());
    }

    @Test
    void ordersFillOnlyWithinTheCurrentKlinesRange() {
        Backtest b = new Backtest(three(), new BigDecimal("10000"), BigDecimal.ZERO, 100, RunListener.NONE);
        assertNull(buy(b, "100", "1"), "no kline yet");
        b.advance();
        b.advance(); // kline 1: low 80, high 105
        assertNull(buy(b, "105.0000001", "1"));
        assertNull(buy(b, "79.99", "1"));
        assertNull(buy(b, "110", "1"), "kline 0's high is not kline 1's");
        assertNotNull(buy(b, "80", "1"), "the low itself trades");
        assertNotNull(buy(b, "105", "1"), "the high itself trades");
        assertEquals(1, buy(b, "90", "1").klineIndex());
    }

    @Test
    void theClockOnlyMovesForwardAndStopsAtTheLastKline() {
        Backtest b = new Backtest(three(), new BigDecimal("10000"), BigDecimal.ZERO, 100, RunListener.NONE);
        b.advance();
        b.advance();
        b.advance();
        assertThrows(IllegalStateException.class, b::advance);
        Backtest early = new Backtest(three(), new BigDecimal("10000"), BigDecimal.ZERO, 100, RunListener.NONE);
        early.advance();
        assertThrows(IllegalStateException.class, early::finish, "a run that skipped klines has no result");
    }

    @Test
    void theFillLimitRefusesTheFillBeyondIt() {
        Backtest b = new Backtest(three(), new BigDecimal("10000"), BigDecimal.ZERO, 2, RunListener.NONE);
        b.advance();
        assertNotNull(buy(b, "100", "1"));
        assertNotNull(buy(b, "100", "1"));
        assertNull(buy(b, "100", "1"));
        assertEquals(true, b.fillLimitHit());
    }
}
