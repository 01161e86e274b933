package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.Interval;
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
        ArrayNode gaps = json.createArrayNode();
        long gapCount = 0;
        long missing = 0;
        for (int i = 1; i < size; i++) {
            long expected = interval.next(k.openTime()[i - 1]);
            if (k.openTime()[i] > expected) {
                long bars = 0;
                for (long t = expected; t < k.openTime()[i]; t = interval.next(t)) bars++;
                gapCount++;
                missing += bars;
                if (gaps.size() < MAX_LISTED_GAPS) {
                    ObjectNode g = json.createObjectNode();
                    g.put("from", BacktestService.iso(expected));
                    g.put("to", BacktestService.iso(k.openTime()[i] - 1));
                    g.put("missingKlines", bars);
                    gaps.add(g);
                }
            }
        }
        n.put("gaps", gapCount);
        n.put("missingKlines", missing);
        n.set("gapList", gaps);
        return n;
    }
}
