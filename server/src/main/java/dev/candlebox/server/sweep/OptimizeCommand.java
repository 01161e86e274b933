package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.server.ServerConfig;
import dev.candlebox.server.backtest.BacktestConfig;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.backtest.MarketData;
import dev.candlebox.server.http.BadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;

/**
 * {@code candlebox optimize STRATEGY.py --symbol --interval --space JSON ...}: a sweep against the same database
 * as {@code serve}, in this process's own worker pool, its trials stored as runs; writes {@code sweep.csv}
 * (one row per trial, ranked: params and metrics) and {@code sweep.json} (the sweep as the API shows it).
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Sweep a strategy's parameters (grid, random or bayes) and write sweep.csv and sweep.json.")
public class OptimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STRATEGY.py", description = "the strategy's Python source")
    Path strategy;
    @Option(names = "--symbol", required = true, description = "e.g. BTCUSDT")
    String symbol;
    @Option(names = "--interval", required = true, description = "e.g. 1h")
    String interval;
    @Option(names = "--from", description = "first open time (ISO-8601 or epoch ms); default: the first kline")
    String from;
    @Option(names = "--to", description = "last open time; default: the last kline")
    String to;
    @Option(names = "--params", description = "fixed strategyParams as a JSON object")
    String params;
    @Option(names = "--balance", defaultValue = "10000", description = "initial balance (default ${DEFAULT-VALUE})")
    String balance;
    @Option(names = "--fee", defaultValue = "0.001", description = "fee rate (default ${DEFAULT-VALUE})")
    String fee;
    @Option(names = "--space", required = true, description = "the search space as JSON, or @FILE, e.g. '{\"fast_period\": {\"int\": [5, 50], \"step\": 5}}'")
    String space;
    @Option(names = "--method", defaultValue = "grid", description = "grid, random or bayes (default ${DEFAULT-VALUE})")
    String method;
    @Option(names = "--trials", description = "trials of a random or bayes sweep (a grid runs every point)")
    Integer trials;
    @Option(names = "--objective", defaultValue = "sharpe", description = "a metric (default ${DEFAULT-VALUE})")
    String objective;
    @Option(names = "--minimize", description = "minimise the objective instead of maximising it")
    boolean minimize;
    @Option(names = "--min-trades", defaultValue = "0", description = "round trips a trial needs to be feasible (default ${DEFAULT-VALUE})")
    int minTrades;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--workers", description = "worker processes (default: $WORKERS, else cores - 1)")
    Integer workers;
    @Option(names = "--out", defaultValue = "optimize-out", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--database-url", description = "the database (default: $DATABASE_URL, else the embedded H2 in the data folder)")
    String databaseUrl;
    @Option(names = "--data-dir", description = "folder of the embedded H2 database (default: $CANDLEBOX_DATA_DIR or ./data)")
    Path dataDir;

    final ObjectMapper json = BacktestService.json().enable(SerializationFeature.INDENT_OUTPUT);

    /** The services a command runs on: this process's worker pool, the shared database, its own instance. */
    interface Job {
        int run(Database db, BacktestService backtests, SweepService sweeps, String instance, int poolSize) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        return withServices(this::optimize);
    }

    /** The request from the options, or null (exit 2, the reason printed) when the file or the JSON is bad. */
    ObjectNode requestOrNull() {
        if (!Files.isRegularFile(strategy)) {
            System.err.println("error: strategy file not found: " + strategy);
            return null;
        }
        try {
            return request();
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return null;
        }
    }

    private int optimize(Database db, BacktestService backtests, SweepService sweeps, String instance, int poolSize) throws IOException {
        ObjectNode body = requestOrNull();
        if (body == null) return 2;
        SweepStore.StoredSweep sweep;
        try {
            sweep = sweeps.submit("cli", body);
        } catch (BadRequest e) {
            System.err.println("error: " + e.body().get("detail") + " (" + e.body().get("field") + ")");
            return 2;
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        int total = sweeps.view(sweep).get("progress").get("total").asInt();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        sweeps.subscribe(sweep.id(), e -> {
            if (e.name().equals("trial")) {
                JsonNode t = read(e.json());
                System.err.printf("trial %d/%d %s %s %s = %s%n", finished.incrementAndGet(), total, t.get("status").asText(),
                        t.get("params"), objective, t.get("objective").isNull() ? "infeasible" : t.get("objective").asText());
            } else if (e.name().equals("end")) {
                ended.complete(null);
            }
        });
        ended.join();
        ObjectNode view = sweeps.view(sweeps.get(sweep.id()).orElseThrow());
        write(view);
        return "succeeded".equals(view.get("status").asText()) ? 0 : 1;
    }

    /** Runs a job against the database of {@code serve}, in its own worker pool and under its own instance name. */
    int withServices(Job job) throws Exception {
        ServerConfig config = ServerConfig.fromEnv(System.getenv());
        BacktestConfig bt = config.backtests();
        String dbUrl = databaseUrl != null ? databaseUrl
                : config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(dataDir != null ? dataDir : config.dataDir()));
        int poolSize = workers != null ? workers : bt.workers();
        // its own instance name: a server sharing the database keeps its own runs and sweeps
        String instance = "cli-" + UUID.randomUUID();
        try (Database db = Database.open(dbUrl, 4);
             WorkerPool pool = WorkerPool.start(bt.workerPool().withPoolSize(poolSize).withWarmupKlines(0));
             BacktestService backtests = new BacktestService(new BacktestService.Settings(instance, Math.max(64, poolSize),
                     Integer.MAX_VALUE, bt.maxKlines(), bt.serviceSettings().submissionLimits(), bt.serviceSettings().waitLimit()),
                     new RunStore(db), new KlineStore(db), new MarketData(new KlineStore(db), new FundingStore(db), new dev.candlebox.db.derivatives.Derivatives(db)), pool, json);
             SweepService sweeps = new SweepService(new SweepService.Settings(instance, bt.sweepMaxTrials(), poolSize, Integer.MAX_VALUE),
                     new SweepStore(db), new RunStore(db), backtests, json)) {
            return job.run(db, backtests, sweeps, instance, poolSize);
        }
    }

    private ObjectNode request() throws IOException {
        ObjectNode base = json.createObjectNode();
        base.put("symbol", symbol);
        base.put("interval", interval);
        if (from != null) base.put("startTime", from);
        if (to != null) base.put("endTime", to);
        base.put("initialBalance", balance);
        base.put("feeRate", fee);
        if (params != null) base.set("strategyParams", parse("--params", params));
        base.put("code", Files.readString(strategy, StandardCharsets.UTF_8));
        ObjectNode body = json.createObjectNode();
        body.set("base", base);
        body.set("space", parse("--space", space.startsWith("@") ? Files.readString(Path.of(space.substring(1))) : space));
        body.put("method", method);
        if (trials != null) body.put("trials", trials);
        body.put("objective", objective);
        body.put("direction", minimize ? "minimize" : "maximize");
        body.putObject("constraints").put("minTrades", minTrades);
        body.put("seed", seed);
        return body;
    }

    private JsonNode parse(String option, String text) throws IOException {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IOException(option + " is not JSON: " + e.getMessage());
        }
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sweep.json, and sweep.csv: rank, trial, run, status, feasible, objective, each parameter, each metric. */
    void write(ObjectNode view) throws IOException {
        Files.createDirectories(out);
        json.writeValue(out.resolve("sweep.json").toFile(), view);
        List<String> names = new ArrayList<>();
        view.get("request").get("space").fieldNames().forEachRemaining(names::add);
        StringBuilder csv = new StringBuilder("rank,trial,run_id,status,feasible,objective");
        for (String n : names) csv.append(',').append(n);
        for (String m : Objective.METRICS) csv.append(',').append(m);
        csv.append('\n');
        int rank = 0;
        for (JsonNode t : view.get("trials")) {
            csv.append(++rank).append(',').append(t.get("trial").asInt()).append(',').append(t.get("runId").asText()).append(',')
                    .append(t.get("status").asText()).append(',').append(t.get("feasible").asBoolean()).append(',')
                    .append(cell(t.get("objective")));
            for (String n : names) csv.append(',').append(cell(t.get("params").get(n)));
            for (String m : Objective.METRICS) csv.append(',').append(cell(t.path("metrics").get(m)));
            csv.append('\n');
        }
        Files.writeString(out.resolve("sweep.csv"), csv);
        JsonNode best = view.get("best");
        JsonNode st = view.get("statistics");
        System.out.println(best == null || best.isNull() ? "no feasible trial"
                : "best: trial " + best.get("trial") + " " + best.get("params") + " " + objective + " = " + best.get("objective")
                + "; DSR " + st.get("dsr") + " over " + st.get("trialsCounted") + " trials, PSR " + st.get("psr"));
        System.out.println("wrote " + out.resolve("sweep.csv") + ", sweep.json");
    }

    /** A CSV cell: numbers and booleans as they are, text quoted when it needs to be, null empty. */
    static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "";
        if (v.isNumber() || v.isBoolean()) return v.asText();
        String s = v.isTextual() ? v.asText() : v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
