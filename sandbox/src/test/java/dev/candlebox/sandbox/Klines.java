package dev.candlebox.sandbox;

import dev.candlebox.sandbox.engine.KlineSeries;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Kline series for tests: hand-made ones and the real Binance data in testdata/. */
public final class Klines {
    private Klines() { }

    public static final long HOUR = 3_600_000L;
    /** 2024-01-01T00:00:00Z */
    public static final long T0 = 1_704_067_200_000L;

    /** Hourly klines from T0 with the given closes; open = previous close, high/low = max/min ± spread. */
    public static KlineSeries hourly(double spread, double... closes) {
        int n = closes.length;
        long[] ot = new long[n];
        long[] ct = new long[n];
        double[] o = new double[n], h = new double[n], l = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            ot[i] = T0 + i * HOUR;
            ct[i] = ot[i] + HOUR - 1;
            o[i] = i == 0 ? closes[0] : closes[i - 1];
            h[i] = Math.max(o[i], closes[i]) + spread;
            l[i] = Math.min(o[i], closes[i]) - spread;
            v[i] = 1;
        }
        return KlineSeries.ohlcv(ot, o, h, l, closes.clone(), v, ct);
    }

    /** A deterministic wave of n hourly klines around 100. */
    public static KlineSeries wave(int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = 100 + 10 * Math.sin(i / 10.0) + 3 * Math.sin(i / 3.7);
        return hourly(0.5, c);
    }

    /** The repository's {@code testdata/} folder: real market data, with its provenance in its README. */
    public static Path testData() {
        Path p = Path.of(System.getProperty("candlebox.testdata", "../testdata"));
        if (!java.nio.file.Files.isDirectory(p)) throw new AssertionError("test data folder not found: " + p.toAbsolutePath());
        return p;
    }

    /** The main series: BTCUSDT spot 1h 2019-01-01 .. 2024-07-16, 12-column Binance CSV, gzip, no header. */
    public static KlineSeries btc1h() {
        return readBinanceCsv(testData().resolve("derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"));
    }

    /**
     * A CSV of klines with or without a header row: 12 Binance columns, or {@code open_time,open,high,low,close,volume}
     * (close time = open time + {@code intervalMs} - 1, no taker volume).
     */
    public static KlineSeries readCsv(Path file, long intervalMs) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII))) {
            var rows = r.lines().filter(s -> !s.isBlank() && Character.isDigit(s.charAt(0))).map(s -> s.split(",")).toList();
            int n = rows.size();
            long[] ot = new long[n], ct = new long[n];
            double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
            for (int i = 0; i < n; i++) {
                String[] f = rows.get(i);
                ot[i] = Long.parseLong(f[0]);
                o[i] = Double.parseDouble(f[1]);
                h[i] = Double.parseDouble(f[2]);
                l[i] = Double.parseDouble(f[3]);
                c[i] = Double.parseDouble(f[4]);
                v[i] = Double.parseDouble(f[5]);
                ct[i] = f.length >= 12 ? Long.parseLong(f[6]) : ot[i] + intervalMs - 1;
            }
            KlineSeries k = KlineSeries.ohlcv(ot, o, h, l, c, v, ct);
            if (n == 0 || rows.get(0).length < 12) return k;
            for (int i = 0; i < n; i++) {
                String[] f = rows.get(i);
                k.quoteVolume()[i] = Double.parseDouble(f[7]);
                k.tradesCount()[i] = Integer.parseInt(f[8]);
                k.takerBuyBaseVolume()[i] = Double.parseDouble(f[9]);
                k.takerBuyQuoteVolume()[i] = Double.parseDouble(f[10]);
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KlineSeries readBinanceCsv(Path file) {
        return readCsv(file, 0);
    }

    /** Klines of {@code periodMs} from consecutive lower ones: complete periods only (every lower kline present). */
    public static KlineSeries aggregate(KlineSeries k, long periodMs) {
        long step = k.closeTime()[0] - k.openTime()[0] + 1;
        int per = (int) (periodMs / step);
        List<double[]> rows = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (int i = 0; i < k.size(); i++) {
            if (k.openTime()[i] % periodMs != 0 || i + per > k.size()) continue;
            if (k.openTime()[i + per - 1] != k.openTime()[i] + periodMs - step) continue;
            double hi = Double.NEGATIVE_INFINITY, lo = Double.POSITIVE_INFINITY, vol = 0;
            for (int j = i; j < i + per; j++) {
                hi = Math.max(hi, k.high()[j]);
                lo = Math.min(lo, k.low()[j]);
                vol += k.volume()[j];
            }
            rows.add(new double[]{k.open()[i], hi, lo, k.close()[i + per - 1], vol});
            times.add(new long[]{k.openTime()[i], k.openTime()[i] + periodMs - 1});
        }
        int n = rows.size();
        long[] ot = new long[n], ct = new long[n];
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            ot[i] = times.get(i)[0];
            ct[i] = times.get(i)[1];
            double[] r = rows.get(i);
            o[i] = r[0];
            h[i] = r[1];
            l[i] = r[2];
            c[i] = r[3];
            v[i] = r[4];
        }
        return KlineSeries.ohlcv(ot, o, h, l, c, v, ct);
    }

}
