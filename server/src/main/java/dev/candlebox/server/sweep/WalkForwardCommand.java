package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.http.BadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code candlebox walkforward STRATEGY.py --symbol --interval --from --to --space JSON --in-sample 60d
 * --out-of-sample 20d ...}: a walk-forward with {@code optimize}'s options, against the same database as
 * {@code serve}; writes {@code walkforward.csv} (one row per window) and {@code walkforward.json} (as the API
 * shows it).
 */
@Command(name = "walkforward", mixinStandardHelpOptions = true,
        description = "Walk-forward validation: per window an in-sample sweep, then an out-of-sample run; writes walkforward.csv and walkforward.json.")
public final class WalkForwardCommand extends OptimizeCommand {
    @Option(names = "--in-sample", required = true, description = "in-sample length, e.g. 60d (m, h, d, w)")
    String inSample;
    @Option(names = "--out-of-sample", required = true, description = "out-of-sample length, e.g. 20d")
    String outOfSample;
    @Option(names = "--step", description = "how far windows move (default: the out-of-sample length)")
    String step;
    @Option(names = "--anchored", description = "in-sample always from --from (growing windows)")
    boolean anchored;

    @Override
    public Integer call() throws Exception {
        if (out.toString().equals("optimize-out")) out = out.resolveSibling("walkforward-out");
        return withServices(this::walkForward);
    }

    private int walkForward(Database db, BacktestService backtests, SweepService sweeps, String instance, int poolSize) throws IOException {
        ObjectNode body = requestOrNull();
        if (body == null) return 2;
        body.put("minTrades", body.path("constraints").path("minTrades").asInt(0));
        body.remove("constraints");
        body.put("inSample", inSample);
        body.put("outOfSample", outOfSample);
        if (step != null) body.put("step", step);
        body.put("anchored", anchored);
        try (WalkForwardService service = new WalkForwardService(new SweepService.Settings(instance, Integer.MAX_VALUE, poolSize,
                Integer.MAX_VALUE), new SweepStore(db), new RunStore(db), backtests, sweeps, json)) {
            SweepStore.StoredSweep wf;
            try {
                wf = service.submit("cli", body);
            } catch (BadRequest e) {
                System.err.println("error: " + e.body().get("detail") + " (" + e.body().get("field") + ")");
                return 2;
            }
            CompletableFuture<Void> ended = new CompletableFuture<>();
            service.subscribe(wf.id(), e -> {
                if (e.name().equals("window")) {
                    JsonNode w = read(e.json());
                    System.err.printf("window %d %s: params %s, in-sample %s = %s, out-of-sample %s%n", w.get("window").asInt(),
                            w.get("status").asText(), w.get("params"), objective, w.path("inSampleObjective").asText(),
                            w.path("outOfSampleObjective").asText());
                } else if (e.name().equals("end")) {
                    ended.complete(null);
                }
            });
            ended.join();
            ObjectNode view = service.view(service.get(wf.id()).orElseThrow());
            writeWalkForward(view);
            return "succeeded".equals(view.get("status").asText()) ? 0 : 1;
        }
    }

    /** walkforward.json, and walkforward.csv: one row per window, its ranges, params, objectives and balances. */
    void writeWalkForward(ObjectNode view) throws IOException {
        Files.createDirectories(out);
        json.writeValue(out.resolve("walkforward.json").toFile(), view);
        List<String> names = new ArrayList<>();
        view.get("request").get("space").fieldNames().forEachRemaining(names::add);
        StringBuilder csv = new StringBuilder("window,status,in_sample_start,in_sample_end,out_of_sample_start,out_of_sample_end,"
                + "in_sample_objective,out_of_sample_objective,initial_balance,final_balance,sweep_id,run_id");
        for (String n : names) csv.append(',').append(n);
        csv.append('\n');
        for (JsonNode w : view.get("windows")) {
            csv.append(w.get("window").asInt()).append(',').append(cell(w.get("status"))).append(',')
                    .append(cell(w.get("inSample").get("start"))).append(',').append(cell(w.get("inSample").get("end"))).append(',')
                    .append(cell(w.get("outOfSample").get("start"))).append(',').append(cell(w.get("outOfSample").get("end"))).append(',')
                    .append(cell(w.get("inSampleObjective"))).append(',').append(cell(w.get("outOfSampleObjective"))).append(',')
                    .append(cell(w.get("initialBalance"))).append(',').append(cell(w.get("finalBalance"))).append(',')
                    .append(cell(w.get("sweepId"))).append(',').append(cell(w.get("runId")));
            for (String n : names) csv.append(',').append(cell(w.path("params").get(n)));
            csv.append('\n');
        }
        Files.writeString(out.resolve("walkforward.csv"), csv);
        JsonNode s = view.get("summary");
        if (s != null && !s.isNull()) {
            System.out.println("out of sample: total return " + s.get("outOfSample").get("totalReturn") + ", sharpe "
                    + s.get("outOfSample").get("sharpe") + "; walk-forward efficiency " + s.get("walkForwardEfficiency")
                    + "; profitable windows " + s.get("profitableWindows") + "/" + s.get("outOfSampleWindows"));
        }
        System.out.println("wrote " + out.resolve("walkforward.csv") + ", walkforward.json");
    }
}
