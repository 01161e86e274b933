package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.run.RunStatus;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.db.sweep.SweepStore.StoredSweep;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.stats.Returns;
import dev.candlebox.server.stats.SharpeMoments;
import dev.candlebox.server.stats.SharpeStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Walk-forward validations (contract section 8). A driver (a virtual thread) walks the windows in order: an
 * in-sample sweep through the {@link SweepService} picks the best params, then an out-of-sample run with them
 * trades from the window's out-of-sample start (strategyParams.tradeFrom), warmed up on the klines before it and
 * starting from the previous window's final equity. After each window the table so far is saved, so a
 * walk-forward its server stopped driving ends failed with its finished windows kept.
 */
public final class WalkForwardService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalkForwardService.class);
    static final String KIND = "walkforward";

    private final SweepService.Settings settings;
    private final SweepStore store;
    private final RunStore runs;
    private final BacktestService backtests;
    private final SweepService sweeps;
    private final ObjectMapper json;
    private final JsonText text;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public WalkForwardService(SweepService.Settings settings, SweepStore store, RunStore runs, BacktestService backtests,
                              SweepService sweeps, ObjectMapper json) {
        this.settings = settings;
        this.store = store;
        this.runs = runs;
        this.backtests = backtests;
        this.sweeps = sweeps;
        this.json = json;
        this.text = new JsonText(json);
        for (StoredSweep s : store.running(settings.instanceId())) {
            if (!KIND.equals(s.kind())) continue;
            for (SweepStore.Trial t : store.trials(s.id())) if (!t.status().isFinal()) backtests.cancel(t.runId());
            store.finish(s.id(), "failed", Instant.now(), s.summaryJson(), error("server_restart",
                    "the server stopped while this walk-forward was running; its finished windows are kept; submit it again"));
            log.warn("walk-forward {} was running when the server stopped: marked failed", s.id());
        }
    }

    public WalkForwardRequest parse(JsonNode body) {
        return WalkForwardRequest.parse(body, backtests, settings.maxTrials());
    }

    /** Validates, stores and starts a walk-forward; throws BadRequest or Busy (429: the client's jobs). */
    public StoredSweep submit(String client, JsonNode body) {
        WalkForwardRequest request = parse(body);
        StoredSweep wf;
        synchronized (this) {
            if (runs.activeCount(client) >= settings.maxActivePerClient()) {
                throw new BacktestService.Busy(429, "you have " + settings.maxActivePerClient()
                        + " runs, sweeps or walk-forwards queued or running; wait for one to end", 5);
            }
            wf = store.create(UUID.randomUUID().toString(), client, settings.instanceId(), KIND,
                    write(request.toJson(settings.parallelism())), Instant.now());
        }
        Live l = new Live(wf.id(), client, request);
        live.put(wf.id(), l);
        l.driver = Thread.ofVirtual().name("walkforward-" + wf.id()).unstarted(() -> drive(l));
        l.driver.start();
        log.info("walk-forward {} started by {}: {} windows", wf.id(), client, request.windows().size());
        return wf;
    }

    public Optional<StoredSweep> get(String id) {
        return store.get(id).filter(s -> KIND.equals(s.kind()));
    }

    /** Cancels a running walk-forward: its sweep or out-of-sample run in flight is cancelled, no window starts. */
    public Optional<StoredSweep> cancel(String id) {
        Live l = live.get(id);
        if (l != null) {
            l.cancelled = true;
            String sweep = l.sweepId;
            if (sweep != null) sweeps.cancel(sweep);
            String run = l.runId;
            if (run != null) backtests.cancel(run);
            l.ended.join();
        } else {
            get(id).filter(s -> !s.isFinal()).ifPresent(s -> store.finish(id, "cancelled", Instant.now(), s.summaryJson(), null));
        }
        return get(id);
    }

    /** Subscribes to a walk-forward's events: {@code window} per finished window, then {@code end}. */
    public Runnable subscribe(String id, Consumer<BacktestService.Event> subscriber) {
        Live l = live.get(id);
        if (l != null) {
            l.subscribers.add(subscriber);
            if (l.ended.isDone()) subscriber.accept(endEvent(id));
            return () -> l.subscribers.remove(subscriber);
        }
        subscriber.accept(endEvent(id));
        return () -> {};
    }

    private BacktestService.Event endEvent(String id) {
        return new BacktestService.Event("end", write(view(store.get(id).orElseThrow())));
    }

    /** As the API shows it: request, status, progress, the windows' table and the summary. */
    public ObjectNode view(StoredSweep s) {
        ObjectNode n = json.createObjectNode();
        n.put("id", s.id());
        n.put("kind", KIND);
        n.put("status", s.status());
        ObjectNode request = (ObjectNode) read(s.requestJson());
        n.set("request", request);
        JsonNode saved = read(s.summaryJson());
        ArrayNode windows = saved != null && saved.get("windows") instanceof ArrayNode a ? a : json.createArrayNode();
        int total = saved != null ? saved.path("windowCount").asInt(windows.size()) : 0;
        ObjectNode progress = n.putObject("progress");
        progress.put("windows", total);
        progress.put("finished", windows.size());
        progress.put("fraction", total == 0 ? 0.0 : windows.size() / (double) total);
        n.set("windows", windows);
        n.set("summary", saved == null ? null : saved.get("summary"));
        n.put("createdAt", s.createdAt().toString());
        n.put("finishedAt", s.finishedAt() == null ? null : s.finishedAt().toString());
        n.set("error", read(s.errorJson()));
        return n;
    }

    private void drive(Live l) {
        WalkForwardRequest r = l.request;
        String balance = r.sweep().base().path("initialBalance").asText("10000");
        double initial = Double.parseDouble(balance);
        ArrayNode rows = json.createArrayNode();
        List<long[]> times = new ArrayList<>();
        List<double[]> equities = new ArrayList<>();
        String failure = null;
        try {
            save(l, rows, null);
            for (WalkForwardRequest.Window w : r.windows()) {
                if (l.cancelled || closed || get(l.id).map(StoredSweep::isFinal).orElse(true)) break;
                ObjectNode row = rows.addObject();
                row.put("window", w.index());
                row.set("inSample", range(w.isStart(), w.isEnd()));
                row.set("outOfSample", range(w.isEnd(), w.oosEnd()));
                // in-sample sweep
                // under its own client name: the walk-forward is the client's one job, its sweeps are not counted again
                StoredSweep sweep = submit(() -> sweeps.submit(KIND + ":" + l.id, r.sweepBody(w)), l);
                if (sweep == null) break;
                l.sweepId = sweep.id();
                CompletableFuture<Void> sweepEnded = new CompletableFuture<>();
                Runnable unsubscribe = sweeps.subscribe(sweep.id(), e -> {
                    if (e.name().equals("end")) sweepEnded.complete(null);
                });
                sweepEnded.join();
                unsubscribe.run();
                l.sweepId = null;
                ObjectNode sweepView = sweeps.view(sweeps.get(sweep.id()).orElseThrow());
                row.put("sweepId", sweep.id());
                String sweepStatus = sweepView.path("status").asText();
                if (!sweepStatus.equals("succeeded")) {
                    if (!l.cancelled) failure = error("window_failed", "window " + w.index() + ": the in-sample sweep "
                            + sweepStatus + ": " + sweepView.path("error").path("message").asText("cancelled"));
                    row.put("status", sweepStatus);
                    break;
                }
                JsonNode best = sweepView.get("best");
                row.put("initialBalance", balance);
                if (best == null || best.isNull()) {
                    // no feasible params: the window stays out of the market (equity carried flat)
                    row.put("status", "no_feasible_params");
                    row.putNull("params");
                    publish(l, "window", row);
                    save(l, rows, null);
                    continue;
                }
                ObjectNode params = (ObjectNode) best.get("params");
                row.set("params", params);
                row.put("inSampleObjective", best.get("objective").asDouble());
                row.set("inSampleMetrics", best.get("metrics"));
                // out-of-sample run
                ObjectNode body = r.outOfSampleBody(w, params, balance);
                StoredRun run = submit(() -> backtests.submitTrial(l.client, body), l);
                if (run == null) break;
                store.addTrial(l.id, w.index(), run.id(), write(params));  // linked: not counted as a job of its own
                l.runId = run.id();
                StoredRun ended = backtests.whenDone(run.id()).join();
                l.runId = null;
                row.put("runId", run.id());
                if (ended == null || ended.status() != RunStatus.SUCCEEDED) {
                    String status = ended == null ? "failed" : ended.status().code();
                    row.put("status", status);
                    if (!status.equals("cancelled")) {
                        JsonNode err = ended == null ? null : read(ended.errorJson());
                        failure = error("window_failed", "window " + w.index() + ": the out-of-sample run failed: "
                                + (err == null ? "no error recorded" : err.path("message").asText()));
                    }
                    break;
                }
                JsonNode metrics = read(ended.metricsJson()).get("metrics");
                row.put("status", "succeeded");
                row.put("outOfSampleObjective", new Objective(r.sweep().objective().metric(), true, 0).value(metrics));
                row.set("outOfSampleMetrics", metrics);
                balance = read(ended.resultJson()).get("finalBalance").asText();
                row.put("finalBalance", balance);
                EquityCurve c = backtests.equity(run.id()).orElseThrow();
                int from = 0;
                while (from < c.size() && c.timestamp()[from] < w.isEnd()) from++;
                times.add(java.util.Arrays.copyOfRange(c.timestamp(), from, c.size()));
                equities.add(java.util.Arrays.copyOfRange(c.equity(), from, c.size()));
                publish(l, "window", row);
                save(l, rows, null);
            }
        } catch (RuntimeException e) {
            log.error("walk-forward {} failed in the server", l.id, e);
            failure = error("internal_error", "the server failed driving this walk-forward: " + e.getMessage());
        }
        if (closed) return;
        String status = failure != null ? "failed" : l.cancelled || get(l.id).map(StoredSweep::isFinal).orElse(true) ? "cancelled" : "succeeded";
        ObjectNode summary = summary(r, rows, times, equities, initial);
        ObjectNode saved = saved(l, rows, summary);
        store.finish(l.id, status, Instant.now(), write(saved), failure);
        live.remove(l.id);
        publish(l, "end", null);
        l.ended.complete(null);
        log.info("walk-forward {} {} after {} windows", l.id, status, rows.size());
    }

    private interface Submitter<T> {
        T submit();
    }

    /** Submits, waiting while the client or the queue is busy; null when the walk-forward was cancelled meanwhile. */
    private <T> T submit(Submitter<T> s, Live l) {
        while (!l.cancelled && !closed) {
            try {
                return s.submit();
            } catch (BacktestService.Busy busy) {
                try {
                    Thread.sleep(SweepService.QUEUE_FULL_RETRY_MS);
                } catch (InterruptedException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Stitched out-of-sample metrics, walk-forward efficiency, the share of profitable windows, the spread of the
     * chosen params. The stitched curve is the out-of-sample klines of every window in order (each window starts
     * from the previous one's final equity, so the curve is continuous).
     */
    ObjectNode summary(WalkForwardRequest r, ArrayNode rows, List<long[]> times, List<double[]> equities, double initial) {
        int n = 0;
        for (double[] e : equities) n += e.length;
        long[] t = new long[n];
        double[] eq = new double[n];
        int k = 0;
        for (int i = 0; i < equities.size(); i++) {
            System.arraycopy(times.get(i), 0, t, k, times.get(i).length);
            System.arraycopy(equities.get(i), 0, eq, k, equities.get(i).length);
            k += equities.get(i).length;
        }
        ObjectNode s = json.createObjectNode();
        ObjectNode m = s.putObject("outOfSample");
        double last = n == 0 ? initial : eq[n - 1];
        m.put("initialBalance", initial);
        m.put("finalEquity", last);
        m.put("totalReturn", last / initial - 1);
        double years = 0;
        for (JsonNode row : rows) if (row.has("finalBalance")) years += (r.outOfSampleMs()) / (365.25 * 86_400_000d);
        Double cagr = years > 0 && last > 0 ? Math.pow(last / initial, 1 / years) - 1 : null;
        m.put("cagr", cagr);
        double peak = initial, dd = 0;
        for (double e : eq) {
            peak = Math.max(peak, e);
            if (peak > 0) dd = Math.max(dd, (peak - e) / peak);
        }
        m.put("maxDrawdown", dd);
        double[] returns = Returns.of(new EquityCurve(t, eq, eq, new double[n]), initial).value();
        SharpeMoments moments = SharpeMoments.of(returns);
        double periodsPerYear = 365.25 * 86_400_000d / r.intervalMs();
        Double sharpe = null;
        if (returns.length > 1) {
            double mean = 0;
            for (double x : returns) mean += x;
            mean /= returns.length;
            double ss = 0;
            for (double x : returns) ss += (x - mean) * (x - mean);
            double sd = Math.sqrt(ss / (returns.length - 1));
            sharpe = sd > 0 ? mean / sd * Math.sqrt(periodsPerYear) : null;
        }
        m.put("sharpe", sharpe);
        m.put("psr", n > 1 ? SharpeStatistics.psr(moments, 0) : null);
        ArrayNode curve = m.putArray("equity");
        for (int i = 0; i < n; i++) curve.addArray().add(t[i]).add(eq[i]);

        int ran = 0, profitable = 0;
        double isCagr = 0;
        int isCounted = 0;
        Map<String, List<JsonNode>> chosen = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            if (row.has("finalBalance")) {
                ran++;
                if (row.path("outOfSampleMetrics").path("totalReturn").asDouble(0) > 0) profitable++;
            }
            JsonNode c = row.path("inSampleMetrics").get("cagr");
            if (c != null && c.isNumber()) {
                isCagr += c.asDouble();
                isCounted++;
            }
            if (row.get("params") instanceof ObjectNode p) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    chosen.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue());
                }
            }
        }
        double meanIsCagr = isCounted == 0 ? Double.NaN : isCagr / isCounted;
        s.put("inSampleCagr", isCounted == 0 ? null : meanIsCagr);
        s.put("walkForwardEfficiency", cagr == null || isCounted == 0 || meanIsCagr == 0 ? null : cagr / meanIsCagr);
        s.put("outOfSampleWindows", ran);
        s.put("profitableWindows", profitable);
        s.put("profitableShare", ran == 0 ? null : profitable / (double) ran);
        ObjectNode stability = s.putObject("parameterStability");
        for (Map.Entry<String, List<JsonNode>> e : chosen.entrySet()) stability.set(e.getKey(), spread(e.getValue()));
        return s;
    }

    /** The values a parameter took across windows: distinct count, and for numbers min, max, mean, sd (population). */
    private ObjectNode spread(List<JsonNode> values) {
        ObjectNode n = json.createObjectNode();
        ArrayNode all = n.putArray("values");
        values.forEach(all::add);
        n.put("distinct", values.stream().distinct().count());
        if (values.stream().allMatch(JsonNode::isNumber)) {
            double[] v = values.stream().mapToDouble(JsonNode::asDouble).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(0);
            double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElse(0);
            n.put("min", java.util.Arrays.stream(v).min().orElse(0));
            n.put("max", java.util.Arrays.stream(v).max().orElse(0));
            n.put("mean", mean);
            n.put("sd", Math.sqrt(var));
        }
        return n;
    }

    private ObjectNode range(long start, long end) {
        ObjectNode n = json.createObjectNode();
        n.put("start", Instant.ofEpochMilli(start).toString());
        n.put("end", Instant.ofEpochMilli(end).toString());
        return n;
    }

    private ObjectNode saved(Live l, ArrayNode rows, ObjectNode summary) {
        ObjectNode n = json.createObjectNode();
        n.put("windowCount", l.request.windows().size());
        n.set("windows", rows);
        n.set("summary", summary);
        return n;
    }

    private void save(Live l, ArrayNode rows, ObjectNode summary) {
        store.saveSummary(l.id, write(saved(l, rows, summary)));
    }

    private void publish(Live l, String name, JsonNode row) {
        BacktestService.Event e = row == null ? endEvent(l.id) : new BacktestService.Event(name, write(row));
        JsonText.publish(l.subscribers, e);
    }

    private String error(String type, String message) {
        return text.error(type, message);
    }

    private String write(Object o) {
        return text.write(o);
    }

    private JsonNode read(String s) {
        return text.read(s);
    }

    @Override
    public void close() {
        closed = true;
        for (Live l : live.values()) l.driver.interrupt();
    }

    /** A walk-forward this instance drives. */
    private static final class Live {
        final String id;
        final String client;
        final WalkForwardRequest request;
        final List<Consumer<BacktestService.Event>> subscribers = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile Thread driver;
        volatile boolean cancelled;
        volatile String sweepId;
        volatile String runId;

        Live(String id, String client, WalkForwardRequest request) {
            this.id = id;
            this.client = client;
            this.request = request;
        }
    }
}
