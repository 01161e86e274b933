package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.engine.*;
import dev.candlebox.sandbox.worker.RunOutcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

class ScratchTest {
    @Test
    void scratch() {
        long t0 = System.nanoTime();
        StrategyRuntime rt = StrategyRuntime.create();
        System.out.println("impl " + rt.implementationName() + " engine " + (System.nanoTime() - t0) / 1e6);
        int n = 200;
        long[] ot = new long[n]; double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n]; long[] ct = new long[n];
        for (int i = 0; i < n; i++) {
            ot[i] = 1_700_000_000_000L + i * 3_600_000L; ct[i] = ot[i] + 3_599_999L;
            c[i] = 100 + 10 * Math.sin(i / 10.0); o[i] = c[i]; h[i] = c[i] + 1; l[i] = c[i] - 1; v[i] = 1;
        }
        KlineSeries ks = KlineSeries.ohlcv(ot, o, h, l, c, v, ct);
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        closes = self.kline_cache.get_closes()
                        if len(closes) < 31:
                            return
                        f = calculate_sma(closes, 10); s = calculate_sma(closes, 30)
                        pf = calculate_sma(closes[:-1], 10); ps = calculate_sma(closes[:-1], 30)
                        if f > s and pf <= ps and context.position == 0:
                            print("buy", kline.open_time, float(context.balance / kline.close))
                            context.buy(kline.close, float(context.balance / kline.close) * 0.95, kline.open_time)
                        elif f < s and pf >= ps and context.position > 0:
                            context.sell_all(kline.close, kline.open_time)
                """;
        for (int r = 0; r < 3; r++) {
            long t1 = System.nanoTime();
            PreparedRun pr = rt.prepare();
            long t2 = System.nanoTime();
            RunOutcome out = pr.run(new BacktestRequest(code, ks, Map.of(), new BigDecimal("10000"), new BigDecimal("0.001"), "BTC", "USDT"), RunListener.NONE, 1 << 20, 1000);
            long t3 = System.nanoTime();
            System.out.println("prepare " + (t2 - t1) / 1e6 + " run " + (t3 - t2) / 1e6);
            System.out.println(out);
        }
    }
}
