"""
Breakout with stop loss and take profit (the reference document's example, corrected).

Buys with `position_pct` of the balance when the close breaks above the highest
high of the previous `lookback` klines. Once in a position it sells everything
at the first close that is `stop_loss` below the average entry price (stop
loss), `take_profit` above it (take profit), or below the lowest low of the
previous `lookback` klines (support broken), checked in that order.
Orders fill at the close of the kline that triggers them.

Correction: the printed example takes the highest high of a window that already
contains the current kline; a close can never exceed its own kline's high, so it
never buys. This copy compares with the `lookback` klines before the current
one, and therefore waits for `lookback + 1` klines: `klineWndSize` must be at
least `lookback + 1`.

strategyParams read (default):
    lookback       20    klines in the breakout channel
    stop_loss      0.03  fall below the average entry price that exits
    take_profit    0.06  rise above the average entry price that exits
    position_pct   0.95  share of the balance spent on an entry
    klineWndSize   50    (engine) klines kept in self.kline_cache
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        highs = self.kline_cache.get_highs()
        lows = self.kline_cache.get_lows()
        lookback = params.get('lookback', 20)
        stop_loss_pct = params.get('stop_loss', 0.03)
        take_profit_pct = params.get('take_profit', 0.06)
        position_pct = params.get('position_pct', 0.95)

        if len(closes) < lookback + 1:
            return

        # The channel of the previous `lookback` klines, without the current one.
        highest = max(highs[-lookback - 1:-1])
        lowest = min(lows[-lookback - 1:-1])

        # Entry: Break above resistance
        if context.position == 0:
            if kline.close > highest:
                buy_amount = float(context.balance / kline.close) * position_pct
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
