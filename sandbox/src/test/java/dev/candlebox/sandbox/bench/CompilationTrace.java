package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.python.StrategyRuntime;
import dev.candlebox.sandbox.worker.RunOutcome;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The compilation-trace harness (not a test): runs a strategy over a series as a worker does (a fresh
 * context per run from one engine, the same runner, step and account), in this JVM, with Truffle's
 * compilation, inlining and deoptimization traces on stderr. The sandbox policy refuses those options,
 * so this runtime has none: it is for our own templates only. Run it with sandbox/bench/compilation-trace.sh.
 *
 * <p>usage: CompilationTrace strategy.py data.csv.gz runs
 */
public final class CompilationTrace {
    public static void main(String[] args) throws Exception {
        String code = Files.readString(Path.of(args[0]));
        KlineSeries k = Klines.readBinanceCsv(Path.of(args[1]));
        int runs = Integer.parseInt(args[2]);
        StrategyRuntime rt = StrategyRuntime.createForTracing(Map.of(
                "engine.TraceCompilation", "true",
                "engine.TraceInlining", "true",
                "engine.TraceTransferToInterpreter", "true"));
        System.out.println("engine: " + rt.implementationName());
        for (int i = 0; i < runs; i++) {
            var prepared = rt.prepare();
            long t = System.nanoTime();
            RunOutcome o = prepared.run(new BacktestRequest(code, k, Map.of("klineWndSize", 50), new BigDecimal("10000"),
                    new BigDecimal("0.001"), "BTC", "USDT"), RunListener.NONE, 1 << 20, 1_000_000);
            double s = (System.nanoTime() - t) / 1e9;
            String what = o instanceof RunOutcome.Succeeded ok ? ok.result().totalTrades() + " fills" : o.toString();
            System.out.printf("=== RUN %d: %d klines in %.3f s (%s)%n", i, k.size(), s, what);
            System.err.printf("=== RUN %d ended%n", i);
        }
        rt.close();
        System.exit(0);
    }
}
