package dev.candlebox.db.ingest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One funding-rate import into one symbol, whatever the source: collects the rows read, then settles their
 * times, intervals and mark prices, stores them through {@link FundingStore#upsert} and builds the
 * {@link FundingReport}.
 *
 * <p>Times are rounded to the whole minute: Binance stamps a settlement a few milliseconds after the hour
 * ({@code 1735689600015}), other sources on it, and the same settlement from two sources must be one row (two
 * would pay funding twice). The interval of a settlement is the source's own when it states one, else
 * {@code --interval-hours}, else the spacing to its nearer neighbour when that is a funding interval Binance
 * uses (1, 2, 4 or 8 hours), else the source's most common such spacing.
 */
final class FundingSession {
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    private static final List<Integer> BINANCE_INTERVALS = List.of(1, 2, 4, 8);

    private final FundingStore store;
    private final String symbol;
    private final ImportSettings settings;
    private final String source;
    private final String layout;
    private final Integer intervalHours;
    private final Long resumedFrom;
    private final long startedAt;

    private final List<FundingFileReader.Row> rows = new ArrayList<>();
    private Map<Long, BigDecimal> markOpens;
    private String markSource;

    FundingSession(FundingStore store, String symbol, ImportSettings settings, String source, String layout,
                   Integer intervalHours, Long resumedFrom) {
        this.store = store;
        this.symbol = symbol;
        this.settings = settings;
        this.source = source;
        this.layout = layout;
        this.intervalHours = intervalHours;
        this.resumedFrom = resumedFrom;
        this.startedAt = settings.clock().millis();
    }

    void accept(FundingFileReader.Row row) {
        rows.add(row);
    }

    long rowsRead() {
        return rows.size();
    }

    /** Mark prices by time (the opens of mark-price klines), for rows whose source gives none. */
    void attachMarkPrices(Map<Long, BigDecimal> opens, String from) {
        this.markOpens = opens;
        this.markSource = from;
    }

    /** Stores every row read and reports. */
    FundingReport finish() {
        return store(null);
    }

    /** Stores the rows read before a failure (they were read correctly) and reports the error. */
    FundingReport abort(String error) {
        try {
            return store(error);
        } catch (RuntimeException e) {
            return report(List.of(), 0, 0, 0, new FundingStore.UpsertResult(0, 0, 0, List.of()),
                    error + " (and storing the rows read before it failed too: " + e.getMessage() + ")");
        }
    }

    /** A report of nothing stored, for a source refused before any row was kept. */
    FundingReport refused(String error) {
        return report(List.of(), 0, 0, 0, new FundingStore.UpsertResult(0, 0, 0, List.of()), error);
    }

    private FundingReport store(String error) {
        // settle the times: to the minute, ascending, the first of a repeated time wins
        long rounded = 0;
        List<FundingFileReader.Row> sorted = new ArrayList<>(rows.size());
        for (FundingFileReader.Row r : rows) {
            long t = Math.floorDiv(r.time() + MINUTE / 2, MINUTE) * MINUTE;
            if (t != r.time()) rounded++;
            sorted.add(new FundingFileReader.Row(t, r.rate(), r.intervalHours(), r.markPrice(), r.where()));
        }
        sorted.sort(Comparator.comparingLong(FundingFileReader.Row::time)); // stable: file order within a time
        List<FundingFileReader.Row> distinct = new ArrayList<>(sorted.size());
        for (FundingFileReader.Row r : sorted) {
            if (distinct.isEmpty() || distinct.getLast().time() != r.time()) distinct.add(r);
        }
        long repeated = sorted.size() - distinct.size();

        int n = distinct.size();
        int[] hours = new int[n];
        long derived = 0;
        Map<Integer, Integer> spacings = new HashMap<>();
        Integer[] spacingHours = new Integer[n];
        for (int i = 0; i < n; i++) {
            Integer prev = i > 0 ? binanceInterval(distinct.get(i).time() - distinct.get(i - 1).time()) : null;
            Integer next = i + 1 < n ? binanceInterval(distinct.get(i + 1).time() - distinct.get(i).time()) : null;
            spacingHours[i] = prev == null ? next : next == null ? prev : Math.min(prev, next);
            if (spacingHours[i] != null) spacings.merge(spacingHours[i], 1, Integer::sum);
        }
        Integer common = spacings.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(null);
        for (int i = 0; i < n; i++) {
            FundingFileReader.Row r = distinct.get(i);
            Integer h = r.intervalHours() != null ? r.intervalHours() : intervalHours;
            if (h == null) {
                h = spacingHours[i] != null ? spacingHours[i] : common;
                if (h == null) {
                    throw ImportException.at(source, r.where(), "cannot tell the funding interval: the source does not "
                            + "state it and its times are not 1, 2, 4 or 8 hours apart; pass --interval-hours");
                }
                derived++;
            }
            hours[i] = h;
        }

        List<FundingRate> toStore = new ArrayList<>(n);
        long marks = 0;
        for (int i = 0; i < n; i++) {
            FundingFileReader.Row r = distinct.get(i);
            BigDecimal mark = r.markPrice() != null ? r.markPrice() : markOpens == null ? null : markOpens.get(r.time());
            if (mark != null) marks++;
            toStore.add(new FundingRate(r.time(), r.rate(), hours[i], mark));
        }
        FundingStore.UpsertResult result = store.upsert(symbol, toStore);
        return report(distinct, hours, rounded, repeated, derived, marks, result, error);
    }

    private FundingReport report(List<FundingFileReader.Row> distinct, long rounded, long repeated, long marks,
                                 FundingStore.UpsertResult result, String error) {
        return report(distinct, new int[0], rounded, repeated, 0, marks, result, error);
    }

    private FundingReport report(List<FundingFileReader.Row> distinct, int[] hours, long rounded, long repeated,
                                 long derived, long marks, FundingStore.UpsertResult result, String error) {
        Map<Integer, Long> byInterval = new TreeMap<>();
        for (int h : hours) byInterval.merge(h, 1L, Long::sum);
        long gapCount = 0, missing = 0;
        List<FundingReport.Gap> gaps = new ArrayList<>();
        for (int i = 1; i < distinct.size(); i++) {
            long step = hours[i] * HOUR;
            long from = distinct.get(i - 1).time(), to = distinct.get(i).time();
            long absent = Math.round((double) (to - from) / step) - 1;
            if (absent <= 0) continue;
            gapCount++;
            missing += absent;
            if (gaps.size() < settings.reportLimit()) gaps.add(new FundingReport.Gap(from, to, absent));
        }
        List<FundingReport.RateConflict> conflicts = result.conflicts().stream().limit(settings.reportLimit())
                .map(c -> new FundingReport.RateConflict(c.timeMs(), c.stored(), c.offered())).toList();
        return new FundingReport(source, symbol, "funding_rates", layout, startedAt, settings.clock().millis(),
                rows.size(), result.inserted(), new ImportReport.Duplicates(result.alreadyStored(), repeated),
                distinct.isEmpty() ? null : distinct.getFirst().time(), distinct.isEmpty() ? null : distinct.getLast().time(),
                resumedFrom, rounded, byInterval, derived, gapCount, missing, gaps, marks, markSource,
                result.markPricesAdded(), result.conflicts().size(), conflicts, error);
    }

    /** Whole hours of {@code millis} when they are an interval Binance settles funding at, else null. */
    private static Integer binanceInterval(long millis) {
        if (millis % HOUR != 0) return null;
        long h = millis / HOUR;
        return h <= 8 && BINANCE_INTERVALS.contains((int) h) ? (int) h : null;
    }
}
