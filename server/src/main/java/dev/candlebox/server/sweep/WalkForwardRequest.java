package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.backtest.Submission;
import dev.candlebox.server.http.BadRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A walk-forward as asked for (contract section 8): a sweep request (base, space, method, trials, objective,
 * direction, seed) whose base covers the whole range, and the windows' durations. Parsing computes the windows
 * and refuses a bad request with a 400 naming the field.
 *
 * @param sweep     the in-sample sweep's request, its base over the whole range (each window narrows it)
 * @param windows   the windows, in time order
 * @param intervalMs the kline interval (warm-up length)
 */
public record WalkForwardRequest(JsonNode body, SweepRequest sweep, long inSampleMs, long outOfSampleMs, long stepMs,
                                 boolean anchored, long startMs, long endMs, long intervalMs, int warmupKlines,
                                 List<Window> windows) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([mhdw])");

    /** One window: in-sample [isStart, isEnd), out-of-sample [isEnd, oosEnd) (epoch ms). */
    public record Window(int index, long isStart, long isEnd, long oosEnd) {}

    public static WalkForwardRequest parse(JsonNode body, BacktestService backtests, int maxTrials) {
        if (body == null || !body.isObject()) throw BadRequest.field("body", "the body must be a JSON object", "a walk-forward request");
        JsonNode base = body.get("base");
        if (base == null || !base.isObject()) throw BadRequest.field("base", "base must be a backtest request", "{\"symbol\", \"interval\", \"code\", ...}");
        SweepRequest.validateBase(base, backtests);  // a fault is a 400 naming base.<field>
        Submission s = backtests.validate(base);
        if (s.startTime() == null) throw BadRequest.field("base.startTime", "a walk-forward needs the start of its range", "an ISO-8601 time or epoch ms");
        if (s.endTime() == null) throw BadRequest.field("base.endTime", "a walk-forward needs the end of its range", "an ISO-8601 time or epoch ms");
        long is = duration(body, "inSample", null);
        long oos = duration(body, "outOfSample", null);
        long step = duration(body, "step", oos);
        JsonNode anchoredNode = body.get("anchored");
        if (anchoredNode != null && !anchoredNode.isNull() && !anchoredNode.isBoolean()) throw BadRequest.field("anchored", "anchored must be true or false", "true, false");
        boolean anchored = anchoredNode != null && anchoredNode.asBoolean(false);
        JsonNode minTrades = body.get("minTrades");
        if (minTrades != null && !minTrades.isNull() && (!minTrades.isIntegralNumber() || minTrades.asLong() < 0 || minTrades.asLong() > 1_000_000)) {
            throw BadRequest.field("minTrades", "minTrades must be a whole number", "0..1000000");
        }
        long start = s.startTime();
        long end = s.endTime();
        List<Window> windows = new ArrayList<>();
        for (int i = 0; ; i++) {
            long isEnd = start + is + i * step;
            long oosEnd = isEnd + oos;
            if (oosEnd - 1 > end) break;
            windows.add(new Window(i, anchored ? start : start + i * step, isEnd, oosEnd));
        }
        if (windows.isEmpty()) {
            throw BadRequest.field("inSample", "inSample + outOfSample (" + (is + oos) / 86_400_000d + " days) is longer than base's range ("
                    + (end - start + 1) / 86_400_000d + " days)", "inSample + outOfSample within base.startTime .. base.endTime");
        }
        // the sweep part, checked as a sweep (its 400s name space, trials, objective, ...)
        ObjectNode sweepBody = JsonNodeFactory.instance.objectNode();
        sweepBody.set("base", base);
        for (String f : List.of("space", "method", "trials", "objective", "direction", "seed")) if (body.has(f)) sweepBody.set(f, body.get(f));
        sweepBody.putObject("constraints").put("minTrades", minTrades == null ? 0 : minTrades.asInt(0));
        SweepRequest sweep = SweepRequest.parse(sweepBody, backtests, maxTrials);
        if ((long) windows.size() * sweep.trials() > maxTrials) {
            throw BadRequest.field("step", windows.size() + " windows of " + sweep.trials() + " trials are more than " + maxTrials + " trials",
                    "windows × trials <= " + maxTrials + " (SWEEP_MAX_TRIALS)");
        }
        Object wnd = s.strategyParams().get("klineWndSize");
        int warmup = wnd instanceof Number n ? n.intValue() : 50;
        return new WalkForwardRequest(body, sweep, is, oos, step, anchored, start, end, s.series().interval().nominalMillis(), warmup, windows);
    }

    /** A duration such as "60d": a whole number of minutes (m), hours (h), days (d) or weeks (w), in ms. */
    static long duration(JsonNode body, String field, Long def) {
        JsonNode v = body.get(field);
        if ((v == null || v.isNull()) && def != null) return def;
        Matcher m = v == null || !v.isTextual() ? null : DURATION.matcher(v.asText().trim());
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw BadRequest.field(field, field + " must be a duration such as \"60d\"" + (v == null ? ", and is missing" : ", not " + v),
                    "a positive whole number followed by m (minutes), h, d or w");
        }
        long unit = switch (m.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 7 * 86_400_000L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** The in-sample sweep of a window: the sweep request with base narrowed to [isStart, isEnd). */
    ObjectNode sweepBody(Window w) {
        ObjectNode n = (ObjectNode) sweep.toJson(0);
        n.remove("parallelism");
        ObjectNode b = sweep.base().deepCopy();
        b.put("startTime", w.isStart());
        b.put("endTime", w.isEnd() - 1);
        n.set("base", b);
        return n;
    }

    /**
     * The out-of-sample run of a window: the base with the chosen params, from {@code warmupKlines} klines before
     * the out-of-sample start (never before the range) to its end, trading from the start, from {@code balance}.
     */
    ObjectNode outOfSampleBody(Window w, ObjectNode params, String balance) {
        ObjectNode b = sweep.trialRequest(params);
        b.put("startTime", Math.max(startMs, w.isEnd() - warmupKlines * intervalMs));
        b.put("endTime", w.oosEnd() - 1);
        b.put("initialBalance", balance);
        ((ObjectNode) b.get("strategyParams")).put("tradeFrom", w.isEnd());
        return b;
    }

    /** As stored: the body with every default filled in. */
    public ObjectNode toJson(int parallelism) {
        ObjectNode n = sweep.toJson(parallelism);
        n.remove("constraints");
        n.put("minTrades", sweep.objective().minTrades());
        n.put("inSample", body.get("inSample").asText());
        n.put("outOfSample", body.get("outOfSample").asText());
        n.put("step", body.path("step").asText(body.get("outOfSample").asText()));
        n.put("anchored", anchored);
        return n;
    }
}
