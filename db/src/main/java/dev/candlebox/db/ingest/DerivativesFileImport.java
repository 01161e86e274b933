package dev.candlebox.db.ingest;

import dev.candlebox.db.derivatives.Derivative;
import dev.candlebox.db.derivatives.DerivativeStore;
import dev.candlebox.db.derivatives.Derivatives;
import dev.candlebox.db.derivatives.Liquidations;
import dev.candlebox.db.kline.Interval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Imports derivatives files (open interest, long/short ratio, liquidations; see {@link DerivativesFileReader} for
 * the shapes) into the {@link DerivativeStore}s, one symbol and interval per file, and records each import with
 * its {@link DerivativesReport} in the {@link ImportLog}. A file is read whole and checked before anything is
 * stored: a bad row stores nothing.
 *
 * <p>Symbol as for funding files (the symbol column, else {@code --symbol}, else the file name). Interval:
 * {@code --interval}, else the file name, else the most common spacing of the times. The Coinalyze exports store
 * UTC+6 wall times: {@code --shift-hours -6} puts them in UTC, as for its kline export. Their liquidations are in
 * the base asset; the quote value is the amount times the close of the kline opening at the same time, from
 * {@code --prices} or the export's {@code ..._ohlcv-history} file beside it.
 */
public final class DerivativesFileImport {
    private static final long HOUR = 3_600_000L;

    private final Derivatives derivatives;
    private final ImportLog log;
    private final ImportSettings settings;

    public DerivativesFileImport(Derivatives derivatives, ImportLog log, ImportSettings settings) {
        this.derivatives = derivatives;
        this.log = log;
        this.settings = settings;
    }

    /**
     * One file to import.
     *
     * @param symbol      the symbol to store under, or null to take it from the file
     * @param interval    the interval to store under, or null to tell it from the file name or the times
     * @param shiftMillis added to every time read (the Coinalyze exports store UTC+6: shift by -6 h)
     * @param prices      klines whose closes price liquidations given in the base asset, or null (the Coinalyze
     *                    {@code ..._ohlcv-history} file beside the source is then looked for)
     */
    public record Request(KlineFile file, String symbol, Interval interval, long shiftMillis, KlineFile prices) {
        public static Request of(KlineFile file) {
            return new Request(file, null, null, 0, null);
        }

        public Request withSymbol(String s) {
            return new Request(file, s, interval, shiftMillis, prices);
        }

        public Request withInterval(Interval i) {
            return new Request(file, symbol, i, shiftMillis, prices);
        }

        public Request withShiftMillis(long shift) {
            return new Request(file, symbol, interval, shift, prices);
        }

        public Request withPrices(KlineFile f) {
            return new Request(file, symbol, interval, shiftMillis, f);
        }
    }

