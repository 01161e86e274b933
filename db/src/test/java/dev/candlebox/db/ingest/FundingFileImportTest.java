package dev.candlebox.db.ingest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.ingest.TestStore.Kind;
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

/** The real funding files of testdata/, imported into real PostgreSQL and H2. */
class FundingFileImportTest {
    static final String GG_CMK = "gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz";
    static final String GRAVESTONE = "silertrades__gravestone-data/data/funding/BTCUSDT.csv.gz";
    static final String FREQTRADE_DIR = "aminak58__RL-Trading-Validation/user_data/data/binance/futures";
    static final String FREQTRADE = FREQTRADE_DIR + "/BTC_USDT_USDT-8h-funding_rate.json.gz";

    static FundingFileImport importer(TestStore db) {
        return new FundingFileImport(new FundingStore(db.database), db.log, ImportSettings.defaults());
    }

    static FundingReport importFile(TestStore db, String relative) {
        return importer(db).run(FundingFileImport.Request.of(KlineFile.of(RawFile.path(relative))));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void binancesRestFieldsAreImportedExactly(Kind kind) {
        // the expectation from the raw text: fundingTime,fundingIntervalHours,fundingRate
        List<String[]> raw = RawFile.rows(GG_CMK, true);
        assertEquals(1731, raw.size());
        long offMinute = raw.stream().filter(f -> Long.parseLong(f[0]) % 60_000 != 0).count();

        try (TestStore db = TestStore.fresh(kind)) {
            FundingReport r = importFile(db, GG_CMK);
            assertEquals("BTCUSDT", r.symbol());
            assertEquals(1731, r.rowsRead());
            assertEquals(1731, r.rowsAdded());
            assertEquals(0, r.duplicates().total());
            assertEquals(0, r.gapCount());
            assertEquals(Map.of(8, 1731L), r.intervalHours());
            assertEquals(0, r.intervalsDerived()); // the file states them
            assertEquals(offMinute, r.timesRounded());
            assertTrue(offMinute > 0);
            assertEquals(utc("2025-01-01 00:00"), r.firstTime());
            assertEquals(utc("2026-07-31 16:00"), r.lastTime());
            assertTrue(r.layout().startsWith("CSV (',' separated), gzip; header fundingTime, fundingIntervalHours, fundingRate"), r.layout());
            assertNull(r.error());

            FundingStore store = new FundingStore(db.database);
            List<FundingRate> all = store.between("BTCUSDT", Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(1731, all.size());
            assertEquals(1731, store.count("BTCUSDT"));
            // first row 1735689600015,8,0.00010000: Binance stamped it 15 ms after the settlement
            assertEquals(new FundingRate(1735689600000L, new BigDecimal("0.0001"), 8, null), all.getFirst());
            assertEquals(new FundingRate(1785513600000L, new BigDecimal("0.00005664"), 8, null), all.getLast());
            assertEquals(new BigDecimal("0.00009405"), all.get(1729).rate());
            for (int i = 0; i < raw.size(); i++) {
                long t = Long.parseLong(raw.get(i)[0]);
                assertEquals(t - t % 60_000, all.get(i).timeMs(), "row " + i);
                assertEquals(0, new BigDecimal(raw.get(i)[2]).compareTo(all.get(i).rate()), "row " + i);
            }
            assertEquals(1735689600000L, store.firstTime("BTCUSDT").orElseThrow());
            assertEquals(1785513600000L, store.lastTime("BTCUSDT").orElseThrow());
            assertEquals(List.of("BTCUSDT"), store.symbols());

            List<Object[]> log = db.importLog();
            assertEquals(1, log.size());
            assertEquals("funding_rates/BTCUSDT", log.getFirst()[0]);
            assertEquals(1731L, log.getFirst()[2]);
            assertEquals(r.rowsAdded(), FundingReport.fromJson((String) log.getFirst()[3]).rowsAdded());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void importingTheSameFileAgainChangesNothing(Kind kind) {
        try (TestStore db = TestStore.fresh(kind)) {
            importFile(db, GG_CMK);
            FundingStore store = new FundingStore(db.database);
            List<FundingRate> before = store.between("BTCUSDT", Long.MIN_VALUE, Long.MAX_VALUE);
            FundingReport again = importFile(db, GG_CMK);
            assertEquals(1731, again.rowsRead());
            assertEquals(0, again.rowsAdded());
            assertEquals(1731, again.duplicates().alreadyStored());
            assertEquals(0, again.rateConflictCount());
            assertEquals(before, store.between("BTCUSDT", Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void aFileWithASymbolColumnAndNoIntervalIsToldItsIntervalFromTheSpacing() {
        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            FundingReport r = importFile(db, GRAVESTONE);
            assertEquals("BTCUSDT", r.symbol());
            assertEquals(200, r.rowsAdded());
            assertEquals(Map.of(8, 200L), r.intervalHours());
            assertEquals(200, r.intervalsDerived());
            assertEquals(0, r.gapCount());
            List<FundingRate> all = new FundingStore(db.database).between("BTCUSDT", Long.MIN_VALUE, Long.MAX_VALUE);
            // first row 1768233600000,BTCUSDT,0.00004650; last 1773964800002,BTCUSDT,0.00000625 (no newline after it)
            assertEquals(new FundingRate(utc("2026-01-12 16:00"), new BigDecimal("0.0000465"), 8, null), all.getFirst());
            assertEquals(new FundingRate(utc("2026-03-20 00:00"), new BigDecimal("0.00000625"), 8, null), all.getLast());

            // a --symbol that contradicts the file's symbol column is a slip, not a wish
            ImportException e = assertThrows(ImportException.class, () -> importer(db).run(
                    FundingFileImport.Request.of(KlineFile.of(RawFile.path(GRAVESTONE))).withSymbol("ETHUSDT")));
            assertTrue(e.getMessage().contains("the file's symbol column says BTCUSDT, but --symbol says ETHUSDT"), e.getMessage());
        }
    }

    @Test
    void freqtradesFundingCandlesTakeTheirMarkPricesFromTheSiblingMarkFile() {
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FundingReport r = importFile(db, FREQTRADE);
            assertEquals("BTCUSDT", r.symbol());
            assertEquals(115, r.rowsAdded());
            assertEquals(115, r.markPrices());
            assertTrue(r.markSource().endsWith("BTC_USDT_USDT-8h-mark.json.gz"), r.markSource());
            assertEquals(Map.of(8, 115L), r.intervalHours());
            assertTrue(r.layout().startsWith("JSON freqtrade funding_rate candles (time, rate, 0, 0, 0, 0), gzip"), r.layout());
            List<FundingRate> all = new FundingStore(db.database).between("BTCUSDT", Long.MIN_VALUE, Long.MAX_VALUE);
            // [1758240000000,-0.00000231,0.0,...] and the mark candle [1758240000000,117017.51732609,...]
            assertEquals(new FundingRate(utc("2025-09-19 00:00"), new BigDecimal("-0.00000231"), 8,
                    new BigDecimal("117017.51732609")), all.getFirst());
            // [1758268800005,0.00002109,...]: 5 ms late, paid at the mark candle of 08:00 (open 116850.1)
            assertEquals(new FundingRate(utc("2025-09-19 08:00"), new BigDecimal("0.00002109"), 8,
                    new BigDecimal("116850.1")), all.get(1));
            assertEquals(new FundingRate(utc("2025-10-27 00:00"), new BigDecimal("0.0001"), 8,
                    new BigDecimal("114504.08989855")), all.getLast());
        }
    }

    @Test
    void markPricesArriveLaterWithoutTouchingTheStoredRates(@TempDir Path dir) throws IOException {
        Path rates = dir.resolve("BTCUSDT-rates.csv");
        Files.writeString(rates, "fundingTime,fundingRate\n1758240000000,-0.00000231\n1758268800005,0.00002109\n"
                + "1758297600000,0.00005300\n");
        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            FundingReport first = importer(db).run(FundingFileImport.Request.of(KlineFile.of(rates)));
            assertEquals(3, first.rowsAdded());
            assertEquals(0, first.markPrices());
            FundingReport second = importFile(db, FREQTRADE);
            assertEquals(112, second.rowsAdded());
            assertEquals(3, second.duplicates().alreadyStored());
            assertEquals(3, second.markPricesAdded());
            // the third rate differs from freqtrade's 0.00005264: reported, the stored one kept
            assertEquals(1, second.rateConflictCount());
            assertEquals(new FundingReport.RateConflict(1758297600000L, new BigDecimal("0.000053"), new BigDecimal("0.00005264")),
                    second.rateConflicts().getFirst());
            FundingRate third = new FundingStore(db.database).between("BTCUSDT", 1758297600000L, 1758297600000L).getFirst();
            assertEquals(new FundingRate(1758297600000L, new BigDecimal("0.000053"), 8, new BigDecimal("115827")), third);
        }
    }

    @Test
    void aBadRowRefusesTheFileNamingTheFileAndLineAndStoresNothing(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("BTCUSDT-funding-broken.csv");
        Files.writeString(bad, "fundingTime,fundingIntervalHours,fundingRate\n1735689600015,8,0.00010000\n"
                + "1735718400000,8,0.0001O000\n1735747200001,8,0.00010000\n");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportException e = assertThrows(ImportException.class,
                    () -> importer(db).run(FundingFileImport.Request.of(KlineFile.of(bad))));
            assertEquals(bad + " line 3: funding rate '0.0001O000' is not a number", e.getMessage());
            assertEquals(0, new FundingStore(db.database).count("BTCUSDT"));
        }
    }

    @Test
    void klinesAreNotTakenForFundingRates() {
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            Path mark = RawFile.path(FREQTRADE_DIR + "/BTC_USDT_USDT-8h-mark.json.gz");
            ImportException json = assertThrows(ImportException.class,
                    () -> importer(db).run(FundingFileImport.Request.of(KlineFile.of(mark))));
            assertTrue(json.getMessage().startsWith(mark + " element 1 (line 1, column 2): values [1758240000000, "
                    + "117017.51732609, 117407.67731884, 116570.0, 116850.03902174, 0.0] are not freqtrade's funding_rate candles"),
                    json.getMessage());
            Path klines = RawFile.path("gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz");
            ImportException csv = assertThrows(ImportException.class,
                    () -> importer(db).run(FundingFileImport.Request.of(KlineFile.of(klines))));
            assertTrue(csv.getMessage().startsWith(klines + " line 1: not a funding file: the header ("), csv.getMessage());
            assertTrue(csv.getMessage().endsWith("it looks like klines: import those with `candlebox import file`"), csv.getMessage());
            Path mainSeries = RawFile.path(RawFile.MAIN_SERIES);
            ImportException noHeader = assertThrows(ImportException.class,
                    () -> importer(db).run(FundingFileImport.Request.of(KlineFile.of(mainSeries))));
            assertTrue(noHeader.getMessage().startsWith(mainSeries + " line 1: 12 fields without a header"), noHeader.getMessage());
        }
    }

    @Test
    void aFundingFileGivenToTheKlineImportIsPointedHere() {
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            Path file = RawFile.path(GG_CMK);
            ImportException e = assertThrows(ImportException.class, () -> new FileImport(db.store, db.log,
                    ImportSettings.defaults()).run(FileImport.Request.of(KlineFile.of(file)).withSymbol("BTCUSDT")));
            assertTrue(e.getMessage().startsWith(file + " line 1: not a kline file"), e.getMessage());
            assertTrue(e.getMessage().endsWith("it looks like funding rates: import those with `candlebox import funding`"),
                    e.getMessage());
        }
    }

    @Test
    void missingFundingTimesAreReportedAsGaps(@TempDir Path dir) throws IOException {
        // 8-hourly from 2025-01-01 00:00, with 2025-01-01 16:00 and 2025-01-02 00:00 missing, and a repeated row
        Path file = dir.resolve("ETHUSDT_funding.csv");
        Files.writeString(file, "1735689600000,0.0001\n1735718400000,0.0001\n1735804800000,-0.00002\n"
                + "1735804800000,-0.00002\n1735833600000,0.00003\n");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FundingReport r = importer(db).run(FundingFileImport.Request.of(KlineFile.of(file)));
            assertEquals("ETHUSDT", r.symbol());
            assertEquals(5, r.rowsRead());
            assertEquals(4, r.rowsAdded());
            assertEquals(1, r.duplicates().repeatedInSource());
            assertEquals(Map.of(8, 4L), r.intervalHours());
            assertEquals(1, r.gapCount());
            assertEquals(2, r.missingTimes());
            assertEquals(List.of(new FundingReport.Gap(utc("2025-01-01 08:00"), utc("2025-01-02 08:00"), 2)), r.gaps());
        }
    }
}
