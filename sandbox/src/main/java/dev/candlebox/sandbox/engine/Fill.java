package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A fill the engine executed.
 *
 * @param klineIndex index of the kline it filled on
 * @param timestamp  that kline's open time (epoch ms), whatever the strategy passed as timestamp
 * @param reason     what made it: the strategy's immediate order, a resting order, a bracket, a liquidation
 * @param balance    the quote balance (futures: wallet) after the fill
 * @param fee        charged in the quote asset
 * @param slippage   what slippage cost, in the quote asset: amount × |fill price − price before slippage|
 */
public record Fill(int klineIndex, long timestamp, Side side, Reason reason, BigDecimal price, BigDecimal amount,
                   BigDecimal balance, BigDecimal fee, BigDecimal slippage) {

    public enum Reason {
        ORDER, LIMIT, STOP, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP, LIQUIDATION;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Reason ofWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** An immediate order's fill without slippage (the reference system's only kind). */
    public Fill(int klineIndex, long timestamp, Side side, BigDecimal price, BigDecimal amount, BigDecimal balance,
                BigDecimal fee) {
        this(klineIndex, timestamp, side, Reason.ORDER, price, amount, balance, fee, BigDecimal.ZERO);
    }

    /** The trade's type in results: {@code "buy"}, {@code "sell"} or {@code "liquidation"}. */
    public String type() {
        return reason == Reason.LIQUIDATION ? "liquidation" : side.wire();
    }
}
