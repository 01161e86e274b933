package dev.candlebox.server.backtest;

/** Base and quote asset of a Binance symbol, by its quote suffix ({@code BTCUSDT} → BTC, USDT). */
final class Assets {
    private static final String[] QUOTES = {"USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI", "BTC", "ETH", "BNB", "EUR", "TRY", "USD"};

    private Assets() {}

    static String[] split(String symbol) {
        for (String q : QUOTES) {
            if (symbol.endsWith(q) && symbol.length() > q.length()) {
                return new String[]{symbol.substring(0, symbol.length() - q.length()), q};
            }
        }
        return new String[]{symbol, "QUOTE"};
    }
}
