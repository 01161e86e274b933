package dev.candlebox.sandbox.worker;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.RunError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.candlebox.sandbox.Outcomes.failed;
import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.strategy;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code a hostile or careless user might submit, and what must happen to it. Each case asserts the
 * concrete outcome: the error type, the line, and that nothing reached the account.
 */
class AdversarialTest {

    /** A case that must fail with an error of the given type on the given line (null: any line). */
    record Refused(String name, String code, String type, Integer line, String messagePart) { }

    static final List<Refused> REFUSED = List.of(
            // Files, processes, network, threads, the host, other languages.
            new Refused("open() a file", strategy("open('/etc/passwd').read()"), RunError.FORBIDDEN_CODE, 3, "file access"),
            new Refused("import os", "import os\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'os'"),
            new Refused("import sys", "import sys\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'sys'"),
            new Refused("import subprocess inside run", strategy("x = 1\nimport subprocess"), RunError.FORBIDDEN_IMPORT, 4, "'subprocess'"),
            new Refused("import socket", "import socket\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'socket'"),
            new Refused("from urllib import request", "from urllib import request\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'urllib'"),
            new Refused("import requests", "import requests\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'requests'"),
            new Refused("import threading", "import threading\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'threading'"),
            new Refused("import java", "import java\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'java'"),
            new Refused("import polyglot", "import polyglot\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'polyglot'"),
            new Refused("import importlib", "import importlib\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, "'importlib'"),
            new Refused("relative import", "from . import x\n" + strategy("pass"), RunError.FORBIDDEN_IMPORT, 1, null),
            new Refused("__import__('os')", strategy("__import__('os')"), RunError.FORBIDDEN_CODE, 3, "__import__"),
            new Refused("eval", strategy("eval('1+1')"), RunError.FORBIDDEN_CODE, 3, "eval"),
            new Refused("exec", strategy("exec('x = 1')"), RunError.FORBIDDEN_CODE, 3, "exec"),
            new Refused("compile", strategy("compile('1', 'f', 'eval')"), RunError.FORBIDDEN_CODE, 3, "compile"),
            new Refused("globals()", strategy("g = globals()"), RunError.FORBIDDEN_CODE, 3, "globals"),
            new Refused("vars(context)", strategy("v = vars(context)"), RunError.FORBIDDEN_CODE, 3, "vars"),
            new Refused("private name from an allowed module", "from collections import _sys\n" + strategy("pass"), RunError.FORBIDDEN_CODE, 1, "_sys"),
            // Introspection escapes.
            new Refused("__subclasses__", strategy("x = ().__class__.__bases__[0].__subclasses__()"), RunError.FORBIDDEN_CODE, 3, "is not allowed"),
            new Refused("object.__subclasses__", strategy("x = object.__subclasses__()"), RunError.FORBIDDEN_CODE, 3, "__subclasses__"),
            new Refused("function __globals__", strategy("x = calculate_sma.__globals__"), RunError.FORBIDDEN_CODE, 3, "__globals__"),
            new Refused("bound method __func__", strategy("x = context.buy.__func__"), RunError.FORBIDDEN_CODE, 3, "__func__"),
            new Refused("code object", strategy("x = self.run.__code__"), RunError.FORBIDDEN_CODE, 3, "__code__"),
            new Refused("generator frame", strategy("g = (i for i in range(3))\nf = g.gi_frame"), RunError.FORBIDDEN_CODE, 4, "gi_frame"),
            new Refused("traceback frame", strategy("try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__"), RunError.FORBIDDEN_CODE, 6, "__traceback__"),
            new Refused("frame f_back / f_globals", strategy("def f(fr):\n    return fr.f_back.f_globals"), RunError.FORBIDDEN_CODE, 4, "f_"),
            new Refused("str.format reaching attributes", strategy("s = '{0.__globals__}'.format(calculate_sma)"), RunError.FORBIDDEN_CODE, 3, "format"),
            new Refused("str.format on a computed string", strategy("s = ('{0.' + '__class__}').format(1)"), RunError.FORBIDDEN_CODE, 3, "format"),
            new Refused("mro()", strategy("x = type.mro(type)"), RunError.FORBIDDEN_CODE, 3, "mro"),
            new Refused("object.__getattribute__", strategy("x = object.__getattribute__(context, 'buy')"), RunError.FORBIDDEN_CODE, 3, "__getattribute__"),
            new Refused("__builtins__", strategy("b = __builtins__"), RunError.FORBIDDEN_CODE, 3, "__builtins__"),
            new Refused("async code", "async def f():\n    pass\n" + strategy("pass"), RunError.FORBIDDEN_CODE, 1, "async"),
            // Dynamic attribute access is checked at run time.
            new Refused("getattr with a computed dunder", strategy("x = getattr(calculate_sma, '__glo' + 'bals__')"), RunError.RUNTIME_ERROR, 3, "not allowed"),
            new Refused("getattr gi_frame", strategy("g = (i for i in range(3))\nx = getattr(g, 'gi_' + 'frame')"), RunError.RUNTIME_ERROR, 4, "not allowed"),
            new Refused("a module's private attribute", "import collections\n" + strategy("x = collections._sys"), RunError.RUNTIME_ERROR, 4, "_sys"),
            new Refused("a module reached through an allowed module", "import statistics\n" + strategy("x = statistics.sys"), RunError.RUNTIME_ERROR, 4, "sys"),
            new Refused("allowed modules are read-only", "import math\n" + strategy("math.pi = 3"), RunError.RUNTIME_ERROR, 4, "read-only"),
            // Forged account state.
            new Refused("assigning context.balance", strategy("context.balance = Decimal('1e12')"), RunError.RUNTIME_ERROR, 3, "read-only"),
            new Refused("setattr on context.position", strategy("setattr(context, 'position', 5)"), RunError.RUNTIME_ERROR, 3, "read-only"),
            // Errors a user can act on.
            new Refused("syntax error", "class Strategy(IStrategy):\n    def run(self, context, kline, params)\n        pass\n", RunError.SYNTAX_ERROR, 2, "SyntaxError"),
            new Refused("no Strategy class", "class MyStrategy(IStrategy):\n    pass\n", RunError.MISSING_STRATEGY, null, "Strategy"),
            new Refused("Strategy not an IStrategy", "class Strategy:\n    def run(self, c, k, p):\n        pass\n", RunError.MISSING_STRATEGY, 1, "IStrategy"),
            new Refused("exception at import time", "x = 1\ny = x / 0\n" + strategy("pass"), RunError.RUNTIME_ERROR, 2, "ZeroDivisionError"),
            new Refused("raise SystemExit", strategy("raise SystemExit(0)"), RunError.RUNTIME_ERROR, 3, "SystemExit"),
            new Refused("raise KeyboardInterrupt", strategy("raise KeyboardInterrupt()"), RunError.RUNTIME_ERROR, 3, "KeyboardInterrupt"),
            new Refused("exception in on_day_end", """
                    class Strategy(IStrategy):
                        def run(self, context, kline, params):
                            pass
                        def on_day_end(self, date, context):
                            raise ValueError('bad day ' + date)
                    """, RunError.RUNTIME_ERROR, 5, "bad day 2024-01-01")
    );

    private static final List<RunHandle> SUBMITTED = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> refusedCode() {
        var k = Klines.hourly(1, 100, 101, 102);
        // Submit all first: both workers get busy, the cases then read their outcomes in order.
        List<RunHandle> handles = REFUSED.stream().map(c -> TestPool.pool().submit(TestPool.request(c.code(), k, java.util.Map.of()), null)).toList();
        SUBMITTED.addAll(handles);
        return java.util.stream.IntStream.range(0, REFUSED.size()).mapToObj(i -> {
            Refused c = REFUSED.get(i);
            return DynamicTest.dynamicTest(c.name(), () -> {
                RunOutcome o = handles.get(i).outcome().get(300, TimeUnit.SECONDS);
                RunError e = failed(o, c.type());
                if (c.line() != null) assertEquals(c.line(), e.line(), () -> "line of " + e);
                if (c.messagePart() != null) {
                    assertTrue(e.message().contains(c.messagePart()), () -> "message '" + e.message() + "' lacks '" + c.messagePart() + "'");
                }
            });
        });
    }

    // ---- Orders the engine must refuse, whatever the strategy passes ----

    @Test
    void unboundedRecursionIsStoppedAndThePoolServesTheNextRun() {
        // GraalPy ends recursion when the run thread's stack (64 MiB) overflows: a RecursionError at line 4.
        var k = Klines.hourly(1, 100, 101, 102);
        RunOutcome o = TestPool.run(TestPool.pool(), TestPool.request(strategy("def f(n):\n    return f(n + 1)\nf(0)"), k, java.util.Map.of()), null);
        RunError e = failed(o, RunError.RUNTIME_ERROR);
        assertEquals(4, e.line(), () -> "line of " + e);
        assertTrue(e.message().startsWith("RecursionError: maximum recursion depth exceeded"), e.message());
        assertTrue(e.traceback().contains("line 4, in f"), e.traceback());
    }

    @Test
    void ordersWithNaNInfiniteNegativeZeroOrOddTypesAreRefusedAndChangeNothing() {
        var k = Klines.hourly(1, 100, 101, 102);
        String code = strategy("""
                if len(self.kline_cache) == 2:
                    p = kline.close
                    tries = [
                        context.buy(float('nan'), 1, ''), context.buy(p, float('nan'), ''),
                        context.buy(float('inf'), 1, ''), context.buy(p, float('inf'), ''),
                        context.buy(-p, 1, ''), context.buy(p, -1, ''), context.buy(p, 0, ''), context.buy(p, 0.0, ''),
                        context.buy(p, True, ''), context.buy(p, '1', ''), context.buy(p, None, ''), context.buy(str(p), 1, ''),
                        context.buy(p, Decimal('NaN'), ''), context.buy(p, Decimal('Infinity'), ''), context.buy(p, Decimal('1E-999999'), ''),
                        context.buy(p, 10 ** 60, ''), context.buy(p, [1], ''),
                        context.sell(p, 1, ''), context.sell_all(p, ''), context.sell(p, -1, ''),
                    ]
                    print(tries.count(False), len(tries), context.balance, context.position, len(context.trades))
                """);
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertEquals("20 20 10000 0 0\n", logs(out));
        assertEquals(0, r.totalTrades());
        assertEquals(0, new BigDecimal("10000").compareTo(r.finalBalance()));
    }

    @Test
    void pricesOutsideTheCurrentKlinesRangeNeverFillEvenWhenTakenFromAnEarlierKline() {
        // Kline 0 trades 99..101 around 100; kline 3 trades 198..301.
        var k = Klines.hourly(1, 100, 100, 200, 300);
        String code = """
                class Strategy(IStrategy):
                    def __init__(self):
                        super().__init__()
                        self.first = None
                    def run(self, context, kline, params):
                        n = len(self.kline_cache)
                        if n == 1:
                            self.first = kline
                        if n == 4:
                            old = self.first
                            print(context.buy(old.low, 1, old.open_time), context.buy(kline.high * 1.000001, 1, ''),
                                  context.buy(kline.low - 0.01, 1, ''), context.buy(kline.high, 1, old.open_time))
                """;
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertEquals("False False False True\n", logs(out));
        assertEquals(1, r.totalTrades());
        assertEquals(3, r.trades().get(0).klineIndex());
        assertEquals(Klines.T0 + 3 * Klines.HOUR, r.trades().get(0).timestamp(), "the fill is stamped with the current kline");
        assertEquals(0, new BigDecimal("301").compareTo(r.trades().get(0).price()));
    }

    @Test
    void buyingMoreThanTheBalanceOrSellingMoreThanThePositionIsRefused() {
        var k = Klines.hourly(1, 100, 100);
        String code = strategy("""
                if len(self.kline_cache) == 1:
                    print(context.buy(100.0, 100, ''))          # 10000 + fee 10 > 10000
                    print(context.buy(100.0, 99.9, ''))         # 9990 + 9.99 <= 10000
                    print(context.sell(100.0, 99.90001, ''))
                    print(context.sell(100.0, 99.9, ''), context.position)
                """);
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertEquals("False\nTrue\nFalse\nTrue 0.0\n", logs(out));
        assertEquals(2, r.totalTrades());
        // 10000 - 9990 - 9.99 + 9990 - 9.99
        assertEquals(0, new BigDecimal("9980.02").compareTo(r.finalBalance()), r.finalBalance().toString());
    }

    @Test
    void forgedTradesListsAndReplacedMethodsDoNotChangeTheResult() {
        var k = Klines.hourly(1, 100, 100, 100);
        String code = strategy("""
                context.trades.append({'type': 'sell', 'price': 1e9, 'amount': 1e9})
                context.orders.clear()
                try:
                    context.buy = lambda *a: True
                except AttributeError:
                    print('buy cannot be replaced')
                try:
                    context.balance = 1e12
                except AttributeError:
                    pass
                print(context.buy(1e6, 1, ''))
                """);
        var out = TestPool.run(code, k);
        BacktestResult r = succeeded(out);
        assertTrue(logs(out).startsWith("buy cannot be replaced\nFalse\n"), logs(out));
        assertEquals(0, r.totalTrades());
        assertEquals(0, r.trades().size());
        assertEquals(0, new BigDecimal("10000").compareTo(r.finalBalance()));
        assertEquals(0, BigDecimal.ZERO.compareTo(r.maxDrawdown()));
    }

    @Test
    void monkeyPatchingTheApiDoesNotLeakIntoTheNextRun() throws Exception {
        var k = Klines.hourly(1, 100, 101, 102, 103);
        String patcher = """
                import decimal
                KlineCache.get_closes = lambda self: [1.0] * 50
                IStrategy.on_trade = lambda self, t: print('patched on_trade')
                decimal.getcontext().prec = 3
                Kline.close = 0.0
                """ + strategy("print('patched', self.kline_cache.get_closes()[-1])");
        String observer = "import decimal\n" + strategy("""
                if len(self.kline_cache) == 4:
                    print(self.kline_cache.get_closes(), decimal.getcontext().prec, kline.close)
                    context.buy(kline.close, 1, '')
                """);
        // One worker, so the second run must reuse the worker the first one patched.
        try (WorkerPool single = WorkerPool.start(TestPool.config().withPoolSize(1))) {
            var first = TestPool.run(single, TestPool.request(patcher, k, java.util.Map.of()), null);
            assertTrue(logs(first).contains("patched 1.0"), logs(first));
            var second = TestPool.run(single, TestPool.request(observer, k, java.util.Map.of()), null);
            succeeded(second);
            assertEquals("[100.0, 101.0, 102.0, 103.0] 28 103.0\n", logs(second));
            assertEquals(0, single.state().restarts());
        }
    }

    @AfterAll
    static void thePoolStillServesANormalRunCorrectly() throws Exception {
        for (RunHandle h : SUBMITTED) h.outcome().get(300, TimeUnit.SECONDS);
        var k = Klines.hourly(1, 100, 102, 101, 105, 103);
        String code = strategy("""
                i = len(self.kline_cache)
                if i == 2:
                    context.buy(kline.close, 10, kline.open_time)
                if i == 4:
                    context.sell_all(kline.close, kline.open_time)
                """);
        BacktestResult r = succeeded(TestPool.run(code, k));
        assertEquals(0, new BigDecimal("10027.93").compareTo(r.finalBalance()), r.finalBalance().toString());
    }
}
