package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.Gaps;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.KlineSeries;

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
