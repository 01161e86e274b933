package dev.candlebox.db.sweep;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.run.RunStatus;
import dev.candlebox.db.run.RunStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aSweepKeepsItsTrialsWithTheirRunsAndCountsAsOneJobOfItsClient(String kind) {
        String url = kind.equals("postgres") ? TestDatabases.freshPostgres() : TestDatabases.freshH2();
        try (Database db = Database.open(url, 2)) {
            RunStore runs = new RunStore(db);
            SweepStore sweeps = new SweepStore(db);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            runs.create("solo", "node1", "10.0.0.1", "BTCUSDT", "1h", "{}", t0);
            sweeps.create("s1", "10.0.0.1", "node1", "sweep", "{\"trials\":3}", t0);
            for (int i = 0; i < 3; i++) {
                runs.create("t" + i, "node1", "10.0.0.1", "BTCUSDT", "1h", "{}", t0.plusSeconds(i + 1));
                sweeps.addTrial("s1", i, "t" + i, "{\"fast\":" + (5 * i + 5) + "}");
            }
            // the solo run and the sweep; the sweep's three queued trials are not counted apart
            assertEquals(2, runs.activeCount("10.0.0.1"));

            assertTrue(runs.finish("t1", RunStatus.SUCCEEDED, t0.plusSeconds(9), "{}", "{\"metrics\":{\"sharpe\":1.5}}", null, "", null, null));
            List<SweepStore.Trial> trials = sweeps.trials("s1");
            assertEquals(List.of(0, 1, 2), trials.stream().map(SweepStore.Trial::trial).toList());
            assertEquals("t1", trials.get(1).runId());
            assertEquals("{\"fast\":10}", trials.get(1).paramsJson());
            assertEquals(RunStatus.SUCCEEDED, trials.get(1).status());
            assertEquals("{\"metrics\":{\"sharpe\":1.5}}", trials.get(1).metricsJson());
            assertEquals(RunStatus.QUEUED, trials.get(0).status());
            assertNull(trials.get(0).metricsJson());

            assertEquals(List.of("s1"), sweeps.running("node1").stream().map(SweepStore.StoredSweep::id).toList());
            assertEquals(List.of(), sweeps.running("node2"));
            assertTrue(sweeps.finish("s1", "cancelled", t0.plusSeconds(10), "{\"bestTrial\":1}", null));
            assertFalse(sweeps.finish("s1", "failed", t0.plusSeconds(11), null, "{}"), "an ended sweep keeps its outcome");
            SweepStore.StoredSweep s = sweeps.get("s1").orElseThrow();
            assertEquals("cancelled", s.status());
            assertTrue(s.isFinal());
            assertEquals(t0.plusSeconds(10), s.finishedAt());
            assertEquals("{\"bestTrial\":1}", s.summaryJson());
            assertEquals(1, runs.activeCount("10.0.0.1"), "the ended sweep no longer counts");
        } finally {
            if (kind.equals("postgres")) TestDatabases.dropPostgresSchema(url);
        }
    }
}
