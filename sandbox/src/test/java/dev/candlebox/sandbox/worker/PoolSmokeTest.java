package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import org.junit.jupiter.api.Test;

class PoolSmokeTest {
    @Test
    void smoke() {
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        closes = self.kline_cache.get_closes()
                        if len(closes) < 31:
                            return
                        f = calculate_sma(closes, 10); s = calculate_sma(closes, 30)
                        pf = calculate_sma(closes[:-1], 10); ps = calculate_sma(closes[:-1], 30)
                        if f > s and pf <= ps and context.position == 0:
                            context.buy(kline.close, float(context.balance / kline.close) * 0.95, kline.open_time)
                        elif f < s and pf >= ps and context.position > 0:
                            context.sell_all(kline.close, kline.open_time)
                """;
        long t0 = System.nanoTime();
        var k = Klines.wave(3000);
        System.out.println("read " + (System.nanoTime() - t0) / 1e6 + " ms, n=" + k.size());
        for (int i = 0; i < 6; i++) {
            long t1 = System.nanoTime();
            var out = TestPool.run(code, k);
            System.out.println("run " + (System.nanoTime() - t1) / 1e6 + " ms " + TestPool.pool().state() + " " + summary(out));
        }
    }

    static String summary(RunOutcome o) {
        return switch (o) {
            case RunOutcome.Succeeded s -> "OK final=" + s.result().finalBalance() + " trades=" + s.result().totalTrades();
            case RunOutcome.Failed f -> "FAILED " + f.error();
            case RunOutcome.Cancelled c -> "CANCELLED";
        };
    }
}
