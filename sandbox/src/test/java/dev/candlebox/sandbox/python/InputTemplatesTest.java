package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.CoinalyzeExport;
import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.DerivativeColumns.Periods;
import dev.candlebox.sandbox.engine.DerivativeColumns.Settlements;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.OtherSeries;
import dev.candlebox.sandbox.engine.Side;
import dev.candlebox.sandbox.engine.Trading;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The templates of strategies/ that read derivatives data or other series (contract section 7) run on real data from
 * testdata/ and trade; the composite's sub-signals give the values worked out by hand. (The kline-only templates are
 * compared with Java re-implementations in StrategiesMatchReferenceTest, which leaves these out.)
 */
public class InputTemplatesTest {
    /** The templates this class tests. */
    public static final Set<String> FILES = Set.of("derivatives_composite.py", "multi_timeframe_trend.py",
            "funding_anomaly_breakout.py", "structure_stop_cvd.py", "trend_rsi_atr.py");
    private static final long HOUR = 3_600_000L;

    public static String template(String file) throws IOException {
        return Files.readString(Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies").resolve(file));
    }

    /** The Coinalyze BTC export's open interest, long/short ratio and liquidations aligned to {@code k}. */
    public static DerivativeColumns coinalyze(KlineSeries k) {
        return DerivativeColumns.align(k, CoinalyzeExport.hourly("BTCUSDT_PERP.A_open-interest-history.csv.gz", 4),
                Settlements.NONE, CoinalyzeExport.hourly("BTCUSDT_PERP.A_long-short-ratio-history.csv.gz", 1),
                CoinalyzeExport.hourly("BTCUSDT_PERP.A_liquidation-history.csv.gz", 1),
                CoinalyzeExport.hourly("BTCUSDT_PERP.A_liquidation-history.csv.gz", 2));
    }

    /** A futures request (1x, isolated, 0.02 % maker, 0.06 % taker) of {@code code} on {@code k}. */
    public static BacktestRequest futures(String code, KlineSeries k, Map<String, Object> params) {
        Trading t = new Trading(Trading.Market.FUTURES, 1, Trading.MarginMode.ISOLATED, Trading.FillTiming.SEED,
                new BigDecimal("0.0002"), new BigDecimal("0.0006"), new BigDecimal("0.0006"), Trading.Intrabar.PESSIMISTIC);
        return new BacktestRequest(code, k, params, new BigDecimal("10000"), new BigDecimal("0.0006"), "BTC", "USDT", t,
                FundingSeries.NONE, null);
    }

    @Test
    void theCompositeTradesBothWaysOnTheCoinalyzeExport() throws IOException {
        KlineSeries k = CoinalyzeExport.btcKlines();
        var out = TestPool.run(futures(template("derivatives_composite.py"), k, Map.of()).withInputs(coinalyze(k), List.of()));
        BacktestResult r = succeeded(out);
        assertTrue(r.trades().stream().anyMatch(f -> f.side() == Side.BUY), "buys");
        assertTrue(r.trades().stream().anyMatch(f -> f.side() == Side.SELL), "sells");
        assertTrue(r.totalTrades() >= 4, "trades: " + r.totalTrades());
    }

    @Test
    void theCompositesSubSignalsGiveTheValuesWorkedOutByHand() throws IOException {
        String code = template("derivatives_composite.py") + """


                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        # OI +6 % with price up: +0.7; +6 % with price down: -0.3; -4 % up: -0.2; -4 % down: +0.3; +1 %: 0
                        print(_oi_signal([100, 106], [10, 11], 1, 0.05, 0.03), _oi_signal([100, 106], [10, 9], 1, 0.05, 0.03),
                              _oi_signal([100, 96], [10, 11], 1, 0.05, 0.03), _oi_signal([100, 96], [10, 9], 1, 0.05, 0.03),
                              _oi_signal([100, 101], [10, 11], 1, 0.05, 0.03), _oi_signal([None, 101], [10, 11], 1, 0.05, 0.03))
                        # deltas 2, -1, 3 (|sum| 6), CVD 0 -> 4 over 3 klines: roc 4/6; price down: +0.666..; price up: 0
                        print(_cvd_signal([0, 2, 1, 4], [0, 2, -1, 3], [10, 9, 9, 8], 3), _cvd_signal([0, 2, 1, 4], [0, 2, -1, 3], [10, 9, 9, 11], 3),
                              _cvd_signal([0, -2, -1, -4], [0, -2, 1, -3], [10, 9, 9, 11], 3))
                        # ratio 3 = 75 % long: -1; ratio 0.5 = 33.3 % long: +1; ratio 1: 0; one None in the window: 0
                        print(_ls_signal([3, 3], 2, 0.65, 0.35), _ls_signal([0.5, 0.5], 2, 0.65, 0.35), _ls_signal([1, 1], 2, 0.65, 0.35),
                              _ls_signal([None, 3], 2, 0.65, 0.35))
                        print(_funding_signal(0.0006, 0.0005, -0.0003), _funding_signal(-0.0004, 0.0005, -0.0003),
                              _funding_signal(0.0001, 0.0005, -0.0003), _funding_signal(None, 0.0005, -0.0003))
                        # mean of the previous 2 klines' totals (1 + 1, 2 + 0) = 2; now 3 + 2 = 5 > 4: longs liquidated more: -1
                        print(_liq_signal([(1, 1), (2, 0), (3, 2)], 2, 2.0), _liq_signal([(1, 1), (2, 0), (1, 4)], 2, 2.0),
                              _liq_signal([(1, 1), (2, 0), (2, 1)], 2, 2.0))
                """;
        String[] lines = logs(TestPool.run(code, Klines.hourly(1, 100))).split("\n");
        assertEquals("0.7 -0.3 -0.2 0.3 0.0 0.0", lines[0]);
        String[] cvd = lines[1].split(" ");
        assertEquals(4.0 / 6, Double.parseDouble(cvd[0]), 1e-15);
        assertEquals("0.0", cvd[1]);
        assertEquals(-4.0 / 6, Double.parseDouble(cvd[2]), 1e-15);
        assertEquals("-1.0 1.0 0.0 0.0", lines[2]);
        assertEquals("-1.0 1.0 0.0 0.0", lines[3]);
        assertEquals("-1.0 1.0 0.0", lines[4]);
    }

    @Test
    void theMultiTimeframeTrendTradesTheMainSeriesWithItsFourHourSeries() throws IOException {
        KlineSeries hours = Klines.btc1h().slice(0, 24 * 365);
        KlineSeries four = Klines.aggregate(hours, 4 * HOUR);
        var r = TestPool.request(template("multi_timeframe_trend.py"), hours, Map.of())
                .withInputs(null, List.of(OtherSeries.of("BTCUSDT", "4h", four, hours.closeTime())));
        BacktestResult result = succeeded(TestPool.run(r));
        assertTrue(result.totalTrades() >= 10, "trades: " + result.totalTrades());
    }

    @Test
    void theFundingAnomalyBreakoutTradesThePerpetualWithItsFunding() throws IOException {
        KlineSeries k = Klines.readCsv(Klines.testData().resolve("gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz"), HOUR)
                .slice(0, 24 * 200);
        List<String[]> raw = CoinalyzeExport.rows(Klines.testData().resolve("gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz"));
        int m = raw.size() - 1;
        long[] t = new long[m];
        double[] rate = new double[m];
        int[] hours = new int[m];
        for (int j = 0; j < m; j++) {
            t[j] = Long.parseLong(raw.get(j + 1)[0]);
            hours[j] = Integer.parseInt(raw.get(j + 1)[1]);
            rate[j] = Double.parseDouble(raw.get(j + 1)[2]);
        }
        DerivativeColumns d = DerivativeColumns.align(k, Periods.NONE, new Settlements(t, rate, hours), Periods.NONE,
                Periods.NONE, Periods.NONE);
        BacktestResult r = succeeded(TestPool.run(TestPool.request(template("funding_anomaly_breakout.py"), k, Map.of())
                .withInputs(d, List.of())));
        assertTrue(r.totalTrades() >= 10, "trades: " + r.totalTrades());
    }

    @Test
    void theTrendRsiAtrTemplateEntersByLimitAndByMarketAndExitsByItsBrackets() throws IOException {
        KlineSeries k = Klines.btc1h().slice(0, 24 * 365 * 2);
        BacktestResult r = succeeded(TestPool.run(futures(template("trend_rsi_atr.py"), k, Map.of("klineWndSize", 250))));
        var reasons = r.trades().stream().map(f -> f.reason().name()).collect(java.util.stream.Collectors.toSet());
        assertTrue(r.totalTrades() >= 10, "trades: " + r.totalTrades());
        assertTrue(reasons.contains("LIMIT") && reasons.contains("ORDER"), "limit entries and market fallbacks: " + reasons);
        assertTrue(reasons.contains("STOP_LOSS") || reasons.contains("TRAILING_STOP") || reasons.contains("TAKE_PROFIT"),
                "bracket exits: " + reasons);
    }

    @Test
    void theStructureStopTradesTheCoinalyzeExport() throws IOException {
        KlineSeries k = CoinalyzeExport.btcKlines();
        BacktestResult r = succeeded(TestPool.run(TestPool.request(template("structure_stop_cvd.py"), k,
                Map.of("klineWndSize", 100)).withInputs(coinalyze(k), List.of())));
        assertTrue(r.totalTrades() >= 2, "trades: " + r.totalTrades());
    }
}
