package dev.candlebox.db.ingest;

import dev.candlebox.db.ingest.FakeBinance.Fault;
import dev.candlebox.db.ingest.ImportReport.DropReason;
import dev.candlebox.db.ingest.ImportReport.DroppedCandle;
import dev.candlebox.db.ingest.ImportReport.Gap;
import dev.candlebox.db.ingest.TestStore.Kind;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.Series;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.candlebox.db.ingest.KlineFileReaderTest.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads from a local fake that replays the main series (and real futures klines) in Binance's format. */
class BinanceImportTest {
    static final Series BTC_1H = new Series("BTCUSDT", Interval.H1);
    static final long HOUR = 3_600_000L;

    static List<String[]> mainSeries;
    static TestStore db;

    @BeforeAll
    static void load() {
        mainSeries = RawFile.rows(RawFile.MAIN_SERIES, false);
        db = TestStore.fresh(Kind.POSTGRESQL);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /** Waits recorded instead of slept, so that retry tests take no time. */
    static final class RecordingPause implements BinanceClient.Pause {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void pause(Duration d) {
            waits.add(d);
        }
    }

    static final class RecordingListener implements ImportListener {
        long total = -1;
        final List<Long> progress = new ArrayList<>();
        final List<String> retries = new ArrayList<>();

        @Override
        public void started(String what, long totalBars) {
            total = totalBars;
        }

        @Override
        public void progressed(long barsDone, long rowsStored) {
            progress.add(barsDone);
        }

        @Override
        public void retrying(int attempt, int maxAttempts, Duration wait, String reason) {
            retries.add(attempt + "/" + maxAttempts + " " + reason);
        }
    }

    static BinanceClient client(FakeBinance fake, RecordingPause pause, int attempts) {
        return new BinanceClient(BinanceClient.Config.defaults()
                .withBaseUrl(BinanceMarket.SPOT, fake.baseUrl())
                .withBaseUrl(BinanceMarket.USDT_FUTURES, fake.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1000))
                .withRetries(attempts, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30))
                .withPause(pause));
    }

    /** The raw rows with {@code from <= open time < to}: what a complete download must store. */
    static List<String[]> slice(List<String[]> rows, long from, long to) {
        return rows.stream().filter(f -> Long.parseLong(f[0]) >= from && Long.parseLong(f[0]) < to).toList();
    }

    static void assertStoredExactly(List<String[]> expected, KlineColumns stored) {
        assertEquals(expected.size(), stored.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] f = expected.get(i);
            assertEquals(Long.parseLong(f[0]), stored.openTime(i), "row " + i);
            assertEquals(Double.parseDouble(f[4]), stored.close(i), "row " + i);
            assertEquals(Double.parseDouble(f[5]), stored.volume(i), "row " + i);
            assertEquals(Long.parseLong(f[6]), stored.closeTime(i), "row " + i);
            assertEquals(Integer.parseInt(f[8]), stored.tradesCount(i), "row " + i);
        }
    }

    static Series fresh(String prefix) {
        return new Series(prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase(), Interval.H1);
    }

    @Test
    void aRangeIsDownloadedPageByPageAndStoredExactlyOnce() {
        long from = utc("2019-01-01 00:00"), to = utc("2019-06-01 00:00");
        List<String[]> expected = slice(mainSeries, from, to);
        assertEquals(3608, expected.size()); // 151 days, less the gaps of 2019-03-12 (6 h) and 2019-05-15 (10 h)
        Series series = fresh("SPOTA");
        RecordingListener listener = new RecordingListener();
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 3)) {
            ImportReport r = new BinanceImport(db.store, db.log, client, ImportSettings.defaults())
                    .run(new BinanceImport.Request(BinanceMarket.SPOT, "BTCUSDT", Interval.H1, from, to, series.symbol(), true), listener);

            assertStoredExactly(expected, db.all(series));
            assertEquals(3608, r.rowsRead());
            assertEquals(3608, r.rowsAdded());
            assertEquals(List.of(new Gap(utc("2019-03-12 01:00"), utc("2019-03-12 08:00"), 6),
                    new Gap(utc("2019-05-15 02:00"), utc("2019-05-15 13:00"), 10)), r.gaps());
            assertNull(r.resumedFrom());

            List<FakeBinance.Seen> seen = fake.requests();
            assertEquals(4, seen.size()); // 1000 + 1000 + 1000 + 608
            assertTrue(seen.stream().allMatch(s -> s.path().equals("/api/v3/klines") && s.limit() == 1000));
            assertEquals(from, seen.get(0).startTime());
            assertEquals(Long.parseLong(expected.get(1000)[0]), seen.get(1).startTime());
            assertEquals(String.valueOf(to - 1), seen.get(0).query().get("endTime"));
            assertEquals(3624, listener.total);
            assertEquals(3624L, listener.progress.getLast());
            assertTrue(r.source().startsWith("binance spot " + fake.baseUrl() + "/api/v3/klines BTCUSDT 1h"), r.source());
        }
    }

    @Test
    void futuresAreDownloadedFromTheFuturesEndpointInPagesOf1500() {
        List<String[]> futures = RawFile.rows("gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz", true);
        long from = utc("2025-01-01 00:00"), to = utc("2025-04-01 00:00");
        Series series = fresh("PERP");
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", futures);
             BinanceClient client = client(fake, new RecordingPause(), 3)) {
            ImportReport r = new BinanceImport(db.store, db.log, client, ImportSettings.defaults())
                    .run(new BinanceImport.Request(BinanceMarket.USDT_FUTURES, "BTCUSDT", Interval.H1, from, to, series.symbol(), true),
                            ImportListener.NONE);
            assertEquals(2160, r.rowsAdded()); // 90 days
            assertStoredExactly(slice(futures, from, to), db.all(series));
            assertEquals(List.of(1500, 1500), fake.requests().stream().map(FakeBinance.Seen::limit).toList());
            assertTrue(fake.requests().stream().allMatch(s -> s.path().equals("/fapi/v1/klines")));
        }
    }

    @Test
    void everyKindOfTransientFailureIsRetried() {
        long from = utc("2019-05-14 00:00"), to = utc("2019-05-17 00:00");
        Series series = fresh("RETRY");
        RecordingPause pause = new RecordingPause();
        RecordingListener listener = new RecordingListener();
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, pause, 6)) {
            fake.inject(new Fault.TooManyRequests(7), new Fault.ServerError(500), new Fault.Hang(Duration.ofSeconds(10)),
                    new Fault.DropConnection(), new Fault.ServerError(503));
            long t0 = System.nanoTime();
            ImportReport r = new BinanceImport(db.store, db.log, client, ImportSettings.defaults())
                    .run(new BinanceImport.Request(BinanceMarket.SPOT, "BTCUSDT", Interval.H1, from, to, series.symbol(), true), listener);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertStoredExactly(slice(mainSeries, from, to), db.all(series));
            assertEquals(62, r.rowsAdded()); // 72 hours less the 10 missing on 2019-05-15
            assertEquals(List.of(new Gap(utc("2019-05-15 02:00"), utc("2019-05-15 13:00"), 10)), r.gaps());
            assertEquals(6, fake.requests().size());
            assertEquals(5, listener.retries.size());
            assertTrue(listener.retries.get(0).startsWith("1/6 HTTP 429 (rate limited): Too many requests."), listener.retries.get(0));
            assertTrue(listener.retries.get(1).startsWith("2/6 HTTP 500: An unknown error occurred."), listener.retries.get(1));
            assertTrue(listener.retries.get(2).startsWith("3/6 no complete answer within 1000 ms"), listener.retries.get(2));
            assertTrue(listener.retries.get(3).startsWith("4/6 connection failed"), listener.retries.get(3));
            assertTrue(listener.retries.get(4).startsWith("5/6 HTTP 503"), listener.retries.get(4));
            // Retry-After is obeyed as given; the others back off exponentially (200 ms doubled per failure so far, the
            // upper half random): failures 2..5 wait 200-400, 400-800, 800-1600, 1600-3200 ms
            assertEquals(Duration.ofSeconds(7), pause.waits.get(0));
            long[][] bounds = {{200, 400}, {400, 800}, {800, 1600}, {1600, 3200}};
            for (int i = 1; i < 5; i++) {
                long ms = pause.waits.get(i).toMillis();
                assertTrue(ms >= bounds[i - 1][0] && ms <= bounds[i - 1][1], "wait " + i + " was " + ms + " ms");
            }
            assertTrue(tookMs < 6000, "the hung request was abandoned after its timeout, took " + tookMs + " ms");
        }
    }

    @Test
    void aDownloadThatKeepsFailingStopsWithAClearMessage() {
        Series series = fresh("FAIL");
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 3)) {
            fake.failAlways(new Fault.ServerError(503));
            BinanceImport importer = new BinanceImport(db.store, db.log, client, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class, () -> importer.run(new BinanceImport.Request(
                    BinanceMarket.SPOT, "BTCUSDT", Interval.H1, utc("2020-01-01 00:00"), utc("2020-02-01 00:00"),
                    series.symbol(), true), ImportListener.NONE));
            assertEquals("Binance spot klines BTCUSDT 1h from 2020-01-01T00:00:00Z: failed after 3 attempts; last: "
                    + "HTTP 503: An unknown error occurred.", e.getMessage());
            assertEquals(3, fake.requests().size());
            assertEquals(0, e.partialReport().orElseThrow().rowsAdded());
        }
    }

    @Test
    void aRefusedRequestIsNotRetried() {
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 5)) {
            BinanceImport importer = new BinanceImport(db.store, db.log, client, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class, () -> importer.run(new BinanceImport.Request(
                    BinanceMarket.SPOT, "NOSUCHCOIN", Interval.H1, utc("2020-01-01 00:00"), utc("2020-02-01 00:00"),
                    null, true), ImportListener.NONE));
            assertTrue(e.getMessage().contains("Binance refused the request: HTTP 400: Invalid symbol."), e.getMessage());
            assertEquals(1, fake.requests().size());
        }
    }

    @Test
    void aRetryAfterBeyondTheLimitFailsInsteadOfWaiting() {
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 5)) {
            fake.inject(new Fault.TooManyRequests(7200));
            BinanceImport importer = new BinanceImport(db.store, db.log, client, ImportSettings.defaults());
            ImportException e = assertThrows(ImportException.class, () -> importer.run(new BinanceImport.Request(
                    BinanceMarket.SPOT, "BTCUSDT", Interval.H1, utc("2020-01-01 00:00"), utc("2020-02-01 00:00"),
                    fresh("WAIT").symbol(), true), ImportListener.NONE));
            assertTrue(e.getMessage().contains("Binance asks to wait 7200 s"), e.getMessage());
            assertEquals(1, fake.requests().size());
        }
    }

    @Test
    void anInterruptedDownloadResumesFromTheLastStoredKlineAndEndsWithEveryRowOnce() {
        long from = utc("2019-01-01 00:00"), to = utc("2019-07-01 00:00");
        List<String[]> expected = slice(mainSeries, from, to);
        Series series = fresh("RESUME");
        BinanceImport.Request request = new BinanceImport.Request(BinanceMarket.SPOT, "BTCUSDT", Interval.H1, from, to,
                series.symbol(), true);
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 2)) {
            BinanceImport importer = new BinanceImport(db.store, db.log, client, ImportSettings.defaults());
            // two pages arrive, then the exchange stops answering
            FailAfter failAfter = new FailAfter(fake, 2);
            ImportException e = assertThrows(ImportException.class, () -> importer.run(request, failAfter));
            assertTrue(e.getMessage().contains("failed after 2 attempts"), e.getMessage());
            long storedAfterFailure = db.store.count(series);
            // 2000 klines downloaded; the last of them is held back until a later one proves it closed
            assertEquals(1999, storedAfterFailure);
            assertEquals(1999, e.partialReport().orElseThrow().rowsAdded());

            fake.failAlways(null);
            int before = fake.requests().size();
            ImportReport resumed = importer.run(request, ImportListener.NONE);
            long lastStored = Long.parseLong(expected.get(1998)[0]);
            assertEquals(lastStored + HOUR, fake.requests().get(before).startTime());
            assertEquals(lastStored + HOUR, resumed.resumedFrom());
            assertEquals(expected.size() - 1999, resumed.rowsRead());
            assertEquals(expected.size() - 1999, resumed.rowsAdded());
            assertEquals(0, resumed.duplicates().total());
            assertStoredExactly(expected, db.all(series));

            // and once complete, running it again fetches nothing new
            ImportReport again = importer.run(request, ImportListener.NONE);
            assertEquals(0, again.rowsAdded());
            assertEquals(expected.size(), db.store.count(series));
        }
    }

    /** Makes the fake fail for good once {@code pages} pages have been stored. */
    static final class FailAfter implements ImportListener {
        final FakeBinance fake;
        final int pages;
        int seen;

        FailAfter(FakeBinance fake, int pages) {
            this.fake = fake;
            this.pages = pages;
        }

        @Override
        public void progressed(long barsDone, long rowsStored) {
            if (++seen == pages) fake.failAlways(new Fault.ServerError(502));
        }
    }

    @Test
    void theKlineStillFormingAtTheEndOfTheRangeIsDropped() {
        // the clock says 2019-05-20 10:30: the 10:00 kline Binance returns is still open
        InstantSource clock = InstantSource.fixed(Instant.parse("2019-05-20T10:30:00Z"));
        long from = utc("2019-05-20 00:00"), to = utc("2019-05-20 11:00");
        Series series = fresh("LIVE");
        try (FakeBinance fake = new FakeBinance("BTCUSDT", "1h", mainSeries);
             BinanceClient client = client(fake, new RecordingPause(), 3)) {
            ImportReport r = new BinanceImport(db.store, db.log, client, ImportSettings.defaults().withClock(clock))
                    .run(new BinanceImport.Request(BinanceMarket.SPOT, "BTCUSDT", Interval.H1, from, to, series.symbol(), true),
                            ImportListener.NONE);
            assertEquals(11, r.rowsRead());
            assertEquals(10, r.rowsAdded());
            assertEquals(List.of(new DroppedCandle(utc("2019-05-20 10:00"), utc("2019-05-20 11:00") - 1,
                    DropReason.CLOSES_AFTER_IMPORT)), r.dropped());
            assertEquals(utc("2019-05-20 09:00"), db.store.lastOpenTime(series).orElseThrow());
        }
    }
}
