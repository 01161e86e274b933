package dev.candlebox.server.stats;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.run.RunStore;
import dev.candlebox.server.ServerConfig;
import dev.candlebox.server.backtest.BacktestRoutes;
import dev.candlebox.server.backtest.BacktestService;
import dev.candlebox.server.http.BadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code candlebox compare RUN_A RUN_B}: is run a's Sharpe ratio really above run b's on their common klines?
 * Prints the comparison of {@code POST /api/v1/compare} as JSON (and writes it with {@code --out}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two stored runs' Sharpe ratios with a 95 % studentized block-bootstrap interval (Ledoit & Wolf).")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_A", description = "id of the first run")
    String a;
    @Parameters(index = "1", paramLabel = "RUN_B", description = "id of the second run")
    String b;
    @Option(names = "--seed", description = "bootstrap seed (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;
    @Option(names = "--out", description = "also write the comparison to this JSON file")
    Path out;
    @Option(names = "--database-url", description = "the database (default: $DATABASE_URL, else the embedded H2 in the data folder)")
    String databaseUrl;
    @Option(names = "--data-dir", description = "folder of the embedded H2 database (default: $CANDLEBOX_DATA_DIR or ./data)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = ServerConfig.fromEnv(System.getenv());
        String dbUrl = databaseUrl != null ? databaseUrl
                : config.databaseUrl().orElseGet(() -> DatabaseUrl.embedded(dataDir != null ? dataDir : config.dataDir()));
        ObjectMapper json = BacktestService.json().enable(SerializationFeature.INDENT_OUTPUT);
        try (Database db = Database.open(dbUrl, 2)) {
            ObjectNode result;
            try {
                result = new CompareRoutes(new RunStore(db), json).compare(a, b, seed);
            } catch (BadRequest e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            } catch (BacktestRoutes.NotFound e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            String text = json.writeValueAsString(result);
            System.out.println(text);
            if (out != null) Files.writeString(out, text);
            return 0;
        }
    }
}
