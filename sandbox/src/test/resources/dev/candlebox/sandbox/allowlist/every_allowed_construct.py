# Every node type the static check allows, in one strategy that runs (StaticCheckAllowlistTest).
import math
import decimal as dec
from collections import namedtuple, OrderedDict as OD
from functools import reduce

Point = namedtuple("Point", "x y")
counter = 0


class Box:
    """A class with the special methods a strategy may define."""

    def __init__(self, v):
        self.v = v

    def __eq__(self, o):
        return isinstance(o, Box) and self.v == o.v

    def __hash__(self):
        return hash(self.v)

    def __repr__(self):
        return "Box(%r)" % (self.v,)

    def __add__(self, o):
        return Box(self.v + o.v)

    def __matmul__(self, o):
        return self.v * o.v

    def __len__(self):
        return 1

    def __getitem__(self, i):
        return self.v

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def gen(n):
    for i in range(n):
        yield i


def gen2(n):
    yield from gen(n)


def outer():
    total = 0

    def inner():
        nonlocal total
        total += 1
        return total
    inner()
    return total


class Strategy(IStrategy):
    def run(self, context, kline, params):
        global counter
        counter += 1
        x: float = kline.close
        a, *rest = [1, 2, 3]
        b = (a + 2 - 1) * 3 / 2 // 1 % 5 ** 2
        c = (7 << 1) >> 1 | 1 ^ 2 & 3
        d = ~c, -b, +b, not a
        e = a < 2 <= 3 > 0 >= 0 == 0 != 1 and a is not None or a is None
        f = 1 in [1] and 2 not in {3} and {"k": 1}["k"] == 1
        g = [i for i in range(3) if i], {i for i in range(3)}, {i: i for i in range(3)}, sum(i for i in range(3))
        h = (lambda y=1: y)() if a else 0
        if (n := len(g)) > 1:
            pass
        s = "%.2f %s" % (x, f"{x:.1f} {a!r}") + "{:.2f}".format(x)
        lst = [1, 2, 3, 4]
        sl = lst[1:3], lst[::2], lst[0]
        del lst[0]
        try:
            raise ValueError("v")
        except ValueError as err:
            msg = str(err)
        finally:
            pass
        assert b >= 0, "b"
        for i in gen2(2):
            if i:
                continue
            else:
                pass
        while False:
            break
        with Box(1) as bx, dec.localcontext() as ctx:
            ctx.prec = 10
        match kline:
            case Kline(close=cl) if cl > 0:
                m = 1
            case None:
                m = 2
            case [p, *others]:
                m = 3
            case {"k": v, **restd}:
                m = 4
            case 1 | 2:
                m = 5
            case other:
                m = 6
        pt = Point(1, 2)
        od = OD(a=1)
        r = reduce(lambda u, w: u + w, [1, 2, 3])
        bb = Box(1) + Box(2)
        mm = Box(2) @ Box(3)
        if counter == 1:
            print(m, mm, bb, len(bb), bb[0], outer(), r, pt.x, math.floor(2.5), s, msg, sl, n, *rest, h, d[0], e, f, od["a"], x)
