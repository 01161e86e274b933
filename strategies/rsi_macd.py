"""
RSI + MACD (the reference document's example, with its constants as parameters).

Buys with `position_pct` of the balance when the market is oversold
(RSI below `rsi_buy`) while MACD turns up: the histogram is positive now and
the MACD line was at or below its signal line on the previous kline. Sells
everything when the market is overbought (RSI above `rsi_sell`) while MACD
turns down. With the defaults it behaves exactly like the printed example.

Here the signal line is the real EMA of the MACD series (the reference system
returned 0.9 * MACD as a placeholder, so its histogram always had the sign of
the MACD line). MACD is computed over the closes in self.kline_cache, so a
larger `klineWndSize` gives a longer EMA history (and a slower run: the MACD
series is recomputed over the whole window on every kline).

strategyParams read (default):
    rsi_period     14    changes in the RSI
    rsi_buy        35    RSI below which an entry is allowed
    rsi_sell       65    RSI above which an exit is allowed
    macd_fast      12    fast EMA of the MACD
    macd_slow      26    slow EMA of the MACD
    macd_signal    9     EMA of the MACD line (signal line)
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.prev_macd = None
        self.prev_signal = None

    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        rsi_period = params.get('rsi_period', 14)
        rsi_buy = params.get('rsi_buy', 35)
        rsi_sell = params.get('rsi_sell', 65)
        macd_fast = params.get('macd_fast', 12)
        macd_slow = params.get('macd_slow', 26)
        macd_signal = params.get('macd_signal', 9)
        position_pct = params.get('position_pct', 0.95)

        if len(closes) < macd_slow + macd_signal:
            return

        rsi = calculate_rsi(closes, rsi_period)
        macd_line, signal_line, histogram = calculate_macd(closes, macd_fast, macd_slow, macd_signal)

        if rsi is None or macd_line is None:
            return

        # Buy condition: RSI oversold + MACD golden cross
        if context.position == 0:
            if rsi < rsi_buy and histogram > 0:
                if self.prev_macd is not None and self.prev_macd <= self.prev_signal:
                    buy_amount = float(context.balance / kline.close) * position_pct
                    context.buy(kline.close, buy_amount, kline.open_time)
        # Sell condition: RSI overbought + MACD death cross
        elif context.position > 0:
            if rsi > rsi_sell and histogram < 0:
                if self.prev_macd is not None and self.prev_macd >= self.prev_signal:
                    context.sell_all(kline.close, kline.open_time)

        self.prev_macd = macd_line
        self.prev_signal = signal_line
