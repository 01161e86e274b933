"""CPython side of the benchmark: the very same strategy_api.py + runner.py + strategy, with a plain
Python exchange standing in for the Java one (same Decimal arithmetic, same checks).

usage: python3 cpython_bench.py <strategy.py> <binance-12-col.csv.gz> <klines> <repeats>
"""
import gzip
import os
import sys
import time
from decimal import Decimal, localcontext

HERE = os.path.dirname(os.path.abspath(__file__))
PY = os.path.join(HERE, "..", "src", "main", "resources", "dev", "candlebox", "sandbox", "python")
PRELUDE = {}
for f in ("strategy_api.py", "runner.py"):
    with open(os.path.join(PY, f)) as fh:
        PRELUDE[f] = compile(fh.read(), f, "exec")
with open(os.path.join(PY, "step.py")) as fh:
    STEP = compile(fh.read().replace("STRATEGY_ID", "bench"), "step_bench.py", "exec")


def fresh_namespace():
    """What a fresh GraalPy context holds after the worker prepared it: the API and the runner."""
    ns = {"__name__": "__main__"}
    for code in PRELUDE.values():
        exec(code, ns)
    return ns


class PlainExchange:
    """What dev.candlebox.sandbox.python.Exchange does, in Python."""

    def __init__(self, cols, initial, fee):
        self.ot, self.hi, self.lo, self.cl = cols[0], cols[2], cols[3], cols[4]
        self.i = -1
        self.balance = Decimal(initial)
        self.position = Decimal(0)
        self.fee = Decimal(fee)
        self.fills = 0

    def advance(self):
        self.i += 1
        return False

    def _dec(self, x):
        return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)

    def _place(self, side, p, a):
        i = self.i
        if not (p.is_finite() and a.is_finite() and p > 0 and a > 0):
            return None
        if p < Decimal(repr(self.lo[i])) or p > Decimal(repr(self.hi[i])):
            return None
        with localcontext() as c:
            c.prec = 200
            value = p * a
            fee = value * self.fee
            if side == "buy":
                if value + fee > self.balance:
                    return None
                self.balance -= value + fee
                self.position += a
            else:
                if a > self.position:
                    return None
                self.balance += value - fee
                self.position -= a
        self.fills += 1
        # the engine's reply: timestamp;type;reason;price;amount;fee;slippage;balance;position
        return "%d;%s;order;%s;%s;%s;0;%s;%s" % (self.ot[i], side, p, a, fee, self.balance, self.position)

    def buy(self, p, a):
        return self._place("buy", self._dec(p), self._dec(a))

    def sell(self, p, a):
        return self._place("sell", self._dec(p), self._dec(a))

    def sellAll(self, p):
        return None if self.position <= 0 else self._place("sell", self._dec(p), self.position)

    def avgPrice(self):
        return "0"

    def maxDrawdown(self):
        return "0"

    def drawdownAt(self, p):
        return "0"

    def equityCurveJson(self):
        return "[]"


def load(path, n):
    rows = []
    with gzip.open(path, "rt") as fh:
        for line in fh:
            if line.strip():
                rows.append(line.split(","))
    base = [[int(r[0]) for r in rows], [float(r[1]) for r in rows], [float(r[2]) for r in rows],
            [float(r[3]) for r in rows], [float(r[4]) for r in rows], [float(r[5]) for r in rows],
            [int(r[6]) for r in rows], [float(r[7]) for r in rows], [int(r[8]) for r in rows],
            [float(r[9]) for r in rows], [float(r[10]) for r in rows]]
    m = len(rows)
    span = base[0][-1] - base[0][0] + 3600000
    cols = [[] for _ in range(11)]
    k = 0
    # Longer series: the main series repeated, each copy shifted by the series' span (as the Java side).
    while k * m < n:
        take = min(m, n - k * m)
        for j in range(11):
            col = base[j][:take]
            if j in (0, 6):
                col = [t + k * span for t in col]
            cols[j].extend(col)
        k += 1
    return cols


def drive(step, ex, cols, n):
    """What the Java engine's loop does: move the clock, hand the step one kline."""
    ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq = cols
    for i in range(n):
        ex.advance()  # nothing rests in this benchmark's account: the engine would not call sync
        day = ot[i] // 86400000
        escaped = step(ot[i], op[i], hi[i], lo[i], cl[i], vo[i], ct[i], qv[i], tc[i], tbb[i], tbq[i],
                       day if i + 1 == n or ot[i + 1] // 86400000 != day else -1)
        if escaped is not None:
            raise escaped


def main():
    code_path, data, n, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(code_path) as fh:
        code = fh.read()
    cols = load(data, n)
    n = len(cols[0])
    ot = cols[0]
    params = {"klineWndSize": 50}
    times = []
    for r in range(reps):
        ns = fresh_namespace()
        check, describe, start, arm = ns.pop("__candlebox__")[:4]
        ex = PlainExchange(cols, "10000", "0.001")
        t = time.perf_counter()
        err = check(code)
        assert err is None, err
        arm(code)
        exec(compile(code, "strategy.py", "exec"), ns)
        exec(STEP, ns)
        started = start(ex, params, "10000", "0.001", ns.pop("__candlebox_step__"))
        assert started[0] is True, started
        drive(started[1], ex, cols, n)
        dt = time.perf_counter() - t
        times.append(dt)
        print("cpython run %d: %.3f s, %.0f klines/s, fills %d, balance %s" % (r, dt, n / dt, ex.fills, ex.balance),
              flush=True)
    best = min(times)
    print("CPYTHON n=%d best %.3f s = %.0f klines/s" % (n, best, n / best))


if __name__ == "__main__":
    main()
