"""
Multi-timeframe trend: 1h entries confirmed by the 4h trend.

The 4h trend is up while the last closed 4h kline's close is above the EMA of `trend_period`
4h closes (`self.series("4h")`: only 4h klines that have closed by the current kline's close, so
the 4h kline in progress is never seen). On the run's own klines (1h), it buys with `position_pct`
of the balance when the fast EMA of the closes crosses above the slow one while the 4h trend is
up, and sells everything when the fast EMA crosses back below the slow one or the 4h trend turns
down. Long only (spot).

Data: the run's klines, and the request's series [{"interval": "4h"}] (stored, or built from the
stored 1h or 1m klines of the symbol). Without 4h klines yet (the first `trend_period` 4h klines)
it does not trade.

strategyParams read (default):
    fast_period    10    EMA of the 1h closes
    slow_period    30    EMA of the 1h closes
    trend_period   20    EMA of the 4h closes
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept, also per series: at least slow_period + 1 and trend_period
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.previous = None

    def run(self, context, kline, params):
        closes = self.kline_cache.get_closes()
        fast = calculate_ema(closes, params.get("fast_period", 10))
        slow = calculate_ema(closes, params.get("slow_period", 30))
        four = self.series("4h").get_closes()
        trend = calculate_ema(four, params.get("trend_period", 20))
        trend_up = trend is not None and four[-1] > trend
        previous = self.previous
        self.previous = None if fast is None or slow is None else fast - slow
        if fast is None or slow is None or previous is None:
            return
        crossed_up = previous <= 0 < fast - slow
        crossed_down = previous >= 0 > fast - slow
        if context.position > 0 and (crossed_down or not trend_up):
            context.sell_all(kline.close)
        elif context.position == 0 and crossed_up and trend_up:
            amount = float(context.balance / kline.close) * params.get("position_pct", 0.95)
            context.buy(kline.close, amount)
