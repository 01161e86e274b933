package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.engine.Backtest;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.FuturesAccount;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.Side;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import java.math.BigDecimal;
import java.util.List;

/**
 * The only Java object a run's Python code holds: the engine's order desk (the clock is moved by the
 * engine's own loop, never from Python). Prices and amounts arrive as a float or as the exact decimal
 * string of an int / Decimal; anything else, or a NaN / infinite / unparsable value, is refused.
 * Replies are strings so that one call carries a whole fill back, as one line
 * {@code timestamp;type;reason;price;amount;fee;slippage;balance;position}.
 */
public final class Exchange {
    /** The reply of an immediate order queued for the next open. */
    static final String QUEUED = "queued";

    private final Backtest backtest;
    private final Runnable onFillLimit;

    Exchange(Backtest backtest, Runnable onFillLimit) {
        this.backtest = backtest;
        this.onFillLimit = onFillLimit;
    }

    @HostAccess.Export
    public String buy(Value price, Value amount) {
        return immediate(Side.BUY, decimal(price), decimal(amount), false);
    }

    @HostAccess.Export
    public String sell(Value price, Value amount) {
        return immediate(Side.SELL, decimal(price), decimal(amount), false);
    }

    @HostAccess.Export
    public String sellAll(Value price) {
        if (backtest.queuesImmediateOrders()) return backtest.queue(Side.SELL, null) ? QUEUED : null;
        BigDecimal position = backtest.account().position();
        if (position.signum() <= 0) return null;
        return immediate(Side.SELL, decimal(price), position, true);
    }

    @HostAccess.Export
    public String closePosition(Value price) {
        if (backtest.queuesImmediateOrders()) {
            return backtest.account().position().signum() != 0 && backtest.queue(null, null) ? QUEUED : null;
        }
        return reply(backtest.closePosition(decimal(price)));
    }

    private String immediate(Side side, BigDecimal price, BigDecimal amount, boolean whole) {
        if (amount == null) return null;
        if (backtest.queuesImmediateOrders()) return backtest.queue(side, whole ? null : amount) ? QUEUED : null;
        return reply(backtest.place(side, price, amount));
    }

    private String reply(Fill fill) {
        if (fill == null) {
            if (backtest.fillLimitHit()) onFillLimit.run();
            return null;
        }
        backtest.reported();
        return line(fill);
    }

    private String line(Fill f) {
        return f.timestamp() + ";" + f.type() + ';' + f.reason().wire() + ';' + f.price().toPlainString() + ';'
                + f.amount().toPlainString() + ';' + f.fee().toPlainString() + ';' + f.slippage().toPlainString() + ';'
                + f.balance().toPlainString() + ';' + backtest.account().position().toPlainString();
    }

    /**
     * The account now and the fills the engine made since the strategy last heard from it:
     * {@code balance;position} then one line per fill (their position field is the position now).
     */
    @HostAccess.Export
    public String news() {
        List<Fill> fills = backtest.unreportedFills();
        StringBuilder sb = new StringBuilder(64 + fills.size() * 96)
                .append(backtest.account().balance().toPlainString()).append(';')
                .append(backtest.account().position().toPlainString());
        for (Fill f : fills) sb.append('\n').append(line(f));
        if (backtest.fillLimitHit()) onFillLimit.run();
        return sb.toString();
    }

    /** A resting order's id, or -1 when refused. */
    @HostAccess.Export
    public long order(String side, Value amount, String type, Value price, Value stop, boolean reduceOnly,
                      int expireAfter, String tag) {
        Side s = "buy".equals(side) ? Side.BUY : "sell".equals(side) ? Side.SELL : null;
        Order.Type t = switch (type == null ? "" : type) {
            case "limit" -> Order.Type.LIMIT;
            case "stop" -> Order.Type.STOP;
            case "stop_limit" -> Order.Type.STOP_LIMIT;
            default -> null;
        };
        BigDecimal p = price == null || price.isNull() ? null : decimal(price);
        BigDecimal st = stop == null || stop.isNull() ? null : decimal(stop);
        if (price != null && !price.isNull() && p == null || stop != null && !stop.isNull() && st == null) return -1;
        Long id = backtest.order(s, t, decimal(amount), p, st, reduceOnly, expireAfter <= 0 ? null : expireAfter, tag);
        return id == null ? -1 : id;
    }

