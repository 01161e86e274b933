package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.python.StrategyRuntime;
import org.graalvm.polyglot.*;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Developer probe: the same Python loop in different engine/context arrangements. */
public final class EngineModeProbe {
    public static void main(String[] args) throws Exception {
        var k = Klines.btc1h();
        String mode = args[0];
        String script = Files.readString(Path.of(args[1]));
        Object cols = new Object[]{k.openTime(), k.open(), k.high(), k.low(), k.close(), k.volume(), k.closeTime(), k.quoteVolume(), k.tradesCount(), k.takerBuyBaseVolume(), k.takerBuyQuoteVolume()};
        HostAccess ha = HostAccess.newBuilder(HostAccess.CONSTRAINED).allowArrayAccess(true).build();
        boolean sandbox = mode.contains("sandbox");
        Engine.Builder eb = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream());
        if (sandbox) eb.sandbox(SandboxPolicy.CONSTRAINED);
        Engine engine = eb.build();
        Source api = Source.newBuilder("python", StrategyRuntime.preludeText("strategy_api.py"), "strategy_api.py").cached(true).build();
        Source src = Source.newBuilder("python", script, "probe.py").cached(true).build();
        Context shared = null;
        for (int r = 0; r < 8; r++) {
            Context ctx;
            if (mode.contains("reuse") && shared != null) ctx = shared;
            else {
                Context.Builder cb = Context.newBuilder("python").engine(engine).allowHostAccess(ha).out(new java.io.FileOutputStream(java.io.FileDescriptor.out)).err(OutputStream.nullOutputStream());
                if (sandbox) cb.sandbox(SandboxPolicy.CONSTRAINED);
                ctx = cb.build();
                ctx.eval(api);
                ctx.eval(src);
                shared = ctx;
            }
            long t0 = System.nanoTime();
            ctx.getBindings("python").getMember("bench").execute(cols);
            System.out.printf("%s rep %d: %.0f ms%n", mode, r, (System.nanoTime() - t0) / 1e6);
        }
        System.exit(0);
    }
}