    /**
     * Imports one file. Throws {@link ImportException} naming the file and line when it cannot be read, or when its
     * symbol or interval cannot be told; nothing of that file is stored then, and the refusal is logged.
     */
    public DerivativesReport run(Request request) {
        KlineFile file = request.file();
        String source = file.name();
        long startedAt = settings.clock().millis();
        String symbol = request.symbol();
        try {
            DerivativesFileReader.Parsed parsed = DerivativesFileReader.read(file, request.shiftMillis());
            symbol = FundingFileImport.storeSymbol(request.symbol(), parsed.symbol(), file, source);

            // settle the times: ascending, the first of a repeated time wins
            List<DerivativesFileReader.Row> sorted = new ArrayList<>(parsed.rows());
            sorted.sort(Comparator.comparingLong(DerivativesFileReader.Row::time)); // stable: file order within a time
            List<DerivativesFileReader.Row> distinct = new ArrayList<>(sorted.size());
            for (DerivativesFileReader.Row r : sorted) {
                if (distinct.isEmpty() || distinct.getLast().time() != r.time()) distinct.add(r);
            }
            long repeated = sorted.size() - distinct.size();

            String intervalFrom = "--interval";
            Interval interval = request.interval();
            if (interval == null) {
                Optional<Interval> named = FileNameHints.of(file).interval();
                intervalFrom = named.isPresent() ? "file name" : "spacing of the times";
                interval = named.orElseGet(() -> spacing(distinct).orElseThrow(() -> new ImportException(source
                        + ": cannot tell the interval: the file name names none and the times are not regularly spaced; pass --interval")));
            }
            for (DerivativesFileReader.Row r : distinct) {
                if (!IngestSession.onGrid(interval, r.time())) {
                    throw ImportException.at(source, r.where(), "time " + KlineTime.format(r.time()) + " is not on the "
                            + interval.code() + " grid (" + IngestSession.gridDescription(interval) + "); is the interval "
                            + "right, or do the times need --shift-hours?");
                }
            }

            // priced before anything is stored: a prices file that cannot be read stores nothing
            List<Liquidations> liquidations = distinct.stream().map(DerivativesFileReader.Row::liquidations)
                    .filter(Objects::nonNull).toList();
            long priced = 0, unpriced = 0;
            String priceSource = null;
            if (liquidations.stream().anyMatch(l -> l.longValue() == null && l.shortValue() == null)) {
                KlineFile prices = request.prices() != null ? request.prices() : coinalyzeOhlcvSibling(file).orElse(null);
                Map<Long, BigDecimal> closes = prices == null ? Map.of() : closes(prices, request.shiftMillis());
                priceSource = prices == null ? null : prices.name();
                List<Liquidations> valued = new ArrayList<>(liquidations.size());
                for (Liquidations l : liquidations) {
                    BigDecimal close = closes.get(l.timeMs());
                    if (l.longValue() != null || l.shortValue() != null) valued.add(l);
                    else if (close == null) {
                        unpriced++;
                        valued.add(l);
                    } else {
                        priced++;
                        valued.add(new Liquidations(l.timeMs(), quote(l.longBase(), close), quote(l.shortBase(), close),
                                l.longBase(), l.shortBase()));
                    }
                }
                liquidations = valued;
            }
            List<DerivativesReport.Conflict> conflicts = new ArrayList<>();
            long[] counts = new long[4]; // already stored, rows completed, conflicts, rows added
            Map<String, Long> added = new LinkedHashMap<>();
            List<String> tables = new ArrayList<>();
            upsert(derivatives.openInterest(), symbol, interval, distinct, DerivativesFileReader.Row::openInterest, added, tables, counts, conflicts);
            upsert(derivatives.longShortRatios(), symbol, interval, distinct, DerivativesFileReader.Row::longShortRatio, added, tables, counts, conflicts);

            Map<Long, Liquidations> byTime = new HashMap<>();
            for (Liquidations l : liquidations) byTime.put(l.timeMs(), l);
            upsert(derivatives.liquidations(), symbol, interval, distinct, r -> byTime.get(r.time()), added, tables, counts, conflicts);

            long gapCount = 0, missing = 0;
            List<DerivativesReport.Gap> gaps = new ArrayList<>();
            for (int i = 1; i < distinct.size(); i++) {
                long from = distinct.get(i - 1).time(), to = distinct.get(i).time();
                long absent = interval.barsBetween(from, to);
                if (absent <= 0) continue;
                gapCount++;
                missing += absent;
                if (gaps.size() < settings.reportLimit()) gaps.add(new DerivativesReport.Gap(from, to, absent));
            }
            DerivativesReport report = new DerivativesReport(source, symbol, interval.code(), intervalFrom, tables,
                    parsed.description(), startedAt, settings.clock().millis(), parsed.rows().size(), counts[3], added,
                    new ImportReport.Duplicates(counts[0], repeated), distinct.getFirst().time(), distinct.getLast().time(),
                    request.shiftMillis(), shiftText(request.shiftMillis(), parsed.coinalyze()), gapCount, missing, gaps,
                    parsed.valuesRounded(), counts[1], counts[2], conflicts, priced, unpriced, priceSource, null);
            log.record(report);
            return report;
        } catch (ImportException e) {
            log.record(new DerivativesReport(source, symbol == null ? "?" : symbol, request.interval() == null ? "?"
                    : request.interval().code(), null, List.of(), null, startedAt, settings.clock().millis(), 0, 0, Map.of(),
                    new ImportReport.Duplicates(0, 0), null, null, request.shiftMillis(), shiftText(request.shiftMillis(), false),
                    0, 0, List.of(), 0, 0, 0, List.of(), 0, 0, null, e.getMessage()));
            throw e;
        }
    }

