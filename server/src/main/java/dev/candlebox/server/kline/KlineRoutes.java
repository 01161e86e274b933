package dev.candlebox.server.kline;

import dev.candlebox.db.kline.AggregatedKlines;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.http.BadRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reference system's kline API (contract §1), under {@code /api/v1/kline}. */
public final class KlineRoutes {
    public static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_LIMIT = 100;
    private static final int BATCH_CHUNK = 2_000;
    private static final String JSON = "application/json";

    private final KlineStore store;

    public KlineRoutes(KlineStore store) {
        this.store = store;
    }

    public void register(Javalin app) {
        app.get("/api/v1/kline/symbols", ctx -> ctx.json(Map.of("symbols", store.symbols())));
        app.get("/api/v1/kline/intervals", ctx -> ctx.json(Map.of("intervals", Interval.codes())));
        app.get("/api/v1/kline/{symbol}/{interval}", this::page);
        app.get("/api/v1/kline/{symbol}/{interval}/previous", ctx -> neighbour(ctx, true));
        app.get("/api/v1/kline/{symbol}/{interval}/next", ctx -> neighbour(ctx, false));
        app.get("/api/v1/kline/{symbol}/{interval}/batch", this::batch);
    }

    /** Rows with start_time &lt; open_time &lt;= end_time, ascending, at most limit. */
    private void page(Context ctx) throws IOException {
        Series series = series(ctx, false);
        long start = optionalTime(ctx, "start_time").orElse(Long.MIN_VALUE);
        long end = optionalTime(ctx, "end_time").orElse(Long.MAX_VALUE);
        if (start > end) throw new BadRequest("start_time", "start_time is after end_time", "start_time <= end_time");
        int limit = limit(ctx);
        Optional<Interval> source = store.hasRows(series) ? Optional.empty()
                : AggregatedKlines.source(store, series, start == Long.MIN_VALUE ? start : start - series.interval().nominalMillis(), end);
        KlineColumns rows = source.isPresent()
                ? AggregatedKlines.page(store, series, source.get(), start, end, limit)
                : store.page(series, start, end, limit);
        if (source.isPresent()) ctx.header("X-Aggregated-From", source.get().code());
        KlineJson json = KlineJson.reusable();
        head(json, series).raw(",\"count\":").integer(rows.size()).raw(",\"data\":[").rows(rows).raw("]}");
        if (rows.size() == limit) {
            // a cursor on top of the reference client's pagination: ask again from the last open time
            ctx.header("Link", "<" + ctx.path() + "?start_time=" + rows.openTime(rows.size() - 1) + "&limit=" + limit
                    + (end == Long.MAX_VALUE ? "" : "&end_time=" + end) + ">; rel=\"next\"");
        }
        send(ctx, json);
    }

    /** Writes the bytes straight to the response: no copy of a page that can be 300 KB. */
    private static void send(Context ctx, KlineJson json) throws IOException {
        ctx.contentType(JSON);
        ctx.res().setContentLength(json.length());
        OutputStream out = ctx.res().getOutputStream();
        out.write(json.buffer(), 0, json.length());
        out.flush();
    }

    private void neighbour(Context ctx, boolean previous) throws IOException {
        Series series = series(ctx, true);
        long current = optionalTime(ctx, "current_time").orElseGet(System::currentTimeMillis);
        Optional<KlineColumns> row = previous ? store.previous(series, current) : store.next(series, current);
        KlineJson json = KlineJson.reusable();
        head(json, series).raw(",\"data\":");
        if (row.isPresent()) json.row(row.get(), 0);
        else json.raw("null");
        send(ctx, json.raw("}"));
    }

    /** Both bounds inclusive; streamed in chunks so memory stays bounded however wide the range. */
    private void batch(Context ctx) throws IOException {
        Series series = series(ctx, true);
        long start = requiredTime(ctx, "start_time");
        long end = requiredTime(ctx, "end_time");
        if (start > end) throw new BadRequest("start_time", "start_time is after end_time", "start_time <= end_time");
        ctx.contentType(JSON);
        OutputStream out = ctx.res().getOutputStream();
        KlineJson json = new KlineJson(BATCH_CHUNK * 300);
        head(json, series).raw(",\"start_time\":").string(IsoTime.format(start))
                .raw(",\"end_time\":").string(IsoTime.format(end)).raw(",\"data\":[");
        long[] count = {0};
        store.scan(series, start, end, BATCH_CHUNK, chunk -> {
            if (count[0] > 0) json.raw(",");
            json.rows(chunk);
            count[0] += chunk.size();
            try {
                out.write(json.buffer(), 0, json.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.reset();
        });
        // count comes after data: it is only known once the rows have been streamed
        json.raw("],\"count\":").integer(count[0]).raw("}");
        out.write(json.buffer(), 0, json.length());
        out.flush();
    }

    private static KlineJson head(KlineJson json, Series series) {
        return json.raw("{\"symbol\":").string(series.symbol()).raw(",\"interval\":").string(series.interval().code());
    }

    /**
     * The series of the path; a 400 naming the field when it has no data. {@code storedOnly}: false for the page,
     * which also serves an interval built from a stored shorter one ({@link AggregatedKlines}).
     */
    private Series series(Context ctx, boolean storedOnly) {
        String rawInterval = ctx.pathParam("interval");
        Interval interval = Interval.parse(rawInterval).orElseThrow(() -> new BadRequest("interval",
                "unknown interval '" + rawInterval + "'", String.join(", ", Interval.codes())));
        String rawSymbol = ctx.pathParam("symbol");
        String symbol = Series.normalizeSymbol(rawSymbol).orElseThrow(() -> new BadRequest("symbol",
                "invalid symbol '" + rawSymbol + "'", "letters and digits, e.g. BTCUSDT; with data: " + store.symbols()));
        Series series = new Series(symbol, interval);
        if (!storedOnly && !store.hasRows(series) && AggregatedKlines.source(store, series).isPresent()) return series;
        if (!store.exists(series)) {
            List<String> symbols = store.symbols();
            if (!symbols.contains(symbol)) {
                throw new BadRequest("symbol", "unknown symbol '" + rawSymbol + "'", "symbols with data: " + symbols);
            }
            List<String> intervals = store.seriesWithData().stream().filter(s -> s.symbol().equals(symbol))
                    .map(s -> s.interval().code()).toList();
            throw new BadRequest("interval", "no " + symbol + " klines at interval '" + rawInterval + "'",
                    "intervals with data for " + symbol + ": " + intervals);
        }
        return series;
    }

    /** A time query parameter, or empty when absent; a 400 naming it when malformed. Shared by the derivatives API. */
    public static Optional<Long> optionalTime(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return Optional.empty();
        return Optional.of(TimeParam.parse(name, raw));
    }

    private static long requiredTime(Context ctx, String name) {
        return optionalTime(ctx, name).orElseThrow(() -> new BadRequest(name, name + " is required", TimeParam.ALLOWED));
    }

    /** The {@code limit} query parameter: 1..{@link #MAX_LIMIT}, default 100. Shared by the derivatives API. */
    public static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isEmpty()) return DEFAULT_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest("limit", "limit is not an integer: '" + raw + "'", "1.." + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit", "limit " + limit + " is out of range", "1.." + MAX_LIMIT);
        }
        return limit;
    }
}
