package dev.candlebox.db.ingest;

import dev.candlebox.db.TestDatabases;

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
 * The text of a file under testdata/, read the plainest way (gunzip, split lines, split on commas): the
 * independent reading tests compare the importer's results with.
 */
public final class RawFile {
    private RawFile() {}

    public static final String MAIN_SERIES = "derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz";

    public static Path path(String relative) {
        return TestDatabases.testData().resolve(relative);
    }

    /** Every line of the file, header included. */
    public static List<String> lines(String relative) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path(relative))), StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) if (!line.isBlank()) out.add(line);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines split on commas (the files under testdata/ quote nothing). */
    public static List<String[]> rows(String relative, boolean skipHeader) {
        List<String> lines = lines(relative);
        return lines.subList(skipHeader ? 1 : 0, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }
}
