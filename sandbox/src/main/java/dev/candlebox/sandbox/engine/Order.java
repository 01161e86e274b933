package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/**
 * An order as a strategy places it: fill {@code amount} of the base asset at {@code price} on the
 * current kline. Limit and stop orders will be new kinds of order, checked by their own fill rule.
 */
public record Order(Side side, BigDecimal price, BigDecimal amount) {
}
