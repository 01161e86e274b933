package dev.candlebox.sandbox;

import dev.candlebox.sandbox.engine.DerivativeColumns.Periods;
import dev.candlebox.sandbox.engine.KlineSeries;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A plain reader of the Coinalyze BTC perpetual export in testdata/ (hourly rows, times written in UTC+6, some hours
 * repeated: the first row of an hour is kept).
 */
public final class CoinalyzeExport {
    public static final long HOUR = 3_600_000L;
    public static final Path DIR = Klines.testData().resolve("denizyts__Coinalyze-Backtester/src/csvFolder");
    /** The export writes its times in UTC+6. */
    public static final ZoneOffset ZONE = ZoneOffset.ofHours(6);

    private CoinalyzeExport() { }

    public static List<String[]> rows(Path gz) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.US_ASCII))) {
            return r.lines().filter(s -> !s.isBlank()).map(s -> s.split(",")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTC open time (ms) -> the row's columns. */
    public static Map<Long, String[]> file(String name) {
        Map<Long, String[]> out = new LinkedHashMap<>();
        for (String[] f : rows(DIR.resolve(name))) {
            long t = LocalDateTime.parse(f[0], DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).toInstant(ZONE).toEpochMilli();
            out.putIfAbsent(t, f);
        }
        return out;
    }

    /** The hourly values of one column. */
    public static Periods hourly(String name, int column) {
        Map<Long, String[]> rows = file(name);
        long[] t = rows.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        double[] v = new double[t.length];
        for (int j = 0; j < t.length; j++) v[j] = Double.parseDouble(rows.get(t[j])[column]);
        return new Periods(t, HOUR, v);
    }

    /** BTCUSDT perpetual hourly klines; taker buy volume = Coinalyze's buy volume (column bv). */
    public static KlineSeries btcKlines() {
        Map<Long, String[]> ohlcv = file("BTCUSDT_PERP.A_ohlcv-history.csv.gz");
        long[] t = ohlcv.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int n = t.length;
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n], bv = new double[n];
        long[] ct = new long[n];
        for (int i = 0; i < n; i++) {
            String[] f = ohlcv.get(t[i]);
            o[i] = Double.parseDouble(f[1]);
            h[i] = Double.parseDouble(f[2]);
            l[i] = Double.parseDouble(f[3]);
            c[i] = Double.parseDouble(f[4]);
            v[i] = Double.parseDouble(f[5]);
            bv[i] = Double.parseDouble(f[6]);
            ct[i] = t[i] + HOUR - 1;
        }
        double[] nan = new double[n];
        Arrays.fill(nan, Double.NaN);
        int[] trades = new int[n];
        Arrays.fill(trades, -1);
        return new KlineSeries(t, o, h, l, c, v, ct, nan, trades, bv, nan.clone());
    }
}
