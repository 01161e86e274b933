package dev.candlebox.server.ingest;

import dev.candlebox.db.ingest.DerivativesReport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A {@link DerivativesReport} as the command line prints it, in the shape of {@link ReportText}. */
final class DerivativesReportText {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private DerivativesReportText() {}

    static String render(DerivativesReport r, int show) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.symbol()).append(' ').append(r.interval()).append(" derivatives  <-  ").append(r.source()).append('\n');
        line(sb, "read as", r.layout());
        line(sb, "interval", r.interval() + "   (from the " + r.intervalFrom() + ")");
        line(sb, "shift", r.shift());
        String range = r.firstTime() == null ? "" : "   (" + minute(r.firstTime()) + " .. " + minute(r.lastTime()) + " UTC)";
        line(sb, "rows read", count(r.rowsRead()) + range);
        line(sb, "added", r.added().entrySet().stream().map(DerivativesReportText::added).collect(Collectors.joining(", ")));
        line(sb, "duplicates", count(r.duplicates().total()) + "   (" + count(r.duplicates().alreadyStored())
                + " already stored, " + count(r.duplicates().repeatedInSource()) + " repeated in the source)");
        line(sb, "gaps", count(r.gapCount()) + (r.gapCount() == 0 ? "" : "   (" + count(r.missingTimes()) + " missing times)"));
        list(sb, r.gaps(), r.gapCount(), show, g -> minute(g.from()) + " -> " + minute(g.to()) + "   "
                + count(g.missingTimes()) + " missing");
        if (r.valuesRounded() > 0) line(sb, "rounded", count(r.valuesRounded()) + "   values with more than 12 decimals");
        if (r.liquidationsPriced() + r.liquidationsUnpriced() > 0) {
            line(sb, "priced", count(r.liquidationsPriced()) + " liquidations in the base asset valued at the kline close"
                    + (r.priceSource() == null ? "" : " from " + r.priceSource())
                    + (r.liquidationsUnpriced() == 0 ? "" : "; " + count(r.liquidationsUnpriced()) + " without a price (quote value NULL)"));
        }
        if (r.rowsCompleted() > 0) line(sb, "completed", count(r.rowsCompleted()) + "   stored rows gained values they lacked");
        if (r.conflictCount() > 0) {
            line(sb, "conflicts", count(r.conflictCount()) + "   stored with another value (the stored value is kept)");
            list(sb, r.conflicts(), r.conflictCount(), show, c -> minute(c.time()) + "  " + c.column() + " stored "
                    + c.stored().toPlainString() + ", this source " + c.source().toPlainString());
        }
        if (r.error() != null) line(sb, "STOPPED", r.error());
        long ms = Math.max(1, r.finishedAt() - r.startedAt());
        line(sb, "took", String.format(Locale.ROOT, "%.2f s", ms / 1000.0));
        return sb.toString();
    }

    private static String added(Map.Entry<String, Long> e) {
        return count(e.getValue()) + " into " + e.getKey();
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
