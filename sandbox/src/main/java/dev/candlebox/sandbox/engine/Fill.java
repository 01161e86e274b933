package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/**
 * An order the engine validated and executed.
 *
 * @param klineIndex index of the kline it filled on
 * @param timestamp  that kline's open time (epoch ms), whatever the strategy passed as timestamp
 * @param balance    the quote balance after the fill
 * @param fee        charged in the quote asset
 */
public record Fill(int klineIndex, long timestamp, Side type, BigDecimal price, BigDecimal amount,
                   BigDecimal balance, BigDecimal fee) {
}
