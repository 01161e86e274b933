package dev.candlebox.db.kline;

import dev.candlebox.db.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Higher intervals from stored lower ones, against a plain loop over the real 1-minute file. */
class AggregatedKlinesTest {
    private static final long MINUTE = 60_000L, HOUR = 3_600_000L;

    private static List<String[]> minutes() throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                TestDatabases.testData().resolve("derived/BTCUSDT-1m-spot-202503.csv.gz")))))) {
            return in.lines().filter(l -> Character.isDigit(l.charAt(0))).map(l -> l.split(",")).limit(60 * 14).toList();
        }
    }

    @Test
    void fourHourKlinesFromMinutesAreCompletePeriodsOnlyWithOpenHighLowCloseAndSums() throws IOException {
        List<String[]> rows = minutes(); // 2025-03-01 03:00 .. 16:59 UTC
        KlineColumns k = new KlineColumns(rows.size());
        long gap = Instant.parse("2025-03-01T13:17:00Z").toEpochMilli(); // one minute of [12:00, 16:00) left out
        for (String[] f : rows) {
            long t = Long.parseLong(f[0]);
            if (t == gap) continue;
            k.add(t, d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), t + MINUTE - 1, Double.NaN, -1, Double.NaN, Double.NaN);
        }
        KlineColumns four = AggregatedKlines.aggregate(k, Interval.M1, Interval.H4);
        // 03:00-03:59 is the tail of [00:00, 04:00): incomplete; [04:00, 08:00) and [08:00, 12:00) complete;
        // [12:00, 16:00) misses 13:17; [16:00, 20:00) has only its first hour
        assertEquals(2, four.size());
        for (int p = 0; p < 2; p++) {
            long start = Instant.parse("2025-03-01T04:00:00Z").toEpochMilli() + p * 4 * HOUR;
            double high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY, volume = 0, open = 0, close = 0;
            for (String[] f : rows) {
                long t = Long.parseLong(f[0]);
                if (t < start || t >= start + 4 * HOUR) continue;
                if (t == start) open = d(f[1]);
                close = d(f[4]);
                high = Math.max(high, d(f[2]));
                low = Math.min(low, d(f[3]));
                volume += d(f[5]);
            }
            assertEquals(start, four.openTime(p));
            assertEquals(start + 4 * HOUR - 1, four.closeTime(p));
            assertEquals(open, four.open(p));
            assertEquals(high, four.high(p));
            assertEquals(low, four.low(p));
            assertEquals(close, four.close(p));
            assertEquals(volume, four.volume(p), 1e-9);
            assertTrue(Double.isNaN(four.takerBuyBaseVolume(p)), "a sum of missing values stays missing");
            assertEquals(-1, four.tradesCount(p));
        }
    }

    @Test
    void periodsStartWhereBinancesDo() {
        long t = Instant.parse("2025-03-05T13:17:00Z").toEpochMilli(); // a Wednesday
        assertEquals(Instant.parse("2025-03-05T12:00:00Z").toEpochMilli(), AggregatedKlines.periodStart(Interval.H4, t));
        assertEquals(Instant.parse("2025-03-05T00:00:00Z").toEpochMilli(), AggregatedKlines.periodStart(Interval.D1, t));
        assertEquals(Instant.parse("2025-03-03T00:00:00Z").toEpochMilli(), AggregatedKlines.periodStart(Interval.W1, t));
        assertEquals(Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(), AggregatedKlines.periodStart(Interval.MONTH1, t));
        assertTrue(AggregatedKlines.divides(Interval.M1, Interval.H4));
        assertTrue(AggregatedKlines.divides(Interval.H1, Interval.MONTH1));
        assertTrue(AggregatedKlines.divides(Interval.H8, Interval.W1), "three 8h klines a day");
        assertFalse(AggregatedKlines.divides(Interval.H4, Interval.H6), "6h is not a whole number of 4h");
        assertFalse(AggregatedKlines.divides(Interval.H4, Interval.H1));
        assertFalse(AggregatedKlines.divides(Interval.MONTH1, Interval.MONTH1));
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
