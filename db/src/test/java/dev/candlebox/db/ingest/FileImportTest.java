package dev.candlebox.db.ingest;

import dev.candlebox.db.ingest.ImportReport.DropReason;
import dev.candlebox.db.ingest.ImportReport.DroppedCandle;
import dev.candlebox.db.ingest.ImportReport.Gap;
import dev.candlebox.db.ingest.ImportReport.OhlcProblem;
import dev.candlebox.db.ingest.ImportReport.OhlcViolation;
import dev.candlebox.db.ingest.TestStore.Kind;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static dev.candlebox.db.ingest.KlineFileReaderTest.utc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileImportTest {
    static final Series BTC_1H = new Series("BTCUSDT", Interval.H1);
    static final long HOUR = 3_600_000L;

    static ImportReport importFile(TestStore db, Path file) {
        return new FileImport(db.store, db.log, ImportSettings.defaults()).run(FileImport.Request.of(KlineFile.of(file)));
    }

    @Test
    void theMainSeriesReportListsAllItsRealGaps() {
        // the expectation, computed with a plain loop over the raw text
        List<String[]> raw = RawFile.rows(RawFile.MAIN_SERIES, false);
        List<Gap> expected = new ArrayList<>();
        long missing = 0;
        int irregular = 0;
        for (int i = 0; i < raw.size(); i++) {
            long open = Long.parseLong(raw.get(i)[0]);
            if (Long.parseLong(raw.get(i)[6]) != open + HOUR - 1) irregular++;
            if (i == 0) continue;
            long prev = Long.parseLong(raw.get(i - 1)[0]);
            if (open - prev != HOUR) {
                expected.add(new Gap(prev, open, (open - prev) / HOUR - 1));
                missing += (open - prev) / HOUR - 1;
            }
        }
        assertEquals(21, expected.size());
        assertEquals(83, missing);

        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            long t0 = System.nanoTime();
            ImportReport r = importFile(db, RawFile.path(RawFile.MAIN_SERIES));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("main series on PostgreSQL: %d rows in %.2f s = %.0f rows/s%n", r.rowsRead(), seconds, r.rowsRead() / seconds);

            assertEquals(expected, r.gaps());
            assertEquals(21, r.gapCount());
            assertEquals(83, r.missingBars());
            // one of them, as the data README names it: 2019-05-15 02:00 -> 13:00, ten hours missing
            assertTrue(r.gaps().contains(new Gap(utc("2019-05-15 02:00"), utc("2019-05-15 13:00"), 10)));

            assertEquals(48_478, r.rowsRead());
            assertEquals(48_478, r.rowsAdded());
            assertEquals(0, r.duplicates().total());
            assertEquals(0, r.rowsDropped());
            assertEquals(0, r.ohlcViolationCount());
            assertEquals(irregular, r.irregularCloseTimeCount());
            assertEquals(new ImportReport.IrregularCloseTime(1559941200000L, 1559941993524L, 1559941200000L + HOUR - 1),
                    r.irregularCloseTimes().getFirst());
            assertEquals(utc("2019-01-01 00:00"), r.firstOpenTime());
            assertEquals(utc("2024-07-16 08:00"), r.lastOpenTime());
            assertEquals("t_kline_btcusdt_1h", r.table());
            assertNull(r.error());

            assertEquals(48_478, db.store.count(BTC_1H));
            KlineColumns stored = db.all(BTC_1H);
            for (int i : new int[]{0, 3773, 31_000, raw.size() - 1}) {
                String[] f = raw.get(i);
                assertEquals(Long.parseLong(f[0]), stored.openTime(i));
                assertEquals(Double.parseDouble(f[1]), stored.open(i));
                assertEquals(Double.parseDouble(f[2]), stored.high(i));
                assertEquals(Double.parseDouble(f[3]), stored.low(i));
                assertEquals(Double.parseDouble(f[4]), stored.close(i));
                assertEquals(Double.parseDouble(f[5]), stored.volume(i));
                assertEquals(Long.parseLong(f[6]), stored.closeTime(i));
                assertEquals(Double.parseDouble(f[7]), stored.quoteVolume(i));
                assertEquals(Integer.parseInt(f[8]), stored.tradesCount(i));
            }

            List<Object[]> log = db.importLog();
            assertEquals(1, log.size());
            assertEquals("t_kline_btcusdt_1h", log.getFirst()[0]);
            assertEquals(48_478L, log.getFirst()[1]);
            assertEquals(48_478L, log.getFirst()[2]);
            assertEquals(r, ImportReport.fromJson((String) log.getFirst()[3]));
            assertEquals(RawFile.path(RawFile.MAIN_SERIES).toString(), log.getFirst()[4]);
            List<ImportLog.Entry> recent = db.log.recent("t_kline_btcusdt_1h", 5);
            assertEquals(1, recent.size());
            assertEquals(r, recent.getFirst().report());
            assertEquals(48_478, recent.getFirst().rowsAdded());
        }
    }

    @Test
    void aFileNewestFirstIsStoredAndAnalysedInTimeOrder(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines("intabyu__interview-at/data/BTCUSDT-1h-2023-03.csv.gz"));
        List<String> reversed = new ArrayList<>(lines.subList(1, lines.size()));
        java.util.Collections.reverse(reversed);
        reversed.addFirst(lines.getFirst());
        Path f = Files.write(dir.resolve("BTCUSDT-1h-2023-03.csv"), reversed);
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportReport r = importFile(db, f);
            assertEquals(743, r.rowsAdded());
            // Binance's own hole in March 2023: 2023-03-24 12:00 -> 14:00
            assertEquals(List.of(new Gap(utc("2023-03-24 12:00"), utc("2023-03-24 14:00"), 1)), r.gaps());
            assertEquals(utc("2023-03-01 00:00"), r.firstOpenTime());
            assertEquals(utc("2023-03-31 23:00"), r.lastOpenTime());
            assertEquals(utc("2023-03-01 00:00"), db.all(BTC_1H).openTime(0));
        }
    }

    /** The main series on PostgreSQL; on H2 (whose batch inserts are slower) the BTC 1m file with ISO times. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void importingTheSameFileTwiceChangesNothing(Kind kind) {
        String file = kind == Kind.POSTGRESQL ? RawFile.MAIN_SERIES : "Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz";
        Series series = kind == Kind.POSTGRESQL ? BTC_1H : new Series("BTCUSDT", Interval.M1);
        int rows = kind == Kind.POSTGRESQL ? 48_478 : 4_320;
        try (TestStore db = TestStore.fresh(kind)) {
            ImportReport first = importFile(db, RawFile.path(file));
            assertEquals(rows, first.rowsAdded());
            KlineColumns before = db.all(series);
            assertEquals(rows, before.size());

            ImportReport second = importFile(db, RawFile.path(file));
            assertEquals(rows, second.rowsRead());
            assertEquals(0, second.rowsAdded());
            assertEquals(rows, second.duplicates().alreadyStored());
            assertEquals(0, second.duplicates().repeatedInSource());
            assertEquals(first.gaps(), second.gaps());

            KlineColumns after = db.all(series);
            assertArrayEquals(before.openTimes(), after.openTimes());
            assertArrayEquals(before.opens(), after.opens());
            assertArrayEquals(before.highs(), after.highs());
            assertArrayEquals(before.lows(), after.lows());
            assertArrayEquals(before.closes(), after.closes());
            assertArrayEquals(before.volumes(), after.volumes());
            assertArrayEquals(before.closeTimes(), after.closeTimes());
            assertArrayEquals(before.quoteVolumes(), after.quoteVolumes());
            assertArrayEquals(before.tradesCounts(), after.tradesCounts());
            assertArrayEquals(before.takerBuyBaseVolumes(), after.takerBuyBaseVolumes());
            assertArrayEquals(before.takerBuyQuoteVolumes(), after.takerBuyQuoteVolumes());

            List<Object[]> log = db.importLog();
            assertEquals(2, log.size());
            assertEquals(0L, log.get(1)[2]);
            assertEquals(rows, ImportReport.fromJson((String) log.get(1)[3]).duplicates().total());
        }
    }

    @Test
    void theMisroriLastRowWasStillFormingAndIsDropped(@TempDir Path dir) throws IOException {
        String file = "misrori__binance_startegy/data/BTCUSDT_1h.csv.gz";
        // Why it counts as forming: the final kline Binance published for 2023-12-30 19:00 differs from it
        String[] last = RawFile.rows(file, true).getLast();
        String[] closed = RawFile.rows(RawFile.MAIN_SERIES, false).stream()
                .filter(f -> Long.parseLong(f[0]) == utc("2023-12-30 19:00")).findFirst().orElseThrow();
        assertEquals("42361.12000000", last[4]);
        assertEquals("42361.13000000", closed[4]);
        assertNotEquals(last[5], closed[5]);

        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            ImportReport r = importFile(db, RawFile.path(file));
            assertEquals(23_988, r.rowsRead());
            assertEquals(23_987, r.rowsAdded());
            assertEquals(1, r.rowsDropped());
            assertEquals(List.of(new DroppedCandle(utc("2023-12-30 19:00"), utc("2023-12-30 20:00") - 1,
                    DropReason.LAST_ROW_UNCONFIRMED)), r.dropped());
            assertEquals(utc("2023-12-30 18:00"), r.lastOpenTime());
            assertEquals(utc("2023-12-30 18:00"), db.store.lastOpenTime(BTC_1H).orElseThrow());
            assertEquals(r.rowsRead(), r.rowsAdded() + r.duplicates().total() + r.rowsDropped());

            // a file ending before what is stored: its last row is confirmed by the later stored klines
            List<String> head = RawFile.lines(file).subList(0, 101);
            Path early = Files.write(dir.resolve("BTCUSDT_1h.csv"), head);
            ImportReport again = importFile(db, early);
            assertEquals(0, again.rowsDropped());
            assertEquals(100, again.duplicates().alreadyStored());
        }
        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            ImportReport kept = new FileImport(db.store, db.log, ImportSettings.defaults().withKeepLastRow(true))
                    .run(FileImport.Request.of(KlineFile.of(RawFile.path(file))));
            assertEquals(23_988, kept.rowsAdded());
            assertEquals(0, kept.rowsDropped());
        }
    }

    @Test
    void aKlineThatClosesAfterTheImportsClockIsDropped() {
        String file = "intabyu__interview-at/data/BTCUSDT-1h-2023-01.csv.gz";
        InstantSource clock = InstantSource.fixed(Instant.parse("2023-01-31T23:30:00Z"));
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportReport r = new FileImport(db.store, db.log, ImportSettings.defaults().withClock(clock))
                    .run(FileImport.Request.of(KlineFile.of(RawFile.path(file))));
            assertEquals(744, r.rowsRead());
            assertEquals(743, r.rowsAdded());
            // 1675206000000,...,1675209599999 (the file's last line)
            assertEquals(List.of(new DroppedCandle(1675206000000L, 1675209599999L, DropReason.CLOSES_AFTER_IMPORT)), r.dropped());
            assertEquals(0, r.gapCount());
        }
    }

    @Test
    void ohlcViolationsAreListedWithTheirOpenTimes(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines(RawFile.MAIN_SERIES).subList(0, 12));
        setOhlcv(lines, 2, "100", "90", "80", "95", null);           // high below open
        setOhlcv(lines, 4, "100", "110", "105", "102", null);        // low above open
        setOhlcv(lines, 6, "100", "90", "110", "100", null);         // everything wrong
        setOhlcv(lines, 8, null, null, null, null, "-1.5");          // negative volume
        setOhlcv(lines, 10, "0", "0", "0", "0", null);               // no price
        Path f = Files.write(dir.resolve("BTCUSDT-1h-corrupt.csv"), lines);
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportReport r = importFile(db, f);
            long t0 = utc("2019-01-01 00:00");
            assertEquals(List.of(
                    new OhlcViolation(t0 + 2 * HOUR, List.of(OhlcProblem.HIGH_BELOW_OPEN_OR_CLOSE)),
                    new OhlcViolation(t0 + 4 * HOUR, List.of(OhlcProblem.LOW_ABOVE_OPEN_OR_CLOSE)),
                    new OhlcViolation(t0 + 6 * HOUR, List.of(OhlcProblem.HIGH_BELOW_OPEN_OR_CLOSE,
                            OhlcProblem.LOW_ABOVE_OPEN_OR_CLOSE, OhlcProblem.LOW_ABOVE_HIGH)),
                    new OhlcViolation(t0 + 8 * HOUR, List.of(OhlcProblem.NEGATIVE_VOLUME)),
                    new OhlcViolation(t0 + 10 * HOUR, List.of(OhlcProblem.NON_POSITIVE_PRICE))), r.ohlcViolations());
            assertEquals(5, r.ohlcViolationCount());
            assertEquals(12, r.rowsAdded()); // stored as the source has them: the report is where they are flagged
        }
    }

    private static void setOhlcv(List<String> lines, int index, String o, String h, String l, String c, String v) {
        String[] f = lines.get(index).split(",", -1);
        String[] values = {o, h, l, c, v};
        for (int i = 0; i < 5; i++) if (values[i] != null) f[i + 1] = values[i];
        lines.set(index, String.join(",", f));
    }

    @Test
    void rowsRepeatedInTheSourceAreCountedAsDuplicates(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines("intabyu__interview-at/data/BTCUSDT-1h-2023-01.csv.gz"));
        lines.addAll(lines.subList(1, 11));
        Path f = Files.write(dir.resolve("BTCUSDT-1h-2023-01.csv"), lines);
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            ImportReport r = importFile(db, f);
            assertEquals(754, r.rowsRead());
            assertEquals(744, r.rowsAdded());
            assertEquals(10, r.duplicates().repeatedInSource());
            assertEquals(0, r.duplicates().alreadyStored());
            assertEquals(0, r.gapCount());
        }
    }

    @Test
    void theCoinalyzeExportNeedsAnIntervalAndTakesAShift() {
        Path file = RawFile.path("denizyts__Coinalyze-Backtester/src/csvFolder/ETHUSDT_PERP.A_ohlcv-history.csv.gz");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FileImport importer = new FileImport(db.store, db.log, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class, () -> importer.run(FileImport.Request.of(KlineFile.of(file))));
            assertEquals(file + ": cannot tell the interval: its name mentions none; pass --interval (one of "
                    + String.join(", ", Interval.codes()) + ")", e.getMessage());

            ImportReport r = importer.run(FileImport.Request.of(KlineFile.of(file)).withInterval(Interval.H1)
                    .withShiftMillis(-6 * HOUR));
            assertEquals("ETHUSDT", r.symbol());
            assertEquals(utc("2024-06-19 21:00"), r.firstOpenTime());
            assertEquals(-6 * HOUR, r.shiftMillis());
            // no close times in the export: its last row (2024-08-20 03:00 at UTC+6) may have been forming
            assertEquals(1464, r.rowsAdded());
            assertEquals(utc("2024-08-19 21:00"), r.dropped().getFirst().openTime());
            // 2024-06-20 03:00:00,3551.94,3575,3548.43,3568.65,51097.42200000008,28264.297999999977,26097,12181
            KlineColumns eth = db.all(new Series("ETHUSDT", Interval.H1));
            assertEquals(3568.65, eth.close(0));
            assertEquals(51097.422, eth.volume(0)); // NUMERIC(20,8) keeps eight decimals
            assertEquals(28264.298, eth.takerBuyBaseVolume(0));
            assertEquals(26097, eth.tradesCount(0));
            assertEquals(utc("2024-06-19 22:00") - 1, eth.closeTime(0));
        }
    }

    @Test
    void aSymbolFlagContradictingTheFileAndMixedSymbolsAreRefused(@TempDir Path dir) throws IOException {
        String file = "Karasik777__ForecastTest/data/raw/ETHUSDT_1m.csv.gz";
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FileImport importer = new FileImport(db.store, db.log, ImportSettings.defaults());
            ImportException slip = assertThrows(ImportException.class,
                    () -> importer.run(FileImport.Request.of(KlineFile.of(RawFile.path(file))).withSymbol("btcusdt")));
            assertEquals(RawFile.path(file) + ": the file's symbol column says ETHUSDT, but --symbol says BTCUSDT; "
                    + "leave --symbol out (or give the file's own symbol)", slip.getMessage());
            ImportReport same = importer.run(FileImport.Request.of(KlineFile.of(RawFile.path(file))).withSymbol("ethusdt"));
            assertEquals("t_kline_ethusdt_1m", same.table());
            assertEquals(4320, db.store.count(new Series("ETHUSDT", Interval.M1)));

            List<String> lines = new ArrayList<>(RawFile.lines(file).subList(0, 4));
            lines.add(RawFile.lines("Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz").get(4));
            Path mixed = Files.write(dir.resolve("mixed_1m.csv"), lines);
            ImportException e = assertThrows(ImportException.class, () -> importer.run(FileImport.Request.of(KlineFile.of(mixed))));
            assertEquals(mixed + " line 5: names symbol 'BTCUSDT', but the first row names 'ETHUSDT': import one symbol per file",
                    e.getMessage());
            ImportReport partial = e.partialReport().orElseThrow();
            assertEquals(3, partial.rowsRead()); // the rows read before the refused one
            assertEquals(e.getMessage(), partial.error());
            assertEquals(partial, ImportReport.fromJson((String) db.importLog().getLast()[3]));
        }
    }

    @Test
    void aBadRowStopsTheImportAndTheRowsBeforeItStayStored(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines(RawFile.MAIN_SERIES).subList(0, 300));
        lines.set(239, lines.get(239).replaceFirst("^(\\d+),[^,]+", "$1,oops"));
        Path f = Files.write(dir.resolve("BTCUSDT-1h-bad.csv"), lines);
        try (TestStore db = TestStore.fresh(Kind.POSTGRESQL)) {
            FileImport importer = new FileImport(db.store, db.log, ImportSettings.defaults().withBatchSize(100));
            ImportException e = assertThrows(ImportException.class, () -> importer.run(FileImport.Request.of(KlineFile.of(f))));
            assertEquals(f + " line 240: the open (field 2, 'oops') is not a number", e.getMessage());
            // lines 1..238 are stored; line 239, the last one read, was held back as the possible last kline
            assertEquals(238, db.store.count(BTC_1H));
            assertEquals(238, e.partialReport().orElseThrow().rowsAdded());
        }
    }

    @Test
    void timesOffTheIntervalsGridAreRefused() {
        Path file = RawFile.path("Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FileImport importer = new FileImport(db.store, db.log, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class,
                    () -> importer.run(FileImport.Request.of(KlineFile.of(file)).withInterval(Interval.H1)));
            assertTrue(e.getMessage().startsWith(file + " line 2: open time 2025-10-29T04:22:00Z is not on the 1h grid"),
                    e.getMessage());
            assertEquals(0, db.store.seriesWithData().size());
        }
    }

    @Test
    void freqtradeMarkAndFundingFilesAreNotTakenForTradeKlines() {
        Path dir = RawFile.path("aminak58__RL-Trading-Validation/user_data/data/binance/futures");
        try (TestStore db = TestStore.fresh(Kind.H2)) {
            FileImport importer = new FileImport(db.store, db.log, ImportSettings.defaults());
            ImportException funding = assertThrows(ImportException.class, () -> importer.run(
                    FileImport.Request.of(KlineFile.of(dir.resolve("BTC_USDT_USDT-8h-funding_rate.json.gz")))));
            assertTrue(funding.getMessage().contains("funding rates"), funding.getMessage());
            ImportException mark = assertThrows(ImportException.class, () -> importer.run(
                    FileImport.Request.of(KlineFile.of(dir.resolve("BTC_USDT_USDT-8h-mark.json.gz")))));
            assertTrue(mark.getMessage().contains("Pass --symbol"), mark.getMessage());

            ImportReport futures = importer.run(FileImport.Request.of(KlineFile.of(dir.resolve("BTC_USDT_USDT-1h-futures.json.gz"))));
            assertEquals("BTCUSDT", futures.symbol());
            assertEquals("1h", futures.interval());
            assertEquals(837, futures.rowsAdded()); // 838 rows; freqtrade's files give no close times
        }
    }
}
