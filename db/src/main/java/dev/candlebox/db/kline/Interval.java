package dev.candlebox.db.kline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Binance's kline intervals. {@code 1M} (month) gets the table suffix {@code 1mo}: the reference system
 * mapped it to {@code 1m}, colliding with the minute table.
 */
public enum Interval {
    M1("1m", 60_000L),
    M3("3m", 3 * 60_000L),
    M5("5m", 5 * 60_000L),
    M15("15m", 15 * 60_000L),
    M30("30m", 30 * 60_000L),
    H1("1h", 3_600_000L),
    H2("2h", 2 * 3_600_000L),
    H4("4h", 4 * 3_600_000L),
    H6("6h", 6 * 3_600_000L),
    H8("8h", 8 * 3_600_000L),
    H12("12h", 12 * 3_600_000L),
    D1("1d", 86_400_000L),
    D3("3d", 3 * 86_400_000L),
    W1("1w", 7 * 86_400_000L),
    MONTH1("1M", 0L);

    private final String code;
    private final long millis;

    Interval(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** The code clients use: {@code 1m}, {@code 1h}, {@code 1M}... */
    public String code() {
        return code;
    }

    /** The suffix of the table name: the code in lower case, except {@code 1mo} for the month. */
    public String tableSuffix() {
        return this == MONTH1 ? "1mo" : code;
    }

    /** Open time of the kline after the one opening at {@code openTime} (calendar months for {@code 1M}). */
    public long next(long openTime) {
        if (this != MONTH1) return openTime + millis;
        return Instant.ofEpochMilli(openTime).atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
    }

    /** Klines that fit strictly between two open times of this interval (0 for neighbours). */
    public long barsBetween(long from, long to) {
        if (this != MONTH1) return Math.max(0, (to - from) / millis - 1);
        long n = 0;
        for (long t = next(from); t < to; t = next(t)) n++;
        return n;
    }

    /** Nominal length in milliseconds (30 days for {@code 1M}); for annualising and sizing only. */
    public long nominalMillis() {
        return this == MONTH1 ? 30 * 86_400_000L : millis;
    }

    public static Optional<Interval> parse(String code) {
        for (Interval i : values()) if (i.code.equals(code)) return Optional.of(i);
        return Optional.empty();
    }

    /** Parses a table suffix ({@code 1h}, {@code 1mo}). */
    public static Optional<Interval> fromTableSuffix(String suffix) {
        for (Interval i : values()) if (i.tableSuffix().equals(suffix)) return Optional.of(i);
        return Optional.empty();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Interval::code).toList();
    }
}
