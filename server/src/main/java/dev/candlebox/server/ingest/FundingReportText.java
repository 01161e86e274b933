package dev.candlebox.server.ingest;

import dev.candlebox.db.ingest.FundingReport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A {@link FundingReport} as the command line prints it, in the shape of {@link ReportText}. */
final class FundingReportText {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private FundingReportText() {}

    static String render(FundingReport r, int show) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.symbol()).append(" funding  <-  ").append(r.source()).append('\n');
        line(sb, "read as", r.layout());
        String range = r.firstTime() == null ? "" : "   (" + minute(r.firstTime()) + " .. " + minute(r.lastTime()) + " UTC)";
        line(sb, "rows read", count(r.rowsRead()) + range);
        if (r.resumedFrom() != null) line(sb, "resumed", "after the last stored funding time, from " + minute(r.resumedFrom()));
        line(sb, "added", count(r.rowsAdded()) + "   into " + r.table());
        line(sb, "duplicates", count(r.duplicates().total()) + "   (" + count(r.duplicates().alreadyStored())
                + " already stored, " + count(r.duplicates().repeatedInSource()) + " repeated in the source)");
        if (!r.intervalHours().isEmpty()) {
            line(sb, "interval", r.intervalHours().entrySet().stream().map(FundingReportText::interval)
                    .collect(Collectors.joining(", ")) + (r.intervalsDerived() == 0 ? ""
                    : "   (" + count(r.intervalsDerived()) + " told from the spacing of the times)"));
        }
        if (r.timesRounded() > 0) line(sb, "times", count(r.timesRounded()) + "   rounded to the minute of the settlement");
        line(sb, "gaps", count(r.gapCount()) + (r.gapCount() == 0 ? "" : "   (" + count(r.missingTimes()) + " missing funding times)"));
        list(sb, r.gaps(), r.gapCount(), show, g -> minute(g.from()) + " -> " + minute(g.to()) + "   "
                + count(g.missingTimes()) + " missing");
        line(sb, "mark prices", count(r.markPrices()) + " of " + count(r.rowsRead() - r.duplicates().repeatedInSource())
                + (r.markSource() == null ? "" : "   from " + r.markSource())
                + (r.markPricesAdded() == 0 ? "" : "   (" + count(r.markPricesAdded()) + " filled into stored rows)"));
        if (r.rateConflictCount() > 0) {
            line(sb, "conflicts", count(r.rateConflictCount()) + "   stored with another rate (the stored rate is kept)");
            list(sb, r.rateConflicts(), r.rateConflictCount(), show, c -> minute(c.time()) + "  stored "
                    + c.stored().toPlainString() + ", this source " + c.source().toPlainString());
        }
        if (r.error() != null) line(sb, "STOPPED", r.error());
        long ms = Math.max(1, r.finishedAt() - r.startedAt());
        line(sb, "took", String.format(Locale.ROOT, "%.2f s", ms / 1000.0));
        return sb.toString();
    }

    private static String interval(Map.Entry<Integer, Long> e) {
        return e.getKey() + " h: " + count(e.getValue());
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append("  ").append(String.format(Locale.ROOT, "%-12s", label)).append(value).append('\n');
    }

    private static <T> void list(StringBuilder sb, List<T> items, long total, int show, Function<T, String> f) {
        int n = Math.min(show, items.size());
        for (int i = 0; i < n; i++) sb.append("      ").append(f.apply(items.get(i))).append('\n');
        if (total > n) sb.append("      ... ").append(count(total - n)).append(" more (--json lists up to --report-limit)\n");
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String minute(long t) {
        return MINUTE.format(Instant.ofEpochMilli(t));
    }
}
