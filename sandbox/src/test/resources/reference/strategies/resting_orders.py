# Exercises resting orders: a buy limit below the close with expire_after (limit first), a buy stop
# above the recent high (breakout entry, cancelled by the strategy when stale), a sell stop_limit
# below the recent low (a short entry in futures; refused and cancelled in spot), a reduce_only
# take-profit limit sized to the position, cancel() of leftovers, and a trailing stop.


def lots(x):
    return int(x * 1000) / 1000.0


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.entries = {}                   # order id -> kline number it was placed on
        self.tp_id = None
        self.n = 0

    def run(self, context, kline, params):
        self.n += 1
        lookback = params.get("lookback", 24)
        highs = self.kline_cache.get_highs()
        lows = self.kline_cache.get_lows()
        if len(highs) <= lookback:
            return
        open_ids = [o.id for o in context.open_orders]
        # drop ids that are no longer open; cancel stale breakout entries
        for oid in list(self.entries):
            if oid not in open_ids:
                del self.entries[oid]
            elif self.n - self.entries[oid] >= params.get("stale", 8):
                context.cancel(oid)
                del self.entries[oid]
        pos = context.position
        if pos == 0:
            if self.tp_id is not None:
                context.cancel(self.tp_id)  # False when it filled already
                self.tp_id = None
            if self.entries:
                return
            size = lots(float(context.balance) * 0.4 * float(context.leverage) / kline.close)
            if size <= 0:
                return
            top = max(highs[-lookback - 1:-1])
            bottom = min(lows[-lookback - 1:-1])
            a = context.order("buy", size, "limit", price=round(kline.close * 0.995, 1),
                              expire_after=5, tag="dip")
            b = context.order("buy", size, "stop", stop=top)
            c = context.order("sell", size, "stop_limit", stop=bottom, price=round(bottom * 0.998, 1),
                              tag="breakdown")
            for oid in (a, b, c):
                if oid is not None:
                    self.entries[oid] = self.n
            return
        # in a position: cancel the other entries, put a reduce-only target and a trailing stop
        for oid in list(self.entries):
            context.cancel(oid)
            del self.entries[oid]
        if self.tp_id is None or self.tp_id not in open_ids:
            ep = float(context.get_avg_position_price())
            if pos > 0:
                self.tp_id = context.order("sell", float(pos), "limit", price=round(ep * 1.02, 1),
                                           reduce_only=True, tag="tp")
            else:
                self.tp_id = context.order("buy", float(-pos), "limit", price=round(ep * 0.98, 1),
                                           reduce_only=True, tag="tp")
            context.set_trailing_stop(pct=params.get("trail", 0.015))
