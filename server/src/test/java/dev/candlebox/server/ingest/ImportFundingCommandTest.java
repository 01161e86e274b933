package dev.candlebox.server.ingest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.ingest.FakeBinance;
import dev.candlebox.db.ingest.FundingReport;
import dev.candlebox.db.ingest.RawFile;
import dev.candlebox.db.ingest.TestStore;
import dev.candlebox.server.ingest.ImportCommandTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.candlebox.server.ingest.ImportCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code import funding} and {@code import binance-funding} as a user runs them, against a real PostgreSQL schema. */
class ImportFundingCommandTest {
    static final String GG_CMK = "gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz";
    static TestStore pg;
    static FundingStore store;

    @BeforeAll
    static void open() {
        pg = TestStore.fresh(TestStore.Kind.POSTGRESQL);
        store = new FundingStore(pg.database);
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
    void importingAFundingFilePrintsItsReportAndTwiceChangesNothing() {
        Path file = RawFile.path(GG_CMK);
        Run r = run(withPg("import", "funding", "--symbol", "BTCFUNDCLI", file.toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("BTCFUNDCLI funding  <-  " + file + "\n"), r.out());
        assertTrue(r.out().contains("  rows read   1,731   (2025-01-01 00:00 .. 2026-07-31 16:00 UTC)\n"), r.out());
        assertTrue(r.out().contains("  added       1,731   into funding_rates\n"), r.out());
        assertTrue(r.out().contains("  interval    8 h: 1,731\n"), r.out());
        assertTrue(r.out().contains("  gaps        0\n"), r.out());
        assertEquals(1731, store.count("BTCFUNDCLI"));

        Run again = run(withPg("import", "funding", "--symbol", "BTCFUNDCLI", file.toString()));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("  added       0   into funding_rates\n"), again.out());
        assertTrue(again.out().contains("  duplicates  1,731   (1,731 already stored, 0 repeated in the source)\n"), again.out());
        assertEquals(1731, store.count("BTCFUNDCLI"));
    }

    @Test
    void aBadFileFailsWithItsNameAndLineAndTheOthersAreImported(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("ETHUSDT-funding.csv");
        Files.writeString(bad, "fundingTime,fundingRate\n1735689600000,0.0001\n1735718400000,\n");
        Path good = RawFile.path("silertrades__gravestone-data/data/funding/BTCUSDT.csv.gz");
        Run r = run(withPg("import", "funding", bad.toString(), good.toString()));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("import failed: " + bad + " line 3: the funding rate is empty"), r.err());
        assertTrue(r.err().contains("1 of 2 files failed"), r.err());
        assertEquals(0, store.count("ETHUSDT"));
        assertTrue(r.out().contains("  added       200   into funding_rates\n"), r.out());
    }

    @Test
    void aDownloadFromBinancePrintsItsReportAsJson() {
        List<String[]> rows = RawFile.rows(GG_CMK, true).stream().map(f -> new String[]{f[0], f[2], ""}).toList();
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", List.of()).withFunding(rows)) {
            Run r = run(withPg("import", "binance-funding", "--symbol", "BTCUSDT", "--from", "2025-01-01", "--to", "2025-02-01",
                    "--store-as", "BTCFUNDAPI", "--base-url", fake.baseUrl().toString(), "--json"));
            assertEquals(0, r.exit(), r.err());
            FundingReport report = FundingReport.fromJson(r.out().strip());
            assertEquals(93, report.rowsAdded());
            assertEquals("BTCFUNDAPI", report.symbol());
            List<FundingRate> stored = store.between("BTCFUNDAPI", Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(new FundingRate(1735689600000L, new BigDecimal("0.0001"), 8, null), stored.getFirst());
            assertEquals(93, stored.size());
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run reversed = run(withPg("import", "binance-funding", "--symbol", "BTCUSDT", "--from", "2025-02-01", "--to", "2025-01-01"));
        assertEquals(2, reversed.exit());
        assertTrue(reversed.err().contains("the range is empty or reversed"), reversed.err());
        Run hours = run(withPg("import", "funding", "--interval-hours", "0", "x.csv"));
        assertEquals(2, hours.exit());
        assertTrue(hours.err().contains("--interval-hours must be 1 to 24, got 0"), hours.err());
    }
}
