package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.worker.RunOutcome;
import dev.candlebox.sandbox.worker.WorkerPool;
import dev.candlebox.sandbox.worker.WorkerPoolConfig;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox benchmark (not a test): the moving-average template over the main BTCUSDT 1h series and
 * over one million klines, through a real worker process, warm; plus the cold start of a worker and
 * of its first run. Run it with {@code sandbox/bench/run.sh}, which also runs CPython on the same code.
 *
 * <p>usage: SandboxBenchmark strategy.py data.csv.gz jvmciDir warmRepeats
 */
public final class SandboxBenchmark {
    public static void main(String[] args) throws Exception {
        String code = Files.readString(Path.of(args[0]));
        KlineSeries main = Klines.readBinanceCsv(Path.of(args[1]));
        Path jvmci = Path.of(args[2]);
        int reps = Integer.parseInt(args[3]);
        machine();

        WorkerPoolConfig cfg = WorkerPoolConfig.forClasspath(System.getProperty("java.class.path"), jvmci)
                .withPoolSize(1).withWorkerXmx("2g")
                .withExtraJvmArgs(workerArgs()) // -Dcandlebox.worker.trace=true: where each run's time goes, on stderr
                .withLimits(WorkerPoolConfig.Limits.defaults().withWallTime(Duration.ofSeconds(600)));
        long t0 = System.nanoTime();
        try (WorkerPool pool = WorkerPool.start(cfg)) {
            while (pool.state().alive() == 0) Thread.sleep(10);
            long ready = System.nanoTime();
            System.out.printf("cold start: worker ready in %.2f s (optimizing compiler: %s)%n", (ready - t0) / 1e9,
                    pool.state().optimizing());
            double first = run(pool, code, main);
            System.out.printf("cold start: first run (%d klines) took %.2f s; first result %.2f s after the pool started%n",
                    main.size(), first, (System.nanoTime() - t0) / 1e9);
            // The worker goes back to its warm-up once idle; a run that arrives meanwhile interrupts it.
            long w0 = System.nanoTime();
            Thread.sleep(5000);
            System.out.printf("warm-up: a run submitted 5 s into the warm-up took %.2f s%n", run(pool, code, main));
            // "warm" below means after the warm-up (see docs/sandbox.md).
            while (pool.state().warm() == 0) Thread.sleep(50);
            System.out.printf("warm-up: the worker finished its warm-up (%d synthetic klines) %.1f s after the first run%n",
                    cfg.warmupKlines(), (System.nanoTime() - w0) / 1e9);

            KlineSeries million = repeat(main, 1_000_000);
            for (KlineSeries k : List.of(main, million)) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < reps; i++) {
                    double s = run(pool, code, k);
                    times.add(s);
                    System.out.printf("  candlebox run %d over %d klines: %.3f s = %.0f klines/s%n", i, k.size(), s, k.size() / s);
                }
                Collections.sort(times);
                System.out.printf("CANDLEBOX n=%d best %.3f s = %.0f klines/s, median %.3f s = %.0f klines/s%n", k.size(),
                        times.get(0), k.size() / times.get(0), times.get(times.size() / 2), k.size() / times.get(times.size() / 2));
            }
        }
        System.exit(0);
    }

    /** The trace flag, plus whatever the BENCH_WORKER_ARGS environment variable holds (e.g. -Dcandlebox.engine.mode=default). */
    static List<String> workerArgs() {
        List<String> args = new ArrayList<>(List.of("-Dcandlebox.worker.trace=true"));
        String extra = System.getenv("BENCH_WORKER_ARGS");
        if (extra != null && !extra.isBlank()) args.addAll(List.of(extra.trim().split("\\s+")));
        System.out.println("worker JVM arguments added: " + args);
        return args;
    }

    /** Seconds from submit to outcome (includes sending the columns to the worker and the result back). */
    static double run(WorkerPool pool, String code, KlineSeries k) throws Exception {
        long t = System.nanoTime();
        RunOutcome o = pool.submit(new BacktestRequest(code, k, Map.of("klineWndSize", 50), new BigDecimal("10000"),
                new BigDecimal("0.001"), "BTC", "USDT"), null).outcome().get(30, TimeUnit.MINUTES);
        double s = (System.nanoTime() - t) / 1e9;
        if (!(o instanceof RunOutcome.Succeeded ok)) throw new IllegalStateException("run failed: " + o);
        System.out.printf("    fills %d, final balance %s%n", ok.result().totalTrades(), ok.result().quoteAsset());
        return s;
    }

    /** The main series repeated until n klines, each copy shifted by the series' span (real price paths). */
    static KlineSeries repeat(KlineSeries m, int n) {
        int len = m.size();
        long span = m.openTime()[len - 1] - m.openTime()[0] + 3_600_000L;
        long[] ot = new long[n], ct = new long[n];
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
        double[] qv = new double[n], tbb = new double[n], tbq = new double[n];
        int[] tc = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i % len;
            long shift = (long) (i / len) * span;
            ot[i] = m.openTime()[j] + shift;
            ct[i] = m.closeTime()[j] + shift;
            o[i] = m.open()[j];
            h[i] = m.high()[j];
            l[i] = m.low()[j];
            c[i] = m.close()[j];
            v[i] = m.volume()[j];
            qv[i] = m.quoteVolume()[j];
            tc[i] = m.tradesCount()[j];
            tbb[i] = m.takerBuyBaseVolume()[j];
            tbq[i] = m.takerBuyQuoteVolume()[j];
        }
        return new KlineSeries(ot, o, h, l, c, v, ct, qv, tc, tbb, tbq);
    }

    static void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(s -> s.startsWith("model name"))
                .findFirst().map(s -> s.substring(s.indexOf(':') + 1).trim()).orElse("?");
        System.out.printf("machine: %s, %d cores, %s; %s %s; java %s (%s); load average %s%n", cpu,
                Runtime.getRuntime().availableProcessors(),
                Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Files.readString(Path.of("/proc/loadavg")).trim());
    }
}
