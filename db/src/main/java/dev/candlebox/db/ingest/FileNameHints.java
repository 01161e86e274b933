package dev.candlebox.db.ingest;

import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.Series;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kline file's name says about its series: {@code BTCUSDT-1h-2023-01.csv.gz} (data.binance.vision),
 * {@code BTCUSDT_1m.csv}, {@code BTC_USDT_USDT-1h-futures.json} (freqtrade), {@code 1h/BTCUSDT.csv.gz} (the
 * interval as the folder). A hint is used only when it is unambiguous: a name with two different symbols or
 * two different intervals gives none.
 *
 * @param symbols   every symbol the name mentions (one means unambiguous)
 * @param intervals every interval the name mentions (file name first, then its folder)
 * @param candleType freqtrade's candle type when the name has one ({@code mark}, {@code funding_rate}, ...)
 */
record FileNameHints(Set<String> symbols, Set<Interval> intervals, String candleType) {

    /** Quote assets Binance lists pairs against; a name token ending in one of them is taken as a symbol. */
    private static final List<String> QUOTES = List.of("USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI", "USD", "BTC",
            "ETH", "BNB", "EUR", "TRY", "BRL", "JPY", "GBP", "AUD");
    /** freqtrade writes pairs as BASE_QUOTE, futures as BASE_QUOTE_SETTLE. */
    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9]{2,20})_([A-Za-z0-9]{2,10})(?:_([A-Za-z0-9]{2,10}))?");
    private static final Pattern SPLIT = Pattern.compile("[-_. /\\\\]+");
    private static final List<String> CANDLE_TYPES = List.of("mark", "index", "premiumindex", "funding_rate", "fundingrate", "funding");

    static FileNameHints of(KlineFile file) {
        String name = stripExtensions(file.fileName());
        Set<String> symbols = new LinkedHashSet<>();
        Set<Interval> intervals = new LinkedHashSet<>();
        String candleType = null;

        for (String part : name.split("-")) {
            Matcher m = PAIR.matcher(part);
            if (m.matches() && QUOTES.contains(m.group(2).toUpperCase(Locale.ROOT))) {
                Series.normalizeSymbol(m.group(1) + m.group(2)).ifPresent(symbols::add);
            }
            String lower = part.toLowerCase(Locale.ROOT);
            if (CANDLE_TYPES.contains(lower)) candleType = lower;
        }
        for (String token : SPLIT.split(name)) {
            if (token.isEmpty()) continue;
            intervalOf(token).ifPresent(intervals::add);
            if (looksLikeSymbol(token)) Series.normalizeSymbol(token).ifPresent(symbols::add);
        }
        if (intervals.isEmpty()) intervalOf(file.folderName()).ifPresent(intervals::add);
        return new FileNameHints(Set.copyOf(symbols), Set.copyOf(intervals), candleType);
    }

    Optional<String> symbol() {
        return symbols.size() == 1 ? Optional.of(symbols.iterator().next()) : Optional.empty();
    }

    Optional<Interval> interval() {
        return intervals.size() == 1 ? Optional.of(intervals.iterator().next()) : Optional.empty();
    }

    /** Binance's codes ({@code 1m} minute, {@code 1M} month), and {@code 4H}, {@code 1D}, {@code 1W} as some names write them. */
    private static Optional<Interval> intervalOf(String token) {
        Optional<Interval> exact = Interval.parse(token);
        if (exact.isPresent() || token.length() < 2) return exact;
        char unit = token.charAt(token.length() - 1);
        return unit == 'H' || unit == 'D' || unit == 'W' ? Interval.parse(token.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static boolean looksLikeSymbol(String token) {
        String t = token.toUpperCase(Locale.ROOT);
        if (t.length() < 5 || !t.chars().allMatch(Character::isLetterOrDigit)) return false;
        if (t.chars().noneMatch(Character::isLetter)) return false;
        for (String q : QUOTES) {
            if (t.endsWith(q) && t.length() > q.length() + 1) return true;
        }
        return false;
    }

    private static String stripExtensions(String name) {
        String n = name;
        for (String ext : List.of(".gz", ".zip", ".csv", ".json", ".txt", ".tsv")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) n = n.substring(0, n.length() - ext.length());
        }
        for (String ext : List.of(".csv", ".json", ".txt", ".tsv")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) n = n.substring(0, n.length() - ext.length());
        }
        return n;
    }
}
