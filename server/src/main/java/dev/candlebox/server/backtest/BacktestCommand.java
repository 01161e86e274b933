package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.server.ServerConfig;
import dev.candlebox.server.http.BadRequest;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code candlebox backtest STRATEGY.py --symbol --interval ...}: one run against the same database as
 * {@code serve}, in a worker process, with a progress bar; prints the metrics and writes
 * {@code metrics.json}, {@code trades.csv}, {@code equity.csv} and {@code report.html}.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Run a strategy over stored klines and write metrics.json, trades.csv, equity.csv, report.html.")
public final class BacktestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STRATEGY.py", description = "the strategy's Python source")
    Path strategy;
    @Option(names = "--symbol", required = true, description = "e.g. BTCUSDT")
    String symbol;
    @Option(names = "--interval", required = true, description = "e.g. 1h")
    String interval;
    @Option(names = "--from", description = "first open time (ISO-8601 or epoch ms), inclusive; default: the first kline")
    String from;
    @Option(names = "--to", description = "last open time (ISO-8601 or epoch ms), inclusive; default: the last kline")
    String to;
    @Option(names = "--params", description = "strategyParams as a JSON object, e.g. '{\"fast_period\": 10}'")
    String params;
    @Option(names = "--balance", description = "initial balance in the quote asset (default ${DEFAULT-VALUE})", defaultValue = "10000")
    String balance;
    @Option(names = "--fee", description = "fee rate per fill (default ${DEFAULT-VALUE})", defaultValue = "0.001")
    String fee;
    @Option(names = "--market", description = "spot or futures (default spot)")
    String market;
    @Option(names = "--leverage", description = "futures leverage, 1..125 (default 1)")
    Integer leverage;
    @Option(names = "--margin-mode", description = "isolated or cross (default isolated)")
    String marginMode;
    @Option(names = "--fill", description = "seed, close or next_open (default seed)")
    String fill;
    @Option(names = "--slippage", description = "fraction moving every taker fill against the trader (default 0)")
    String slippage;
    @Option(names = "--maker-fee", description = "fee of resting limit fills (default: --fee)")
    String makerFee;
    @Option(names = "--taker-fee", description = "fee of immediate, stop and liquidation fills (default: --fee)")
    String takerFee;
    @Option(names = "--intrabar", description = "pessimistic or 1m (default pessimistic)")
    String intrabar;
    @Option(names = "--out", description = "output folder (default ${DEFAULT-VALUE})", defaultValue = "backtest-out")
    Path out;
    @Option(names = "--database-url", description = "the database (default: $DATABASE_URL, else the embedded H2 in the data folder)")
    String databaseUrl;
    @Option(names = "--data-dir", description = "folder of the embedded H2 database (default: $CANDLEBOX_DATA_DIR or ./data)")
    Path dataDir;

    private final ObjectMapper json = BacktestService.json().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        if (!Files.isRegularFile(strategy)) {
            err.println("error: strategy file not found: " + strategy);
            return 2;
        }
        ServerConfig config = ServerConfig.fromEnv(System.getenv());
        BacktestConfig bt = config.backtests();
        String dbUrl = databaseUrl != null ? databaseUrl
                : config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(dataDir != null ? dataDir : config.dataDir()));
        try (Database db = Database.open(dbUrl, 2)) {
            KlineStore klines = new KlineStore(db);
            ObjectNode body = json.createObjectNode();
            body.put("symbol", symbol);
            body.put("interval", interval);
            if (from != null) body.put("startTime", from);
            if (to != null) body.put("endTime", to);
            body.put("initialBalance", balance);
            body.put("feeRate", fee);
            if (market != null) body.put("market", market);
            if (leverage != null) body.put("leverage", leverage);
            if (marginMode != null) body.put("marginMode", marginMode);
            if (fill != null) body.put("fill", fill);
            if (slippage != null) body.put("slippage", slippage);
            if (makerFee != null) body.put("makerFee", makerFee);
            if (takerFee != null) body.put("takerFee", takerFee);
            if (intrabar != null) body.put("intrabar", intrabar);
            if (params != null) {
                try {
                    body.set("strategyParams", json.readTree(params));
                } catch (IOException e) {
                    err.println("error: --params is not JSON: " + e.getMessage());
                    return 2;
                }
            }
            body.put("code", Files.readString(strategy, StandardCharsets.UTF_8));
            Submission s;
            try {
                s = Submission.parse(body, klines, new Submission.Limits(bt.maxCodeBytes(), bt.maxParamsBytes(), bt.maxSeries()), json);
            } catch (BadRequest e) {
                err.println("error: " + e.body().get("detail") + (e.body().get("allowed") == null ? "" : " (allowed: " + e.body().get("allowed") + ")"));
                return 2;
            }
            KlineColumns k = s.klines(klines);
            if (k.size() == 0) {
                err.println("error: no klines for " + s.series() + " in that range");
                return 2;
            }
            BacktestRequest request = new MarketData(klines, new FundingStore(db), new Derivatives(db)).request(s, k, bt.serviceSettings().maxKlines());
            KlineSeries series = request.klines();
            err.println("backtest " + strategy.getFileName() + " on " + s.series() + ": " + k.size() + " klines");
            RunOutcome outcome;
            try (WorkerPool pool = WorkerPool.start(bt.workerPool().withPoolSize(1));
                 ProgressBar bar = new ProgressBarBuilder().setTaskName("backtest").setInitialMax(1000)
                         .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setConsumer(
                                 new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build()) {
                outcome = pool.submit(request, new RunListener() {
                    @Override
                    public void onProgress(double fraction) {
                        bar.stepTo((long) (fraction * 1000));
                    }
                }).outcome().join();
                if (outcome instanceof RunOutcome.Succeeded) bar.stepTo(1000);
            }
            return switch (outcome) {
                case RunOutcome.Succeeded ok -> {
                    write(s, k, request, ok.result());
                    if (!ok.logs().isEmpty()) err.println("--- printed by the strategy ---\n" + ok.logs());
                    yield 0;
                }
                case RunOutcome.Failed f -> {
                    RunError e = f.error();
                    if (!f.logs().isEmpty()) err.println("--- printed by the strategy ---\n" + f.logs());
                    err.println("run failed: " + e.type() + (e.line() == null ? "" : " at line " + e.line()) + ": " + e.message());
                    if (e.traceback() != null && !e.traceback().isBlank()) err.println(e.traceback());
                    yield 1;
                }
                case RunOutcome.Cancelled c -> {
                    err.println("run cancelled");
                    yield 1;
                }
            };
        }
    }

    private void write(Submission s, KlineColumns candles, BacktestRequest request, BacktestResult r) throws IOException {
        KlineSeries series = request.klines();
        Files.createDirectories(out);
        Map<String, Double> metrics = Metrics.of(r, series.close(), s.series().interval().nominalMillis());
        ObjectNode all = json.createObjectNode();
        ObjectNode summary = RunViews.summary(r, json);
        all.set("result", summary);
        ObjectNode m = json.createObjectNode();
        metrics.forEach((key, v) -> {
            if (v == null || !Double.isFinite(v)) m.putNull(key);
            else m.put(key, v);
        });
        all.set("metrics", m);
        JsonNode quality = DataQuality.of(series, s.series().interval(), json, r).set("inputs", DataQuality.inputs(request, json));
        all.set("dataQuality", quality);
        all.set("reproducibility", Reproducibility.of(s, series, json));
        json.writeValue(out.resolve("metrics.json").toFile(), all);

        StringBuilder trades = new StringBuilder("timestamp,type,reason,price,amount,fee,slippage,balance\n");
        ArrayNode tradeJson = json.createArrayNode();
        for (Fill f : r.trades()) {
            trades.append(BacktestService.iso(f.timestamp())).append(',').append(f.type()).append(',')
                    .append(f.reason().wire()).append(',')
                    .append(f.price().toPlainString()).append(',').append(f.amount().toPlainString()).append(',')
                    .append(f.fee().toPlainString()).append(',').append(f.slippage().toPlainString()).append(',')
                    .append(f.balance().toPlainString()).append('\n');
            tradeJson.add(RunViews.trade(f, json));
        }
        Files.writeString(out.resolve("trades.csv"), trades);

        EquityCurve c = r.equityCurve();
        StringBuilder equity = new StringBuilder(c.size() * 64).append("timestamp,equity,balance,position\n");
        for (int i = 0; i < c.size(); i++) {
            equity.append(BacktestService.iso(c.timestamp()[i])).append(',').append(c.equity()[i]).append(',')
                    .append(c.balance()[i]).append(',').append(c.position()[i]).append('\n');
        }
        Files.writeString(out.resolve("equity.csv"), equity);

        String html = Report.html(new Report.Data("Backtest " + strategy.getFileName() + " · " + s.series(),
                s.toJson(json, false), summary, m, quality, candles, tradeJson, c));
        Files.writeString(out.resolve("report.html"), html);

        PrintStream o = System.out;
        o.println();
        o.printf("%-26s %s%n", "metric", "value");
        summary.properties().forEach(e -> o.printf("%-26s %s%n", e.getKey(), e.getValue().asText()));
        m.properties().forEach(e -> o.printf("%-26s %s%n", e.getKey(), e.getValue().isNull() ? "—" : Report.number(e.getValue().asDouble())));
        o.printf("%-26s %d gaps, %d missing klines%n", "data quality", quality.get("gaps").asLong(), quality.get("missingKlines").asLong());
        o.println();
        o.println("wrote " + out.resolve("metrics.json") + ", trades.csv, equity.csv, report.html");
    }
}
