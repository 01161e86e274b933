package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's engine state: the clock (which kline is current), the account, the fills and the
 * equity curve. The strategy drives nothing here but orders; the clock only moves forward, one
 * kline per {@link #advance()}, and every order is checked against the kline the clock is on.
 *
 * <p>Equity is valued in double at each kline's close, from the exact balance and position:
 * {@code equity = balance.doubleValue() + position.doubleValue() * close}; the drawdown uses those
 * doubles with the peak starting at {@code initialBalance.doubleValue()}. {@code finalBalance} is
 * exact: {@code balance + position * close} of the last kline.
 */
public final class Backtest {
    private final KlineSeries klines;
    private final BigDecimal initialBalance;
    private final SpotAccount account;
    private final FillRule fillRule;
    private final RunListener listener;
    private final int maxFills;
    private final List<Fill> fills = new ArrayList<>();

    private int current = -1;
    private final double[] equity;
    private final double[] balanceCurve;
    private final double[] positionCurve;
    private double balanceD;
    private double positionD;
    private double peak;
    private double maxDrawdown;
    private int nextProgress;
    private long nextProgressNanos;
    private boolean fillLimitHit;

    public Backtest(KlineSeries klines, BigDecimal initialBalance, BigDecimal feeRate, int maxFills,
                    RunListener listener) {
        this.klines = klines;
        this.initialBalance = initialBalance;
        this.account = new SpotAccount(initialBalance, FeeModel.proportional(feeRate));
        this.fillRule = FillRule.WITHIN_KLINE_RANGE;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.maxFills = maxFills;
        int n = klines.size();
        this.equity = new double[n];
        this.balanceCurve = new double[n];
        this.positionCurve = new double[n];
        this.balanceD = initialBalance.doubleValue();
        this.positionD = 0;
        this.peak = balanceD;
        this.nextProgress = Math.max(1, n / 100);
    }

    /** Moves the clock to the next kline, valuing the one it leaves at its close. */
    public void advance() {
        if (current >= 0) mark(current);
        if (current + 1 >= klines.size()) {
            throw new IllegalStateException("the engine's clock is past the last kline");
        }
        current++;
        if (current >= nextProgress) {
            nextProgress = current + Math.max(1, klines.size() / 100);
            long now = System.nanoTime();
            if (now >= nextProgressNanos) {
                nextProgressNanos = now + 100_000_000L;
                listener.onProgress((double) current / klines.size());
            }
        }
    }

    private void mark(int i) {
        double e = balanceD + positionD * klines.close()[i];
        equity[i] = e;
        balanceCurve[i] = balanceD;
        positionCurve[i] = positionD;
        if (e > peak) {
            peak = e;
        } else if (peak > 0) {
            double dd = (peak - e) / peak;
            if (dd > maxDrawdown) maxDrawdown = dd;
        }
    }

    /** The kline orders fill on now, or -1 before the first {@link #advance()}. */
    public int current() {
        return current;
    }

    /** Validates and executes an order on the current kline; null if it was refused. */
    public Fill place(Order order) {
        if (current < 0 || fillLimitHit) return null;
        if (!fillRule.fillable(order, klines, current)) return null;
        if (fills.size() >= maxFills) {
            // One fill too many: the run fails with fill_limit (the caller trips it).
            fillLimitHit = true;
            return null;
        }
        SpotAccount.Execution ex = account.execute(order);
        if (ex == null) return null;
        Fill fill = new Fill(current, klines.openTime()[current], order.side(), order.price(), order.amount(),
                ex.balanceAfter(), ex.fee());
        fills.add(fill);
        balanceD = ex.balanceAfter().doubleValue();
        positionD = ex.positionAfter().doubleValue();
        listener.onFill(fill);
        return fill;
    }

    /** True once the run reached its fill limit: it then fails with fill_limit. */
    public boolean fillLimitHit() {
        return fillLimitHit;
    }

    public SpotAccount account() {
        return account;
    }

    /** Max drawdown so far (klines already closed). */
    public double maxDrawdown() {
        return maxDrawdown;
    }

    /** Drawdown if the position were valued at {@code price} now, against the peak so far. */
    public double drawdownAt(double price) {
        double e = balanceD + positionD * price;
        double pk = Math.max(peak, e);
        return pk > 0 ? (pk - e) / pk : 0;
    }

    /** Number of klines already closed (valued in the equity curve). */
    public int closedKlines() {
        return Math.max(0, current);
    }

    public double[] equityColumn() { return equity; }

    /** Ends the run and computes the result from the fills. */
    public BacktestResult finish() {
        int n = klines.size();
        if (current != n - 1) {
            throw new IllegalStateException("the run ended at kline " + current + " of " + n);
        }
        if (n > 0) mark(current);
        BigDecimal finalBalance = n == 0
                ? account.balance()
                : account.balance().add(account.position().multiply(BigDecimal.valueOf(klines.close()[n - 1])));
        BigDecimal profit = finalBalance.subtract(initialBalance);
        BigDecimal profitRate = profit.divide(initialBalance, MathContext.DECIMAL128);
        BigDecimal winRate = account.sells() == 0
                ? BigDecimal.ZERO
                : BigDecimal.valueOf(account.winningSells()).divide(BigDecimal.valueOf(account.sells()),
                MathContext.DECIMAL128);
        EquityCurve curve = new EquityCurve(klines.openTime().clone(), equity, balanceCurve, positionCurve);
        return new BacktestResult(initialBalance, finalBalance, profit, profitRate,
                BigDecimal.valueOf(maxDrawdown), fills.size(), winRate, account.position(), account.balance(),
                BigDecimal.ZERO, account.totalFees(), fills, curve);
    }
}
