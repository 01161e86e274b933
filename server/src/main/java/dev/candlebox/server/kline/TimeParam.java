package dev.candlebox.server.kline;

import dev.candlebox.server.http.BadRequest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Time query parameters: epoch milliseconds, or ISO-8601 with or without an offset (none means UTC), or a
 * bare date. A {@code +} that a client forgot to encode arrives as a space and is read as {@code +}.
 */
public final class TimeParam {
    public static final String ALLOWED = "epoch milliseconds (1704067200000) or ISO-8601 (2024-01-01T00:00:00+00:00, 2024-01-01T00:00:00Z, 2024-01-01T00:00:00, 2024-01-01)";
    private static final Pattern DIGITS = Pattern.compile("-?\\d+");
    /** A time of day followed by " hh:mm": the offset's '+' was decoded as a space. */
    private static final Pattern UNENCODED_PLUS = Pattern.compile("(\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?) (\\d{2}:?\\d{2})$");

    private TimeParam() {}

    public static long parse(String name, String raw) {
        String v = raw.strip();
        if (v.isEmpty()) throw new BadRequest(name, name + " is empty", ALLOWED);
        if (DIGITS.matcher(v).matches()) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new BadRequest(name, name + " is out of range: " + raw, ALLOWED);
            }
        }
        String iso = UNENCODED_PLUS.matcher(v).replaceFirst("$1+$2").replaceFirst(" ", "T");
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // no offset: UTC
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // a bare date
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRequest(name, name + " is not a time: '" + raw + "'", ALLOWED);
        }
    }
}
