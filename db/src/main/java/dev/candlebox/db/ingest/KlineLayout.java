package dev.candlebox.db.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which field of a row holds which part of a kline, as found from a header row or, without one, from the
 * number of fields. The layouts Candlebox knows without a header:
 * <ul>
 *   <li>12 fields: Binance's raw kline (REST, data.binance.vision): open time, open, high, low, close, volume,
 *       close time, quote volume, trades, taker buy base volume, taker buy quote volume, ignore;</li>
 *   <li>11 fields: the same without "ignore"; 13 fields: the same plus a symbol;</li>
 *   <li>6 fields: open time, open, high, low, close, volume (freqtrade, ccxt);</li>
 *   <li>7 fields: those six plus a symbol (text) or a close time (a time after the open time);</li>
 *   <li>9 fields: the Coinalyze export: open time, open, high, low, close, volume, buy volume, trades,
 *       buy trades (buy volume is stored as taker buy base volume; buy trades are not stored).</li>
 * </ul>
 *
 * <p>A header may name the open time twice, as an epoch-milliseconds column and a date-time column
 * ({@code timestamp,datetime,open,...}): the first is read, and every row's second must give the same instant,
 * else the row is refused with both values.
 */
record KlineLayout(int[] index, int secondOpenTime, boolean header, String description, List<String> ignoredColumns) {

    enum Column {
        OPEN_TIME("open time", "opentime", "opentimems", "timestamp", "time", "date", "datetime", "t", "ts",
                "starttime", "klineopentime", "openedat"),
        OPEN("open", "open", "o", "openprice"),
        HIGH("high", "high", "h", "highprice"),
        LOW("low", "low", "l", "lowprice"),
        CLOSE("close", "close", "c", "closeprice"),
        VOLUME("volume", "volume", "v", "vol", "basevolume", "baseassetvolume"),
        CLOSE_TIME("close time", "closetime", "closetimems", "endtime", "closedat"),
        QUOTE_VOLUME("quote volume", "quotevolume", "quoteassetvolume", "qav", "quoteav"),
        TRADES("number of trades", "count", "trades", "numberoftrades", "numtrades", "tradescount", "tradecount"),
        TAKER_BUY_BASE("taker buy base volume", "takerbuyvolume", "takerbuybase", "takerbuybasevolume",
                "takerbuybaseassetvolume", "tbbaseav", "takerbase", "takerbasevolume"),
        TAKER_BUY_QUOTE("taker buy quote volume", "takerbuyquotevolume", "takerbuyquote",
                "takerbuyquoteassetvolume", "tbquoteav", "takerquote", "takerquotevolume"),
        SYMBOL("symbol", "symbol", "ticker", "pair");

        final String label;
        final List<String> names;

        Column(String label, String... names) {
            this.label = label;
            this.names = List.of(names);
        }

        static Column byHeaderName(String raw) {
            String n = normalize(raw);
            for (Column c : values()) if (c.names.contains(n)) return c;
            return null;
        }
    }

    static final List<Column> REQUIRED = List.of(Column.OPEN_TIME, Column.OPEN, Column.HIGH, Column.LOW,
            Column.CLOSE, Column.VOLUME);
    private static final Column[] BINANCE = {Column.OPEN_TIME, Column.OPEN, Column.HIGH, Column.LOW, Column.CLOSE,
            Column.VOLUME, Column.CLOSE_TIME, Column.QUOTE_VOLUME, Column.TRADES, Column.TAKER_BUY_BASE,
            Column.TAKER_BUY_QUOTE};

    int at(Column c) {
        return index[c.ordinal()];
    }

    boolean has(Column c) {
        return index[c.ordinal()] >= 0;
    }

    /** Fields a row must have: one more than the highest index used. */
    int width() {
        return Math.max(Arrays.stream(index).max().orElse(0), secondOpenTime) + 1;
    }

