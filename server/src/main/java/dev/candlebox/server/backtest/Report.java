package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.sandbox.engine.EquityCurve;

import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of a run: one self-contained page (inline CSS and SVG, no script, no network) with the
 * candles and buy/sell markers, equity and drawdown, the metrics and the trade list.
 */
public final class Report {
    static final int CANDLE_BUCKETS = 600;
    static final int MAX_MARKERS = 5_000;
    static final int MAX_TRADE_ROWS = 1_000;
    private static final int W = 1200, PAD = 60;
    /** Room under a chart for its dates. */
    private static final int DATES = 18;

    /** Everything a report shows; the candles are the klines the run used. */
    public record Data(String title, JsonNode request, JsonNode result, JsonNode metrics, JsonNode dataQuality,
                       KlineColumns candles, JsonNode trades, EquityCurve equity) {}

    private Report() {}

    /** The report of a stored run, its candles read back from the kline store. */
    static String html(StoredRun run, BacktestService service, ObjectMapper json) {
        JsonNode request = service.read(run.requestJson());
        JsonNode extra = service.read(run.metricsJson());
        KlineColumns candles = service.candles(run);
        return html(new Data("Backtest " + run.id(), request, service.read(run.resultJson()),
                extra == null ? null : extra.get("metrics"), extra == null ? null : extra.get("dataQuality"),
                candles, RunViews.trades(service, run.id()), RunViews.equity(service, run.id())));
    }

