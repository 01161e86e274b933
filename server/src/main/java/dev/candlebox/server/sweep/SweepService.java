package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.run.RunStatus;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.db.sweep.SweepStore;
import dev.candlebox.db.sweep.SweepStore.StoredSweep;
import dev.candlebox.server.backtest.BacktestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sweeps from submission to their stored outcome. Each sweep has a driver (a virtual thread) that asks its
 * sampler for the next point, submits the trial as an ordinary run through the {@link BacktestService} and
 * keeps at most {@code parallelism} (the worker pool's size) trials in flight, so the queue stays shared
 * fairly with other clients' runs. A bayes sweep's trial k is chosen from the trials up to k − parallelism
 * (all finished) with the ones after them pending, so its trials depend on the seed and the parallelism
 * only, not on timing.
 */
public final class SweepService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SweepService.class);
    static final long QUEUE_FULL_RETRY_MS = 500;
    /** The kind of a sweep in the store (a walk-forward is {@link WalkForwardService#KIND}). */
    static final String KIND = "sweep";

    /** SWEEP_MAX_TRIALS, the instance, the trials a sweep keeps in flight, the client's job limit. */
    public record Settings(String instanceId, int maxTrials, int parallelism, int maxActivePerClient) {}

    private final Settings settings;
    private final SweepStore store;
    private final RunStore runs;
    private final BacktestService backtests;
    private final ObjectMapper json;
    private final JsonText text;
    private final Map<String, LiveSweep> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SweepService(Settings settings, SweepStore store, RunStore runs, BacktestService backtests, ObjectMapper json) {
        this.settings = settings;
        this.store = store;
        this.runs = runs;
        this.backtests = backtests;
        this.json = json;
        this.text = new JsonText(json);
        recover();
    }

    /**
     * A sweep this instance was driving when it stopped cannot go on (its sampler's state and in-flight trials
     * are gone): it ends as failed, its finished trials kept, its unfinished trials cancelled.
     */
    private void recover() {
        for (StoredSweep s : store.running(settings.instanceId())) {
            if (!KIND.equals(s.kind())) continue;  // a walk-forward: WalkForwardService recovers it
            for (SweepStore.Trial t : store.trials(s.id())) if (!t.status().isFinal()) backtests.cancel(t.runId());
            store.finish(s.id(), "failed", Instant.now(), null, error("server_restart",
                    "the server stopped while this sweep was running; its finished trials are kept; submit it again"));
            log.warn("sweep {} was running when the server stopped: marked failed", s.id());
        }
    }

    public SweepRequest parse(JsonNode body) {
        return SweepRequest.parse(body, backtests, settings.maxTrials());
    }

    /** Validates, stores and starts a sweep; throws BadRequest or Busy (429: the client's jobs). */
    public StoredSweep submit(String client, JsonNode body) {
        SweepRequest request = parse(body);
        StoredSweep sweep;
        synchronized (this) {
            if (runs.activeCount(client) >= settings.maxActivePerClient()) {
                throw new BacktestService.Busy(429, "you have " + settings.maxActivePerClient()
                        + " runs or sweeps queued or running; wait for one to end", 5);
            }
            sweep = store.create(UUID.randomUUID().toString(), client, settings.instanceId(), KIND,
                    write(request.toJson(settings.parallelism())), Instant.now());
        }
        LiveSweep l = new LiveSweep(sweep.id(), client, request);
        live.put(sweep.id(), l);
        l.driver = Thread.ofVirtual().name("sweep-" + sweep.id()).unstarted(() -> drive(l));
        l.driver.start();
        log.info("sweep {} started by {}: {} {} trials", sweep.id(), client, request.method().wire, request.trials());
        return sweep;
    }

    public Optional<StoredSweep> get(String id) {
        return store.get(id);
    }

    /** Cancels a running sweep: no further trial starts; queued and running trials are cancelled. */
    public Optional<StoredSweep> cancel(String id) {
        LiveSweep l = live.get(id);
        if (l != null) {
            // no interrupt: the driver sees the flag at its next step, and its waits end as the cancelled runs end
            l.cancelled = true;
            for (String runId : l.runIds.values()) backtests.cancel(runId);
            try {
                l.ended.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("sweep {} did not end within 10 s of its cancel", id);
            }
        } else {
            store.get(id).filter(s -> !s.isFinal()).ifPresent(s ->
                    store.finish(id, "cancelled", Instant.now(), null, null));
        }
        return store.get(id);
    }

    /** Subscribes to a sweep's events: {@code trial} per finished trial, then {@code end}. Returns the unsubscribe. */
    public Runnable subscribe(String id, Consumer<BacktestService.Event> subscriber) {
        LiveSweep l = live.get(id);
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

    private void drive(LiveSweep s) {
        try {
            SweepRequest r = s.request;
            Sampler sampler = Sampler.of(r.method(), r.space(), r.seed());
            int k = settings.parallelism();
            Semaphore slots = new Semaphore(k);
            for (int t = 0; t < r.trials() && !s.cancelled && !closed; t++) {
                if (endedElsewhere(s)) break;
                List<Sampler.Observation> finished = new ArrayList<>();
                List<double[]> pending = new ArrayList<>();
                if (r.method() == SweepMethod.BAYES) {
                    if (t - k >= 0) s.done.get(t - k).join();
                    for (int j = 0; j < t; j++) {
                        if (j <= t - k) finished.add(s.observations.get(j));
                        else pending.add(s.points.get(j));
                    }
                }
                slots.acquire();
                if (s.cancelled) {
                    slots.release();
                    break;
                }
                double[] point = sampler.next(t, finished, pending);
                ObjectNode params = r.space().values(point);
                StoredRun run = submitTrial(s, r.trialRequest(params));
                if (run == null) {
                    slots.release();
                    break;
                }
                int trial = t;
                store.addTrial(s.id, trial, run.id(), write(params));
                s.points.put(trial, point);
                CompletableFuture<Void> done = new CompletableFuture<>();
                s.done.put(trial, done);
                s.runIds.put(trial, run.id());
                if (s.cancelled) backtests.cancel(run.id());  // cancelled between the submission and now
                backtests.whenDone(run.id()).whenComplete((ended, e) -> {
                    try {
                        s.observations.put(trial, new Sampler.Observation(trial, point, r.objective().loss(metrics(ended))));
                        s.runIds.remove(trial);
                        if (ended != null) publish(s, new BacktestService.Event("trial", write(trialView(trial, ended, params, r.objective()))));
                    } finally {
                        slots.release();
                        done.complete(null);
                    }
                });
            }
        } catch (InterruptedException e) {
            if (closed) return;  // the server is stopping: the next start ends this sweep as interrupted
        } catch (RuntimeException e) {
            log.error("sweep {} failed in the server", s.id, e);
            s.failure = error("internal_error", "the server failed driving this sweep: " + e.getMessage());
        }
        if (closed) return;
        for (CompletableFuture<Void> d : s.done.values()) d.join();
        end(s);
    }

    /**
     * True when the stored sweep has ended without this driver: cancelled through another server instance
     * sharing the database. Its trials in flight here are cancelled.
     */
    private boolean endedElsewhere(LiveSweep s) {
        if (!store.get(s.id).map(StoredSweep::isFinal).orElse(true)) return false;
        s.cancelled = true;
        for (String runId : s.runIds.values()) backtests.cancel(runId);
        return true;
    }

    /** Submits a trial, waiting while the queue is full; null when the sweep was cancelled meanwhile. */
    private StoredRun submitTrial(LiveSweep s, ObjectNode body) throws InterruptedException {
        while (!s.cancelled && !closed) {
            try {
                return backtests.submitTrial(s.client, body);
            } catch (BacktestService.Busy busy) {
                Thread.sleep(QUEUE_FULL_RETRY_MS);
            }
        }
        return null;
    }

    private void end(LiveSweep s) {
        List<SweepStore.Trial> trials = store.trials(s.id);
        String status;
        String error = s.failure;
        if (error != null) status = "failed";
        else if (s.cancelled) status = "cancelled";
        else if (!trials.isEmpty() && trials.stream().noneMatch(t -> t.status() == RunStatus.SUCCEEDED)) {
            status = "failed";
            JsonNode first = read(trials.getFirst().errorJson());
            error = error("all_trials_failed", "every trial failed; the first: "
                    + (first == null ? "no error recorded" : first.path("message").asText()));
        } else status = "succeeded";
        store.finish(s.id, status, Instant.now(), write(summary(s.request, trials, true)), error);
        live.remove(s.id);
        publish(s, endEvent(s.id));
        s.ended.complete(null);
        log.info("sweep {} {} after {} trials", s.id, status, trials.size());
    }

    /**
     * The best trial and the statistics, from the trials as they stand; the bootstrap interval (1000
     * resamples of the best run's returns) only once the sweep has ended, so watching a sweep costs little.
     */
    ObjectNode summary(SweepRequest r, List<SweepStore.Trial> trials, boolean withInterval) {
        ObjectNode n = json.createObjectNode();
        SweepStore.Trial best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        List<Double> sharpes = new ArrayList<>();
        for (SweepStore.Trial t : trials) {
            if (t.status() != RunStatus.SUCCEEDED) continue;
            JsonNode m = metrics(t.metricsJson());
            Double sr = SweepStatistics.sharpe(m);
            if (sr != null) sharpes.add(sr);
            double loss = r.objective().loss(m);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        n.put("bestTrial", best == null ? null : best.trial());
        var curve = best == null ? null : backtests.equity(best.runId()).orElse(null);
        double initial = best == null ? 0 : runs.get(best.runId()).map(x -> read(x.resultJson()))
                .map(x -> x.path("initialBalance").asDouble()).orElse(0.0);
        long intervalMs = Interval.parse(r.base().path("interval").asText()).orElseThrow().nominalMillis();
        n.set("statistics", SweepStatistics.of(sharpes, curve, initial, intervalMs, r.seed(), withInterval));
        return n;
    }

    /** The sweep as the API shows it: request, status, progress, best trial, statistics, trials best first. */
    public ObjectNode view(StoredSweep s) {
        SweepRequest r = SweepRequest.fromJson(read(s.requestJson()));
        List<SweepStore.Trial> trials = store.trials(s.id());
        ObjectNode summary = s.summaryJson() != null ? (ObjectNode) read(s.summaryJson()) : summary(r, trials, false);
        ObjectNode n = json.createObjectNode();
        n.put("id", s.id());
        n.put("kind", s.kind());
        n.put("status", s.status());
        ObjectNode request = (ObjectNode) read(s.requestJson());
        n.set("request", request);
        int finished = (int) trials.stream().filter(t -> t.status().isFinal()).count();
        ObjectNode progress = n.putObject("progress");
        progress.put("total", r.trials());
        progress.put("submitted", trials.size());
        progress.put("finished", finished);
        progress.put("fraction", r.trials() == 0 ? 1.0 : finished / (double) r.trials());
        List<ObjectNode> rows = new ArrayList<>();
        for (SweepStore.Trial t : trials) rows.add(trialView(t, r.objective()));
        rows.sort(tableOrder(r.objective().maximize()));
        JsonNode bestTrial = summary.get("bestTrial");
        n.set("best", null);
        for (ObjectNode row : rows) if (bestTrial != null && !bestTrial.isNull() && row.get("trial").asInt() == bestTrial.asInt()) n.set("best", row);
        n.set("statistics", summary.get("statistics"));
        ArrayNode table = n.putArray("trials");
        rows.forEach(table::add);
        n.put("createdAt", s.createdAt().toString());
        n.put("finishedAt", s.finishedAt() == null ? null : s.finishedAt().toString());
        n.set("error", read(s.errorJson()));
        return n;
    }

    /** Feasible trials best first, then infeasible ones that ran, then failed or cancelled, then unfinished; by trial within. */
    static Comparator<ObjectNode> tableOrder(boolean maximize) {
        return Comparator.comparingInt(SweepService::rank)
                .thenComparingDouble(row -> row.get("feasible").asBoolean()
                        ? (maximize ? -row.get("objective").asDouble() : row.get("objective").asDouble()) : 0)
                .thenComparingInt(row -> row.get("trial").asInt());
    }

    private static int rank(ObjectNode row) {
        if (row.get("feasible").asBoolean()) return 0;
        return switch (row.get("status").asText()) {
            case "succeeded" -> 1;
            case "failed", "cancelled" -> 2;
            default -> 3;
        };
    }

    private ObjectNode trialView(SweepStore.Trial t, Objective objective) {
        JsonNode metrics = metrics(t.metricsJson());
        ObjectNode row = row(t.trial(), t.runId(), t.status(), read(t.paramsJson()), metrics, objective);
        row.set("error", read(t.errorJson()));
        return row;
    }

    private ObjectNode trialView(int trial, StoredRun run, ObjectNode params, Objective objective) {
        ObjectNode row = row(trial, run.id(), run.status(), params, metrics(run), objective);
        row.set("error", read(run.errorJson()));
        return row;
    }

    private ObjectNode row(int trial, String runId, RunStatus status, JsonNode params, JsonNode metrics, Objective objective) {
        ObjectNode row = json.createObjectNode();
        row.put("trial", trial);
        row.put("runId", runId);
        row.put("status", status.code());
        row.set("params", params);
        Double v = status == RunStatus.SUCCEEDED ? objective.value(metrics) : null;
        row.put("objective", v);
        row.put("feasible", v != null);
        row.set("metrics", metrics);
        return row;
    }

    private JsonNode metrics(StoredRun run) {
        return run == null || run.status() != RunStatus.SUCCEEDED ? null : metrics(run.metricsJson());
    }

    /** The metrics of a run's stored extra ({"metrics", "dataQuality", "reproducibility"}). */
    private JsonNode metrics(String extraJson) {
        JsonNode extra = read(extraJson);
        return extra == null ? null : extra.get("metrics");
    }

    private void publish(LiveSweep s, BacktestService.Event e) {
        JsonText.publish(s.subscribers, e);
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
        for (LiveSweep l : live.values()) l.driver.interrupt();
    }

    /** A sweep this instance drives: its request, trials in flight, observations and subscribers. */
    private static final class LiveSweep {
        final String id;
        final String client;
        final SweepRequest request;
        final Map<Integer, double[]> points = new ConcurrentHashMap<>();
        final Map<Integer, Sampler.Observation> observations = new ConcurrentHashMap<>();
        final Map<Integer, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
        final Map<Integer, String> runIds = new ConcurrentHashMap<>();
        final List<Consumer<BacktestService.Event>> subscribers = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile Thread driver;
        volatile boolean cancelled;
        volatile String failure;

        LiveSweep(String id, String client, SweepRequest request) {
            this.id = id;
            this.client = client;
            this.request = request;
        }
    }
}
