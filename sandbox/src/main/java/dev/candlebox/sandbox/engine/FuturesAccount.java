package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/**
 * A USDT-M linear perpetual account in one-way mode (contract section 6): a signed position, a wallet
 * that realised PnL, fees and funding move, margin reserved (not spent) at {@code |Q| × EP / leverage},
 * and Binance's liquidation price from the maintenance-margin tier of the entry notional.
 *
 * <p>A fill of signed amount q at price P first reduces an opposite position by
 * {@code r = min(|q|, |Q|)}, realising {@code r × (P − EP) × sign(Q)}, and opens the rest. The average
 * entry price is the amount-weighted average of opening fills (DECIMAL128); reducing fills keep it; a
 * flip starts at P. An order that opens anything needs {@code wallet' − marginUsed' >= 0} after it, else
 * the whole order is refused; a pure reduce is always allowed.
 */
public final class FuturesAccount implements Account {
    private final int leverage;
    private final BigDecimal leverageD;
    private final Trading.MarginMode mode;
    private final MaintenanceTiers tiers;

    private BigDecimal wallet;
    private BigDecimal position = BigDecimal.ZERO;
    private BigDecimal entry = BigDecimal.ZERO;
    private BigDecimal totalFees = BigDecimal.ZERO;
    private BigDecimal fundingPaid = BigDecimal.ZERO;
    private BigDecimal liquidationPrice;
    /** Wallet change of the current round trip from its fills (funding excluded). */
    private BigDecimal tripPnl = BigDecimal.ZERO;
    private int trips;
    private int winningTrips;

    public FuturesAccount(BigDecimal initialBalance, int leverage, Trading.MarginMode mode, MaintenanceTiers tiers) {
        this.wallet = initialBalance;
        this.leverage = leverage;
        this.leverageD = BigDecimal.valueOf(leverage);
        this.mode = mode;
        this.tiers = tiers;
    }

    @Override
    public Execution fill(Side side, BigDecimal amount, BigDecimal price, BigDecimal fee) {
        if (price.signum() <= 0 || amount.signum() <= 0) return null;
        BigDecimal q = side == Side.BUY ? amount : amount.negate();
        int s = position.signum();
        BigDecimal size = position.abs();
        BigDecimal reduce = s != 0 && s != q.signum() ? amount.min(size) : BigDecimal.ZERO;
        BigDecimal open = amount.subtract(reduce);
        BigDecimal realised = reduce.multiply(price.subtract(entry)).multiply(BigDecimal.valueOf(s));
        BigDecimal newWallet = wallet.add(realised).subtract(fee);
        BigDecimal newPosition = position.add(q);
        BigDecimal newEntry;
        if (newPosition.signum() == 0) {
            newEntry = BigDecimal.ZERO;
        } else if (open.signum() == 0) {
            newEntry = entry;
        } else if (reduce.signum() > 0 || s == 0) {
            newEntry = price;
        } else {
            newEntry = size.multiply(entry).add(open.multiply(price)).divide(size.add(open), MC);
        }
        if (open.signum() > 0 && newWallet.subtract(margin(newPosition, newEntry)).signum() < 0) return null;

        BigDecimal change = newWallet.subtract(wallet);
        if (s != 0 && reduce.signum() > 0) {
            // The trip ends when the position reaches zero (or flips): a flip's fee is shared by amount.
            boolean ends = newPosition.signum() != s;
            BigDecimal closingShare = open.signum() == 0 ? change
                    : realised.subtract(fee.multiply(reduce).divide(amount, MC));
            tripPnl = tripPnl.add(closingShare);
            if (ends) {
                endTrip();
                tripPnl = change.subtract(closingShare);
            }
        } else {
            tripPnl = tripPnl.add(change);
        }
        wallet = newWallet;
        position = newPosition;
        entry = newEntry;
        totalFees = totalFees.add(fee);
        updateLiquidationPrice();
        return new Execution(fee, wallet, position, change);
    }

    private void endTrip() {
        trips++;
        if (tripPnl.signum() > 0) winningTrips++;
        tripPnl = BigDecimal.ZERO;
    }

    /** |Q| × EP / leverage. */
    private BigDecimal margin(BigDecimal q, BigDecimal ep) {
        return q.signum() == 0 ? BigDecimal.ZERO : q.abs().multiply(ep).divide(leverageD, MC);
    }

    private void updateLiquidationPrice() {
        if (position.signum() == 0) {
            liquidationPrice = null;
            return;
        }
        BigDecimal size = position.abs();
        BigDecimal notional = size.multiply(entry);
        MaintenanceTiers.Tier tier = tiers.tierFor(notional);
        BigDecimal wb = mode == Trading.MarginMode.CROSS ? wallet : margin(position, entry);
        BigDecimal s = BigDecimal.valueOf(position.signum());
        // LP = (WB + cum − s·Q·EP) / (Q·MMR − s·Q), Q = |position|
        BigDecimal numerator = wb.add(tier.cum()).subtract(s.multiply(notional));
        BigDecimal denominator = size.multiply(tier.mmr()).subtract(s.multiply(size));
        BigDecimal lp = numerator.divide(denominator, MC);
        liquidationPrice = lp.signum() > 0 ? lp : null;
    }

    @Override
    public Execution liquidate(BigDecimal takerFee) {
        BigDecimal lp = liquidationPrice;
        if (lp == null) throw new IllegalStateException("nothing to liquidate");
        BigDecimal size = position.abs();
        BigDecimal fee = size.multiply(lp).multiply(takerFee);
        // Isolated: the position's margin is lost. Funding moves the wallet but not that margin, so a
        // wallet already below it ends at zero: the trader never loses more than the whole wallet.
        BigDecimal newWallet = mode == Trading.MarginMode.CROSS ? BigDecimal.ZERO
                : wallet.subtract(margin(position, entry)).max(BigDecimal.ZERO);
        BigDecimal change = newWallet.subtract(wallet);
        tripPnl = tripPnl.add(change);
        endTrip();
        wallet = newWallet;
        position = BigDecimal.ZERO;
        entry = BigDecimal.ZERO;
        totalFees = totalFees.add(fee);
        liquidationPrice = null;
        return new Execution(fee, wallet, position, change);
    }

    @Override
    public void payFunding(BigDecimal amount) {
        wallet = wallet.subtract(amount);
        fundingPaid = fundingPaid.add(amount);
        if (mode == Trading.MarginMode.CROSS) updateLiquidationPrice();
    }

    @Override
    public BigDecimal balance() { return wallet; }

    @Override
    public BigDecimal position() { return position; }

    @Override
    public BigDecimal avgPrice() { return entry; }

    /** wallet + Q × (price − EP). */
    @Override
    public BigDecimal equity(BigDecimal price) {
        return wallet.add(position.multiply(price.subtract(entry)));
    }

    @Override
    public double equity(double price) {
        return wallet.doubleValue() + position.doubleValue() * (price - entry.doubleValue());
    }

    /** Q × (price − EP). */
    public BigDecimal unrealizedPnl(BigDecimal price) {
        return position.multiply(price.subtract(entry));
    }

    @Override
    public BigDecimal totalFees() { return totalFees; }

    @Override
    public int closedTrips() { return trips; }

    @Override
    public int winningTrips() { return winningTrips; }

    @Override
    public BigDecimal liquidationPrice() { return liquidationPrice; }

    @Override
    public BigDecimal marginUsed() { return margin(position, entry); }

    @Override
    public BigDecimal fundingPaid() { return fundingPaid; }

    public int leverage() { return leverage; }
}
