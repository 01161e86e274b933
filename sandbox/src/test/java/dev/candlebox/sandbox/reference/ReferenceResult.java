package dev.candlebox.sandbox.reference;

import java.math.BigDecimal;
import java.util.List;

/** The contract §4 result as the reference computes it. */
public record ReferenceResult(BigDecimal initialBalance, BigDecimal finalBalance, BigDecimal profit,
                              BigDecimal profitRate, BigDecimal maxDrawdown, int totalTrades, BigDecimal winRate,
                              BigDecimal baseAsset, BigDecimal quoteAsset, BigDecimal baseFee, BigDecimal quoteFee,
                              List<ReferenceFill> trades, List<EquityPoint> equityCurve) {

    /** Equity at one kline's close; {@code timestamp} is the kline's open time. */
    public record EquityPoint(long timestamp, BigDecimal equity, BigDecimal balance, BigDecimal position) {
    }

    public long sells() {
        return trades.stream().filter(f -> f.side() == ReferenceFill.Side.SELL).count();
    }
}
