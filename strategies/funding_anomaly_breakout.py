"""
Funding-anomaly breakout: a momentum breakout sized by ATR, kept out of crowded funding.

Seed 002's momentum breakout with its funding-rate anomaly detector. Each funding settlement the
run sees (kline.funding_rate with a new kline.funding_time) is added to a list; its z-score is
calculate_zscore(last `z_window` settlements, z_window). A z-score beyond +/-`z_max` marks crowded
positioning that often precedes a liquidation cascade: no entry while |z| > z_max, and a long is
closed when z > z_max (longs overheated).

Entry: the close breaks above the highest high of the previous `lookback` klines. Size: risk
`risk_pct` of the balance on a stop `atr_mult` x ATR(`atr_period`) below the entry (calculate_atr,
Wilder's), at most `position_pct` of the balance. Exit: that stop (set_stop_loss), or a close below
the lowest low of the previous `exit_lookback` klines, or the funding anomaly above.

Data: the run's klines and the symbol's funding rates (`import funding` / `import binance-funding`);
without funding the filter never blocks (no z-score), and dataQuality.inputs says so.

strategyParams read (default):
    lookback 20, exit_lookback 10, atr_period 14, atr_mult 2.0, risk_pct 0.01, position_pct 0.95,
    z_window 24, z_max 2.0, klineWndSize (engine) at least lookback + 1 and atr_period + 1 (50)
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.settlements = []
        self.last_funding_time = None

    def funding_z(self, kline, window):
        if kline.funding_rate is not None and kline.funding_time != self.last_funding_time:
            self.last_funding_time = kline.funding_time
            self.settlements.append(kline.funding_rate)
            del self.settlements[:-window]
        return calculate_zscore(self.settlements, window)

    def run(self, context, kline, params):
        z = self.funding_z(kline, params.get("z_window", 24))
        z_max = params.get("z_max", 2.0)
        c = self.kline_cache
        highs, lows, closes = c.get_highs(), c.get_lows(), c.get_closes()
        lookback = params.get("lookback", 20)
        exit_lookback = params.get("exit_lookback", 10)
        if len(closes) <= max(lookback, exit_lookback):
            return
        if context.position > 0:
            if kline.close < min(lows[-exit_lookback - 1:-1]) or z is not None and z > z_max:
                context.sell_all(kline.close)
            return
        if z is not None and abs(z) > z_max:
            return
        atr = calculate_atr(highs, lows, closes, params.get("atr_period", 14))
        if atr is None or atr <= 0 or kline.close <= max(highs[-lookback - 1:-1]):
            return
        stop_distance = params.get("atr_mult", 2.0) * atr
        balance = float(context.balance)
        amount = min(balance * params.get("risk_pct", 0.01) / stop_distance,
                     balance * params.get("position_pct", 0.95) / kline.close)
        if context.buy(kline.close, amount):
            context.set_stop_loss(price=kline.close - stop_distance)
