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

/** {@code candlebox optimize} writes the ranked trials as CSV and JSON; {@code candlebox compare} compares two of them. */
class OptimizeCommandTest {
    @Test
    void optimizeWritesOneRankedRowPerTrialAndCompareComparesTwoOfItsRuns() throws Exception {
        String dbUrl = TestDatabases.freshPostgres();
        try {
            try (Database db = Database.open(dbUrl, 2)) {
                new KlineStore(db).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(MainSeries.lines()));
            }
            Path out = Files.createTempDirectory("optimize-out");
            Path strategy = Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies/ma_cross.py");
            int exit = new CommandLine(new OptimizeCommand()).execute(strategy.toString(), "--symbol", "BTCUSDT", "--interval", "1h",
                    "--from", "2023-01-01", "--to", "2023-03-01", "--space",
                    "{\"fast_period\": {\"int\": [5, 10], \"step\": 5}, \"slow_period\": {\"choice\": [20, 30]}}",
                    "--method", "grid", "--min-trades", "1", "--workers", "1", "--out", out.toString(), "--database-url", dbUrl);
            assertEquals(0, exit);
            List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
            assertTrue(rows.getFirst().startsWith("rank,trial,run_id,status,feasible,objective,fast_period,slow_period,totalReturn,"), rows.getFirst());
            assertEquals(5, rows.size(), "a header and the 4 points of the grid");
            JsonNode sweep = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
            assertEquals("succeeded", sweep.get("status").asText());
            double previous = Double.POSITIVE_INFINITY;
            try (Database db = Database.open(dbUrl, 2)) {
                RunStore runs = new RunStore(db);
                for (String row : rows.subList(1, rows.size())) {
                    String[] f = row.split(",");
                    double sharpe = Double.parseDouble(f[5]);
                    assertTrue(sharpe <= previous, "ranked by the objective: " + rows);
                    previous = sharpe;
                    // each row is a stored run with those parameters and that Sharpe ratio
                    JsonNode run = new ObjectMapper().readTree(runs.get(f[2]).orElseThrow().requestJson());
                    assertEquals(f[6], run.get("strategyParams").get("fast_period").asText());
                    assertEquals(f[7], run.get("strategyParams").get("slow_period").asText());
                    JsonNode metrics = new ObjectMapper().readTree(runs.get(f[2]).orElseThrow().metricsJson()).get("metrics");
                    assertEquals(metrics.get("sharpe").asDouble(), sharpe, 0);
                }
            }
            String a = rows.get(1).split(",")[2], b = rows.get(4).split(",")[2];
            Path cmp = out.resolve("compare.json");
            assertEquals(0, new CommandLine(new CompareCommand()).execute(a, b, "--out", cmp.toString(), "--database-url", dbUrl));
            JsonNode c = new ObjectMapper().readTree(cmp.toFile());
            assertEquals(Double.parseDouble(rows.get(1).split(",")[5]), c.get("sharpeA").asDouble(), 0.05,
                    "the population-sd Sharpe ratio on the same klines is within a hair of the run's");
            assertEquals(c.get("sharpeA").asDouble() - c.get("sharpeB").asDouble(), c.get("difference").asDouble(), 1e-12);
            assertEquals(2, new CommandLine(new CompareCommand()).execute(a, "no-such-run", "--database-url", dbUrl));
        } finally {
            TestDatabases.dropPostgresSchema(dbUrl);
        }
    }
}
