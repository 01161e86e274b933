"""Checks and runs one user strategy in a fresh GraalPy context (evaluated after strategy_api.py).

Layers of containment, outermost first: the worker process (limits, kill), the polyglot context (no
IO, no host classes, no threads), this file (static check of the user's code, restricted builtins,
an import allowlist), and the account in Java, which validates every order against the kline the
engine is on, so nothing done in Python can forge a fill.
"""

def _bootstrap(MAIN):
    """Everything the engine needs, kept in this closure rather than in __main__, where the user's
    code runs: the user's module can name nothing here. Builtins used below are bound locally because
    __main__ gets checked replacements for some of them."""
    import builtins as _builtins
    import sys as _sys
    import types as _types
    real_import = _builtins.__import__

    # ast, string and json are imported on first use: a run's context never needs ast and string
    # (the worker checks code in a context of its own), and json only for context.equity_curve, so
    # a fresh context is ready sooner.
    _lazy_modules = {}

    def _lazy(name):
        m = _lazy_modules.get(name)
        if m is None:
            real_import(name)
            m = _lazy_modules[name] = _sys.modules[name]
        return m
    getattr = _builtins.getattr
    setattr = _builtins.setattr
    delattr = _builtins.delattr
    compile = _builtins.compile
    builtins_type = _builtins.type
    # The strategy API, captured before the user's code can rebind these names in __main__.
    IStrategy = MAIN["IStrategy"]
    Kline = MAIN["Kline"]
    KlineCache = MAIN["KlineCache"]
    Order = MAIN["Order"]
    OrderType = MAIN["OrderType"]
    BacktestContext = MAIN["BacktestContext"]
    AccountDecimal = MAIN["AccountDecimal"]
    Decimal = MAIN["Decimal"]
    _iso = MAIN["_iso"]
    _date = MAIN["_date"]


    USER_FILE = "strategy.py"

    ALLOWED_MODULES = frozenset([
        "collections", "decimal", "datetime", "math", "statistics", "itertools", "functools",
        "heapq", "bisect", "random",
    ])

    FORBIDDEN_NAMES = {
        "open": "file access is not allowed",
        "eval": "eval is not allowed",
        "exec": "exec is not allowed",
        "compile": "compile is not allowed",
        "globals": "globals() is not allowed",
        "locals": "locals() is not allowed",
        "vars": "vars() is not allowed",
        "breakpoint": "breakpoint() is not allowed",
        "input": "input() is not allowed",
        "memoryview": "memoryview is not allowed",
        "help": "help() is not allowed",
        "exit": "exit() is not allowed",
        "quit": "quit() is not allowed",
        "copyright": "copyright() is not allowed",
        "credits": "credits() is not allowed",
        "license": "license() is not allowed",
    }

    # Attributes that lead from ordinary objects to frames, code, globals or the interpreter.
    _FORBIDDEN_ATTRS = frozenset([
        "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace",
        "format", "format_map",  # str.format can reach attributes by name ("{0.__globals__}")
        "mro",
    ])
    _FORBIDDEN_ATTR_PREFIXES = ("gi_", "cr_", "ag_", "tb_", "co_")
    _ALLOWED_DUNDERS = frozenset(["__init__", "__name__", "__doc__"])


    class Forbidden(Exception):
        def __init__(self, kind, message, line):
            Exception.__init__(self, message)
            self.kind = kind
            self.message = message
            self.line = line


    def _attr_forbidden(name):
        if name.startswith("__") and name.endswith("__"):
            return name not in _ALLOWED_DUNDERS
        return name in _FORBIDDEN_ATTRS or name.startswith(_FORBIDDEN_ATTR_PREFIXES)


    def _safe_format_string(node):
        # "{:.2f}".format(x) is fine; "{0.attr}" or "{0[key]}" reaches attributes by string.
        _ast = _lazy("ast")
        _string = _lazy("string")
        if not isinstance(node, _ast.Constant) or not isinstance(node.value, str):
            return False
        try:
            # A field name reaches attributes ("{0.x}") or items ("{0[k]}"); a format spec is plain
            # text (".2f") unless it nests another field ("{:{0.x}}").
            for _lit, field, spec, _conv in _string.Formatter().parse(node.value):
                if field and ("." in field or "[" in field or "{" in field) or spec and "{" in spec:
                    return False
        except ValueError:
            return False
        return True


    # The static check is an allowlist: every node type of Python's syntax tree a strategy may use is
    # listed here with why; anything else (an abstract base, a deprecated alias, async code, a node type
    # a later Python adds) is refused naming the construct and the line. Fields that carry names are
    # checked by the rules below: names a strategy uses or binds (_name_refusal), attributes looked up
    # by a name written in the source (_attr_forbidden: Attribute.attr, MatchClass.kwd_attrs, the
    # names of 'from M import ...'), and special methods a class may define (_ALLOWED_SPECIAL_METHODS).
    _ALLOWED_NODES = {
        # the file and its statements
        "Module": "the strategy file itself",
        "FunctionDef": "functions and methods (name: special methods only from the allowed list)",
        "ClassDef": "classes (name checked; keywords such as metaclass= are refused)",
        "Return": "return", "Delete": "del of names, items and attributes (targets checked)",
        "Assign": "assignment", "AugAssign": "x += 1", "AnnAssign": "annotated assignment",
        "For": "for loops", "While": "while loops", "If": "if", "With": "with (e.g. decimal.localcontext())",
        "Raise": "raise", "Try": "try/except/finally",
        "Assert": "assert", "Import": "import of an allowed module (checked)",
        "ImportFrom": "from an allowed module import public names (checked)",
        "Global": "global (names checked)", "Nonlocal": "nonlocal (names checked)",
        "Expr": "an expression used as a statement", "Pass": "pass", "Break": "break", "Continue": "continue",
        "Match": "match statements", "match_case": "a case of a match",
        # expressions
        "BoolOp": "and / or", "NamedExpr": "x := y", "BinOp": "arithmetic", "UnaryOp": "-x, not x, ~x",
        "Lambda": "lambda", "IfExp": "a if c else b", "Dict": "dict displays", "Set": "set displays",
        "ListComp": "list comprehensions", "SetComp": "set comprehensions", "DictComp": "dict comprehensions",
        "GeneratorExp": "generator expressions", "Yield": "generators", "YieldFrom": "generators",
        "Compare": "comparisons", "Call": "calls", "FormattedValue": "a field of an f-string",
        "JoinedStr": "f-strings", "Constant": "literals",
        "Attribute": "attribute access by a written name (name checked)",
        "Subscript": "indexing and slicing", "Starred": "*args and unpacking", "Name": "names (checked)",
        "List": "list displays", "Tuple": "tuple displays", "Slice": "a:b:c",
        # contexts and operators
        "Load": "reading a name", "Store": "binding a name", "Del": "deleting a name",
        "And": "and", "Or": "or", "Add": "+", "Sub": "-", "Mult": "*", "MatMult": "@", "Div": "/",
        "Mod": "%", "Pow": "**", "LShift": "<<", "RShift": ">>", "BitOr": "|", "BitXor": "^",
        "BitAnd": "&", "FloorDiv": "//", "Invert": "~", "Not": "not", "UAdd": "+x", "USub": "-x",
        "Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "Is": "is",
        "IsNot": "is not", "In": "in", "NotIn": "not in",
        # parts of the above
        "comprehension": "the for/if of a comprehension", "ExceptHandler": "except clauses (name checked)",
        "arguments": "a function's parameters", "arg": "one parameter (name checked)",
        "keyword": "a keyword argument (name checked)", "alias": "a name in an import (checked)",
        "withitem": "one item of a with",
        # match patterns
        "MatchValue": "case 1:", "MatchSingleton": "case None:", "MatchSequence": "case [a, b]:",
        "MatchMapping": "case {'k': v}: (rest name checked)",
        "MatchClass": "case C(x=...): (the attribute names are checked like attribute access)",
        "MatchStar": "case [a, *rest]: (name checked)", "MatchAs": "case x: / case p as x: (name checked)",
        "MatchOr": "case a | b:",
    }

    # Refused node types with the reason a strategy gets; anything in neither table is refused too.
    _REFUSED_NODES = {
        "AsyncFunctionDef": "async code is not allowed", "AsyncFor": "async code is not allowed",
        "AsyncWith": "async code is not allowed", "Await": "async code is not allowed",
        "Interactive": "not a node of a strategy file", "Expression": "not a node of a strategy file",
        "FunctionType": "not a node of a strategy file", "TypeIgnore": "not a node of a strategy file",
        "TryStar": "except* is not supported by GraalPy",
    }
    for _n in ("TypeAlias", "TypeVar", "ParamSpec", "TypeVarTuple", "type_param"):
        _REFUSED_NODES[_n] = "type parameter syntax (Python 3.12) is not supported"
    for _n in ("Num", "Str", "Bytes", "NameConstant", "Ellipsis", "Index", "ExtSlice", "Suite", "Param",
               "AugLoad", "AugStore"):
        _REFUSED_NODES[_n] = "a deprecated alias the parser never produces"
    for _n in ("mod", "stmt", "expr", "expr_context", "boolop", "operator", "unaryop", "cmpop",
               "excepthandler", "pattern", "type_ignore", "slice"):
        _REFUSED_NODES[_n] = "an abstract base class, never a node of a tree"

    # Special methods a strategy's own classes may define: each is called only by an operator or a
    # builtin on the strategy's own objects. Not listed (so refused): hooks into attribute lookup
    # (__getattr__, __getattribute__, __setattr__, __delattr__), descriptors (__get__, __set__,
    # __delete__, __set_name__), class creation (__new__, __init_subclass__, __class_getitem__,
    # __prepare__, __instancecheck__, __subclasscheck__), finalizers (__del__: code that would run
    # at a time of the garbage collector's choosing), pickling and formatting hooks.
    _ALLOWED_SPECIAL_METHODS = frozenset([
        "__init__", "__repr__", "__str__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
        "__hash__", "__bool__", "__len__", "__iter__", "__next__", "__contains__", "__getitem__",
        "__setitem__", "__delitem__", "__call__", "__enter__", "__exit__", "__float__", "__int__",
        "__index__", "__round__", "__neg__", "__pos__", "__abs__",
        "__add__", "__sub__", "__mul__", "__matmul__", "__truediv__", "__floordiv__", "__mod__", "__pow__",
        "__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__", "__rmod__", "__rpow__",
        "__iadd__", "__isub__", "__imul__", "__itruediv__",
    ])

    def node_policy():
        """[(name, allowed, why)] for every node type of the running Python's ast module (every
        subclass of ast.AST), so that a test can see each one is either allowed or refused."""
        _ast = _lazy("ast")
        found = {}
        todo = [_ast.AST]
        while todo:
            for sub in type.__subclasses__(todo.pop()):
                if sub.__module__ == "ast" and sub.__name__ not in found:
                    found[sub.__name__] = sub
                    todo.append(sub)
        out = []
        for name in sorted(found):
            if name in _ALLOWED_NODES and getattr(_ast, name, None) is found[name]:
                out.append((name, True, _ALLOWED_NODES[name]))
            else:
                out.append((name, False, _REFUSED_NODES.get(name, "not in the allowlist")))
        return out

    def _name_refusal(name):
        """Why a name the code uses or binds is refused, or None."""
        if name in FORBIDDEN_NAMES:
            return FORBIDDEN_NAMES[name]
        if name.startswith("__") and name not in _ALLOWED_DUNDERS:
            return "the name '%s' is not allowed" % name
        return None

    def _forbid(kind, message, line, after=""):
        raise Forbidden(kind, "%s (line %s)%s" % (message, line, after), line)

    def _check_name(name, line):
        if name is not None:
            why = _name_refusal(name)
            if why:
                _forbid("forbidden_code", why, line)

    def _check_attr(name, line):
        if _attr_forbidden(name):
            _forbid("forbidden_code", "access to the attribute '%s' is not allowed" % name, line)

    def _check_node(_ast, node, line):
        kind = type(node).__name__
        if kind not in _ALLOWED_NODES or getattr(_ast, kind, None) is not type(node):
            why = _REFUSED_NODES.get(kind)
            if why is None:
                why = "the construct '%s' is not allowed in a strategy" % kind
            _forbid("forbidden_code", why, line)
        if kind == "Name":
            _check_name(node.id, line)
        elif kind == "Attribute":
            if node.attr in ("format", "format_map") and _safe_format_string(node.value):
                return
            _check_attr(node.attr, line)
        elif kind == "FunctionDef":
            if node.name.startswith("__") and node.name.endswith("__"):
                if node.name not in _ALLOWED_SPECIAL_METHODS:
                    _forbid("forbidden_code", "defining the special method '%s' is not allowed" % node.name, line)
            else:
                _check_name(node.name, line)
        elif kind == "ClassDef":
            _check_name(node.name, line)
            if node.keywords:
                _forbid("forbidden_code", "class keywords such as '%s=' are not allowed"
                        % (node.keywords[0].arg or "**"), line)
        elif kind in ("arg", "keyword"):
            _check_name(node.arg, line)
        elif kind == "ExceptHandler" or kind == "MatchAs" or kind == "MatchStar":
            _check_name(node.name, line)
        elif kind == "MatchMapping":
            _check_name(node.rest, line)
        elif kind == "MatchClass":
            for attr in node.kwd_attrs:
                _check_attr(attr, line)
        elif kind == "Global" or kind == "Nonlocal":
            for n in node.names:
                _check_name(n, line)
        elif kind == "Import":
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root not in ALLOWED_MODULES or "._" in alias.name or alias.name.startswith("_"):
                    _forbid("forbidden_import", "import of module '%s' is not allowed" % alias.name, line,
                            "; allowed: " + ", ".join(sorted(ALLOWED_MODULES)))
                _check_name(alias.asname, line)
        elif kind == "ImportFrom":
            mod = node.module or ""
            if node.level or mod.split(".")[0] not in ALLOWED_MODULES or "._" in mod:
                _forbid("forbidden_import", "import from module '%s' is not allowed" % ("." * node.level + mod),
                        line, "; allowed: " + ", ".join(sorted(ALLOWED_MODULES)))
            for alias in node.names:
                if alias.name == "*":
                    _forbid("forbidden_code", "'from %s import *' is not allowed" % mod, line)
                if alias.name.startswith("_"):
                    _forbid("forbidden_code", "importing the private name '%s' from '%s' is not allowed"
                            % (alias.name, mod), line)
                _check_attr(alias.name, line)
                _check_name(alias.asname, line)

    def check_source(tree):
        """Refuse, with the line, anything the allowlist does not allow, before any user code runs."""
        _ast = _lazy("ast")
        # Walked by hand with the line of the nearest node that has one (operators and contexts have none).
        todo = [(tree, None)]
        while todo:
            node, line = todo.pop()
            line = getattr(node, "lineno", line)
            _check_node(_ast, node, line)
            # Children pushed in reverse: the first refusal reported is the first in the file.
            todo.extend(reversed([(child, line) for child in _ast.iter_child_nodes(node)]))


    def _checked_name(name):
        if not isinstance(name, str):
            raise TypeError("attribute name must be a string")
        if name.startswith("_") and name not in _ALLOWED_DUNDERS or _attr_forbidden(name):
            raise AttributeError("access to the attribute '%s' is not allowed" % name)
        return name


    _NO_DEFAULT = object()


    def _safe_getattr(obj, name, default=_NO_DEFAULT):
        _checked_name(name)
        if default is _NO_DEFAULT:
            return getattr(obj, name)
        return getattr(obj, name, default)


    def _safe_setattr(obj, name, value):
        setattr(obj, _checked_name(name), value)


    def _safe_delattr(obj, name):
        delattr(obj, _checked_name(name))

    def _safe_hasattr(obj, name):
        return _builtins.hasattr(obj, _checked_name(name))


    class _PublicModule:
        """A read-only view of an allowed module: its public names, no submodules."""

        def __init__(self, module):
            d = {}
            for k, v in module.__dict__.items():
                if not k.startswith("_") and not isinstance(v, _types.ModuleType):
                    d[k] = v
            object.__setattr__(self, "_names", d)
            object.__setattr__(self, "__name__", module.__name__)

        def __getattr__(self, name):
            try:
                return object.__getattribute__(self, "_names")[name]
            except KeyError:
                raise AttributeError("module '%s' has no attribute '%s'" % (self.__name__, name)) from None

        def __setattr__(self, name, value):
            raise AttributeError("modules are read-only in a strategy")

        def __delattr__(self, name):
            raise AttributeError("modules are read-only in a strategy")

        def __dir__(self):
            return sorted(object.__getattribute__(self, "_names"))


    _module_views = {}


    def _module_view(name):
        """The read-only view of an allowed module (imported on first use)."""
        root = name.split(".")[0]
        if root not in ALLOWED_MODULES or name.startswith("_") or "._" in name:
            raise ImportError("import of module '%s' is not allowed" % name)
        view = _module_views.get(name)
        if view is None:
            real_import(name)
            view = _module_views[name] = _PublicModule(_sys.modules[name])
            if pristine["fingerprints"] is not None:
                # Modules this import brought in, fingerprinted before the user's code can touch them.
                _fingerprint_new_modules()
        return view


    API_NAMES = ["IStrategy", "Kline", "KlineCache", "Order", "OrderType", "OrderSide", "PositionSide",
                 "BacktestContext", "calculate_sma", "calculate_ema", "calculate_rsi", "calculate_macd",
                 "deque", "Decimal", "datetime"]


    def _to_wire(x):
        """A price or amount as the engine takes it: a float, or the exact decimal string of an int/Decimal."""
        t = type(x)
        if t is float:
            return x
        if t is int:
            return str(x)
        if isinstance(x, Decimal):
            return Decimal.__str__(x)
        return None


    def _dec(s):
        return AccountDecimal(s)


    class OpenOrder(tuple):
        """A read-only view of a resting order: id, side, type, amount, price, stop, reduce_only, tag."""
        __slots__ = ()
        id = property(lambda self: self[0])
        side = property(lambda self: self[1])
        type = property(lambda self: self[2])
        amount = property(lambda self: self[3])
        price = property(lambda self: self[4])
        stop = property(lambda self: self[5])
        reduce_only = property(lambda self: self[6])
        tag = property(lambda self: self[7])

        def __repr__(self):
            return "OpenOrder(id=%r, side=%r, type=%r, amount=%r, price=%r, stop=%r, reduce_only=%r, tag=%r)" % tuple(self)

    def _optional_wire(x):
        """None stays None; anything else must be a number the engine takes (else False: refuse)."""
        if x is None:
            return None
        w = _to_wire(x)
        return False if w is None else w

    def make_context(exchange, initial_balance, fee_rate, futures, leverage):
        """A BacktestContext whose account is the Java exchange. The exchange lives only in closures."""
        # The account's values arrive as exact decimal strings with each fill; the Decimals a strategy
        # reads are made on first read (most klines read neither).
        state = {"balance": None, "position": None, "balance_s": initial_balance, "position_s": "0"}
        init = _dec(initial_balance)
        fee = _dec(fee_rate)
        lev = int(leverage)
        strategy_ref = [None]

        def _trade(line):
            # "timestamp;type;reason;price;amount;fee;slippage;balance;position"
            ts, kind, reason, price, amount, fee_paid, slip, bal, pos = line.split(";")
            state["balance"] = None
            state["balance_s"] = bal
            state["position"] = None
            state["position_s"] = pos
            trade = {"timestamp": _iso(int(ts)), "type": kind, "price": float(price),
                     "amount": float(amount), "balance": float(bal), "fee": float(fee_paid),
                     "reason": reason, "slippage": float(slip)}
            ctx.trades.append(trade)
            ctx.orders.append(Order(trade["timestamp"], kind, trade["price"], trade["amount"],
                                    trade["fee"]))
            s = strategy_ref[0]
            if s is not None:
                s.on_trade(dict(trade))
            return True

        def _reply(reply):
            if reply is None:
                return False
            if reply == "queued":
                return True
            return _trade(reply)

        def sync():
            """Learns what the engine did between klines (a resting order or bracket filled, funding, a
            liquidation): the account now, then each fill (on_trade). The engine calls it before the step
            of a kline where that happened, and only then. Returns None, or the exception the strategy let
            escape from on_trade (as the step does)."""
            try:
                lines = exchange.news().split("\n")
                bal, pos = lines[0].split(";")
                for line in lines[1:]:
                    _trade(line)
                state["balance"] = None
                state["balance_s"] = bal
                state["position"] = None
                state["position_s"] = pos
            except BaseException as e:
                return e
            return None

        def _order(place, price, amount):
            """An order to the exchange: False when a value cannot go to it or the exchange refuses it."""
            p = _optional_wire(price)
            a = _to_wire(amount)
            if p is False or a is None:
                return False
            return _reply(place(p, a))

        def _account_value(key):
            def read(self):
                v = state[key]
                if v is None:
                    v = state[key] = _dec(state[key + "_s"])
                return v
            return read

        def _opt_dec(s):
            return None if s is None or s == "" else _dec(s)

        class EngineContext(BacktestContext):
            __slots__ = ("trades", "orders")

            def __init__(self):
                self.trades = []
                self.orders = []

            balance = property(_account_value("balance"), doc="cash in the quote asset (futures: the wallet)")
            position = property(_account_value("position"), doc="holding in the base asset (negative: short)")
            initial_balance = property(lambda self: init)
            fee_rate = property(lambda self: fee)
            leverage = property(lambda self: lev)
            margin_used = property(lambda self: _dec(exchange.marginUsed()))
            liquidation_price = property(lambda self: _opt_dec(exchange.liquidationPrice()))
            funding_paid = property(lambda self: _dec(exchange.fundingPaid()))
            stop_loss = property(lambda self: _opt_dec(exchange.brackets().split(";")[0]))
            take_profit = property(lambda self: _opt_dec(exchange.brackets().split(";")[1]))
            trailing_stop = property(lambda self: _opt_dec(exchange.brackets().split(";")[2]))

            @property
            def open_orders(self):
                views = []
                for o in exchange.openOrders():
                    views.append(OpenOrder((int(o[0]), o[1], o[2], _dec(o[3]), _opt_dec(o[4]), _opt_dec(o[5]),
                                            o[6] == "1", o[7])))
                return tuple(views)

            @property
            def max_drawdown(self):
                return _dec(exchange.maxDrawdown())

            @property
            def equity_curve(self):
                return _lazy("json").loads(exchange.equityCurveJson())

            def buy(self, price, amount, timestamp=None):
                return _order(exchange.buy, price, amount)

            def sell(self, price, amount, timestamp=None):
                return _order(exchange.sell, price, amount)

            def sell_all(self, price, timestamp=None):
                p = _optional_wire(price)
                if p is False:
                    return False
                return _reply(exchange.sellAll(p))

            def close_position(self, price=None, timestamp=None):
                p = _optional_wire(price)
                if p is False:
                    return False
                return _reply(exchange.closePosition(p))

            def order(self, side, amount, type, price=None, stop=None, reduce_only=False,
                      expire_after=None, tag=None):
                a = _to_wire(amount)
                p = _optional_wire(price)
                st = _optional_wire(stop)
                if (not isinstance(side, str) or not isinstance(type, str) or a is None or p is False
                        or st is False or reduce_only is not True and reduce_only is not False):
                    return None
                if expire_after is not None and (builtins_type(expire_after) is not int or expire_after < 1
                                                 or expire_after > 2 ** 31 - 1):
                    return None
                if tag is not None and (builtins_type(tag) is not str or len(tag) > 64):
                    return None
                oid = exchange.order(side, a, type, p, st, reduce_only, 0 if expire_after is None else expire_after,
                                     tag)
                return None if oid < 0 else oid

            def cancel(self, order_id):
                if builtins_type(order_id) is not int or order_id < 1 or order_id > 2 ** 62:
                    return False
                return exchange.cancel(order_id)

            def set_stop_loss(self, price=None, pct=None):
                p = _optional_wire(price)
                q = _optional_wire(pct)
                return False if p is False or q is False else exchange.setStopLoss(p, q)

            def set_take_profit(self, price=None, pct=None):
                p = _optional_wire(price)
                q = _optional_wire(pct)
                return False if p is False or q is False else exchange.setTakeProfit(p, q)

            def set_trailing_stop(self, pct=None, distance=None):
                q = _optional_wire(pct)
                d = _optional_wire(distance)
                return False if q is False or d is False else exchange.setTrailingStop(q, d)

            def unrealized_pnl(self, price):
                p = _to_wire(price)
                return None if p is None else _dec(exchange.unrealizedPnl(p))

            def get_position_value(self, price):
                return self.position * Decimal(repr(float(price)))

            def get_equity(self, price):
                if futures:
                    return _dec(exchange.equityAt(repr(float(price))))
                return self.balance + self.position * Decimal(repr(float(price)))

            def get_avg_position_price(self):
                return float(exchange.avgPrice())

            def get_drawdown(self, current_price):
                return _dec(exchange.drawdownAt(float(current_price)))

        def _read_only(name):
            def fail(self, value):
                raise AttributeError("context.%s is read-only: the engine keeps the account" % name)
            return fail

        for _n in ("balance", "position", "initial_balance", "fee_rate", "max_drawdown", "equity_curve",
                   "leverage", "margin_used", "liquidation_price", "funding_paid", "stop_loss", "take_profit",
                   "trailing_stop", "open_orders"):
            _p = getattr(EngineContext, _n)
            setattr(EngineContext, _n, property(_p.fget, _read_only(_n), None, _p.__doc__))

        EngineContext.__name__ = "BacktestContext"
        EngineContext.__qualname__ = "BacktestContext"
        ctx = EngineContext()
        return ctx, strategy_ref, sync


    def _user_frames(tb):
        """(line, function) of each traceback entry in the user's file, outermost first.

        Walks the traceback itself: traceback.extract_tb would look for the source on disk (linecache),
        which is slow and pointless here.
        """
        frames = []
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename == USER_FILE:
                frames.append((tb.tb_lineno, code.co_name))
            tb = tb.tb_next
        return frames


    def _line_of_user(tb):
        frames = _user_frames(tb)
        return frames[-1][0] if frames else None


    def _user_traceback(exc, source_lines):
        frames = _user_frames(exc.__traceback__)
        if len(frames) > 12:
            frames = frames[:5] + [None] + frames[-6:]
        out = ["Traceback (most recent call last):"]
        for fs in frames:
            if fs is None:
                out.append("  ...")
                continue
            lineno, name = fs
            out.append('  File "%s", line %d, in %s' % (USER_FILE, lineno, name))
            if 0 < lineno <= len(source_lines):
                out.append("    " + source_lines[lineno - 1].strip())
        out.append("%s: %s" % (type(exc).__name__, _safe_str(exc)))
        return "\n".join(out)


    def _safe_str(exc):
        try:
            s = str(exc)
        except BaseException:
            s = "<unprintable>"
        return s[:2000]


    def _explain_none(exc, tree, source_lines):
        """For 'NoneType' TypeErrors, say which variable is None and which call produced it."""
        _ast = _lazy("ast")
        tb = exc.__traceback__
        frame = None
        lineno = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == USER_FILE:
                frame = tb.tb_frame
                lineno = tb.tb_lineno
            tb = tb.tb_next
        if frame is None:
            return None
        local_vars = frame.f_locals
        none_names = []
        stmt_nodes = [n for n in _ast.walk(tree) if isinstance(n, _ast.stmt) and getattr(n, "lineno", 0) == lineno]
        for st in stmt_nodes:
            for n in _ast.walk(st):
                if isinstance(n, _ast.Name) and n.id in local_vars and local_vars[n.id] is None \
                        and n.id not in none_names:
                    none_names.append(n.id)
        if not none_names:
            return "a value on line %d is None" % lineno
        # Find where each None variable was assigned in the same function.
        func = None
        for n in _ast.walk(tree):
            if isinstance(n, _ast.FunctionDef) and n.name == frame.f_code.co_name \
                    and n.lineno <= lineno <= getattr(n, "end_lineno", lineno):
                func = n
        parts = []
        for name in none_names:
            origin = None
            if func is not None:
                for n in _ast.walk(func):
                    if isinstance(n, _ast.Assign) and n.lineno < lineno and isinstance(n.value, _ast.Call) \
                            and any(isinstance(t, _ast.Name) and t.id == name for t in n.targets):
                        origin = n
            if origin is not None:
                call = _ast.unparse(origin.value)
                hint = ""
                fn = origin.value.func
                if isinstance(fn, _ast.Name) and fn.id.startswith("calculate_"):
                    hint = " (%s returns None when the data is shorter than the period it needs)" % fn.id
                parts.append("%s is None: %s on line %d returned None%s" % (name, call, origin.lineno, hint))
            else:
                parts.append("%s is None" % name)
        return "; ".join(parts)


    def _error(kind, message, line, tb_text=None):
        # A tuple, not a dict: Java reads it by index. (ok, type, message, line, traceback)
        return (False, kind, message, line, tb_text)


    def _exception_error(exc, source_lines):
        line = _line_of_user(exc.__traceback__)
        name = type(exc).__name__
        msg = "%s: %s" % (name, _safe_str(exc))
        if isinstance(exc, TypeError) and "NoneType" in msg:
            try:
                why = _explain_none(exc, _tree(), source_lines)
            except Exception:
                why = None
            if why:
                msg = msg + " — " + why
        if line is not None:
            msg = msg + " (line %d)" % line
        kind = "memory_limit" if isinstance(exc, MemoryError) else "runtime_error"
        if isinstance(exc, ImportError) and "is not allowed" in str(exc):
            kind = "forbidden_import"
        return _error(kind, msg, line, _user_traceback(exc, source_lines))


    state = {}

    def _not_allowed(what):
        def refuse(*args, **kwargs):
            raise NameError("%s is not allowed in a strategy" % what)
        return refuse

    def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        # Imports written in the user's module (its globals are __main__) get read-only views of
        # allowed modules; the standard library's own imports go through untouched.
        if globals is not MAIN:
            return real_import(name, globals, locals, fromlist, level)
        if level:
            raise ImportError("relative imports are not allowed")
        view = _module_view(name)
        return view if fromlist else _module_view(name.split(".")[0])

    def _parse(code):
        return compile(code, USER_FILE, "exec", _lazy("ast").PyCF_ONLY_AST)

    def _tree():
        """The user's syntax tree, parsed again when an error message needs it (errors only)."""
        tree = state.get("tree")
        if tree is None:
            tree = state["tree"] = _parse(state.get("code", ""))
        return tree

    def check(code):
        """Parse and check the user's code. Returns None or an error. The worker calls this in a
        context of its own, where no user code ever runs; the run's context gets arm()."""
        try:
            tree = _parse(code)
        except SyntaxError as e:
            line = e.lineno
            return _error("syntax_error", "SyntaxError: %s (line %s)" % (e.msg, line), line,
                          None if line is None else 'File "%s", line %d\n    %s' % (
                              USER_FILE, line, (e.text or "").strip()))
        except (ValueError, MemoryError, RecursionError) as e:
            return _error("syntax_error", "the code cannot be parsed: %s" % (e,), None)
        try:
            check_source(tree)
        except Forbidden as f:
            return _error(f.kind, f.message, f.line)
        except RecursionError:
            return _error("syntax_error", "the code is nested too deeply to check", None)
        return None

    # ---- Job reuse: one context for the runs of one job (same client, same code) ----------------------
    # seal() records the context as it is before any user code runs: __main__'s names (restored before
    # each later run, so each run executes the user's module anew) and, when the worker may keep the
    # context, a fingerprint of everything shared a run could change: the strategy API's classes and
    # functions, the runner's own classes a strategy can reach (OpenOrder, the module views), the
    # builtins and the allowed modules. reset() proves nothing of it changed before the context is used
    # again; anything changed and the worker throws the context away.
    pristine = {"main": None, "fingerprints": None, "decimal": None}
    _decimal_module = _sys.modules["decimal"]
    _ModuleType = _types.ModuleType
    _FunctionType = _types.FunctionType
    _MethodType = _types.MethodType
    # Values compared by equality; everything else by identity.
    _VALUES = frozenset([int, float, str, bytes, bool, complex, builtins_type(None)])

    _HEAP_TYPE = 1 << 9
    _NO_DICT = set()

    def _allowed_module_name(name):
        return name.split(".")[0] in ALLOWED_MODULES

    def _walk(root, limit=None):
        """Everything reachable from root that a strategy could change, as a flat list of objects in a
        fixed order: the objects themselves (kept alive, so an identity cannot be reused) and the names
        they are bound to. The walk follows what a strategy can name: attributes that are not special
        names (the static check refuses those: __globals__, __closure__, __dict__, __builtins__, ...),
        items of containers, and the getters of properties. A value bound to a special name is recorded
        (replacing it is a change) but not entered. Modules met on the way are leaves (each allowed
        module is a root of its own); so are built-in types, which cannot be changed. With a limit, the
        walk stops after that many entries (more than the pristine walk had: changed)."""
        out = []
        seen = {}
        todo = [root]
        pop = todo.pop
        push = todo.append
        add = out.append
        while todo:
            if limit is not None and len(out) > limit:
                break
            o = pop()
            t = builtins_type(o)
            if t is tuple:
                # By content: an attribute such as __bases__ may be a new tuple at every read.
                add(len(o))
                for v in o:
                    push(v)
                continue
            add(o)
            if t in _VALUES or id(o) in seen:
                continue
            seen[id(o)] = o
            if t is dict:
                for k, v in list(o.items()):
                    add(k)
                    if builtins_type(k) is str and k[:2] == "__" and k[-2:] == "__":
                        add(v)
                    else:
                        push(v)
            elif t is list or t is set or t is frozenset:
                for v in list(o):
                    push(v)
            elif t is _FunctionType:
                # Its attributes a strategy can set (f.x = 1); code and defaults only by identity.
                add(o.__code__)
                for v in o.__defaults__ or ():
                    add(v)
                for k, v in (o.__kwdefaults__ or {}).items():  # a new dict at every read in GraalPy
                    add(k)
                    add(v)
                push(o.__dict__)
            elif t is _MethodType:
                add(o.__func__)
                add(o.__self__)
            elif t is property:
                push(o.fget)
                push(o.fset)
                push(o.fdel)
            elif t is staticmethod or t is classmethod:
                add(o.__func__)
            elif t is _ModuleType:
                if o is root:
                    push(o.__dict__)
            elif isinstance(o, type):
                # Built-in (non-heap) types cannot be changed: leaves.
                if o.__flags__ & _HEAP_TYPE:
                    for k, v in list(o.__dict__.items()):
                        add(k)
                        if k[:2] == "__" and k[-2:] == "__":
                            add(v)
                        else:
                            push(v)
                    for b in o.__bases__:
                        add(b)
            elif t not in _NO_DICT:
                try:
                    d = object.__getattribute__(o, "__dict__")
                except (AttributeError, TypeError):
                    # Instances of this type have no attributes of their own (code, builtin functions, ...).
                    if not t.__flags__ & _HEAP_TYPE:
                        _NO_DICT.add(t)
                    d = None
                if builtins_type(d) is dict:
                    push(d)
        return out

    def _difference(a, b):
        """None when the walks a (pristine) and b (now) are the same, else where they first differ."""
        for i, (x, y) in enumerate(zip(a, b)):
            if x is not y:
                t = builtins_type(x)
                if t is not builtins_type(y) or t not in _VALUES or x != y:
                    name = next((a[j] for j in range(i - 1, -1, -1) if builtins_type(a[j]) is str), "?")
                    return "%s (near '%s')" % (builtins_type(y).__name__, name)
        if len(a) != len(b):
            return "%d entries instead of %d" % (len(b), len(a))
        return None

    def _decimal_settings(c):
        return (c.prec, c.rounding, c.Emin, c.Emax, c.capitals, c.clamp, tuple(c.traps.items()))

    # The runner's objects a strategy can reach: the classes of open orders and module views (type(x)). (The
    # views themselves are read-only, and new ones appear as a job imports modules; their modules are roots.)
    _runner_objects = [OpenOrder, _PublicModule]

    def _roots():
        roots = [("__main__", pristine["main"]), ("builtins", _builtins), ("runner", _runner_objects)]
        for name in sorted(_sys.modules):
            if _allowed_module_name(name):
                roots.append((name, _sys.modules[name]))
        return roots

    def _fingerprint_new_modules():
        fps = pristine["fingerprints"]
        for name, root in _roots():
            if name not in fps:
                fps[name] = _walk(root)

    def seal(fingerprint):
        """Called by the engine before any user code runs in this context (a second time, with the
        fingerprint, when a context built without it is to be kept)."""
        _builtins.__import__ = _guarded_import
        pristine["main"] = dict(MAIN)
        if fingerprint:
            pristine["fingerprints"] = {}
            pristine["decimal"] = _decimal_settings(_decimal_module.Context())
            _fingerprint_new_modules()

    def reset():
        """Before another run of the same job in this context: None when nothing shared changed (and
        __main__ is back to its state before any user code), else what changed."""
        fps = pristine["fingerprints"]
        if fps is None:
            return "the context was not sealed for reuse"
        if _decimal_settings(_decimal_module.getcontext()) != pristine["decimal"]:
            return "decimal.getcontext() was changed"
        if _builtins.__import__ is not _guarded_import:
            return "builtins.__import__ was changed"
        for name, root in _roots():
            before = fps.get(name)
            if before is None:
                return "the module %s was imported outside the strategy's imports" % name
            where = _difference(before, _walk(root, len(before)))
            if where is not None:
                return "%s was changed: %s" % (name, where)
        MAIN.clear()
        MAIN.update(pristine["main"])
        # A new thread context, as a fresh interpreter's first getcontext() makes (flags clear).
        _decimal_module.setcontext(_decimal_module.Context())
        state.clear()
        return None

    def arm(code):
        """Prepare this context's __main__ for the user's (checked) code, before it is evaluated."""
        state["code"] = code
        state["lines"] = code.splitlines()
        state.pop("tree", None)
        # Globals shadow builtins: the user's code finds the checked versions first.
        MAIN["getattr"] = _safe_getattr
        MAIN["setattr"] = _safe_setattr
        MAIN["delattr"] = _safe_delattr
        MAIN["hasattr"] = _safe_hasattr
        for n in FORBIDDEN_NAMES:
            MAIN[n] = _not_allowed(n)
        _builtins.__import__ = _guarded_import

    def describe(exc, engine_message):
        """The error for an exception that ended the user's module body or a step (reported by Java,
        with the message the engine saw).

        Never fails itself: an object that is not a Python exception (an error of the polyglot engine
        or of the host that crossed into Python) or an exception whose own str() or traceback breaks
        still gives an error."""
        if not isinstance(exc, BaseException):
            return _error("runtime_error", "the strategy ended with an error from outside Python: %s"
                          % (engine_message or _safe_str(exc))[:2000], None)
        try:
            return _exception_error(exc, state.get("lines", []))
        except BaseException:
            return _error("runtime_error", "%s: %s" % (type(exc).__name__, _safe_str(exc)), None)

    def start(exchange, params, initial_balance, fee_rate, make_step, futures=False, leverage=1, inputs=False,
              symbol=None, series=None):
        """Instantiate Strategy and make its per-kline step (from step.py, evaluated by the engine).

        Returns (True, step, sync, append) or an error. The engine then calls step once per kline; an
        exception escaping it reaches the engine, which asks describe() for the error. inputs: the run
        has derivatives data (the step takes it); series: "SYMBOL interval,..." of the other series, in the
        order append(j, kline values...) numbers them: the engine appends each of their klines once it
        has closed, before the step of the kline it closed with.
        """
        cls = MAIN.get("Strategy")
        if not isinstance(cls, type):
            return _error("missing_strategy", "the code defines no class named Strategy "
                          "(write: class Strategy(IStrategy): ... def run(self, context, kline, params))", None)
        if not issubclass(cls, IStrategy):
            line = None
            for node in _tree().body:
                if isinstance(node, _lazy("ast").ClassDef) and node.name == "Strategy":
                    line = node.lineno
            return _error("missing_strategy", "class Strategy must inherit from IStrategy (line %s)" % line, line)
        ctx, strategy_ref, sync = make_context(exchange, initial_balance, fee_rate, futures, leverage)
        wnd = params.get("klineWndSize", 50) if isinstance(params, dict) else 50
        try:
            strategy = cls()
            try:
                strategy.initialize(int(wnd))
            except TypeError:
                strategy.kline_cache = KlineCache(int(wnd))
            strategy_ref[0] = strategy
        except BaseException as e:
            return _exception_error(e, state.get("lines", []))
        caches = []
        if series:
            named = {}
            for name in str(series).split(","):
                sym, interval = name.split(" ")
                cache = KlineCache(int(wnd))
                named[(sym, interval)] = cache
                caches.append(cache)
            strategy._candlebox_series = named
            strategy._candlebox_symbol = None if symbol is None else str(symbol)

        def append(j, ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq):
            caches[j].append(Kline(ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq))
        return (True, make_step(strategy, ctx, params, Kline, _date, bool(inputs)), sync, append)

    return (check, describe, start, arm, node_policy, seal, reset)


__candlebox__ = _bootstrap(globals())
del _bootstrap
