package dev.candlebox.server;

import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.KlineColumns;

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

/**
 * The main real series (BTCUSDT 1h spot, 2019-01-01 .. 2024-07-16, 48,478 rows), read with a plain split of
 * each line: the test's own view of the file, independent of the importer.
 */
public final class MainSeries {
    public static final String FILE = "derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz";
    public static final int ROWS = 48_478;

    private MainSeries() {}

    /** The raw fields of every line, as strings. */
    public static List<String[]> lines() {
        Path file = TestDatabases.testData().resolve(FILE);
        List<String[]> out = new ArrayList<>(ROWS);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.isBlank()) out.add(line.split(","));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static KlineColumns columns(List<String[]> lines) {
        KlineColumns k = new KlineColumns(lines.size());
        for (String[] f : lines) {
            k.add(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]), Double.parseDouble(f[7]),
                    Integer.parseInt(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]));
        }
        return k;
    }
}
