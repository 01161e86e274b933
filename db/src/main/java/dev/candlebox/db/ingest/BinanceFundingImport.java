package dev.candlebox.db.ingest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.Series;

import java.util.List;

/**
 * Downloads a perpetual's settled funding rates for a time range from Binance ({@code GET /fapi/v1/fundingRate},
 * 1000 a request, paged by time) into the {@link FundingStore}, with the client's retries. Resumable: unless
 * told otherwise it starts after the last settlement already stored in the range. Pages are collected and stored
 * together at the end (a year of 8-hourly funding is two pages); a download that fails stores what it received.
 */
public final class BinanceFundingImport {
    private static final long EIGHT_HOURS = 8 * FundingSession.HOUR;

    private final FundingStore store;
    private final ImportLog log;
    private final BinanceClient client;
    private final ImportSettings settings;

    public BinanceFundingImport(FundingStore store, ImportLog log, BinanceClient client, ImportSettings settings) {
        this.store = store;
        this.log = log;
        this.client = client;
        this.settings = settings;
    }

    /**
     * One download.
     *
     * @param symbol        Binance's perpetual symbol, e.g. BTCUSDT
     * @param from          first settlement time wanted (inclusive), epoch ms
     * @param to            end of the range (exclusive), epoch ms
     * @param storeAs       the symbol to store under (null: {@code symbol}), e.g. the name the futures klines
     *                      are stored under (BTCUSDTPERP)
     * @param intervalHours the funding interval, or null to tell it from the spacing of the times
     * @param resume        start after the last settlement stored in [from, to) instead of at {@code from}
     */
    public record Request(String symbol, long from, long to, String storeAs, Integer intervalHours, boolean resume) {
        public Request {
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
            if (intervalHours != null && (intervalHours < 1 || intervalHours > 24)) {
                throw new IllegalArgumentException("funding interval must be 1 to 24 hours, got " + intervalHours);
            }
        }

        public String storedSymbol() {
            return storeAs == null ? symbol : storeAs;
        }
    }

    public FundingReport run(Request request, ImportListener listener) {
        String symbol = request.storedSymbol();
        long start = request.from();
        Long resumedFrom = null;
        if (request.resume()) {
            List<FundingRate> stored = store.between(symbol, request.from(), request.to() - 1);
            if (!stored.isEmpty()) {
                start = stored.getLast().timeMs() + FundingSession.MINUTE; // past Binance's few ms after the minute
                resumedFrom = start;
            }
        }
        String source = "binance " + client.fundingEndpoint() + " " + request.symbol() + " "
                + KlineTime.format(request.from()) + ".." + KlineTime.format(request.to());
        String layout = "Binance REST funding rates (" + BinanceClient.FUNDING_LIMIT + " a page)";
        FundingSession session = new FundingSession(store, symbol, settings, source, layout, request.intervalHours(), resumedFrom);

        long end = Math.min(request.to(), settings.clock().millis());
        long total = Math.max(0, (end - start + EIGHT_HOURS - 1) / EIGHT_HOURS);
        listener.started(request.symbol() + " funding", total);
        try {
            long next = start;
            while (next < request.to()) {
                List<FundingFileReader.Row> page = client.fundingRates(request.symbol(), next, request.to() - 1,
                        BinanceClient.FUNDING_LIMIT, listener);
                if (page.isEmpty()) break;
                long last = page.getLast().time();
                if (last < next) {
                    throw new ImportException(source + ": Binance answered a request from " + KlineTime.format(next)
                            + " with funding rates up to " + KlineTime.format(last) + " only");
                }
                page.forEach(session::accept);
                listener.progressed(Math.min(total, (last - start) / EIGHT_HOURS + 1), session.rowsRead());
                if (page.size() < BinanceClient.FUNDING_LIMIT) break; // everything up to the end of the range
                next = last + 1; // Binance's own time, not rounded: the next page starts after it
            }
        } catch (RuntimeException e) {
            FundingReport partial = session.abort(String.valueOf(e.getMessage()));
            log.record(partial);
            ImportException ie = e instanceof ImportException x ? x : new ImportException(source + ": " + e.getMessage(), e);
            throw ie.withFundingReport(partial);
        }
        FundingReport report;
        try {
            report = session.finish();
        } catch (ImportException e) {
            FundingReport refused = session.refused(e.getMessage());
            log.record(refused);
            throw e.withFundingReport(refused);
        }
        log.record(report);
        listener.progressed(total, report.rowsRead());
        return report;
    }
}
