package dev.candlebox.sandbox.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpotAccountTest {
    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static void assertDecimal(String expected, BigDecimal actual) {
        assertEquals(0, d(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void buysAndSellsChargeTheFeeOnBothSidesAndTrackTheOpenPositionsBasis() {
        SpotAccount a = new SpotAccount(d("10000"));
        BigDecimal rate = d("0.001");
        // 10 @ 100: cost 1000, fee 1.
        assertNotNull(a.fill(Side.BUY, d("10"), d("100"), d("10").multiply(d("100")).multiply(rate)));
        assertDecimal("8999", a.balance());
        assertDecimal("10", a.position());
        assertDecimal("1001", a.costBasis());
        assertDecimal("100", a.avgPrice());
        // 5 @ 200: cost 1000, fee 1; average price (1000 + 1000) / 15.
        assertNotNull(a.fill(Side.BUY, d("5"), d("200"), d("5").multiply(d("200")).multiply(rate)));
        assertDecimal("7998", a.balance());
        assertDecimal("2002", a.costBasis());
        assertEquals(0, a.avgPrice().subtract(d("133.33333333333333")).abs().compareTo(d("1e-14")) <= 0 ? 0 : 1);
        // Sell a third at 150: proceeds 750 - fee 0.75 against a basis share of 2002/3 = 667.33: a win.
        assertNotNull(a.fill(Side.SELL, d("5"), d("150"), d("5").multiply(d("150")).multiply(rate)));
        assertDecimal("8747.25", a.balance());
        assertDecimal("10", a.position());
        assertTrue(a.costBasis().subtract(d("1334.6666666666666666")).abs().compareTo(d("1e-15")) < 0, a.costBasis().toString());
        assertEquals(0, a.avgPrice().subtract(d("133.33333333333333")).abs().compareTo(d("1e-14")) <= 0 ? 0 : 1,
                "a sell does not move the average price");
        // Sell the rest at 120: 1200 - 1.2 against 1334.67: a loss. Position closed: basis and average reset.
        assertNotNull(a.fill(Side.SELL, d("10"), d("120"), d("10").multiply(d("120")).multiply(rate)));
        assertDecimal("9946.05", a.balance());
        assertDecimal("0", a.position());
        assertDecimal("0", a.costBasis());
        assertDecimal("0", a.avgPrice());
        assertEquals(2, a.closedTrips());
        assertEquals(1, a.winningTrips());
        assertDecimal("3.95", a.totalFees());
    }

    @Test
    void aSellThatOnlyCoversTheFeesIsNotAWin() {
        SpotAccount a = new SpotAccount(d("1000"));
        BigDecimal rate = d("0.01");
        a.fill(Side.BUY, d("1"), d("100"), d("1").multiply(d("100")).multiply(rate));     // cost 100 + fee 1
        a.fill(Side.SELL, d("1"), d("101"), d("1").multiply(d("101")).multiply(rate));    // 101 - 1.01 = 99.99 < 101
        assertEquals(1, a.closedTrips());
        assertEquals(0, a.winningTrips());
        assertDecimal("998.99", a.balance());
    }

    @Test
    void ordersTheAccountCannotCoverChangeNothing() {
        SpotAccount a = new SpotAccount(d("1000"));
        BigDecimal rate = d("0.001");
        assertNull(a.fill(Side.BUY, d("10"), d("100"), d("10").multiply(d("100")).multiply(rate)), "1000 + fee 1 > 1000");
        assertNull(a.fill(Side.SELL, d("0.1"), d("100"), d("0.1").multiply(d("100")).multiply(rate)), "no position");
        assertNull(a.fill(Side.BUY, d("0"), d("100"), d("0").multiply(d("100")).multiply(rate)));
        assertNull(a.fill(Side.BUY, d("1"), d("-100"), d("1").multiply(d("-100")).multiply(rate)));
        assertNotNull(a.fill(Side.BUY, d("9.99"), d("100"), d("9.99").multiply(d("100")).multiply(rate)));  // 999 + 0.999 <= 1000
        assertDecimal("0.001", a.balance());
        assertNull(a.fill(Side.SELL, d("9.991"), d("100"), d("9.991").multiply(d("100")).multiply(rate)), "more than the position");
        assertDecimal("9.99", a.position());
    }
}
