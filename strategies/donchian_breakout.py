"""
Donchian channel breakout (the trend-following rule of the "turtles").

Buys with `position_pct` of the balance when the close breaks above the highest
high of the previous `entry_period` klines, and sells everything when the close
breaks below the lowest low of the previous `exit_period` klines. The current
kline is never part of its own channel. Orders fill at the close of the kline
that triggers them.

strategyParams read (default):
    entry_period   20    klines in the entry channel (highest high)
    exit_period    10    klines in the exit channel (lowest low)
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache
                         (> max(entry_period, exit_period))
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        highs = self.kline_cache.get_highs()
        lows = self.kline_cache.get_lows()
        entry_period = params.get('entry_period', 20)
        exit_period = params.get('exit_period', 10)
        position_pct = params.get('position_pct', 0.95)

        if len(highs) < max(entry_period, exit_period) + 1:
            return

        upper = max(highs[-entry_period - 1:-1])
        lower = min(lows[-exit_period - 1:-1])

        if context.position == 0:
            if kline.close > upper:
                buy_amount = float(context.balance / kline.close) * position_pct
                context.buy(kline.close, buy_amount, kline.open_time)
        elif kline.close < lower:
            context.sell_all(kline.close, kline.open_time)
