package dev.candlebox.sandbox.reference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The contract's spot account ({@code context} in Python), written from the contract alone.
 *
 * <p>Amounts and prices arrive as Python floats and become {@code BigDecimal.valueOf(double)}; cost,
 * proceeds, fees, balance and position are then exact. Only ratios (the share of a position sold,
 * the average price over several buys) are rounded, to 34 digits.
 */
public final class ReferenceAccount {

    /** Precision of the few divisions; far below anything a double can show. */
    public static final MathContext RATIO = MathContext.DECIMAL128;
    /** Python's default decimal context, used where a strategy divides the Decimal balance. */
    private static final MathContext PYTHON_DECIMAL = new MathContext(28, RoundingMode.HALF_EVEN);

    private final BigDecimal initialBalance;
    private final BigDecimal feeRate;
    private BigDecimal balance;
    private BigDecimal position = BigDecimal.ZERO;
    private BigDecimal costBasis = BigDecimal.ZERO;
    private BigDecimal avgPrice = BigDecimal.ZERO;
    private BigDecimal fees = BigDecimal.ZERO;
    private final List<ReferenceFill> fills = new ArrayList<>();
    private Consumer<ReferenceFill> onFill = fill -> { };
    private ReferenceKline kline;

    public ReferenceAccount(BigDecimal initialBalance, BigDecimal feeRate) {
        this.initialBalance = initialBalance;
        this.feeRate = feeRate;
        this.balance = initialBalance;
    }

    /** The kline orders are placed in: it bounds their price. */
    void at(ReferenceKline current) {
        this.kline = current;
    }

    void onFill(Consumer<ReferenceFill> listener) {
        this.onFill = listener;
    }

    public boolean buy(double price, double amount) {
        if (!tradable(price) || !positive(amount)) {
            return false;
        }
        BigDecimal p = BigDecimal.valueOf(price);
        BigDecimal a = BigDecimal.valueOf(amount);
        BigDecimal cost = p.multiply(a);
        BigDecimal fee = cost.multiply(feeRate);
        BigDecimal total = cost.add(fee);
        if (total.compareTo(balance) > 0) {
            return false;
        }
        BigDecimal newPosition = position.add(a);
        // Amount-weighted price of the units held: the held units at the old average, plus this buy.
        avgPrice = avgPrice.multiply(position).add(cost).divide(newPosition, RATIO);
        position = newPosition;
        costBasis = costBasis.add(total);
        balance = balance.subtract(total);
        fees = fees.add(fee);
        record(ReferenceFill.Side.BUY, p, a, fee, null);
        return true;
    }

    public boolean sell(double price, double amount) {
        if (!positive(amount)) {
            return false;
        }
        return sellExactly(price, BigDecimal.valueOf(amount));
    }

    public boolean sellAll(double price) {
        return position.signum() > 0 && sellExactly(price, position);
    }

    private boolean sellExactly(double price, BigDecimal a) {
        if (!tradable(price) || a.compareTo(position) > 0) {
            return false;
        }
        BigDecimal p = BigDecimal.valueOf(price);
        BigDecimal proceeds = p.multiply(a);
        BigDecimal fee = proceeds.multiply(feeRate);
        BigDecimal basisSold = a.compareTo(position) == 0
                ? costBasis
                : costBasis.multiply(a.divide(position, RATIO));
        BigDecimal realised = proceeds.subtract(fee).subtract(basisSold);
        balance = balance.add(proceeds.subtract(fee));
        position = position.subtract(a);
        costBasis = costBasis.subtract(basisSold);
        if (position.signum() == 0) {
            costBasis = BigDecimal.ZERO;
            avgPrice = BigDecimal.ZERO;
        }
        fees = fees.add(fee);
        record(ReferenceFill.Side.SELL, p, a, fee, realised);
        return true;
    }

    private void record(ReferenceFill.Side side, BigDecimal price, BigDecimal amount, BigDecimal fee,
                        BigDecimal realised) {
        ReferenceFill fill = new ReferenceFill(kline.index(), kline.openTime(), side, price, amount, fee, balance,
                realised);
        fills.add(fill);
        onFill.accept(fill);
    }

    /** Finite, positive and inside the current kline's [low, high]: a price the market traded. */
    private boolean tradable(double price) {
        return positive(price) && kline.low() <= price && price <= kline.high();
    }

    private static boolean positive(double x) {
        return Double.isFinite(x) && x > 0;
    }

    /** {@code float(context.balance / price)}: the Decimal balance over the float's exact value, 28 digits. */
    public double balanceOver(double price) {
        return balance.divide(new BigDecimal(price), PYTHON_DECIMAL).doubleValue();
    }

    /** {@code context.get_avg_position_price()} as a float: 0 when flat. */
    public double avgPositionPrice() {
        return avgPrice.doubleValue();
    }

    /** {@code balance + position * price}. */
    public BigDecimal equity(double price) {
        return balance.add(position.multiply(BigDecimal.valueOf(price)));
    }

    public boolean flat() {
        return position.signum() == 0;
    }

    public BigDecimal balance() {
        return balance;
    }

    public BigDecimal position() {
        return position;
    }

    public BigDecimal costBasis() {
        return costBasis;
    }

    public BigDecimal avgPrice() {
        return avgPrice;
    }

    public BigDecimal fees() {
        return fees;
    }

    public BigDecimal initialBalance() {
        return initialBalance;
    }

    public List<ReferenceFill> fills() {
        return List.copyOf(fills);
    }
}
