package dev.candlebox.db.ingest;

import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;

import java.util.Locale;
import java.util.Optional;

/**
 * Imports kline files (see {@link KlineFileReader} for the formats) into the store, one series per file, and
 * records each import with its {@link ImportReport} in the {@link ImportLog}.
 *
 * <p>The series: the symbol is the file's symbol column, else {@code --symbol} (the name the klines are stored
 * under, e.g. BTCUSDTPERP for a futures file), else the file name; a {@code --symbol} contradicting the symbol
 * column is refused, and so is a file whose rows name several symbols. The interval is {@code --interval},
 * else the file name (or its folder).
 */
public final class FileImport {
    private final KlineStore store;
    private final ImportLog log;
    private final ImportSettings settings;

    public FileImport(KlineStore store, ImportLog log, ImportSettings settings) {
        this.store = store;
        this.log = log;
        this.settings = settings;
    }

    /**
     * One file to import.
     *
     * @param symbol      the symbol to store under, or null to take it from the file
     * @param interval    the interval, or null to take it from the file name
     * @param shiftMillis added to every time read (the Coinalyze export stores UTC+6: shift by -6 h)
     */
    public record Request(KlineFile file, String symbol, Interval interval, long shiftMillis) {
        public static Request of(KlineFile file) {
            return new Request(file, null, null, 0);
        }

        public Request withSymbol(String s) {
            return new Request(file, s, interval, shiftMillis);
        }

        public Request withInterval(Interval i) {
            return new Request(file, symbol, i, shiftMillis);
        }

        public Request withShiftMillis(long shift) {
            return new Request(file, symbol, interval, shift);
        }
    }

    /**
     * Imports one file. Throws {@link ImportException} when the file cannot be read or its series cannot be
     * told; the exception's partial report says what was stored before a bad row.
     */
    public ImportReport run(Request request) {
        KlineFile file = request.file();
        String source = file.name();
        try (KlineFileReader reader = KlineFileReader.open(file, request.shiftMillis())) {
            FileNameHints hints = FileNameHints.of(file);
            refuseNonTradeCandles(request, hints, source);
            Series series = new Series(symbolOf(request, reader, hints, source), intervalOf(request, hints, source));
            String fileSymbol = reader.firstSymbol() == null ? null : reader.firstSymbol().toUpperCase(Locale.ROOT);

            IngestSession session = new IngestSession(store, series, settings, source, reader.description(),
                    request.shiftMillis(), reader.hasCloseTimes(), null);
            try {
                reader.forEach((row, where) -> {
                    if (fileSymbol != null && !fileSymbol.equalsIgnoreCase(row.symbol)) {
                        throw ImportException.at(source, where, "names symbol '" + row.symbol + "', but the first row names '"
                                + fileSymbol + "': import one symbol per file");
                    }
                    session.accept(row, where);
                });
            } catch (ImportException e) {
                ImportReport partial = session.abort(e.getMessage());
                log.record(partial);
                throw e.withReport(partial);
            } catch (RuntimeException e) {
                ImportReport partial = session.abort(String.valueOf(e.getMessage()));
                log.record(partial);
                throw new ImportException(source + ": import failed: " + e.getMessage(), e).withReport(partial);
            }
            ImportReport report = session.finish();
            log.record(report);
            return report;
        }
    }

    private static void refuseNonTradeCandles(Request request, FileNameHints hints, String source) {
        String type = hints.candleType();
        if (type == null) return;
        if (type.startsWith("funding")) {
            throw new ImportException(source + ": the name says funding rates (freqtrade candle type '" + type
                    + "'), not klines: import it with `candlebox import funding`");
        }
        if (request.symbol() == null) {
            throw new ImportException(source + ": the name says '" + type + "' candles (mark or index prices, "
                    + "not trades); storing them under the trade symbol would mix the two. Pass --symbol with a name "
                    + "of their own (e.g. BTCUSDTMARK) to import them anyway");
        }
    }

    private static String symbolOf(Request request, KlineFileReader reader, FileNameHints hints, String source) {
        Optional<String> inFile = reader.firstSymbol() == null ? Optional.empty()
                : Series.normalizeSymbol(reader.firstSymbol().replace("/", "").replace("-", ""));
        if (reader.firstSymbol() != null && inFile.isEmpty()) {
            throw new ImportException(source + ": the symbol column says '" + reader.firstSymbol()
                    + "', which is not a symbol Candlebox can store (2 to 32 letters and digits)");
        }
        if (request.symbol() != null) {
            String flag = Series.normalizeSymbol(request.symbol()).orElseThrow(() -> new ImportException(
                    "invalid symbol '" + request.symbol() + "': 2 to 32 letters and digits, like BTCUSDT"));
            // a flag that contradicts the rows is more likely a slip than a wish to store ETH under BTC
            if (inFile.isPresent() && !inFile.get().equals(flag)) {
                throw new ImportException(source + ": the file's symbol column says " + inFile.get() + ", but --symbol says "
                        + flag + "; leave --symbol out (or give the file's own symbol)");
            }
            return flag;
        }
        if (inFile.isPresent()) return inFile.get();
        return hints.symbol().orElseThrow(() -> new ImportException(source + ": cannot tell the symbol: the file has "
                + "no symbol column and its name mentions " + (hints.symbols().isEmpty() ? "none"
                : "several (" + String.join(", ", hints.symbols()) + ")") + "; pass --symbol"));
    }

    private static Interval intervalOf(Request request, FileNameHints hints, String source) {
        if (request.interval() != null) return request.interval();
        return hints.interval().orElseThrow(() -> new ImportException(source + ": cannot tell the interval: its name "
                + "mentions " + (hints.intervals().isEmpty() ? "none"
                : "several (" + String.join(", ", hints.intervals().stream().map(Interval::code).sorted().toList()) + ")")
                + "; pass --interval (one of " + String.join(", ", Interval.codes()) + ")"));
    }
}
