package dev.candlebox.server.observability;

import dev.candlebox.db.run.RunStatus;
import dev.candlebox.sandbox.worker.PoolState;
import dev.candlebox.server.backtest.BacktestService;
import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics} in Prometheus' text format (Micrometer): request rates and latencies by route and
 * status, the backtest queue, the worker pool, runs by outcome, klines run, and the JVM.
 */
public final class Observability {
    private static final String STARTED = "candlebox.started";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Observability() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
    }

    public void register(Javalin app) {
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started == null) return;
            String route = ctx.endpointHandlerPath();
            Timer.builder("http.server.requests")
                    .tag("method", ctx.method().name())
                    .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry)
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    /** Gauges and counters of the backtest service and its worker pool. */
    public void watch(BacktestService backtests) {
        Gauge.builder("candlebox.backtest.queue.length", backtests, BacktestService::queueLength)
                .description("runs waiting for a worker").register(registry);
        pool(backtests, "size", PoolState::size);
        pool(backtests, "alive", PoolState::alive);
        pool(backtests, "busy", PoolState::busy);
        pool(backtests, "restarts", PoolState::restarts);
        pool(backtests, "optimizing", s -> s.optimizing() ? 1 : 0);
        pool(backtests, "warm", PoolState::warm);
        BacktestService.RunCounters c = backtests.counters();
        FunctionCounter.builder("candlebox.backtest.submitted", c, x -> x.submitted.get()).register(registry);
        FunctionCounter.builder("candlebox.backtest.refused", c, x -> x.refused.get())
                .description("submissions refused because the queue was full").register(registry);
        FunctionCounter.builder("candlebox.backtest.klines", c, x -> x.klines.get())
                .description("klines run through strategies").register(registry);
        for (RunStatus status : RunStatus.values()) {
            if (!status.isFinal()) continue;
            FunctionCounter.builder("candlebox.backtest.runs", c, x -> {
                var n = x.finished.get(status);
                return n == null ? 0 : n.get();
            }).tag("outcome", status.code()).description("runs ended, by outcome").register(registry);
        }
    }

    private void pool(BacktestService backtests, String name, ToDoubleFunction<PoolState> value) {
        Gauge.builder("candlebox.workers." + name, backtests, b -> value.applyAsDouble(b.pool().state())).register(registry);
    }
}
