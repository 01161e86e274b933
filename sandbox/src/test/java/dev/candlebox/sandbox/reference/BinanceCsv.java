package dev.candlebox.sandbox.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the test data's kline files (gzip) into columns: the Binance 12-column layout
 * (open_time, open, high, low, close, volume, close_time, quote_volume, trades, taker_buy_base,
 * taker_buy_quote, ignore) and the 6-column {@code open_time_ms,o,h,l,c,v} layout. A header row,
 * if there is one, is skipped. Deliberately small and separate from the product's importers.
 */
public final class BinanceCsv {

    private BinanceCsv() {
    }

    /** A 12-column Binance kline file, times in epoch ms. */
    public static ReferenceKlines read(Path gz) {
        return parse(gz, 12, 0);
    }

    /** A 6-column OHLCV file; close_time is open_time + interval - 1 ms, the other columns are 0. */
    public static ReferenceKlines readOhlcv(Path gz, Duration interval) {
        return parse(gz, 6, interval.toMillis());
    }

    private static ReferenceKlines parse(Path gz, int columns, long intervalMs) {
        Columns c = new Columns();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.US_ASCII))) {
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (first && !Character.isDigit(f[0].charAt(0))) {
                    first = false;
                    continue; // header row
                }
                first = false;
                if (f.length < columns) {
                    throw new IllegalArgumentException(gz + ": expected " + columns + " columns: " + line);
                }
                long openTime = Long.parseLong(f[0]);
                if (columns == 12) {
                    c.add(openTime, f[1], f[2], f[3], f[4], f[5], Long.parseLong(f[6]), Double.parseDouble(f[7]),
                            Integer.parseInt(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]));
                } else {
                    c.add(openTime, f[1], f[2], f[3], f[4], f[5], openTime + intervalMs - 1, 0, 0, 0, 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.toKlines();
    }

    /** Growable columns. */
    private static final class Columns {
        int n;
        long[] openTime = new long[1024];
        long[] closeTime = new long[1024];
        int[] trades = new int[1024];
        double[][] d = new double[8][1024];

        void add(long ot, String o, String h, String l, String cl, String v, long ct, double qv, int tr,
                 double tbb, double tbq) {
            if (n == openTime.length) {
                int cap = n * 2;
                openTime = Arrays.copyOf(openTime, cap);
                closeTime = Arrays.copyOf(closeTime, cap);
                trades = Arrays.copyOf(trades, cap);
                for (int i = 0; i < d.length; i++) {
                    d[i] = Arrays.copyOf(d[i], cap);
                }
            }
            openTime[n] = ot;
            closeTime[n] = ct;
            trades[n] = tr;
            d[0][n] = Double.parseDouble(o);
            d[1][n] = Double.parseDouble(h);
            d[2][n] = Double.parseDouble(l);
            d[3][n] = Double.parseDouble(cl);
            d[4][n] = Double.parseDouble(v);
            d[5][n] = qv;
            d[6][n] = tbb;
            d[7][n] = tbq;
            n++;
        }

        ReferenceKlines toKlines() {
            return new ReferenceKlines(Arrays.copyOf(openTime, n), Arrays.copyOf(d[0], n), Arrays.copyOf(d[1], n),
                    Arrays.copyOf(d[2], n), Arrays.copyOf(d[3], n), Arrays.copyOf(d[4], n),
                    Arrays.copyOf(closeTime, n), Arrays.copyOf(d[5], n), Arrays.copyOf(trades, n),
                    Arrays.copyOf(d[6], n), Arrays.copyOf(d[7], n));
        }
    }
}
