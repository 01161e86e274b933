package dev.candlebox.db.run;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aRunGoesFromQueuedToSucceededWithItsDataAndIsListedNewestFirst(String kind) {
        String url = kind.equals("postgres") ? TestDatabases.freshPostgres() : TestDatabases.freshH2();
        try (Database db = Database.open(url, 2)) {
            RunStore runs = new RunStore(db);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            StoredRun a = runs.create("a", "node1", "10.0.0.1", "BTCUSDT", "1h", "{\"code\":\"x\"}", t0);
            StoredRun b = runs.create("b", "node1", "10.0.0.2", "ETHUSDT", "1m", "{}", t0.plusSeconds(1));
            assertEquals(1, a.seq());
            assertEquals(2, b.seq());
            assertEquals(1, runs.activeCount("10.0.0.1"));

            assertTrue(runs.markRunning("a", t0.plusSeconds(2)));
            assertFalse(runs.markRunning("a", t0.plusSeconds(3)), "a running run is not started twice");
            runs.updateProgress("a", 0.5);
            assertEquals(0.5, runs.get("a").orElseThrow().progress());

            byte[] equity = new byte[3_000_000];
            for (int i = 0; i < equity.length; i++) equity[i] = (byte) (i * 31);
            assertTrue(runs.finish("a", RunStatus.SUCCEEDED, t0.plusSeconds(4), "{\"profit\":1}", "{}", null, "hi\n",
                    new byte[]{1, 2, 3}, equity));
            assertFalse(runs.finish("a", RunStatus.FAILED, t0.plusSeconds(5), null, null, "{}", "", null, null),
                    "an ended run keeps its outcome");

            StoredRun done = runs.get("a").orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, done.status());
            assertEquals(1.0, done.progress());
            assertEquals("{\"profit\":1}", done.resultJson());
            assertEquals("hi\n", done.logs());
            assertEquals(t0.plusSeconds(2), done.startedAt());
            assertEquals(t0.plusSeconds(4), done.finishedAt());
            assertNull(done.errorJson());
            assertArrayEquals(new byte[]{1, 2, 3}, runs.data("a", "trades").orElseThrow());
            assertArrayEquals(equity, runs.data("a", "equity").orElseThrow());
            assertTrue(runs.data("b", "equity").isEmpty());

            assertEquals(List.of("b", "a"), runs.list(10, null).stream().map(StoredRun::id).toList());
            assertEquals(List.of("a"), runs.list(10, 2L).stream().map(StoredRun::id).toList());
            assertEquals(List.of("b"), runs.unfinished("node1").stream().map(StoredRun::id).toList());
            assertEquals(List.of(), runs.unfinished("node2"));
        } finally {
            if (kind.equals("postgres")) TestDatabases.dropPostgresSchema(url);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aRunIsNamedTaggedAndDeletedOnlyOnceItHasEnded(String kind) {
        String url = kind.equals("postgres") ? TestDatabases.freshPostgres() : TestDatabases.freshH2();
        try (Database db = Database.open(url, 2)) {
            RunStore runs = new RunStore(db);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            runs.create("a", "node1", "10.0.0.1", "BTCUSDT", "1h", "{}", t0);
            runs.create("b", "node1", "10.0.0.1", "BTCUSDT", "1h", "{}", t0.plusSeconds(1));
            assertEquals(RunLabel.NONE, runs.label("a"));

            assertTrue(runs.label("a", new RunLabel("SMA 10/30", "[\"trend\",\"btc\"]")));
            assertEquals(new RunLabel("SMA 10/30", "[\"trend\",\"btc\"]"), runs.label("a"));
            assertFalse(runs.label("nope", new RunLabel("x", null)));
            assertEquals(RunLabel.NONE, runs.label("nope"));

            assertFalse(runs.delete("a"), "a queued run is not deleted");
            assertTrue(runs.get("a").isPresent());
            assertTrue(runs.finish("a", RunStatus.SUCCEEDED, t0.plusSeconds(2), "{}", "{}", null, "", new byte[]{1}, new byte[]{2}));
            assertTrue(runs.delete("a"));
            assertTrue(runs.get("a").isEmpty());
            assertTrue(runs.data("a", "trades").isEmpty());
            assertTrue(runs.data("a", "equity").isEmpty());
            assertFalse(runs.delete("a"), "deleted once");
            assertEquals(List.of("b"), runs.list(10, null).stream().map(StoredRun::id).toList());
        } finally {
            if (kind.equals("postgres")) TestDatabases.dropPostgresSchema(url);
        }
    }
}
