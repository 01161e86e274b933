"""
Derivatives composite: open interest, CVD, long/short crowding, funding and liquidations in one score.

Seed 000's five-signal composite. On every kline each sub-signal is a number in [-1, 1], 0 where
its data is missing (a kline whose field is None), so the score never uses invented values:

1. OI momentum, over `oi_lookback` klines: oi_change = OI / OI then - 1, price_change likewise.
   oi_change > `oi_spike`: +0.7 with price up (new money into the trend), -0.3 with price down (new
   shorts); oi_change < -`oi_drop`: -0.2 with price up (short squeeze), +0.3 with price down
   (capitulation); else 0.
2. CVD divergence by normalised rate of change over `cvd_lookback` klines: cvd_roc = (CVD now - CVD
   then) / (sum of |delta| over those klines), in [-1, 1]. Price down and cvd_roc > 0 (accumulation):
   +cvd_roc; price up and cvd_roc < 0 (distribution): cvd_roc (negative); else 0.
3. Long/short contrarian: the long share of accounts, ratio / (1 + ratio), averaged over `ls_smooth`
   klines: above `ls_long` (crowded longs) -1, below `ls_short` (crowded shorts) +1, else 0.
4. Funding contrarian: the rate in force above `funding_high` -1, below `funding_low` +1, else 0.
5. Liquidation cascade: this kline's long + short liquidations above `liq_mult` x their mean over the
   previous `liq_window` klines: +1 when shorts were liquidated more (forced buying), else -1.

score = sum of weight_i x signal_i (weights sum to 1, so the score is in [-1, 1]); smoothed by an
EMA of span 3 (alpha 0.5, seeded with the first score). Flat: a smoothed score above `threshold`
buys, below -`threshold` sells short, with a stop-loss `stop_loss` and take-profit `take_profit`
from the entry. A long is closed when the smoothed score turns negative, a short when it turns
positive (the signal reversed), or by its bracket.

Data: klines with taker buy volume (CVD), open interest, long/short ratio, liquidations and funding
of the run's symbol (`import derivatives`, `import funding`); a missing input contributes 0, and the
run's dataQuality.inputs says which are missing. Needs market "futures" to go short (on spot the
short entries are refused and it trades long only). The seed's costs: takerFee 0.0006, slippage 0.0002.

strategyParams read (default):
    oi_lookback 1, oi_spike 0.05, oi_drop 0.03, cvd_lookback 12, ls_long 0.65, ls_short 0.35,
    ls_smooth 6, funding_high 0.0005, funding_low -0.0003, liq_window 24, liq_mult 2.0,
    weights [0.25, 0.25, 0.2, 0.15, 0.15], threshold 0.15, stop_loss 0.03, take_profit 0.06,
    position_pct 0.9, klineWndSize (engine) at least max(cvd_lookback, liq_window, ls_smooth) + 1 (50)
"""


def _oi_signal(ois, closes, n, spike, drop):
    if len(ois) <= n or ois[-1] is None or ois[-1 - n] is None or ois[-1 - n] == 0:
        return 0.0
    oi_change = ois[-1] / ois[-1 - n] - 1
    up = closes[-1] > closes[-1 - n]
    if oi_change > spike:
        return 0.7 if up else -0.3
    if oi_change < -drop:
        return -0.2 if up else 0.3
    return 0.0


def _cvd_signal(cvds, deltas, closes, n):
    if len(cvds) <= n or cvds[-1] is None or cvds[-1 - n] is None:
        return 0.0
    recent = deltas[-n:]
    if None in recent:
        return 0.0
    scale = sum(abs(d) for d in recent)
    if scale == 0:
        return 0.0
    roc = (cvds[-1] - cvds[-1 - n]) / scale
    price = closes[-1] - closes[-1 - n]
    if price < 0 < roc or price > 0 > roc:
        return roc
    return 0.0


def _ls_signal(ratios, n, high, low):
    recent = ratios[-n:]
    if len(recent) < n or None in recent:
        return 0.0
    share = sum(r / (1 + r) for r in recent) / n
    if share > high:
        return -1.0
    if share < low:
        return 1.0
    return 0.0


def _funding_signal(rate, high, low):
    if rate is None:
        return 0.0
    if rate > high:
        return -1.0
    if rate < low:
        return 1.0
    return 0.0


def _liq_signal(liqs, n, mult):
    if len(liqs) <= n:
        return 0.0
    now_long, now_short = liqs[-1]
    if now_long is None or now_short is None:
        return 0.0
    past = [l + s for l, s in liqs[-1 - n:-1] if l is not None and s is not None]
    if len(past) < n:
        return 0.0
    mean = sum(past) / n
    if mean > 0 and now_long + now_short > mult * mean:
        return 1.0 if now_short > now_long else -1.0
    return 0.0


class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.smoothed = None
        self.signals = None

    def run(self, context, kline, params):
        c = self.kline_cache
        closes = c.get_closes()
        signals = [
            _oi_signal(c.get_open_interest(), closes, params.get("oi_lookback", 1),
                       params.get("oi_spike", 0.05), params.get("oi_drop", 0.03)),
            _cvd_signal(c.get_cvd(), c.get_deltas(), closes, params.get("cvd_lookback", 12)),
            _ls_signal(c.get_long_short_ratios(), params.get("ls_smooth", 6),
                       params.get("ls_long", 0.65), params.get("ls_short", 0.35)),
            _funding_signal(kline.funding_rate, params.get("funding_high", 0.0005),
                            params.get("funding_low", -0.0003)),
            _liq_signal(c.get_liquidations(), params.get("liq_window", 24), params.get("liq_mult", 2.0)),
        ]
        self.signals = signals
        weights = params.get("weights", [0.25, 0.25, 0.2, 0.15, 0.15])
        score = sum(w * s for w, s in zip(weights, signals))
        self.smoothed = score if self.smoothed is None else 0.5 * score + 0.5 * self.smoothed
        s = self.smoothed
        threshold = params.get("threshold", 0.15)
        position = float(context.position)
        if position > 0 and s < 0 or position < 0 and s > 0:
            context.close_position(kline.close)
            position = 0.0
        if position == 0 and abs(s) > threshold:
            amount = float(context.balance) * params.get("position_pct", 0.9) / kline.close
            done = context.buy(kline.close, amount) if s > 0 else context.sell(kline.close, amount)
            if done:
                context.set_stop_loss(pct=params.get("stop_loss", 0.03))
                context.set_take_profit(pct=params.get("take_profit", 0.06))
