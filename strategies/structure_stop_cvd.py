"""
Structure stop with CVD: exit on a change of character confirmed by order flow; take profit at
liquidation clusters.

Seed 004's "smart" stop and "magnetic" take-profit. Swing points are found with one kline of
confirmation (a low below both neighbours is a swing low once the next kline has closed: nothing
of the future is used). The CVD (get_cvd()) is recorded at every swing high.

Entry (long, spot): in an uptrend (close above the EMA of `trend_period` closes, the last swing low
higher than the one before) the close breaks above the last swing high. A hard stop-loss
`stop_loss` below the entry is set, and a take-profit at the price of the largest liquidation
cluster above the entry: among the klines of the window whose close is at least `min_target` above
the entry, the one with the most liquidations (long + short, quote value) — where price was forced
before it tends to return. No liquidation data: no take-profit, the exits below still apply.

Exit (the smart stop): a close below the last higher low (change of character) while the CVD shows
a bearish divergence: the last swing high is above the one before but the CVD at it is lower.

Data: klines with taker buy volume (CVD) and the symbol's liquidations (`import derivatives`).

strategyParams read (default):
    trend_period 50, stop_loss 0.05, min_target 0.01, position_pct 0.95,
    klineWndSize (engine) at least trend_period (100)
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.swing_lows = []    # prices
        self.swing_highs = []   # (price, cvd at it)

    def find_swings(self):
        c = self.kline_cache
        lows, highs, cvd = c.get_lows(), c.get_highs(), c.get_cvd()
        if len(lows) < 3:
            return
        if lows[-2] < lows[-3] and lows[-2] < lows[-1]:
            self.swing_lows = (self.swing_lows + [lows[-2]])[-2:]
        if highs[-2] > highs[-3] and highs[-2] > highs[-1] and cvd[-2] is not None:
            self.swing_highs = (self.swing_highs + [(highs[-2], cvd[-2])])[-2:]

    def take_profit_level(self, entry, min_target):
        best, level = 0.0, None
        for k, (l, s) in zip(self.kline_cache.get_klines(), self.kline_cache.get_liquidations()):
            total = (l or 0.0) + (s or 0.0)
            if k.close >= entry * (1 + min_target) and total > best:
                best, level = total, k.close
        return level

    def run(self, context, kline, params):
        self.find_swings()
        if len(self.swing_lows) < 2 or len(self.swing_highs) < 1:
            return
        higher_low = self.swing_lows[-1] > self.swing_lows[-2]
        if context.position > 0:
            bearish = (len(self.swing_highs) == 2 and self.swing_highs[-1][0] > self.swing_highs[-2][0]
                       and self.swing_highs[-1][1] < self.swing_highs[-2][1])
            if kline.close < self.swing_lows[-1] and bearish:
                context.sell_all(kline.close)
            return
        trend = calculate_ema(self.kline_cache.get_closes(), params.get("trend_period", 50))
        if trend is None or kline.close <= trend or not higher_low:
            return
        if kline.close > self.swing_highs[-1][0]:
            amount = float(context.balance / kline.close) * params.get("position_pct", 0.95)
            if context.buy(kline.close, amount):
                context.set_stop_loss(pct=params.get("stop_loss", 0.05))
                level = self.take_profit_level(kline.close, params.get("min_target", 0.01))
                if level is not None:
                    context.set_take_profit(price=level)
