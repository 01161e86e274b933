package dev.candlebox.server.ingest;

import dev.candlebox.db.Database;
import dev.candlebox.db.ingest.FileImport;
import dev.candlebox.db.ingest.ImportLog;
import dev.candlebox.db.ingest.ImportReport;
import dev.candlebox.db.ingest.ImportSettings;
import dev.candlebox.db.ingest.KlineFile;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The real klines shipped inside candlebox.jar ({@code sample/}, sources and licences in {@code sample/NOTICE}):
 * BTCUSDT 1h for 2023-01..05 and BTCUSDT/ETHUSDT 1m for 2025-10-29..11-01. Loaded on the first start of an
 * empty database, so that a fresh install has something to chart and backtest.
 */
public final class BundledSample {
    private BundledSample() {}

    /** One bundled file and the series it holds. */
    public record SampleFile(String resource, String symbol, Interval interval) {}

    public static final List<SampleFile> FILES = List.of(
            new SampleFile("sample/BTCUSDT-1h-2023-01.csv.gz", "BTCUSDT", Interval.H1),
            new SampleFile("sample/BTCUSDT-1h-2023-02.csv.gz", "BTCUSDT", Interval.H1),
            new SampleFile("sample/BTCUSDT-1h-2023-03.csv.gz", "BTCUSDT", Interval.H1),
            new SampleFile("sample/BTCUSDT-1h-2023-04.csv.gz", "BTCUSDT", Interval.H1),
            new SampleFile("sample/BTCUSDT-1h-2023-05.csv.gz", "BTCUSDT", Interval.H1),
            new SampleFile("sample/BTCUSDT_1m.csv.gz", "BTCUSDT", Interval.M1),
            new SampleFile("sample/ETHUSDT_1m.csv.gz", "ETHUSDT", Interval.M1));

    /**
     * Imports the sample when the database holds no klines at all, recording each file in
     * {@code candlebox_import}. Returns one report per file, or an empty list when there were klines already.
     */
    public static List<ImportReport> loadIfEmpty(Database database, KlineStore store) {
        return load(store, new ImportLog(database));
    }

    /** As {@link #loadIfEmpty(Database, KlineStore)}, without recording the imports (no database at hand). */
    public static List<ImportReport> loadIfEmpty(KlineStore store) {
        return load(store, ImportLog.none());
    }

    private static List<ImportReport> load(KlineStore store, ImportLog log) {
        if (!store.seriesWithData().isEmpty()) return List.of();
        FileImport importer = new FileImport(store, log, ImportSettings.defaults());
        ClassLoader loader = BundledSample.class.getClassLoader();
        List<ImportReport> reports = new ArrayList<>();
        for (SampleFile f : FILES) {
            reports.add(importer.run(FileImport.Request.of(KlineFile.classpath(f.resource(), loader))
                    .withSymbol(f.symbol()).withInterval(f.interval())));
        }
        return reports;
    }
}
