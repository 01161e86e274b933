package dev.candlebox.db.ingest;

import dev.candlebox.db.ingest.ImportReport.DropReason;
import dev.candlebox.db.ingest.ImportReport.DroppedCandle;
import dev.candlebox.db.ingest.ImportReport.Duplicates;
import dev.candlebox.db.ingest.ImportReport.Gap;
import dev.candlebox.db.kline.Gaps;
import dev.candlebox.db.ingest.ImportReport.IrregularCloseTime;
import dev.candlebox.db.ingest.ImportReport.OhlcProblem;
import dev.candlebox.db.ingest.ImportReport.OhlcViolation;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * One import into one series, whatever the source: takes parsed rows one at a time, stores them in batches
 * through {@link KlineStore#upsert} and builds the {@link ImportReport}.
 *
 * <p>The row with the highest open time so far is held back until a later one arrives, because only at the
 * end is it known whether it is the source's last row, the one that may have been saved while still forming.
 * Open times of every kept row are collected (8 bytes a row) so that gaps and repeats are found whatever
 * order the source is in.
 */
final class IngestSession {
    private final KlineStore store;
    private final Series series;
    private final Interval interval;
    private final ImportSettings settings;
    private final String source;
    private final String layout;
    private final long shiftMillis;
    private final boolean sourceHasCloseTimes;
    private final long startedAt;
    private final long storedLastBefore;
    private final Long resumedFrom;

    private KlineColumns batch;
    private final KlineRow pending = new KlineRow();
    private boolean hasPending;

    private long[] times = new long[1024];
    private int timeCount;

    private long rowsRead;
    private long inserted;
    private long rowsDropped;
    private final List<DroppedCandle> dropped = new ArrayList<>();
    private long ohlcViolationCount;
    private final List<OhlcViolation> ohlcViolations = new ArrayList<>();
    private long irregularCount;
    private final List<IrregularCloseTime> irregular = new ArrayList<>();

    IngestSession(KlineStore store, Series series, ImportSettings settings, String source, String layout,
                  long shiftMillis, boolean sourceHasCloseTimes, Long resumedFrom) {
        this.store = store;
        this.series = series;
        this.interval = series.interval();
        this.settings = settings;
        this.source = source;
        this.layout = layout;
        this.shiftMillis = shiftMillis;
        this.sourceHasCloseTimes = sourceHasCloseTimes;
        this.resumedFrom = resumedFrom;
        this.startedAt = settings.clock().millis();
        this.batch = new KlineColumns(Math.min(settings.batchSize(), 16_384));
        // A later kline already stored proves that the source's last row had closed.
        OptionalLong last = sourceHasCloseTimes ? OptionalLong.empty() : store.lastOpenTime(series);
        this.storedLastBefore = last.orElse(Long.MIN_VALUE);
    }

    Series series() {
        return series;
    }

    long rowsRead() {
        return rowsRead;
    }

    /** Checks and queues one row; {@code where} names it in errors ("line 17"). */
    void accept(KlineRow row, String where) {
        rowsRead++;
        long open = row.openTime;
        if (!onGrid(interval, open)) {
            throw ImportException.at(source, where, "open time " + KlineTime.format(open) + " is not on the "
                    + interval.code() + " grid (klines of " + interval.code() + " open at "
                    + gridDescription(interval) + "); is the interval right, or do the times need --shift-hours?");
        }
        long next = interval.next(open);
        boolean explicitClose = row.closeTime != KlineRow.NO_CLOSE_TIME;
        if (!explicitClose) row.closeTime = next - 1;
        else if (row.closeTime < open) {
            throw ImportException.at(source, where, "close time " + KlineTime.format(row.closeTime)
                    + " is before the open time " + KlineTime.format(open));
        }

        long now = settings.clock().millis();
        if (next > now || row.closeTime >= now) {
            drop(row, DropReason.CLOSES_AFTER_IMPORT);
            // a row that follows the held-back one proves the held-back one closed
            if (hasPending && open > pending.openTime) {
                release();
            }
            return;
        }

        checkOhlc(row);
        if (explicitClose && row.closeTime != next - 1) {
            irregularCount++;
            if (irregular.size() < settings.reportLimit()) irregular.add(new IrregularCloseTime(open, row.closeTime, next - 1));
        }
        if (timeCount == times.length) times = Arrays.copyOf(times, times.length * 2);
        times[timeCount++] = open;

        if (!hasPending) {
            pending.copyFrom(row);
            hasPending = true;
        } else if (open > pending.openTime) {
            release();
            pending.copyFrom(row);
            hasPending = true;
        } else {
            add(row);
        }
    }

    /** Stores what is queued (not the held-back row): a download calls it after each page. */
    void flush() {
        if (batch.size() == 0) return;
        KlineStore.UpsertResult r = store.upsert(series, batch);
        inserted += r.inserted();
        batch = new KlineColumns(Math.min(settings.batchSize(), 16_384));
    }

    /** Decides on the held-back last row, stores the rest and builds the report. */
    ImportReport finish() {
        if (hasPending) {
            boolean confirmed = sourceHasCloseTimes || settings.keepLastRow() || storedLastBefore > pending.openTime;
            if (confirmed) {
                release();
            } else {
                drop(pending, DropReason.LAST_ROW_UNCONFIRMED);
                hasPending = false;
                // its open time was counted among the kept rows: it is the largest, so last once sorted
                Arrays.sort(times, 0, timeCount);
                timeCount--;
            }
        }
        flush();
        return report(null);
    }

    /**
     * Ends an import that failed: rows queued before the failure are stored (they were read correctly), the
     * held-back row is not, and the report carries the error.
     */
    ImportReport abort(String error) {
        try {
            flush();
        } catch (RuntimeException e) {
            error = error + " (and storing the rows read before it failed too: " + e.getMessage() + ")";
        }
        hasPending = false;
        return report(error);
    }

    private void release() {
        add(pending);
        hasPending = false;
    }

    private void add(KlineRow r) {
        batch.add(r.openTime, r.open, r.high, r.low, r.close, r.volume, r.closeTime, r.quoteVolume, r.tradesCount,
                r.takerBuyBaseVolume, r.takerBuyQuoteVolume);
        if (batch.size() >= settings.batchSize()) flush();
    }

    private void drop(KlineRow row, DropReason reason) {
        rowsDropped++;
        if (dropped.size() < settings.reportLimit()) dropped.add(new DroppedCandle(row.openTime, row.closeTime, reason));
    }

    private void checkOhlc(KlineRow r) {
        List<OhlcProblem> problems = null;
        if (r.high < Math.max(r.open, r.close)) problems = add(problems, OhlcProblem.HIGH_BELOW_OPEN_OR_CLOSE);
        if (r.low > Math.min(r.open, r.close)) problems = add(problems, OhlcProblem.LOW_ABOVE_OPEN_OR_CLOSE);
        if (r.low > r.high) problems = add(problems, OhlcProblem.LOW_ABOVE_HIGH);
        if (r.volume < 0) problems = add(problems, OhlcProblem.NEGATIVE_VOLUME);
        if (r.open <= 0 || r.high <= 0 || r.low <= 0 || r.close <= 0) problems = add(problems, OhlcProblem.NON_POSITIVE_PRICE);
        if (problems != null) {
            ohlcViolationCount++;
            if (ohlcViolations.size() < settings.reportLimit()) ohlcViolations.add(new OhlcViolation(r.openTime, problems));
        }
    }

    private static List<OhlcProblem> add(List<OhlcProblem> list, OhlcProblem p) {
        List<OhlcProblem> l = list == null ? new ArrayList<>(2) : list;
        l.add(p);
        return l;
    }

    private ImportReport report(String error) {
        long[] sorted = Arrays.copyOf(times, timeCount);
        Arrays.sort(sorted);
        long distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) distinct++;
        }
        Gaps found = Gaps.find(sorted, sorted.length, interval, settings.reportLimit());
        List<Gap> gaps = found.listed().stream().map(g -> new Gap(g.before(), g.after(), g.missingKlines())).toList();
        long repeated = timeCount - distinct;
        // On a failed import not every kept row reached the store, so "already stored" cannot be told apart.
        long alreadyStored = error == null ? Math.max(0, distinct - inserted) : 0;
        return new ImportReport(source, series.symbol(), interval.code(), series.tableName(), layout, startedAt,
                settings.clock().millis(), rowsRead, inserted, new Duplicates(alreadyStored, repeated), rowsDropped,
                dropped, sorted.length == 0 ? null : sorted[0], sorted.length == 0 ? null : sorted[sorted.length - 1],
                resumedFrom, shiftMillis, found.count(), found.missingKlines(), gaps, ohlcViolationCount, ohlcViolations, irregularCount,
                irregular, error);
    }

    /** Binance opens klines on a fixed grid; a time off it means a wrong interval or an unshifted time zone. */
    static boolean onGrid(Interval interval, long open) {
        return switch (interval) {
            case MONTH1 -> {
                ZonedDateTime t = Instant.ofEpochMilli(open).atZone(ZoneOffset.UTC);
                yield t.getDayOfMonth() == 1 && t.toLocalTime().toNanoOfDay() == 0;
            }
            case W1 -> Math.floorMod(open - 4 * 86_400_000L, interval.nominalMillis()) == 0; // Mondays
            case D3 -> Math.floorMod(open, 86_400_000L) == 0; // 3-day klines start at midnight UTC
            default -> Math.floorMod(open, interval.nominalMillis()) == 0;
        };
    }

    static String gridDescription(Interval interval) {
        return switch (interval) {
            case MONTH1 -> "00:00 UTC on the first day of each month";
            case W1 -> "00:00 UTC on Mondays";
            case D3, D1 -> "00:00 UTC";
            default -> "multiples of " + interval.code() + " since 00:00 UTC";
        };
    }
}