    public static String html(Data d) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(d.title())).append("</title>");
        h.append("<style>body{background:#0f172a;color:#e2e8f0;font:14px system-ui,sans-serif;margin:24px}h1{font-size:20px}")
                .append("h2{font-size:16px;margin-top:28px}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #334155;text-align:right}")
                .append("th{color:#94a3b8;font-weight:normal}.metrics td:first-child{text-align:left;color:#94a3b8}svg{background:#111827;border:1px solid #334155}")
                .append(".buy{fill:#16a34a}.sell{fill:#dc2626}.up{fill:#22c55e;stroke:#22c55e}.down{fill:#ef4444;stroke:#ef4444}.muted{color:#94a3b8}</style></head><body>");
        h.append("<h1>").append(esc(d.title())).append("</h1>");
        if (d.request() != null) {
            h.append("<p class=\"muted\">").append(esc(d.request().path("symbol").asText())).append(' ')
                    .append(esc(d.request().path("interval").asText())).append(" · initial balance ")
                    .append(esc(d.request().path("initialBalance").asText())).append(" · fee rate ")
                    .append(esc(d.request().path("feeRate").asText())).append("</p>");
        }
        candles(h, d);
        equity(h, d);
        h.append("<h2>Metrics</h2><table class=\"metrics\" id=\"metrics\">");
        if (d.result() != null) d.result().properties().forEach(e -> row(h, e.getKey(), e.getValue()));
        if (d.metrics() != null) d.metrics().properties().forEach(e -> row(h, e.getKey(), e.getValue()));
        if (d.dataQuality() != null) {
            row(h, "klinesUsed", d.dataQuality().get("klinesUsed"));
            row(h, "gapsInRange", d.dataQuality().get("gaps"));
        }
        h.append("</table>");
        trades(h, d);
        h.append("</body></html>");
        return h.toString();
    }

    private static void row(StringBuilder h, String name, JsonNode v) {
        if (v == null || v.isContainerNode()) return;
        h.append("<tr><td>").append(esc(name)).append("</td><td data-metric=\"").append(esc(name)).append("\">")
                .append(v.isNull() ? "—" : esc(v.isNumber() ? number(v.asDouble()) : v.asText())).append("</td></tr>");
    }

    private static void candles(StringBuilder h, Data d) {
        KlineColumns k = d.candles();
        int n = k == null ? 0 : k.size();
        h.append("<h2>Price and trades</h2>");
        if (n == 0) {
            h.append("<p class=\"muted\">no klines</p>");
            return;
        }
        int buckets = Math.min(CANDLE_BUCKETS, n);
        double per = n / (double) buckets;
        double[] o = new double[buckets], hi = new double[buckets], lo = new double[buckets], c = new double[buckets];
        long[] start = new long[buckets];
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (int b = 0; b < buckets; b++) {
            int from = (int) (b * per), to = Math.max(from + 1, (int) ((b + 1) * per));
            start[b] = k.openTime(from);
            o[b] = k.open(from);
            c[b] = k.close(to - 1);
            hi[b] = -Double.MAX_VALUE;
            lo[b] = Double.MAX_VALUE;
            for (int i = from; i < to; i++) {
                hi[b] = Math.max(hi[b], k.high(i));
                lo[b] = Math.min(lo[b], k.low(i));
            }
            min = Math.min(min, lo[b]);
            max = Math.max(max, hi[b]);
        }
        int height = 380;
        double span = max > min ? max - min : 1;
        double step = (W - 2.0 * PAD) / buckets;
        h.append("<svg id=\"candles\" width=\"").append(W).append("\" height=\"").append(height + DATES)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(height + DATES).append("\" role=\"img\" aria-label=\"candles with trades\">");
        axis(h, min, max, height);
        dateAxis(h, start[0], start[buckets - 1], PAD + step / 2, PAD + (buckets - 1) * step + step / 2, height);
        for (int b = 0; b < buckets; b++) {
            double x = PAD + b * step + step / 2;
            String cls = c[b] >= o[b] ? "up" : "down";
            h.append("<line class=\"").append(cls).append("\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x))
                    .append("\" y1=\"").append(f(y(hi[b], min, span, height))).append("\" y2=\"").append(f(y(lo[b], min, span, height))).append("\"/>");
            double top = y(Math.max(o[b], c[b]), min, span, height), bottom = y(Math.min(o[b], c[b]), min, span, height);
            h.append("<rect class=\"").append(cls).append("\" x=\"").append(f(x - step * 0.35)).append("\" y=\"").append(f(top))
                    .append("\" width=\"").append(f(Math.max(0.6, step * 0.7))).append("\" height=\"").append(f(Math.max(0.6, bottom - top))).append("\"/>");
        }
        JsonNode trades = d.trades();
        int shown = 0;
        if (trades != null) {
            for (JsonNode t : trades) {
                if (shown++ >= MAX_MARKERS) break;
                long ts = java.time.OffsetDateTime.parse(t.get("timestamp").asText()).toInstant().toEpochMilli();
                int b = bucketOf(start, ts);
                double x = PAD + b * step + step / 2;
                double price = t.get("price").asDouble();
                boolean buy = t.get("type").asText().equals("buy");
                double y = y(price, min, span, height) + (buy ? 10 : -10);
                String points = buy ? f(x) + "," + f(y - 6) + " " + f(x - 6) + "," + f(y + 5) + " " + f(x + 6) + "," + f(y + 5)
                        : f(x) + "," + f(y + 6) + " " + f(x - 6) + "," + f(y - 5) + " " + f(x + 6) + "," + f(y - 5);
                h.append("<polygon class=\"marker ").append(buy ? "buy" : "sell").append("\" points=\"").append(points).append("\"><title>")
                        .append(buy ? "BUY " : "SELL ").append(esc(t.get("amount").asText())).append(" @ ").append(esc(t.get("price").asText()))
                        .append(" fee ").append(esc(t.get("fee").asText())).append(" · ").append(esc(t.get("timestamp").asText()))
                        .append("</title></polygon>");
            }
        }
        h.append("</svg>");
        if (trades != null && trades.size() > MAX_MARKERS) {
            h.append("<p class=\"muted\">first ").append(MAX_MARKERS).append(" of ").append(trades.size()).append(" trades marked</p>");
        }
    }

    private static int bucketOf(long[] start, long ts) {
        int lo = 0, hi = start.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (start[mid] <= ts) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private static void equity(StringBuilder h, Data d) {
        EquityCurve e = d.equity();
        int n = e == null ? 0 : e.size();
        h.append("<h2>Equity and drawdown</h2>");
        if (n == 0) {
            h.append("<p class=\"muted\">no equity curve</p>");
            return;
        }
        double initial = d.result() == null ? e.equity()[0] : d.result().path("initialBalance").asDouble(e.equity()[0]);
        int points = Math.min(n, W - 2 * PAD);
        double per = n / (double) points;
        double[] eq = new double[points], dd = new double[points];
        double peak = initial, min = Double.MAX_VALUE, max = -Double.MAX_VALUE, maxDd = 0;
        int p = 0;
        double worstInBucket = 0;
        for (int i = 0; i < n; i++) {
            peak = Math.max(peak, e.equity()[i]);
            double draw = peak > 0 ? (peak - e.equity()[i]) / peak : 0;
            worstInBucket = Math.max(worstInBucket, draw);
            int bucket = Math.min(points - 1, (int) (i / per));
            if (i == n - 1 || (int) ((i + 1) / per) != bucket) {
                eq[bucket] = e.equity()[i];
                dd[bucket] = worstInBucket;
                worstInBucket = 0;
                p = bucket;
            }
        }
        for (int i = 0; i <= p; i++) {
            min = Math.min(min, eq[i]);
            max = Math.max(max, eq[i]);
            maxDd = Math.max(maxDd, dd[i]);
        }
        int height = 220;
        double span = max > min ? max - min : 1;
        double step = (W - 2.0 * PAD) / points;
        h.append("<svg id=\"equity\" width=\"").append(W).append("\" height=\"").append(height + DATES).append("\" role=\"img\" aria-label=\"equity\">");
        axis(h, min, max, height);
        dateAxis(h, e.timestamp()[0], e.timestamp()[n - 1], PAD, PAD + p * step, height);
        h.append("<polyline fill=\"none\" stroke=\"#38bdf8\" stroke-width=\"1.5\" points=\"");
        for (int i = 0; i <= p; i++) h.append(f(PAD + i * step)).append(',').append(f(y(eq[i], min, span, height))).append(' ');
        h.append("\"/></svg>");
        int ddHeight = 140;
        double ddSpan = maxDd > 0 ? maxDd : 1;
        h.append("<svg id=\"drawdown\" width=\"").append(W).append("\" height=\"").append(ddHeight + DATES).append("\" role=\"img\" aria-label=\"drawdown\">");
        dateAxis(h, e.timestamp()[0], e.timestamp()[n - 1], PAD, PAD + p * step, ddHeight);
        h.append("<text x=\"4\" y=\"14\" fill=\"#94a3b8\" font-size=\"11\">0%</text><text x=\"4\" y=\"").append(ddHeight - 6)
                .append("\" fill=\"#94a3b8\" font-size=\"11\">-").append(String.format(Locale.ROOT, "%.2f", maxDd * 100)).append("%</text>");
        h.append("<polygon fill=\"#ef444466\" stroke=\"#ef4444\" points=\"").append(PAD).append(",10 ");
        for (int i = 0; i <= p; i++) h.append(f(PAD + i * step)).append(',').append(f(10 + dd[i] / ddSpan * (ddHeight - 20))).append(' ');
        h.append(f(PAD + p * step)).append(",10\"/></svg>");
    }

    private static void trades(StringBuilder h, Data d) {
        JsonNode trades = d.trades();
        int n = trades == null ? 0 : trades.size();
        h.append("<h2>Trades (").append(n).append(")</h2><table id=\"trades\"><tr><th>#</th><th>time</th><th>type</th><th>price</th><th>amount</th><th>fee</th><th>balance</th></tr>");
        for (int i = 0; i < Math.min(n, MAX_TRADE_ROWS); i++) {
            JsonNode t = trades.get(i);
            h.append("<tr><td>").append(i + 1).append("</td><td>").append(esc(t.get("timestamp").asText())).append("</td><td class=\"")
                    .append(esc(t.get("type").asText())).append("\">").append(esc(t.get("type").asText())).append("</td><td>")
                    .append(esc(t.get("price").asText())).append("</td><td>").append(esc(t.get("amount").asText())).append("</td><td>")
                    .append(esc(t.get("fee").asText())).append("</td><td>").append(esc(t.get("balance").asText())).append("</td></tr>");
        }
        h.append("</table>");
        if (n > MAX_TRADE_ROWS) h.append("<p class=\"muted\">first ").append(MAX_TRADE_ROWS).append(" of ").append(n).append(" trades listed</p>");
    }

    /**
     * Five UTC dates under a chart whose plot ends at {@code height}, from {@code from} at {@code x0} to
     * {@code to} at {@code x1}; with the time of day when the range is under three days.
     */
    static void dateAxis(StringBuilder h, long from, long to, double x0, double x1, int height) {
        boolean withTime = to - from < 3 * 86_400_000L;
        java.time.format.DateTimeFormatter fmt = java.time.format.DateTimeFormatter.ofPattern(withTime ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd")
                .withZone(java.time.ZoneOffset.UTC);
        int ticks = to > from ? 4 : 0;
        for (int i = 0; i <= ticks; i++) {
            long t = ticks == 0 ? from : from + (to - from) * i / ticks;
            double x = ticks == 0 ? x0 : x0 + (x1 - x0) * i / ticks;
            String anchor = i == 0 ? "start" : i == ticks ? "end" : "middle";
            h.append("<text class=\"date\" x=\"").append(f(x)).append("\" y=\"").append(height + DATES - 4).append("\" text-anchor=\"")
                    .append(anchor).append("\" fill=\"#94a3b8\" font-size=\"11\">").append(fmt.format(java.time.Instant.ofEpochMilli(t))).append("</text>");
        }
    }

    private static void axis(StringBuilder h, double min, double max, int height) {
        h.append("<text x=\"4\" y=\"14\" fill=\"#94a3b8\" font-size=\"11\">").append(number(max)).append("</text>");
        h.append("<text x=\"4\" y=\"").append(height - 6).append("\" fill=\"#94a3b8\" font-size=\"11\">").append(number(min)).append("</text>");
    }

    private static double y(double v, double min, double span, int height) {
        return 10 + (1 - (v - min) / span) * (height - 20);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "—";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.2f" : "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static final Map<Character, String> ENTITIES = Map.of('<', "&lt;", '>', "&gt;", '&', "&amp;", '"', "&quot;", '\'', "&#39;");

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            String r = ENTITIES.get(s.charAt(i));
            if (r != null) b.append(r);
            else b.append(s.charAt(i));
        }
        return b.toString();
    }
}
