package dev.candlebox.server.ingest;

import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.ingest.RawFile;
import dev.candlebox.db.ingest.TestStore;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.server.ingest.ImportCommandTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.candlebox.server.ingest.ImportCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code import derivatives} as a user runs it, against a real PostgreSQL schema. */
class ImportDerivativesCommandTest {
    static final String COINALYZE = "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_";
    static TestStore pg;
    static Derivatives derivatives;

    @BeforeAll
    static void open() {
        pg = TestStore.fresh(TestStore.Kind.POSTGRESQL);
        derivatives = new Derivatives(pg.database);
    }

    @AfterAll
    static void close() {
        pg.close();
    }

    static String[] withPg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--database-url");
        all.add(pg.url);
        return all.toArray(String[]::new);
    }

    @Test
    void theThreeCoinalyzeExportsPrintTheirReportsWithTheShiftAndTwiceChangeNothing() {
        Path oi = RawFile.path(COINALYZE + "open-interest-history.csv.gz");
        Path ls = RawFile.path(COINALYZE + "long-short-ratio-history.csv.gz");
        Path liq = RawFile.path(COINALYZE + "liquidation-history.csv.gz");
        Run r = run(withPg("import", "derivatives", "--symbol", "BTCDERIVCLI", "--interval", "1h", "--shift-hours", "-6",
                oi.toString(), ls.toString(), liq.toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("BTCDERIVCLI 1h derivatives  <-  " + oi + "\n"), r.out());
        assertTrue(r.out().contains("  interval    1h   (from the --interval)\n"), r.out());
        assertTrue(r.out().contains("  shift       -6 h added to every time (the Coinalyze export's UTC+6 wall times, now UTC)\n"), r.out());
        assertTrue(r.out().contains("  rows read   1,465   (2024-06-19 21:00 .. 2024-08-19 21:00 UTC)\n"), r.out());
        assertTrue(r.out().contains("  added       1,465 into open_interest\n"), r.out());
        assertTrue(r.out().contains("  added       1,463 into long_short_ratio\n"), r.out());
        assertTrue(r.out().contains("  duplicates  2   (0 already stored, 2 repeated in the source)\n"), r.out());
        assertTrue(r.out().contains("  added       1,446 into liquidations\n"), r.out());
        assertTrue(r.out().contains("  gaps        16   (19 missing times)\n"), r.out());
        assertTrue(r.out().contains("  priced      1,446 liquidations in the base asset valued at the kline close from "
                + RawFile.path(COINALYZE + "ohlcv-history.csv.gz") + "\n"), r.out());
        assertEquals(1465, derivatives.openInterest().count("BTCDERIVCLI", Interval.H1));
        assertEquals(1463, derivatives.longShortRatios().count("BTCDERIVCLI", Interval.H1));
        assertEquals(1446, derivatives.liquidations().count("BTCDERIVCLI", Interval.H1));

        Run again = run(withPg("import", "derivatives", "--symbol", "BTCDERIVCLI", "--shift-hours", "-6", "--json", oi.toString()));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("\"rowsAdded\":0,"), again.out());
        assertTrue(again.out().contains("\"duplicates\":{\"alreadyStored\":1465,\"repeatedInSource\":0"), again.out());
        assertTrue(again.out().contains("\"shiftMillis\":-21600000,"), again.out());
        assertEquals(1465, derivatives.openInterest().count("BTCDERIVCLI", Interval.H1));
    }

    @Test
    void aBadFileFailsWithItsNameAndLineAndTheOthersAreImported(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("ETHUSDT_PERP.A_long-short-ratio-history.csv");
        Files.writeString(bad, "2024-06-20 03:00:00,2.4977,71.41,28.59\n2024-06-20 04:00:00,2.5039,71.46\n");
        Path good = RawFile.path("silertrades__gravestone-data/data/oi_4h/BTCUSDT.csv.gz");
        Run r = run(withPg("import", "derivatives", bad.toString(), good.toString()));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("import failed: " + bad + " line 2: 3 fields, but the first row has 4"), r.err());
        assertTrue(r.err().contains("1 of 2 files failed"), r.err());
        assertEquals(0, derivatives.longShortRatios().count("ETHUSDT", Interval.H1));
        assertTrue(r.out().contains("  added       168 into open_interest\n"), r.out());
        assertTrue(r.out().contains("  interval    4h   (from the spacing of the times)\n"), r.out());
    }
}
