package dev.candlebox.db.ingest;

import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.Series;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Imports funding-rate files (see {@link FundingFileReader} for the shapes) into {@link FundingStore}, one symbol
 * per file, and records each import with its {@link FundingReport} in the {@link ImportLog}. A file is read whole
 * before anything is stored: a bad row stores nothing.
 *
 * <p>The symbol: the file's symbol column, else {@code --symbol}, else the file name (a flag contradicting the
 * column is refused). Mark prices: the source's own, else the opens of a mark-price kline file given with
 * {@code --mark}, else of freqtrade's sibling {@code ...-8h-mark.json.gz} beside a {@code ...-8h-funding_rate}
 * file.
 */
public final class FundingFileImport {
    private final FundingStore store;
    private final ImportLog log;
    private final ImportSettings settings;

    public FundingFileImport(FundingStore store, ImportLog log, ImportSettings settings) {
        this.store = store;
        this.log = log;
        this.settings = settings;
    }

    /**
     * One file to import.
     *
     * @param symbol        the symbol to store under, or null to take it from the file
     * @param intervalHours the funding interval for a file that does not state it, or null to tell it from the
     *                      spacing of the times
     * @param markFile      mark-price klines whose opens give the mark price at each settlement, or null (a
     *                      freqtrade sibling is then looked for)
     */
    public record Request(KlineFile file, String symbol, Integer intervalHours, KlineFile markFile) {
        public Request {
            if (intervalHours != null && (intervalHours < 1 || intervalHours > 24)) {
                throw new IllegalArgumentException("funding interval must be 1 to 24 hours, got " + intervalHours);
            }
        }

        public static Request of(KlineFile file) {
            return new Request(file, null, null, null);
        }

        public Request withSymbol(String s) {
            return new Request(file, s, intervalHours, markFile);
        }

        public Request withIntervalHours(Integer h) {
            return new Request(file, symbol, h, markFile);
        }

        public Request withMarkFile(KlineFile f) {
            return new Request(file, symbol, intervalHours, f);
        }
    }

    /**
     * Imports one file. Throws {@link ImportException} naming the file and line when it cannot be read, or when
     * its symbol cannot be told; nothing of that file is stored then.
     */
    public FundingReport run(Request request) {
        KlineFile file = request.file();
        String source = file.name();
        FundingFileReader.Parsed parsed = FundingFileReader.read(file);
        String symbol = symbolOf(request, parsed, source);
        FundingSession session = new FundingSession(store, symbol, settings, source, parsed.description(),
                request.intervalHours(), null);
        parsed.rows().forEach(session::accept);
        try {
            KlineFile mark = request.markFile() != null ? request.markFile() : freqtradeMarkSibling(file).orElse(null);
            if (mark != null) session.attachMarkPrices(markOpens(mark), mark.name());
            FundingReport report = session.finish();
            log.record(report);
            return report;
        } catch (ImportException e) {
            FundingReport refused = session.refused(e.getMessage());
            log.record(refused);
            throw e.withFundingReport(refused);
        }
    }

    /** The opens of a mark-price kline file by open time: the mark price at a settlement at that time. */
    private static Map<Long, BigDecimal> markOpens(KlineFile mark) {
        Map<Long, BigDecimal> out = new HashMap<>();
        try (KlineFileReader reader = KlineFileReader.open(mark, 0)) {
            // the shortest decimal that reads back as the double: the text of the file for prices of up to 15 digits
            reader.forEach((row, where) -> out.put(row.openTime, BigDecimal.valueOf(row.open)));
        }
        return out;
    }

    /** freqtrade writes {@code BTC_USDT_USDT-8h-funding_rate.json} and {@code BTC_USDT_USDT-8h-mark.json} side by side. */
    static Optional<KlineFile> freqtradeMarkSibling(KlineFile file) {
        String name = file.fileName();
        int at = name.indexOf("-funding_rate.");
        if (at < 0 || file.name().startsWith("classpath:")) return Optional.empty();
        Path sibling = Path.of(file.name()).resolveSibling(name.substring(0, at) + "-mark." + name.substring(at + "-funding_rate.".length()));
        return Files.isRegularFile(sibling) ? Optional.of(KlineFile.of(sibling)) : Optional.empty();
    }

    private static String symbolOf(Request request, FundingFileReader.Parsed parsed, String source) {
        return storeSymbol(request.symbol(), parsed.symbol(), request.file(), source);
    }

    /**
     * The symbol a file's rows are stored under: the file's symbol column, else {@code --symbol}, else the file
     * name; a flag that contradicts the column is refused. For every import of one symbol per file.
     */
    static String storeSymbol(String flagSymbol, String column, KlineFile file, String source) {
        Optional<String> inFile = column == null ? Optional.empty()
                : Series.normalizeSymbol(column.replace("/", "").replace("-", "").replace("_", ""));
        if (column != null && inFile.isEmpty()) {
            throw new ImportException(source + ": the symbol column says '" + column
                    + "', which is not a symbol Candlebox can store (2 to 32 letters and digits)");
        }
        if (flagSymbol != null) {
            String flag = Series.normalizeSymbol(flagSymbol).orElseThrow(() -> new ImportException(
                    "invalid symbol '" + flagSymbol + "': 2 to 32 letters and digits, like BTCUSDT"));
            if (inFile.isPresent() && !inFile.get().equals(flag)) {
                throw new ImportException(source + ": the file's symbol column says " + inFile.get() + ", but --symbol says "
                        + flag + "; leave --symbol out (or give the file's own symbol)");
            }
            return flag;
        }
        if (inFile.isPresent()) return inFile.get();
        FileNameHints hints = FileNameHints.of(file);
        return hints.symbol().orElseThrow(() -> new ImportException(source + ": cannot tell the symbol: the file has "
                + "no symbol column and its name mentions " + (hints.symbols().isEmpty() ? "none"
                : "several (" + String.join(", ", hints.symbols()) + ")") + "; pass --symbol"));
    }
}
