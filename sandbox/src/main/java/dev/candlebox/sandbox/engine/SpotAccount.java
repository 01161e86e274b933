package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/**
 * A long-only spot account: quote cash and a base position, exact decimal arithmetic. It checks
 * funds (a buy needs its value and fee in cash; a sell at most the position); price rules are the engine's.
 *
 * <p>Cost basis: the open position carries {@code costBasis} (buy cost plus buy fee) and
 * {@code avgPrice} (amount-weighted buy price, fees excluded; DECIMAL128). A sell of {@code a} out of
 * position {@code p} realises {@code proceeds - sellFee - costBasis * (a / p)} (division and product
 * rounded to DECIMAL128; a sell of the whole position takes the whole basis) and removes that share
 * of the basis; the average price does not change. Both reset when the position is closed.
 */
public final class SpotAccount implements Account {
    private BigDecimal balance;
    private BigDecimal position = BigDecimal.ZERO;
    private BigDecimal costBasis = BigDecimal.ZERO;
    private BigDecimal avgPrice = BigDecimal.ZERO;
    private BigDecimal totalFees = BigDecimal.ZERO;
    private int sells;
    private int winningSells;

    public SpotAccount(BigDecimal initialBalance) {
        this.balance = initialBalance;
    }

    @Override
    public Execution fill(Side side, BigDecimal amount, BigDecimal price, BigDecimal fee) {
        if (price.signum() <= 0 || amount.signum() <= 0) return null;
        BigDecimal before = balance;
        BigDecimal value = price.multiply(amount);
        switch (side) {
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
        return new Execution(fee, balance, position, balance.subtract(before));
    }

    @Override
    public BigDecimal balance() { return balance; }

    @Override
    public BigDecimal position() { return position; }

    @Override
    public BigDecimal avgPrice() { return avgPrice; }

    public BigDecimal costBasis() { return costBasis; }

    @Override
    public BigDecimal totalFees() { return totalFees; }

    @Override
    public BigDecimal equity(BigDecimal price) { return balance.add(position.multiply(price)); }

    @Override
    public double equity(double price) { return balance.doubleValue() + position.doubleValue() * price; }

    /** Spot counts sells (the reference system's win rate): each sell is a trip. */
    @Override
    public int closedTrips() { return sells; }

    @Override
    public int winningTrips() { return winningSells; }
}
