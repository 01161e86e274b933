package dev.candlebox.db.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Reads the times kline files carry: epoch numbers (seconds, milliseconds, microseconds or nanoseconds,
 * told apart by magnitude) and ISO-8601 text ({@code 2025-10-29 04:22:00+00:00}, {@code 2024-01-01T00:00:00Z},
 * {@code 2021-04-04 20:00:00}: no offset means UTC). Everything becomes epoch milliseconds, UTC.
 */
final class KlineTime {
    private KlineTime() {}

    /*
     * Magnitude bounds: for any date between 1973 and 5138 the four units do not overlap, so one value is
     * enough to tell them apart. data.binance.vision's spot files switched to microseconds in 2025.
     */
    private static final long MILLIS_FROM = 100_000_000_000L;          // 1e11
    private static final long MICROS_FROM = 100_000_000_000_000L;      // 1e14
    private static final long NANOS_FROM = 100_000_000_000_000_000L;   // 1e17

    /** Epoch milliseconds of {@code text}; throws {@link IllegalArgumentException} with a reason if it is no time. */
    static long parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("empty time");
        char first = s.charAt(0);
        if (looksNumeric(s)) return fromEpoch(s);
        if (first >= '0' && first <= '9') return parseIso(s);
        throw new IllegalArgumentException("'" + abbreviate(s) + "' is not a time (epoch number or ISO-8601)");
    }

    /** True when {@code text} reads as a time: used to tell a header row from a data row. */
    static boolean isTime(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static long fromEpoch(String s) {
        long v;
        if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
            double d = Double.parseDouble(s); // pandas writes 1.5463008E12 or 1546300800000.0
            if (!Double.isFinite(d)) throw new IllegalArgumentException("'" + s + "' is not a time");
            v = Math.round(d);
        } else {
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + abbreviate(s) + "' is not a time");
            }
        }
        return fromEpoch(v);
    }

    static long fromEpoch(long v) {
        if (v < 0) throw new IllegalArgumentException(v + " is not a time (negative)");
        if (v >= NANOS_FROM) return v / 1_000_000L;
        if (v >= MICROS_FROM) return v / 1_000L;
        if (v >= MILLIS_FROM) return v;
        return v * 1_000L;
    }

    private static boolean looksNumeric(String s) {
        int i = 0;
        if (s.charAt(0) == '+') i = 1;
        boolean digit = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digit = true;
            else if (c != '.' && c != 'e' && c != 'E' && c != '+') return false;
        }
        return digit;
    }

    /**
     * A hand-written reader for the common shapes ({@code yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]][Z|±HH[:]MM]}),
     * several times faster than {@link DateTimeFormatter}, with {@link OffsetDateTime} as the fallback.
     */
    static long parseIso(String s) {
        try {
            int n = s.length();
            if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') return fallback(s);
            int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            int hour = 0, minute = 0, second = 0, nanos = 0;
            int i = 10;
            if (i < n && (s.charAt(i) == ' ' || s.charAt(i) == 'T')) {
                if (n < i + 6 || s.charAt(i + 3) != ':') return fallback(s);
                hour = digits(s, i + 1, i + 3);
                minute = digits(s, i + 4, i + 6);
                i += 6;
                if (i < n && s.charAt(i) == ':') {
                    second = digits(s, i + 1, i + 3);
                    i += 3;
                    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                        int start = ++i;
                        while (i < n && Character.isDigit(s.charAt(i))) i++;
                        String frac = (s.substring(start, i) + "000000000").substring(0, 9);
                        nanos = Integer.parseInt(frac);
                    }
                }
            }
            int offsetSeconds = 0;
            if (i < n) {
                char c = s.charAt(i);
                if ((c == 'Z' || c == 'z') && i == n - 1) {
                    offsetSeconds = 0;
                } else if (c == '+' || c == '-') {
                    String off = s.substring(i + 1).replace(":", "");
                    if (off.length() != 2 && off.length() != 4) return fallback(s);
                    int oh = digits(off, 0, 2), om = off.length() == 4 ? digits(off, 2, 4) : 0;
                    offsetSeconds = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                } else {
                    return fallback(s);
                }
            }
            if (hour > 23 || minute > 59 || second > 59) throw new DateTimeException("time of day out of range");
            long secondsOfDay = hour * 3600L + minute * 60L + second;
            return (epochDay * 86_400L + secondsOfDay - offsetSeconds) * 1000L + nanos / 1_000_000;
        } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + abbreviate(s) + "' is not an ISO-8601 time: " + e.getMessage());
        }
    }

    private static long fallback(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException("'" + abbreviate(s) + "' is not an ISO-8601 time");
            }
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException("expected a digit at '" + abbreviate(s) + "'[" + i + "]");
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code 2024-01-01T00:00:00Z}: how reports and errors show a time. */
    static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
