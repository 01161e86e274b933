package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.Gaps;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.OtherSeries;

/** What a run's klines looked like: how many, which range, and the gaps inside it. */
final class DataQuality {
    private static final int MAX_LISTED_GAPS = 100;

    private DataQuality() {}

    static ObjectNode of(KlineSeries k, Interval interval, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        int size = k.size();
        n.put("klinesUsed", size);
        if (size > 0) {
            n.put("firstOpenTime", BacktestService.iso(k.openTime()[0]));
            n.put("lastOpenTime", BacktestService.iso(k.openTime()[size - 1]));
        }
        Gaps found = Gaps.find(k.openTime(), size, interval, MAX_LISTED_GAPS);
        ArrayNode gaps = json.createArrayNode();
        for (Gaps.Gap gap : found.listed()) {
            ObjectNode g = json.createObjectNode();
            g.put("from", BacktestService.iso(interval.next(gap.before())));
            g.put("to", BacktestService.iso(gap.after() - 1));
            g.put("missingKlines", gap.missingKlines());
            gaps.add(g);
        }
        n.put("gaps", found.count());
        n.put("missingKlines", found.missingKlines());
        n.set("gapList", gaps);
        return n;
    }

    private static final String[] INPUTS = {"open_interest", "funding_rate", "long_short_ratio", "liquidations_long",
            "liquidations_short"};
    private static final String[] IMPORT_HINT = {"'import derivatives'", "'import funding' or 'import binance-funding'",
            "'import derivatives'", "'import derivatives'", "'import derivatives'"};

    /**
     * Coverage of every input the strategy reads beside the klines (contract section 7): per derivatives field and
     * for buy_volume, on how many of the run's klines it has a value; per other series, the klines loaded; and for
     * each input with no value at all, a message saying so and where to get the data (never invented values).
     */
    static ObjectNode inputs(BacktestRequest request, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        KlineSeries k = request.klines();
        ArrayNode missing = json.createArrayNode();
        DerivativeColumns d = request.derivatives();
        int[] covered = d == null ? new int[INPUTS.length] : d.coverage();
        for (int j = 0; j < INPUTS.length; j++) {
            n.putObject(INPUTS[j]).put("klines", covered[j]).put("of", k.size());
            if (covered[j] == 0) {
                missing.add(INPUTS[j] + ": no data for " + request.symbol() + " over the run, kline." + INPUTS[j]
                        + " is None (import it with " + IMPORT_HINT[j] + ")");
            }
        }
        int buy = 0;
        for (double v : k.takerBuyBaseVolume()) if (!Double.isNaN(v)) buy++;
        n.putObject("buy_volume").put("klines", buy).put("of", k.size());
        if (buy == 0) missing.add("buy_volume: the klines have no taker buy volume: buy_volume, sell_volume, delta and get_cvd() are None");
        ArrayNode series = n.putArray("series");
        for (OtherSeries o : request.series()) {
            ObjectNode e = series.addObject().put("symbol", o.symbol()).put("interval", o.interval())
                    .put("klines", o.klines().size());
            if (o.klines().size() > 0) {
                e.put("firstOpenTime", BacktestService.iso(o.klines().openTime()[0]));
                e.put("lastOpenTime", BacktestService.iso(o.klines().openTime()[o.klines().size() - 1]));
            } else {
                missing.add("series " + o.symbol() + " " + o.interval() + ": no klines over the run: self.series(...) stays empty");
            }
        }
        n.set("missing", missing);
        return n;
    }

    /** The klines' quality and what the run could not do exactly as asked (contract section 6). */
    static ObjectNode of(KlineSeries k, Interval interval, ObjectMapper json, BacktestResult r) {
        ObjectNode n = of(k, interval, json);
        BacktestResult.DataQuality q = r.dataQuality();
        n.put("ambiguousKlines", q.ambiguousKlines());
        n.put("droppedOrders", q.droppedOrders());
        if (r.trading().futures()) {
            n.put("fundingTimes", q.fundingTimes());
            n.put("fundingSkipped", q.fundingSkipped());
            if (q.fundingTimes() == 0 && q.fundingSkipped() == 0) {
                n.put("funding", "no funding data in the run's range: no funding was paid (import it with 'import funding' or 'import binance-funding')");
            }
        }
        return n;
    }
}
