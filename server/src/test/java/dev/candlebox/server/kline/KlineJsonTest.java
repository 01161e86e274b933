package dev.candlebox.server.kline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.kline.KlineColumns;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlineJsonTest {
    static String written(double v) {
        return new String(new KlineJson(8).decimal(v).bytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void pricesAreWrittenAsTheirStoredDecimals() {
        assertEquals("3701.23", written(3701.23));
        assertEquals("3713.0", written(3713.0));
        assertEquals("0.00000001", written(0.00000001));
        assertEquals("686.36742", written(686.36742));
        assertEquals("-0.5", written(-0.5));
        assertEquals("0.0", written(0.0));
        assertEquals("null", written(Double.NaN));
        // beyond the fixed-point range the shortest representation is used
        assertEquals("2.53906922918493E9", written(2539069229.18493));
        // more than 8 places: not a NUMERIC(20,8) value, shortest representation
        assertEquals("0.123456789", written(0.123456789));
    }

    @Test
    void everyWrittenNumberParsesBackToTheSameDouble() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double v = random.nextLong(0, 9_000_000_000_000_000L) / 1e8 * (random.nextBoolean() ? 1 : -1);
            assertEquals(v, Double.parseDouble(written(v)), "for " + v);
            double w = random.nextDouble() * Math.pow(10, random.nextInt(-9, 12));
            assertEquals(w, Double.parseDouble(written(w)), "for " + w);
        }
    }

    @Test
    void aRowIsValidJsonWithTheReferenceFieldNames() throws IOException {
        KlineColumns k = new KlineColumns(2);
        k.add(1704067200000L, 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108, 1704070799999L, 54009298.4, 45000, 652.3, 27704000.12);
        k.add(-86_400_000L, 1, 2, 0.5, 1.5, 3, -1, Double.NaN, KlineColumns.MISSING_COUNT, Double.NaN, Double.NaN);
        String text = new String(new KlineJson(16).raw("[").rows(k).raw("]").bytes(), StandardCharsets.US_ASCII);
        JsonNode rows = new ObjectMapper().readTree(text);
        JsonNode a = rows.get(0);
        assertEquals("2024-01-01T00:00:00+00:00", a.get("open_time").asText());
        assertEquals("2024-01-01T00:59:59.999+00:00", a.get("close_time").asText());
        assertEquals(42283.58, a.get("open").asDouble());
        assertEquals(54009298.4, a.get("quote_asset_volume").asDouble());
        assertTrue(a.get("number_of_trades").isInt());
        assertEquals(45000, a.get("number_of_trades").asInt());
        assertEquals(11, a.size());
        JsonNode b = rows.get(1);
        assertEquals("1969-12-31T00:00:00+00:00", b.get("open_time").asText());
        assertEquals("1969-12-31T23:59:59.999+00:00", b.get("close_time").asText());
        assertTrue(b.get("quote_asset_volume").isNull());
        assertTrue(b.get("number_of_trades").isNull());
    }
}