    private <T extends Derivative> void upsert(DerivativeStore<T> store, String symbol, Interval interval,
                                               List<DerivativesFileReader.Row> rows, Function<DerivativesFileReader.Row, T> kind,
                                               Map<String, Long> added, List<String> tables, long[] counts,
                                               List<DerivativesReport.Conflict> conflicts) {
        List<T> of = rows.stream().map(kind).filter(Objects::nonNull).toList();
        if (of.isEmpty()) return;
        DerivativeStore.UpsertResult r = store.upsert(symbol, interval, of);
        tables.add(store.table());
        added.put(store.table(), r.inserted());
        counts[0] += r.alreadyStored();
        counts[1] += r.rowsCompleted();
        counts[2] += r.conflicts().size();
        counts[3] += r.inserted();
        for (DerivativeStore.Conflict c : r.conflicts()) {
            if (conflicts.size() < settings.reportLimit()) {
                conflicts.add(new DerivativesReport.Conflict(c.timeMs(), c.column(), c.stored(), c.offered()));
            }
        }
    }

    /** The report's words for the shift; a Coinalyze export read without one gets a warning. */
    static String shiftText(long shiftMillis, boolean coinalyze) {
        if (shiftMillis == 0) {
            return coinalyze ? "none: the Coinalyze exports store UTC+6 wall times, so these times are 6 hours late; "
                    + "import again with --shift-hours -6" : "none";
        }
        String hours = BigDecimal.valueOf(shiftMillis).divide(BigDecimal.valueOf(HOUR), 6, RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
        return (shiftMillis > 0 ? "+" : "") + hours + " h added to every time"
                + (coinalyze && shiftMillis == -6 * HOUR ? " (the Coinalyze export's UTC+6 wall times, now UTC)" : "");
    }

    /** The most common spacing of the times, when it is an interval Binance uses. */
    private static Optional<Interval> spacing(List<DerivativesFileReader.Row> rows) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 1; i < rows.size(); i++) counts.merge(rows.get(i).time() - rows.get(i - 1).time(), 1, Integer::sum);
        return counts.entrySet().stream().max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .flatMap(e -> Arrays.stream(Interval.values()).filter(i -> i != Interval.MONTH1 && i.nominalMillis() == e.getKey()).findFirst());
    }

    private static BigDecimal quote(BigDecimal base, BigDecimal close) {
        return base == null ? null : base.multiply(close).setScale(DerivativeStore.SCALE, RoundingMode.HALF_EVEN);
    }

    /** The closes of a kline file by open time, shifted like the derivatives file. */
    private static Map<Long, BigDecimal> closes(KlineFile prices, long shiftMillis) {
        Map<Long, BigDecimal> out = new HashMap<>();
        try (KlineFileReader reader = KlineFileReader.open(prices, shiftMillis)) {
            // the shortest decimal that reads back as the double: the file's text for prices of up to 15 digits
            reader.forEach((row, where) -> out.put(row.openTime, BigDecimal.valueOf(row.close)));
        }
        return out;
    }

    /** Coinalyze names its exports {@code BTCUSDT_PERP.A_liquidation-history.csv} and {@code ..._ohlcv-history.csv}. */
    static Optional<KlineFile> coinalyzeOhlcvSibling(KlineFile file) {
        String name = file.fileName();
        int at = name.indexOf("_liquidation-history.");
        if (at < 0 || file.name().startsWith("classpath:")) return Optional.empty();
        Path sibling = Path.of(file.name()).resolveSibling(name.substring(0, at) + "_ohlcv-history."
                + name.substring(at + "_liquidation-history.".length()));
        return Files.isRegularFile(sibling) ? Optional.of(KlineFile.of(sibling)) : Optional.empty();
    }
}
