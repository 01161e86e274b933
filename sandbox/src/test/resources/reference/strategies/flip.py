# Exercises flips: one order larger than the opposite position (a buy of |short| + size, a sell of
# long + size), made immediately (sell/buy at kline.close) on an RSI signal, and also by a resting
# limit order sized past the position (a flip inside a kline's path). In spot the shorting half is
# refused (a sell beyond the position), which is the spot rule.


def lots(x):
    return int(x * 1000) / 1000.0


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.pending = None                 # id of the resting flip order

    def run(self, context, kline, params):
        closes = self.kline_cache.get_closes()
        rsi = calculate_rsi(closes, params.get("rsi", 14))
        if rsi is None:
            return
        pos = float(context.position)
        size = lots(float(context.balance) * 0.3 * float(context.leverage) / kline.close)
        if size <= 0:
            return
        if rsi > params.get("high", 70) and pos >= 0:
            if not context.sell(kline.close, lots(pos + size)):  # long -> short in one fill
                context.sell_all(kline.close)               # spot: the short half is refused
        elif rsi < params.get("low", 30) and pos <= 0:
            context.buy(kline.close, lots(-pos + size))     # short -> long in one fill
        elif self.pending is None and pos != 0:
            # a resting flip: a limit on the other side, 1.5 % away, for position + size
            if pos > 0:
                self.pending = context.order("sell", lots(pos + size), "limit",
                                             price=round(kline.close * 1.015, 1), expire_after=6)
            else:
                self.pending = context.order("buy", lots(-pos + size), "limit",
                                             price=round(kline.close * 0.985, 1), expire_after=6)
        if self.pending is not None and self.pending not in [o.id for o in context.open_orders]:
            self.pending = None
