package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run trades (contract section 6): the market, leverage and margin mode, when immediate orders
 * fill, slippage, maker and taker fees, and how the inside of a kline is walked.
 *
 * @param slippage fraction that moves every taker fill against the trader (buy × (1 + s), sell × (1 − s))
 * @param makerFee fraction of the traded value paid by resting limit fills (limit, take-profit, triggered stop-limit)
 * @param takerFee fraction paid by immediate, stop, stop-loss, trailing-stop and liquidation fills
 */
public record Trading(Market market, int leverage, MarginMode marginMode, FillTiming fill, BigDecimal slippage,
                      BigDecimal makerFee, BigDecimal takerFee, Intrabar intrabar) {

    public static final int MAX_LEVERAGE = 125;

    public enum Market { SPOT, FUTURES }

    public enum MarginMode { ISOLATED, CROSS }

    /** When {@code buy}/{@code sell}/{@code sell_all}/{@code close_position} fill. */
    public enum FillTiming {
        /** At the strategy's price when it lies in the current kline's [low, high] (the reference system's rule). */
        SEED,
        /** At the current kline's close; the price argument is ignored. */
        CLOSE,
        /** At the next kline's open, before anything else happens on it. */
        NEXT_OPEN
    }

    public enum Intrabar {
        /** open → high → low → close on a down kline, open → low → high → close otherwise. */
        PESSIMISTIC,
        /** The 1-minute klines inside the kline, each walked pessimistically, when all of them exist. */
        ONE_MINUTE
    }

    public Trading {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(marginMode, "marginMode");
        Objects.requireNonNull(fill, "fill");
        Objects.requireNonNull(slippage, "slippage");
        Objects.requireNonNull(makerFee, "makerFee");
        Objects.requireNonNull(takerFee, "takerFee");
        Objects.requireNonNull(intrabar, "intrabar");
        if (leverage < 1 || leverage > MAX_LEVERAGE) {
            throw new IllegalArgumentException("leverage must be in 1.." + MAX_LEVERAGE);
        }
        if (slippage.signum() < 0 || slippage.compareTo(new BigDecimal("0.1")) > 0) {
            throw new IllegalArgumentException("slippage must be in [0, 0.1]");
        }
        if (makerFee.compareTo(new BigDecimal("-0.01")) < 0 || makerFee.compareTo(new BigDecimal("0.1")) > 0) {
            throw new IllegalArgumentException("makerFee must be in [-0.01, 0.1]");
        }
        if (takerFee.signum() < 0 || takerFee.compareTo(new BigDecimal("0.1")) > 0) {
            throw new IllegalArgumentException("takerFee must be in [0, 0.1]");
        }
    }

    /** The reference system's trading: spot, fills at the strategy's price, one fee rate, no slippage. */
    public static Trading spot(BigDecimal feeRate) {
        return new Trading(Market.SPOT, 1, MarginMode.ISOLATED, FillTiming.SEED, BigDecimal.ZERO, feeRate, feeRate,
                Intrabar.PESSIMISTIC);
    }

    public boolean futures() {
        return market == Market.FUTURES;
    }

    /** The lower-case name a value has in requests and results ({@code "next_open"}, {@code "1m"}...). */
    public static String wire(Enum<?> value) {
        if (value == Intrabar.ONE_MINUTE) return "1m";
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose {@link #wire} name is {@code text}. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (wire(e).equals(text)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
