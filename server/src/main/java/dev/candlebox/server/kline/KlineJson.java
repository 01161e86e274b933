package dev.candlebox.server.kline;

import dev.candlebox.db.kline.KlineColumns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes kline responses as JSON bytes straight from columns, in the reference API's field names. This is
 * the hot path of the kline API (a 1000-row page is ~280 KB): every row has the same shape, so the field
 * names are pre-encoded and numbers and times are written digit by digit, without an object per value.
 */
final class KlineJson {
    /** Stored values are NUMERIC(20,8): below this magnitude, value × 1e8 is an exact long in a double. */
    private static final double FIXED_POINT_MAX = 9.0e7;
    private static final byte[] OPEN_TIME = ascii("{\"open_time\":\"");
    private static final byte[] OPEN = ascii("\",\"open\":");
    private static final byte[] HIGH = ascii(",\"high\":");
    private static final byte[] LOW = ascii(",\"low\":");
    private static final byte[] CLOSE = ascii(",\"close\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] CLOSE_TIME = ascii(",\"close_time\":\"");
    private static final byte[] QUOTE = ascii("\",\"quote_asset_volume\":");
    private static final byte[] TRADES = ascii(",\"number_of_trades\":");
    private static final byte[] TAKER_BASE = ascii(",\"taker_buy_base_asset_volume\":");
    private static final byte[] TAKER_QUOTE = ascii(",\"taker_buy_quote_asset_volume\":");
    private static final byte[] NULL = ascii("null");

    /** Big enough for a full page; a thread keeps its buffer unless a response grew it beyond this. */
    private static final int REUSED_CAPACITY = 512 * 1024;
    private static final ThreadLocal<KlineJson> REUSED = ThreadLocal.withInitial(() -> new KlineJson(REUSED_CAPACITY));

    private byte[] buf;
    private int len;

    /** This thread's writer, emptied: pages are written without allocating a buffer per request. */
    static KlineJson reusable() {
        KlineJson json = REUSED.get();
        if (json.buf.length > 2 * REUSED_CAPACITY) {
            json = new KlineJson(REUSED_CAPACITY);
            REUSED.set(json);
        }
        json.reset();
        return json;
    }

    KlineJson(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    /** Bytes written so far; the buffer is reused by {@link #reset()}. */
    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    void reset() {
        len = 0;
    }

    KlineJson raw(String s) {
        return raw(ascii(s));
    }

    KlineJson raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** A JSON string value; symbols, intervals and times only, which never need escaping. */
    KlineJson string(String s) {
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
        buf[len++] = '"';
        return this;
    }

    KlineJson integer(long v) {
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        return digits(v);
    }

    KlineJson time(long epochMillis) {
        ensure(32);
        len = IsoTime.write(epochMillis, buf, len);
        return this;
    }

    /** Rows {@code 0..size-1} of {@code k}, comma-separated. */
    KlineJson rows(KlineColumns k) {
        for (int i = 0; i < k.size(); i++) {
            if (i > 0) raw(COMMA);
            row(k, i);
        }
        return this;
    }

    private static final byte[] COMMA = {','};

    KlineJson row(KlineColumns k, int i) {
        raw(OPEN_TIME).time(k.openTime(i));
        raw(OPEN).decimal(k.open(i));
        raw(HIGH).decimal(k.high(i));
        raw(LOW).decimal(k.low(i));
        raw(CLOSE).decimal(k.close(i));
        raw(VOLUME).decimal(k.volume(i));
        raw(CLOSE_TIME).time(k.closeTime(i));
        raw(QUOTE).decimal(k.quoteVolume(i));
        raw(TRADES);
        if (k.tradesCount(i) == KlineColumns.MISSING_COUNT) raw(NULL);
        else integer(k.tradesCount(i));
        raw(TAKER_BASE).decimal(k.takerBuyBaseVolume(i));
        raw(TAKER_QUOTE).decimal(k.takerBuyQuoteVolume(i));
        ensure(1);
        buf[len++] = '}';
        return this;
    }

    /**
     * Writes {@code v} as its decimal with at most 8 places when that decimal parses back to exactly
     * {@code v} (true for every price stored as NUMERIC(20,8) below 9e7), else as Java's shortest
     * representation; NaN (a value the source did not have) as null.
     */
    KlineJson decimal(double v) {
        if (Double.isNaN(v)) return raw(NULL);
        if (Math.abs(v) < FIXED_POINT_MAX) {
            long scaled = Math.round(v * 1e8);
            if (scaled / 1e8 == v) return fixedPoint(scaled);
        }
        return raw(Double.toString(v));
    }

    /** {@code scaled} / 1e8 as text: "3701.23", "3713.0", "-0.5". */
    private KlineJson fixedPoint(long scaled) {
        ensure(24);
        if (scaled < 0) {
            buf[len++] = '-';
            scaled = -scaled;
        }
        digits(scaled / 100_000_000L);
        buf[len++] = '.';
        long frac = scaled % 100_000_000L;
        if (frac == 0) {
            buf[len++] = '0';
            return this;
        }
        int places = 8;
        while (frac % 10 == 0) {
            frac /= 10;
            places--;
        }
        for (int i = places - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + frac % 10);
            frac /= 10;
        }
        len += places;
        return this;
    }

    private KlineJson digits(long v) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) n++;
        for (int i = n - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += n;
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
