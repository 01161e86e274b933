package dev.candlebox.db.ingest;

import dev.candlebox.db.derivatives.DerivativeStore;
import dev.candlebox.db.derivatives.Liquidations;
import dev.candlebox.db.derivatives.LongShortRatio;
import dev.candlebox.db.derivatives.OpenInterest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a derivatives file whole (an hourly year is 8,760 rows), its shape told from the content, with
 * {@link KlineFileReader}'s decompression and CSV sniffing:
 * <ul>
 *   <li>CSV with a header naming a time column and value columns: Binance's {@code openInterestHist} and
 *       data.binance.vision's metrics ({@code timestamp,symbol,sum_open_interest,sum_open_interest_value},
 *       {@code create_time,...,count_long_short_ratio}), {@code longShortRatio,longAccount,shortAccount}, and this
 *       project's own names ({@code open_interest}, {@code liquidations_long}, ...). One file may hold several kinds.</li>
 *   <li>CSV without a header: the Coinalyze exports, told by their number of fields — 5: open interest
 *       {@code time,open,high,low,close} (the close is stored); 4: long/short ratio {@code time,ratio,long %,short %};
 *       3: liquidations {@code time,long,short} in the base asset.</li>
 * </ul>
 * Values are read as decimal text, never through {@code double}; more than {@link DerivativeStore#SCALE} decimals
 * (Coinalyze writes {@code 0.9740000000000001}) are rounded half-even and counted.
 */
final class DerivativesFileReader {
    /** One row as read; {@code shiftMillis} already added to the time. Kinds the row does not have are null. */
    record Row(long time, OpenInterest openInterest, LongShortRatio longShortRatio, Liquidations liquidations, String where) {}

    /**
     * A whole file: its rows in file order, how it was read, the symbol its rows name (or null), whether it is a
     * Coinalyze export (whose times are UTC+6 wall times), and how many values were rounded.
     */
    record Parsed(List<Row> rows, String description, String symbol, boolean coinalyze, long valuesRounded) {}

    private enum Field {
        TIME("time"), SYMBOL("symbol"), OI("open interest"), OI_VALUE("open interest value"), RATIO("long/short ratio"),
        LONG_ACCOUNT("long account share"), SHORT_ACCOUNT("short account share"), LIQ_LONG("long liquidations"),
        LIQ_SHORT("short liquidations"), LIQ_LONG_BASE("long liquidations (base)"), LIQ_SHORT_BASE("short liquidations (base)");

        final String label;

        Field(String label) {
            this.label = label;
        }
    }

    private static final Map<String, Field> NAMES = Map.ofEntries(
            Map.entry("timestamp", Field.TIME), Map.entry("time", Field.TIME), Map.entry("date", Field.TIME),
            Map.entry("datetime", Field.TIME), Map.entry("opentime", Field.TIME), Map.entry("createtime", Field.TIME),
            Map.entry("t", Field.TIME), Map.entry("symbol", Field.SYMBOL),
            Map.entry("sumopeninterest", Field.OI), Map.entry("openinterest", Field.OI), Map.entry("oi", Field.OI),
            Map.entry("sumopeninterestvalue", Field.OI_VALUE), Map.entry("openinterestvalue", Field.OI_VALUE),
            Map.entry("oivalue", Field.OI_VALUE),
            Map.entry("longshortratio", Field.RATIO), Map.entry("countlongshortratio", Field.RATIO), Map.entry("lsratio", Field.RATIO),
            Map.entry("longaccount", Field.LONG_ACCOUNT), Map.entry("shortaccount", Field.SHORT_ACCOUNT),
            Map.entry("liquidationslong", Field.LIQ_LONG), Map.entry("longliquidations", Field.LIQ_LONG),
            Map.entry("liquidationsshort", Field.LIQ_SHORT), Map.entry("shortliquidations", Field.LIQ_SHORT),
            Map.entry("liquidationslongbase", Field.LIQ_LONG_BASE), Map.entry("liquidationsshortbase", Field.LIQ_SHORT_BASE));

    private final String source;
    private final long shiftMillis;
    private long rounded;
    /** Whether the account shares of this file are per cent (Coinalyze: 71.41) rather than fractions (0.7141). */
    private Boolean sharesInPercent;

    private DerivativesFileReader(String source, long shiftMillis) {
        this.source = source;
        this.shiftMillis = shiftMillis;
    }

    static Parsed read(KlineFile file, long shiftMillis) {
        String source = file.name();
        KlineFileReader.Content content = KlineFileReader.openContent(file);
        try {
            if (content.firstChar() == '[') {
                throw new ImportException(source + ": JSON derivatives files are not read yet: save them as CSV with a "
                        + "header (timestamp,sumOpenInterest,sumOpenInterestValue; timestamp,longShortRatio,longAccount,shortAccount)");
            }
            String compression = content.compression().equals("plain") ? "" : ", " + content.compression();
            Parsed p = new DerivativesFileReader(source, shiftMillis).readCsv(content);
            if (p.rows().isEmpty()) throw new ImportException(source + ": the file holds no rows");
            return new Parsed(p.rows(), p.description().replaceFirst(";", compression + ";"), p.symbol(), p.coinalyze(),
                    p.valuesRounded());
        } catch (UncheckedIOException e) {
            throw new ImportException(source + ": cannot read: " + e.getCause().getMessage(), e);
        } finally {
            content.close();
        }
    }

    private Parsed readCsv(KlineFileReader.Content content) {
        char separator;
        try {
            separator = KlineFileReader.sniffSeparator(content.stream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KlineFileReader.CsvRows rows = new KlineFileReader.CsvRows(content.stream(), separator, source);
        if (!rows.next()) throw new ImportException(source + ": the file holds no rows");
        List<String> first = rows.fields();
        int[] at = new int[Field.values().length];
        Arrays.fill(at, -1);
        String columns;
        boolean coinalyze = false;
        if (!KlineTime.isTime(first.getFirst())) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                String name = first.get(i).strip();
                names.add(name);
                Field f = NAMES.get(normalize(name));
                if (f != null && at[f.ordinal()] < 0) at[f.ordinal()] = i;
            }
            boolean values = at[Field.OI.ordinal()] >= 0 || at[Field.RATIO.ordinal()] >= 0 || at[Field.LIQ_LONG.ordinal()] >= 0
                    || at[Field.LIQ_SHORT.ordinal()] >= 0 || at[Field.LIQ_LONG_BASE.ordinal()] >= 0 || at[Field.LIQ_SHORT_BASE.ordinal()] >= 0;
            if (at[Field.TIME.ordinal()] < 0 || !values) {
                List<String> normalized = names.stream().map(DerivativesFileReader::normalize).toList();
                String hint = normalized.stream().anyMatch(n -> n.contains("fundingrate")) ? "; it looks like funding rates: "
                        + "import those with `candlebox import funding`"
                        : normalized.contains("open") && normalized.contains("close") ? "; it looks like klines: import those "
                        + "with `candlebox import file`" : "";
                throw ImportException.at(source, rows.where(), "not a derivatives file: the header (" + String.join(", ", names)
                        + ") names no " + (at[Field.TIME.ordinal()] < 0 ? "time column (timestamp, time, create_time)"
                        : "open interest, long/short ratio or liquidations column (sum_open_interest, longShortRatio, "
                        + "liquidations_long, ...)") + hint);
            }
            columns = "header " + String.join(", ", names);
            if (!rows.next()) throw new ImportException(source + ": the file holds a header and no rows");
        } else {
            at[Field.TIME.ordinal()] = 0;
            switch (first.size()) {
                case 5 -> {
                    at[Field.OI.ordinal()] = 4;
                    columns = "Coinalyze open-interest export: time, open, high, low, close (the close is stored as "
                            + "open_interest, in the base asset); no header";
                }
                case 4 -> {
                    at[Field.RATIO.ordinal()] = 1;
                    at[Field.LONG_ACCOUNT.ordinal()] = 2;
                    at[Field.SHORT_ACCOUNT.ordinal()] = 3;
                    columns = "Coinalyze long/short-ratio export: time, ratio, long %, short %; no header";
                }
                case 3 -> {
                    at[Field.LIQ_LONG_BASE.ordinal()] = 1;
                    at[Field.LIQ_SHORT_BASE.ordinal()] = 2;
                    columns = "Coinalyze liquidation export: time, long, short (in the base asset); no header";
                }
                default -> throw ImportException.at(source, rows.where(), first.size() + " fields without a header: not a "
                        + "derivatives layout Candlebox knows (the Coinalyze exports have 5: open interest, 4: long/short ratio, "
                        + "3: liquidations; or add a header row naming the columns)"
                        + (first.size() == 2 ? "; time,rate looks like funding: `candlebox import funding`" : "")
                        + (first.size() >= 6 ? "; it looks like klines: `candlebox import file`" : ""));
            }
            coinalyze = true;
            checkCoinalyzeShape(first, rows.where());
        }
        List<Row> out = new ArrayList<>();
        String symbol = null;
        String timeText = null;
        do {
            List<String> f = rows.fields();
            String where = rows.where();
            Map<Field, String> values = new EnumMap<>(Field.class);
            for (Field field : Field.values()) {
                int i = at[field.ordinal()];
                if (i >= 0) values.put(field, i < f.size() ? f.get(i) : "");
            }
            if (coinalyze && f.size() != first.size()) {
                throw ImportException.at(source, where, f.size() + " fields, but the first row has " + first.size());
            }
            if (timeText == null) timeText = values.get(Field.TIME);
            symbol = checkSymbol(symbol, values.get(Field.SYMBOL), where);
            out.add(row(values, where));
        } while (rows.next());
        return new Parsed(out, "CSV (" + KlineFileReader.describe(separator) + "); " + columns + "; times: "
                + FundingFileReader.timeUnit(timeText), symbol, coinalyze, rounded);
    }

    /** A headerless file is taken for a Coinalyze export only when its first row has that export's shape. */
    private void checkCoinalyzeShape(List<String> first, String where) {
        List<BigDecimal> v = new ArrayList<>();
        for (int i = 1; i < first.size(); i++) {
            try {
                v.add(new BigDecimal(first.get(i).strip()));
            } catch (NumberFormatException e) {
                throw ImportException.at(source, where, "field " + (i + 1) + " '" + KlineTime.abbreviate(first.get(i).strip())
                        + "' is not a number");
            }
        }
        if (v.size() == 4) {
            BigDecimal open = v.get(0), high = v.get(1), low = v.get(2), close = v.get(3);
            if (high.compareTo(open.max(close)) < 0 || low.compareTo(open.min(close)) > 0) {
                throw ImportException.at(source, where, "5 fields without a header, but not open interest's open, high, low, "
                        + "close (the high is below the open or close, or the low above them): unknown layout; add a header row");
            }
        }
    }

    private Row row(Map<Field, String> v, String where) {
        long time;
        try {
            time = KlineTime.parse(v.get(Field.TIME).strip()) + shiftMillis;
        } catch (IllegalArgumentException e) {
            throw ImportException.at(source, where, "time: " + e.getMessage());
        }
        OpenInterest oi = null;
        BigDecimal openInterest = decimal(v, Field.OI, where);
        BigDecimal oiValue = decimal(v, Field.OI_VALUE, where);
        if (openInterest != null) oi = new OpenInterest(time, openInterest, oiValue);
        else if (oiValue != null) throw ImportException.at(source, where, "an open interest value without the open interest");

        LongShortRatio ls = null;
        BigDecimal ratio = decimal(v, Field.RATIO, where);
        BigDecimal longShare = decimal(v, Field.LONG_ACCOUNT, where), shortShare = decimal(v, Field.SHORT_ACCOUNT, where);
        if (longShare != null && shortShare != null && sharesInPercent == null) {
            BigDecimal sum = longShare.add(shortShare);
            if (near(sum, BigDecimal.valueOf(100))) sharesInPercent = true;
            else if (near(sum, BigDecimal.ONE)) sharesInPercent = false;
            else throw ImportException.at(source, where, "the long and short account shares (" + longShare.toPlainString()
                    + ", " + shortShare.toPlainString() + ") add up to neither 1 nor 100");
        }
        if (Boolean.TRUE.equals(sharesInPercent)) {
            longShare = longShare == null ? null : longShare.movePointLeft(2);
            shortShare = shortShare == null ? null : shortShare.movePointLeft(2);
        }
        if (ratio != null) ls = new LongShortRatio(time, ratio, longShare, shortShare);
        else if (longShare != null || shortShare != null) throw ImportException.at(source, where, "account shares without the long/short ratio");

        Liquidations liq = null;
        BigDecimal liqLong = decimal(v, Field.LIQ_LONG, where), liqShort = decimal(v, Field.LIQ_SHORT, where);
        BigDecimal baseLong = decimal(v, Field.LIQ_LONG_BASE, where), baseShort = decimal(v, Field.LIQ_SHORT_BASE, where);
        if (liqLong != null || liqShort != null || baseLong != null || baseShort != null) {
            liq = new Liquidations(time, liqLong, liqShort, baseLong, baseShort);
        }
        if (oi == null && ls == null && liq == null) throw ImportException.at(source, where, "the row has no value");
        return new Row(time, oi, ls, liq, where);
    }

    /** The field's value, exact; null when the column is absent or the field empty. Values are never negative. */
    private BigDecimal decimal(Map<Field, String> v, Field field, String where) {
        String text = v.get(field);
        if (text == null || text.isBlank()) return null;
        BigDecimal d;
        try {
            d = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw ImportException.at(source, where, field.label + " '" + KlineTime.abbreviate(text.strip()) + "' is not a number");
        }
        if (d.signum() < 0) throw ImportException.at(source, where, field.label + " " + d.toPlainString() + " is negative");
        if (d.scale() > DerivativeStore.SCALE) {
            d = d.setScale(DerivativeStore.SCALE, RoundingMode.HALF_EVEN);
            rounded++;
        }
        return d;
    }

    private static boolean near(BigDecimal value, BigDecimal target) {
        return value.subtract(target).abs().compareTo(target.movePointLeft(2)) <= 0; // within 1 %
    }

    private String checkSymbol(String seen, String value, String where) {
        if (value == null || value.isBlank()) return seen;
        String s = value.strip().toUpperCase(Locale.ROOT);
        if (seen != null && !seen.equals(s)) {
            throw ImportException.at(source, where, "names symbol '" + value.strip() + "', but the first row names '"
                    + seen + "': import one symbol per file");
        }
        return s;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
