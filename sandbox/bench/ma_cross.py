"""Moving-average cross (the reference document's example, waiting for slow_period + 1 closes).

strategyParams: fast_period (default 10), slow_period (default 30), klineWndSize (>= slow_period + 1).
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        fast_period = params.get('fast_period', 10)
        slow_period = params.get('slow_period', 30)

        if len(closes) < slow_period + 1:
            return

        fast_ma = calculate_sma(closes, fast_period)
        slow_ma = calculate_sma(closes, slow_period)
        prev_fast = calculate_sma(closes[:-1], fast_period)
        prev_slow = calculate_sma(closes[:-1], slow_period)

        # Golden cross - buy signal
        if fast_ma > slow_ma and prev_fast <= prev_slow:
            if context.position == 0:
                buy_amount = float(context.balance / kline.close) * 0.95
                context.buy(kline.close, buy_amount, kline.open_time)

        # Death cross - sell signal
        elif fast_ma < slow_ma and prev_fast >= prev_slow:
            if context.position > 0:
                context.sell_all(kline.close, kline.open_time)
