package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.RunListener;
import dev.candlebox.sandbox.python.StrategyRuntime;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Developer probe: runs a strategy file in this JVM (no worker) and prints timings. */
public final class InProcessProbe {
    public static void main(String[] args) throws Exception {
        String code = Files.readString(Path.of(args[0]));
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        var k = Klines.btc1h();
        StrategyRuntime rt = StrategyRuntime.create();
        System.out.println(rt.implementationName());
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            var pr = rt.prepare();
            long t1 = System.nanoTime();
            var out = pr.run(new BacktestRequest(code, k, Map.of(), new BigDecimal("10000"), new BigDecimal("0.001"), "BTC", "USDT"),
                    RunListener.NONE, 1 << 20, 100000);
            long t2 = System.nanoTime();
            System.out.printf("prepare %.0f ms run %.0f ms (%.2f M klines/s) %s%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    k.size() / ((t2 - t1) / 1e9) / 1e6, out.toString().substring(0, Math.min(200, out.toString().length())));
        }
        System.exit(0);
    }
}
