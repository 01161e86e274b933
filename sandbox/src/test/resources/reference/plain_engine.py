#!/usr/bin/env python3
"""A plain, second implementation of Candlebox's backtest rules (contract sections 3, 4 and 6 and
notes/orders-decisions.md), written from those documents only, for tests to compare the engine with.

    python3 plain_engine.py INPUT.json OUTPUT.json

CPython 3.11, standard library only. Clarity over speed.

Numbers: Decimal. Sums and products are exact (the EXACT context traps any rounding); divisions use
DECIMAL128 (34 digits, half-even), as in the decisions note. Floats (kline values, a strategy's
arguments) become decimals by their shortest repr.

Decisions taken here beyond the two documents (also listed in the report that came with this file):
 D1  context.fee_rate is takerFee (the request's feeRate when makerFee = takerFee = feeRate).
 D2  sell_all / close_position on a flat account (sell_all also on a short) return False. In
     "next_open" they are queued (True) and their amount is the position at the fill; nothing to close
     then -> dropped (counted in droppedOrders).
 D3  close_position(price=None) in "seed" fills at the current kline's close (the only honest price).
     In "close" / "next_open" the price argument of every immediate order is ignored, not validated.
 D4  While the engine processes a kline (next_open fills, funding, the path, expiry) callbacks such as
     on_trade may run; an immediate order (buy/sell/sell_all/close_position) called then returns False
     (the kline is not closed yet: filling in it would use its future). order()/cancel()/brackets
     work then; an order or bracket set then is first checked on the next kline, like one set in run().
 D5  A trailing stop's anchor only moves in the trader's favour: long anchor = max(anchor, high),
     short anchor = min(anchor, low) (the notes say "moves to this kline's high"; moving it down would
     not be a trailing stop).
 D6  Funding when flat: no payment and no event.
 D7  "1m": each minute's open starts a new leg of the path (a jump from the previous minute's close is
     a gap: levels crossed by the jump trigger at that minute's open). The trailing-stop level stays
     the one computed at the kline's start, its anchor moves once per kline. A kline is replayed when
     every minute open_time + k*60000 for k < (close_time + 1 - open_time) / 60000 exists.
 D8  The same-kline rule (and its count) is evaluated after the kline's next_open fills and funding,
     just before the path: "position open at the kline's start" = at the start of the path.
 D9  on_day_end(date, context) is called after run() of the last kline of a UTC day (by open time) and
     after the last kline, with date = "YYYY-MM-DD"; equity of the kline is taken after it.
 D10 order(): a limit with a stop, or a stop with a price, is invalid (None); reduce_only must be a bool.
     Bracket pct must be > 0 and the level it gives must be > 0 (else False); price must be > 0.
 D11 Spot equity in double: float(balance) + float(position) * close.
 D12 Funding times before the first kline's open or after the last kline's close are outside the run
     (neither paid nor counted as skipped); spot runs pay and count none.
 D13 In "next_open" a queued order's price argument is ignored and its amount is validated at the call.
 D14 (a case neither document covers) Isolated: funding moves the wallet but not WB = |Q|*EP/lev, so a
     position held through much funding can leave wallet < WB; "wallet' = wallet - WB" would then end
     negative. Here a liquidation leaves the wallet at max(wallet - WB, 0): the trader loses the margin,
     never more than the whole wallet.
 D15 context.orders (section 3's list) is the fills as strategy_api.Order objects; open_orders is
     the tuple of views of open resting orders (an id, side, type, amount, price, stop, reduce_only,
     tag, status namedtuple).
 Noted, not changed (the notes decide): at a gap through both a stop-loss and LP the tie order puts
 the stop first, so it fills at the open beyond LP and the loss can exceed WB; and in "next_open" a
 bracket set right after buy() returns False (the position exists only from the next open).
"""

import contextlib
import csv
import importlib.util
import io
import json
import math
import os
import sys
from collections import namedtuple
from decimal import (Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow,
                     ROUND_HALF_EVEN, localcontext)

EXACT = Context(prec=400, rounding=ROUND_HALF_EVEN,
                traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])
D34 = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)

