package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/** What a fill costs beyond its price: the fee, and slippage on taker fills. */
public final class Costs {
    private Costs() { }

    /** Who a fill was: a resting limit that waited (maker) or an order that took the price (taker). */
    public enum Liquidity { MAKER, TAKER }

    /** The fee of a fill, in the quote asset. */
    public interface FeeModel {
        BigDecimal fee(BigDecimal amount, BigDecimal price, Liquidity liquidity);

        /** {@code amount × price × rate}, exact; the rate by liquidity. */
        static FeeModel makerTaker(BigDecimal makerFee, BigDecimal takerFee) {
            return (amount, price, liquidity) -> amount.multiply(price).multiply(liquidity == Liquidity.MAKER ? makerFee : takerFee);
        }
    }

    /** The price a taker fill gets for a base price. */
    public interface Slippage {
        BigDecimal apply(Side side, BigDecimal base);

        /** {@code base × (1 + s)} for a buy, {@code base × (1 − s)} for a sell, exact. */
        static Slippage proportional(BigDecimal s) {
            BigDecimal up = BigDecimal.ONE.add(s);
            BigDecimal down = BigDecimal.ONE.subtract(s);
            return s.signum() == 0 ? (side, base) -> base : (side, base) -> base.multiply(side == Side.BUY ? up : down);
        }
    }
}
