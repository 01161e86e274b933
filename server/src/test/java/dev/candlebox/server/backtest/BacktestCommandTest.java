package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;
import dev.candlebox.server.MainSeries;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code candlebox backtest} writes its four files; the report renders in headless Chromium with markers and metrics. */
class BacktestCommandTest {
    static final long FROM = 1672531200000L; // 2023-01-01T00:00Z
    static final long TO = 1688083200000L;   // 2023-06-30T00:00Z
    /** Debian's chromium, as bin/test found it. */
    static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "chromium");

    @Test
    void theCommandWritesMetricsTradesEquityAndAReportThatRendersInChromium() throws Exception {
        String dbUrl = TestDatabases.freshPostgres();
        try {
            List<String[]> all = MainSeries.lines();
            try (Database db = Database.open(dbUrl, 2)) {
                new KlineStore(db).upsert(new Series("BTCUSDT", Interval.H1), MainSeries.columns(all));
            }
            Path out = Files.createTempDirectory("backtest-out");
            Path strategy = Path.of(System.getProperty("candlebox.repo.root", "..")).resolve("strategies/ma_cross.py");
            int exit = new CommandLine(new BacktestCommand()).execute(strategy.toString(), "--symbol", "btcusdt", "--interval", "1h",
                    "--from", "2023-01-01", "--to", "2023-06-30T00:00:00Z", "--params", "{\"fast_period\": 5, \"slow_period\": 20}",
                    "--balance", "5000", "--fee", "0.002", "--out", out.toString(), "--database-url", dbUrl);
            assertEquals(0, exit);

            List<String[]> range = all.stream().filter(f -> Long.parseLong(f[0]) >= FROM && Long.parseLong(f[0]) <= TO).toList();
            JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            int trades = metrics.get("result").get("totalTrades").asInt();
            assertTrue(trades > 10, "trades: " + trades);
            List<String> tradeRows = Files.readAllLines(out.resolve("trades.csv"));
            assertEquals("timestamp,type,reason,price,amount,fee,slippage,balance", tradeRows.getFirst());
            assertEquals(trades + 1, tradeRows.size());
            List<String> equityRows = Files.readAllLines(out.resolve("equity.csv"));
            assertEquals(range.size() + 1, equityRows.size(), "one equity row per kline in the range");
            assertEquals(range.size(), metrics.get("dataQuality").get("klinesUsed").asInt());

            // the trades re-checked with the contract's arithmetic, independently of the engine
            ArrayNode asJson = new ObjectMapper().createArrayNode();
            for (String row : tradeRows.subList(1, tradeRows.size())) {
                String[] f = row.split(",");
                // timestamp,type,reason,price,amount,fee,slippage,balance
                assertEquals("order", f[2]);
                assertEquals("0", f[6]);
                asJson.addObject().put("timestamp", f[0]).put("type", f[1]).put("price", f[3]).put("amount", f[4])
                        .put("fee", f[5]).put("balance", f[7]);
            }
            ContractArithmetic check = ContractArithmetic.replay(asJson, range, new BigDecimal("5000"), new BigDecimal("0.002"));
            assertEquals(check.finalEquity, metrics.get("result").get("finalBalance").asDouble(), 1e-6);
            assertEquals(check.maxDrawdown, metrics.get("metrics").get("maxDrawdown").asDouble(), 1e-9);
            assertEquals(Double.parseDouble(equityRows.getLast().split(",")[1]), check.finalEquity, 1e-6);

            Path report = out.resolve("report.html");
            String html = Files.readString(report);
            assertTrue(!html.contains("http://") && !html.contains("https://"), "self-contained: no network");
            Path png = out.resolve("report.png");
            Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + Files.createTempDirectory("chromium"), "--hide-scrollbars",
                    "--window-size=1300,1000", "--screenshot=" + png, report.toUri().toString())
                    .redirectErrorStream(true).redirectOutput(out.resolve("chromium.log").toFile()).start();
            assertTrue(chromium.waitFor(60, TimeUnit.SECONDS), "chromium finished");
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(count(image, 0x16a34a) > 20, "green buy markers are drawn");
            assertTrue(count(image, 0xdc2626) > 20, "red sell markers are drawn");

            Process dom = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + Files.createTempDirectory("chromium"), "--dump-dom", report.toUri().toString())
                    .redirectOutput(out.resolve("dom.html").toFile()).redirectError(out.resolve("chromium-dom.log").toFile()).start();
            assertTrue(dom.waitFor(60, TimeUnit.SECONDS));
            String rendered = Files.readString(out.resolve("dom.html"));
            assertTrue(rendered.contains("<td data-metric=\"totalTrades\">" + trades + "</td>"), "the metrics table shows totalTrades");
            assertEquals(trades, rendered.split("class=\"marker (buy|sell)\"", -1).length - 1, "one marker per trade");
        } finally {
            TestDatabases.dropPostgresSchema(dbUrl);
        }
    }

    static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xffffff) == rgb) n++;
        }
        return n;
    }
}
