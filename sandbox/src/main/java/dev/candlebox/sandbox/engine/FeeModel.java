package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/** What a fill costs in fees, in the quote asset. */
public interface FeeModel {
    BigDecimal fee(Order order, BigDecimal tradedValue);

    /** {@code tradedValue * rate}, exact, for buys and sells alike (the reference system's model). */
    static FeeModel proportional(BigDecimal rate) {
        return (order, tradedValue) -> tradedValue.multiply(rate);
    }
}
