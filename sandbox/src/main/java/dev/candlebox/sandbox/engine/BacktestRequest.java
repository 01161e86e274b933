package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * One backtest: the strategy's Python source, the klines it runs over, and its parameters.
 *
 * @param strategyParams JSON-like values (String, Number, Boolean, List, Map, null); handed to
 *                       {@code run(context, kline, params)} as {@code params}; {@code klineWndSize}
 *                       (default 50) sets the window of {@code self.kline_cache}
 * @param feeRate        fraction of the traded value charged on every fill, in the quote asset (spot's
 *                       default maker and taker fee)
 * @param trading        market, leverage, fill timing, slippage, fees, intrabar path (contract section 6)
 * @param funding        the symbol's funding over the run (futures pay it), or none
 * @param minutes        the symbol's 1-minute klines over the run, for {@code intrabar: "1m"}, or null
 */
public record BacktestRequest(
        String code,
        KlineSeries klines,
        Map<String, Object> strategyParams,
        BigDecimal initialBalance,
        BigDecimal feeRate,
        String baseAsset,
        String quoteAsset,
        Trading trading,
        FundingSeries funding,
        KlineSeries minutes) {

    /** A spot run with the reference system's rules. */
    public BacktestRequest(String code, KlineSeries klines, Map<String, Object> strategyParams, BigDecimal initialBalance,
                           BigDecimal feeRate, String baseAsset, String quoteAsset) {
        this(code, klines, strategyParams, initialBalance, feeRate, baseAsset, quoteAsset, null, null, null);
    }

    public BacktestRequest {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(klines, "klines");
        strategyParams = strategyParams == null ? Map.of() : strategyParams;
        Objects.requireNonNull(initialBalance, "initialBalance");
        Objects.requireNonNull(feeRate, "feeRate");
        if (initialBalance.signum() <= 0) throw new IllegalArgumentException("initialBalance must be > 0");
        if (feeRate.signum() < 0 || feeRate.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("feeRate must be in [0, 1)");
        }
        baseAsset = baseAsset == null ? "BASE" : baseAsset;
        quoteAsset = quoteAsset == null ? "QUOTE" : quoteAsset;
        trading = trading == null ? Trading.spot(feeRate) : trading;
        funding = funding == null ? FundingSeries.NONE : funding;
    }

    /** The symbol traded ({@code BTCUSDT}), from its assets. */
    public String symbol() {
        return baseAsset + quoteAsset;
    }
}
