package dev.candlebox.server.derivatives;

import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.derivatives.Liquidations;
import dev.candlebox.db.derivatives.LongShortRatio;
import dev.candlebox.db.derivatives.OpenInterest;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.kline.IsoTime;
import dev.candlebox.server.kline.KlineRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/derivatives/{symbol}/{interval}} (contract section 7), in the kline API's style: the same
 * times, paging, limit, errors and rate limit. Per open time at which any kind has a row: open interest,
 * long/short ratio and liquidations (null where that kind has no row), and the funding rate in force (the last
 * settled at or before the time).
 */
public final class DerivativesRoutes {
    private final Derivatives derivatives;

    public DerivativesRoutes(Derivatives derivatives) {
        this.derivatives = derivatives;
    }

    public void register(Javalin app) {
        app.get("/api/v1/derivatives/{symbol}/{interval}", this::page);
    }

    /** Rows with start_time &lt; open_time &lt;= end_time, ascending, at most limit. */
    private void page(Context ctx) {
        Series series = series(ctx);
        long start = KlineRoutes.optionalTime(ctx, "start_time").orElse(Long.MIN_VALUE);
        long end = KlineRoutes.optionalTime(ctx, "end_time").orElse(Long.MAX_VALUE);
        if (start > end) throw new BadRequest("start_time", "start_time is after end_time", "start_time <= end_time");
        int limit = KlineRoutes.limit(ctx);
        List<Derivatives.Row> rows = derivatives.page(series.symbol(), series.interval(), start, end, limit);
        List<Map<String, Object>> data = new ArrayList<>(rows.size());
        for (Derivatives.Row r : rows) data.add(json(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", series.symbol());
        body.put("interval", series.interval().code());
        body.put("count", rows.size());
        body.put("data", data);
        if (rows.size() == limit) {
            // as the kline API: the reference client's pagination, and a cursor on top of it
            ctx.header("Link", "<" + ctx.path() + "?start_time=" + rows.getLast().timeMs() + "&limit=" + limit
                    + (end == Long.MAX_VALUE ? "" : "&end_time=" + end) + ">; rel=\"next\"");
        }
        ctx.json(body);
    }

    private static Map<String, Object> json(Derivatives.Row r) {
        OpenInterest oi = r.openInterest();
        LongShortRatio ls = r.longShortRatio();
        Liquidations liq = r.liquidations();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open_time", IsoTime.format(r.timeMs()));
        m.put("open_interest", oi == null ? null : oi.openInterest());
        m.put("open_interest_value", oi == null ? null : oi.openInterestValue());
        m.put("long_short_ratio", ls == null ? null : ls.ratio());
        m.put("long_account", ls == null ? null : ls.longAccount());
        m.put("short_account", ls == null ? null : ls.shortAccount());
        m.put("liquidations_long", liq == null ? null : liq.longValue());
        m.put("liquidations_short", liq == null ? null : liq.shortValue());
        m.put("liquidations_long_base", liq == null ? null : liq.longBase());
        m.put("liquidations_short_base", liq == null ? null : liq.shortBase());
        m.put("funding_rate", r.funding() == null ? null : r.funding().rate());
        m.put("funding_time", r.funding() == null ? null : IsoTime.format(r.funding().timeMs()));
        return m;
    }

    private Series series(Context ctx) {
        String rawInterval = ctx.pathParam("interval");
        Interval interval = Interval.parse(rawInterval).orElseThrow(() -> new BadRequest("interval",
                "unknown interval '" + rawInterval + "'", String.join(", ", Interval.codes())));
        String rawSymbol = ctx.pathParam("symbol");
        String symbol = Series.normalizeSymbol(rawSymbol).orElseThrow(() -> new BadRequest("symbol",
                "invalid symbol '" + rawSymbol + "'", "letters and digits, e.g. BTCUSDT; with derivatives data: " + derivatives.symbols()));
        List<Interval> intervals = derivatives.intervals(symbol);
        if (intervals.isEmpty()) {
            throw new BadRequest("symbol", "unknown symbol '" + rawSymbol + "'", "symbols with derivatives data: " + derivatives.symbols());
        }
        if (!intervals.contains(interval)) {
            throw new BadRequest("interval", "no " + symbol + " derivatives data at interval '" + rawInterval + "'",
                    "intervals with derivatives data for " + symbol + ": " + intervals.stream().map(Interval::code).toList());
        }
        return new Series(symbol, interval);
    }
}
