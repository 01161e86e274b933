package dev.candlebox.server.kline;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KlineJsonTest {
    static String written(double v) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = KlineJson.generator(out)) {
            KlineJson.writeDecimal(g, v);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void pricesAreWrittenAsTheirStoredDecimals() throws IOException {
        assertEquals("3701.23", written(3701.23));
        assertEquals("3713.0", written(3713.0));
        assertEquals("0.00000001", written(0.00000001));
        assertEquals("686.36742", written(686.36742));
        assertEquals("-0.5", written(-0.5));
        assertEquals("0.0", written(0.0));
        // beyond the fixed-point range the shortest representation is used
        assertEquals("2.53906922918493E9", written(2539069229.18493));
        // more than 8 places: not a NUMERIC(20,8) value, shortest representation
        assertEquals("0.123456789", written(0.123456789));
    }

    @Test
    void everyWrittenNumberParsesBackToTheSameDouble() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double v = random.nextLong(0, 9_000_000_000_000_000L) / 1e8 * (random.nextBoolean() ? 1 : -1);
            assertEquals(v, Double.parseDouble(written(v)), "for " + v);
            double w = random.nextDouble() * Math.pow(10, random.nextInt(-9, 12));
            assertEquals(w, Double.parseDouble(written(w)), "for " + w);
        }
    }
}
