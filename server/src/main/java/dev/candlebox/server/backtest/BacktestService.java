package dev.candlebox.server.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.run.RunStatus;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.db.run.StoredRun;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.worker.RunHandle;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.server.kline.IsoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Backtest runs from submission to their stored outcome: a bounded queue in front of the worker pool, one
 * dispatcher per worker loading a run's klines and handing it over, live events for subscribers (SSE), and
 * persistence of every state change in the {@link RunStore}.
 */
public final class BacktestService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BacktestService.class);
    private static final long PROGRESS_STORE_EVERY_MS = 1_000;

    /** Configuration of the service (each from an environment variable, see the README). */
    public record Settings(String instanceId, int queueCapacity, int maxActivePerClient, int maxKlines,
                           Submission.Limits submissionLimits, Duration waitLimit) {}

    /** A refusal because the service is full: 503 (queue) or 429 (the client's own runs). */
    public static final class Busy extends RuntimeException {
        private final int status;
        private final long retryAfterSeconds;

        public Busy(int status, String message, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() { return status; }

        public long retryAfterSeconds() { return retryAfterSeconds; }
    }

    /** One event for live subscribers: progress, fill, log, end. */
    public record Event(String name, String json) {}

    private final Settings settings;
    private final RunStore runs;
    private final KlineStore klines;
    private final MarketData market;
    private final WorkerPool pool;
    final ObjectMapper json;
    private final BlockingQueue<String> queue;
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();
    private final ExecutorService dispatchers;
    private final RunCounters counters = new RunCounters();
    private volatile boolean closed;

    public BacktestService(Settings settings, RunStore runs, KlineStore klines, MarketData market, WorkerPool pool,
                           ObjectMapper json) {
        this.settings = settings;
        this.runs = runs;
        this.klines = klines;
        this.market = market;
        this.pool = pool;
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        int n = pool.config().poolSize();
        this.dispatchers = Executors.newFixedThreadPool(n, Thread.ofPlatform().name("dispatch-", 0).daemon().factory());
        recover();
        for (int i = 0; i < n; i++) dispatchers.submit(this::dispatchLoop);
    }

    /**
     * The JSON mapper of runs: decimals read back from storage stay exact (a fee of 9.49999999999999942026
     * must not come back as 9.5).
     */
    public static ObjectMapper json() {
        return new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    }

    /** What the service counts, for /metrics. */
    public RunCounters counters() {
        return counters;
    }

    public int queueLength() {
        return queue.size();
    }

    public WorkerPool pool() {
        return pool;
    }

    /**
     * At start-up: a run this instance was running when it stopped is failed with the reason; its queued
     * runs are queued again, oldest first.
     */
    private void recover() {
        for (StoredRun r : runs.unfinished(settings.instanceId())) {
            if (r.status() == RunStatus.RUNNING) {
                runs.finish(r.id(), RunStatus.FAILED, Instant.now(), null, null,
                        errorJson("server_restart", "the server stopped while this run was running; submit it again", null),
                        r.logs(), null, null);
                counters.finished(RunStatus.FAILED);
                log.warn("run {} was running when the server stopped: marked failed", r.id());
            } else if (!queue.offer(r.id())) {
                runs.finish(r.id(), RunStatus.FAILED, Instant.now(), null, null,
                        errorJson("queue_full", "the queue was full when the server restarted; submit it again", null), null, null, null);
            } else {
                live.put(r.id(), new LiveRun(r.id()));
                log.info("run {} queued again after a restart", r.id());
            }
        }
    }

    /** Validates, stores and queues a run; throws BadRequest or Busy. */
    public StoredRun submit(String client, JsonNode body) {
        return submit(client, body, true);
    }

    /**
     * A sweep's trial: validated, stored and queued like any run, but not counted against the client's limit
     * of active runs (the sweep counts as one job there). Busy (503) when the queue is full.
     */
    public StoredRun submitTrial(String client, JsonNode body) {
        return submit(client, body, false);
    }

    /** Checks a backtest request as a submission would (BadRequest naming the field), storing nothing. */
    public Submission validate(JsonNode body) {
        return Submission.parse(body, klines, settings.submissionLimits(), json);
    }

    /** A finished run's equity curve, if it has one. */
    public Optional<dev.candlebox.sandbox.engine.EquityCurve> equity(String id) {
        return equity(runs, id);
    }

    /** A stored run's equity curve, read without a service (the command line). */
    public static Optional<dev.candlebox.sandbox.engine.EquityCurve> equity(RunStore runs, String id) {
        return runs.data(id, "equity").map(RunData::decodeEquity);
    }

    private synchronized StoredRun submit(String client, JsonNode body, boolean clientLimit) {
        Submission s = Submission.parse(body, klines, settings.submissionLimits(), json);
        if (clientLimit && runs.activeCount(client) >= settings.maxActivePerClient()) {
            throw new Busy(429, "you have " + settings.maxActivePerClient() + " runs queued or running; wait for one to end", 5);
        }
        if (queue.remainingCapacity() == 0) {
            counters.refused.incrementAndGet();
            throw new Busy(503, "the backtest queue is full (" + settings.queueCapacity() + " runs); try again shortly", 10);
        }
        String id = UUID.randomUUID().toString();
        StoredRun run = runs.create(id, settings.instanceId(), client, s.series().symbol(), s.series().interval().code(),
                write(s.toJson(json, true)), Instant.now());
        live.put(id, new LiveRun(id));
        queue.add(id);
        counters.submitted.incrementAndGet();
        log.info("run {} queued for {} by {}", id, s.series(), client);
        return run;
    }

    public Optional<StoredRun> get(String id) {
        return runs.get(id);
    }

    /** Progress of a live run (the store is updated about once a second). */
    public double liveProgress(StoredRun run) {
        LiveRun l = live.get(run.id());
        return l != null && !run.status().isFinal() ? Math.max(l.progress, run.progress()) : run.progress();
    }

    /**
     * Why a run that has not ended waits: {@code ahead} (queued runs before it on this instance, for a queued
     * run) and the worker pool ({@code workers}, {@code workersReady}: started, {@code workersWarm}: warmed up,
     * {@code workersBusy}); null for a run that has ended.
     */
    ObjectNode waiting(StoredRun run) {
        if (run.status().isFinal()) return null;
        ObjectNode w = json.createObjectNode();
        if (run.status() == RunStatus.QUEUED) {
            int ahead = List.copyOf(queue).indexOf(run.id());
            if (ahead >= 0) w.put("ahead", ahead);
        }
        dev.candlebox.sandbox.worker.PoolState p = pool.state();
        w.put("workers", p.size());
        w.put("workersReady", p.alive());
        w.put("workersWarm", p.warm());
        w.put("workersBusy", p.busy());
        return w;
    }

    /** Completes with the stored run once it has ended (immediately if it has). */
    public CompletableFuture<StoredRun> whenDone(String id) {
        LiveRun l = live.get(id);
        if (l != null) return l.done;
        return runs.get(id).map(CompletableFuture::completedFuture).orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /** Cancels a queued or running run; empty if there is no such run. */
    public Optional<StoredRun> cancel(String id) {
        Optional<StoredRun> run = runs.get(id);
        if (run.isEmpty() || run.get().status().isFinal()) return run;
        LiveRun l = live.get(id);
        if (l != null) {
            l.cancelRequested = true;
            RunHandle h = l.handle;
            if (h != null) h.cancel();
        }
        if (queue.remove(id) || l == null || l.handle == null) {
            // not started (or owned by another instance that has gone): end it here
            end(id, RunStatus.CANCELLED, null, null, null, l == null ? "" : l.logs(), null, null);
        }
        try {
            return Optional.ofNullable(whenDone(id).get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return runs.get(id);
        }
    }

    /**
     * Subscribes to a run's live events; the subscriber gets {@code end} (with the final run) when it ends,
     * right away if it already has. Returns the unsubscribe action.
     */
    public Runnable subscribe(String id, Consumer<Event> subscriber) {
        LiveRun l = live.get(id);
        if (l != null) {
            l.subscribers.add(subscriber);
            // it may have ended between the lookup and the subscription
            if (l.done.isDone()) subscriber.accept(endEvent(l.done.join()));
            return () -> l.subscribers.remove(subscriber);
        }
        runs.get(id).ifPresent(r -> subscriber.accept(endEvent(r)));
        return () -> {};
    }

    private Event endEvent(StoredRun run) {
        return new Event("end", write(RunViews.run(run, this, json, null)));
    }

    private void dispatchLoop() {
        while (!closed) {
            String id;
            try {
                id = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            MDC.put("run", id);
            try {
                dispatch(id);
            } catch (RuntimeException e) {
                log.error("run {} failed in the server", id, e);
                end(id, RunStatus.FAILED, null, null, errorJson("internal_error", "the server failed running this run: " + e.getMessage(), null),
                        "", null, null);
            } finally {
                MDC.remove("run");
            }
        }
    }

    private void dispatch(String id) {
        LiveRun l = live.computeIfAbsent(id, LiveRun::new);
        if (l.cancelRequested) return;
        StoredRun stored = runs.get(id).orElse(null);
        if (stored == null || !runs.markRunning(id, Instant.now())) return;
        Submission s = Submission.fromJson(read(stored.requestJson()), json);
        KlineColumns k = s.klines(klines);
        if (k.size() == 0) {
            end(id, RunStatus.FAILED, null, null, errorJson("no_data", "no klines for " + s.series() + " in the requested range", null), "", null, null);
            return;
        }
        if (k.size() > settings.maxKlines()) {
            end(id, RunStatus.FAILED, null, null, errorJson("too_many_klines", k.size() + " klines in range; at most "
                    + settings.maxKlines() + " per run (BACKTEST_MAX_KLINES)", null), "", null, null);
            return;
        }
        BacktestRequest request = market.request(s, k, settings.maxKlines());
        KlineSeries series = request.klines();
        publish(l, new Event("status", "{\"status\":\"running\"}"));
        long started = System.nanoTime();
        // Runs of the same code from the same client form a job: they may share a warm context in a worker.
        RunHandle handle = pool.submit(request, l, jobKey(stored.client(), request.code()));
        l.handle = handle;
        if (l.cancelRequested) handle.cancel();
        RunOutcome outcome = handle.outcome().join();
        counters.klines.addAndGet(k.size());
        switch (outcome) {
            case RunOutcome.Succeeded ok -> {
                BacktestResult r = ok.result();
                Map<String, Double> metrics = Metrics.of(r, series.close(), s.series().interval().nominalMillis(),
                        s.strategyParams().get("tradeFrom") instanceof Number t ? t.longValue() : null);
                ObjectNode extra = json.createObjectNode();
                extra.set("metrics", finite(metrics));
                extra.set("dataQuality", DataQuality.of(series, s.series().interval(), json, r)
                        .set("inputs", DataQuality.inputs(request, json)));
                extra.set("reproducibility", Reproducibility.of(s, series, json));
                end(id, RunStatus.SUCCEEDED, write(RunViews.summary(r, json)), write(extra), null, ok.logs(),
                        tradesJson(r.trades()), RunData.encodeEquity(r.equityCurve()),
                        Map.of("orders", gzipJson(RunViews.orders(r, json)), "funding", gzipJson(RunViews.funding(r, json))));
                log.info("run {} succeeded: {} klines, {} fills in {} ms", id, k.size(), r.totalTrades(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            case RunOutcome.Failed f -> {
                end(id, RunStatus.FAILED, null, null, errorJson(f.error()), f.logs(), null, null);
                log.info("run {} failed: {} {}", id, f.error().type(), f.error().message());
            }
            case RunOutcome.Cancelled c -> {
                end(id, RunStatus.CANCELLED, null, null, null, l.logs(), null, null);
                log.info("run {} cancelled", id);
            }
        }
    }

    /** SHA-256 of the client and the code: runs with equal keys may reuse one Python context (docs/sandbox.md). */
    static String jobKey(String client, String code) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(client).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(code.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode finite(Map<String, Double> metrics) {
        ObjectNode n = json.createObjectNode();
        metrics.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) n.putNull(k);
            else n.put(k, v);
        });
        return n;
    }

    private byte[] tradesJson(List<Fill> fills) {
        ArrayNode a = json.createArrayNode();
        for (Fill f : fills) a.add(RunViews.trade(f, json));
        return gzipJson(a);
    }

    private byte[] gzipJson(ArrayNode a) {
        return RunData.gzip(write(a).getBytes(StandardCharsets.UTF_8));
    }

    private void end(String id, RunStatus status, String result, String metrics, String error, String logs, byte[] trades, byte[] equity) {
        end(id, status, result, metrics, error, logs, trades, equity, Map.of());
    }

    private void end(String id, RunStatus status, String result, String metrics, String error, String logs, byte[] trades,
                     byte[] equity, Map<String, byte[]> more) {
        boolean ended = runs.finish(id, status, Instant.now(), result, metrics, error, logs, trades, equity, more);
        if (ended) counters.finished(status);
        LiveRun l = live.remove(id);
        StoredRun run = runs.get(id).orElse(null);
        if (l != null && run != null) {
            publish(l, endEvent(run));
            l.done.complete(run);
        }
    }

    private void publish(LiveRun l, Event e) {
        for (Consumer<Event> s : l.subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                l.subscribers.remove(s);
            }
        }
    }

    String errorJson(RunError e) {
        ObjectNode n = json.createObjectNode();
        n.put("type", e.type());
        n.put("message", e.message());
        if (e.line() == null) n.putNull("line");
        else n.put("line", e.line());
        if (e.traceback() != null) n.put("traceback", e.traceback());
        return write(n);
    }

    String errorJson(String type, String message, Integer line) {
        return errorJson(new RunError(type, message, line, null));
    }

    String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode read(String s) {
        try {
            return s == null ? null : json.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The klines a stored run ran on (for its report). */
    KlineColumns candles(StoredRun run) {
        return Submission.fromJson(read(run.requestJson()), json).klines(klines);
    }

    RunStore runs() {
        return runs;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        closed = true;
        dispatchers.shutdownNow();
        try {
            dispatchers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run this instance holds: its handle, its subscribers, its latest progress and printed text. */
    private final class LiveRun implements RunListener {
        final String id;
        final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
        final CompletableFuture<StoredRun> done = new CompletableFuture<>();
        final StringBuilder printed = new StringBuilder();
        volatile RunHandle handle;
        volatile boolean cancelRequested;
        volatile double progress;
        long lastStored;

        LiveRun(String id) {
            this.id = id;
        }

        synchronized String logs() {
            return printed.toString();
        }

        @Override
        public void onProgress(double fraction) {
            progress = fraction;
            long now = System.currentTimeMillis();
            if (now - lastStored >= PROGRESS_STORE_EVERY_MS) {
                lastStored = now;
                runs.updateProgress(id, fraction);
            }
            publish(this, new Event("progress", "{\"progress\":" + fraction + "}"));
        }

        @Override
        public void onFill(Fill fill) {
            publish(this, new Event("fill", write(RunViews.trade(fill, json))));
        }

        @Override
        public void onLog(String text) {
            synchronized (this) {
                if (printed.length() < 1 << 20) printed.append(text);
            }
            ObjectNode n = json.createObjectNode();
            n.put("text", text);
            publish(this, new Event("log", write(n)));
        }
    }

    /** Runs by outcome, submissions, refusals and klines run: read by /metrics. */
    public static final class RunCounters {
        public final AtomicLong submitted = new AtomicLong();
        public final AtomicLong refused = new AtomicLong();
        public final AtomicLong klines = new AtomicLong();
        public final Map<RunStatus, AtomicLong> finished = new ConcurrentHashMap<>();

        void finished(RunStatus status) {
            finished.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }
    }

    static String iso(long ms) {
        return IsoTime.format(ms);
    }
}
