package dev.candlebox.db.ingest;

import java.net.URI;

/** The Binance markets whose public kline endpoints Candlebox downloads from. */
public enum BinanceMarket {
    /** Spot: {@code GET /api/v3/klines}, at most 1000 klines a request. */
    SPOT("spot", URI.create("https://api.binance.com"), "/api/v3/klines", 1000),
    /** USDT-margined futures (perpetuals): {@code GET /fapi/v1/klines}, at most 1500 klines a request. */
    USDT_FUTURES("futures", URI.create("https://fapi.binance.com"), "/fapi/v1/klines", 1500);

    private final String code;
    private final URI defaultBaseUrl;
    private final String path;
    private final int maxLimit;

    BinanceMarket(String code, URI defaultBaseUrl, String path, int maxLimit) {
        this.code = code;
        this.defaultBaseUrl = defaultBaseUrl;
        this.path = path;
        this.maxLimit = maxLimit;
    }

    /** {@code spot} or {@code futures}, as the command line names it. */
    public String code() {
        return code;
    }

    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public String path() {
        return path;
    }

    /** The most klines one request may ask for: the page size of a download. */
    public int maxLimit() {
        return maxLimit;
    }

    public static BinanceMarket parse(String code) {
        for (BinanceMarket m : values()) if (m.code.equalsIgnoreCase(code) || m.name().equalsIgnoreCase(code)) return m;
        throw new IllegalArgumentException("unknown market '" + code + "': spot or futures");
    }
}
