package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.python.PreparedRun;
import dev.candlebox.sandbox.python.StrategyRuntime;
import dev.candlebox.sandbox.worker.RunOutcome;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Developer probe (not a test): in this JVM, what a fresh context costs against reusing one (the check and
 * the reset), and a run's time in each. usage: ReuseProbe strategy.py [runs]
 */
public final class ReuseProbe {
    public static void main(String[] args) throws Exception {
        String code = Files.readString(Path.of(args[0]));
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        var k = Klines.readBinanceCsv(Path.of("testdata/derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"));
        StrategyRuntime rt = StrategyRuntime.create();
        System.out.println(rt.implementationName());
        PreparedRun kept = null;
        for (int i = 0; i < 2 * reps; i++) {
            boolean reuse = i % 2 == 1 && kept != null;
            long t0 = System.nanoTime();
            PreparedRun pr;
            String why = null;
            if (reuse) {
                why = kept.reuse();
                pr = why == null ? kept : rt.prepare(true);
            } else {
                if (kept != null) kept.discard();
                pr = rt.prepare(true);
            }
            long t1 = System.nanoTime();
            RunOutcome out = pr.run(new BacktestRequest(code, k, Map.of("fast_period", 5 + i), new BigDecimal("10000"),
                    new BigDecimal("0.001"), "BTC", "USDT"), RunListener.NONE, 1 << 20, 100000, 1000, true);
            long t2 = System.nanoTime();
            kept = pr.kept() ? pr : null;
            String r = out instanceof RunOutcome.Succeeded s ? s.result().totalTrades() + " fills " + s.result().quoteAsset() : out.toString();
            System.out.printf("%s: context %.0f ms (%s), run %.0f ms: %s%n", reuse ? "reused" : "fresh ", (t1 - t0) / 1e6,
                    why == null ? "ok" : why, (t2 - t1) / 1e6, r.substring(0, Math.min(160, r.length())));
        }
        System.exit(0);
    }
}
