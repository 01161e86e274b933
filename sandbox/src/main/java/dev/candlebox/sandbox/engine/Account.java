package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The trader's account behind the engine, in exact decimals: one implementation per market
 * ({@link SpotAccount}, {@link FuturesAccount}). It checks funds and margin and books fills; which
 * fills happen, at what price and fee, is the engine's.
 */
public interface Account {
    MathContext MC = MathContext.DECIMAL128;

    /** A booked fill: the fee it cost, the wallet and signed position after it, and the wallet change. */
    record Execution(BigDecimal fee, BigDecimal balanceAfter, BigDecimal positionAfter, BigDecimal walletChange) { }

    /**
     * Books {@code amount} (> 0) bought or sold at {@code price}, paying {@code fee}; null (and nothing
     * changed) when the account refuses it.
     */
    Execution fill(Side side, BigDecimal amount, BigDecimal price, BigDecimal fee);

    /** Spot: the quote cash. Futures: the wallet balance (realised PnL, fees and funding; margin is not spent). */
    BigDecimal balance();

    /** Signed position in the base asset (negative = short; spot is never negative). */
    BigDecimal position();

    /** The amount-weighted average price of the opening fills; zero when flat. */
    BigDecimal avgPrice();

    /** Equity valued at {@code price}, exact. */
    BigDecimal equity(BigDecimal price);

    /** Equity valued at {@code price} in double (the equity curve). */
    double equity(double price);

    /** Fees paid so far. */
    BigDecimal totalFees();

    /** Round trips (spot: sells) closed so far, and those that made money net of their fees. */
    int closedTrips();

    int winningTrips();

    /** The price at which the open position is liquidated, or null (flat, spot, or none reachable). */
    default BigDecimal liquidationPrice() { return null; }

    /** Closes the whole position at its liquidation price; the trade's fee is paid out of the margin. */
    default Execution liquidate(BigDecimal takerFee) { throw new IllegalStateException("nothing to liquidate"); }

    /** Pays {@code amount} of funding (negative = received). */
    default void payFunding(BigDecimal amount) { }

    default BigDecimal marginUsed() { return BigDecimal.ZERO; }

    default BigDecimal fundingPaid() { return BigDecimal.ZERO; }
}
