package dev.candlebox.db.kline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Klines of an interval that is not stored, built from a stored shorter one: open of the first kline, highest high,
 * lowest low, close of the last, sums of the volumes, trades and taker volumes (a sum is NaN / -1 when one of its
 * klines lacks the value). Only complete periods: a period missing any of its shorter klines is left out, never
 * guessed. Periods start where Binance's do: on multiples of the interval since 1970-01-01 UTC (1m .. 3d), on
 * Mondays 00:00 UTC (1w), on the first of the month (1M). Used by the kline API and by a run's other series.
 */
public final class AggregatedKlines {
    private static final long DAY = 86_400_000L;
    /** 1970-01-01 was a Thursday: Mondays are 4 days after the epoch, modulo 7 days. */
    private static final long MONDAY = 4 * DAY;

    private AggregatedKlines() {}

    /** The stored series {@code target} can be built from: the longest stored interval shorter than it that divides it. */
    public static Optional<Interval> source(KlineStore store, Series target) {
        return source(store, target, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The longest stored interval that divides {@code target} and has klines with {@code afterExclusive < open_time
     * <= untilInclusive} (a symbol's intervals may cover different years).
     */
    public static Optional<Interval> source(KlineStore store, Series target, long afterExclusive, long untilInclusive) {
        List<Interval> candidates = new ArrayList<>();
        for (Series s : store.seriesWithData()) {
            if (s.symbol().equals(target.symbol()) && divides(s.interval(), target.interval())) candidates.add(s.interval());
        }
        candidates.sort(Comparator.comparingLong(Interval::nominalMillis).reversed());
        for (Interval i : candidates) {
            if (store.page(new Series(target.symbol(), i), afterExclusive, untilInclusive, 1).size() > 0) return Optional.of(i);
        }
        return Optional.empty();
    }

    /** Whether every period of {@code target} is a whole number of consecutive {@code lower} klines. */
    public static boolean divides(Interval lower, Interval target) {
        if (lower == Interval.MONTH1 || lower.nominalMillis() >= target.nominalMillis()) return false;
        if (target == Interval.MONTH1 || target == Interval.W1) return DAY % lower.nominalMillis() == 0;
        return target.nominalMillis() % lower.nominalMillis() == 0;
    }

    /** Open time of the {@code interval} period containing {@code t}. */
    public static long periodStart(Interval interval, long t) {
        return switch (interval) {
            case MONTH1 -> {
                LocalDate d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
                yield d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            case W1 -> t - Math.floorMod(t - MONDAY, 7 * DAY);
            default -> t - Math.floorMod(t, interval.nominalMillis());
        };
    }

    /** The complete {@code target} periods of {@code lower} (klines of interval {@code lowerInterval}, ascending). */
    public static KlineColumns aggregate(KlineColumns lower, Interval lowerInterval, Interval target) {
        KlineColumns out = new KlineColumns(Math.max(16, lower.size() / 4));
        int i = 0, n = lower.size();
        while (i < n) {
            long p = periodStart(target, lower.openTime(i));
            long end = target.next(p);
            int j = i;
            while (j < n && lower.openTime(j) < end) j++;
            long expected = (end - p) / lowerInterval.nominalMillis();
            if (j - i == expected && lower.openTime(i) == p) out.add(p, lower.open(i), max(lower, i, j, true),
                    max(lower, i, j, false), lower.close(j - 1), sum(lower, i, j, 0), end - 1, sum(lower, i, j, 1),
                    trades(lower, i, j), sum(lower, i, j, 2), sum(lower, i, j, 3));
            i = j;
        }
        return out;
    }

    /** The {@code target} klines with {@code afterExclusive < open_time <= untilInclusive}, at most {@code limit}. */
    public static KlineColumns page(KlineStore store, Series target, Interval source, long afterExclusive,
                                    long untilInclusive, int limit) {
        Series lower = new Series(target.symbol(), source);
        KlineColumns out = new KlineColumns(Math.min(limit, 1024));
        long ratio = Math.max(1, target.interval().nominalMillis() / source.nominalMillis());
        int chunk = (int) Math.min(50_000, (limit + 1) * ratio + ratio);
        // the first period that can open after afterExclusive starts at or after the period containing it
        long from = afterExclusive == Long.MIN_VALUE ? Long.MIN_VALUE : periodStart(target.interval(), afterExclusive) - 1;
        long lastSourceTime = untilInclusive == Long.MAX_VALUE ? Long.MAX_VALUE
                : target.interval().next(periodStart(target.interval(), untilInclusive)) - 1;
        while (out.size() < limit) {
            KlineColumns rows = store.page(lower, from, lastSourceTime, chunk);
            if (rows.size() == 0) break;
            // cut at the last complete period boundary of this chunk unless it is the end of the data
            int usable = rows.size();
            if (rows.size() == chunk) {
                long lastStart = periodStart(target.interval(), rows.openTime(rows.size() - 1));
                while (usable > 0 && rows.openTime(usable - 1) >= lastStart) usable--;
                if (usable == 0) usable = rows.size();
            }
            KlineColumns part = new KlineColumns(usable);
            for (int i = 0; i < usable; i++) part.addRow(rows, i);
            KlineColumns built = aggregate(part, source, target.interval());
            for (int i = 0; i < built.size() && out.size() < limit; i++) {
                long t = built.openTime(i);
                if (t > afterExclusive && t <= untilInclusive) out.addRow(built, i);
            }
            if (rows.size() < chunk) break;
            from = part.openTime(usable - 1);
        }
        return out;
    }

    /** Every {@code target} kline with {@code from <= open_time <= to}. */
    public static KlineColumns range(KlineStore store, Series target, Interval source, long from, long to) {
        KlineColumns lower = store.range(new Series(target.symbol(), source),
                from == Long.MIN_VALUE ? from : periodStart(target.interval(), from),
                to == Long.MAX_VALUE ? to : target.interval().next(periodStart(target.interval(), to)) - 1);
        KlineColumns built = aggregate(lower, source, target.interval());
        KlineColumns out = new KlineColumns(built.size());
        for (int i = 0; i < built.size(); i++) {
            if (built.openTime(i) >= from && built.openTime(i) <= to) out.addRow(built, i);
        }
        return out;
    }

    private static double max(KlineColumns k, int from, int to, boolean high) {
        double m = high ? k.high(from) : k.low(from);
        for (int i = from + 1; i < to; i++) m = high ? Math.max(m, k.high(i)) : Math.min(m, k.low(i));
        return m;
    }

    private static double sum(KlineColumns k, int from, int to, int column) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += switch (column) {
                case 0 -> k.volume(i);
                case 1 -> k.quoteVolume(i);
                case 2 -> k.takerBuyBaseVolume(i);
                default -> k.takerBuyQuoteVolume(i);
            };
        }
        return s;
    }

    private static int trades(KlineColumns k, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            if (k.tradesCount(i) < 0) return KlineColumns.MISSING_COUNT;
            s += k.tradesCount(i);
        }
        return (int) Math.min(Integer.MAX_VALUE, s);
    }
}
