package dev.candlebox.server.kline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.candlebox.db.kline.KlineColumns;

import java.io.IOException;
import java.io.OutputStream;

/** Writes klines straight from columns into JSON, in the reference API's field names. */
final class KlineJson {
    static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    /** Stored values are NUMERIC(20,8): below this magnitude, value * 1e8 is an exact long in a double. */
    private static final double FIXED_POINT_MAX = 9.0e7;
    private static final ThreadLocal<char[]> DIGITS = ThreadLocal.withInitial(() -> new char[32]);

    private KlineJson() {}

    static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static void writeRows(JsonGenerator g, KlineColumns k) throws IOException {
        for (int i = 0; i < k.size(); i++) writeRow(g, k, i);
    }

    static void writeRow(JsonGenerator g, KlineColumns k, int i) throws IOException {
        g.writeStartObject();
        g.writeStringField("open_time", IsoTime.format(k.openTime(i)));
        number(g, "open", k.open(i));
        number(g, "high", k.high(i));
        number(g, "low", k.low(i));
        number(g, "close", k.close(i));
        number(g, "volume", k.volume(i));
        g.writeStringField("close_time", IsoTime.format(k.closeTime(i)));
        number(g, "quote_asset_volume", k.quoteVolume(i));
        g.writeFieldName("number_of_trades");
        if (k.tradesCount(i) == KlineColumns.MISSING_COUNT) g.writeNull();
        else g.writeNumber(k.tradesCount(i));
        number(g, "taker_buy_base_asset_volume", k.takerBuyBaseVolume(i));
        number(g, "taker_buy_quote_asset_volume", k.takerBuyQuoteVolume(i));
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        if (Double.isNaN(v)) g.writeNull();
        else writeDecimal(g, v);
    }

    /**
     * Writes {@code v} as its decimal with at most 8 places when that decimal parses back to exactly {@code v}
     * (true for every price stored as NUMERIC(20,8) below 9e7): a fixed-point formatting that is several times
     * cheaper than the general shortest-representation algorithm, which remains the fallback.
     */
    static void writeDecimal(JsonGenerator g, double v) throws IOException {
        if (Math.abs(v) < FIXED_POINT_MAX) {
            long scaled = Math.round(v * 1e8);
            if (scaled / 1e8 == v) {
                char[] buf = DIGITS.get();
                int len = fixedPoint(buf, scaled);
                g.writeNumber(buf, 0, len);
                return;
            }
        }
        g.writeNumber(v);
    }

    /** {@code scaled} / 1e8 as text into {@code buf}: "3701.23", "3713.0", "-0.5". Returns the length. */
    static int fixedPoint(char[] buf, long scaled) {
        int p = 0;
        if (scaled < 0) {
            buf[p++] = '-';
            scaled = -scaled;
        }
        long whole = scaled / 100_000_000L;
        long frac = scaled % 100_000_000L;
        String w = Long.toString(whole);
        w.getChars(0, w.length(), buf, p);
        p += w.length();
        buf[p++] = '.';
        if (frac == 0) {
            buf[p++] = '0';
            return p;
        }
        int digits = 8;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = digits - 1; i >= 0; i--) {
            buf[p + i] = (char) ('0' + frac % 10);
            frac /= 10;
        }
        return p + digits;
    }
}
