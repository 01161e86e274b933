package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.worker.RunHandle;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.sandbox.worker.WorkerPoolConfig;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shape of a sweep (not a test): one job of 100 runs of the same code with different params over the
 * main series, submitted at once to a worker pool, job reuse off and on side by side, for each pool size
 * given. Each pool first runs the code 3 times (untimed, reuse off for those) so that both sides start from
 * a worker that has compiled it; the warm-up is off. Prints the total seconds and whether both sides gave
 * the same fills and final balance for every trial. Run it with {@code sandbox/bench/sweep.sh}.
 *
 * <p>usage: SweepBenchmark strategy.py data.csv.gz jvmciDir poolSize...
 */
public final class SweepBenchmark {
    public static void main(String[] args) throws Exception {
        String code = Files.readString(Path.of(args[0]));
        KlineSeries main = Klines.readBinanceCsv(Path.of(args[1]));
        Path jvmci = Path.of(args[2]);
        SandboxBenchmark.machine();
        List<Map<String, Object>> trials = new ArrayList<>();
        for (int fast = 2; fast <= 20; fast += 2) {
            for (int slow = 20; slow <= 101; slow += 9) {
                trials.add(Map.of("fast_period", fast, "slow_period", slow, "klineWndSize", 120));
            }
        }
        System.out.printf("sweep: %d runs of %s over %d klines (fast 2..20 step 2, slow 20..101 step 9)%n",
                trials.size(), args[0], main.size());
        for (int a = 3; a < args.length; a++) {
            int workers = Integer.parseInt(args[a]);
            Map<String, String> off = null;
            for (boolean reuse : new boolean[]{false, true}) {
                WorkerPoolConfig cfg = WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"), jvmci)
                        .withPoolSize(workers).withWarmupKlines(0)
                        .withJobContextIdle(reuse ? WorkerPoolConfig.DEFAULT_JOB_CONTEXT_IDLE : Duration.ZERO)
                        .withLimits(WorkerPoolConfig.Limits.defaults().withWallTime(Duration.ofSeconds(600)));
                try (WorkerPool pool = WorkerPool.start(cfg)) {
                    while (pool.state().alive() < workers) Thread.sleep(10);
                    for (int i = 0; i < 3 * workers; i++) {
                        pool.submit(request(code, main, Map.of()), null).outcome().get(10, TimeUnit.MINUTES);
                    }
                    String job = reuse ? "sweep" : null;
                    long t0 = System.nanoTime();
                    List<RunHandle> handles = new ArrayList<>();
                    for (Map<String, Object> p : trials) handles.add(pool.submit(request(code, main, p), null, job));
                    Map<String, String> results = new HashMap<>();
                    int reused = 0;
                    for (int i = 0; i < handles.size(); i++) {
                        RunOutcome o = handles.get(i).outcome().get(30, TimeUnit.MINUTES);
                        if (!(o instanceof RunOutcome.Succeeded ok)) throw new IllegalStateException("trial " + i + ": " + o);
                        results.put(trials.get(i).toString(), ok.result().totalTrades() + " " + ok.result().finalBalance());
                        if (handles.get(i).context() == RunHandle.Context.REUSED) reused++;
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("SWEEP workers=%d reuse=%s: %d runs in %.1f s (%.2f s per run), %d in a reused context%s%n",
                            workers, reuse ? "on " : "off", trials.size(), s, s / trials.size(), reused,
                            off == null ? "" : off.equals(results) ? "; every trial's fills and final balance equal to reuse off"
                                    : "; RESULTS DIFFER from reuse off");
                    off = results;
                }
            }
        }
        System.exit(0);
    }

    private static BacktestRequest request(String code, KlineSeries k, Map<String, Object> params) {
        return new BacktestRequest(code, k, params, new BigDecimal("10000"), new BigDecimal("0.001"), "BTC", "USDT");
    }
}
