"""
Trend, RSI and ATR: EMA 20/50/200 trend, RSI pullback entries with a limit at the fast EMA, ATR brackets
and a trailing stop.

Seed 001's strategy. The trend is up when EMA(`fast`) > EMA(`mid`) > EMA(`slow`) of the closes, down
when the reverse holds. In an uptrend an RSI(`rsi_period`) below `rsi_buy` is a long setup; in a
downtrend an RSI above `rsi_sell` is a short setup (futures only; on spot shorts are refused).

Entry: a limit order at the fast EMA (a buy when the EMA is below the close, a sell when above),
resting for `entry_timeout` klines; if it has not filled by then and the trend still holds, the entry
is taken at the market (the close). Once in a position: a stop-loss `atr_stop` x ATR(`atr_period`)
from the entry, a take-profit `atr_target` x ATR, and a trailing stop `atr_trail` x ATR behind the
best price (set_stop_loss / set_take_profit / set_trailing_stop, filled inside the kline by the
engine's intrabar rules). Uses only the run's klines.

strategyParams read (default):
    fast 20, mid 50, slow 200, rsi_period 14, rsi_buy 35, rsi_sell 65, atr_period 14, atr_stop 1.5,
    atr_target 2.0, atr_trail 1.5, entry_timeout 3, position_pct 0.9,
    klineWndSize (engine) at least slow (set it to 250: the default 50 never sees EMA 200)
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.pending = None     # (order id, side) of the resting entry
        self.waited = 0

    def setup(self, params):
        c = self.kline_cache
        closes = c.get_closes()
        fast = calculate_ema(closes, params.get("fast", 20))
        mid = calculate_ema(closes, params.get("mid", 50))
        slow = calculate_ema(closes, params.get("slow", 200))
        rsi = calculate_rsi(closes, params.get("rsi_period", 14))
        if fast is None or mid is None or slow is None or rsi is None:
            return None, None, fast
        trend = "buy" if fast > mid > slow else "sell" if fast < mid < slow else None
        if trend == "buy" and rsi < params.get("rsi_buy", 35) or trend == "sell" and rsi > params.get("rsi_sell", 65):
            return trend, trend, fast
        return None, trend, fast

    def run(self, context, kline, params):
        c = self.kline_cache
        atr = calculate_atr(c.get_highs(), c.get_lows(), c.get_closes(), params.get("atr_period", 14))
        position = float(context.position)
        if position != 0:
            self.pending = None
            if context.stop_loss is None and atr is not None:
                entry = float(context.get_avg_position_price())
                sign = 1 if position > 0 else -1
                context.set_stop_loss(price=entry - sign * params.get("atr_stop", 1.5) * atr)
                context.set_take_profit(price=entry + sign * params.get("atr_target", 2.0) * atr)
                context.set_trailing_stop(distance=params.get("atr_trail", 1.5) * atr)
            return
        side, trend, fast = self.setup(params)
        amount = float(context.balance) * params.get("position_pct", 0.9) / kline.close
        if self.pending is not None:
            order_id, pending_side = self.pending
            if any(o.id == order_id for o in context.open_orders):
                self.waited += 1
                if self.waited < params.get("entry_timeout", 3):
                    return
                context.cancel(order_id)
            self.pending = None
            if trend == pending_side:
                # the limit did not fill in time: take the setup at the market
                if side == "buy":
                    context.buy(kline.close, amount)
                else:
                    context.sell(kline.close, amount)
            return
        if side == "buy" and fast < kline.close or side == "sell" and fast > kline.close:
            order_id = context.order(side, amount, "limit", price=fast)
            if order_id is not None:
                self.pending = (order_id, side)
                self.waited = 0
