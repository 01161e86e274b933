package dev.candlebox.sandbox.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

/** Assertions on exact decimal amounts (scale ignored: 979.98 equals 979.980). */
public final class Amounts {

    private Amounts() {
    }

    public static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }
}
