package dev.candlebox.db.ingest;

import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.derivatives.Liquidations;
import dev.candlebox.db.derivatives.LongShortRatio;
import dev.candlebox.db.derivatives.OpenInterest;
import dev.candlebox.db.ingest.TestStore.Kind;
import dev.candlebox.db.kline.Interval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.candlebox.db.ingest.KlineFileReaderTest.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real open-interest, long/short and liquidation files of testdata/, imported into real PostgreSQL and H2. */
class DerivativesFileImportTest {
    static final String COINALYZE = "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_";
    static final String OI = COINALYZE + "open-interest-history.csv.gz";
    static final String LONG_SHORT = COINALYZE + "long-short-ratio-history.csv.gz";
    static final String LIQUIDATIONS = COINALYZE + "liquidation-history.csv.gz";
    static final String GRAVESTONE_OI = "silertrades__gravestone-data/data/oi_4h/BTCUSDT.csv.gz";
    static final long MINUS_6H = -6 * 3_600_000L;

    static DerivativesReport importFile(TestStore db, String relative, long shift) {
        return new DerivativesFileImport(new Derivatives(db.database), db.log, ImportSettings.defaults())
                .run(DerivativesFileImport.Request.of(KlineFile.of(RawFile.path(relative))).withShiftMillis(shift));
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void coinalyzesOpenInterestIsShiftedFromUtcPlus6AndStoredExactly(Kind kind) {
        // first line 2024-06-20 03:00:00,75707.535,75760.75,75280.738,75286.992 (UTC+6: 2024-06-19 21:00 UTC)
        try (TestStore db = TestStore.fresh(kind)) {
            DerivativesReport r = importFile(db, OI, MINUS_6H);
            assertEquals("BTCUSDT", r.symbol());
            assertEquals("1h", r.interval());
            assertEquals("spacing of the times", r.intervalFrom());
            assertEquals(List.of("open_interest"), r.tables());
            assertEquals(1465, r.rowsRead());
            assertEquals(1465, r.rowsAdded());
            assertEquals(0, r.duplicates().total());
            assertEquals(0, r.gapCount());
            assertEquals(utc("2024-06-19 21:00"), r.firstTime());
            assertEquals(utc("2024-08-19 21:00"), r.lastTime());
            assertEquals(MINUS_6H, r.shiftMillis());
            assertEquals("-6 h added to every time (the Coinalyze export's UTC+6 wall times, now UTC)", r.shift());
            assertTrue(r.layout().startsWith("CSV (',' separated), gzip; Coinalyze open-interest export"), r.layout());
            assertNull(r.error());

            List<OpenInterest> all = new Derivatives(db.database).openInterest().between("BTCUSDT", Interval.H1, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(1465, all.size());
            assertEquals(new OpenInterest(utc("2024-06-19 21:00"), d("75286.992"), null), all.getFirst());
            assertEquals(new OpenInterest(utc("2024-08-19 21:00"), d("80011.442"), null), all.getLast());

            List<Object[]> log = db.importLog();
            assertEquals("open_interest/BTCUSDT/1h", log.getLast()[0]);
            assertEquals(MINUS_6H, DerivativesReport.fromJson((String) log.getLast()[3]).shiftMillis());

            DerivativesReport again = importFile(db, OI, MINUS_6H);
            assertEquals(0, again.rowsAdded());
            assertEquals(1465, again.duplicates().alreadyStored());
            assertEquals(0, again.conflictCount());
            assertEquals(all, new Derivatives(db.database).openInterest().between("BTCUSDT", Interval.H1, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void aCoinalyzeExportWithoutTheShiftIsStoredAsWrittenAndTheReportSaysSo() {
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            DerivativesReport r = importFile(db, OI, 0);
            assertEquals(utc("2024-06-20 03:00"), r.firstTime());
            assertEquals("none: the Coinalyze exports store UTC+6 wall times, so these times are 6 hours late; "
                    + "import again with --shift-hours -6", r.shift());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void coinalyzesLongShortSharesArePerCentAndStoredAsFractions(Kind kind) {
        try (TestStore db = TestStore.fresh(kind)) {
            DerivativesReport r = importFile(db, LONG_SHORT, MINUS_6H);
            assertEquals(List.of("long_short_ratio"), r.tables());
            assertEquals(1465, r.rowsRead());
            // the exporter filled two missing hours with copies of the hour before (lines 707-710)
            assertEquals(1463, r.rowsAdded());
            assertEquals(2, r.duplicates().repeatedInSource());
            assertEquals(2, r.gapCount());
            assertEquals(2, r.missingTimes());
            assertEquals(new DerivativesReport.Gap(utc("2024-07-19 06:00"), utc("2024-07-19 08:00"), 1), r.gaps().getFirst());

            List<LongShortRatio> all = new Derivatives(db.database).longShortRatios().between("BTCUSDT", Interval.H1, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(1463, all.size());
            assertEquals(new LongShortRatio(utc("2024-06-19 21:00"), d("2.4977"), d("0.7141"), d("0.2859")), all.getFirst());
            assertEquals(new LongShortRatio(utc("2024-08-19 21:00"), d("1.8588"), d("0.6502"), d("0.3498")), all.getLast());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void coinalyzesLiquidationsInBtcAreValuedAtTheCloseOfItsOhlcvExport(Kind kind) {
        try (TestStore db = TestStore.fresh(kind)) {
            DerivativesReport r = importFile(db, LIQUIDATIONS, MINUS_6H);
            assertEquals(List.of("liquidations"), r.tables());
            assertEquals(1465, r.rowsRead());
            assertEquals(1446, r.rowsAdded());
            assertEquals(19, r.duplicates().repeatedInSource());
            assertEquals(16, r.gapCount());
            assertEquals(19, r.missingTimes());
            assertEquals(1465, r.valuesRounded()); // 0.9740000000000001 and the like
            assertEquals(1446, r.liquidationsPriced());
            assertEquals(0, r.liquidationsUnpriced());
            assertTrue(r.priceSource().endsWith("BTCUSDT_PERP.A_ohlcv-history.csv.gz"), r.priceSource());

            List<Liquidations> all = new Derivatives(db.database).liquidations().between("BTCUSDT", Interval.H1, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(1446, all.size());
            // 2024-06-20 03:00:00,0.013,0.9740000000000001; the ohlcv export's close then: 64973
            assertEquals(new Liquidations(utc("2024-06-19 21:00"), d("844.649"), d("63283.702"), d("0.013"), d("0.974")), all.getFirst());
            // 2024-08-20 03:00:00,0.14800000000000002,0.029; close 58936.1
            assertEquals(new Liquidations(utc("2024-08-19 21:00"), d("8722.5428"), d("1709.1469"), d("0.148"), d("0.029")), all.getLast());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void binancesOpenInterestHistoryWithValuesIsToldItsIntervalFromTheSpacing(Kind kind) {
        try (TestStore db = TestStore.fresh(kind)) {
            DerivativesReport r = importFile(db, GRAVESTONE_OI, 0);
            assertEquals("BTCUSDT", r.symbol());
            assertEquals("4h", r.interval());
            assertEquals(168, r.rowsAdded());
            assertEquals(0, r.gapCount());
            assertEquals("none", r.shift());
            assertEquals(1771560000000L, r.firstTime()); // 2026-02-20 04:00
            assertEquals(1773964800000L, r.lastTime());  // 2026-03-20 00:00
            assertTrue(r.layout().startsWith("CSV (',' separated), gzip; header timestamp, symbol, sum_open_interest, "
                    + "sum_open_interest_value; times: epoch milliseconds"), r.layout());

            List<OpenInterest> all = new Derivatives(db.database).openInterest().between("BTCUSDT", Interval.H4, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(168, all.size());
            assertEquals(new OpenInterest(1771560000000L, d("80485.615"), d("5419496040.188065")), all.getFirst());
            assertEquals(new OpenInterest(1773964800000L, d("86874.419"), d("6072083733.190474")), all.getLast());
            assertEquals(List.of(Interval.H4), new Derivatives(db.database).intervals("BTCUSDT"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aBadRowRefusesTheFileNamingTheFileAndLineAndStoresNothing(Kind kind, @TempDir Path dir) throws IOException {
        Path bad = dir.resolve("BTCUSDT_PERP.A_open-interest-history.csv");
        Files.writeString(bad, "2024-06-20 03:00:00,75707.535,75760.75,75280.738,75286.992\n"
                + "2024-06-20 04:00:00,75286.363,75474.925,75284.266,75464.7O2\n");
        try (TestStore db = TestStore.fresh(kind)) {
            ImportException e = assertThrows(ImportException.class, () -> new DerivativesFileImport(new Derivatives(db.database),
                    db.log, ImportSettings.defaults()).run(DerivativesFileImport.Request.of(KlineFile.of(bad)).withShiftMillis(MINUS_6H)));
            assertEquals(bad + " line 2: open interest '75464.7O2' is not a number", e.getMessage());
            assertEquals(0, new Derivatives(db.database).openInterest().count("BTCUSDT", Interval.H1));
            assertEquals(List.of(), new Derivatives(db.database).symbols());
            DerivativesReport logged = DerivativesReport.fromJson((String) db.importLog().getLast()[3]);
            assertEquals(e.getMessage(), logged.error());
            assertEquals(0, logged.rowsAdded());
        }
    }

    @Test
    void aKlineOrFundingFileIsPointedToItsOwnImport(@TempDir Path dir) throws IOException {
        Path funding = dir.resolve("BTCUSDT-funding.csv");
        Files.writeString(funding, "fundingTime,fundingRate\n1735689600000,0.0001\n");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportException e = assertThrows(ImportException.class, () -> new DerivativesFileImport(new Derivatives(db.database),
                    db.log, ImportSettings.defaults()).run(DerivativesFileImport.Request.of(KlineFile.of(funding))));
            assertTrue(e.getMessage().startsWith(funding + " line 1: not a derivatives file: the header (fundingTime, fundingRate)"), e.getMessage());
            assertTrue(e.getMessage().endsWith("import those with `candlebox import funding`"), e.getMessage());
            ImportException k = assertThrows(ImportException.class, () -> importFile(db, COINALYZE + "ohlcv-history.csv.gz", MINUS_6H));
            assertTrue(k.getMessage().contains("line 1: 9 fields without a header"), k.getMessage());
        }
    }
}
