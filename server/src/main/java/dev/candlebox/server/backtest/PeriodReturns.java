package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.engine.EquityCurve;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Monthly and yearly returns of a run from its whole equity curve (one point per kline, timestamped with the
 * kline's open time, UTC): a period's return is its last point's equity over the equity at the end of the
 * period before (the initial balance for the first) minus 1. Periods without a kline are left out.
 */
final class PeriodReturns {
    private PeriodReturns() {}

    static ObjectNode of(EquityCurve c, double initialBalance, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.set("months", periods(c, initialBalance, json, true));
        out.set("years", periods(c, initialBalance, json, false));
        return out;
    }

    private static ArrayNode periods(EquityCurve c, double initial, ObjectMapper json, boolean monthly) {
        ArrayNode a = json.createArrayNode();
        int n = c == null ? 0 : c.size();
        double before = initial;
        for (int i = 0; i < n; i++) {
            String key = key(c.timestamp()[i], monthly);
            if (i == n - 1 || !key(c.timestamp()[i + 1], monthly).equals(key)) {
                double end = c.equity()[i];
                ObjectNode p = a.addObject();
                p.put("period", key);
                p.put("equity", end);
                if (before > 0) p.put("return", end / before - 1);
                else p.putNull("return");
                before = end;
            }
        }
        return a;
    }

    private static String key(long ms, boolean monthly) {
        ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC);
        return monthly ? String.format("%04d-%02d", t.getYear(), t.getMonthValue()) : Integer.toString(t.getYear());
    }
}
