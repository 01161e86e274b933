"""
Bollinger mean reversion.

The middle band is the SMA of the last `period` closes; the lower and upper
bands lie `num_std` population standard deviations of those closes below and
above it. Buys with `position_pct` of the balance when a close falls below the
lower band, and sells everything when a close gets back to the middle band or
above. Orders fill at the close of the kline that triggers them.

strategyParams read (default):
    period         20    closes in the bands
    num_std        2.0   width of the bands in standard deviations
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache (>= period)
"""
import math


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        period = params.get('period', 20)
        num_std = params.get('num_std', 2.0)
        position_pct = params.get('position_pct', 0.95)

        if len(closes) < period:
            return

        middle = calculate_sma(closes, period)
        variance = sum((c - middle) * (c - middle) for c in closes[-period:]) / period
        std = math.sqrt(variance)
        lower = middle - num_std * std

        if context.position == 0:
            # Stretched below the lower band: bet on the return to the mean.
            if kline.close < lower:
                buy_amount = float(context.balance / kline.close) * position_pct
                context.buy(kline.close, buy_amount, kline.open_time)
        elif kline.close >= middle:
            context.sell_all(kline.close, kline.open_time)
