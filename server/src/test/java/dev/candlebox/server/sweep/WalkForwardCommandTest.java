package dev.candlebox.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.server.MainSeries;
import dev.candlebox.server.stats.CompareCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code candlebox walkforward} writes one CSV row per window and the walk-forward as JSON. */
class WalkForwardCommandTest {
    @Test
    void walkforwardWritesOneRowPerWindowEachAnOutOfSampleRunTradingFromItsStart() throws Exception {
        String dbUrl = TestDatabases.freshPostgres();
        try {
            try (Database db = Database.open(dbUrl, 2)) {
                new KlineStore(db).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
            }
            Path out = Files.createTempDirectory("walkforward-out");
            Path strategy = Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies/ma_cross.py");
            String[] args = {strategy.toString(), "--symbol", "BTCUSDT", "--interval", "1h",
                    "--from", "2023-01-01", "--to", "2023-01-26", "--space", "{\"fast_period\": {\"choice\": [5, 10]}}",
                    "--method", "grid", "--objective", "totalReturn", "--in-sample", "15d", "--out-of-sample", "5d",
                    "--workers", "1", "--out", out.toString(), "--database-url", dbUrl};
            assertEquals(0, new CommandLine(new WalkForwardCommand()).execute(args));
            List<String> rows = Files.readAllLines(out.resolve("walkforward.csv"));
            assertTrue(rows.getFirst().startsWith("window,status,in_sample_start,in_sample_end,out_of_sample_start,"), rows.getFirst());
            assertTrue(rows.getFirst().endsWith(",sweep_id,run_id,fast_period"), rows.getFirst());
            // to 2023-01-26 00:00 (inclusive): windows [1, 16) + [16, 21) and [6, 21) + [21, 26)
            assertEquals(3, rows.size(), "a header and two windows: " + rows);
            String[] w0 = rows.get(1).split(","), w1 = rows.get(2).split(",");
            assertEquals("2023-01-16T00:00:00Z", w0[4]);
            assertEquals("2023-01-21T00:00:00Z", w1[4]);
            assertEquals("2023-01-06T00:00:00Z", w1[2]);
            assertEquals(w0[9], w1[8], "window 1 starts from window 0's final equity");
            try (Database db = Database.open(dbUrl, 2)) {
                RunStore runs = new RunStore(db);
                for (String[] w : List.of(w0, w1)) {
                    JsonNode run = new ObjectMapper().readTree(runs.get(w[11]).orElseThrow().requestJson());
                    assertEquals(java.time.Instant.parse(w[4]).toEpochMilli(), run.get("strategyParams").get("tradeFrom").asLong());
                    assertEquals(w[12], run.get("strategyParams").get("fast_period").asText());
                }
            }
            JsonNode wf = new ObjectMapper().readTree(out.resolve("walkforward.json").toFile());
            assertEquals("succeeded", wf.get("status").asText());
            assertEquals(2, wf.get("windows").size());
            args[args.length - 9] = "5x";  // --in-sample
            assertEquals(2, new CommandLine(new WalkForwardCommand()).execute(args));
        } finally {
            TestDatabases.dropPostgresSchema(dbUrl);
        }
    }
}
