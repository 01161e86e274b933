package dev.candlebox.db.kline;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** One kline series: a symbol at an interval, stored in table {@code t_kline_{symbol}_{interval}}. */
public record Series(String symbol, Interval interval) {
    /** Binance symbols are upper-case letters and digits; anything else never reaches SQL. */
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{2,32}");

    public Series {
        if (!isValidSymbol(symbol)) throw new IllegalArgumentException("invalid symbol: " + symbol);
    }

    public static boolean isValidSymbol(String symbol) {
        return symbol != null && SYMBOL.matcher(symbol).matches();
    }

    /** Accepts a symbol in any case ({@code btcusdt}); empty if it is not a valid symbol. */
    public static Optional<String> normalizeSymbol(String raw) {
        if (raw == null) return Optional.empty();
        String upper = raw.toUpperCase(Locale.ROOT);
        return isValidSymbol(upper) ? Optional.of(upper) : Optional.empty();
    }

    public String tableName() {
        return "t_kline_" + symbol.toLowerCase(Locale.ROOT) + "_" + interval.tableSuffix();
    }

    /** The series a table name stands for, if it follows the layout. */
    public static Optional<Series> fromTableName(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        if (!t.startsWith("t_kline_")) return Optional.empty();
        String rest = t.substring("t_kline_".length());
        int cut = rest.lastIndexOf('_');
        if (cut <= 0) return Optional.empty();
        Optional<String> symbol = normalizeSymbol(rest.substring(0, cut));
        Optional<Interval> interval = Interval.fromTableSuffix(rest.substring(cut + 1));
        if (symbol.isEmpty() || interval.isEmpty()) return Optional.empty();
        return Optional.of(new Series(symbol.get(), interval.get()));
    }

    @Override
    public String toString() {
        return symbol + " " + interval.code();
    }
}
