package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.CoinalyzeExport;
import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.DerivativeColumns.Periods;
import dev.candlebox.sandbox.engine.DerivativeColumns.Settlements;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.OtherSeries;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.candlebox.sandbox.Outcomes.logs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract section 7 without lookahead: a strategy that prints what it sees on every kline gets exactly what a plain
 * alignment written here (a loop over all stamped values per kline, not the engine's merge) says was knowable at that
 * kline's close, on real data from testdata/.
 */
class DerivativesVisibilityTest {
    private static final long HOUR = 3_600_000L;

    /** Prints, per kline, every input as Python sees it; the getters must agree with the kline's own fields. */
    private static final String RECORDER = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    c = self.kline_cache
                    if c.get_open_interest()[-1] != kline.open_interest or c.get_funding_rates()[-1] != kline.funding_rate:
                        raise ValueError("getter disagrees")
                    if c.get_long_short_ratios()[-1] != kline.long_short_ratio or c.get_deltas()[-1] != kline.delta:
                        raise ValueError("getter disagrees")
                    if c.get_liquidations()[-1] != (kline.liquidations_long, kline.liquidations_short):
                        raise ValueError("getter disagrees")
                    print("%s|%r|%r|%r|%r|%r|%r|%r|%r|%r|%r" % (kline.open_time, kline.open_interest, kline.funding_rate,
                          kline.funding_time, kline.long_short_ratio, kline.liquidations_long, kline.liquidations_short,
                          kline.buy_volume, kline.sell_volume, kline.delta, c.get_cvd()[-1]))
            """;

    private static List<String[]> rows(Path gz) {
        return CoinalyzeExport.rows(gz);
    }

    private static Periods hourly(String file, int column) {
        return CoinalyzeExport.hourly(file, column);
    }

    // ---- the plain alignment: every stamped value checked against every kline ----

    /** The value of the period that ended (start + L - 1 <= close) last, unless the next period's end has passed too. */
    private static Double plainLevel(Periods p, long close) {
        Double found = null;
        long foundEnd = Long.MIN_VALUE;
        for (int j = 0; j < p.size(); j++) {
            long end = p.start()[j] + p.periodMs() - 1;
            if (end <= close && end > foundEnd) {
                foundEnd = end;
                found = p.value()[j];
            }
        }
        return found != null && close - foundEnd < p.periodMs() ? found : null;
    }

    private static Double plainSum(Periods p, long open, long close) {
        Double sum = null;
        for (int j = 0; j < p.size(); j++) {
            long end = p.start()[j] + p.periodMs() - 1;
            if (end >= open && end <= close) sum = (sum == null ? 0 : sum) + p.value()[j];
        }
        return sum;
    }

    private static Double parse(String s) {
        return s.equals("None") ? null : Double.valueOf(s);
    }

    private static void assertSame(String what, Double expected, String seen) {
        Double actual = parse(seen);
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(expected, actual, Math.abs(expected) * 1e-12, what);
        }
    }

    private static String[] run(BacktestRequest r) {
        return logs(TestPool.run(r)).split("\n");
    }

    @Test
    void coinalyzeOpenInterestRatioLiquidationsAndTakerVolumeAreSeenAsThePlainAlignmentSays() {
        KlineSeries k = CoinalyzeExport.btcKlines();
        int n = k.size();
        long[] t = k.openTime(), ct = k.closeTime();
        double[] v = k.volume(), bv = k.takerBuyBaseVolume();
        Periods oi = hourly("BTCUSDT_PERP.A_open-interest-history.csv.gz", 4); // the hour's last (close)
        Periods ls = hourly("BTCUSDT_PERP.A_long-short-ratio-history.csv.gz", 1);
        Periods liqLong = hourly("BTCUSDT_PERP.A_liquidation-history.csv.gz", 1);
        Periods liqShort = hourly("BTCUSDT_PERP.A_liquidation-history.csv.gz", 2);
        // the derivatives start 3 hours into the klines and stop 5 hours before their end: None outside
        KlineSeries inner = k.slice(3, n - 5);
        Periods oiC = cut(oi, inner), lsC = cut(ls, inner), llC = cut(liqLong, inner), lsh = cut(liqShort, inner);
        DerivativeColumns d = DerivativeColumns.align(k, oiC, Settlements.NONE, lsC, llC, lsh);
        // a small window: the cache trims itself many times over the run, the CVD must still count from kline 0
        var r = TestPool.request(RECORDER, k, Map.of("klineWndSize", 5)).withInputs(d, List.of());
        String[] seen = run(r);
        assertEquals(n, seen.length);

        // the UTC+6 shift: the file's first row, 2024-06-20 03:00 in UTC+6, is the hour from 2024-06-19 21:00 UTC
        assertTrue(seen[0].startsWith("2024-06-19T21:00:00+00:00|None|"), seen[0]);
        String[] fourth = seen[3].split("\\|");
        assertEquals("2024-06-20T00:00:00+00:00", fourth[0]);
        assertEquals(75454.469, parse(fourth[1]), "open interest at the close of the 4th hour (the file's 06:00 row, last value)");

        double cvd = 0;
        int withOi = 0;
        for (int i = 0; i < n; i++) {
            String[] f = seen[i].split("\\|");
            String at = "kline " + i + " " + f[0];
            assertSame(at + " open_interest", plainLevel(oiC, ct[i]), f[1]);
            assertEquals("None", f[2], at + " funding_rate");
            assertSame(at + " long_short_ratio", plainLevel(lsC, ct[i]), f[4]);
            assertSame(at + " liquidations_long", plainSum(llC, t[i], ct[i]), f[5]);
            assertSame(at + " liquidations_short", plainSum(lsh, t[i], ct[i]), f[6]);
            assertSame(at + " buy_volume", bv[i], f[7]);
            assertSame(at + " sell_volume", v[i] - bv[i], f[8]);
            assertSame(at + " delta", 2 * bv[i] - v[i], f[9]);
            cvd += 2 * bv[i] - v[i];
            assertEquals(cvd, parse(f[10]), 1e-6, at + " cvd");
            if (!f[1].equals("None")) withOi++;
        }
        assertTrue(withOi > n - 20, "open interest on almost every kline: " + withOi + " of " + n);
    }

    /** The periods of {@code p} inside the klines of {@code inner} (by period start). */
    private static Periods cut(Periods p, KlineSeries inner) {
        long from = inner.openTime()[0], to = inner.openTime()[inner.size() - 1];
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < p.size(); j++) if (p.start()[j] >= from && p.start()[j] <= to) keep.add(j);
        return new Periods(keep.stream().mapToLong(j -> p.start()[j]).toArray(), p.periodMs(),
                keep.stream().mapToDouble(j -> p.value()[j]).toArray());
    }

    @Test
    void aFundingRateIsSeenFromTheKlineWhoseCloseIsAtOrAfterItsSettlement() {
        KlineSeries k = Klines.readCsv(Klines.testData().resolve("gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz"), HOUR)
                .slice(0, 24 * 40);
        List<String[]> raw = rows(Klines.testData().resolve("gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz"));
        int m = raw.size() - 1;
        long[] ft = new long[m];
        double[] rate = new double[m];
        int[] hours = new int[m];
        for (int j = 0; j < m; j++) {
            String[] f = raw.get(j + 1);
            ft[j] = Long.parseLong(f[0]);
            hours[j] = Integer.parseInt(f[1]);
            rate[j] = Double.parseDouble(f[2]);
        }
        // keep the settlements of the first 30 days: the last 10 days of klines are past the data (None, after 8h)
        int keep = 0;
        while (keep < m && ft[keep] < k.openTime()[0] + 30 * 24 * HOUR) keep++;
        Settlements s = new Settlements(Arrays.copyOf(ft, keep), Arrays.copyOf(rate, keep), Arrays.copyOf(hours, keep));
        DerivativeColumns d = DerivativeColumns.align(k, Periods.NONE, s, Periods.NONE, Periods.NONE, Periods.NONE);
        String[] seen = run(TestPool.request(RECORDER, k, Map.of()).withInputs(d, List.of()));
        // the first settlement of 2025 came at 00:00:00.015: in force on the first hour's kline (closes 00:59:59.999)
        assertTrue(seen[0].startsWith("2025-01-01T00:00:00+00:00|None|0.0001|'2025-01-01T00:00:00.015000+00:00'|"), seen[0]);
        int none = 0;
        for (int i = 0; i < k.size(); i++) {
            long close = k.closeTime()[i];
            Double expected = null;
            String when = "None";
            for (int j = 0; j < keep; j++) {
                if (ft[j] <= close && close - ft[j] < hours[j] * HOUR + 60_000) {
                    expected = rate[j];
                    when = "'" + iso(ft[j]) + "'";
                }
            }
            String[] f = seen[i].split("\\|");
            assertSame("kline " + i + " funding_rate", expected, f[2]);
            assertEquals(when, f[3], "kline " + i + " funding_time");
            if (expected == null) none++;
        }
        // the last kept settlement (day 29, 16:00) is in force until 23:59:59.999; the last 10 days have no rate
        assertEquals(10 * 24, none);
    }

    /** ISO-8601 with +00:00, the fraction (as microseconds) only when the time has milliseconds. */
    private static String iso(long ms) {
        var t = java.time.Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
        String s = t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));
        return s + (ms % 1000 == 0 ? "" : String.format(".%03d000", ms % 1000)) + "+00:00";
    }

    @Test
    void aValueStampedExactlyAtTheCloseIsSeenOnThatKlineAndAPeriodOnlyOnceItEnded() {
        KlineSeries k = Klines.hourly(1, 100, 101, 102, 103);
        long t0 = Klines.T0;
        // funding at exactly kline 1's close; a 2h open-interest period [t0, t0+2h) ends with kline 1; liquidations of
        // the hour starting at t0 + 2h belong to kline 2 only
        Settlements s = new Settlements(new long[]{t0 + 2 * HOUR - 1}, new double[]{0.0003}, new int[]{8});
        Periods oi = new Periods(new long[]{t0}, 2 * HOUR, new double[]{500});
        Periods liq = new Periods(new long[]{t0 + 2 * HOUR}, HOUR, new double[]{7});
        DerivativeColumns d = DerivativeColumns.align(k, oi, s, Periods.NONE, liq, Periods.NONE);
        String[] seen = run(TestPool.request(RECORDER, k, Map.of()).withInputs(d, List.of()));
        String[][] f = Arrays.stream(seen).map(x -> x.split("\\|")).toArray(String[][]::new);
        assertEquals(List.of("None", "500.0", "500.0", "None"), List.of(f[0][1], f[1][1], f[2][1], f[3][1]),
                "open interest of [0h, 2h): from the kline closing at 1:59:59.999, until the next 2h period would have ended");
        assertEquals(List.of("None", "0.0003", "0.0003", "0.0003"), List.of(f[0][2], f[1][2], f[2][2], f[3][2]));
        assertEquals(List.of("None", "None", "7.0", "None"), List.of(f[0][5], f[1][5], f[2][5], f[3][5]));
        // Klines.hourly has no taker volume: no buy volume, delta or CVD
        assertEquals(List.of("None", "None", "None", "None"), List.of(f[0][7], f[1][9], f[2][10], f[3][8]));
    }

    private static final String SERIES_RECORDER = """
            class Strategy(IStrategy):
                def run(self, context, kline, params):
                    s = self.series("4h")
                    if s is not self.series("BTCUSDT", "4h"):
                        raise ValueError("one cache per series")
                    h = self.series("ETHUSDT", "1h")
                    last = s.get_klines()[-1] if len(s) else None
                    print("%s|%d|%s|%r|%d|%r" % (kline.open_time, len(s), last.close_time if last else None,
                          last.close if last else None, len(h), h.get_closes()[-1] if len(h) else None))
            """;

    @Test
    void aFourHourSeriesAppearsAtTheMinuteKlineThatClosesWithItNotBefore() {
        KlineSeries minutes = Klines.readCsv(Klines.testData().resolve("derived/BTCUSDT-1m-spot-202503.csv.gz"), 60_000L)
                .slice(0, 60 * 10);
        KlineSeries four = Klines.aggregate(minutes, 4 * HOUR);
        KlineSeries hour = Klines.aggregate(minutes, HOUR);
        assertEquals(2, four.size(), "two complete 4h klines in the first 10 hours");
        List<OtherSeries> series = List.of(OtherSeries.of("BTCUSDT", "4h", four, minutes.closeTime()),
                OtherSeries.of("ETHUSDT", "1h", hour, minutes.closeTime()));
        String[] seen = run(TestPool.request(SERIES_RECORDER, minutes, Map.of("klineWndSize", 3)).withInputs(null, series));
        for (int i = 0; i < minutes.size(); i++) {
            int visible4 = 0, visible1 = 0;
            for (int j = 0; j < four.size(); j++) if (four.closeTime()[j] <= minutes.closeTime()[i]) visible4 = j + 1;
            for (int j = 0; j < hour.size(); j++) if (hour.closeTime()[j] <= minutes.closeTime()[i]) visible1 = j + 1;
            String[] f = seen[i].split("\\|");
            assertEquals(String.valueOf(Math.min(visible4, 3)), f[1], "kline " + i + " " + f[0]);
            assertEquals(String.valueOf(Math.min(visible1, 3)), f[4], "kline " + i + " " + f[0]);
            if (visible4 > 0) assertEquals(four.close()[visible4 - 1], parse(f[3]), "kline " + i);
        }
        // the file starts at 03:00; the first complete 4h kline is [04:00, 08:00). The minute 07:58 closes at
        // 07:58:59.999: that 4h kline is still open; the minute 07:59 closes with it (07:59:59.999): now it is seen
        assertTrue(seen[298].startsWith("2025-03-01T07:58:00+00:00|0|None|None|3|"), seen[298]);
        assertTrue(seen[299].startsWith("2025-03-01T07:59:00+00:00|1|2025-03-01T07:59:59.999000+00:00|"), seen[299]);
        assertTrue(seen[58].startsWith("2025-03-01T03:58:00+00:00|0|None|None|0|None"), seen[58]);
        assertTrue(seen[59].startsWith("2025-03-01T03:59:00+00:00|0|None|None|1|"), seen[59]);
    }

    @Test
    void theCvdOfTheMainSeriesIsTheSumOfTwiceTheTakerBuyVolumeLessTheVolume() {
        KlineSeries k = Klines.btc1h();
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        if kline.close_time_ms in params["at"]:
                            print(repr(self.kline_cache.get_cvd()[-1]), repr(self.kline_cache.get_cvd()[0]))
                """;
        int n = k.size();
        List<Long> at = List.of(k.closeTime()[100], k.closeTime()[n / 2], k.closeTime()[n - 1]);
        String[] seen = logs(TestPool.run(TestPool.request(code, k, Map.of("at", at)))).split("\n");
        double[] cvd = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 2 * k.takerBuyBaseVolume()[i] - k.volume()[i];
            cvd[i] = sum;
        }
        int[] index = {100, n / 2, n - 1};
        for (int j = 0; j < 3; j++) {
            String[] f = seen[j].split(" ");
            int i = index[j];
            // the same additions in the same order: the same double
            assertEquals(cvd[i], Double.parseDouble(f[0]), "CVD at kline " + i);
            assertEquals(cvd[i - 49], Double.parseDouble(f[1]), "CVD at the window's first kline, " + (i - 49));
        }
    }

    @Test
    void theNewIndicatorsGiveTheValuesWorkedOutByHand() {
        String code = """
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        hs, ls, cs = [10, 12, 13, 12, 15], [8, 9, 11, 10, 12], [9, 11, 12, 11, 14]
                        print(calculate_atr(hs, ls, cs, 3), calculate_atr(hs, ls, cs, 4), calculate_atr(hs[1:], ls[1:], cs[1:], 4))
                        print(calculate_zscore([1, 2, 3, 4], 4), calculate_zscore([5, 5, 5], 3), calculate_zscore([1, 2], 3))
                        print(calculate_bollinger([1, 2, 3, 4], 4, 2), calculate_bollinger([1, 2, 3], 4))
                        print(calculate_atr(hs, ls, cs) is None, calculate_bollinger(list(range(1, 21)))[1])
                """;
        String[] lines = logs(TestPool.run(code, Klines.hourly(1, 100))).split("\n");
        // TR = 3, 2, 2, 4 (from the second kline): ATR(3) = (7/3 * 2 + 4) / 3 = 26/9; ATR(4) = 11/4; 4 klines: None
        String[] atr = lines[0].split(" ");
        assertEquals(26.0 / 9, Double.parseDouble(atr[0]), 1e-12);
        assertEquals(2.75, Double.parseDouble(atr[1]), 1e-12);
        assertEquals("None", atr[2]);
        // mean 2.5, population variance 1.25: z = 1.5 / sqrt(1.25); a constant window has no z; too few values: None
        String[] z = lines[1].split(" ");
        assertEquals(1.5 / Math.sqrt(1.25), Double.parseDouble(z[0]), 1e-12);
        assertEquals("None", z[1]);
        assertEquals("None", z[2]);
        double sd = Math.sqrt(1.25);
        assertEquals("(" + (2.5 - 2 * sd) + ", 2.5, " + (2.5 + 2 * sd) + ") (None, None, None)", lines[2]);
        assertEquals("True 10.5", lines[3]);
    }

    @Test
    void aSeriesTheRunDoesNotHaveIsAKeyErrorNamingWhatItHas() {
        var r = TestPool.request("""
                class Strategy(IStrategy):
                    def run(self, context, kline, params):
                        self.series("ETHUSDT", "1d")
                """, Klines.hourly(1, 100, 101), Map.of());
        var k = r.klines();
        var out = TestPool.run(r.withInputs(null, List.of(OtherSeries.of("BTCUSDT", "4h", k.slice(0, 1), k.closeTime()))));
        var e = dev.candlebox.sandbox.Outcomes.failed(out, "runtime_error");
        assertTrue(e.message().contains("no series ETHUSDT 1d in this run") && e.message().contains("BTCUSDT 4h"), e.message());
        assertEquals(3, e.line());
    }
}
