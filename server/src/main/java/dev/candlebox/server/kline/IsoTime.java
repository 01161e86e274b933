package dev.candlebox.server.kline;

/** Formats epoch milliseconds as ISO-8601 UTC with an explicit offset, as the reference API does. */
public final class IsoTime {
    private IsoTime() {}

    /** {@code 2024-01-01T00:00:00+00:00}, or {@code 2024-01-01T00:59:59.999+00:00} when there are millis. */
    public static String format(long epochMillis) {
        byte[] out = new byte[40];
        int n = write(epochMillis, out, 0);
        return new String(out, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes the ISO form of {@code epochMillis} into {@code out} at {@code p}; returns the end. */
    static int write(long epochMillis, byte[] out, int p) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        long days = Math.floorDiv(seconds, 86_400);
        int secOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil-from-days (Howard Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) y++;
        if (y < 0 || y > 9999) {
            byte[] text = java.time.Instant.ofEpochMilli(epochMillis).toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, out, p, text.length);
            return p + text.length;
        }
        p = digits(out, p, (int) y, 4);
        out[p++] = '-';
        p = digits(out, p, m, 2);
        out[p++] = '-';
        p = digits(out, p, d, 2);
        out[p++] = 'T';
        p = digits(out, p, secOfDay / 3600, 2);
        out[p++] = ':';
        p = digits(out, p, secOfDay / 60 % 60, 2);
        out[p++] = ':';
        p = digits(out, p, secOfDay % 60, 2);
        if (millis != 0) {
            out[p++] = '.';
            p = digits(out, p, millis, 3);
        }
        out[p++] = '+';
        out[p++] = '0';
        out[p++] = '0';
        out[p++] = ':';
        out[p++] = '0';
        out[p++] = '0';
        return p;
    }

    private static int digits(byte[] out, int p, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[p + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }
}
