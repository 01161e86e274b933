package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run's engine state: the clock (which kline is current), the account, resting orders and
 * brackets, funding, the fills and the equity curve (contract sections 4 and 6). The strategy drives
 * nothing here but orders; the clock only moves forward, one kline per {@link #advance()}.
 *
 * <p>On each kline, before the strategy sees it: orders queued for this open fill, funding due in the
 * kline is settled, then the kline's path (see {@link IntrabarPath}) is walked and resting orders,
 * stop-loss, trailing stop, take-profit and liquidation fill in the order the path reaches their
 * prices; then trailing stops move and orders expire. A kline where nothing rests and nothing is due
 * costs a few comparisons.
 *
 * <p>Equity is valued in double at each kline's close from the account's exact values:
 * {@code balance + position × (close − entry)} for futures and {@code balance + position × close} for
 * spot; the drawdown uses those doubles with the peak starting at {@code initialBalance}.
 * {@code finalBalance} is exact.
 */
public final class Backtest {
    private static final MathContext MC = MathContext.DECIMAL128;
    /** Default of the most resting orders a run may have open at once. */
    public static final int DEFAULT_MAX_OPEN_ORDERS = 1000;

    private final KlineSeries klines;
    private final BigDecimal initialBalance;
    private final Trading trading;
    private final Account account;
    private final FillRule fillRule;
    private final Costs.FeeModel fees;
    private final Costs.Slippage slippage;
    private final IntrabarPath path;
    private final FundingSeries funding;
    private final RunListener listener;
    private final int maxFills;
    private final int maxOpenOrders;
    private final List<Fill> fills = new ArrayList<>();

    // resting orders: all of them (for the result) and the open ones, by id
    private final List<Order> orders = new ArrayList<>();
    private final List<Order> open = new ArrayList<>();
    private final Set<Long> triggered = new HashSet<>();
    private long nextOrderId = 1;

    // brackets of the open position
    private BigDecimal stopLoss;
    private BigDecimal takeProfit;
    private BigDecimal trailPct;
    private BigDecimal trailDistance;
    private BigDecimal trailAnchor;

    // immediate orders waiting for the next open ("next_open")
    private record Queued(Side side, BigDecimal amount, boolean wholePosition) { }
    private final List<Queued> queued = new ArrayList<>();

    private final List<BacktestResult.FundingPayment> fundingPayments = new ArrayList<>();
    private int fundingIndex;
    private int fundingTimes;
    private int fundingSkipped;
    private int ambiguousKlines;
    private int droppedOrders;
    private int liquidations;

    private int current = -1;
    /** The first kline orders may be placed on (walk-forward warm-up: klines before it are seen, not traded). */
    private int tradeFrom;
    private final double[] equity;
    private final double[] balanceCurve;
    private final double[] positionCurve;
    private double balanceD;
    private double positionD;
    private double entryD;
    private double peak;
    private double maxDrawdown;
    private int nextProgress;
    private long nextProgressNanos;
    private boolean fillLimitHit;
    private int reportedFills;
    private boolean news;
    private final double[][] legs;

    /** A spot run with the reference system's rules (fills at the strategy's price, one fee rate). */
    public Backtest(KlineSeries klines, BigDecimal initialBalance, BigDecimal feeRate, int maxFills,
                    RunListener listener) {
        this(klines, initialBalance, Trading.spot(feeRate), FundingSeries.NONE, MaintenanceTiers.DEFAULT, null,
                maxFills, DEFAULT_MAX_OPEN_ORDERS, listener);
    }

    /**
     * @param minutes the 1-minute klines of the symbol over the run (for {@code intrabar: "1m"}), or null
     */
    public Backtest(KlineSeries klines, BigDecimal initialBalance, Trading trading, FundingSeries funding,
                    MaintenanceTiers tiers, KlineSeries minutes, int maxFills, int maxOpenOrders,
                    RunListener listener) {
        this.klines = klines;
        this.initialBalance = initialBalance;
        this.trading = trading;
        this.account = trading.futures()
                ? new FuturesAccount(initialBalance, trading.leverage(), trading.marginMode(), tiers)
                : new SpotAccount(initialBalance);
        this.fillRule = FillRule.of(trading.fill());
        this.fees = Costs.FeeModel.makerTaker(trading.makerFee(), trading.takerFee());
        this.slippage = Costs.Slippage.proportional(trading.slippage());
        this.path = trading.intrabar() == Trading.Intrabar.ONE_MINUTE && minutes != null && minutes.size() > 0
                ? IntrabarPath.minutes(minutes, 44_640)
                : IntrabarPath.PESSIMISTIC;
        this.funding = trading.futures() ? funding : FundingSeries.NONE;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.maxFills = maxFills;
        this.maxOpenOrders = maxOpenOrders;
        int n = klines.size();
        this.equity = new double[n];
        this.balanceCurve = new double[n];
        this.positionCurve = new double[n];
        this.balanceD = initialBalance.doubleValue();
        this.peak = balanceD;
        this.nextProgress = Math.max(1, n / 100);
        this.legs = new double[Math.min(path.maxLegs(), longestKlineMinutes(klines))][];
        for (int i = 0; i < legs.length; i++) legs[i] = new double[4];
    }

    private static int longestKlineMinutes(KlineSeries k) {
        long longest = 1;
        for (int i = 0; i < k.size(); i++) longest = Math.max(longest, (k.closeTime()[i] + 1 - k.openTime()[i]) / 60_000L);
        return (int) Math.min(Integer.MAX_VALUE, longest);
    }

    /**
     * Moves the clock to the next kline, valuing the one it leaves at its close, and plays what
     * happens on the new kline before the strategy sees it. Returns true when the account changed
     * without the strategy asking (a resting order, a bracket, funding, a liquidation, a queued order).
     */
    public boolean advance() {
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
        news = false;
        int i = current;
        if (!queued.isEmpty()) fillQueued(i);
        if (fundingIndex < funding.size()) settleFunding(i);
        if (!open.isEmpty() || account.position().signum() != 0 && hasExits()) walk(i);
        if (!open.isEmpty()) expire(i);
        return news || reportedFills < fills.size();
    }

    private boolean hasExits() {
        return stopLoss != null || takeProfit != null || trailAnchor != null || account.liquidationPrice() != null;
    }

    private void mark(int i) {
        double e = balanceD + positionD * (klines.close()[i] - entryD);
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

    /**
     * Klines before {@code index} are warm-up: the strategy sees them but every order it places on them
     * (immediate, queued or resting) is dropped, refused as any refused order is, and counted in
     * {@code dataQuality.droppedOrders}. A strategy written for live trading runs unchanged.
     */
    public void tradeFrom(int index) {
        this.tradeFrom = Math.max(0, index);
    }

    /** True while the current kline is warm-up (before {@link #tradeFrom(int)}): an order is dropped and counted. */
    private boolean warmingUp() {
        if (current >= tradeFrom) return false;
        if (current >= 0) droppedOrders++;
        return true;
    }

    /** The kline orders fill on now, or -1 before the first {@link #advance()}. */
    public int current() {
        return current;
    }

    public Trading trading() {
        return trading;
    }

    // ---- immediate orders -------------------------------------------------------------------------

    /** True when immediate orders wait for the next open instead of filling now. */
    public boolean queuesImmediateOrders() {
        return trading.fill() == Trading.FillTiming.NEXT_OPEN;
    }

    /**
     * An immediate order filled now on the current kline, at the fill rule's price, with slippage and the
     * taker fee; null when refused. With {@code "next_open"} ({@link #queuesImmediateOrders()}) callers
     * {@link #queue} instead.
     */
    public Fill place(Side side, BigDecimal price, BigDecimal amount) {
        if (current < 0 || fillLimitHit || amount == null || amount.signum() <= 0 || warmingUp()) return null;
        if (price == null && trading.fill() == Trading.FillTiming.SEED) return null;
        BigDecimal base = fillRule.price(price, klines, current);
        if (base == null) return null;
        return execute(current, side, amount, base, Costs.Liquidity.TAKER, true, Fill.Reason.ORDER);
    }

    /** Sells the whole long position now (spot's sell_all); null when flat, short or refused. */
    public Fill sellAll(BigDecimal price) {
        BigDecimal q = account.position();
        if (q.signum() <= 0) return null;
        return place(Side.SELL, price, q);
    }

    /** Closes any position now; null when flat or refused. */
    public Fill closePosition(BigDecimal price) {
        BigDecimal q = account.position();
        if (q.signum() == 0) return null;
        BigDecimal p = price;
        if (p == null && trading.fill() == Trading.FillTiming.SEED) p = BigDecimal.valueOf(klines.close()[current]);
        return place(q.signum() > 0 ? Side.SELL : Side.BUY, p, q.abs());
    }

    /**
     * Queues an immediate order for the next kline's open ({@code "next_open"}); {@code amount} null means
     * the whole position at that open (sell_all: a long; close_position: any side, when side is null).
     */
    public boolean queue(Side side, BigDecimal amount) {
        if (current < 0 || fillLimitHit || warmingUp()) return false;
        if (amount != null && amount.signum() <= 0) return false;
        if (queued.size() >= maxOpenOrders) return false;
        queued.add(new Queued(side, amount, amount == null));
        return true;
    }

    private void fillQueued(int i) {
        List<Queued> due = new ArrayList<>(queued);
        queued.clear();
        for (Queued q : due) {
            BigDecimal pos = account.position();
            Side side = q.side();
            BigDecimal amount = q.amount();
            if (q.wholePosition()) {
                if (side == null) side = pos.signum() > 0 ? Side.SELL : Side.BUY;
                boolean closable = side == Side.SELL ? pos.signum() > 0 : pos.signum() < 0;
                amount = closable ? pos.abs() : null;
            }
            BigDecimal base = fillRule.price(null, klines, i);
            Fill f = amount == null || base == null ? null
                    : execute(i, side, amount, base, Costs.Liquidity.TAKER, true, Fill.Reason.ORDER);
            if (f == null) droppedOrders++;
        }
    }

    /**
     * Books a fill on kline i: slippage on taker fills, the fee, the account's check. Ends the brackets
     * when the position reaches zero or flips.
     */
    private Fill execute(int i, Side side, BigDecimal amount, BigDecimal base, Costs.Liquidity liquidity,
                         boolean slipped, Fill.Reason reason) {
        if (fills.size() >= maxFills) {
            // One fill too many: the run fails with fill_limit (the caller trips it).
            fillLimitHit = true;
            return null;
        }
        BigDecimal price = slipped ? slippage.apply(side, base) : base;
        BigDecimal fee = fees.fee(amount, price, liquidity);
        int before = account.position().signum();
        Account.Execution ex = account.fill(side, amount, price, fee);
        if (ex == null) return null;
        BigDecimal slip = price == base ? BigDecimal.ZERO : amount.multiply(price.subtract(base).abs());
        Fill fill = new Fill(i, klines.openTime()[i], side, reason, price, amount, ex.balanceAfter(), ex.fee(), slip);
        record(fill, before);
        return fill;
    }

    private void record(Fill fill, int positionSignBefore) {
        fills.add(fill);
        int after = account.position().signum();
        if (after == 0 || after != positionSignBefore) clearBrackets();
        refreshDoubles();
        listener.onFill(fill);
    }

    private void refreshDoubles() {
        balanceD = account.balance().doubleValue();
        positionD = account.position().doubleValue();
        entryD = trading.futures() ? account.avgPrice().doubleValue() : 0;
    }

    private void clearBrackets() {
        stopLoss = null;
        takeProfit = null;
        trailPct = null;
        trailDistance = null;
        trailAnchor = null;
    }

    // ---- resting orders and brackets ---------------------------------------------------------------

    /**
     * Places a resting order (it can first fill on the next kline); its id, or null for invalid arguments
     * or too many open orders.
     */
    public Long order(Side side, Order.Type type, BigDecimal amount, BigDecimal price, BigDecimal stop,
                      boolean reduceOnly, Integer expireAfter, String tag) {
        if (current < 0 || side == null || type == null || amount == null || amount.signum() <= 0 || warmingUp()) return null;
        boolean needsPrice = type != Order.Type.STOP;
        boolean needsStop = type != Order.Type.LIMIT;
        if (needsPrice != (price != null) || needsStop != (stop != null)) return null;
        if (price != null && price.signum() <= 0 || stop != null && stop.signum() <= 0) return null;
        if (expireAfter != null && expireAfter < 1) return null;
        if (tag != null && tag.length() > 64) return null;
        if (open.size() >= maxOpenOrders) return null;
        int last = expireAfter == null ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (long) current + expireAfter);
        Order o = new Order(nextOrderId++, side, type, amount, price, stop, reduceOnly, tag, current, last,
                Order.Status.OPEN, -1);
        orders.add(o);
        open.add(o);
        return o.id();
    }

    /** Cancels an open order of this run; false when there is none with that id. */
    public boolean cancel(long id) {
        for (int j = 0; j < open.size(); j++) {
            if (open.get(j).id() == id) {
                close(j, Order.Status.CANCELLED, current);
                return true;
            }
        }
        return false;
    }

    /** The open resting orders, by id. */
    public List<Order> openOrders() {
        return List.copyOf(open);
    }

    private void close(int openIndex, Order.Status status, int kline) {
        Order o = open.remove(openIndex);
        triggered.remove(o.id());
        Order done = o.with(status, kline);
        for (int j = orders.size() - 1; j >= 0; j--) {
            if (orders.get(j).id() == o.id()) {
                orders.set(j, done);
                break;
            }
        }
    }

    /** Sets (or with both null removes) the stop-loss; false without a position or with bad arguments. */
    public boolean setStopLoss(BigDecimal price, BigDecimal pct) {
        BigDecimal level = bracketLevel(price, pct, true);
        if (level == null && !(price == null && pct == null && account.position().signum() != 0)) return false;
        stopLoss = level;
        return true;
    }

    /** Sets (or with both null removes) the take-profit; false without a position or with bad arguments. */
    public boolean setTakeProfit(BigDecimal price, BigDecimal pct) {
        BigDecimal level = bracketLevel(price, pct, false);
        if (level == null && !(price == null && pct == null && account.position().signum() != 0)) return false;
        takeProfit = level;
        return true;
    }

    /** The level of a stop-loss (against the position) or take-profit, or null when it cannot be set. */
    private BigDecimal bracketLevel(BigDecimal price, BigDecimal pct, boolean against) {
        int s = account.position().signum();
        if (s == 0 || (price == null) == (pct == null)) return null;
        if (price != null) return price.signum() > 0 ? price : null;
        if (pct.signum() <= 0) return null;
        boolean down = against == (s > 0);
        BigDecimal level = account.avgPrice().multiply(down ? BigDecimal.ONE.subtract(pct) : BigDecimal.ONE.add(pct));
        return level.signum() > 0 ? level : null;
    }

    /** Sets (or with both null removes) the trailing stop; its anchor starts at the average entry price. */
    public boolean setTrailingStop(BigDecimal pct, BigDecimal distance) {
        if (account.position().signum() == 0) return false;
        if (pct == null && distance == null) {
            trailPct = null;
            trailDistance = null;
            trailAnchor = null;
            return true;
        }
        if (pct != null && distance != null) return false;
        if (pct != null && (pct.signum() <= 0 || pct.compareTo(BigDecimal.ONE) >= 0)) return false;
        if (distance != null && distance.signum() <= 0) return false;
        trailPct = pct;
        trailDistance = distance;
        trailAnchor = account.avgPrice();
        return true;
    }

    public BigDecimal stopLoss() { return stopLoss; }

    public BigDecimal takeProfit() { return takeProfit; }

    /** The trailing stop's level now, or null. */
    public BigDecimal trailingStop() {
        return trailAnchor == null ? null : trailingLevel(account.position().signum() > 0);
    }

    private BigDecimal trailingLevel(boolean isLong) {
        if (trailPct != null) {
            return trailAnchor.multiply(isLong ? BigDecimal.ONE.subtract(trailPct) : BigDecimal.ONE.add(trailPct));
        }
        return isLong ? trailAnchor.subtract(trailDistance) : trailAnchor.add(trailDistance);
    }

    // ---- funding ---------------------------------------------------------------------------------

    private void settleFunding(int i) {
        long[] t = funding.time();
        long open = klines.openTime()[i];
        long close = klines.closeTime()[i];
        while (fundingIndex < t.length && t[fundingIndex] < open) {
            if (i > 0) fundingSkipped++; // inside the run, in a gap between klines
            fundingIndex++;
        }
        while (fundingIndex < t.length && t[fundingIndex] <= close) {
            int f = fundingIndex++;
            fundingTimes++;
            BigDecimal q = account.position();
            if (q.signum() == 0) continue;
            BigDecimal price = funding.markPrice()[f] != null ? funding.markPrice()[f] : BigDecimal.valueOf(klines.open()[i]);
            BigDecimal rate = funding.rate()[f];
            BigDecimal amount = q.multiply(price).multiply(rate);
            account.payFunding(amount);
            fundingPayments.add(new BacktestResult.FundingPayment(t[f], rate, price, q, amount));
            refreshDoubles();
            news = true;
        }
    }

    // ---- the path inside a kline -----------------------------------------------------------------

    /** Priorities of events reached at the same price (contract section 6, rule 9). */
    private static final int ORDER = 0, STOP_LOSS = 1, TRAILING = 2, TAKE_PROFIT = 3, LIQUIDATION = 4;

    private void walk(int i) {
        int n = path.legs(klines, i, legs);
        boolean isLong = account.position().signum() > 0;
        // The trailing stop's level is fixed for the kline; it moves after it (no kline moves its own stop).
        BigDecimal trailLevel = trailAnchor == null ? null : trailingLevel(isLong);
        boolean trailingChecked = trailLevel != null;
        boolean ambiguous = false;
        for (int l = 0; l < n && !fillLimitHit; l++) {
            double[] leg = legs[l];
            BigDecimal o = BigDecimal.valueOf(leg[0]);
            BigDecimal h = BigDecimal.valueOf(leg[1]);
            BigDecimal lo = BigDecimal.valueOf(leg[2]);
            BigDecimal c = BigDecimal.valueOf(leg[3]);
            // Same-kline rule: a stop-loss and a take-profit both inside the range: the stop-loss is taken.
            boolean takeProfitBlocked = account.position().signum() != 0 && stopLoss != null && takeProfit != null
                    && inside(stopLoss, lo, h) && inside(takeProfit, lo, h);
            ambiguous |= takeProfitBlocked;
            BigDecimal cur = settle(i, o, o, takeProfitBlocked, trailLevel);
            boolean down = c.compareTo(o) < 0;
            cur = settle(i, cur, down ? h : lo, takeProfitBlocked, trailLevel);
            cur = settle(i, cur, down ? lo : h, takeProfitBlocked, trailLevel);
            settle(i, cur, c, takeProfitBlocked, trailLevel);
        }
        if (ambiguous) ambiguousKlines++;
        if (trailingChecked && trailAnchor != null) {
            boolean stillLong = account.position().signum() > 0;
            BigDecimal extreme = BigDecimal.valueOf(stillLong ? klines.high()[i] : klines.low()[i]);
            trailAnchor = stillLong ? trailAnchor.max(extreme) : trailAnchor.min(extreme);
        }
    }

    private static boolean inside(BigDecimal x, BigDecimal low, BigDecimal high) {
        return x.compareTo(low) >= 0 && x.compareTo(high) <= 0;
    }

    /**
     * Moves the price from {@code cur} to {@code target}, firing the events the move reaches in order
     * (an event already reached at {@code cur} fires first, at {@code cur}); returns {@code target}.
     */
    private BigDecimal settle(int i, BigDecimal cur, BigDecimal target, boolean takeProfitBlocked, BigDecimal trailLevel) {
        while (!fillLimitHit) {
            BigDecimal bestDistance = null;
            BigDecimal bestLevel = null;
            int bestKind = -1;
            int bestOrder = -1;
            for (int j = 0; j < open.size(); j++) {
                Order o = open.get(j);
                if (o.placedKline() >= i) continue;
                boolean asLimit = o.type() == Order.Type.LIMIT || o.type() == Order.Type.STOP_LIMIT && triggered.contains(o.id());
                BigDecimal level = asLimit ? o.price() : o.stop();
                boolean below = asLimit == (o.side() == Side.BUY); // buy limit / sell stop wait for a lower price
                BigDecimal d = distance(below, level, cur, target);
                if (d != null && (bestDistance == null || d.compareTo(bestDistance) < 0)) {
                    bestDistance = d;
                    bestLevel = level;
                    bestKind = ORDER;
                    bestOrder = j;
                }
            }
            int s = account.position().signum();
            if (s != 0) {
                boolean isLong = s > 0;
                BigDecimal[] levels = {stopLoss, trailAnchor == null ? null : trailLevel, takeProfitBlocked ? null : takeProfit, account.liquidationPrice()};
                int[] kinds = {STOP_LOSS, TRAILING, TAKE_PROFIT, LIQUIDATION};
                for (int k = 0; k < levels.length; k++) {
                    if (levels[k] == null) continue;
                    boolean below = kinds[k] == TAKE_PROFIT ? !isLong : isLong;
                    BigDecimal d = distance(below, levels[k], cur, target);
                    if (d != null && (bestDistance == null || d.compareTo(bestDistance) < 0)) {
                        bestDistance = d;
                        bestLevel = levels[k];
                        bestKind = kinds[k];
                    }
                }
            }
            if (bestDistance == null) return target;
            cur = bestDistance.signum() == 0 ? cur : bestLevel;
            fire(i, bestKind, bestOrder, cur);
        }
        return target;
    }

    /**
     * How far the price must move from {@code cur} towards {@code target} to reach {@code level}: 0 when it
     * is already there (at or beyond it), null when this move does not reach it.
     */
    private static BigDecimal distance(boolean below, BigDecimal level, BigDecimal cur, BigDecimal target) {
        if (below) {
            if (cur.compareTo(level) <= 0) return BigDecimal.ZERO;
            return target.compareTo(level) <= 0 ? cur.subtract(level) : null;
        }
        if (cur.compareTo(level) >= 0) return BigDecimal.ZERO;
        return target.compareTo(level) >= 0 ? level.subtract(cur) : null;
    }

    /** Fires one event at path price {@code at}. */
    private void fire(int i, int kind, int openIndex, BigDecimal at) {
        BigDecimal q = account.position();
        Side exit = q.signum() > 0 ? Side.SELL : Side.BUY;
        switch (kind) {
            case ORDER -> fireOrder(i, openIndex, at);
            case STOP_LOSS -> execute(i, exit, q.abs(), at, Costs.Liquidity.TAKER, true, Fill.Reason.STOP_LOSS);
            case TRAILING -> execute(i, exit, q.abs(), at, Costs.Liquidity.TAKER, true, Fill.Reason.TRAILING_STOP);
            case TAKE_PROFIT -> execute(i, exit, q.abs(), at, Costs.Liquidity.MAKER, false, Fill.Reason.TAKE_PROFIT);
            case LIQUIDATION -> liquidate(i);
            default -> throw new IllegalStateException("unknown event " + kind);
        }
        if (fillLimitHit) return;
        // A bracket whose fill was refused (cannot happen: closing is always allowed) must not fire again.
        if (kind != ORDER && kind != LIQUIDATION && account.position().signum() != 0 && account.position().signum() == q.signum()
                && account.position().compareTo(q) == 0) {
            clearBrackets();
        }
    }

    private void fireOrder(int i, int openIndex, BigDecimal at) {
        Order o = open.get(openIndex);
        if (o.type() == Order.Type.STOP_LIMIT && !triggered.contains(o.id())) {
            triggered.add(o.id()); // a limit from here on
            return;
        }
        BigDecimal amount = o.amount();
        BigDecimal q = account.position();
        if (o.reduceOnly()) {
            int reducing = o.side() == Side.BUY ? -1 : 1;
            if (q.signum() != reducing) {
                close(openIndex, Order.Status.CANCELLED, i);
                return;
            }
            amount = amount.min(q.abs());
        }
        boolean limit = o.type() != Order.Type.STOP;
        Fill f = execute(i, o.side(), amount, at, limit ? Costs.Liquidity.MAKER : Costs.Liquidity.TAKER, !limit,
                limit ? Fill.Reason.LIMIT : Fill.Reason.STOP);
        if (fillLimitHit) return;
        close(openIndex, f == null ? Order.Status.CANCELLED : Order.Status.FILLED, i);
    }

    private void liquidate(int i) {
        if (fills.size() >= maxFills) {
            fillLimitHit = true;
            return;
        }
        BigDecimal q = account.position();
        BigDecimal lp = account.liquidationPrice();
        Account.Execution ex = account.liquidate(trading.takerFee());
        liquidations++;
        Fill fill = new Fill(i, klines.openTime()[i], q.signum() > 0 ? Side.SELL : Side.BUY, Fill.Reason.LIQUIDATION,
                lp, q.abs(), ex.balanceAfter(), ex.fee(), BigDecimal.ZERO);
        record(fill, q.signum());
    }

    private void expire(int i) {
        for (int j = open.size() - 1; j >= 0; j--) {
            if (open.get(j).lastKline() <= i) close(j, Order.Status.EXPIRED, i);
        }
    }

    // ---- state for the strategy ------------------------------------------------------------------

    /** Fills the strategy has not been told about yet (made by the engine between its steps). */
    public List<Fill> unreportedFills() {
        List<Fill> news = List.copyOf(fills.subList(reportedFills, fills.size()));
        reportedFills = fills.size();
        return news;
    }

    /** The strategy has seen every fill so far (its own immediate fill was just reported to it). */
    public void reported() {
        reportedFills = fills.size();
    }

    /** True once the run reached its fill limit: it then fails with fill_limit. */
    public boolean fillLimitHit() {
        return fillLimitHit;
    }

    public Account account() {
        return account;
    }

    /** Max drawdown so far (klines already closed). */
    public double maxDrawdown() {
        return maxDrawdown;
    }

    /** Drawdown if the position were valued at {@code price} now, against the peak so far. */
    public double drawdownAt(double price) {
        double e = balanceD + positionD * (price - entryD);
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
        droppedOrders += queued.size();
        queued.clear();
        BigDecimal finalBalance = n == 0
                ? account.balance()
                : account.equity(BigDecimal.valueOf(klines.close()[n - 1]));
        BigDecimal profit = finalBalance.subtract(initialBalance);
        BigDecimal profitRate = profit.divide(initialBalance, MC);
        BigDecimal winRate = account.closedTrips() == 0
                ? BigDecimal.ZERO
                : BigDecimal.valueOf(account.winningTrips()).divide(BigDecimal.valueOf(account.closedTrips()), MC);
        EquityCurve curve = new EquityCurve(klines.openTime().clone(), equity, balanceCurve, positionCurve);
        return new BacktestResult(initialBalance, finalBalance, profit, profitRate,
                BigDecimal.valueOf(maxDrawdown), fills.size(), winRate, account.position(), account.balance(),
                BigDecimal.ZERO, account.totalFees(), fills, curve, trading, account.fundingPaid(), liquidations,
                fundingPayments, orders,
                new BacktestResult.DataQuality(ambiguousKlines, droppedOrders, fundingTimes, fundingSkipped));
    }
}