HERE = os.path.dirname(os.path.abspath(__file__))
API_PATH = os.path.normpath(os.path.join(
    HERE, "..", "..", "..", "main", "resources", "dev", "candlebox", "sandbox", "python",
    "strategy_api.py"))


def load_api():
    spec = importlib.util.spec_from_file_location("strategy_api", API_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api = load_api()
AccountDecimal = api.AccountDecimal


def div(a, b):
    """A division as the engine does it: DECIMAL128."""
    return D34.divide(a, b)


def to_dec(x):
    """A strategy's number as a Decimal, or None when it is not a finite number."""
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            return None
        return Decimal(repr(x))
    if isinstance(x, Decimal):
        if not x.is_finite():
            return None
        return Decimal(x)
    return None


def fdec(x):
    """A float from the data (kline, csv) as a Decimal: shortest repr, as BigDecimal.valueOf."""
    return Decimal(repr(float(x)))


def sign(d):
    return 1 if d > 0 else (-1 if d < 0 else 0)


def out(d):
    return None if d is None else format(d, "f")


# ---------------------------------------------------------------------------------------------
# Accounts. fill(side, amount, price, fee_rate) -> fee (Decimal) or None when refused.

class SpotAccount:
    """Long only: balance (cash) and position (base asset)."""

    def __init__(self, initial):
        self.wallet = initial          # the balance
        self.position = ZERO
        self.entry = None              # average entry price of the open position

    def fill(self, side, amount, price, fee_rate):
        value = amount * price
        fee = value * fee_rate
        if side == "buy":
            if value + fee > self.wallet:
                return None
            if self.position == 0:
                self.entry = price
            else:
                self.entry = div(self.position * self.entry + amount * price, self.position + amount)
            self.wallet = self.wallet - value - fee
            self.position = self.position + amount
        else:
            if amount > self.position:
                return None
            self.wallet = self.wallet + value - fee
            self.position = self.position - amount
            if self.position == 0:
                self.entry = None
        return fee

    def margin_used(self):
        return ZERO

    def liquidation_price(self):
        return None

    def unrealized(self, price):
        if self.position == 0:
            return ZERO
        return self.position * (price - self.entry)

    def equity(self, price):
        return self.wallet + self.position * price

    def equity_float(self, close):
        return float(self.wallet) + float(self.position) * close


class FuturesAccount:
    """USDT-M linear perpetual, one-way mode. position is signed; wallet is the wallet balance."""

    def __init__(self, initial, leverage, mode, tiers):
        self.wallet = initial
        self.position = ZERO
        self.entry = None
        self.leverage = Decimal(leverage)
        self.mode = mode
        self.tiers = tiers

    def fill(self, side, amount, price, fee_rate):
        q = amount if side == "buy" else -amount
        old = self.position
        fee = amount * price * fee_rate
        reduce = ZERO
        if old != 0 and sign(old) != sign(q):
            reduce = min(amount, abs(old))
        opening = amount - reduce
        realised = ZERO
        if reduce > 0:
            realised = reduce * (price - self.entry) * sign(old)
        new_wallet = self.wallet + realised - fee
        new_position = old + q
        if opening > 0:
            if reduce > 0 or old == 0:
                new_entry = price                                   # from flat, or a flip
            else:
                new_entry = div(abs(old) * self.entry + opening * price, abs(old) + opening)
            margin = div(abs(new_position) * new_entry, self.leverage)
            if new_wallet - margin < 0:
                return None
        else:
            new_entry = self.entry if new_position != 0 else None
        self.wallet = new_wallet
        self.position = new_position
        self.entry = new_entry
        return fee

    def margin_used(self):
        if self.position == 0:
            return ZERO
        return div(abs(self.position) * self.entry, self.leverage)

    def tier(self):
        notional = abs(self.position) * self.entry
        for bound, mmr, cum in self.tiers:
            if bound is None or bound >= notional:
                return mmr, cum
        return self.tiers[-1][1], self.tiers[-1][2]

    def margin_balance(self):
        """WB: the position's isolated margin, or (cross) the whole wallet."""
        return self.margin_used() if self.mode == "isolated" else self.wallet

    def liquidation_price(self):
        if self.position == 0:
            return None
        s = sign(self.position)
        size = abs(self.position)
        mmr, cum = self.tier()
        lp = div(self.margin_balance() + cum - s * size * self.entry, size * mmr - s * size)
        if lp <= 0:
            return None
        return lp

    def liquidate(self, price, fee_rate):
        """Closes everything at price (= LP). Returns (amount, fee). The wallet loses WB."""
        size = abs(self.position)
        fee = size * price * fee_rate
        if self.mode == "isolated":
            self.wallet = max(self.wallet - self.margin_used(), ZERO)         # D14
        else:
            self.wallet = ZERO
        self.position = ZERO
        self.entry = None
        return size, fee

    def unrealized(self, price):
        if self.position == 0:
            return ZERO
        return self.position * (price - self.entry)

    def equity(self, price):
        return self.wallet + self.unrealized(price)

    def equity_float(self, close):
        if self.position == 0:
            return float(self.wallet)
        return float(self.wallet) + float(self.position) * (close - float(self.entry))


# ---------------------------------------------------------------------------------------------
# Orders and brackets.

class RestingOrder:
    def __init__(self, oid, side, amount, otype, price, stop, reduce_only, expire_at, tag, active_from):
        self.id = oid
        self.side = side
        self.amount = amount
        self.type = otype
        self.price = price
        self.stop = stop
        self.reduce_only = reduce_only
        self.expire_at = expire_at      # kline index after whose path it expires, or None
        self.tag = tag
        self.active_from = active_from  # first kline it can fill on
        self.triggered = False          # a stop_limit whose stop was reached (now a limit)
        self.status = "open"


class Bracket:
    def __init__(self, kind, level, active_from, pct=None, distance=None, anchor=None):
        self.kind = kind                # "stop_loss", "take_profit", "trailing_stop"
        self.level = level              # trailing: the level of the kline being walked
        self.active_from = active_from
        self.pct = pct
        self.distance = distance
        self.anchor = anchor


OrderView = namedtuple("OrderView", "id side type amount price stop reduce_only tag status")


def view(o):
    return OrderView(o.id, o.side, o.type, AccountDecimal(o.amount),
                     None if o.price is None else AccountDecimal(o.price),
                     None if o.stop is None else AccountDecimal(o.stop),
                     o.reduce_only, o.tag, o.status)


# ---------------------------------------------------------------------------------------------
# The run's state.

class Backtest:
    def __init__(self, cfg, klines, minutes):
        self.cfg = cfg
        self.klines = klines            # list of dicts: t, ct, o, h, l, c (floats) and do, dh, dl, dc
        self.minutes = minutes          # dict open_time -> minute dict, or None
        self.market = cfg["market"]
        self.fill_mode = cfg["fill"]
        self.slippage = Decimal(str(cfg.get("slippage", "0")))
        self.maker = Decimal(str(cfg["makerFee"]))
        self.taker = Decimal(str(cfg["takerFee"]))
        self.intrabar = cfg.get("intrabar", "pessimistic")
        self.initial = Decimal(str(cfg["initialBalance"]))
        if self.market == "futures":
            tiers = cfg.get("tiers") or [[None, "0.004", "0"]]
            tiers = [(None if b is None else Decimal(str(b)), Decimal(str(m)), Decimal(str(c)))
                     for b, m, c in tiers]
            self.account = FuturesAccount(self.initial, int(cfg.get("leverage", 1)),
                                          cfg.get("marginMode", "isolated"), tiers)
        else:
            self.account = SpotAccount(self.initial)
        self.i = 0
        self.in_path = False
        self.queue = []                 # next_open orders: (side, amount or "all" or "close")
        self.orders = []                # every resting order, by id
        self.live = []                  # the orders that were open when last pruned (speed only)
        self.sl = None
        self.tp = None
        self.trail = None
        self.trades = []                # output dicts
        self.funding_events = []
        self.funding_paid = ZERO
        self.liquidations = 0
        self.ambiguous = 0
        self.dropped = 0
        self.funding_skipped = 0
        self.equity = []
        self.strategy = None
        self.context = None

    # -- helpers -------------------------------------------------------------------------------

    def slip(self, side, base):
        if side == "buy":
            return base * (ONE + self.slippage)
        return base * (ONE - self.slippage)

    def clear_brackets(self):
        self.sl = None
        self.tp = None
        self.trail = None

    def open_orders(self):
        self.live = [o for o in self.live if o.status == "open"]
        return self.live

    def call_strategy(self, fn, *args):
        with localcontext(Context()):
            return fn(*args)

    def record(self, i, ttype, reason, price, amount, fee, slippage):
        trade = {"kline": i, "timestamp": self.klines[i]["t"], "type": ttype, "reason": reason,
                 "price": price, "amount": amount, "fee": fee, "slippage": slippage,
                 "balance": self.account.wallet}
        self.trades.append(trade)
        self.call_strategy(self.strategy.on_trade, strategy_trade(trade))

    def do_fill(self, i, side, amount, fill_price, base, fee_rate, reason):
        """One fill through the account; brackets end when the position reaches 0 or flips."""
        before = self.account.position
        fee = self.account.fill(side, amount, fill_price, fee_rate)
        if fee is None:
            return False
        after = self.account.position
        if after == 0 or (before != 0 and sign(after) != sign(before)):
            self.clear_brackets()
        self.record(i, side, reason, fill_price, amount, fee, amount * abs(fill_price - base))
        return True

    def immediate(self, side, amount, price_arg, what):
        """buy/sell (what = None), sell_all (what = "all"), close_position (what = "close")."""
        if self.in_path:
            return False
        i = self.i
        k = self.klines[i]
        if self.fill_mode == "next_open":
            self.queue.append((side, amount if what is None else what))
            return True
        if self.fill_mode == "seed":
            if price_arg is None:
                base = k["dc"]                                  # D3
            else:
                base = to_dec(price_arg)
                if base is None or base <= 0 or base < k["dl"] or base > k["dh"]:
                    return False
        else:
            base = k["dc"]
        return self.do_fill(i, side, amount, self.slip(side, base), base, self.taker, "order")

    def close_amount(self, what):
        """(side, amount) that sell_all / close_position mean now, or None."""
        q = self.account.position
        if what == "all":
            return ("sell", q) if q > 0 else None
        if q > 0:
            return "sell", q
        if q < 0:
            return "buy", -q
        return None

    # -- kline steps -----------------------------------------------------------------------------

    def fill_queue(self, i):
        queue, self.queue = self.queue, []
        base = self.klines[i]["do"]
        for side, what in queue:
            if what in ("all", "close"):
                sa = self.close_amount(what)
                if sa is None:
                    self.dropped += 1
                    continue
                side, amount = sa
            else:
                amount = what
            if not self.do_fill(i, side, amount, self.slip(side, base), base, self.taker, "order"):
                self.dropped += 1

    def pay_funding(self, i, t, rate, mark):
        q = self.account.position
        if q == 0:
            return                                                  # D6
        price = mark if mark is not None else self.klines[i]["do"]
        amount = q * price * rate
        self.account.wallet = self.account.wallet - amount
        self.funding_paid = self.funding_paid + amount
        self.funding_events.append({"timestamp": t, "rate": rate, "price": price, "position": q,
                                    "amount": amount})

    def events(self, i, tp_blocked):
        """Everything that can trigger now: (rank, direction, level, kind, object).
        direction "up": triggers when price >= level; "down": when price <= level."""
        evs = []
        for o in self.live:
            if o.status != "open" or o.active_from > i:
                continue
            if o.type == "limit" or (o.type == "stop_limit" and o.triggered):
                evs.append(((0, o.id), "down" if o.side == "buy" else "up", o.price, "order", o))
            else:
                evs.append(((0, o.id), "up" if o.side == "buy" else "down", o.stop, "order", o))
        q = self.account.position
        if q != 0:
            long = q > 0
            stop_dir = "down" if long else "up"
            if self.sl is not None and self.sl.active_from <= i:
                evs.append(((1, 0), stop_dir, self.sl.level, "stop_loss", self.sl))
            if self.trail is not None and self.trail.active_from <= i and self.trail.level is not None:
                evs.append(((2, 0), stop_dir, self.trail.level, "trailing_stop", self.trail))
            if self.tp is not None and self.tp.active_from <= i and not tp_blocked:
                evs.append(((3, 0), "up" if long else "down", self.tp.level, "take_profit", self.tp))
            lp = self.account.liquidation_price()
            if lp is not None:
                evs.append(((4, 0), stop_dir, lp, "liquidation", None))
        return evs

    def execute(self, i, kind, obj, price):
        q = self.account.position
        if kind == "liquidation":
            amount, fee = self.account.liquidate(price, self.taker)
            self.clear_brackets()
            self.liquidations += 1
            self.record(i, "liquidation", "liquidation", price, amount, fee, ZERO)
            return
        if kind in ("stop_loss", "trailing_stop", "take_profit"):
            side = "sell" if q > 0 else "buy"
            if kind == "take_profit":
                self.do_fill(i, side, abs(q), price, price, self.maker, kind)
            else:
                self.do_fill(i, side, abs(q), self.slip(side, price), price, self.taker, kind)
            return
        o = obj
        if o.type == "stop_limit" and not o.triggered:
            o.triggered = True                      # a limit from here on (checked at this price)
            return
        amount = o.amount
        if o.reduce_only:
            if q == 0 or (q > 0) == (o.side == "buy"):
                o.status = "cancelled"
                return
            amount = min(amount, abs(q))
        if o.type == "stop":
            ok = self.do_fill(i, o.side, amount, self.slip(o.side, price), price, self.taker, "stop")
        else:
            ok = self.do_fill(i, o.side, amount, price, price, self.maker, "limit")
        o.status = "filled" if ok else "cancelled"

    def fire(self, i, cur, target, tp_blocked):
        """Triggers, in path order, every event met at cur or reached on the way from cur to target
        (target None: only at cur, as at an open). Returns nothing; the caller moves on to target."""
        while True:
            best = None
            for rank, direction, level, kind, obj in self.events(i, tp_blocked):
                if (direction == "up" and cur >= level) or (direction == "down" and cur <= level):
                    dist = ZERO
                elif target is None:
                    continue
                elif direction == "up" and cur < level <= target:
                    dist = level - cur
                elif direction == "down" and target <= level < cur:
                    dist = cur - level
                else:
                    continue
                if best is None or (dist, rank) < (best[0], best[1]):
                    best = (dist, rank, level, kind, obj)
            if best is None:
                return
            dist, rank, level, kind, obj = best
            if dist != 0:
                cur = level
            self.execute(i, kind, obj, level if kind == "liquidation" else cur)

    def legs(self, i):
        """The path's legs: [(open, high, low, close)], one per minute with "1m" when all exist."""
        k = self.klines[i]
        whole = [(k["do"], k["dh"], k["dl"], k["dc"])]
        if self.intrabar != "1m" or self.minutes is None:
            return whole
        span = k["ct"] + 1 - k["t"]
        if span <= 0 or span % 60000 != 0:
            return whole
        legs = []
        for m in range(span // 60000):
            row = self.minutes.get(k["t"] + m * 60000)
            if row is None:
                return whole
            legs.append((row["do"], row["dh"], row["dl"], row["dc"]))
        return legs

    def walk_path(self, i):
        """The path of kline i: resting orders, brackets and liquidation in the order the price
        reaches them (pessimistic: open-high-low-close on a down kline, else open-low-high-close)."""
        k = self.klines[i]
        q = self.account.position
        self.open_orders()                                  # prunes self.live
        # trailing stop level for this kline, from the anchor at its start
        checked_trail = None
        if self.trail is not None and self.trail.active_from <= i and q != 0:
            t = self.trail
            if q > 0:
                t.level = t.anchor * (ONE - t.pct) if t.pct is not None else t.anchor - t.distance
            else:
                t.level = t.anchor * (ONE + t.pct) if t.pct is not None else t.anchor + t.distance
            checked_trail = t
        ambiguous = False
        for o, h, l, c in self.legs(i):
            tp_blocked = False
            if (self.account.position != 0 and self.sl is not None and self.tp is not None
                    and self.sl.active_from <= i and self.tp.active_from <= i
                    and l <= self.sl.level <= h and l <= self.tp.level <= h):
                tp_blocked = True
                ambiguous = True
            points = [o, h, l, c] if c < o else [o, l, h, c]
            cur = o
            self.fire(i, cur, None, tp_blocked)
            for target in points[1:]:
                self.fire(i, cur, target, tp_blocked)
                cur = target
        if ambiguous:
            self.ambiguous += 1
        # the trailing stop moves with the kline's extreme after being checked on it (D5)
        if checked_trail is not None and self.trail is checked_trail:
            if self.account.position > 0:
                checked_trail.anchor = max(checked_trail.anchor, k["dh"])
            else:
                checked_trail.anchor = min(checked_trail.anchor, k["dl"])

    def expire(self, i):
        for o in self.live:
            if o.status == "open" and o.expire_at is not None and o.expire_at <= i:
                o.status = "expired"


def strategy_trade(trade):
    """The trade as the strategy sees it (context.trades, on_trade): contract section 4's trade, numbers as
    floats and the time as an ISO string, plus reason and slippage."""
    return {"timestamp": api._iso(trade["timestamp"]), "type": trade["type"], "price": float(trade["price"]),
            "amount": float(trade["amount"]), "balance": float(trade["balance"]), "fee": float(trade["fee"]),
            "reason": trade["reason"], "slippage": float(trade["slippage"])}


# ---------------------------------------------------------------------------------------------
# What the strategy calls.

def engine_side(fn):
    def wrapper(*args, **kwargs):
        with localcontext(EXACT):
            return fn(*args, **kwargs)
    wrapper.__name__ = fn.__name__
    return wrapper


class PlainContext(api.BacktestContext):
    def __init__(self, bt):
        self._bt = bt

    # read-only values
    @property
    def balance(self):
        return AccountDecimal(self._bt.account.wallet)

    @property
    def position(self):
        return AccountDecimal(self._bt.account.position)

    @property
    def initial_balance(self):
        return AccountDecimal(self._bt.initial)

    @property
    def fee_rate(self):
        return AccountDecimal(self._bt.taker)                       # D1

    @property
    def leverage(self):
        if self._bt.market == "futures":
            return self._bt.account.leverage
        return Decimal(1)

    @property
    def margin_used(self):
        with localcontext(EXACT):
            return AccountDecimal(self._bt.account.margin_used())

    @property
    def liquidation_price(self):
        with localcontext(EXACT):
            lp = self._bt.account.liquidation_price()
        return None if lp is None else AccountDecimal(lp)

    @property
    def funding_paid(self):
        return AccountDecimal(self._bt.funding_paid)

    @property
    def trades(self):
        return [strategy_trade(t) for t in self._bt.trades]

    @property
    def orders(self):
        return [api.Order(t["timestamp"], t["type"], AccountDecimal(t["price"]),
                          AccountDecimal(t["amount"]), AccountDecimal(t["fee"]))
                for t in self._bt.trades]

    @property
    def equity_curve(self):
        return list(self._bt.equity)

    @property
    def max_drawdown(self):
        peak = float(self._bt.initial)
        worst = 0.0
        for e in self._bt.equity:
            peak = max(peak, e)
            if peak > 0:
                worst = max(worst, (peak - e) / peak)
        return worst

    @property
    def open_orders(self):
        return tuple(view(o) for o in self._bt.open_orders())

    # immediate orders
    @engine_side
    def buy(self, price, amount, timestamp=None):
        a = to_dec(amount)
        if a is None or a <= 0:
            return False
        return self._bt.immediate("buy", a, price, None)

    @engine_side
    def sell(self, price, amount, timestamp=None):
        a = to_dec(amount)
        if a is None or a <= 0:
            return False
        return self._bt.immediate("sell", a, price, None)

    @engine_side
    def sell_all(self, price, timestamp=None):
        return self._close(price, "all")

    @engine_side
    def close_position(self, price=None, timestamp=None):
        return self._close(price, "close")

    def _close(self, price, what):
        bt = self._bt
        if bt.in_path:
            return False
        if bt.fill_mode == "next_open":
            return bt.immediate(None, None, price, what)                # D2
        sa = bt.close_amount(what)
        if sa is None:
            return False
        side, amount = sa
        return bt.immediate(side, amount, price, None)

    # values at a price
    @engine_side
    def get_equity(self, price):
        p = to_dec(price)
        return AccountDecimal(self._bt.account.equity(p))

    @engine_side
    def unrealized_pnl(self, price):
        p = to_dec(price)
        return AccountDecimal(self._bt.account.unrealized(p))

    @engine_side
    def get_position_value(self, price):
        return AccountDecimal(self._bt.account.position * to_dec(price))

    def get_avg_position_price(self):
        e = self._bt.account.entry
        return AccountDecimal(0) if e is None else AccountDecimal(e)

    @engine_side
    def get_drawdown(self, price):
        eq = float(self._bt.account.equity(to_dec(price)))
        peak = max([float(self._bt.initial)] + self._bt.equity + [eq])
        return 0.0 if peak <= 0 else (peak - eq) / peak

    # resting orders
    @engine_side
    def order(self, side, amount, type, price=None, stop=None, reduce_only=False,
              expire_after=None, tag=None):
        bt = self._bt
        if side not in ("buy", "sell") or type not in ("limit", "stop", "stop_limit"):
            return None
        a = to_dec(amount)
        if a is None or a <= 0:
            return None
        p = None
        s = None
        if type in ("limit", "stop_limit"):
            p = to_dec(price)
            if price is None or p is None or p <= 0:
                return None
        elif price is not None:
            return None                                                 # D10
        if type in ("stop", "stop_limit"):
            s = to_dec(stop)
            if stop is None or s is None or s <= 0:
                return None
        elif stop is not None:
            return None                                                 # D10
        if not isinstance(reduce_only, bool):
            return None
        if expire_after is not None and (isinstance(expire_after, bool)
                                         or not isinstance(expire_after, int) or expire_after < 1):
            return None
        if tag is not None and (not isinstance(tag, str) or len(tag) > 64):
            return None
        if len(bt.open_orders()) >= 1000:
            return None
        oid = len(bt.orders) + 1
        expire_at = None if expire_after is None else bt.i + expire_after
        o = RestingOrder(oid, side, a, type, p, s, reduce_only, expire_at, tag, bt.i + 1)
        bt.orders.append(o)
        bt.live.append(o)
        return oid

    def cancel(self, id):
        bt = self._bt
        if isinstance(id, bool) or not isinstance(id, int) or id < 1 or id > len(bt.orders):
            return False
        o = bt.orders[id - 1]
        if o.status != "open":
            return False
        o.status = "cancelled"
        return True

    # brackets
    @engine_side
    def set_stop_loss(self, price=None, pct=None):
        return self._bracket("stop_loss", price, pct)

    @engine_side
    def set_take_profit(self, price=None, pct=None):
        return self._bracket("take_profit", price, pct)

    def _bracket(self, kind, price, pct):
        bt = self._bt
        q = bt.account.position
        if q == 0:
            return False
        if price is None and pct is None:
            if kind == "stop_loss":
                bt.sl = None
            else:
                bt.tp = None
            return True
        if price is not None and pct is not None:
            return False
        if price is not None:
            level = to_dec(price)
            if level is None or level <= 0:
                return False
        else:
            f = to_dec(pct)
            if f is None or f <= 0:
                return False
            ep = bt.account.entry
            below = (kind == "stop_loss") == (q > 0)    # long SL / short TP lie below the entry
            level = ep * (ONE - f) if below else ep * (ONE + f)
            if level <= 0:
                return False
        b = Bracket(kind, level, bt.i + 1)
        if kind == "stop_loss":
            bt.sl = b
        else:
            bt.tp = b
        return True

    @engine_side
    def set_trailing_stop(self, pct=None, distance=None):
        bt = self._bt
        q = bt.account.position
        if q == 0:
            return False
        if pct is None and distance is None:
            bt.trail = None
            return True
        if pct is not None and distance is not None:
            return False
        ep = bt.account.entry
        f = None
        d = None
        if pct is not None:
            f = to_dec(pct)
            if f is None or f <= 0:
                return False
            first = ep * (ONE - f) if q > 0 else ep * (ONE + f)
        else:
            d = to_dec(distance)
            if d is None or d <= 0:
                return False
            first = ep - d if q > 0 else ep + d
        if first <= 0:
            return False
        bt.trail = Bracket("trailing_stop", None, bt.i + 1, pct=f, distance=d, anchor=ep)
        return True


# ---------------------------------------------------------------------------------------------
# Input, the run, output.

def read_klines(path):
    rows = []
    with open(path, newline="") as fh:
        for rec in csv.reader(fh):
            if not rec or not rec[0].strip() or not rec[0].strip().lstrip("-").isdigit():
                continue                                            # a header or a blank line
            o, h, l, c = float(rec[1]), float(rec[2]), float(rec[3]), float(rec[4])
            rows.append({"t": int(rec[0]), "ct": int(rec[6]), "o": o, "h": h, "l": l, "c": c,
                         "v": float(rec[5]),
                         "do": fdec(o), "dh": fdec(h), "dl": fdec(l), "dc": fdec(c)})
    return rows


def load_strategy(path):
    with open(path) as fh:
        source = fh.read()
    namespace = {k: v for k, v in vars(api).items() if not k.startswith("_")}
    namespace["__name__"] = "strategy"
    namespace["__builtins__"] = __builtins__
    exec(compile(source, path, "exec"), namespace)
    return namespace["Strategy"]


def utc_day(ms):
    return ms // 86400000


def run(cfg):
    klines = read_klines(cfg["klines"])
    minutes = None
    if cfg.get("minutes"):
        minutes = {m["t"]: m for m in read_klines(cfg["minutes"])}
    bt = Backtest(cfg, klines, minutes)
    params = cfg.get("params") or {}
    funding = []
    if bt.market == "futures":
        for t, rate, mark in cfg.get("funding") or []:
            funding.append((int(t), Decimal(str(rate)), None if mark is None else Decimal(str(mark))))
        funding.sort(key=lambda f: f[0])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), localcontext(EXACT):
        cls = load_strategy(cfg["strategy"])
        strategy = bt.call_strategy(cls)
        bt.call_strategy(strategy.initialize, params.get("klineWndSize", 50))
        bt.strategy = strategy
        context = PlainContext(bt)
        bt.context = context
        fj = 0
        n = len(klines)
        for i, k in enumerate(klines):
            bt.i = i
            bt.in_path = True
            # 1. queued next_open orders
            bt.fill_queue(i)
            # 2. funding at times inside this kline (a time in a gap is skipped)
            while fj < len(funding) and funding[fj][0] < k["t"]:
                if i > 0:
                    bt.funding_skipped += 1
                fj += 1
            while fj < len(funding) and funding[fj][0] <= k["ct"]:
                t, rate, mark = funding[fj]
                bt.pay_funding(i, t, rate, mark)
                fj += 1
            # 3. and 4. the path, then the trailing anchor
            bt.walk_path(i)
            # 5. expiry
            bt.expire(i)
            bt.in_path = False
            # 6. the strategy
            kl = api.Kline(k["t"], k["o"], k["h"], k["l"], k["c"], k["v"], k["ct"])
            strategy.kline_cache.append(kl)
            bt.call_strategy(strategy.run, context, kl, params)
            if i == n - 1 or utc_day(klines[i + 1]["t"]) != utc_day(k["t"]):
                day = api._date(utc_day(k["t"]))
                bt.call_strategy(strategy.on_day_end, day, context)
            # 7. equity at the close
            bt.equity.append(bt.account.equity_float(k["c"]))
        bt.dropped += len(bt.queue)
        bt.queue = []
        final = bt.account.equity(klines[-1]["dc"]) if klines else bt.initial
    return {
        "trades": [dict(t, price=out(t["price"]), amount=out(t["amount"]), fee=out(t["fee"]),
                        slippage=out(t["slippage"]), balance=out(t["balance"]))
                   for t in bt.trades],
        "funding": [dict(f, rate=out(f["rate"]), price=out(f["price"]), position=out(f["position"]),
                         amount=out(f["amount"])) for f in bt.funding_events],
        "equity": bt.equity,
        "orders": [{"id": o.id, "status": o.status} for o in bt.orders],
        "finalBalance": out(final),
        "fundingPaid": out(bt.funding_paid),
        "liquidations": bt.liquidations,
        "ambiguousKlines": bt.ambiguous,
        "droppedOrders": bt.dropped,
        "fundingSkipped": bt.funding_skipped,
        "printed": printed.getvalue(),
    }


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python3 plain_engine.py INPUT.json OUTPUT.json\n")
        return 2
    with open(argv[1]) as fh:
        cfg = json.load(fh)
    result = run(cfg)
    with open(argv[2], "w") as fh:
        json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
