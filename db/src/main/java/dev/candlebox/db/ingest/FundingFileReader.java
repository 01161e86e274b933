package dev.candlebox.db.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a funding-rate file whole (funding is three rows a day: a decade of 8-hourly settlements is 11,000
 * rows), whatever its shape, told from the content as {@link KlineFileReader} does (and with its
 * decompression):
 * <ul>
 *   <li>CSV with a header naming a time and a rate column: Binance's REST fields
 *       ({@code fundingTime,fundingIntervalHours,fundingRate}), data.binance.vision's monthly files
 *       ({@code calc_time,funding_interval_hours,last_funding_rate}), {@code timestamp,symbol,funding_rate};
 *       optional {@code markPrice} and {@code symbol} columns. Without a header: two fields, time and rate.</li>
 *   <li>JSON arrays of arrays: freqtrade's {@code funding_rate} candles {@code [time, rate, 0, 0, 0, 0]}
 *       (the rate is the "open"; the other values must be 0), or {@code [time, rate]}.</li>
 *   <li>JSON arrays of objects: Binance's {@code /fapi/v1/fundingRate} answer saved to disk
 *       ({@code fundingTime}, {@code fundingRate}, {@code markPrice}, {@code symbol}).</li>
 * </ul>
 * Rates are kept as the decimal text the file has, never through {@code double}.
 */
final class FundingFileReader {
    private static final JsonFactory JSON = new JsonFactory();

    /** One settlement as read: {@code time} as the source has it (epoch ms), {@code where} for errors. */
    record Row(long time, BigDecimal rate, Integer intervalHours, BigDecimal markPrice, String where) {}

    /** A whole file: its rows in file order, how it was read, and the symbol its rows name (or null). */
    record Parsed(List<Row> rows, String description, String symbol) {}

    private enum Field { TIME, RATE, INTERVAL, MARK, SYMBOL }

    private static final Map<String, Field> NAMES = Map.ofEntries(
            Map.entry("fundingtime", Field.TIME), Map.entry("calctime", Field.TIME), Map.entry("time", Field.TIME),
            Map.entry("timestamp", Field.TIME), Map.entry("date", Field.TIME), Map.entry("datetime", Field.TIME),
            Map.entry("fundingrate", Field.RATE), Map.entry("lastfundingrate", Field.RATE), Map.entry("rate", Field.RATE),
            Map.entry("fundingintervalhours", Field.INTERVAL), Map.entry("intervalhours", Field.INTERVAL),
            Map.entry("markprice", Field.MARK), Map.entry("symbol", Field.SYMBOL));

    private FundingFileReader() {}

    static Parsed read(KlineFile file) {
        String source = file.name();
        KlineFileReader.Content content = KlineFileReader.openContent(file);
        try {
            String compression = content.compression().equals("plain") ? "" : ", " + content.compression();
            Parsed p = content.firstChar() == '[' ? readJson(content, source) : readCsv(content, source);
            if (p.rows().isEmpty()) throw new ImportException(source + ": the file holds no funding rates");
            return new Parsed(p.rows(), p.description().replaceFirst(";", compression + ";"), p.symbol());
        } catch (UncheckedIOException e) {
            throw new ImportException(source + ": cannot read: " + e.getCause().getMessage(), e);
        } finally {
            content.close();
        }
    }

    // --- CSV ---

