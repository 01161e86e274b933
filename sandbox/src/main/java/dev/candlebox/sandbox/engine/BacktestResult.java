package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.List;

/**
 * The contract §4 result, computed in Java from the validated fills only.
 *
 * @param finalBalance equity at the last close (cash plus position valued at the last close)
 * @param profitRate   profit / initialBalance, a fraction
 * @param maxDrawdown  largest fall of per-kline equity from its running peak (peak starts at
 *                     initialBalance), a fraction
 * @param totalTrades  number of fills
 * @param winRate      sells with positive realised PnL (net of both sides' fees) / sells; 0 without sells
 * @param baseAsset    the remaining position (base asset)
 * @param quoteAsset   the remaining cash (quote asset)
 * @param baseFee      fees charged in the base asset (always 0 for spot: fees are in the quote asset)
 * @param quoteFee     fees charged in the quote asset
 */
public record BacktestResult(
        BigDecimal initialBalance,
        BigDecimal finalBalance,
        BigDecimal profit,
        BigDecimal profitRate,
        BigDecimal maxDrawdown,
        int totalTrades,
        BigDecimal winRate,
        BigDecimal baseAsset,
        BigDecimal quoteAsset,
        BigDecimal baseFee,
        BigDecimal quoteFee,
        List<Fill> trades,
        EquityCurve equityCurve) {

    public BacktestResult {
        trades = List.copyOf(trades);
    }
}
