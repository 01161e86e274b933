"""The strategy API a user's code sees (contract section 3).

Everything here is plain Python so that the same file runs under CPython for the benchmark. The
engine-backed BacktestContext is created by runner.py; the account behind it lives in Java.
"""
from collections import deque  # a name strategies get without import
from decimal import Decimal
from datetime import datetime, timezone
import math as _math

_UTC = timezone.utc
_EXACT_INT = 2 ** 53  # every int up to this size is exactly a float


def _civil(days):
    """(year, month, day) of a count of days since 1970-01-01 (proleptic Gregorian).

    Integer arithmetic instead of datetime: datetime is pure Python in GraalPy and slow until warm.
    """
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y, m, d)


def _date(days):
    y, m, d = _civil(days)
    return "%04d-%02d-%02d" % (y, m, d)


def _iso(ms):
    """Contract: timestamps are ISO-8601 strings with an offset, e.g. 2024-01-01T00:00:00+00:00."""
    if ms is None:
        return None
    days, rest = divmod(int(ms), 86400000)
    secs = rest // 1000
    frac = rest % 1000
    s = "%sT%02d:%02d:%02d" % (_date(days), secs // 3600, secs // 60 % 60, secs % 60)
    if frac:
        s += ".%03d000" % frac
    return s + "+00:00"


class OrderType:
    BUY = "buy"
    SELL = "sell"


class OrderSide:
    LONG = "long"
    SHORT = "short"


class PositionSide:
    LONG = "long"
    SHORT = "short"
    BOTH = "both"


class Kline:
    """One candlestick. Prices and volumes are floats; open_time / close_time are ISO strings.

    A plain class (no __slots__): GraalPy compiles attribute access on ordinary objects best.
    """

    def __init__(self, open_time, open, high, low, close, volume, close_time=None,
                 quote_volume=None, trades_count=None, taker_buy_base_volume=None,
                 taker_buy_quote_volume=None):
        # Times may be given as epoch ms (the engine) or as ISO strings (a user building a Kline);
        # the engine's ISO strings are made on first use.
        self.open_time_ms = open_time
        self.close_time_ms = close_time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.quote_volume = quote_volume
        self.trades_count = trades_count
        self.taker_buy_base_volume = taker_buy_base_volume
        self.taker_buy_quote_volume = taker_buy_quote_volume

    # Derivatives data (contract section 7): None unless the run has that data for this kline. The engine sets
    # them on the instance only in runs that have such data; class attributes cost the other runs nothing.
    open_interest = None
    funding_rate = None
    funding_time_ms = None
    long_short_ratio = None
    liquidations_long = None
    liquidations_short = None

    @property
    def funding_time(self):
        """When funding_rate settled (ISO string), or None."""
        t = self.funding_time_ms
        return t if t is None or isinstance(t, str) else _iso(t)

    @property
    def buy_volume(self):
        """Taker buy volume in the base asset (the kline's taker_buy_base_volume), or None."""
        v = self.taker_buy_base_volume
        return None if v is None or v != v else v

    @property
    def sell_volume(self):
        """volume - buy_volume, or None."""
        b = self.buy_volume
        return None if b is None else self.volume - b

    @property
    def delta(self):
        """buy_volume - sell_volume (= 2 * buy_volume - volume), or None."""
        b = self.buy_volume
        return None if b is None else 2 * b - self.volume

    @property
    def open_time(self):
        t = self.open_time_ms
        return t if t is None or isinstance(t, str) else _iso(t)

    @property
    def close_time(self):
        t = self.close_time_ms
        return t if t is None or isinstance(t, str) else _iso(t)

    def __repr__(self):
        return "Kline(open_time=%r, open=%r, high=%r, low=%r, close=%r, volume=%r)" % (
            self.open_time, self.open, self.high, self.low, self.close, self.volume)


class KlineCache:
    """The last kline_wnd_size klines, oldest first.

    Lists, trimmed now and then, rather than deques: a slice of a list of floats is one array copy in
    GraalPy, which makes get_closes() and the indicators on it cheap.
    """

    def __init__(self, kline_wnd_size=50):
        n = int(kline_wnd_size)
        if n < 1:
            raise ValueError("kline_wnd_size must be >= 1, got %r" % (kline_wnd_size,))
        self.kline_wnd_size = n
        self._trim_at = n + 256
        self._klines = []
        self._opens = []
        self._highs = []
        self._lows = []
        self._closes = []
        self._volumes = []
        # get_cvd(): the sum of the deltas of the klines trimmed away, so that the CVD counts from the first kline
        self._cvd_base = 0.0

    def append(self, kline):
        klines = self._klines
        klines.append(kline)
        self._opens.append(kline.open)
        self._highs.append(kline.high)
        self._lows.append(kline.low)
        self._closes.append(kline.close)
        self._volumes.append(kline.volume)
        if len(klines) > self._trim_at:
            keep = -self.kline_wnd_size
            self._cvd_base = _delta_sum(self._cvd_base, klines[:keep])
            del klines[:keep]
            del self._opens[:keep]
            del self._highs[:keep]
            del self._lows[:keep]
            del self._closes[:keep]
            del self._volumes[:keep]

    def get_klines(self):
        return self._klines[-self.kline_wnd_size:]

    def get_closes(self):
        return self._closes[-self.kline_wnd_size:]

    def get_highs(self):
        return self._highs[-self.kline_wnd_size:]

    def get_lows(self):
        return self._lows[-self.kline_wnd_size:]

    def get_volumes(self):
        return self._volumes[-self.kline_wnd_size:]

    def get_opens(self):
        return self._opens[-self.kline_wnd_size:]

    def get_open_interest(self):
        """Open interest of each kline of the window (None where the run has none)."""
        return [k.open_interest for k in self._klines[-self.kline_wnd_size:]]

    def get_funding_rates(self):
        """The funding rate in force on each kline of the window (the last settled at or before its close)."""
        return [k.funding_rate for k in self._klines[-self.kline_wnd_size:]]

    def get_long_short_ratios(self):
        return [k.long_short_ratio for k in self._klines[-self.kline_wnd_size:]]

    def get_liquidations(self):
        """(liquidations_long, liquidations_short) of each kline of the window."""
        return [(k.liquidations_long, k.liquidations_short) for k in self._klines[-self.kline_wnd_size:]]

    def get_buy_volumes(self):
        return [k.buy_volume for k in self._klines[-self.kline_wnd_size:]]

    def get_sell_volumes(self):
        return [k.sell_volume for k in self._klines[-self.kline_wnd_size:]]

    def get_deltas(self):
        """buy_volume - sell_volume of each kline of the window (None where the kline has no taker volume)."""
        return [k.delta for k in self._klines[-self.kline_wnd_size:]]

    def get_cvd(self):
        """Cumulative volume delta of each kline of the window, summed from the first kline this cache received
        (the run's first kline); klines without a delta add nothing and read None."""
        klines = self._klines
        start = max(0, len(klines) - self.kline_wnd_size)
        total = _delta_sum(self._cvd_base, klines[:start])
        out = []
        for k in klines[start:]:
            d = k.delta
            if d is None:
                out.append(None)
            else:
                total += d
                out.append(total)
        return out

    def is_full(self):
        return len(self._klines) >= self.kline_wnd_size

    def __len__(self):
        return min(len(self._klines), self.kline_wnd_size)


def _delta_sum(total, klines):
    for k in klines:
        b = k.taker_buy_base_volume
        if b is not None and b == b:
            total += 2 * b - k.volume
    return total


class Order:
    def __init__(self, timestamp, order_type, price, amount, fee=0, order_side=None):
        self.timestamp = timestamp
        self.type = order_type
        self.price = price
        self.amount = amount
        self.fee = fee
        self.order_side = order_side

    def __repr__(self):
        return "Order(%r, %r, price=%r, amount=%r, fee=%r)" % (
            self.timestamp, self.type, self.price, self.amount, self.fee)


class AccountDecimal(Decimal):
    """A Decimal from the account that also mixes with floats.

    In CPython, Decimal / float raises TypeError, yet the reference examples write
    float(context.balance / kline.close). Arithmetic between an AccountDecimal and a float is done in
    float: float(self) op other, giving a float. With Decimal or int it is ordinary Decimal arithmetic.
    """

    # _f: float(self), computed once. Strategies compare and convert the same balance many times, and
    # Decimal's own float() and comparisons go through strings and the numbers ABCs.
    __slots__ = ("_f",)

    def __float__(self):
        try:
            return self._f
        except AttributeError:
            f = self._f = Decimal.__float__(self)
            return f

    # Comparisons with a float, or an int a float holds exactly, are decided by float(self) whenever it
    # differs from the other number: rounding to the nearest float keeps order, so the answer is the
    # exact one. Equal floats (and everything else) fall back to Decimal's exact comparison.
    def _float_order(self, o):
        """-1 or 1 when float(self) alone shows self < o or self > o; 0 when Decimal must decide."""
        t = type(o)
        if t is float or t is int and -_EXACT_INT <= o <= _EXACT_INT:
            f = self.__float__()
            if f != o and f == f and o == o:
                return -1 if f < o else 1
        return 0

    def __eq__(self, o):
        return False if self._float_order(o) else Decimal.__eq__(self, o)

    def __ne__(self, o):
        return not self.__eq__(o)

    def __lt__(self, o):
        s = self._float_order(o)
        return s < 0 if s else Decimal.__lt__(self, o)

    def __le__(self, o):
        s = self._float_order(o)
        return s < 0 if s else Decimal.__le__(self, o)

    def __gt__(self, o):
        s = self._float_order(o)
        return s > 0 if s else Decimal.__gt__(self, o)

    def __ge__(self, o):
        s = self._float_order(o)
        return s > 0 if s else Decimal.__ge__(self, o)

    def __bool__(self):
        return self.__float__() != 0.0 or Decimal.__bool__(self)

    def __add__(self, o):
        return float(self) + o if type(o) is float else Decimal.__add__(self, o)

    def __radd__(self, o):
        return o + float(self) if type(o) is float else Decimal.__radd__(self, o)

    def __sub__(self, o):
        return float(self) - o if type(o) is float else Decimal.__sub__(self, o)

    def __rsub__(self, o):
        return o - float(self) if type(o) is float else Decimal.__rsub__(self, o)

    def __mul__(self, o):
        return float(self) * o if type(o) is float else Decimal.__mul__(self, o)

    def __rmul__(self, o):
        return o * float(self) if type(o) is float else Decimal.__rmul__(self, o)

    def __truediv__(self, o):
        return float(self) / o if type(o) is float else Decimal.__truediv__(self, o)

    def __rtruediv__(self, o):
        return o / float(self) if type(o) is float else Decimal.__rtruediv__(self, o)

    def __floordiv__(self, o):
        return float(self) // o if type(o) is float else Decimal.__floordiv__(self, o)

    def __rfloordiv__(self, o):
        return o // float(self) if type(o) is float else Decimal.__rfloordiv__(self, o)

    def __mod__(self, o):
        return float(self) % o if type(o) is float else Decimal.__mod__(self, o)

    def __rmod__(self, o):
        return o % float(self) if type(o) is float else Decimal.__rmod__(self, o)

    def __pow__(self, o, mod=None):
        if type(o) is float:
            return float(self) ** o
        return Decimal.__pow__(self, o, mod)

    def __rpow__(self, o):
        return o ** float(self) if type(o) is float else Decimal.__rpow__(self, o)

    def __hash__(self):
        return Decimal.__hash__(self)


class BacktestContext:
    """The account a strategy trades with. The engine hands each run its own instance.

    balance, position, initial_balance and fee_rate are read-only AccountDecimal values; the account
    itself is kept by the engine, which validates every order.
    """

    # No instance __dict__: a strategy cannot shadow buy/sell with its own functions.
    __slots__ = ()

    def buy(self, price, amount, timestamp=None):
        raise NotImplementedError("BacktestContext is created by the engine")

    def sell(self, price, amount, timestamp=None):
        raise NotImplementedError("BacktestContext is created by the engine")

    def sell_all(self, price, timestamp=None):
        raise NotImplementedError("BacktestContext is created by the engine")


class IStrategy:
    """Base class of every strategy: define class Strategy(IStrategy) with run(context, kline, params)."""

    # set by the engine for runs with other series: {(symbol, interval): KlineCache}, and the run's symbol
    _candlebox_series = None
    _candlebox_symbol = None

    def __init__(self):
        self.kline_cache = KlineCache(50)
        self.name = type(self).__name__

    def initialize(self, kline_wnd_size=50):
        self.kline_cache = KlineCache(kline_wnd_size)

    def run(self, context, kline, params):
        pass

    def series(self, symbol, interval=None):
        """The KlineCache of another series of the run (the request's "series"): self.series("ETHUSDT", "4h"),
        or self.series("4h") for the run's own symbol. It holds that series' klines that have closed by the
        current kline's close (close_time <= kline.close_time), never one still open."""
        found = self._candlebox_series or {}
        if interval is None:
            key = (self._candlebox_symbol, symbol)
        else:
            key = (symbol, interval)
        cache = found.get(key)
        if cache is None:
            asked = ", ".join("%s %s" % k for k in sorted(found)) or "none"
            raise KeyError("no series %s %s in this run (add it to the request's series; the run has: %s)"
                           % (key[0], key[1], asked))
        return cache

    def on_trade(self, trade):
        pass

    def on_day_end(self, date, context):
        pass


def calculate_sma(data, period):
    if period <= 0 or len(data) < period:
        return None
    return sum(data[-period:]) / period


def calculate_ema(data, period):
    if period <= 0 or len(data) < period:
        return None
    ema = sum(data[:period]) / period
    k = 2 / (period + 1)
    for x in data[period:]:
        ema = (x - ema) * k + ema
    return ema


def calculate_rsi(data, period=14):
    if period <= 0 or len(data) < period + 1:
        return None
    gains = 0.0
    losses = 0.0
    n = len(data)
    for i in range(n - period, n):
        d = data[i] - data[i - 1]
        if d > 0:
            gains += d
        elif d < 0:
            losses += -d
    gain = gains / period
    loss = losses / period
    if loss == 0:
        return 100.0 if gain > 0 else 50.0
    rs = gain / loss
    return 100 - 100 / (1 + rs)


def calculate_macd(data, fast=12, slow=26, signal=9):
    if fast <= 0 or slow <= 0 or signal <= 0 or len(data) < slow + signal - 1:
        return (None, None, None)
    # macd_series[j] = ema(data[:slow + j], fast) - ema(data[:slow + j], slow), computed
    # incrementally: each EMA over a prefix is the seeded EMA carried one value further, so the
    # floats are the same as recomputing every prefix from scratch.
    n = len(data)
    k_fast = 2 / (fast + 1)
    k_slow = 2 / (slow + 1)
    ema_fast = sum(data[:fast]) / fast
    for x in data[fast:slow]:
        ema_fast = (x - ema_fast) * k_fast + ema_fast
    ema_slow = sum(data[:slow]) / slow
    series = [ema_fast - ema_slow]
    for i in range(slow, n):
        x = data[i]
        ema_fast = (x - ema_fast) * k_fast + ema_fast
        ema_slow = (x - ema_slow) * k_slow + ema_slow
        series.append(ema_fast - ema_slow)
    signal_line = calculate_ema(series, signal)
    macd = series[-1]
    return (macd, signal_line, macd - signal_line)


def calculate_atr(highs, lows, closes, period=14):
    """Average true range, Wilder's: TR[j] = max(high[j] - low[j], |high[j] - close[j-1]|, |low[j] - close[j-1]|)
    for j >= 1; the first ATR is the mean of TR[1..period], then ATR = (ATR * (period - 1) + TR) / period. Needs
    period + 1 klines; None before."""
    n = len(closes)
    if period <= 0 or n < period + 1 or len(highs) != n or len(lows) != n:
        return None
    atr = 0.0
    for j in range(1, period + 1):
        atr += _true_range(highs[j], lows[j], closes[j - 1])
    atr /= period
    for j in range(period + 1, n):
        atr = (atr * (period - 1) + _true_range(highs[j], lows[j], closes[j - 1])) / period
    return atr


def _true_range(high, low, prev_close):
    return max(high - low, abs(high - prev_close), abs(low - prev_close))


def calculate_zscore(data, period):
    """(last - mean) / standard deviation over the last period values (population deviation, as in
    calculate_bollinger); None with fewer values or a zero deviation."""
    if period <= 1 or len(data) < period:
        return None
    window = data[-period:]
    mean = sum(window) / period
    var = sum((x - mean) ** 2 for x in window) / period
    if var <= 0:
        return None
    return (window[-1] - mean) / _math.sqrt(var)


def calculate_bollinger(data, period=20, k=2):
    """(lower, middle, upper): middle = SMA of the last period values, bands = middle -/+ k population standard
    deviations of them; (None, None, None) with fewer values."""
    if period <= 0 or len(data) < period:
        return (None, None, None)
    window = data[-period:]
    mid = sum(window) / period
    sd = _math.sqrt(sum((x - mid) ** 2 for x in window) / period)
    return (mid - k * sd, mid, mid + k * sd)
