package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A long-only spot account: quote cash and a base position, exact decimal arithmetic. It checks
 * funds; price rules are the engine's. Shorts and leverage will be other accounts behind the same
 * engine, not flags here.
 *
 * <p>Cost basis: the open position carries {@code costBasis} (buy cost plus buy fee) and
 * {@code avgPrice} (amount-weighted buy price, fees excluded; DECIMAL128). A sell of {@code a} out of
 * position {@code p} realises {@code proceeds - sellFee - costBasis * (a / p)} (division and product
 * rounded to DECIMAL128; a sell of the whole position takes the whole basis) and removes that share
 * of the basis; the average price does not change. Both reset when the position is closed.
 */
public final class SpotAccount {
    private static final MathContext MC = MathContext.DECIMAL128;

    private final FeeModel fees;
    private BigDecimal balance;
    private BigDecimal position = BigDecimal.ZERO;
    private BigDecimal costBasis = BigDecimal.ZERO;
    private BigDecimal avgPrice = BigDecimal.ZERO;
    private BigDecimal totalFees = BigDecimal.ZERO;
    private int sells;
    private int winningSells;

    public SpotAccount(BigDecimal initialBalance, FeeModel fees) {
        this.balance = initialBalance;
        this.fees = fees;
    }

    /** A filled order: the fee it cost and the account after it. */
    public record Execution(BigDecimal fee, BigDecimal balanceAfter, BigDecimal positionAfter) { }

    /** Executes the order if the account can; null (and nothing changed) if it cannot. */
    public Execution execute(Order order) {
        BigDecimal price = order.price();
        BigDecimal amount = order.amount();
        if (price.signum() <= 0 || amount.signum() <= 0) return null;
        BigDecimal value = price.multiply(amount);
        BigDecimal fee = fees.fee(order, value);
        switch (order.side()) {
            case BUY -> {
                BigDecimal total = value.add(fee);
                if (total.compareTo(balance) > 0) return null;
                BigDecimal newPosition = position.add(amount);
                avgPrice = avgPrice.multiply(position).add(value).divide(newPosition, MC);
                costBasis = costBasis.add(total);
                balance = balance.subtract(total);
                position = newPosition;
            }
            case SELL -> {
                if (amount.compareTo(position) > 0) return null;
                BigDecimal share = amount.compareTo(position) == 0
                        ? costBasis
                        : costBasis.multiply(amount.divide(position, MC), MC);
                BigDecimal pnl = value.subtract(fee).subtract(share);
                sells++;
                if (pnl.signum() > 0) winningSells++;
                balance = balance.add(value).subtract(fee);
                position = position.subtract(amount);
                if (position.signum() == 0) {
                    costBasis = BigDecimal.ZERO;
                    avgPrice = BigDecimal.ZERO;
                } else {
                    costBasis = costBasis.subtract(share);
                }
            }
        }
        totalFees = totalFees.add(fee);
        return new Execution(fee, balance, position);
    }

    public BigDecimal balance() { return balance; }

    public BigDecimal position() { return position; }

    public BigDecimal avgPrice() { return avgPrice; }

    public BigDecimal costBasis() { return costBasis; }

    public BigDecimal totalFees() { return totalFees; }

    public int sells() { return sells; }

    public int winningSells() { return winningSells; }
}
