package dev.candlebox.server.ingest;

import dev.candlebox.db.ingest.ImportReport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** An {@link ImportReport} as the command line prints it: a few aligned lines, lists shortened to {@code show} entries. */
final class ReportText {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ReportText() {}

    static String render(ImportReport r, int show) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.symbol()).append(' ').append(r.interval()).append("  <-  ").append(r.source()).append('\n');
        line(sb, "read as", r.layout());
        String range = r.firstOpenTime() == null ? "" : "   (" + minute(r.firstOpenTime()) + " .. " + minute(r.lastOpenTime()) + " UTC)";
        line(sb, "rows read", count(r.rowsRead()) + range);
        if (r.resumedFrom() != null) line(sb, "resumed", "after the last stored kline, from " + minute(r.resumedFrom()));
        if (r.shiftMillis() != 0) line(sb, "shifted", String.format(Locale.ROOT, "%+.2f h", r.shiftMillis() / 3_600_000.0));
        line(sb, "added", count(r.rowsAdded()) + "   into " + r.table());
        line(sb, "duplicates", count(r.duplicates().total()) + "   (" + count(r.duplicates().alreadyStored())
                + " already stored, " + count(r.duplicates().repeatedInSource()) + " repeated in the source)");
        line(sb, "dropped", count(r.rowsDropped()) + (r.rowsDropped() == 0 ? "" : "   (possibly still forming, not stored)"));
        list(sb, r.dropped(), r.rowsDropped(), show, d -> minute(d.openTime()) + "  " + switch (d.reason()) {
            case CLOSES_AFTER_IMPORT -> "closes at " + millis(d.closeTime()) + ", after the import";
            case LAST_ROW_UNCONFIRMED -> "last row of a source without close times (--keep-last-row to store it)";
        });
        line(sb, "gaps", count(r.gapCount()) + (r.gapCount() == 0 ? "" : "   (" + count(r.missingBars()) + " missing klines)"));
        list(sb, r.gaps(), r.gapCount(), show, g -> minute(g.from()) + " -> " + minute(g.to()) + "   "
                + count(g.missingBars()) + " missing");
        line(sb, "OHLC errors", count(r.ohlcViolationCount()) + (r.ohlcViolationCount() == 0 ? "" : "   (stored as read)"));
        list(sb, r.ohlcViolations(), r.ohlcViolationCount(), show, v -> minute(v.openTime()) + "  "
                + String.join(", ", v.problems().stream().map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList()));
        if (r.irregularCloseTimeCount() > 0) {
            line(sb, "close times", count(r.irregularCloseTimeCount()) + "   not at the end of their interval (Binance closes a kline early when trading stops)");
            list(sb, r.irregularCloseTimes(), r.irregularCloseTimeCount(), show,
                    c -> minute(c.openTime()) + "  closed " + millis(c.closeTime()));
        }
        if (r.error() != null) line(sb, "STOPPED", r.error());
        long ms = Math.max(1, r.finishedAt() - r.startedAt());
        line(sb, "took", String.format(Locale.ROOT, "%.2f s (%s rows/s)", ms / 1000.0, count(r.rowsRead() * 1000 / ms)));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append("  ").append(String.format(Locale.ROOT, "%-12s", label)).append(value).append('\n');
    }

    private static <T> void list(StringBuilder sb, List<T> items, long total, int show, Function<T, String> f) {
        int n = Math.min(show, items.size());
        for (int i = 0; i < n; i++) sb.append("      ").append(f.apply(items.get(i))).append('\n');
        if (total > n) {
            sb.append("      ... ").append(count(total - n)).append(" more");
            if (items.size() > n) {
                sb.append(" (listed with --json and in candlebox_import.report").append(total > items.size() ? ", up to --report-limit" : "").append(')');
            } else {
                sb.append(" (beyond --report-limit: counted, not listed)");
            }
            sb.append('\n');
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String minute(long t) {
        return MINUTE.format(Instant.ofEpochMilli(t));
    }

    private static String millis(long t) {
        return MILLIS.format(Instant.ofEpochMilli(t));
    }
}