    @HostAccess.Export
    public boolean cancel(long id) {
        return backtest.cancel(id);
    }

    /** The open orders, each as {id, side, type, amount, price, stop, reduceOnly, tag} (strings; "" for none). */
    @HostAccess.Export
    public String[][] openOrders() {
        List<Order> open = backtest.openOrders();
        String[][] out = new String[open.size()][];
        for (int i = 0; i < out.length; i++) {
            Order o = open.get(i);
            out[i] = new String[] {Long.toString(o.id()), o.side().wire(), o.type().wire(), o.amount().toPlainString(),
                o.price() == null ? "" : o.price().toPlainString(), o.stop() == null ? "" : o.stop().toPlainString(),
                o.reduceOnly() ? "1" : "", o.tag()};
        }
        return out;
    }

    @HostAccess.Export
    public boolean setStopLoss(Value price, Value pct) {
        return valid(price) && valid(pct) && backtest.setStopLoss(optional(price), optional(pct));
    }

    @HostAccess.Export
    public boolean setTakeProfit(Value price, Value pct) {
        return valid(price) && valid(pct) && backtest.setTakeProfit(optional(price), optional(pct));
    }

    @HostAccess.Export
    public boolean setTrailingStop(Value pct, Value distance) {
        return valid(pct) && valid(distance) && backtest.setTrailingStop(optional(pct), optional(distance));
    }

    /** The brackets now: stop-loss, take-profit, trailing stop level ("" for none). */
    @HostAccess.Export
    public String brackets() {
        return plain(backtest.stopLoss()) + ';' + plain(backtest.takeProfit()) + ';' + plain(backtest.trailingStop());
    }

    @HostAccess.Export
    public String avgPrice() {
        return backtest.account().avgPrice().toPlainString();
    }

    @HostAccess.Export
    public String marginUsed() {
        return backtest.account().marginUsed().toPlainString();
    }

    @HostAccess.Export
    public String liquidationPrice() {
        BigDecimal lp = backtest.account().liquidationPrice();
        return lp == null ? null : lp.toPlainString();
    }

    @HostAccess.Export
    public String fundingPaid() {
        return backtest.account().fundingPaid().toPlainString();
    }

    /** Unrealised PnL at {@code price}: position × (price − average entry price). */
    @HostAccess.Export
    public String unrealizedPnl(Value price) {
        BigDecimal p = decimal(price);
        if (p == null) return null;
        if (backtest.account() instanceof FuturesAccount f) return f.unrealizedPnl(p).toPlainString();
        return backtest.account().position().multiply(p.subtract(backtest.account().avgPrice())).toPlainString();
    }

    /** Equity at {@code price}, exact (spot: cash + position × price; futures: wallet + unrealised PnL). */
    @HostAccess.Export
    public String equityAt(Value price) {
        BigDecimal p = decimal(price);
        return p == null ? null : backtest.account().equity(p).toPlainString();
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

    private static String plain(BigDecimal d) {
        return d == null ? "" : d.toPlainString();
    }

    private static BigDecimal optional(Value v) {
        return v == null || v.isNull() ? null : decimal(v);
    }

    /** A present value that could not be read as a number makes the call fail. */
    private static boolean valid(Value v) {
        return v == null || v.isNull() || decimal(v) != null;
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
        // Keeps the account's exact arithmetic bounded: 1E-999999 would make every later sum huge, and
        // 1E+999999999 overflow it; at most MAX_DIGITS digits after the point and before it.
        if (d.scale() > MAX_DIGITS || d.precision() > MAX_DIGITS || d.precision() - d.scale() > MAX_DIGITS) return null;
        return d;
    }
}
