"""
Dollar-cost averaging with a partial take profit.

Every `every_n_klines` klines it buys `quote_per_buy` worth of the base asset
at the close (fewer than `max_buys` buys since the last sell; a buy the balance
cannot cover is simply refused). When the close is `take_profit` above the
average price of the open position it sells `sell_fraction` of the position, or
all of it when that part would be worth less than `min_sell_value`; each sell
starts a new round of buys. It shows the average position price over several
buys, partial sells, `on_trade`, and what a refused order looks like.

strategyParams read (default):
    every_n_klines  24     klines between two buys
    quote_per_buy   500    quote asset (e.g. USDT) spent per buy, before the fee
    max_buys        10     buys allowed between two sells
    take_profit     0.05   rise above the average position price that sells
    sell_fraction   0.5    share of the position sold at the take profit
    min_sell_value  100    below this value (in the quote asset) sell everything
    klineWndSize    50     (engine) klines kept in self.kline_cache; unused here
"""


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.klines_seen = 0
        self.buys_since_sell = 0

    def run(self, context: BacktestContext, kline: Kline, params: dict):
        every_n = params.get('every_n_klines', 24)
        quote_per_buy = params.get('quote_per_buy', 500)
        max_buys = params.get('max_buys', 10)
        take_profit = params.get('take_profit', 0.05)
        sell_fraction = params.get('sell_fraction', 0.5)
        min_sell_value = params.get('min_sell_value', 100)

        self.klines_seen += 1

        if context.position > 0:
            avg_price = context.get_avg_position_price()
            if kline.close > avg_price * (1 + take_profit):
                amount = float(context.position) * sell_fraction
                if amount * kline.close < min_sell_value:
                    context.sell_all(kline.close, kline.open_time)
                else:
                    context.sell(kline.close, amount, kline.open_time)
                return

        if self.klines_seen % every_n == 0 and self.buys_since_sell < max_buys:
            context.buy(kline.close, quote_per_buy / kline.close, kline.open_time)

    def on_trade(self, trade):
        # trade is the fill just made: {timestamp, type 'buy'|'sell', price, amount, balance, fee}
        if trade['type'] == 'buy':
            self.buys_since_sell += 1
        else:
            self.buys_since_sell = 0
