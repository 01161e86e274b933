package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.kline.KlineColumns;
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
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleConsumer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code candlebox backtest STRATEGY.py --symbol --interval ...}: one run against the same database as
 * {@code serve}, in a worker process (or on a running server that reads the same database), with a progress bar on a
 * terminal; prints the metrics and writes
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
    @Option(names = "--days", description = "only the last N days: from N days before --to (or the last stored kline), exclusive")
    Integer days;
    @Option(names = "--server", description = "hand the run to this running `candlebox serve` (default: $CANDLEBOX_SERVER, "
            + "else http://127.0.0.1:$PORT, used only when it reads the same database; --local never does)")
    String server;
    @Option(names = "--local", description = "always run in a worker started by this command")
    boolean local;
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
        if (days != null && (days < 1 || from != null)) {
            err.println("error: " + (days < 1 ? "--days must be at least 1" : "--days and --from exclude each other: give one"));
            return 2;
        }
        if (local && server != null) {
            err.println("error: --local and --server exclude each other: give one");
            return 2;
        }
        ServerConfig config = ServerConfig.fromEnv(System.getenv());
        BacktestConfig bt = config.backtests();
        String dbUrl = databaseUrl != null ? databaseUrl
                : config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(dataDir != null ? dataDir : config.dataDir()));
        // a running server is asked for the database it reads while this process opens its own
        CompletableFuture<Optional<ServerRun>> probe = local ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.supplyAsync(() -> server(config));
        try (Database db = Database.open(dbUrl, 2)) {
            KlineStore klines = new KlineStore(db);
            ObjectNode body;
            Submission s;
            try {
                body = body();
                s = parse(body, klines, bt);
                if (days != null) {
                    long end = s.endTime() != null ? s.endTime() : klines.lastOpenTime(s.series()).orElseThrow();
                    body.put("startTime", end - days * 86_400_000L + 1);
                    s = parse(body, klines, bt);
                }
            } catch (BadRequest e) {
                err.println("error: " + e.body().get("detail") + (e.body().get("allowed") == null ? "" : " (allowed: " + e.body().get("allowed") + ")"));
                return 2;
            } catch (IOException e) {
                err.println("error: --params is not JSON: " + e.getMessage());
                return 2;
            }
            Optional<ServerRun> remote = probe.join().filter(r -> r.readsDatabase(db.identity(), err, server != null));
            if (server != null && remote.isEmpty()) return 2;
            Submission submission = s;
            // the klines (for the report, and for a local run) are read while a server runs the backtest
            CompletableFuture<KlineColumns> candles = CompletableFuture.supplyAsync(() -> submission.klines(klines));
            if (remote.isEmpty() && candles.join().size() == 0) {
                err.println("error: no klines for " + s.series() + " in that range");
                return 2;
            }
            err.println("backtest " + strategy.getFileName() + " on " + s.series()
                    + remote.map(r -> " on the server at " + r.base()).orElse(": " + candles.join().size() + " klines"));
            // drawn on a terminal only (asking a redirected stream for its width starts `tty` and `test` processes)
            boolean terminal = System.console() != null && System.console().isTerminal();
            try (ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("backtest").setInitialMax(1000)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build() : null) {
                DoubleConsumer progress = bar == null ? f -> { } : f -> bar.stepTo((long) (f * 1000));
                return remote.isPresent() ? onServer(remote.get(), body, s, candles, progress)
                        : inWorker(db, klines, s, candles.join(), bt, progress);
            }
        }
    }

    private ObjectNode body() throws IOException {
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
        if (params != null) body.set("strategyParams", json.readTree(params));
        body.put("code", Files.readString(strategy, StandardCharsets.UTF_8));
        return body;
    }

    private Submission parse(ObjectNode body, KlineStore klines, BacktestConfig bt) {
        return Submission.parse(body, klines, new Submission.Limits(bt.maxCodeBytes(), bt.maxParamsBytes(), bt.maxSeries()), json);
    }

    /**
     * The running server that may take the run: --server, else $CANDLEBOX_SERVER or this machine's port; empty (with a
     * note for an explicit one) when nothing healthy answers there.
     */
    private Optional<ServerRun> server(ServerConfig config) {
        String explicit = server != null ? server : System.getenv("CANDLEBOX_SERVER");
        URI base;
        try {
            base = URI.create(explicit != null ? explicit : "http://127.0.0.1:" + config.port());
        } catch (IllegalArgumentException e) {
            System.err.println("error: --server is not a URL: " + explicit);
            return Optional.empty();
        }
        String[] why = {null};
        Optional<ServerRun> found = ServerRun.probe(base, Duration.ofMillis(explicit != null ? 3000 : 300), json, why);
        if (found.isEmpty() && server != null) System.err.println("error: " + why[0]);
        else if (found.isEmpty() && explicit != null) System.err.println("note: " + why[0] + "; running in a local worker");
        return found;
    }

    /** The run in a worker of this process: a new JVM, a new worker, a cold GraalPy. */
    private int inWorker(Database db, KlineStore klines, Submission s, KlineColumns k, BacktestConfig bt, DoubleConsumer progress) throws IOException {
        BacktestRequest request = new MarketData(klines, new FundingStore(db), new Derivatives(db)).request(s, k, bt.serviceSettings().maxKlines());
        KlineSeries series = request.klines();
        RunOutcome outcome;
        try (WorkerPool pool = WorkerPool.start(bt.workerPool().withPoolSize(1))) {
            outcome = pool.submit(request, new RunListener() {
                @Override
                public void onProgress(double fraction) {
                    progress.accept(fraction);
                }
            }).outcome().join();
        }
        PrintStream err = System.err;
        return switch (outcome) {
            case RunOutcome.Succeeded ok -> {
                progress.accept(1);
                BacktestResult r = ok.result();
                ArrayNode trades = json.createArrayNode();
                for (Fill f : r.trades()) trades.add(RunViews.trade(f, json));
                JsonNode quality = DataQuality.of(series, s.series().interval(), json, r).set("inputs", DataQuality.inputs(request, json));
                done(new ResultFiles(title(s), s.toJson(json, false), RunViews.summary(r, json),
                        finite(Metrics.of(r, series.close(), s.series().interval().nominalMillis())), quality,
                        Reproducibility.of(s, series, json), trades, r.equityCurve(), k), ok.logs(), "a local worker");
                yield 0;
            }
            case RunOutcome.Failed f -> failed(f.logs(), f.error().type(), f.error().line(), f.error().message(), f.error().traceback());
            case RunOutcome.Cancelled c -> {
                err.println("run cancelled");
                yield 1;
            }
        };
    }

    /** The run on a running server that reads the same database; the files are made here from its answer. */
    private int onServer(ServerRun remote, ObjectNode body, Submission s, CompletableFuture<KlineColumns> candles,
                         DoubleConsumer progress) throws IOException {
        PrintStream err = System.err;
        ServerRun.Finished done;
        try {
            done = remote.run(body, progress);
        } catch (ServerRun.Refused e) {
            err.println("error: the server at " + remote.base() + " refused the run (" + e.status + "): " + e.getMessage());
            return e.status < 500 && e.status != 429 ? 2 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        JsonNode run = done.run();
        String status = run.path("status").asText();
        String logs = run.path("logs").asText("");
        switch (status) {
            case "succeeded" -> {
                progress.accept(1);
                ObjectNode metrics = json.createObjectNode();
                run.get("metrics").properties().forEach(e -> {
                    if (e.getValue().isNull()) metrics.putNull(e.getKey());
                    else metrics.put(e.getKey(), e.getValue().doubleValue());
                });
                done(new ResultFiles(title(s), s.toJson(json, false), (ObjectNode) run.get("result"), metrics,
                        run.get("dataQuality"), run.get("reproducibility"), done.trades(), done.equity(), candles.join()),
                        logs, "the server at " + remote.base() + " (run " + run.get("id").asText() + ")");
                return 0;
            }
            case "failed" -> {
                JsonNode e = run.get("error");
                return failed(logs, e.path("type").asText(), e.path("line").isNull() ? null : e.path("line").asInt(),
                        e.path("message").asText(), e.path("traceback").asText(null));
            }
            default -> {
                err.println("run " + status);
                return 1;
            }
        }
    }

    private String title(Submission s) {
        return "Backtest " + strategy.getFileName() + " · " + s.series();
    }

    private ObjectNode finite(Map<String, Double> metrics) {
        ObjectNode m = json.createObjectNode();
        metrics.forEach((key, v) -> {
            if (v == null || !Double.isFinite(v)) m.putNull(key);
            else m.put(key, v);
        });
        return m;
    }

    private void done(ResultFiles files, String logs, String how) throws IOException {
        if (!logs.isEmpty()) System.err.println("--- printed by the strategy ---\n" + logs);
        files.write(out, json);
        files.print(System.out, out, how);
    }

    private static int failed(String logs, String type, Integer line, String message, String traceback) {
        PrintStream err = System.err;
        if (!logs.isEmpty()) err.println("--- printed by the strategy ---\n" + logs);
        err.println("run failed: " + type + (line == null ? "" : " at line " + line) + ": " + message);
        if (traceback != null && !traceback.isBlank()) err.println(traceback);
        return 1;
    }
}
