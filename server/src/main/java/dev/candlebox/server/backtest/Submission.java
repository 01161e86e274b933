package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.AggregatedKlines;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.Trading;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.server.http.BadRequest;
import dev.candlebox.server.kline.TimeParam;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated backtest request (contract §5): every field checked, each failure a 400 (or 413) naming the
 * field and what is allowed.
 */
public record Submission(
        Series series,
        Long startTime,
        Long endTime,
        BigDecimal initialBalance,
        BigDecimal feeRate,
        Map<String, Object> strategyParams,
        String code,
        Trading trading,
        List<Series> inputs) {

    public static final BigDecimal DEFAULT_BALANCE = new BigDecimal("10000");
    public static final BigDecimal DEFAULT_FEE = new BigDecimal("0.001");

    /** Other series a run may read when BACKTEST_MAX_SERIES does not say. */
    public static final int DEFAULT_MAX_SERIES = 4;

    /**
     * Size limits of a submission, from the server's configuration.
     *
     * @param maxSeries entries allowed in the request's {@code series} (BACKTEST_MAX_SERIES)
     */
    public record Limits(int maxCodeBytes, int maxParamsBytes, int maxSeries) {
        public Limits(int maxCodeBytes, int maxParamsBytes) {
            this(maxCodeBytes, maxParamsBytes, DEFAULT_MAX_SERIES);
        }
    }

    public Submission {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    /** A submission without other series. */
    public Submission(Series series, Long startTime, Long endTime, BigDecimal initialBalance, BigDecimal feeRate,
                      Map<String, Object> strategyParams, String code, Trading trading) {
        this(series, startTime, endTime, initialBalance, feeRate, strategyParams, code, trading, List.of());
    }

    public static Submission parse(JsonNode body, KlineStore klines, Limits limits, ObjectMapper json) {
        if (body == null || !body.isObject()) throw BadRequest.field("body", "the body must be a JSON object", "{\"symbol\",\"interval\",\"code\",...}");
        String rawInterval = text(body, "interval", true);
        Interval interval = Interval.parse(rawInterval).orElseThrow(() -> BadRequest.field("interval",
                "unknown interval '" + rawInterval + "'", String.join(", ", Interval.codes())));
        String rawSymbol = text(body, "symbol", true);
        String symbol = Series.normalizeSymbol(rawSymbol).orElseThrow(() -> BadRequest.field("symbol",
                "invalid symbol '" + rawSymbol + "'", "symbols with data: " + klines.symbols()));
        Series series = new Series(symbol, interval);
        if (!klines.exists(series)) {
            throw BadRequest.field(klines.symbols().contains(symbol) ? "interval" : "symbol",
                    "no klines for " + symbol + " at " + interval.code(), "series with data: " + klines.seriesWithData());
        }
        Long start = time(body, "startTime");
        Long end = time(body, "endTime");
        if (start != null && end != null && start > end) {
            throw BadRequest.field("startTime", "startTime is after endTime", "startTime <= endTime");
        }
        BigDecimal balance = decimal(body, "initialBalance", DEFAULT_BALANCE);
        if (balance.signum() <= 0 || balance.compareTo(new BigDecimal("1e15")) > 0) {
            throw BadRequest.field("initialBalance", "initialBalance must be positive", "0 < initialBalance <= 1e15");
        }
        BigDecimal fee = decimal(body, "feeRate", DEFAULT_FEE);
        if (fee.signum() < 0 || fee.compareTo(new BigDecimal("0.1")) > 0) {
            throw BadRequest.field("feeRate", "feeRate " + fee.toPlainString() + " is out of range", "0 <= feeRate <= 0.1");
        }
        JsonNode params = body.get("strategyParams");
        Map<String, Object> strategyParams;
        if (params == null || params.isNull()) {
            strategyParams = Map.of();
        } else if (!params.isObject()) {
            throw BadRequest.field("strategyParams", "strategyParams must be a JSON object", "{\"name\": value, ...}");
        } else {
            int size = params.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > limits.maxParamsBytes()) {
                throw BadRequest.tooLarge("strategyParams", "strategyParams is " + size + " bytes", "at most " + limits.maxParamsBytes() + " bytes");
            }
            JsonNode wnd = params.get("klineWndSize");
            if (wnd != null && (!wnd.canConvertToInt() || !wnd.isIntegralNumber() || wnd.asInt() < 1 || wnd.asInt() > 100_000)) {
                throw BadRequest.field("strategyParams.klineWndSize", "klineWndSize must be an integer", "1..100000");
            }
            JsonNode tradeFrom = params.get("tradeFrom");
            if (tradeFrom != null && (!tradeFrom.isIntegralNumber() || !tradeFrom.canConvertToLong() || tradeFrom.asLong() < 0)) {
                throw BadRequest.field("strategyParams.tradeFrom", "tradeFrom must be a time in epoch milliseconds",
                        "an integer >= 0: the first kline the strategy may trade on (the klines before it are warm-up)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json.convertValue(params, Map.class);
            strategyParams = map;
        }
        String code = text(body, "code", true);
        int codeBytes = code.getBytes(StandardCharsets.UTF_8).length;
        if (codeBytes > limits.maxCodeBytes()) {
            throw BadRequest.tooLarge("code", "code is " + codeBytes + " bytes", "at most " + limits.maxCodeBytes() + " bytes");
        }
        if (code.isBlank()) throw BadRequest.field("code", "code is empty", "Python source defining class Strategy(IStrategy)");
        return new Submission(series, start, end, balance, fee, strategyParams, code, trading(body, fee),
                inputs(body.get("series"), series, klines, limits.maxSeries()));
    }

    /**
     * The request's {@code series} (contract section 7): other symbols or intervals the strategy reads with
     * {@code self.series(...)}. Each needs klines stored at its interval or at a shorter one it can be built from
     * ({@link AggregatedKlines}), and an interval at least as long as the run's (so that a series never holds
     * more klines than the run itself).
     */
    static List<Series> inputs(JsonNode v, Series run, KlineStore klines, int maxSeries) {
        if (v == null || v.isNull()) return List.of();
        String shape = "[{\"symbol\": \"ETHUSDT\", \"interval\": \"4h\"}, ...]";
        if (!v.isArray()) throw BadRequest.field("series", "series must be an array", shape);
        if (v.size() > maxSeries) {
            throw BadRequest.field("series", "series has " + v.size() + " entries", "at most " + maxSeries + " (BACKTEST_MAX_SERIES)");
        }
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String at = "series[" + i + "]";
            if (!e.isObject()) throw BadRequest.field(at, at + " must be an object", shape);
            String rawSymbol = e.path("symbol").isTextual() ? e.get("symbol").asText() : null;
            String symbol = rawSymbol == null ? run.symbol() : Series.normalizeSymbol(rawSymbol).orElseThrow(() ->
                    BadRequest.field(at + ".symbol", "invalid symbol '" + rawSymbol + "'", "symbols with data: " + klines.symbols()));
            if (e.has("symbol") && !e.get("symbol").isTextual() && !e.get("symbol").isNull()) {
                throw BadRequest.field(at + ".symbol", at + ".symbol must be a string", "symbols with data: " + klines.symbols());
            }
            JsonNode iv = e.get("interval");
            if (iv == null || !iv.isTextual()) throw BadRequest.field(at + ".interval", at + ".interval is required", String.join(", ", Interval.codes()));
            Interval interval = Interval.parse(iv.asText()).orElseThrow(() -> BadRequest.field(at + ".interval",
                    "unknown interval '" + iv.asText() + "'", String.join(", ", Interval.codes())));
            if (interval.nominalMillis() < run.interval().nominalMillis()) {
                throw BadRequest.field(at + ".interval", "interval " + interval.code() + " is shorter than the run's "
                        + run.interval().code(), "intervals of at least " + run.interval().code());
            }
            Series s = new Series(symbol, interval);
            if (out.contains(s)) throw BadRequest.field(at, s + " is listed twice", "each series once");
            if (!klines.hasRows(s) && AggregatedKlines.source(klines, s).isEmpty()) {
                throw BadRequest.field(klines.symbols().contains(symbol) ? at + ".interval" : at + ".symbol",
                        "no klines for " + s + " (stored or buildable from a shorter interval)",
                        "series with data: " + klines.seriesWithData());
            }
            out.add(s);
        }
        return out;
    }

    /** Contract section 6's fields, each optional, each checked with a 400 naming it. */
    static Trading trading(JsonNode body, BigDecimal feeRate) {
        Trading.Market market = choice(body, "market", Trading.Market.class, Trading.Market.SPOT);
        JsonNode lev = body.get("leverage");
        int leverage = 1;
        if (lev != null && !lev.isNull()) {
            if (!lev.isIntegralNumber() || !lev.canConvertToInt() || lev.asInt() < 1 || lev.asInt() > Trading.MAX_LEVERAGE) {
                throw BadRequest.field("leverage", "leverage " + lev + " is not allowed", "an integer 1.." + Trading.MAX_LEVERAGE);
            }
            leverage = lev.asInt();
        }
        Trading.MarginMode mode = choice(body, "marginMode", Trading.MarginMode.class, Trading.MarginMode.ISOLATED);
        Trading.FillTiming fill = choice(body, "fill", Trading.FillTiming.class, Trading.FillTiming.SEED);
        BigDecimal slippage = decimal(body, "slippage", BigDecimal.ZERO);
        if (slippage.signum() < 0 || slippage.compareTo(new BigDecimal("0.1")) > 0) {
            throw BadRequest.field("slippage", "slippage " + slippage.toPlainString() + " is out of range", "0 <= slippage <= 0.1");
        }
        BigDecimal maker = decimal(body, "makerFee", feeRate);
        if (maker.compareTo(new BigDecimal("-0.01")) < 0 || maker.compareTo(new BigDecimal("0.1")) > 0) {
            throw BadRequest.field("makerFee", "makerFee " + maker.toPlainString() + " is out of range", "-0.01 <= makerFee <= 0.1");
        }
        BigDecimal taker = decimal(body, "takerFee", feeRate);
        if (taker.signum() < 0 || taker.compareTo(new BigDecimal("0.1")) > 0) {
            throw BadRequest.field("takerFee", "takerFee " + taker.toPlainString() + " is out of range", "0 <= takerFee <= 0.1");
        }
        Trading.Intrabar intrabar = choice(body, "intrabar", Trading.Intrabar.class, Trading.Intrabar.PESSIMISTIC);
        return new Trading(market, leverage, mode, fill, slippage, maker, taker, intrabar);
    }

    private static <E extends Enum<E>> E choice(JsonNode body, String field, Class<E> type, E def) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return def;
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Trading::wire).toList();
        if (!v.isTextual()) throw BadRequest.field(field, field + " must be a string", String.join(", ", allowed));
        return Trading.parse(type, v.asText()).orElseThrow(() -> BadRequest.field(field,
                "unknown " + field + " '" + v.asText() + "'", String.join(", ", allowed)));
    }

    /** The klines this submission runs on, from the store. */
    public KlineColumns klines(KlineStore store) {
        return store.range(series, startTime == null ? Long.MIN_VALUE : startTime, endTime == null ? Long.MAX_VALUE : endTime);
    }

    /** The engine's request for these klines, the symbol's funding (futures) and its minutes ("1m"). */
    public BacktestRequest request(KlineSeries klines, FundingSeries funding, KlineSeries minutes) {
        String[] assets = Assets.split(series.symbol());
        return new BacktestRequest(code, klines, strategyParams, initialBalance, feeRate, assets[0], assets[1], trading,
                funding, minutes);
    }

    /** The store's columns as the engine's input. */
    public static KlineSeries series(KlineColumns k) {
        return new KlineSeries(k.openTimes(), k.opens(), k.highs(), k.lows(), k.closes(), k.volumes(),
                k.closeTimes(), k.quoteVolumes(), k.tradesCounts(), k.takerBuyBaseVolumes(), k.takerBuyQuoteVolumes());
    }

    /** The request as stored and shown back (contract field names; times ISO). */
    public ObjectNode toJson(ObjectMapper json, boolean withCode) {
        ObjectNode n = json.createObjectNode();
        n.put("symbol", series.symbol());
        n.put("interval", series.interval().code());
        if (startTime != null) n.put("startTime", java.time.Instant.ofEpochMilli(startTime).toString());
        else n.putNull("startTime");
        if (endTime != null) n.put("endTime", java.time.Instant.ofEpochMilli(endTime).toString());
        else n.putNull("endTime");
        n.put("initialBalance", initialBalance);
        n.put("feeRate", feeRate);
        n.set("strategyParams", json.valueToTree(strategyParams));
        n.put("market", Trading.wire(trading.market()));
        n.put("leverage", trading.leverage());
        n.put("marginMode", Trading.wire(trading.marginMode()));
        n.put("fill", Trading.wire(trading.fill()));
        n.put("slippage", trading.slippage());
        n.put("makerFee", trading.makerFee());
        n.put("takerFee", trading.takerFee());
        n.put("intrabar", Trading.wire(trading.intrabar()));
        if (!inputs.isEmpty()) {
            var list = n.putArray("series");
            for (Series s : inputs) list.addObject().put("symbol", s.symbol()).put("interval", s.interval().code());
        }
        if (withCode) n.put("code", code);
        return n;
    }

    /** Reads a stored request back. */
    @SuppressWarnings("unchecked")
    public static Submission fromJson(JsonNode n, ObjectMapper json) {
        Series series = new Series(n.get("symbol").asText(), Interval.parse(n.get("interval").asText()).orElseThrow());
        Long start = n.path("startTime").isNull() || n.path("startTime").isMissingNode() ? null
                : java.time.Instant.parse(n.get("startTime").asText()).toEpochMilli();
        Long end = n.path("endTime").isNull() || n.path("endTime").isMissingNode() ? null
                : java.time.Instant.parse(n.get("endTime").asText()).toEpochMilli();
        BigDecimal fee = n.get("feeRate").decimalValue();
        // Runs stored before section 6 have none of its fields: the defaults are what they ran with.
        List<Series> inputs = new ArrayList<>();
        for (JsonNode e : n.path("series")) {
            inputs.add(new Series(e.get("symbol").asText(), Interval.parse(e.get("interval").asText()).orElseThrow()));
        }
        return new Submission(series, start, end, n.get("initialBalance").decimalValue(), fee,
                json.convertValue(n.get("strategyParams"), Map.class), n.get("code").asText(), trading(n, fee), inputs);
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw BadRequest.field(field, field + " is required", null);
            return null;
        }
        if (!v.isTextual()) throw BadRequest.field(field, field + " must be a string", null);
        return v.asText();
    }

    private static Long time(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) return null;
        if (v.isIntegralNumber()) return v.asLong();
        if (!v.isTextual()) throw BadRequest.field(field, field + " must be an ISO-8601 string or epoch milliseconds", TimeParam.ALLOWED);
        try {
            return TimeParam.parse(field, v.asText());
        } catch (BadRequest e) {
            throw BadRequest.field(field, field + " is not a time: '" + v.asText() + "'", TimeParam.ALLOWED);
        }
    }

    private static BigDecimal decimal(JsonNode body, String field, BigDecimal def) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return def;
        if (v.isNumber()) {
            if (v.isDouble() && !Double.isFinite(v.asDouble())) throw BadRequest.field(field, field + " must be finite", null);
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw BadRequest.field(field, field + " is not a number: '" + v.asText() + "'", "a decimal number");
            }
        }
        throw BadRequest.field(field, field + " must be a number", "a decimal number");
    }
}
