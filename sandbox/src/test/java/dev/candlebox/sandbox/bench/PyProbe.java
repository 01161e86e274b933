package dev.candlebox.sandbox.bench;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.python.StrategyRuntime;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;

import java.nio.file.Files;
import java.nio.file.Path;

/** Developer probe: evaluates a Python file with the API loaded and the BTC closes bound as `cols`. */
public final class PyProbe {
    public static void main(String[] args) throws Exception {
        var k = Klines.btc1h();
        try (Context ctx = Context.newBuilder("python").allowHostAccess(HostAccess.newBuilder(HostAccess.EXPLICIT).allowArrayAccess(true).build())
                .option("engine.WarnInterpreterOnly", "false").allowAllAccess(true).build()) {
            ctx.eval("python", StrategyRuntime.preludeText("strategy_api.py"));
            ctx.getBindings("python").putMember("cols", new Object[]{k.openTime(), k.open(), k.high(), k.low(), k.close(), k.volume(), k.closeTime(), k.quoteVolume(), k.tradesCount(), k.takerBuyBaseVolume(), k.takerBuyQuoteVolume()});
            ctx.eval("python", Files.readString(Path.of(args[0])));
        }
        System.exit(0);
    }
}
