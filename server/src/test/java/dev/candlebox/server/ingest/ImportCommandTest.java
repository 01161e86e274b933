package dev.candlebox.server.ingest;

import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.ingest.FakeBinance;
import dev.candlebox.db.ingest.ImportReport;
import dev.candlebox.db.ingest.RawFile;
import dev.candlebox.db.ingest.TestStore;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user runs it, against a real PostgreSQL schema or the embedded H2 default. */
class ImportCommandTest {
    static TestStore pg;

    @BeforeAll
    static void open() {
        pg = TestStore.fresh(TestStore.Kind.POSTGRESQL);
    }

    @AfterAll
    static void close() {
        pg.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new Cli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String[] withPg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--database-url");
        all.add(pg.url);
        return all.toArray(String[]::new);
    }

    @Test
    void importingTheMainSeriesPrintsItsReport() {
        Run r = run(withPg("import", "file", RawFile.path(RawFile.MAIN_SERIES).toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("BTCUSDT 1h  <-  " + RawFile.path(RawFile.MAIN_SERIES)), r.out());
        assertTrue(r.out().contains("  rows read   48,478   (2019-01-01 00:00 .. 2024-07-16 08:00 UTC)\n"), r.out());
        assertTrue(r.out().contains("  added       48,478   into t_kline_btcusdt_1h\n"), r.out());
        assertTrue(r.out().contains("  gaps        21   (83 missing klines)\n"), r.out());
        assertTrue(r.out().contains("      2019-05-15 02:00 -> 2019-05-15 13:00   10 missing\n"), r.out());
        assertTrue(r.out().contains("      ... 1 more (listed with --json and in candlebox_import.report)"), r.out());
        assertEquals(48_478, pg.store.count(new Series("BTCUSDT", Interval.H1)));
    }

    @Test
    void severalFilesAsJsonAndTheCoinalyzeShift() {
        List<String> args = new ArrayList<>(List.of("import", "file", "--json", "--symbol", "BTCMONTHS"));
        for (int m = 1; m <= 5; m++) args.add(RawFile.path("intabyu__interview-at/data/BTCUSDT-1h-2023-0" + m + ".csv.gz").toString());
        Run r = run(withPg(args.toArray(String[]::new)));
        assertEquals(0, r.exit(), r.err());
        List<ImportReport> reports = r.out().lines().map(ImportReport::fromJson).toList();
        assertEquals(List.of(744L, 672L, 743L, 720L, 744L), reports.stream().map(ImportReport::rowsAdded).toList());
        assertEquals(3623, pg.store.count(new Series("BTCMONTHS", Interval.H1)));

        Run c = run(withPg("import", "file", "--interval", "1h", "--shift-hours", "-6", "--symbol", "ETHCOINALYZE",
                RawFile.path("denizyts__Coinalyze-Backtester/src/csvFolder/ETHUSDT_PERP.A_ohlcv-history.csv.gz").toString()));
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("(2024-06-19 21:00 .. 2024-08-19 20:00 UTC)"), c.out());
        assertTrue(c.out().contains("  shifted     -6.00 h\n"), c.out());
        assertTrue(c.out().contains("      2024-08-19 21:00  last row of a source without close times"), c.out());
    }

    @Test
    void unreadableFilesFailWithTheirNameAndLine() {
        Path funding = RawFile.path("gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz");
        Path good = RawFile.path("intabyu__interview-at/data/BTCUSDT-1h-2023-04.csv.gz");
        Run r = run(withPg("import", "file", "--symbol", "BTCAPRIL", funding.toString(), "no/such/file.csv", good.toString()));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("import failed: " + funding + " line 1: not a kline file"), r.err());
        assertTrue(r.err().contains("import failed: no/such/file.csv: cannot open: no/such/file.csv: no such file"), r.err());
        assertTrue(r.err().contains("2 of 3 files failed"), r.err());
        assertEquals(720, pg.store.count(new Series("BTCAPRIL", Interval.H1))); // the good one is imported all the same
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run r = run(withPg("import", "file", "--interval", "2x", "x.csv"));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("'2x' is not an interval; one of 1m, 3m"), r.err());

        Run reversed = run(withPg("import", "binance", "--symbol", "BTCUSDT", "--interval", "1h",
                "--from", "2024-02-01", "--to", "2024-01-01"));
        assertEquals(2, reversed.exit());
        assertTrue(reversed.err().contains("the range is empty or reversed"), reversed.err());

        Run badTime = run(withPg("import", "binance", "--symbol", "BTCUSDT", "--interval", "1h", "--from", "yesterday"));
        assertEquals(2, badTime.exit());
        assertTrue(badTime.err().contains("'yesterday' is not a time"), badTime.err());
    }

    @Test
    void withoutADatabaseUrlTheEmbeddedDatabaseInTheDataFolderIsUsed(@TempDir Path dir) {
        Run r = run("import", "file", "--data-dir", dir.toString(),
                RawFile.path("intabyu__interview-at/data/BTCUSDT-1h-2023-02.csv.gz").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("candlebox.mv.db")));
        try (Database db = Database.open(DatabaseUrl.embedded(dir), 2)) {
            assertEquals(672, new KlineStore(db).count(new Series("BTCUSDT", Interval.H1)));
        }
    }

    @Test
    void binanceDownloadsThroughTheCommandLineAndFailuresSaySoAndHowToGoOn() {
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", RawFile.rows(RawFile.MAIN_SERIES, false))) {
            Run r = run(withPg("import", "binance", "--symbol", "BTCUSDT", "--interval", "1h", "--from", "2019-05-14",
                    "--to", "2019-05-17T00:00", "--base-url", fake.baseUrl().toString(), "--store-as", "BTCFAKE"));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("  added       62   into t_kline_btcfake_1h\n"), r.out());
            assertTrue(r.out().contains("      2019-05-15 02:00 -> 2019-05-15 13:00   10 missing\n"), r.out());
            assertEquals(62, pg.store.count(new Series("BTCFAKE", Interval.H1)));

            fake.failAlways(new FakeBinance.Fault.ServerError(502));
            Run f = run(withPg("import", "binance", "--symbol", "BTCUSDT", "--interval", "1h", "--from", "2019-06-01",
                    "--to", "2019-06-02", "--base-url", fake.baseUrl().toString(), "--store-as", "BTCFAKE",
                    "--max-attempts", "2", "--backoff", "0.01"));
            assertEquals(1, f.exit());
            assertTrue(f.err().contains("attempt 1 of 2 failed (HTTP 502"), f.err());
            assertTrue(f.err().contains("import failed: Binance spot klines BTCUSDT 1h from 2019-06-01T00:00:00Z: failed after 2 attempts"), f.err());
        }
    }
}
