package dev.candlebox.db.ingest;

import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.ingest.BinanceImportTest.RecordingListener;
import dev.candlebox.db.ingest.BinanceImportTest.RecordingPause;
import dev.candlebox.db.ingest.FakeBinance.Fault;
import dev.candlebox.db.ingest.TestStore.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.candlebox.db.ingest.KlineFileReaderTest.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Funding-rate downloads from a local fake that replays real funding rates as Binance's fundingRate endpoint. */
class BinanceFundingImportTest {
    /** gg-cmk's BTCUSDT funding (fundingTime, fundingRate as Binance sent them; no mark prices in that file). */
    static List<String[]> ggCmk;
    static TestStore db;
    static FundingStore store;

    @BeforeAll
    static void load() {
        ggCmk = RawFile.rows(FundingFileImportTest.GG_CMK, true).stream().map(f -> new String[]{f[0], f[2], ""}).toList();
        db = TestStore.fresh(Kind.POSTGRESQL);
        store = new FundingStore(db.database);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    static BinanceClient client(FakeBinance fake, RecordingPause pause, int attempts) {
        return BinanceImportTest.client(fake, pause, attempts);
    }

    static FakeBinance fake(List<String[]> funding) {
        return new FakeBinance("BTCUSDT", "1h", List.of()).withFunding(funding);
    }

    static String fresh(String prefix) {
        return prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();
    }

    @Test
    void aRangeIsDownloadedPageByPageAndStoredExactly() {
        String symbol = fresh("FUNDA");
        RecordingListener listener = new RecordingListener();
        try (FakeBinance fake = fake(ggCmk); BinanceClient client = client(fake, new RecordingPause(), 3)) {
            FundingReport r = new BinanceFundingImport(store, db.log, client, ImportSettings.defaults()).run(
                    new BinanceFundingImport.Request("BTCUSDT", utc("2025-01-01 00:00"), utc("2026-08-01 00:00"), symbol, null, true),
                    listener);
            assertEquals(1731, r.rowsRead());
            assertEquals(1731, r.rowsAdded());
            assertEquals(0, r.gapCount());
            assertEquals(Map.of(8, 1731L), r.intervalHours());
            assertEquals(1731, r.intervalsDerived()); // Binance's answer does not state the interval
            assertEquals(0, r.markPrices()); // markPrice "" is no mark price
            assertNull(r.resumedFrom());
            assertTrue(r.source().startsWith("binance " + fake.baseUrl() + "/fapi/v1/fundingRate BTCUSDT"), r.source());

            List<FakeBinance.Seen> seen = fake.requests();
            assertEquals(2, seen.size()); // 1000 + 731
            assertTrue(seen.stream().allMatch(s -> s.path().equals("/fapi/v1/fundingRate") && s.limit() == 1000));
            assertEquals(utc("2025-01-01 00:00"), seen.get(0).startTime());
            // the next page starts 1 ms after the last time received, as Binance stamped it
            assertEquals(Long.parseLong(ggCmk.get(999)[0]) + 1, seen.get(1).startTime());
            assertEquals(String.valueOf(utc("2026-08-01 00:00") - 1), seen.get(0).query().get("endTime"));

            List<FundingRate> all = store.between(symbol, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(1731, all.size());
            assertEquals(new FundingRate(1735689600000L, new BigDecimal("0.0001"), 8, null), all.getFirst());
            assertEquals(new FundingRate(1785513600000L, new BigDecimal("0.00005664"), 8, null), all.getLast());
            assertEquals(1731, listener.progress.getLast());
        }
    }

    @Test
    void markPricesAreStoredAsBinanceSendsThem() {
        // the first three settlements of freqtrade's BTCUSDT file, with the mark price at each
        List<String[]> rows = List.of(new String[]{"1758240000000", "-0.00000231", "117017.51732609"},
                new String[]{"1758268800005", "0.00002109", "116850.10000000"},
                new String[]{"1758297600000", "0.00005264", "115827.00000000"});
        String symbol = fresh("MARK");
        try (FakeBinance fake = fake(rows); BinanceClient client = client(fake, new RecordingPause(), 3)) {
            FundingReport r = new BinanceFundingImport(store, db.log, client, ImportSettings.defaults()).run(
                    new BinanceFundingImport.Request("BTCUSDT", utc("2025-09-19 00:00"), utc("2025-09-20 00:00"), symbol, null, true),
                    ImportListener.NONE);
            assertEquals(3, r.markPrices());
            assertEquals(List.of(new FundingRate(utc("2025-09-19 00:00"), new BigDecimal("-0.00000231"), 8, new BigDecimal("117017.51732609")),
                    new FundingRate(utc("2025-09-19 08:00"), new BigDecimal("0.00002109"), 8, new BigDecimal("116850.1")),
                    new FundingRate(utc("2025-09-19 16:00"), new BigDecimal("0.00005264"), 8, new BigDecimal("115827"))),
                    store.between(symbol, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void anInterruptedDownloadResumesAfterTheLastStoredFundingTime() {
        String symbol = fresh("RESUME");
        long from = utc("2025-01-01 00:00"), to = utc("2026-08-01 00:00");
        try (FakeBinance fake = fake(ggCmk); BinanceClient client = client(fake, new RecordingPause(), 3)) {
            BinanceFundingImport importer = new BinanceFundingImport(store, db.log, client, ImportSettings.defaults());
            FundingReport part = importer.run(new BinanceFundingImport.Request("BTCUSDT", from, utc("2025-03-01 00:00"), symbol, null, true),
                    ImportListener.NONE);
            assertEquals(59 * 3, part.rowsAdded()); // January and February 2025
            FundingReport rest = importer.run(new BinanceFundingImport.Request("BTCUSDT", from, to, symbol, null, true),
                    ImportListener.NONE);
            assertEquals(utc("2025-02-28 16:01"), rest.resumedFrom());
            assertEquals(1731 - 177, rest.rowsAdded());
            assertEquals(0, rest.duplicates().total());
            assertEquals(utc("2025-02-28 16:01"), fake.requests().get(1).startTime());
            assertEquals(1731, store.count(symbol));

            FundingReport again = importer.run(new BinanceFundingImport.Request("BTCUSDT", from, to, symbol, null, false),
                    ImportListener.NONE);
            assertEquals(0, again.rowsAdded());
            assertEquals(1731, again.duplicates().alreadyStored());
        }
    }

    @Test
    void transientFailuresAreRetriedLikeKlineDownloads() {
        String symbol = fresh("RETRY");
        RecordingPause pause = new RecordingPause();
        RecordingListener listener = new RecordingListener();
        try (FakeBinance fake = fake(ggCmk); BinanceClient client = client(fake, pause, 5)) {
            fake.inject(new Fault.TooManyRequests(7), new Fault.ServerError(502), new Fault.Hang(Duration.ofSeconds(10)),
                    new Fault.DropConnection());
            FundingReport r = new BinanceFundingImport(store, db.log, client, ImportSettings.defaults()).run(
                    new BinanceFundingImport.Request("BTCUSDT", utc("2025-01-01 00:00"), utc("2025-02-01 00:00"), symbol, null, true),
                    listener);
            assertEquals(93, r.rowsAdded()); // 31 days × 3
            assertEquals(5, fake.requests().size());
            assertEquals(4, listener.retries.size());
            assertTrue(listener.retries.get(0).startsWith("1/5 HTTP 429 (rate limited): Too many requests."), listener.retries.get(0));
            assertTrue(listener.retries.get(1).startsWith("2/5 HTTP 502"), listener.retries.get(1));
            assertTrue(listener.retries.get(2).startsWith("3/5 no complete answer within 1000 ms"), listener.retries.get(2));
            assertTrue(listener.retries.get(3).startsWith("4/5 connection failed"), listener.retries.get(3));
            assertEquals(Duration.ofSeconds(7), pause.waits.get(0));
        }
    }

    @Test
    void aDownloadThatKeepsFailingStopsWithAClearMessage() {
        String symbol = fresh("FAIL");
        try (FakeBinance fake = fake(ggCmk); BinanceClient client = client(fake, new RecordingPause(), 3)) {
            fake.failAlways(new Fault.ServerError(503));
            BinanceFundingImport importer = new BinanceFundingImport(store, db.log, client, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class, () -> importer.run(new BinanceFundingImport.Request(
                    "BTCUSDT", utc("2025-01-01 00:00"), utc("2025-02-01 00:00"), symbol, null, true), ImportListener.NONE));
            assertEquals("Binance funding rates BTCUSDT from 2025-01-01T00:00:00Z: failed after 3 attempts; last: HTTP 503: "
                    + "An unknown error occurred.", e.getMessage());
            FundingReport partial = e.fundingReport().orElseThrow();
            assertEquals(0, partial.rowsAdded());
            assertEquals(e.getMessage(), partial.error());

            fake.failAlways(null);
            ImportException unknown = assertThrows(ImportException.class, () -> importer.run(new BinanceFundingImport.Request(
                    "NOSUCHUSDT", utc("2025-01-01 00:00"), utc("2025-02-01 00:00"), symbol, null, true), ImportListener.NONE));
            assertTrue(unknown.getMessage().startsWith("Binance funding rates NOSUCHUSDT from 2025-01-01T00:00:00Z: Binance "
                    + "refused the request: HTTP 400: Invalid symbol."), unknown.getMessage());
        }
    }
}
