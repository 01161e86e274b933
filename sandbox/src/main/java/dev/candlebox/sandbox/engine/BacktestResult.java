package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.List;

/**
 * The contract §4 and §6 result, computed in Java from the validated fills only.
 *
 * @param finalBalance equity at the last close (spot: cash plus position at the close; futures: wallet plus
 *                     unrealised PnL at the close)
 * @param profitRate   profit / initialBalance, a fraction
 * @param maxDrawdown  largest fall of per-kline equity from its running peak (peak starts at
 *                     initialBalance), a fraction
 * @param totalTrades  number of fills
 * @param winRate      spot: sells with positive realised PnL (net of both sides' fees) / sells; futures: round
 *                     trips (flat to flat) with positive PnL net of their fees, funding excluded / round trips;
 *                     0 without any
 * @param baseAsset    the remaining position (base asset, signed)
 * @param quoteAsset   the remaining cash (futures: wallet)
 * @param baseFee      fees charged in the base asset (always 0: fees are in the quote asset)
 * @param quoteFee     fees charged in the quote asset
 * @param fundingPaid  funding paid (negative: received)
 * @param liquidations number of liquidations
 * @param orders       every resting order with its final status
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
        EquityCurve equityCurve,
        Trading trading,
        BigDecimal fundingPaid,
        int liquidations,
        List<FundingPayment> funding,
        List<Order> orders,
        DataQuality dataQuality) {

    /** A funding settlement: {@code amount = position × price × rate}, positive = paid. */
    public record FundingPayment(long timestamp, BigDecimal rate, BigDecimal price, BigDecimal position,
                                 BigDecimal amount) { }

    /**
     * What the run could not do exactly as asked.
     *
     * @param ambiguousKlines klines where a stop-loss and a take-profit both lay in the range (the stop-loss was taken)
     * @param droppedOrders   immediate orders queued for the next open that were refused there or never reached one
     * @param fundingTimes    funding times settled inside the run
     * @param fundingSkipped  funding times inside the run that no kline contains (a gap)
     */
    public record DataQuality(int ambiguousKlines, int droppedOrders, int fundingTimes, int fundingSkipped) {
        public static final DataQuality NONE = new DataQuality(0, 0, 0, 0);
    }

    public BacktestResult {
        trades = List.copyOf(trades);
        funding = List.copyOf(funding);
        orders = List.copyOf(orders);
    }
}
