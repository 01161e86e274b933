package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.Trading;

import java.nio.charset.StandardCharsets;

/** The JSON shapes of the backtest API: a run, its result summary, a trade, an equity point. */
final class RunViews {
    private RunViews() {}

    /** The contract's result fields without the two long lists. */
    static ObjectNode summary(BacktestResult r, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("initialBalance", r.initialBalance());
        n.put("finalBalance", r.finalBalance());
        n.put("profit", r.profit());
        n.put("profitRate", r.profitRate());
        n.put("maxDrawdown", r.maxDrawdown());
        n.put("totalTrades", r.totalTrades());
        n.put("winRate", r.winRate());
        n.put("baseAsset", r.baseAsset());
        n.put("quoteAsset", r.quoteAsset());
        n.put("baseFee", r.baseFee());
        n.put("quoteFee", r.quoteFee());
        n.put("market", Trading.wire(r.trading().market()));
        n.put("leverage", r.trading().leverage());
        n.put("marginMode", Trading.wire(r.trading().marginMode()));
        n.put("fundingPaid", r.fundingPaid());
        n.put("liquidations", r.liquidations());
        return n;
    }

    /** Section 6's lists: every resting order with its final status, every funding payment. */
    static ArrayNode orders(BacktestResult r, ObjectMapper json) {
        ArrayNode a = json.createArrayNode();
        for (Order o : r.orders()) {
            ObjectNode n = a.addObject();
            n.put("id", o.id());
            n.put("side", o.side().wire());
            n.put("type", o.type().wire());
            n.put("amount", o.amount());
            n.put("price", o.price());
            n.put("stop", o.stop());
            n.put("reduceOnly", o.reduceOnly());
            n.put("tag", o.tag());
            n.put("status", o.status().wire());
        }
        return a;
    }

    static ArrayNode funding(BacktestResult r, ObjectMapper json) {
        ArrayNode a = json.createArrayNode();
        for (BacktestResult.FundingPayment p : r.funding()) {
            ObjectNode n = a.addObject();
            n.put("timestamp", BacktestService.iso(p.timestamp()));
            n.put("rate", p.rate());
            n.put("price", p.price());
            n.put("position", p.position());
            n.put("amount", p.amount());
        }
        return a;
    }

    static ObjectNode trade(Fill f, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("timestamp", BacktestService.iso(f.timestamp()));
        n.put("type", f.type());
        n.put("price", f.price());
        n.put("amount", f.amount());
        n.put("balance", f.balance());
        n.put("fee", f.fee());
        n.put("reason", f.reason().wire());
        n.put("slippage", f.slippage());
        return n;
    }

    /**
     * A run as the API shows it. {@code full} adds the contract's {@code trades} and {@code equityCurve}
     * (one point per kline) to the result; null leaves them out (the summary view).
     */
    static ObjectNode run(StoredRun r, BacktestService service, ObjectMapper json, Boolean full) {
        ObjectNode n = json.createObjectNode();
        n.put("id", r.id());
        n.put("status", r.status().code());
        n.put("progress", service.liveProgress(r));
        JsonNode request = service.read(r.requestJson());
        n.set("request", request);
        RunLabels.put(n, service.runs().label(r.id()), request.path("code").isTextual() ? request.get("code").asText() : null, json);
        ObjectNode waiting = service.waiting(r);
        if (waiting != null) n.set("waiting", waiting);
        JsonNode result = service.read(r.resultJson());
        if (result != null && Boolean.TRUE.equals(full)) {
            ObjectNode withLists = (ObjectNode) result;
            withLists.set("trades", trades(service, r.id()));
            withLists.set("equityCurve", equityPoints(service, r.id(), json));
            withLists.set("orders", list(service, r.id(), "orders"));
            withLists.set("funding", list(service, r.id(), "funding"));
        }
        n.set("result", result);
        JsonNode extra = service.read(r.metricsJson());
        n.set("metrics", extra == null ? null : extra.get("metrics"));
        n.set("dataQuality", extra == null ? null : extra.get("dataQuality"));
        n.set("reproducibility", extra == null ? null : extra.get("reproducibility"));
        n.set("error", service.read(r.errorJson()));
        n.put("logs", r.logs() == null ? "" : r.logs());
        n.put("createdAt", r.createdAt().toString());
        n.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        n.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        return n;
    }

    static ArrayNode trades(BacktestService service, String id) {
        return list(service, id, "trades");
    }

    /** A stored list of the run (gzipped JSON): trades, orders, funding; empty when the run has none. */
    static ArrayNode list(BacktestService service, String id, String kind) {
        return service.runs().data(id, kind)
                .map(b -> (ArrayNode) service.read(new String(RunData.gunzip(b), StandardCharsets.UTF_8)))
                .orElseGet(() -> service.json.createArrayNode());
    }

    static EquityCurve equity(BacktestService service, String id) {
        return service.runs().data(id, "equity").map(RunData::decodeEquity).orElse(null);
    }

    private static ArrayNode equityPoints(BacktestService service, String id, ObjectMapper json) {
        ArrayNode a = json.createArrayNode();
        EquityCurve c = equity(service, id);
        if (c == null) return a;
        for (int i = 0; i < c.size(); i++) {
            ObjectNode p = a.addObject();
            p.put("timestamp", BacktestService.iso(c.timestamp()[i]));
            p.put("equity", c.equity()[i]);
            p.put("balance", c.balance()[i]);
            p.put("position", c.position()[i]);
        }
        return a;
    }
}
