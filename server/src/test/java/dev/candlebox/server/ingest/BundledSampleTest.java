package dev.candlebox.server.ingest;

import dev.candlebox.db.ingest.ImportReport;
import dev.candlebox.db.ingest.RawFile;
import dev.candlebox.db.ingest.TestStore;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.Series;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundledSampleTest {

    @Test
    void anEmptyDatabaseGetsTheSampleOnceAndRecordsEachFile() {
        try (TestStore db = TestStore.fresh(TestStore.Kind.H2)) {
            List<ImportReport> reports = BundledSample.loadIfEmpty(db.database, db.store);
            assertEquals(7, reports.size());
            assertTrue(reports.stream().allMatch(r -> r.error() == null && r.rowsDropped() == 0 && r.ohlcViolationCount() == 0));
            // FILES.md: 744 + 672 + 743 + 720 + 744 hourly klines; 4,320 minutes each for BTC and ETH
            assertEquals(3623, db.store.count(new Series("BTCUSDT", Interval.H1)));
            assertEquals(4320, db.store.count(new Series("BTCUSDT", Interval.M1)));
            assertEquals(4320, db.store.count(new Series("ETHUSDT", Interval.M1)));
            assertEquals(List.of("BTCUSDT", "ETHUSDT"), db.store.symbols());
            assertEquals(7, db.importLog().size());
            assertTrue(db.importLog().getFirst()[4].toString().startsWith("classpath:sample/BTCUSDT-1h-2023-01.csv.gz"));

            // March 2023 misses one hour in Binance's own data (2023-03-24 12:00 -> 14:00): the report says so
            assertEquals(List.of(new ImportReport.Gap(1679659200000L, 1679666400000L, 1)), reports.get(2).gaps());

            // ETHUSDT_1m.csv line 2: 2025-10-29 04:22:00+00:00,4008.65,4011.59,4008.65,4011.59,95.9244,...
            KlineColumns eth = db.all(new Series("ETHUSDT", Interval.M1));
            String[] first = RawFile.rows("Karasik777__ForecastTest/data/raw/ETHUSDT_1m.csv.gz", true).getFirst();
            assertEquals(1761711720000L, eth.openTime(0));
            assertEquals(Double.parseDouble(first[1]), eth.open(0));
            assertEquals(Double.parseDouble(first[5]), eth.volume(0));

            assertEquals(List.of(), BundledSample.loadIfEmpty(db.database, db.store));
            assertEquals(7, db.importLog().size());
        }
    }

    @Test
    void aDatabaseWithKlinesIsLeftAlone() {
        try (TestStore db = TestStore.fresh(TestStore.Kind.H2)) {
            KlineColumns one = new KlineColumns(1);
            one.add(1704067200000L, 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108, 1704070799999L,
                    Double.NaN, -1, Double.NaN, Double.NaN);
            db.store.upsert(new Series("SOLUSDT", Interval.H1), one);
            assertEquals(List.of(), BundledSample.loadIfEmpty(db.store));
            assertEquals(List.of("SOLUSDT"), db.store.symbols());
        }
    }

    @Test
    void theBundledFilesAreExactCopiesWithTheirNotice() throws IOException {
        String[][] copies = {
                {"sample/BTCUSDT-1h-2023-01.csv.gz", "intabyu__interview-at/data/BTCUSDT-1h-2023-01.csv.gz"},
                {"sample/BTCUSDT-1h-2023-05.csv.gz", "intabyu__interview-at/data/BTCUSDT-1h-2023-05.csv.gz"},
                {"sample/BTCUSDT_1m.csv.gz", "Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz"},
                {"sample/ETHUSDT_1m.csv.gz", "Karasik777__ForecastTest/data/raw/ETHUSDT_1m.csv.gz"}};
        for (String[] c : copies) assertArrayEquals(Files.readAllBytes(RawFile.path(c[1])), resource(c[0]), c[0]);
        String notice = new String(resource("sample/NOTICE"));
        assertTrue(notice.contains("The Unlicense") && notice.contains("MIT, Copyright (c) 2025 Karasik777"), notice);
        assertTrue(new String(resource("sample/LICENSE-Karasik777-ForecastTest.txt")).startsWith("MIT License"));
        for (BundledSample.SampleFile f : BundledSample.FILES) assertNotNull(getClass().getClassLoader().getResource(f.resource()));
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