    private static Parsed readCsv(KlineFileReader.Content content, String source) {
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
        java.util.Arrays.fill(at, -1);
        String columns;
        boolean header = !KlineTime.isTime(first.getFirst());
        if (header) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                String name = first.get(i).strip();
                names.add(name);
                Field f = NAMES.get(normalize(name));
                if (f != null && at[f.ordinal()] < 0) at[f.ordinal()] = i;
            }
            if (at[Field.RATE.ordinal()] < 0 || at[Field.TIME.ordinal()] < 0) {
                boolean klines = names.stream().map(FundingFileReader::normalize).anyMatch(n -> n.equals("open") || n.equals("close"));
                throw ImportException.at(source, rows.where(), "not a funding file: the header (" + String.join(", ", names)
                        + ") names no " + (at[Field.TIME.ordinal()] < 0 ? "time column (fundingTime, calc_time, timestamp, time)"
                        : "funding rate column (fundingRate, funding_rate, last_funding_rate, rate)")
                        + (klines ? "; it looks like klines: import those with `candlebox import file`" : ""));
            }
            columns = "header " + String.join(", ", names);
            if (!rows.next()) throw new ImportException(source + ": the file holds a header and no rows");
        } else {
            if (first.size() != 2) {
                throw ImportException.at(source, rows.where(), first.size() + " fields without a header: Candlebox reads "
                        + "time,rate without one; for more columns add a header row naming them (fundingTime, fundingRate, "
                        + "fundingIntervalHours, markPrice, symbol)");
            }
            at[Field.TIME.ordinal()] = 0;
            at[Field.RATE.ordinal()] = 1;
            columns = "time, rate; no header";
        }
        List<Row> out = new ArrayList<>();
        String symbol = null;
        String timeText = null;
        do {
            List<String> f = rows.fields();
            String where = rows.where();
            Map<Field, String> values = new java.util.EnumMap<>(Field.class);
            for (Field field : Field.values()) {
                int i = at[field.ordinal()];
                if (i >= 0) values.put(field, i < f.size() ? f.get(i) : "");
            }
            if (timeText == null) timeText = values.get(Field.TIME);
            symbol = checkSymbol(symbol, values.get(Field.SYMBOL), source, where);
            out.add(row(values, source, where));
        } while (rows.next());
        return new Parsed(out, "CSV (" + KlineFileReader.describe(separator) + "); " + columns + "; times: "
                + timeUnit(timeText), symbol);
    }

    // --- JSON ---

    private static Parsed readJson(KlineFileReader.Content content, String source) {
        List<Row> out = new ArrayList<>();
        String symbol = null;
        String shape = null;
        String timeText = null;
        try (JsonParser p = JSON.createParser(content.stream())) {
            p.nextToken(); // the '[' seen by the content check
            long element = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) throw ImportException.at(source, "after element " + element, "the JSON ends inside the array");
                element++;
                JsonLocation loc = p.currentTokenLocation();
                String where = "element " + element + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
                Map<Field, String> values = new java.util.EnumMap<>(Field.class);
                if (t == JsonToken.START_ARRAY) {
                    List<String> f = scalars(p, JsonToken.END_ARRAY, null, source, where);
                    if (f.size() < 2) throw ImportException.at(source, where, "a funding row needs a time and a rate, found " + f);
                    if (f.size() > 2) {
                        // freqtrade stores funding rates as candles whose open is the rate and whose other values are 0
                        for (int i = 2; i < Math.min(f.size(), 6); i++) {
                            if (!isZero(f.get(i))) {
                                throw ImportException.at(source, where, "values " + f + " are not freqtrade's funding_rate "
                                        + "candles ([time, rate, 0, 0, 0, 0]): this looks like klines (mark or trade prices); "
                                        + "import those with `candlebox import file`");
                            }
                        }
                    }
                    values.put(Field.TIME, f.get(0));
                    values.put(Field.RATE, f.get(1));
                    if (shape == null) shape = f.size() == 2 ? "arrays of time, rate" : "freqtrade funding_rate candles (time, rate, 0, 0, 0, 0)";
                } else if (t == JsonToken.START_OBJECT) {
                    List<String> names = new ArrayList<>();
                    List<String> f = scalars(p, JsonToken.END_OBJECT, names, source, where);
                    for (int i = 0; i < f.size(); i++) {
                        Field field = NAMES.get(normalize(names.get(i)));
                        if (field != null) values.putIfAbsent(field, f.get(i));
                    }
                    if (!values.containsKey(Field.TIME) || !values.containsKey(Field.RATE)) {
                        throw ImportException.at(source, where, "an object without fundingTime and fundingRate (it has "
                                + String.join(", ", names) + "): not a funding rate");
                    }
                    if (shape == null) shape = "objects (Binance fundingRate: " + String.join(", ", names) + ")";
                } else {
                    throw ImportException.at(source, where, "expected an array or object per funding rate, found " + t.asString());
                }
                if (timeText == null) timeText = values.get(Field.TIME);
                symbol = checkSymbol(symbol, values.get(Field.SYMBOL), source, where);
                out.add(row(values, source, where));
            }
        } catch (IOException e) {
            throw new ImportException(source + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return new Parsed(out, "JSON " + (shape == null ? "(empty)" : shape) + "; times: " + timeUnit(timeText), symbol);
    }

    /** The scalar values up to {@code end}, as text (numbers exactly as written; null as ""); names of an object's fields. */
    private static List<String> scalars(JsonParser p, JsonToken end, List<String> names, String source, String where) throws IOException {
        List<String> out = new ArrayList<>(6);
        JsonToken t;
        while ((t = p.nextToken()) != end) {
            if (t == null) throw ImportException.at(source, where, "the JSON ends inside a funding row");
            if (t == JsonToken.FIELD_NAME) {
                names.add(p.currentName());
                continue;
            }
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                throw ImportException.at(source, where, "a value is itself an array or object");
            }
            out.add(t == JsonToken.VALUE_NULL ? "" : p.getText());
        }
        return out;
    }

    // --- values ---

    private static Row row(Map<Field, String> v, String source, String where) {
        String timeText = v.get(Field.TIME).strip();
        long time;
        try {
            time = KlineTime.parse(timeText);
        } catch (IllegalArgumentException e) {
            throw ImportException.at(source, where, "funding time: " + e.getMessage());
        }
        BigDecimal rate = decimal(v.get(Field.RATE), "funding rate", source, where);
        if (rate == null) throw ImportException.at(source, where, "the funding rate is empty");
        if (rate.abs().compareTo(BigDecimal.ONE) >= 0) {
            throw ImportException.at(source, where, "funding rate " + rate.toPlainString() + " is not a fraction "
                    + "(0.0001 = 0.01 %; Binance caps rates at a few per cent): is this a funding file?");
        }
        if (rate.stripTrailingZeros().scale() > dev.candlebox.db.funding.FundingStore.RATE_SCALE) {
            throw ImportException.at(source, where, "funding rate " + rate.toPlainString() + " has more than "
                    + dev.candlebox.db.funding.FundingStore.RATE_SCALE + " decimals, more than Candlebox stores exactly");
        }
        Integer interval = null;
        String ih = v.get(Field.INTERVAL);
        if (ih != null && !ih.isBlank()) {
            BigDecimal h = decimal(ih, "funding interval", source, where);
            if (h.stripTrailingZeros().scale() > 0 || h.compareTo(BigDecimal.ONE) < 0 || h.compareTo(BigDecimal.valueOf(24)) > 0) {
                throw ImportException.at(source, where, "funding interval '" + ih.strip() + "' is not a whole number of hours from 1 to 24");
            }
            interval = h.intValueExact();
        }
        BigDecimal mark = decimal(v.get(Field.MARK), "mark price", source, where);
        if (mark != null && mark.signum() <= 0) mark = null; // Binance answers "" or 0 where it has none
        return new Row(time, rate, interval, mark, where);
    }

    private static BigDecimal decimal(String text, String what, String source, String where) {
        if (text == null || text.isBlank()) return null;
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw ImportException.at(source, where, what + " '" + KlineTime.abbreviate(text.strip()) + "' is not a number");
        }
    }

    private static String checkSymbol(String seen, String value, String source, String where) {
        if (value == null || value.isBlank()) return seen;
        String s = value.strip().toUpperCase(Locale.ROOT);
        if (seen != null && !seen.equals(s)) {
            throw ImportException.at(source, where, "names symbol '" + value.strip() + "', but the first row names '"
                    + seen + "': import one symbol per file");
        }
        return s;
    }

    private static boolean isZero(String s) {
        try {
            return new BigDecimal(s.strip()).signum() == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** How a file writes its times, for the report's "read as" line. */
    static String timeUnit(String text) {
        if (text == null) return "?";
        String s = text.strip();
        if (s.indexOf('-') > 0 || s.indexOf(':') > 0) return "ISO-8601 (UTC unless an offset is given)";
        try {
            long v = Math.round(Double.parseDouble(s));
            if (v >= 100_000_000_000_000L) return "epoch microseconds or finer";
            if (v >= 100_000_000_000L) return "epoch milliseconds";
            return "epoch seconds";
        } catch (NumberFormatException e) {
            return "?";
        }
    }
}
