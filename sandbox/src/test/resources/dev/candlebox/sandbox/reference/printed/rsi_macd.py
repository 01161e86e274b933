class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.prev_macd = None
        self.prev_signal = None

    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        if len(closes) < 35:
            return

        rsi = calculate_rsi(closes, 14)
        macd_line, signal_line, histogram = calculate_macd(closes)

        if rsi is None or macd_line is None:
            return

        # Buy condition: RSI oversold + MACD golden cross
        if context.position == 0:
            if rsi < 35 and histogram > 0:
                if self.prev_macd is not None and self.prev_macd <= self.prev_signal:
                    buy_amount = float(context.balance / kline.close) * 0.95
                    context.buy(kline.close, buy_amount, kline.open_time)

        # Sell condition: RSI overbought + MACD death cross
        elif context.position > 0:
            if rsi > 65 and histogram < 0:
                if self.prev_macd is not None and self.prev_macd >= self.prev_signal:
                    context.sell_all(kline.close, kline.open_time)

        self.prev_macd = macd_line
        self.prev_signal = signal_line
