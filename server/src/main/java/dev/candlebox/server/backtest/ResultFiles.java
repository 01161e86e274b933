package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.sandbox.engine.EquityCurve;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code candlebox backtest} writes for a finished run — metrics.json, trades.csv, equity.csv, report.html —
 * and the summary it prints. One writer for both ways a run is made (in a local worker, or by a running server
 * reading the same database), so the files of the two are the same.
 *
 * @param summary         the contract's result fields without the lists ({@link RunViews#summary})
 * @param metrics         the run's metrics, non-finite values as null
 * @param trades          trade views ({@link RunViews#trade}), oldest first
 */
record ResultFiles(String title, JsonNode request, ObjectNode summary, ObjectNode metrics, JsonNode dataQuality,
                   JsonNode reproducibility, ArrayNode trades, EquityCurve equity, KlineColumns candles) {

    static final String TRADES_HEADER = "timestamp,type,reason,price,amount,fee,slippage,balance";

    void write(Path out, ObjectMapper json) throws IOException {
        Files.createDirectories(out);
        ObjectNode all = json.createObjectNode();
        all.set("result", summary);
        all.set("metrics", metrics);
        all.set("dataQuality", dataQuality);
        all.set("reproducibility", reproducibility);
        json.writeValue(out.resolve("metrics.json").toFile(), all);

        StringBuilder t = new StringBuilder(TRADES_HEADER).append('\n');
        for (JsonNode f : trades) {
            t.append(f.get("timestamp").asText()).append(',').append(f.get("type").asText()).append(',')
                    .append(f.get("reason").asText()).append(',').append(plain(f.get("price"))).append(',')
                    .append(plain(f.get("amount"))).append(',').append(plain(f.get("fee"))).append(',')
                    .append(plain(f.get("slippage"))).append(',').append(plain(f.get("balance"))).append('\n');
        }
        Files.writeString(out.resolve("trades.csv"), t);

        StringBuilder e = new StringBuilder(equity.size() * 64).append("timestamp,equity,balance,position\n");
        for (int i = 0; i < equity.size(); i++) {
            e.append(BacktestService.iso(equity.timestamp()[i])).append(',').append(equity.equity()[i]).append(',')
                    .append(equity.balance()[i]).append(',').append(equity.position()[i]).append('\n');
        }
        Files.writeString(out.resolve("equity.csv"), e);

        Files.writeString(out.resolve("report.html"), Report.html(new Report.Data(title, request, summary, metrics,
                dataQuality, candles, trades, equity)));
    }

    /** A decimal as the engine wrote it, never in exponent form. */
    private static String plain(JsonNode n) {
        return n.decimalValue().toPlainString();
    }

    /** The table printed at the end: the result, the metrics, data quality and where the files went. */
    void print(PrintStream o, Path out, String how) {
        o.println();
        o.printf("%-26s %s%n", "metric", "value");
        summary.properties().forEach(e -> o.printf("%-26s %s%n", e.getKey(), e.getValue().asText()));
        metrics.properties().forEach(e -> o.printf("%-26s %s%n", e.getKey(),
                e.getValue().isNull() ? "—" : Report.number(e.getValue().asDouble())));
        o.printf("%-26s %d gaps, %d missing klines%n", "data quality", dataQuality.get("gaps").asLong(),
                dataQuality.get("missingKlines").asLong());
        o.printf("%-26s %s%n", "run by", how);
        o.println();
        o.println("wrote " + out.resolve("metrics.json") + ", trades.csv, equity.csv, report.html");
    }
}
