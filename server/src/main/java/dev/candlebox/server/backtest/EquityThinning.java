package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.engine.EquityCurve;

/**
 * The equity curve for a chart: columnar, with the drawdown, thinned to at most {@code maxPoints} by keeping
 * in each bucket its first and last point and its lowest and highest equity, so no extreme is lost.
 */
final class EquityThinning {
    private EquityThinning() {}

    static ObjectNode view(EquityCurve c, double initialBalance, int maxPoints, ObjectMapper json) {
        return view(c, initialBalance, maxPoints, null, json);
    }

    /**
     * As above; with {@code closes} (the run's klines' closes, one per equity point) also {@code buyHold}: the
     * initial balance held in the base asset from the first kline's close, at each point's close.
     */
    static ObjectNode view(EquityCurve c, double initialBalance, int maxPoints, double[] closes, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        ArrayNode ts = json.createArrayNode(), eq = json.createArrayNode(), bal = json.createArrayNode(),
                pos = json.createArrayNode(), dd = json.createArrayNode();
        ArrayNode hold = closes != null && c != null && closes.length == c.size() && closes.length > 0 && closes[0] > 0
                ? json.createArrayNode() : null;
        int n = c == null ? 0 : c.size();
        out.put("total", n);
        if (n > 0) {
            double[] drawdown = new double[n];
            double peak = initialBalance;
            for (int i = 0; i < n; i++) {
                peak = Math.max(peak, c.equity()[i]);
                drawdown[i] = peak > 0 ? (peak - c.equity()[i]) / peak : 0;
            }
            if (n <= maxPoints) {
                for (int i = 0; i < n; i++) {
                    add(c, drawdown, i, ts, eq, bal, pos, dd);
                    if (hold != null) hold.add(initialBalance * closes[i] / closes[0]);
                }
            } else {
                int size = (int) Math.ceil(n / (double) Math.max(1, maxPoints / 4));
                for (int start = 0; start < n; start += size) {
                    int end = Math.min(n, start + size);
                    int lo = start, hi = start;
                    for (int i = start; i < end; i++) {
                        if (c.equity()[i] < c.equity()[lo]) lo = i;
                        if (c.equity()[i] > c.equity()[hi]) hi = i;
                    }
                    // in time order, each index once
                    int[] picks = {start, Math.min(lo, hi), Math.max(lo, hi), end - 1};
                    int last = -1;
                    for (int i : picks) {
                        if (i > last) {
                            add(c, drawdown, i, ts, eq, bal, pos, dd);
                            if (hold != null) hold.add(initialBalance * closes[i] / closes[0]);
                            last = i;
                        }
                    }
                }
            }
        }
        out.set("timestamp", ts);
        out.set("equity", eq);
        out.set("balance", bal);
        out.set("position", pos);
        out.set("drawdown", dd);
        if (hold != null) out.set("buyHold", hold);
        return out;
    }

    private static void add(EquityCurve c, double[] drawdown, int i, ArrayNode ts, ArrayNode eq, ArrayNode bal, ArrayNode pos, ArrayNode dd) {
        ts.add(c.timestamp()[i]);
        eq.add(c.equity()[i]);
        bal.add(c.balance()[i]);
        pos.add(c.position()[i]);
        dd.add(drawdown[i]);
    }
}