    static String normalize(String raw) {
        StringBuilder sb = new StringBuilder();
        for (char ch : raw.strip().toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(ch)) sb.append(ch);
        }
        return sb.toString();
    }

    /** The layout a header row names; {@code null} entries for columns Candlebox does not store. */
    static KlineLayout fromHeader(List<String> header, String source) {
        int[] index = emptyIndex();
        int secondOpenTime = -1;
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            Column c = Column.byHeaderName(header.get(i));
            if (c == null) {
                ignored.add(header.get(i).isBlank() ? "(unnamed column " + (i + 1) + ")" : header.get(i).strip());
                continue;
            }
            if (c == Column.OPEN_TIME && index[c.ordinal()] >= 0 && secondOpenTime < 0) {
                secondOpenTime = i;
                continue;
            }
            if (index[c.ordinal()] >= 0) {
                throw ImportException.at(source, "line 1", "the header names the " + c.label + " twice (columns "
                        + (index[c.ordinal()] + 1) + " and " + (i + 1) + "): " + String.join(",", header));
            }
            index[c.ordinal()] = i;
        }
        List<String> missing = new ArrayList<>();
        for (Column c : REQUIRED) if (index[c.ordinal()] < 0) missing.add(c.label);
        if (!missing.isEmpty()) {
            throw ImportException.at(source, "line 1", "not a kline file: the header (" + String.join(",", header)
                    + ") has no " + String.join(", ", missing) + " column; a kline file needs open time, open, "
                    + "high, low, close and volume" + (namesFundingRate(header)
                    ? "; it looks like funding rates: import those with `candlebox import funding`" : ""));
        }
        StringBuilder d = new StringBuilder("header row; columns ");
        for (Column c : Column.values()) {
            if (index[c.ordinal()] >= 0) d.append(c.label).append('=').append(header.get(index[c.ordinal()]).strip()).append(", ");
        }
        d.setLength(d.length() - 2);
        if (secondOpenTime >= 0) {
            d.append("; the open time is read from ").append(header.get(index[Column.OPEN_TIME.ordinal()]).strip())
                    .append(" and checked against ").append(header.get(secondOpenTime).strip()).append(" on every row");
        }
        if (!ignored.isEmpty()) d.append("; not stored: ").append(String.join(", ", ignored));
        return new KlineLayout(index, secondOpenTime, true, d.toString(), List.copyOf(ignored));
    }

    /** The layout of a headerless row, told from its number of fields (see the class comment). */
    static KlineLayout fromFieldCount(List<String> first, String source, String where) {
        int n = first.size();
        int[] index = emptyIndex();
        String description;
        switch (n) {
            case 11, 12, 13 -> {
                for (int i = 0; i < BINANCE.length; i++) index[BINANCE[i].ordinal()] = i;
                description = "Binance kline, " + n + " fields, no header";
                if (n == 13) {
                    if (isNumber(first.get(12))) {
                        throw ImportException.at(source, where, "13 fields, and the 13th (" + first.get(12)
                                + ") is not a symbol: unknown layout; add a header row naming the columns");
                    }
                    index[Column.SYMBOL.ordinal()] = 12;
                    description += " (13th: symbol)";
                }
            }
            case 6 -> {
                for (int i = 0; i < 6; i++) index[BINANCE[i].ordinal()] = i;
                description = "open time, open, high, low, close, volume; no header";
            }
            case 7 -> {
                for (int i = 0; i < 6; i++) index[BINANCE[i].ordinal()] = i;
                String seventh = first.get(6).strip();
                if (!isNumber(seventh) && !KlineTime.isTime(seventh)) {
                    index[Column.SYMBOL.ordinal()] = 6;
                    description = "open time, open, high, low, close, volume, symbol; no header";
                } else if (looksLikeCloseTime(first.get(0), seventh)) {
                    index[Column.CLOSE_TIME.ordinal()] = 6;
                    description = "open time, open, high, low, close, volume, close time; no header";
                } else {
                    throw ImportException.at(source, where, "7 fields without a header, and the 7th (" + seventh
                            + ") is neither a symbol nor a close time: unknown layout; add a header row naming the columns");
                }
            }
            case 9 -> {
                for (int i = 0; i < 6; i++) index[BINANCE[i].ordinal()] = i;
                index[Column.TAKER_BUY_BASE.ordinal()] = 6;
                index[Column.TRADES.ordinal()] = 7;
                description = "Coinalyze export: open time, open, high, low, close, volume, buy volume (stored as "
                        + "taker buy base volume), trades, buy trades (not stored); no header";
            }
            default -> throw ImportException.at(source, where, n + " fields without a header: not a kline layout "
                    + "Candlebox knows (6, 7, 9, 11, 12 or 13 fields; or a header row naming open time, open, high, "
                    + "low, close and volume)" + hintFor(n));
        }
        return new KlineLayout(index, -1, false, description, List.of());
    }

    private static boolean namesFundingRate(List<String> header) {
        return header.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", ""))
                .anyMatch(h -> h.equals("fundingrate") || h.equals("lastfundingrate"));
    }

    private static String hintFor(int n) {
        return switch (n) {
            case 3, 4 -> "; it looks like funding, open-interest, long/short or liquidation data, not klines "
                    + "(`candlebox import funding` / `candlebox import derivatives`)";
            case 5 -> "; five fields are a time and four values: no volume (open-interest OHLC? `candlebox import derivatives`)";
            default -> "";
        };
    }

    private static boolean looksLikeCloseTime(String openText, String closeText) {
        try {
            long open = KlineTime.parse(openText), close = KlineTime.parse(closeText);
            return close >= open && close - open <= 32L * 86_400_000L;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isNumber(String s) {
        String t = s.strip();
        if (t.isEmpty()) return false;
        try {
            Double.parseDouble(t);
            return Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith(".");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int[] emptyIndex() {
        int[] index = new int[Column.values().length];
        Arrays.fill(index, -1);
        return index;
    }

    /** Parses {@code fields} into {@code row}; errors name the source, the row and the column. */
    void fill(List<String> fields, KlineRow row, long shiftMillis, String source, String where) {
        if (fields.size() < width()) {
            throw ImportException.at(source, where, "has " + fields.size() + " fields, expected at least " + width()
                    + " (" + description + ")");
        }
        row.clear();
        long openTime = time(fields, Column.OPEN_TIME, source, where);
        if (secondOpenTime >= 0) checkSecondOpenTime(fields, openTime, source, where);
        row.openTime = openTime + shiftMillis;
        row.open = price(fields, Column.OPEN, source, where);
        row.high = price(fields, Column.HIGH, source, where);
        row.low = price(fields, Column.LOW, source, where);
        row.close = price(fields, Column.CLOSE, source, where);
        row.volume = price(fields, Column.VOLUME, source, where);
        if (has(Column.CLOSE_TIME) && !fields.get(at(Column.CLOSE_TIME)).isBlank()) {
            row.closeTime = time(fields, Column.CLOSE_TIME, source, where) + shiftMillis;
        }
        row.quoteVolume = optional(fields, Column.QUOTE_VOLUME, source, where);
        row.takerBuyBaseVolume = optional(fields, Column.TAKER_BUY_BASE, source, where);
        row.takerBuyQuoteVolume = optional(fields, Column.TAKER_BUY_QUOTE, source, where);
        if (has(Column.TRADES)) {
            double t = optional(fields, Column.TRADES, source, where);
            if (!Double.isNaN(t)) {
                if (t < 0 || t > Integer.MAX_VALUE || t != Math.rint(t)) {
                    throw bad(fields, Column.TRADES, "is not a count of trades", source, where);
                }
                row.tradesCount = (int) t;
            }
        }
        if (has(Column.SYMBOL)) row.symbol = fields.get(at(Column.SYMBOL)).strip();
    }

    private long time(List<String> fields, Column c, String source, String where) {
        try {
            return KlineTime.parse(fields.get(at(c)));
        } catch (IllegalArgumentException e) {
            throw ImportException.at(source, where, "cannot read the " + c.label + " (field " + (at(c) + 1) + "): "
                    + e.getMessage());
        }
    }

    private void checkSecondOpenTime(List<String> fields, long openTime, String source, String where) {
        String first = fields.get(at(Column.OPEN_TIME)).strip(), second = fields.get(secondOpenTime).strip();
        long other;
        try {
            other = KlineTime.parse(second);
        } catch (IllegalArgumentException e) {
            throw ImportException.at(source, where, "cannot read the second open time (field " + (secondOpenTime + 1)
                    + "): " + e.getMessage());
        }
        if (other != openTime) {
            throw ImportException.at(source, where, "the two open time columns disagree: field " + (at(Column.OPEN_TIME) + 1)
                    + " '" + KlineTime.abbreviate(first) + "' is " + java.time.Instant.ofEpochMilli(openTime) + ", field "
                    + (secondOpenTime + 1) + " '" + KlineTime.abbreviate(second) + "' is " + java.time.Instant.ofEpochMilli(other));
        }
    }

    private double price(List<String> fields, Column c, String source, String where) {
        String s = fields.get(at(c)).strip();
        double v = parseNumber(s);
        if (Double.isNaN(v)) throw bad(fields, c, s.isEmpty() ? "is empty" : "is not a number", source, where);
        return v;
    }

    private double optional(List<String> fields, Column c, String source, String where) {
        if (!has(c)) return Double.NaN;
        String s = fields.get(at(c)).strip();
        if (s.isEmpty()) return Double.NaN;
        double v = parseNumber(s);
        if (Double.isNaN(v)) throw bad(fields, c, "is not a number", source, where);
        return v;
    }

    /** NaN when {@code s} is not a finite decimal number ("NaN" and "Infinity" in a file are errors, not values). */
    private static double parseNumber(String s) {
        if (s.isEmpty()) return Double.NaN;
        char last = s.charAt(s.length() - 1);
        if (!(Character.isDigit(last) || last == '.')) return Double.NaN;
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private ImportException bad(List<String> fields, Column c, String what, String source, String where) {
        return ImportException.at(source, where, "the " + c.label + " (field " + (at(c) + 1) + ", '"
                + KlineTime.abbreviate(fields.get(at(c))) + "') " + what);
    }
}
