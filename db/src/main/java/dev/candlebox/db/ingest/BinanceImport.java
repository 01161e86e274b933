package dev.candlebox.db.ingest;

import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;

import java.util.Optional;

/**
 * Downloads a symbol's klines for a time range from Binance's public REST API into the store, page by page,
 * each page stored as soon as it arrives. Resumable: unless told otherwise it starts after the last kline
 * already stored in the range, so a download that was interrupted (or failed) continues where it stopped
 * when run again. The kline still forming at the end of the range is dropped (see {@link ImportReport}).
 */
public final class BinanceImport {
    private final KlineStore store;
    private final ImportLog log;
    private final BinanceClient client;
    private final ImportSettings settings;

    public BinanceImport(KlineStore store, ImportLog log, BinanceClient client, ImportSettings settings) {
        this.store = store;
        this.log = log;
        this.client = client;
        this.settings = settings;
    }

    /**
     * One download.
     *
     * @param symbol  Binance's symbol, e.g. BTCUSDT
     * @param from    first open time wanted (inclusive), epoch ms
     * @param to      end of the range (exclusive), epoch ms
     * @param storeAs the symbol to store under (null: {@code symbol}); the table layout has no market, so
     *                futures stored next to spot need a name of their own, e.g. BTCUSDTPERP
     * @param resume  start after the last kline stored in [from, to) instead of at {@code from}
     */
    public record Request(BinanceMarket market, String symbol, Interval interval, long from, long to, String storeAs,
                          boolean resume) {
        public Request {
            if (market == null || interval == null) throw new IllegalArgumentException("market and interval are required");
            String given = symbol;
            symbol = Series.normalizeSymbol(given).orElseThrow(() -> new IllegalArgumentException(
                    "invalid symbol '" + given + "': 2 to 32 letters and digits, like BTCUSDT"));
            if (storeAs != null) {
                String raw = storeAs;
                storeAs = Series.normalizeSymbol(storeAs).orElseThrow(() -> new IllegalArgumentException(
                        "invalid symbol to store as '" + raw + "'"));
            }
            if (from >= to) {
                throw new IllegalArgumentException("the range is empty or reversed: from " + KlineTime.format(from)
                        + " is not before to " + KlineTime.format(to));
            }
        }

        public Series series() {
            return new Series(storeAs == null ? symbol : storeAs, interval);
        }
    }

    public ImportReport run(Request request, ImportListener listener) {
        Series series = request.series();
        Interval interval = request.interval();
        long start = request.from();
        Long resumedFrom = null;
        if (request.resume() && store.exists(series)) {
            Optional<KlineColumns> last = store.previous(series, request.to());
            if (last.isPresent() && last.get().openTime(0) >= request.from()) {
                start = interval.next(last.get().openTime(0));
                resumedFrom = start;
            }
        }
        int limit = request.market().maxLimit();
        String source = "binance " + request.market().code() + " " + client.endpoint(request.market()) + " "
                + request.symbol() + " " + interval.code() + " " + KlineTime.format(request.from()) + ".."
                + KlineTime.format(request.to());
        String layout = "Binance REST klines (" + request.market().code() + ", " + limit + " a page)";
        IngestSession session = new IngestSession(store, series, settings, source, layout, 0, true, resumedFrom);

        long end = Math.min(request.to(), settings.clock().millis() + interval.nominalMillis());
        long total = Math.max(0, barsBetween(start, end, interval));
        listener.started(request.symbol() + " " + interval.code(), total);
        try {
            long next = start;
            while (next < request.to()) {
                KlineColumns page = client.klines(request.market(), request.symbol(), interval, next, request.to() - 1,
                        limit, listener);
                if (page.size() == 0) break;
                long last = page.openTime(page.size() - 1);
                if (last < next) {
                    throw new ImportException(source + ": Binance answered a request from " + KlineTime.format(next)
                            + " with klines up to " + KlineTime.format(last) + " only");
                }
                KlineRow row = new KlineRow();
                for (int i = 0; i < page.size(); i++) {
                    toRow(page, i, row);
                    session.accept(row, "kline " + KlineTime.format(row.openTime));
                }
                session.flush();
                listener.progressed(Math.min(total, barsBetween(start, interval.next(last), interval)), session.rowsRead());
                if (page.size() < limit) break; // Binance gave everything up to the end of the range
                next = interval.next(last);
            }
        } catch (RuntimeException e) {
            ImportReport partial = session.abort(String.valueOf(e.getMessage()));
            log.record(partial);
            ImportException ie = e instanceof ImportException x ? x : new ImportException(source + ": " + e.getMessage(), e);
            throw ie.withReport(partial);
        }
        ImportReport report = session.finish();
        log.record(report);
        listener.progressed(total, report.rowsRead());
        return report;
    }

    private static long barsBetween(long from, long to, Interval interval) {
        if (to <= from) return 0;
        return (to - from + interval.nominalMillis() - 1) / interval.nominalMillis();
    }

    private static void toRow(KlineColumns page, int i, KlineRow row) {
        row.clear();
        row.openTime = page.openTime(i);
        row.open = page.open(i);
        row.high = page.high(i);
        row.low = page.low(i);
        row.close = page.close(i);
        row.volume = page.volume(i);
        row.closeTime = page.closeTime(i);
        row.quoteVolume = page.quoteVolume(i);
        row.tradesCount = page.tradesCount(i);
        row.takerBuyBaseVolume = page.takerBuyBaseVolume(i);
        row.takerBuyQuoteVolume = page.takerBuyQuoteVolume(i);
    }
}
