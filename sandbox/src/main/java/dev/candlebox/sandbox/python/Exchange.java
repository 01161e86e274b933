package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.engine.Backtest;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.Side;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import java.math.BigDecimal;

/**
 * The only Java object a run's Python code holds: the engine's order desk (the clock is moved by the
 * engine's own loop, never from Python). Prices and
 * amounts arrive as a float or as the exact decimal string of an int / Decimal; anything else, or a
 * NaN / infinite / unparsable value, is refused. Replies are strings so that one call carries a
 * whole fill back ({@code balance;position;price;amount;fee;openTimeMs}).
 */
public final class Exchange {
    private final Backtest backtest;
    private final Runnable onFillLimit;

    Exchange(Backtest backtest, Runnable onFillLimit) {
        this.backtest = backtest;
        this.onFillLimit = onFillLimit;
    }

    @HostAccess.Export
    public String buy(Value price, Value amount) {
        return place(Side.BUY, decimal(price), decimal(amount));
    }

    @HostAccess.Export
    public String sell(Value price, Value amount) {
        return place(Side.SELL, decimal(price), decimal(amount));
    }

    @HostAccess.Export
    public String sellAll(Value price) {
        BigDecimal position = backtest.account().position();
        if (position.signum() <= 0) return null;
        return place(Side.SELL, decimal(price), position);
    }

    @HostAccess.Export
    public String avgPrice() {
        return backtest.account().avgPrice().toString();
    }

    @HostAccess.Export
    public String maxDrawdown() {
        return Double.toString(backtest.maxDrawdown());
    }

    @HostAccess.Export
    public String drawdownAt(double price) {
        return Double.isFinite(price) ? Double.toString(backtest.drawdownAt(price)) : "NaN";
    }

    @HostAccess.Export
    public String equityCurveJson() {
        int n = backtest.closedKlines();
        StringBuilder sb = new StringBuilder(n * 24 + 2).append('[');
        double[] e = backtest.equityColumn();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append(e[i]);
        }
        return sb.append(']').toString();
    }

    private String place(Side side, BigDecimal price, BigDecimal amount) {
        if (price == null || amount == null) return null;
        Fill fill = backtest.place(new Order(side, price, amount));
        if (fill == null) {
            if (backtest.fillLimitHit()) onFillLimit.run();
            return null;
        }
        return fill.balance().toPlainString() + ';' + backtest.account().position().toPlainString() + ';'
                + fill.price().toPlainString() + ';' + fill.amount().toPlainString() + ';'
                + fill.fee().toPlainString() + ';' + fill.timestamp();
    }

    /** Most digits after the point, and most significant digits, a price or amount may have. */
    static final int MAX_DIGITS = 40;

    /** Python float: BigDecimal.valueOf (shortest repr); int / Decimal: their exact decimal string. */
    static BigDecimal decimal(Value v) {
        if (v == null || v.isNull()) return null;
        BigDecimal d;
        if (v.isString()) {
            String s = v.asString();
            if (s.length() > 100) return null;
            try {
                d = new BigDecimal(s);
            } catch (NumberFormatException e) {
                return null; // NaN, Infinity, garbage
            }
        } else if (v.isNumber() && v.fitsInDouble()) {
            double x = v.asDouble();
            if (!Double.isFinite(x)) return null;
            d = BigDecimal.valueOf(x);
        } else {
            return null;
        }
        // Keeps the account's exact arithmetic bounded: 1E-999999 would make every later sum huge.
        if (d.scale() > MAX_DIGITS || d.precision() > MAX_DIGITS) return null;
        return d;
    }
}
