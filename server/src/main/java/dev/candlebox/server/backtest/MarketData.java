package dev.candlebox.server.backtest;

import dev.candlebox.db.derivatives.Derivative;
import dev.candlebox.db.derivatives.DerivativeStore;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.derivatives.Liquidations;
import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.AggregatedKlines;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.DerivativeColumns.Periods;
import dev.candlebox.sandbox.engine.DerivativeColumns.Settlements;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.OtherSeries;
import dev.candlebox.sandbox.engine.Trading;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Everything a run trades on, from the stores: its klines, and for futures the symbol's funding over
 * them, and for {@code intrabar: "1m"} the symbol's 1-minute klines over them; and what the strategy reads
 * beside them (contract section 7): the symbol's derivatives data aligned to the klines, and the request's other
 * series.
 */
public final class MarketData {
    private final KlineStore klines;
    private final FundingStore funding;
    private final Derivatives derivatives;

    public MarketData(KlineStore klines, FundingStore funding, Derivatives derivatives) {
        this.klines = klines;
        this.funding = funding;
        this.derivatives = derivatives;
    }

    /**
     * The engine's request for a submission whose klines are {@code k} (non-empty).
     *
     * @param maxMinutes most 1-minute klines loaded for a "1m" run; beyond it the run is walked
     *                   pessimistically (the engine does so for any kline without all its minutes)
     */
    public BacktestRequest request(Submission s, KlineColumns k, int maxMinutes) {
        KlineSeries series = Submission.series(k);
        long from = series.openTime()[0];
        long to = series.closeTime()[series.size() - 1];
        Trading t = s.trading();
        FundingSeries f = t.futures() ? funding(s.series().symbol(), from, to) : FundingSeries.NONE;
        KlineSeries minutes = null;
        Interval oneMinute = Interval.parse("1m").orElseThrow();
        if (t.intrabar() == Trading.Intrabar.ONE_MINUTE && s.series().interval() != oneMinute) {
            Series m = new Series(s.series().symbol(), oneMinute);
            if (klines.exists(m)) {
                KlineColumns mk = klines.range(m, from, to);
                if (mk.size() > 0 && mk.size() <= maxMinutes) minutes = Submission.series(mk);
            }
        }
        BacktestRequest r = s.request(series, f, minutes);
        return r.withInputs(derivatives(s.series(), series), otherSeries(s, series));
    }

    /**
     * The symbol's open interest, funding, long/short ratio and liquidations aligned to the klines, or null when it
     * has none of them over the run (the strategy's klines then carry None and the run pays nothing for them).
     * Each kind is read at the run's interval when stored there, else at the shortest interval it has over the run.
     */
    DerivativeColumns derivatives(Series run, KlineSeries k) {
        if (derivatives == null) return null;
        List<Interval> intervals = new ArrayList<>(derivatives.intervals(run.symbol()));
        intervals.sort(Comparator.comparing((Interval i) -> i != run.interval()).thenComparing(Interval::nominalMillis));
        long first = k.openTime()[0], last = k.closeTime()[k.size() - 1];
        Periods oi = periods(derivatives.openInterest(), run.symbol(), intervals, first, last, r -> r.openInterest().doubleValue());
        Periods ls = periods(derivatives.longShortRatios(), run.symbol(), intervals, first, last, r -> r.ratio().doubleValue());
        Periods liqLong = periods(derivatives.liquidations(), run.symbol(), intervals, first, last, r -> value(r, true));
        Periods liqShort = periods(derivatives.liquidations(), run.symbol(), intervals, first, last, r -> value(r, false));
        List<FundingRate> rates = new ArrayList<>();
        funding.lastAtOrBefore(run.symbol(), first - 1).ifPresent(rates::add);
        rates.addAll(funding.between(run.symbol(), first, last));
        Settlements settled = new Settlements(rates.stream().mapToLong(FundingRate::timeMs).toArray(),
                rates.stream().mapToDouble(r -> r.rate().doubleValue()).toArray(),
                rates.stream().mapToInt(FundingRate::intervalHours).toArray());
        if (oi.size() == 0 && ls.size() == 0 && liqLong.size() == 0 && settled.size() == 0) return null;
        return DerivativeColumns.align(k, oi, settled, ls, liqLong, liqShort);
    }

    private static double value(Liquidations r, boolean longs) {
        BigDecimal v = longs ? r.longValue() : r.shortValue();
        return v == null ? Double.NaN : v.doubleValue();
    }

    /** One kind's rows over the run (and two periods before it), at the first interval of {@code intervals} that has any. */
    private static <T extends Derivative> Periods periods(DerivativeStore<T> store, String symbol, List<Interval> intervals,
                                                          long first, long last, ToDoubleFunction<T> value) {
        for (Interval i : intervals) {
            List<T> rows = store.between(symbol, i, first - 2 * i.nominalMillis(), last);
            if (rows.isEmpty()) continue;
            return new Periods(rows.stream().mapToLong(Derivative::timeMs).toArray(), i.nominalMillis(),
                    rows.stream().mapToDouble(value).toArray());
        }
        return Periods.NONE;
    }

    /**
     * The request's other series over the run, each with up to {@code klineWndSize} klines before the run's first
     * (closed before it, so the strategy's first kline already sees a window): stored, or built from a shorter stored
     * interval.
     */
    List<OtherSeries> otherSeries(Submission s, KlineSeries k) {
        List<OtherSeries> out = new ArrayList<>();
        Object wnd = s.strategyParams().get("klineWndSize");
        int window = wnd instanceof Number n ? n.intValue() : 50;
        long first = k.openTime()[0], last = k.closeTime()[k.size() - 1];
        for (Series o : s.inputs()) {
            long from = first - (long) window * o.interval().nominalMillis() - o.interval().nominalMillis();
            Function<Interval, KlineColumns> built = src -> AggregatedKlines.range(klines, o, src, from, last);
            KlineColumns rows = klines.hasRows(o) ? klines.range(o, from, last)
                    : AggregatedKlines.source(klines, o, from - 1, last).map(built).orElse(KlineColumns.empty());
            out.add(OtherSeries.of(o.symbol(), o.interval().code(), Submission.series(rows), k.closeTime()));
        }
        return out;
    }

    /** The symbol's funding times in {@code [from, to]}. */
    FundingSeries funding(String symbol, long from, long to) {
        List<FundingRate> rows = funding.between(symbol, from, to);
        long[] time = new long[rows.size()];
        BigDecimal[] rate = new BigDecimal[rows.size()];
        BigDecimal[] mark = new BigDecimal[rows.size()];
        for (int i = 0; i < time.length; i++) {
            FundingRate r = rows.get(i);
            time[i] = r.timeMs();
            rate[i] = r.rate();
            mark[i] = r.markPrice();
        }
        return new FundingSeries(time, rate, mark);
    }
}
