"""
RSI with a trend filter: buy oversold dips, but only in an uptrend.

The trend is up while the close is above the SMA of the last `trend_period`
closes. In an uptrend, a close with RSI below `oversold` buys with
`position_pct` of the balance. The position is sold when RSI rises above
`overbought` or when the close falls below the trend SMA (the trend is gone).
Orders fill at the close of the kline that triggers them.

strategyParams read (default):
    rsi_period     14    changes in the RSI
    trend_period   50    closes in the trend SMA
    oversold       35    RSI below which an entry is allowed
    overbought     70    RSI above which the position is sold
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache
                         (>= trend_period and > rsi_period)
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        rsi_period = params.get('rsi_period', 14)
        trend_period = params.get('trend_period', 50)
        oversold = params.get('oversold', 35)
        overbought = params.get('overbought', 70)
        position_pct = params.get('position_pct', 0.95)

        if len(closes) < max(trend_period, rsi_period + 1):
            return

        rsi = calculate_rsi(closes, rsi_period)
        trend = calculate_sma(closes, trend_period)

        if context.position == 0:
            if kline.close > trend and rsi < oversold:
                buy_amount = float(context.balance / kline.close) * position_pct
                context.buy(kline.close, buy_amount, kline.open_time)
        elif rsi > overbought or kline.close < trend:
            context.sell_all(kline.close, kline.open_time)
