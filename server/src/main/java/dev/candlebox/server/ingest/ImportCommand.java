package dev.candlebox.server.ingest;

import dev.candlebox.db.Database;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.DatabaseUrl;
import dev.candlebox.db.ingest.BinanceClient;
import dev.candlebox.db.ingest.BinanceImport;
import dev.candlebox.db.ingest.BinanceFundingImport;
import dev.candlebox.db.ingest.BinanceMarket;
import dev.candlebox.db.ingest.DerivativesFileImport;
import dev.candlebox.db.ingest.DerivativesReport;
import dev.candlebox.db.ingest.FileImport;
import dev.candlebox.db.ingest.FundingFileImport;
import dev.candlebox.db.ingest.FundingReport;
import dev.candlebox.db.ingest.ImportException;
import dev.candlebox.db.ingest.ImportLog;
import dev.candlebox.db.ingest.ImportReport;
import dev.candlebox.db.ingest.ImportSettings;
import dev.candlebox.db.ingest.KlineFile;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code candlebox import file PATH...} and {@code candlebox import binance ...}: klines into the same database
 * {@code serve} uses; {@code import funding PATH...} and {@code import binance-funding ...}: funding rates of
 * perpetuals beside them; {@code import derivatives PATH...}: open interest, long/short ratios and liquidations.
 * A data-quality report for each import. Exit code 0 when every import completed,
 * 1 when one failed (the message says why), 2 for a usage error.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import klines, funding rates or derivatives data into the database: from files, or downloaded from Binance.",
        subcommands = {ImportCommand.Files.class, ImportCommand.Binance.class, ImportCommand.Funding.class,
                ImportCommand.BinanceFunding.class, ImportCommand.DerivativesFiles.class})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Which database: the same rules as {@code serve}. */
    static final class DatabaseOptions {
        @Option(names = "--database-url", paramLabel = "URL",
                description = "PostgreSQL (postgresql://user:pass@host:port/db, postgres://..., jdbc:postgresql://...) "
                        + "or H2 JDBC URL. Default: env DATABASE_URL, else the embedded H2 database in the data folder.")
        String url;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Folder of the embedded database. Default: env CANDLEBOX_DATA_DIR, else ./data.")
        Path dataDir;

        String resolve() {
            if (url != null && !url.isBlank()) return url;
            String env = System.getenv("DATABASE_URL");
            if (env != null && !env.isBlank()) return env;
            Path dir = dataDir;
            if (dir == null) {
                String envDir = System.getenv("CANDLEBOX_DATA_DIR");
                dir = Path.of(envDir == null || envDir.isBlank() ? "data" : envDir);
            }
            return DatabaseUrl.embedded(dir);
        }
    }

    /** How each import runs and how its report is shown. */
    static final class ReportOptions {
        @Option(names = "--json", description = "Print each report as one line of JSON instead of text.")
        boolean json;

        @Option(names = "--show", paramLabel = "N", defaultValue = "20",
                description = "Entries of each list (gaps, violations...) printed in the text report. Default: ${DEFAULT-VALUE}.")
        int show;

        @Option(names = "--report-limit", paramLabel = "N", defaultValue = "" + ImportSettings.DEFAULT_REPORT_LIMIT,
                description = "Entries kept per list in the stored report (counts stay complete). Default: ${DEFAULT-VALUE}.")
        int reportLimit;

        @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "" + ImportSettings.DEFAULT_BATCH_SIZE,
                description = "Klines per database write. Default: ${DEFAULT-VALUE}.")
        int batchSize;

        ImportSettings settings(boolean keepLastRow) {
            return ImportSettings.defaults().withBatchSize(batchSize).withReportLimit(reportLimit).withKeepLastRow(keepLastRow);
        }

        void print(PrintWriter out, ImportReport r) {
            out.println(json ? r.toJson() : ReportText.render(r, show));
            out.flush();
        }

        void print(PrintWriter out, FundingReport r) {
            out.println(json ? r.toJson() : FundingReportText.render(r, show));
            out.flush();
        }

        void print(PrintWriter out, DerivativesReport r) {
            out.println(json ? r.toJson() : DerivativesReportText.render(r, show));
            out.flush();
        }
    }

    /** Timeouts, retries and the progress bar of a download from Binance. */
    static final class DownloadOptions {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Time allowed for one response, body included. Default: ${DEFAULT-VALUE}.")
        double timeoutSeconds;

        @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "Time allowed to connect. Default: ${DEFAULT-VALUE}.")
        double connectTimeoutSeconds;

        @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "8",
                description = "Attempts per request before giving up. Default: ${DEFAULT-VALUE}.")
        int maxAttempts;

        @Option(names = "--backoff", paramLabel = "SECONDS", defaultValue = "1",
                description = "Wait after the first failure, doubled after each further one (plus jitter). Default: ${DEFAULT-VALUE}.")
        double backoffSeconds;

        @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "60",
                description = "Longest wait between attempts. Default: ${DEFAULT-VALUE}.")
        double maxBackoffSeconds;

        @Option(names = "--max-retry-after", paramLabel = "SECONDS", defaultValue = "300",
                description = "Fail instead of waiting when Binance's Retry-After is longer. Default: ${DEFAULT-VALUE}.")
        double maxRetryAfterSeconds;

        @Option(names = "--no-progress", description = "No progress bar (it is drawn only on a terminal anyway).")
        boolean noProgress;

        BinanceClient.Config config() {
            return BinanceClient.Config.defaults()
                    .withTimeouts(seconds(connectTimeoutSeconds), seconds(timeoutSeconds))
                    .withRetries(maxAttempts, seconds(backoffSeconds), seconds(maxBackoffSeconds), seconds(maxRetryAfterSeconds));
        }

        boolean drawProgress() {
            return !noProgress && System.console() != null && System.console().isTerminal();
        }

        private static Duration seconds(double s) {
            if (s < 0 || Double.isNaN(s)) throw new IllegalArgumentException("durations must not be negative, got " + s);
            return Duration.ofMillis(Math.round(s * 1000));
        }
    }

    @Command(name = "file", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import kline files: CSV (with or without a header; epoch or ISO times; 6, 7, 9, 11, 12 or "
                    + "13 columns) or JSON arrays, gzip, zip or plain. The format is read from the content.",
                    "The symbol comes from --symbol, else the file's symbol column, else its name; the interval from "
                            + "--interval, else the name (BTCUSDT-1h-2023-01.csv.gz, 1h/BTCUSDT.csv)."})
    static final class Files implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files to import, one series each.")
        List<Path> paths;

        @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Store under this symbol (e.g. BTCUSDT).")
        String symbol;

        @Option(names = "--interval", paramLabel = "INTERVAL", converter = IntervalConverter.class,
                description = "Kline interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M.")
        Interval interval;

        @Option(names = "--shift-hours", paramLabel = "HOURS", defaultValue = "0",
                description = "Add this many hours to every time read, e.g. -6 for the Coinalyze export (stored in UTC+6).")
        double shiftHours;

        @Option(names = "--keep-last-row",
                description = "Store the last row of a file without close times (by default it is dropped as possibly still forming).")
        boolean keepLastRow;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ReportOptions report;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            long shift = Math.round(shiftHours * 3_600_000d);
            int failed = 0;
            try (Database db = openDatabase(database, err)) {
                if (db == null) return 1;
                FileImport importer = new FileImport(new KlineStore(db), new ImportLog(db), report.settings(keepLastRow));
                for (Path p : paths) {
                    try {
                        ImportReport r = importer.run(new FileImport.Request(KlineFile.of(p), symbol, interval, shift));
                        report.print(out, r);
                    } catch (ImportException e) {
                        failed++;
                        e.partialReport().ifPresent(r -> report.print(out, r));
                        err.println("import failed: " + e.getMessage());
                        err.flush();
                    } catch (RuntimeException e) {
                        failed++;
                        err.println("import failed: " + p + ": " + e.getMessage());
                        err.flush();
                    }
                }
            }
            if (failed > 0 && paths.size() > 1) err.println(failed + " of " + paths.size() + " files failed");
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "binance", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Download klines from Binance's public REST API (no key needed) for a time range, page by page, "
                    + "with retries. Resumable: run it again and it continues after the last stored kline in the range.",
                    "The kline still forming at the end of the range is not stored."})
    static final class Binance implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "Binance symbol, e.g. BTCUSDT.")
        String symbol;

        @Option(names = "--interval", required = true, paramLabel = "INTERVAL", converter = IntervalConverter.class,
                description = "Kline interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M.")
        Interval interval;

        @Option(names = "--from", required = true, paramLabel = "TIME", converter = TimeConverter.class,
                description = "First open time (inclusive): 2024-01-01, 2024-01-01T12:00, ISO with offset, or epoch ms. UTC.")
        long from;

        @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
                description = "End of the range (exclusive). Default: now.")
        Long to;

        @Option(names = "--market", paramLabel = "MARKET", defaultValue = "spot",
                description = "spot (api.binance.com, 1000 klines a request) or futures (USDT-M, fapi.binance.com, 1500). Default: ${DEFAULT-VALUE}.")
        String market;

        @Option(names = "--store-as", paramLabel = "SYMBOL",
                description = "Store under this symbol instead (tables have no market: keep futures apart with e.g. BTCUSDTPERP).")
        String storeAs;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "Base URL of the API (default https://api.binance.com for spot, https://fapi.binance.com for futures).")
        URI baseUrl;

        @Option(names = "--no-resume", description = "Download the whole range again (stored klines are kept as they are).")
        boolean noResume;

        @Mixin
        DownloadOptions download;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ReportOptions report;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            BinanceImport.Request request;
            BinanceMarket m;
            BinanceClient.Config config;
            try {
                m = BinanceMarket.parse(market);
                long end = to != null ? to : System.currentTimeMillis();
                request = new BinanceImport.Request(m, symbol, interval, from, end, storeAs, !noResume);
                config = download.config();
                if (baseUrl != null) config = config.withBaseUrl(m, baseUrl);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (Database db = openDatabase(database, err)) {
                if (db == null) return 1;
                try (BinanceClient client = new BinanceClient(config);
                     ProgressBarListener progress = new ProgressBarListener(download.drawProgress(), err)) {
                    BinanceImport importer = new BinanceImport(new KlineStore(db), new ImportLog(db), client, report.settings(false));
                    ImportReport r;
                    try {
                        r = importer.run(request, progress);
                    } finally {
                        progress.close();
                    }
                    report.print(out, r);
                    return 0;
                } catch (ImportException e) {
                    e.partialReport().ifPresent(r -> report.print(out, r));
                    err.println("import failed: " + e.getMessage());
                    if (e.partialReport().map(r -> r.rowsAdded() > 0).orElse(false)) {
                        err.println("the klines stored so far are kept; run the same command again to continue");
                    }
                    err.flush();
                    return 1;
                }
            }
        }
    }

    @Command(name = "funding", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import funding-rate files of perpetuals into table funding_rates: CSV with a header naming "
                    + "a time and a rate column (fundingTime,fundingIntervalHours,fundingRate; calc_time,...,last_funding_rate; "
                    + "timestamp,symbol,funding_rate), freqtrade's ...-8h-funding_rate.json, or Binance's fundingRate answer "
                    + "saved as JSON; gzip, zip or plain. The format is read from the content.",
                    "The symbol comes from --symbol, else the file's symbol column, else its name. Mark prices: the file's, "
                            + "else --mark, else freqtrade's ...-mark.json beside the file."})
    static final class Funding implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Funding files to import, one symbol each.")
        List<Path> paths;

        @Option(names = "--symbol", paramLabel = "SYMBOL",
                description = "Store under this symbol: the one the futures klines are stored under (e.g. BTCUSDT).")
        String symbol;

        @Option(names = "--interval-hours", paramLabel = "HOURS",
                description = "Funding interval for files that do not state it. Default: told from the spacing of the times.")
        Integer intervalHours;

        @Option(names = "--mark", paramLabel = "PATH",
                description = "Mark-price klines (any kline file) whose opens give the mark price at each funding time.")
        Path mark;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ReportOptions report;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (intervalHours != null && (intervalHours < 1 || intervalHours > 24)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--interval-hours must be 1 to 24, got " + intervalHours);
            }
            int failed = 0;
            try (Database db = openDatabase(database, err)) {
                if (db == null) return 1;
                FundingFileImport importer = new FundingFileImport(new FundingStore(db), new ImportLog(db), report.settings(false));
                for (Path p : paths) {
                    try {
                        FundingReport r = importer.run(new FundingFileImport.Request(KlineFile.of(p), symbol, intervalHours,
                                mark == null ? null : KlineFile.of(mark)));
                        report.print(out, r);
                    } catch (ImportException e) {
                        failed++;
                        err.println("import failed: " + e.getMessage());
                        err.flush();
                    } catch (RuntimeException e) {
                        failed++;
                        err.println("import failed: " + p + ": " + e.getMessage());
                        err.flush();
                    }
                }
            }
            if (failed > 0 && paths.size() > 1) err.println(failed + " of " + paths.size() + " files failed");
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "binance-funding", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Download a USDT-M perpetual's settled funding rates (with mark prices) from Binance's public "
                    + "GET /fapi/v1/fundingRate (no key needed), 1000 a request, with retries. Resumable: run it again and "
                    + "it continues after the last stored funding time in the range."})
    static final class BinanceFunding implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "Binance perpetual, e.g. BTCUSDT.")
        String symbol;

        @Option(names = "--from", required = true, paramLabel = "TIME", converter = TimeConverter.class,
                description = "First funding time (inclusive): 2024-01-01, 2024-01-01T12:00, ISO with offset, or epoch ms. UTC.")
        long from;

        @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
                description = "End of the range (exclusive). Default: now.")
        Long to;

        @Option(names = "--store-as", paramLabel = "SYMBOL",
                description = "Store under this symbol instead: the one the futures klines are stored under (e.g. BTCUSDTPERP).")
        String storeAs;

        @Option(names = "--interval-hours", paramLabel = "HOURS",
                description = "Funding interval. Default: told from the spacing of the times.")
        Integer intervalHours;

        @Option(names = "--base-url", paramLabel = "URL", description = "Base URL of the futures API (default https://fapi.binance.com).")
        URI baseUrl;

        @Option(names = "--no-resume", description = "Download the whole range again (stored rates are kept as they are).")
        boolean noResume;

        @Mixin
        DownloadOptions download;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ReportOptions report;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            BinanceFundingImport.Request request;
            BinanceClient.Config config;
            try {
                long end = to != null ? to : System.currentTimeMillis();
                request = new BinanceFundingImport.Request(symbol, from, end, storeAs, intervalHours, !noResume);
                config = download.config();
                if (baseUrl != null) config = config.withBaseUrl(BinanceMarket.USDT_FUTURES, baseUrl);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (Database db = openDatabase(database, err)) {
                if (db == null) return 1;
                try (BinanceClient client = new BinanceClient(config);
                     ProgressBarListener progress = new ProgressBarListener(download.drawProgress(), err, " funding times")) {
                    BinanceFundingImport importer = new BinanceFundingImport(new FundingStore(db), new ImportLog(db), client,
                            report.settings(false));
                    FundingReport r;
                    try {
                        r = importer.run(request, progress);
                    } finally {
                        progress.close();
                    }
                    report.print(out, r);
                    return 0;
                } catch (ImportException e) {
                    e.fundingReport().ifPresent(r -> report.print(out, r));
                    err.println("import failed: " + e.getMessage());
                    if (e.fundingReport().map(r -> r.rowsAdded() > 0).orElse(false)) {
                        err.println("the funding rates stored so far are kept; run the same command again to continue");
                    }
                    err.flush();
                    return 1;
                }
            }
        }
    }

    @Command(name = "derivatives", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import open interest, long/short ratios and liquidations of perpetuals into tables open_interest, "
                    + "long_short_ratio and liquidations: the Coinalyze exports (no header; 5, 4 or 3 columns) or CSV with a "
                    + "header (timestamp,symbol,sum_open_interest,sum_open_interest_value; longShortRatio,longAccount,shortAccount; "
                    + "liquidations_long,liquidations_short); gzip, zip or plain. The format is read from the content.",
                    "The symbol comes from --symbol, else the file's symbol column, else its name; the interval from "
                            + "--interval, else the name, else the spacing of the times. Coinalyze's exports need --shift-hours -6."})
    static final class DerivativesFiles implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files to import, one symbol and interval each.")
        List<Path> paths;

        @Option(names = "--symbol", paramLabel = "SYMBOL",
                description = "Store under this symbol: the one the futures klines are stored under (e.g. BTCUSDT).")
        String symbol;

        @Option(names = "--interval", paramLabel = "INTERVAL", converter = IntervalConverter.class,
                description = "Interval of the rows: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M. Default: the file name, else the spacing of the times.")
        Interval interval;

        @Option(names = "--shift-hours", paramLabel = "HOURS", defaultValue = "0",
                description = "Add this many hours to every time read, e.g. -6 for the Coinalyze exports (stored in UTC+6).")
        double shiftHours;

        @Option(names = "--prices", paramLabel = "PATH",
                description = "Klines (any kline file, same time zone) whose closes value liquidations given in the base asset. "
                        + "Default: the Coinalyze ..._ohlcv-history file beside a ..._liquidation-history file.")
        Path prices;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ReportOptions report;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            long shift = Math.round(shiftHours * 3_600_000d);
            int failed = 0;
            try (Database db = openDatabase(database, err)) {
                if (db == null) return 1;
                DerivativesFileImport importer = new DerivativesFileImport(new Derivatives(db), new ImportLog(db), report.settings(false));
                for (Path p : paths) {
                    try {
                        DerivativesReport r = importer.run(new DerivativesFileImport.Request(KlineFile.of(p), symbol, interval, shift,
                                prices == null ? null : KlineFile.of(prices)));
                        report.print(out, r);
                    } catch (ImportException e) {
                        failed++;
                        err.println("import failed: " + e.getMessage());
                        err.flush();
                    } catch (RuntimeException e) {
                        failed++;
                        err.println("import failed: " + p + ": " + e.getMessage());
                        err.flush();
                    }
                }
            }
            if (failed > 0 && paths.size() > 1) err.println(failed + " of " + paths.size() + " files failed");
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    /** Opens the database, or prints why it cannot and returns null. */
    static Database openDatabase(DatabaseOptions options, PrintWriter err) {
        String url;
        try {
            url = options.resolve();
            return Database.open(url, 2);
        } catch (RuntimeException e) {
            String msg = rootMessage(e);
            err.println("cannot open the database: " + msg);
            if (msg.contains("already in use") || msg.contains("locked by another process")) {
                err.println("the embedded database is in use, probably by `candlebox serve`: stop it while importing, "
                        + "or run both on PostgreSQL (DATABASE_URL)");
            }
            err.flush();
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    static final class IntervalConverter implements CommandLine.ITypeConverter<Interval> {
        @Override
        public Interval convert(String value) {
            return Interval.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not an interval; one of " + String.join(", ", Interval.codes())));
        }
    }

    /** UTC times as users type them: a date, a date-time (offset optional) or epoch milliseconds. */
    static final class TimeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip();
            try {
                if (v.matches("\\d{10,}")) return Long.parseLong(v);
                if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                try {
                    return OffsetDateTime.parse(v).toInstant().toEpochMilli();
                } catch (DateTimeException e) {
                    try {
                        return Instant.parse(v).toEpochMilli();
                    } catch (DateTimeException e2) {
                        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
                    }
                }
            } catch (DateTimeException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a time: use 2024-01-01, 2024-01-01T12:00, 2024-01-01T12:00:00+00:00 or epoch milliseconds");
            }
        }
    }
}
