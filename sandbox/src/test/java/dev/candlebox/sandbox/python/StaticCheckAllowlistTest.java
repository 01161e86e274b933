package dev.candlebox.sandbox.python;

import dev.candlebox.sandbox.Klines;
import dev.candlebox.sandbox.TestPool;
import dev.candlebox.sandbox.TestResources;
import dev.candlebox.sandbox.engine.RunError;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.candlebox.sandbox.Outcomes.logs;
import static dev.candlebox.sandbox.Outcomes.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static check is an allowlist over GraalPy's own {@code ast} module: every node type is either
 * allowed, with why, or refused, with why; and what is allowed is exactly what a strategy needs.
 */
class StaticCheckAllowlistTest {
    static StrategyRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = StrategyRuntime.create();
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    /** Reviewed one by one; a Python that adds a node type makes this test fail until it is reviewed. */
    static final Set<String> ALLOWED = new TreeSet<>(List.of(
            "Add", "And", "AnnAssign", "Assert", "Assign", "Attribute", "AugAssign", "BinOp", "BitAnd", "BitOr",
            "BitXor", "BoolOp", "Break", "Call", "ClassDef", "Compare", "Constant", "Continue", "Del", "Delete",
            "Dict", "DictComp", "Div", "Eq", "ExceptHandler", "Expr", "FloorDiv", "For", "FormattedValue",
            "FunctionDef", "GeneratorExp", "Global", "Gt", "GtE", "If", "IfExp", "Import", "ImportFrom", "In",
            "Invert", "Is", "IsNot", "JoinedStr", "LShift", "Lambda", "List", "ListComp", "Load", "Lt", "LtE",
            "MatMult", "Match", "MatchAs", "MatchClass", "MatchMapping", "MatchOr", "MatchSequence",
            "MatchSingleton", "MatchStar", "MatchValue", "Mod", "Module", "Mult", "Name", "NamedExpr", "Nonlocal",
            "Not", "NotEq", "NotIn", "Or", "Pass", "Pow", "RShift", "Raise", "Return", "Set", "SetComp", "Slice",
            "Starred", "Store", "Sub", "Subscript", "Try", "Tuple", "UAdd", "USub", "UnaryOp", "While",
            "With", "Yield", "YieldFrom", "alias", "arg", "arguments", "comprehension", "keyword", "match_case",
            "withitem"));

    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("AsyncFunctionDef", "async code is not allowed"),
            Map.entry("AsyncFor", "async code is not allowed"),
            Map.entry("AsyncWith", "async code is not allowed"),
            Map.entry("Await", "async code is not allowed"),
            Map.entry("Interactive", "not a node of a strategy file"),
            Map.entry("Expression", "not a node of a strategy file"),
            Map.entry("FunctionType", "not a node of a strategy file"),
            Map.entry("TypeIgnore", "not a node of a strategy file"),
            Map.entry("TryStar", "except* is not supported by GraalPy"),
            Map.entry("TypeAlias", "type parameter syntax (Python 3.12) is not supported"),
            Map.entry("TypeVar", "type parameter syntax (Python 3.12) is not supported"),
            Map.entry("ParamSpec", "type parameter syntax (Python 3.12) is not supported"),
            Map.entry("TypeVarTuple", "type parameter syntax (Python 3.12) is not supported"),
            Map.entry("type_param", "type parameter syntax (Python 3.12) is not supported"));

    static final Set<String> DEPRECATED = Set.of("Num", "Str", "Bytes", "NameConstant", "Ellipsis", "Index",
            "ExtSlice", "Suite", "Param", "AugLoad", "AugStore");
    static final Set<String> ABSTRACT = Set.of("mod", "stmt", "expr", "expr_context", "boolop", "operator",
            "unaryop", "cmpop", "excepthandler", "pattern", "type_ignore", "slice");

    @Test
    void everyNodeTypeOfGraalPysAstModuleIsEitherAllowedOrRefusedWithItsReason() {
        List<StrategyRuntime.NodeRule> rules = runtime.nodePolicy();
        assertEquals(135, rules.size(), () -> "node types of GraalPy's ast module: "
                + rules.stream().map(StrategyRuntime.NodeRule::name).toList());
        Set<String> allowed = rules.stream().filter(StrategyRuntime.NodeRule::allowed)
                .map(StrategyRuntime.NodeRule::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ALLOWED, allowed);
        for (StrategyRuntime.NodeRule r : rules) {
            assertFalse(r.why().isBlank(), r.name());
            if (r.allowed()) continue;
            String expected = REFUSED.containsKey(r.name()) ? REFUSED.get(r.name())
                    : DEPRECATED.contains(r.name()) ? "a deprecated alias the parser never produces"
                    : ABSTRACT.contains(r.name()) ? "an abstract base class, never a node of a tree"
                    : "(unreviewed)";
            assertEquals(expected, r.why(), r.name());
        }
    }

    static String resource(String name) {
        return TestResources.text("/dev/candlebox/sandbox/allowlist/" + name);
    }

    @Test
    void aStrategyUsingEveryAllowedConstructPassesTheCheckAndRuns() {
        String code = resource("every_allowed_construct.py");
        assertNull(runtime.check(code));
        var out = TestPool.run(code, Klines.hourly(1, 100, 101));
        succeeded(out);
        // Worked out by hand from the file: match -> 1, Box(2) @ Box(3) -> 6, Box(1) + Box(2) -> Box(3), ...
        assertEquals("1 6 Box(3) 1 3 1 6 1 2 100.00 100.0 1100.00 v ([2, 3], [1, 3], 1) 4 2 3 1 -8 True True 1 100.0\n",
                logs(out));
    }

    /** Constructs at the edges of the allowlist: each refused with the construct and the line. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            match class pattern reading __class__ | match context:\\n    case object(__class__=c):\\n        pass | 2 | access to the attribute '__class__' is not allowed (line 2)
            match class pattern reading f_back | match k:\\n    case Kline(f_back=f):\\n        pass | 2 | access to the attribute 'f_back' is not allowed (line 2)
            match class pattern reading gi_frame | match g:\\n    case object(gi_frame=f):\\n        pass | 2 | access to the attribute 'gi_frame' is not allowed (line 2)
            match class pattern reading __traceback__ | match e:\\n    case Exception(__traceback__=tb):\\n        pass | 2 | access to the attribute '__traceback__' is not allowed (line 2)
            match star binding a dunder | match [1]:\\n    case [*__builtins__]:\\n        pass | 2 | the name '__builtins__' is not allowed (line 2)
            match mapping rest binding a dunder | match {}:\\n    case {**__loader__}:\\n        pass | 2 | the name '__loader__' is not allowed (line 2)
            match as binding a dunder | match 1:\\n    case __spec__:\\n        pass | 2 | the name '__spec__' is not allowed (line 2)
            metaclass keyword | class M(type):\\n    pass\\nclass S(metaclass=M):\\n    pass | 3 | class keywords such as 'metaclass=' are not allowed (line 3)
            class keywords by ** | class S(**{}):\\n    pass | 1 | class keywords such as '**=' are not allowed (line 1)
            a finalizer | class S:\\n    def __del__(self):\\n        pass | 2 | defining the special method '__del__' is not allowed (line 2)
            an attribute hook | class S:\\n    def __getattr__(self, n):\\n        return 1 | 2 | defining the special method '__getattr__' is not allowed (line 2)
            __getattribute__ | class S:\\n    def __getattribute__(self, n):\\n        return 1 | 2 | defining the special method '__getattribute__' is not allowed (line 2)
            __init_subclass__ | class S:\\n    def __init_subclass__(cls):\\n        pass | 2 | defining the special method '__init_subclass__' is not allowed (line 2)
            a descriptor | class S:\\n    def __get__(self, o, t):\\n        pass | 2 | defining the special method '__get__' is not allowed (line 2)
            __set_name__ | class S:\\n    def __set_name__(self, o, n):\\n        pass | 2 | defining the special method '__set_name__' is not allowed (line 2)
            __class_getitem__ | class S:\\n    def __class_getitem__(cls, i):\\n        pass | 2 | defining the special method '__class_getitem__' is not allowed (line 2)
            __new__ | class S:\\n    def __new__(cls):\\n        pass | 2 | defining the special method '__new__' is not allowed (line 2)
            a dunder parameter | def f(__class__):\\n    pass | 1 | the name '__class__' is not allowed (line 1)
            a dunder keyword argument | x = dict(__class__=1) | 1 | the name '__class__' is not allowed (line 1)
            except as a dunder | try:\\n    pass\\nexcept Exception as __builtins__:\\n    pass | 3 | the name '__builtins__' is not allowed (line 3)
            global of a dunder | def f():\\n    global __builtins__ | 2 | the name '__builtins__' is not allowed (line 2)
            import as a dunder | import math as __loader__ | 1 | the name '__loader__' is not allowed (line 1)
            from-import as a forbidden name | from math import floor as eval | 1 | eval is not allowed (line 1)
            a private submodule | import collections._sys | 1 | import of module 'collections._sys' is not allowed (line 1); allowed: bisect, collections, datetime, decimal, functools, heapq, itertools, math, random, statistics
            a lambda default reaching __import__ | f = lambda m=__import__: m | 1 | the name '__import__' is not allowed (line 1)
            an f-string reading __class__ | s = f'{kline.__class__}' | 1 | access to the attribute '__class__' is not allowed (line 1)
            a format spec nesting a field | s = '{:{0.__class__}}'.format(1) | 1 | access to the attribute 'format' is not allowed (line 1)
            a decorator reaching a dunder | @object.__subclasses__\\ndef f():\\n    pass | 1 | access to the attribute '__subclasses__' is not allowed (line 1)
            async for in an async function | async def f():\\n    async for x in y:\\n        pass | 1 | async code is not allowed (line 1)
            await | async def f():\\n    await g() | 1 | async code is not allowed (line 1)
            except star, which GraalPy does not run | try:\\n    pass\\nexcept* KeyError:\\n    pass | 1 | except* is not supported by GraalPy (line 1)
            """)
    void constructsAtTheEdgesAreRefusedWithTheConstructAndTheLine(String name, String code, int line, String message) {
        Value error = runtime.check(code.replace("\\n", "\n"));
        assertTrue(error != null, name + " passed the check");
        assertEquals(message.startsWith("import of module") ? RunError.FORBIDDEN_IMPORT : RunError.FORBIDDEN_CODE,
                error.getArrayElement(1).asString(), name);
        assertEquals(line, error.getArrayElement(3).asInt(), name);
        assertEquals(message, error.getArrayElement(2).asString(), name);
    }

    @Test
    void hasattrWithAForbiddenNameIsRefusedAtRunTime() {
        var out = TestPool.run(dev.candlebox.sandbox.Outcomes.strategy("print(hasattr(kline, 'close'))\nprint(hasattr(kline, '__cl' + 'ass__'))"),
                Klines.hourly(1, 100));
        RunError e = dev.candlebox.sandbox.Outcomes.failed(out, RunError.RUNTIME_ERROR);
        assertEquals("True\n", logs(out));
        assertEquals(4, e.line());
        assertTrue(e.message().contains("access to the attribute '__class__' is not allowed"), e.message());
    }
}
