# A strategy written as if the static check had been bypassed (the harness runs it with the check off):
# it uses dunders, frames, closures and the real import freely, tries to see the future, move the
# engine's clock, write the account, and reach files, sockets, processes, threads, the host and other
# languages. Every attempt prints one line; then it trades honestly, so the result can be checked.
# The klines carry a marker only in the future: close 4242.5 (high 4243.5) at kline 3, whose open time
# is 1704078000000; the hunt runs at kline 1. The markers are kept negated, so that the hunt does not
# find its own list.
NEGATED_MARKERS = (-4242.5, -4243.5, -1704078000000)


def real_import(name):
    return __import__(name, {})  # a globals other than the strategy's: the runtime guard lets it through


def attempt(what, fn):
    try:
        r = fn()
        print(what + ": ok " + repr(r)[:60])
    except BaseException as e:
        print(what + ": refused " + type(e).__name__)


def neighbours(o):
    """Everything one step from o that Python lets a program reach."""
    out = []
    t = type(o)
    if t in (list, tuple, set, frozenset):
        out.extend(o)
    elif t is dict:
        out.extend(o.keys())
        out.extend(o.values())
    for name in ("__dict__", "__closure__", "__globals__", "__self__", "__func__", "__wrapped__",
                 "cell_contents", "f_back", "f_locals", "f_globals", "tb_frame", "tb_next", "gi_frame",
                 "__traceback__", "__context__", "__cause__", "__class__", "__mro__", "fget", "fset",
                 "__defaults__", "__kwdefaults__", "__module__"):
        try:
            out.append(object.__getattribute__(o, name))
        except BaseException:
            pass
    if "foreign" in t.__name__.lower() or "polyglot" in t.__name__.lower():
        try:
            n = len(o)
            out.extend(o[i] for i in range(min(n, 100000)))
        except BaseException:
            pass
    return out


def hunt(roots, limit=150000):
    """Breadth-first over reachable objects; returns the markers seen and how many objects were visited."""
    seen_ids = set()
    todo = list(roots)
    found = set()
    visited = 0
    while todo and visited < limit:
        o = todo.pop()
        if id(o) in seen_ids:
            continue
        seen_ids.add(id(o))
        visited += 1
        t = type(o)
        if t is float or t is int:
            if -o in NEGATED_MARKERS:
                found.add(o)
            continue
        if t is str or t is bytes or t is bool:
            continue
        todo.extend(neighbours(o))
    return found, visited


class Strategy(IStrategy):
    def run(self, context, kline, params):
        n = len(self.kline_cache)
        if n == 2:
            sys = real_import("sys")
            frames = []
            f = sys._getframe(0)
            while f is not None:
                frames.append(f)
                f = f.f_back
            roots = [self, context, kline, params, frames, self.kline_cache, type(context), type(self)]
            roots.extend(c for c in object.__subclasses__())
            try:
                roots.extend(real_import("gc").get_objects())
            except BaseException:
                pass
            roots.extend(sys.modules.values())
            found, visited = hunt(roots)
            print("future: %s (visited %s)" % (sorted(found) or "none", "many" if visited > 1000 else visited))

            # Everything in the closures behind context.buy, however deep.
            cells = []
            todo = [type(context).buy]
            while todo:
                fn = todo.pop()
                try:
                    closure = fn.__closure__ or ()
                except AttributeError:
                    continue
                for cell in closure:
                    v = cell.cell_contents
                    if all(v is not c for c in cells):
                        cells.append(v)
                        todo.append(v)
            foreign = [c for c in cells if "foreign" in type(c).__name__.lower() or "polyglot" in type(c).__name__.lower()]
            print("exchange reached: %s" % bool(foreign))
            for x in foreign:
                attempt("advance", lambda: x.advance())
                attempt("out-of-range buy", lambda: x.buy(kline.high * 2, 1))
            states = [c for c in cells if type(c) is dict and "balance_s" in c]
            for st in states:
                st["balance_s"] = "1000000000"
                st["balance"] = None
            print("forged balance read back: %s" % (context.balance == 1000000000))
            print("buy beyond the real balance: %s" % context.buy(kline.close, 1000, ""))

            attempt("file", lambda: real_import("io").open("/etc/passwd").read())
            attempt("listdir", lambda: real_import("os").listdir("/"))
            attempt("process", lambda: real_import("subprocess").run(["true"]))
            attempt("host class", lambda: real_import("java").type("java.lang.System"))
            attempt("other language", lambda: real_import("polyglot").eval(language="js", string="1"))
            # Honest trading: the result must be the ordinary one.
            context.buy(kline.close, 10, "")
        if n == 5:
            context.sell_all(kline.close, "")
