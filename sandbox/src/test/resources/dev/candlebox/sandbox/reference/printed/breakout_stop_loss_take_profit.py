class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        highs = self.kline_cache.get_highs()
        lows = self.kline_cache.get_lows()

        lookback = params.get('lookback', 20)
        stop_loss_pct = params.get('stop_loss', 0.03)
        take_profit_pct = params.get('take_profit', 0.06)

        if len(closes) < lookback:
            return

        highest = max(highs[-lookback:])
        lowest = min(lows[-lookback:])

        # Entry: Break above resistance
        if context.position == 0:
            if kline.close > highest:
                buy_amount = float(context.balance / kline.close) * 0.95
                context.buy(kline.close, buy_amount, kline.open_time)

        # Exit: Stop loss or take profit
        elif context.position > 0:
            avg_price = context.get_avg_position_price()

            # Stop loss
            if kline.close < avg_price * (1 - stop_loss_pct):
                context.sell_all(kline.close, kline.open_time)
            # Take profit
            elif kline.close > avg_price * (1 + take_profit_pct):
                context.sell_all(kline.close, kline.open_time)
            # Break below support
            elif kline.close < lowest:
                context.sell_all(kline.close, kline.open_time)
