package dev.candlebox.server.backtest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.Trading;

import java.math.BigDecimal;
import java.util.List;

/**
 * Everything a run trades on, from the stores: its klines, and for futures the symbol's funding over
 * them, and for {@code intrabar: "1m"} the symbol's 1-minute klines over them.
 */
public final class MarketData {
    private final KlineStore klines;
    private final FundingStore funding;

    public MarketData(KlineStore klines, FundingStore funding) {
        this.klines = klines;
        this.funding = funding;
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
        return s.request(series, f, minutes);
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
