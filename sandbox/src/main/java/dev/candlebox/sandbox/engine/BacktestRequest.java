package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.List;
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
 * @param derivatives    the symbol's derivatives data aligned to the klines (contract section 7), or null: the
 *                       strategy's klines then carry none (their fields are None)
 * @param series         other series the strategy reads with {@code self.series(...)}, in request order
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
        KlineSeries minutes,
        DerivativeColumns derivatives,
        List<OtherSeries> series) {

    /** A spot run with the reference system's rules. */
    public BacktestRequest(String code, KlineSeries klines, Map<String, Object> strategyParams, BigDecimal initialBalance,
                           BigDecimal feeRate, String baseAsset, String quoteAsset) {
        this(code, klines, strategyParams, initialBalance, feeRate, baseAsset, quoteAsset, null, null, null);
    }

    /** A run without derivatives data or other series. */
    public BacktestRequest(String code, KlineSeries klines, Map<String, Object> strategyParams, BigDecimal initialBalance,
                           BigDecimal feeRate, String baseAsset, String quoteAsset, Trading trading, FundingSeries funding,
                           KlineSeries minutes) {
        this(code, klines, strategyParams, initialBalance, feeRate, baseAsset, quoteAsset, trading, funding, minutes,
                null, null);
    }

    /** This request with derivatives data and other series as inputs. */
    public BacktestRequest withInputs(DerivativeColumns derivatives, List<OtherSeries> series) {
        return new BacktestRequest(code, klines, strategyParams, initialBalance, feeRate, baseAsset, quoteAsset, trading,
                funding, minutes, derivatives, series);
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
        if (derivatives != null && derivatives.size() != klines.size()) {
            throw new IllegalArgumentException("derivatives must have one value per kline");
        }
        series = series == null ? List.of() : List.copyOf(series);
        for (OtherSeries o : series) {
            if (o.visible().length != klines.size()) throw new IllegalArgumentException("series " + o.symbol() + " "
                    + o.interval() + " must have one visible count per kline");
        }
    }

    /** The symbol traded ({@code BTCUSDT}), from its assets. */
    public String symbol() {
        return baseAsset + quoteAsset;
    }
}
