"""
Moving-average cross (the reference document's example, corrected).

Goes long with `position_pct` of the balance when the fast simple moving average
of the closes crosses above the slow one (golden cross), and sells the whole
position when it crosses back below (death cross). Orders fill at the close of
the kline that shows the cross.

Correction: the printed example starts once there are `slow_period` closes, but
the previous slow average, `calculate_sma(closes[:-1], slow_period)`, needs
`slow_period + 1` closes; with fewer it is None and `prev_fast <= prev_slow`
raises a TypeError. This copy waits for `slow_period + 1` closes, so
`klineWndSize` must be at least `slow_period + 1` (the default 50 is enough
for the default 30).

strategyParams read (default):
    fast_period    10    closes in the fast SMA
    slow_period    30    closes in the slow SMA
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        fast_period = params.get('fast_period', 10)
        slow_period = params.get('slow_period', 30)
        position_pct = params.get('position_pct', 0.95)

        if len(closes) < slow_period + 1:
            return

        fast_ma = calculate_sma(closes, fast_period)
        slow_ma = calculate_sma(closes, slow_period)
        prev_fast = calculate_sma(closes[:-1], fast_period)
        prev_slow = calculate_sma(closes[:-1], slow_period)

        # Golden cross - buy signal
        if fast_ma > slow_ma and prev_fast <= prev_slow:
            if context.position == 0:
                buy_amount = float(context.balance / kline.close) * position_pct
                context.buy(kline.close, buy_amount, kline.open_time)
        # Death cross - sell signal
        elif fast_ma < slow_ma and prev_fast >= prev_slow:
            if context.position > 0:
                context.sell_all(kline.close, kline.open_time)
