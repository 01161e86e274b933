"""
Time filter: trade only inside a session of UTC hours (the reference document's
datetime example, made into a strategy that trades).

Inside the session (`start_hour` <= hour of the kline's UTC open time <
`end_hour`) it buys with `position_pct` of the balance on the first green kline
(close above open), at most `max_entries_per_day` times per UTC day; it sells
the whole position at the first kline outside the session. The count of
entries starts again at each UTC day end (`on_day_end`), which also shows how
to keep state per day.

strategyParams read (default):
    start_hour           9     first UTC hour of the session (inclusive)
    end_hour             16    UTC hour at which the session ends (exclusive)
    max_entries_per_day  1     entries allowed per UTC day
    position_pct         0.95  share of the balance spent on an entry
    klineWndSize         50    (engine) klines kept in self.kline_cache; unused here
"""
from datetime import datetime


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.entries_today = 0

    def run(self, context: BacktestContext, kline: Kline, params: dict):
        start_hour = params.get('start_hour', 9)
        end_hour = params.get('end_hour', 16)
        max_entries = params.get('max_entries_per_day', 1)
        position_pct = params.get('position_pct', 0.95)

        # Parse timestamp
        dt = datetime.fromisoformat(kline.open_time.replace('Z', '+00:00'))

        # Trading only during specific hours
        if start_hour <= dt.hour < end_hour:
            if context.position == 0 and self.entries_today < max_entries and kline.close > kline.open:
                buy_amount = float(context.balance / kline.close) * position_pct
                if context.buy(kline.close, buy_amount, kline.open_time):
                    self.entries_today += 1
        elif context.position > 0:
            context.sell_all(kline.close, kline.open_time)

    def on_day_end(self, date: str, context: BacktestContext):
        self.entries_today = 0
