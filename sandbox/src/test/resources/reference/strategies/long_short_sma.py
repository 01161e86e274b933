# Exercises: immediate buy/sell at kline.close in both directions (a short in futures; refused in
# spot, where it simply stays flat), close_position, and stop-loss / take-profit brackets set by pct
# right after each entry (so same-kline stop/target ambiguity and gaps through stops occur on real data).
# Params: fast, slow (SMA periods), sl, tp (fractions), risk (share of the wallet used as margin).


def lots(x):
    return int(x * 1000) / 1000.0          # 0.001 BTC steps


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.prev = None                    # previous (fast, slow)

    def run(self, context, kline, params):
        fast_n = params.get("fast", 10)
        slow_n = params.get("slow", 30)
        closes = self.kline_cache.get_closes()
        if len(closes) < slow_n:
            return
        fast = calculate_sma(closes, fast_n)
        slow = calculate_sma(closes, slow_n)
        prev = self.prev
        self.prev = (fast, slow)
        if prev is None:
            return
        crossed_up = prev[0] <= prev[1] and fast > slow
        crossed_down = prev[0] >= prev[1] and fast < slow
        if not (crossed_up or crossed_down):
            return
        if context.position != 0:
            context.close_position(kline.close)
        lev = float(context.leverage)
        amount = lots(float(context.balance) * params.get("risk", 0.5) * lev / kline.close)
        if amount <= 0:
            return
        if crossed_up:
            ok = context.buy(kline.close, amount)
        else:
            ok = context.sell(kline.close, amount)
        if ok:
            context.set_stop_loss(pct=params.get("sl", 0.02))
            context.set_take_profit(pct=params.get("tp", 0.04))
