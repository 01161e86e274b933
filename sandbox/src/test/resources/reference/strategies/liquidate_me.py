# Exercises liquidation: a high-leverage long (run it at leverage 20) that pyramids (adds each time
# the price is 1 % above its last add) and has no stop, so a ~4-5 % fall from its average entry
# liquidates it. Its margin stays under ~40 % of the wallet, so after a liquidation it has money
# left; it waits a day and starts again (it trades afterwards). Prints one line per liquidation
# (on_trade) and reads liquidation_price / margin_used.


def lots(x):
    return int(x * 1000) / 1000.0


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.last_add = None
        self.wait = 0

    def on_trade(self, trade):
        if trade["type"] == "liquidation":
            print("liquidated", trade["amount"], "BTC at", round(float(trade["price"]), 2))
            self.last_add = None
            self.wait = 24

    def run(self, context, kline, params):
        if self.wait > 0:
            self.wait -= 1
            return
        lev = float(context.leverage)
        room = float(context.balance) * params.get("cap", 0.4) - float(context.margin_used)
        if context.position == 0:
            size = lots(room * 0.5 * lev / kline.close)
            if size > 0 and context.buy(kline.close, size):
                self.last_add = kline.close
            return
        if context.liquidation_price is not None and kline.close > self.last_add * 1.01:
            size = lots(room * 0.5 * lev / kline.close)
            if size > 0 and context.buy(kline.close, size):
                self.last_add = kline.close
