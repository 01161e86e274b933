"""The worker's own warm-up strategy, run on synthetic klines while the worker is idle.

It is not a template: it only walks through the strategy API the way strategies do (the kline cache,
every indicator, balance and position reads, buys, partial sells, sell_all, the hooks) so that the
engine has compiled the API's code before a user's first run needs it. Each warm-up run is an
ordinary run in its own fresh context; a user's run that arrives cancels it at once.
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.trades = 0
        self.days = 0
        self.prev_fast = None
        self.prev_slow = None

    def on_trade(self, trade):
        self.trades += 1

    def on_day_end(self, date, context):
        self.days += 1

    def run(self, context, kline, params):
        closes = self.kline_cache.get_closes()
        if len(closes) < 35:
            return
        highs = self.kline_cache.get_highs()
        lows = self.kline_cache.get_lows()
        fast = calculate_sma(closes, params.get("fast", 5))
        slow = calculate_ema(closes, params.get("slow", 20))
        rsi = calculate_rsi(closes, 14)
        macd, signal, hist = calculate_macd(closes, 12, 26, 9)
        top = max(highs[-20:])
        bottom = min(lows[-20:])
        crossed_up = self.prev_fast is not None and self.prev_fast <= self.prev_slow and fast > slow
        crossed_down = self.prev_fast is not None and self.prev_fast >= self.prev_slow and fast < slow
        self.prev_fast, self.prev_slow = fast, slow
        price = kline.close
        if context.position == 0:
            if crossed_up or rsi < 30 or price <= bottom:
                amount = float(context.balance / price) * 0.9
                context.buy(price, amount, kline.open_time)
        elif context.position > 0:
            if hist < 0 and rsi > 60:
                context.sell(price, float(context.position) / 2, kline.open_time)
            elif crossed_down or price >= top:
                context.sell_all(price, kline.open_time)
            elif context.get_equity(price) < context.initial_balance * Decimal("0.5"):
                context.sell_all(price, kline.open_time)
