#!/usr/bin/env python3
"""Writes CPython's own answers as a JSON fixture for memplay's pymem model.

Run with the interpreter to be modelled (python3 on the target machine):

    python3 scripts/cpython-fixture.py > test/fixtures/cpython-3.11.json

Every number in the output is measured here, from the running interpreter:
sys.getsizeof of many values built in known ways (literals as the compiler builds
them, containers grown by insertion, after small mutation programs), the size of
a list after each append and pop, pymalloc's size classes and blocks per pool
(parsed from sys._debugmallocstats(), which writes to stderr at the C level), the
arenas a fresh interpreter maps and unmaps under a fragmentation pattern, the
depth a plain recursive function reaches, the cyclic GC's thresholds and what
gc.collect() returns for a few cycles, the small-int cache range and literal
interning.
The model's tests compare against this file, so CI does not need python3.
"""
import gc
import json
import os
import platform
import re
import sys
import tempfile
import warnings


def sizes_after_each(step, count):
    return [step(i) for i in range(count)]


def ints():
    values = {0, 1, -1, 255, 256, 257, -5, -6}
    for bits in range(1, 400, 7):
        values.update({2**bits - 1, 2**bits, -(2**bits)})
    for power in range(0, 120, 3):
        values.add(10**power)
    return [{"value": str(v), "size": sys.getsizeof(v)} for v in sorted(values)]


def strings():
    samples = {"ascii": "a", "latin1": "\u00e9", "ucs2": "\u20ac", "ucs4": "\U0001F600"}
    out = []
    for kind, char in samples.items():
        for n in list(range(0, 40)) + [63, 64, 100, 255, 1000, 5000]:
            value = char * n
            out.append({"kind": kind, "value": value, "size": sys.getsizeof(value)})
    # mixed: the widest character decides the kind
    for value in ["abc\u00e9", "abc\u20ac\u00e9", "a\U0001F600b", "\u00ff" * 3 + "\u0100"]:
        out.append({"kind": "mixed", "value": value, "size": sys.getsizeof(value)})
    return out


def literals():
    sources = [
        "None", "True", "False", "0", "1", "-1", "256", "2**62", "10**30", "1.5", "-0.0", "1j", "1+2j",
        "''", "'a'", "'hello'", "'h\\u00e9llo'", "'\\u20ac'", "b''", "b'abc'",
        "()", "(1,)", "(1, 2)", "(1, 'a', None)", "((1, 2), (3, 4))",
        "[]", "[1]", "[1, 2]", "[1, 2, 3]", "[1, 2, 3, 4]", "[1, 2, 3, 4, 5]", "[None] * 0",
        "[[1], [2]]", "[[1], [2], [3]]", "[(1, 2), (3, 4), (5, 6)]", "[1, [2], 3]",
        "{}", "{1: 2}", "{'a': 1}", "{'a': 1, 'b': 2}", "{1: 'a', 'b': 2}", "{'a': [1]}",
        "set()", "{1}", "{1, 2}", "{1, 2, 3}", "{1, 2, 3, 4, 5, 6}", "{(1, 2), (3, 4)}",
        "[1, 2, 3, [4, 5]]", "{'k': {'n': (1, 2.5, 'x')}}",
        "'\u00e9' * 3", "'ab' + 'cd'", "(1, 2) * 3", "b'ab' * 4", "[None] * 10", "[1, 2] * 3", "{'a': 'x' * 100}",
        "list()", "tuple()", "dict()", "frozenset()", "0x10", "1_000_000", "-(2**63)", "1e300",
    ]
    for n in list(range(0, 40)) + [50, 100, 200]:
        sources.append("[" + ", ".join(str(i) for i in range(n)) + "]")
        sources.append("[" + ", ".join(f"[{i}]" for i in range(n)) + "]")
        sources.append("(" + ", ".join(str(i) for i in range(n)) + ("," if n == 1 else "") + ")")
        sources.append("{" + ", ".join(f"{i}: {i}" for i in range(n)) + "}")
        sources.append("{" + ", ".join(f"'k{i}': {i}" for i in range(n)) + "}")
        sources.append("{" + ", ".join(f"{i}: [{i}]" for i in range(n)) + "}")
        if n > 0:
            sources.append("{" + ", ".join(str(i) for i in range(n)) + "}")
            sources.append("{" + ", ".join(f"({i},)" for i in range(n)) + "}")
    out = []
    for source in sources:
        value = eval(compile(source, "<fixture>", "eval"))
        out.append({"source": source, "size": sys.getsizeof(value)})
    return out


def expression_sources():
    """Expressions beyond literal displays: what the model evaluates, each a kind a learner writes."""
    sources = [
        # escapes: octal escapes past 0o377 in bytes keep their low 8 bits; \N{...}; escaped surrogates stay two
        r"b'\400'", r"b'\401'", r"b'\777'", r"b'a\777b'", r"b'\1234'", r"b'\0'", r"'\400'", r"'\777'", r"'a\101b'",
        r"'\N{BULLET}'", r"'\N{bullet}'", r"'\N{EURO SIGN}'", r"'\N{LATIN SMALL LETTER E WITH ACUTE}'",
        r"'\N{GRINNING FACE}'", r"'x\N{SNOWMAN}y'", r"'\N{EM DASH}' * 3", r"'\N{CJK UNIFIED IDEOGRAPH-4E00}'",
        r"'\N{HANGUL SYLLABLE GA}'", r"'\N{HANGUL SYLLABLE GAG}'", r"'\N{LINE FEED}'", r"'\N{NBSP}'", r"'\N{BYTE ORDER MARK}'",
        r"'\N{GREEK SMALL LETTER ALPHA}\N{GREEK SMALL LETTER OMEGA}'",
        r"'\ud83d\ude00'", r"'\ud83d'", r"'a\udc80'", r"'\U0001F600'", r"'\ud83d\ude00' + 'a'",
        r"'\x41\u00e9'", r"'\q'", r"b'\q'", r"r'\n'", r"rb'\x00'", r"'a\\nb'",
        # powers and division that Python answers with a complex or an error
        "(-1) ** 0.5", "(-8) ** (1/3)", "(-1.5) ** 0.5", "(-2) ** 0.5 * 2", "0 ** -1", "0.0 ** -1", "0 ** -1.0",
        "2 ** -1", "(-2) ** -2", "10 ** -3", "2 ** 0.5", "1j ** 2", "(1+2j) ** 3", "0j ** -1", "0j ** 0", "2 ** 1j",
        "10.0 ** 400", "1e308 * 10", "-1e308 * 10", "-1j", "-2**30", "-2**62", "-(2**30)",
        # sequence building
        "[0] * 10", "[1, 2] + [3]", "[1, 2] * 0", "[1, 2] * -3", "[[]] * 5", "[1] + []", "[] + []", "[0] * 100",
        "(1, [2]) + (3,)", "([1],) * 3", "(1, 2) * 1", "(1, 2) + ()", "() + ()", "[1] * 2 * 3",
        "'ab' * 2048", "'ab' * 2049", "'a' * 4096 + 'b'", "(1,) * 256", "(1,) * 257", "((1, 2),) * 100",
        "[1, 2, 2**200]", "[1, 2, 2**128]", "[1, 2, 2**64]", "[1, 2, 2**65]", "[1, 2, 3 * 2**62]", "[1, 2, 1 << 126]", "[1, 2, 1 << 127]",
        "[1, 2, 'a' * 4096]", "[1, 2, 'a' * 4097]", "[1, 2, (0,) * 256]", "[1, 2, (0,) * 257]", "[1, 2, ((0, 0),) * 341]", "[1, 2, ((0, 0),) * 342]", "[2**64, 2**64]", "[1, 2, 1 << 200]", "(2**200, 1)", "[1, 2, 'a' * 5000]",
        # operators
        "7 // 2", "-7 // 2", "7 % -2", "-7.5 // 2", "-7.5 % 2", "7 / 2", "1 / 3", "2**70 / 3", "10**30 / 10**10", "(2**1000) / (3**500)",
        "~5", "~-1", "~True", "1 << 62", "1 << 70", "2**100 >> 90", "-1 >> 5", "6 & 3", "6 | 3", "6 ^ 3", "True & True", "True | 0",
        "True + True", "-True", "+True", "3 * 1.5", "1 + 2.5j", "(1+2j) / (3-4j)", "1j / 0.5", "5 % 3.0", "2 ** 62", "2 ** 63", "-(2 ** 63)",
        "...", "(..., ...)", "[...]", "{...}",
        "f'abc'", "f'{{x}}'", "f'a' 'b'", "F'\u20ac'", "rf'\d'", "f''",
        "[1, # one\n 2]", "{  # a dict\n 'a': 1,  # first\n}", "(1,  # a tuple\n)",
        "1 + 2 # trailing comment",
        # constructors
        "list()", "tuple()", "set()", "frozenset()", "dict()", "bytes()", "bytearray()", "str()", "int()", "float()",
        "bytes(10)", "bytes(0)", "bytes(1)", "bytes([1, 2, 3])", "bytes(range(256))", "bytes((65, 66))", "bytes(b'abc')",
        "bytearray(b'abc')", "bytearray(10)", "bytearray(0)", "bytearray([1, 2, 3])", "bytearray(range(10))", "bytearray(b'')",
        "str(12345)", "str(-1)", "str(1.5)", "str(2**100)", "str('abc')", "str(None)", "str([1, 'a'])", "str((1,))", "str(b'ab')", "str(1j)",
        "int('257')", "int(' 42 ')", "int('\u0661\u0662')", "int('\U0001d7d7\U0001d7d8')", "int('\u2003 42 ')", "(1,) * 10**5", "[0] * 10**6", "int('1' * 4300)", "int('-1_000')", "int(3.9)", "int(-3.9)", "int(True)", "int('12345678901234567890')",
        "float(1)", "float('1.5')", "float('-inf')", "float(' 2e3 ')",
        "frozenset({1, 2, 3})", "frozenset([1, 2, 2, 3])", "frozenset('abc')", "set('hello')", "set([1, 2, 3])", "set({1: 2, 3: 4})",
        "dict.fromkeys('abc')", "dict.fromkeys([1, 2, 3], 0)", "dict.fromkeys({})", "dict.fromkeys(set())", "dict.fromkeys({'a': 1, 'b': 2})",
        "dict.fromkeys({1, 2, 3})", "dict.fromkeys(range(6))", "dict.fromkeys(['a', 'b'])", "dict.fromkeys(frozenset(range(7)))",
        "list('hello')", "list((1, 2, 3))", "list([1, 2, 3])", "list({1: 2})", "list({1, 2})", "tuple([1, 2, 3])", "tuple('ab')", "tuple((1, 2))",
        "list(b'abc')", "tuple(range(0))", "list(range(2, 20, 3))", "list(range(10, 0, -1))",
        # comprehensions grow by appending
        "[i * i for i in range(12)]", "[c for c in 'hello']", "[i for i in range(20) if i % 3 == 0]", "[(i, j) for i in range(3) for j in range(3)]",
        "{i % 4 for i in range(30)}", "{str(i): i for i in range(10)}", "{i: [i] for i in range(20)}", "[[i] * 2 for i in range(3)]",
        "[x for x in [1, 2, 3]]", "{k: None for k in 'abcdef'}", "[i for i in range(5) if i > 1 if i < 4]", "[i < 3 for i in range(5)]",
        "[1 < 2, 2 <= 1, 'a' < 'b', 1 == 1.0, 1 != 2]",
        # containers compare by value: sequences item by item, sets by inclusion, dicts by items
        "[1] == [1]", "[] == []", "[1] != [1]", "[1.0] == [1]", "[1, [2]] == [1, [2]]", "[1, 2] == [2, 1]", "{1} == {1}",
        "{1: 2} == {1: 2}", "{1: 2} == {1: 3}", "{1: 2, 3: 4} == {3: 4, 1: 2}", "{1: 2} == {2: 1}", "frozenset({1}) == {1}",
        "bytearray(b'a') == b'a'", "[float('nan')] == [float('nan')]", "(1, 2) < (1, 3)", "[1, 2] < [1, 3]", "[] < [1]",
        "[1, 2] <= [1, 2]", "(1,) > ()", "(2, 1) >= (2,)", "(1, 2) > (0, 'a')",
        "{1} < {1, 2}", "{1} <= {1}", "{1} < {1}", "{1, 2} > {2}", "{1, 2} > {3}", "frozenset({1}) >= {1}", "b'a' < bytearray(b'b')",
        # sets iterate in their hash table's order (ints, floats, complex and tuples hash the same in every run)
        "{3, 1, 2}", "set(range(100, 0, -7))", "{-1, -2, 2**61, 2**61-1, 0.5, 1.5, (1,2)}", "{i*8 for i in range(20)}",
        "frozenset({3, 11, 19, 27})", "{3, 11, 19, 27}", "{(1,2),(3,4),(5,6),(2,1)}", "{0.1, 0.2, 0.3, 1e100}", "set([5,13,21,29,37,45])",
        "{i*i for i in range(50)}", "{1, 9, 17, 25, 33}", "set({1, 9, 17, 25, 33})", "frozenset([8, 16, 24, 32, 40, 48, 56])",
        "{i * 64 for i in range(30)}", "{2**64, 2**65, 2**66, 1, 2}", "{-1, -2, -3, -4}", "{1.5, 2.5, 3.5, 1e-5, -7.25}",
        "{(1,), (2,), (1, 2), (), ((),)}", "{1j, 2j, 1+1j}", "{x % 7 for x in range(100)}", "{x * 8 % 64 for x in range(100)}",
        "dict.fromkeys({5, 13, 21})", "list({40, 8, 16, 24, 32})", "tuple({40, 8, 16, 24, 32})", "[x for x in {40, 8, 16, 24, 32}]",
        # an int against a float compares exactly, never rounded to a float (so equal keys are equal exactly)
        "2**53 + 1 == float(2**53 + 1)", "2**53 == 2.0**53", "2**53 + 1 > 2.0**53", "2**53 + 1 != 2.0**53", "10**23 == 1e23",
        "10**23 > 1e23", "2**63 - 1 == 2.0**63", "2**1024 == float('inf')", "10**400 < float('inf')", "-10**400 > float('-inf')",
        "10**400 == float('nan')", "2**60 < 2.0**60 + 1", "-(2**60) - 1 < -2.0**60", "2**70 <= 2.0**70", "1e308 < 10**400",
        "[2**53 + 1] == [2.0**53]", "{2**53 + 1: 1} == {2.0**53: 1}", "{2**53 + 1} == {2.0**53}", "2**53 + 1 == 9007199254740992+0j",
        "{2**53 + 1: 'a', 2.0**53: 'b'}", "{2**53 + 1, 2.0**53}", "{x for x in [10**23, 1e23]}",
        "dict.fromkeys([2**53 + 1, 2**53 + 3, 2**53 + 5, 2.0**53, 2.0**53 + 4, 2.0**53 + 8])",
    ]
    for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 25, 33, 50, 64, 100, 1000]:
        sources += [
            f"list(range({n}))", f"tuple(range({n}))", f"set(range({n}))", f"frozenset(range({n}))", f"dict.fromkeys(range({n}))",
            f"[i for i in range({n})]", f"{{i for i in range({n})}}", f"{{i: i for i in range({n})}}", f"[0] * {n}", f"bytes({n})",
            f"bytearray({n})", f"bytearray(range({n % 256}))", f"str(10 ** {n})", f"list(range({n})) + [0]",
        ]
    return sources


ERRORS = [
    "1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "1.0 // 0", "1.0 % 0", "0 ** -1", "0.0 ** -1", "1 << -1", "1 >> -1", "1j // 1", "1j % 2",
    "1 << 2.0", "(1,) + [2]", "[1] + (2,)", "'a' + 1", "1 + 'a'", "~1.5", "-'a'", "[1] * 1.5", "'a' * 'b'", "b'a' + 'b'", "b'a' + 1",
    "{[1]}", "{[1]: 2}", "{{}}", "10.0 ** 400", "0j ** -1", "1j / 0", "10 ** 400 / 1", "10 ** 400 + 1.0", "None + 1", "1 ** 'a'",
    "bytes(-1)", "bytes('abc')", "bytes([256])", "bytes([1.5])", "bytearray('x')", "bytes(1.5)", "int('x')", "int('1.5')", "int([1])",
    "int(float('nan'))", "int(float('inf'))", "float('x')", "list(5)", "tuple(1.5)", "set(None)", "list(1, 2)", "range(1, 2, 0)",
    "list(range(1.5))", "dict.fromkeys()", "dict.fromkeys([[1]])", "[x for x in y]", "[1 < 'a']", "'a' < 1", "int('1' * 5000)", "str(10 ** 5000)",
    "[i for i in 5]", "frozenset([[1]])", "(1, 'a') < (1, 2)", "{1: 'a'} < {2: 'b'}", "[1] < (1,)", "[1, {2}] < [1, {2}, 3] < [1, 2]",
    # refused by the compiler: a SyntaxError (the model's message differs, its kind does not)
    r"'\N{TANGUT IDEOGRAPH-17000}'", r"'\N{NO SUCH NAME}'", r"'\N{HANGUL SYLLABLE ga}'", r"'\N{CJK UNIFIED IDEOGRAPH-4e00}'", r"'\N{bullet'",
    "[1, 2", "01", "1__0", "0x", "'abc", "f'{'",
]


def expressions():
    """What each expression gives: its type, getsizeof and repr, or the exception it raises (one line, as Python prints it)."""
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in expression_sources() + ERRORS:
            try:
                value = eval(compile(source, "<fixture>", "eval"))
            except Exception as error:
                out.append({"source": source, "error": f"{type(error).__name__}: {error}"})
            else:
                assert source not in ERRORS, f"{source} raised nothing"
                out.append({"source": source, "type": type(value).__name__, "size": sys.getsizeof(value), "repr": repr(value)})
    return out


def constant_sharing():
    """`a is b` for equal values bound in one compilation, in two, and built at run time (the small-ints demo's claims)."""
    out = []
    for text in ["-6", "-5", "0", "1", "255", "256", "257", "1000", "2**100", "1.5", "'hello world'", "(1, 2)"]:
        one = {}
        exec(compile(f"a = {text}\nb = {text}", "<module>", "exec"), one)
        functions = {}
        exec(compile(f"def f():\n    return {text}\ndef g():\n    return {text}\na = f()\nb = g()", "<module>", "exec"), functions)
        two = {}
        exec(compile(f"a = {text}", "<first>", "exec"), two)
        exec(compile(f"b = {text}", "<second>", "exec"), two)
        runtime = {}
        exec(compile(f"a = eval({text!r})\nb = eval({text!r})", "<module>", "exec"), runtime)
        entry = {
            "value": text,
            "oneCompilation": one["a"] is one["b"],
            "twoFunctionsOfOneModule": functions["a"] is functions["b"],
            "twoCompilations": two["a"] is two["b"],
            "equal": two["a"] == two["b"],
        }
        if text.lstrip("-").isdigit():
            entry["runtime"] = int(text) is int(text)
            entry["runtimeFromStr"] = int(str(int(text))) is int(str(int(text)))
        out.append(entry)
    return out


RECURSION_PROGRAM = r"""
import sys
depth = 0
def recurse(n):
    global depth
    depth = n
    recurse(n + 1)
try:
    sys.setrecursionlimit(LIMIT)
except RecursionError as error:
    result = {"limit": LIMIT, "refused": f"RecursionError: {error}"}
else:
    try:
        recurse(1)
    except RecursionError as error:
        message = str(error)
    sys.setrecursionlimit(1000)
    result = {"limit": LIMIT, "deepestCall": depth, "error": f"RecursionError: {message}"}
print(repr(result))
"""


def recursion_limits():
    """From module level of a fresh interpreter: sys.setrecursionlimit(n), then a function that recurses until RecursionError."""
    import ast
    import subprocess

    out = []
    for limit in [1, 2, 3, 4, 5, 10, 50, 100, 1000, 5000]:
        program = RECURSION_PROGRAM.replace("LIMIT", str(limit))
        text = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
        out.append(ast.literal_eval(text))
    return out


GC_SCHEDULE_PROGRAM = r"""
import gc
gc.collect()
before = [s["collections"] for s in gc.get_stats()]
keep = [[] for _ in range(COUNT)]
after = [s["collections"] for s in gc.get_stats()]
print(repr([a - b for a, b in zip(after, before)]))
"""

GENERATIONS_PROGRAM = r"""
import gc
def generation(obj):
    return next((g for g in range(3) if any(o is obj for o in gc.get_objects(generation=g))), -1)
gc.collect()
x = []
steps = [generation(x)]
gc.collect(0)
steps.append(generation(x))
gc.collect(1)
steps.append(generation(x))
before = gc.get_stats()[0]["collections"]
keep = [[] for _ in range(701)]
steps.append(generation(x))
print(repr({"generationOfX": steps, "generation0CollectionsDuringKeep": gc.get_stats()[0]["collections"] - before}))
"""


def gc_schedules():
    """Automatic collections per generation while a fresh interpreter makes and keeps N lists; and the generations demo."""
    import ast
    import subprocess

    run = lambda program: ast.literal_eval(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout)
    schedules = [{"allocations": n, "collections": run(GC_SCHEDULE_PROGRAM.replace("COUNT", str(n)))} for n in [700, 701, 7000, 10000, 100000]]
    return {"keptLists": schedules, "generationsDemo": run(GENERATIONS_PROGRAM)}


CYCLE_DEMO_PROGRAM = r"""
import gc, sys
gc.disable()
class Node:
    pass
a, b = Node(), Node()
a.other = b
b.other = a
counts = [sys.getrefcount(a) - 1, sys.getrefcount(b) - 1]
del a, b
collected = gc.collect()
def pair():
    a, b = Node(), Node()
    a.other, b.other = b, a
for _ in range(1000):
    pair()
print(repr({"refcounts": counts, "collected": collected, "thousandPairsCollected": gc.collect()}))
"""

FLOAT_FRAGMENTATION_PROGRAM = r"""
start = arena_counts()
floats = [float(i) for i in range(200_000)]
peak = arena_counts()
keep = floats[::510]
del floats
kept = arena_counts()
print(repr({"kept": len(keep), "arenasAddedAtPeak": peak["current"] - start["current"], "arenasStillAddedAfterFree": kept["current"] - start["current"]}))
"""


def demos():
    """The other figures the sim demos and the memory scenarios print, from fresh interpreters."""
    import ast
    import subprocess

    run = lambda program: ast.literal_eval(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout)
    grown = []
    points = {}
    for i in range(1, 1_000_001):
        grown.append(None)
        if i in (1000, 10_000, 100_000, 938_736, 938_737, 1_000_000):
            points[str(i)] = sys.getsizeof(grown)
    return {"cycle": run(CYCLE_DEMO_PROGRAM), "floatFragmentation": run(MALLOC_STATS_SOURCE + FLOAT_FRAGMENTATION_PROGRAM), "listGrowthAt": points}


def growth_series():
    """getsizeof of a dict and of a set after each of 1000 insertions, per kind of key (sim dict-growth / set-growth)."""
    keys = {"int": lambda i: i, "str": lambda i: f"k{i}", "float": lambda i: i + 0.5, "tuple": lambda i: (i,)}
    out = {"dict": {}, "set": {}}
    for kind, key in keys.items():
        d, s, dict_sizes, set_sizes = {}, set(), [], []
        for i in range(1000):
            d[key(i)] = None
            s.add(key(i))
            dict_sizes.append(sys.getsizeof(d))
            set_sizes.append(sys.getsizeof(s))
        out["dict"][kind] = dict_sizes
        out["set"][kind] = set_sizes
    return out


def containers():
    out = {}
    out["tuple"] = [{"length": n, "size": sys.getsizeof(tuple(range(n)))} for n in range(0, 70)]
    out["bytes"] = [{"length": n, "size": sys.getsizeof(bytes(n))} for n in list(range(0, 40)) + [100, 1000]]
    out["bytearrayOfLength"] = [{"length": n, "size": sys.getsizeof(bytearray(n))} for n in list(range(0, 40)) + [100, 1000]]
    grown = bytearray()
    appended = []
    for i in range(300):
        grown.append(i & 0xFF)
        appended.append(sys.getsizeof(grown))
    out["bytearrayAppends"] = appended
    out["listRepeat"] = [{"length": n, "size": sys.getsizeof([None] * n)} for n in range(0, 70)]

    def insertion(make_key, container, add):
        sizes = []
        for i in range(1000):
            add(container, make_key(i))
            sizes.append(sys.getsizeof(container))
        return sizes

    out["dictIntKeysInsertion"] = insertion(lambda i: i, {}, lambda d, k: d.__setitem__(k, None))
    out["dictStrKeysInsertion"] = insertion(lambda i: f"k{i}", {}, lambda d, k: d.__setitem__(k, None))
    out["setIntInsertion"] = insertion(lambda i: i, set(), lambda s, k: s.add(k))
    out["frozensetOfRange"] = [{"length": n, "size": sys.getsizeof(frozenset(range(n)))} for n in range(0, 70)]
    return out


def classes():
    class Plain:
        pass

    out = {"plainInstance": sys.getsizeof(Plain())}
    with_attrs = Plain()
    with_attrs.x = 1
    with_attrs.y = 2
    out["plainInstanceWithTwoAttributes"] = sys.getsizeof(with_attrs)
    out["slotsInstance"] = []
    for count in range(0, 8):
        names = tuple(f"s{i}" for i in range(count))
        cls = type(f"Slots{count}", (), {"__slots__": names})
        out["slotsInstance"].append({"slots": count, "size": sys.getsizeof(cls())})

    def function():
        pass

    out["function"] = sys.getsizeof(function)
    out["class"] = sys.getsizeof(Plain)
    return out


MUTATIONS = {
    "dictStrKeyThenIntKey": "x = {'a': 1}\nx[2] = 3",
    "dictSixStrKeysThenIntKey": "x = {}\nfor i in range(6): x['k%d' % i] = i\nx[7] = 1",
    "dictTenStrKeysDeleteOneAddOne": "x = {}\nfor i in range(10): x['k%d' % i] = i\ndel x['k1']\nx['z'] = 1",
    "dictFortyKeysDeleteThirtyAddOne": "x = {}\nfor i in range(40): x[i] = i\nfor i in range(30): del x[i]\nx[100] = 1",
    "setTenDiscardOneAddOne": "x = set()\nfor i in range(10): x.add(i)\nx.discard(3)\nx.add(100)",
    "listTenAppendsClearAppend": "x = []\nfor i in range(10): x.append(i)\nx.clear()\nx.append(1)",
    "listNineAppendsPopFirst": "x = []\nfor i in range(9): x.append(i)\nx.pop(0)",
    "bytearrayTenAppendsThenTwentyMore": "x = bytearray()\nfor i in range(30): x.append(i)",
}


def mutations():
    """getsizeof(x) after each small program (the test replays each with the model)."""
    out = {}
    for name, program in MUTATIONS.items():
        scope = {}
        exec(program, scope)
        out[name] = {"program": program, "size": sys.getsizeof(scope["x"])}
    return out


def list_growth():
    grown = []
    appends = []
    for i in range(300):
        grown.append(i)
        appends.append(sys.getsizeof(grown))
    pops = []
    for _ in range(300):
        grown.pop()
        pops.append(sys.getsizeof(grown))
    return {"appends": appends, "pops": pops}


# The capture of sys._debugmallocstats() (it writes to the C-level stderr), as source:
# this script runs it, and so does each fresh interpreter of fragmentation(), which
# must import nothing more than these modules so that its arenas start as a bare
# interpreter's do.
MALLOC_STATS_SOURCE = r"""
import os, re, sys, tempfile

def debug_malloc_stats():
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        return capture.read().decode()

def arena_counts():
    text = debug_malloc_stats()
    get = lambda label: int(re.search(label + r"\s+=\s+([\d,]+)", text).group(1).replace(",", ""))
    return {"current": get("# arenas allocated current"), "reclaimed": get("# arenas reclaimed")}
"""
exec(MALLOC_STATS_SOURCE)


def malloc_stats():
    """Parses sys._debugmallocstats() after touching every size class."""
    keep = [bytes(n) for n in range(0, 480) for _ in range(40)]
    text = debug_malloc_stats()
    del keep
    head = re.search(r"Small block threshold = (\d+), in (\d+) size classes", text)
    classes = []
    total_pools = 0
    for match in re.finditer(r"^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", text, re.M):
        index, size, pools, used, avail = map(int, match.groups())
        total_pools += pools
        classes.append({"index": index, "size": size, "blocksPerPool": (used + avail) // pools if pools else None})
    arena = re.search(r"arenas \* (\d+) bytes/arena", text)
    pool = re.search(r"unused pools \* (\d+) bytes", text)
    headers = re.search(r"# bytes lost to pool headers\s+=\s+([\d,]+)", text)
    return {
        "smallRequestThreshold": int(head.group(1)),
        "sizeClasses": int(head.group(2)),
        "alignment": classes[0]["size"],
        "arenaSize": int(arena.group(1)),
        "poolSize": int(pool.group(1)) if pool else None,
        "poolOverhead": int(headers.group(1).replace(",", "")) // total_pools,
        "classes": classes,
    }


FRAGMENTATION_PROGRAM = MALLOC_STATS_SOURCE + r"""
arenas = arena_counts
PER_ARENA = 64 * 255
phases = [("start", arenas())]
objects = [bytes(31) for _ in range(3 * PER_ARENA)]
phases.append(("allocated", arenas()))
kept = objects[::255]
del objects
phases.append(("all but one per pool freed", arenas()))
del kept
phases.append(("the rest freed", arenas()))
print(repr(phases))
"""


def fragmentation(runs=12):
    """Arenas of fresh interpreters while 3 arenas' worth of 64-byte objects come and go.

    The last phase varies from run to run: mmap places arenas at random addresses
    (ASLR), and an arena not aligned to POOL_SIZE loses a pool, which shifts where
    the objects land. Each distinct outcome is kept, with how often it was seen.
    """
    import ast
    import subprocess

    outcomes = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", FRAGMENTATION_PROGRAM], capture_output=True, text=True, check=True).stdout
        phases = tuple((name, counts["current"], counts["reclaimed"]) for name, counts in ast.literal_eval(out))
        outcomes[phases] = outcomes.get(phases, 0) + 1
    return {
        "objectBytes": sys.getsizeof(bytes(31)),
        "objects": 3 * 64 * 255,
        "keepEvery": 255,
        "runs": runs,
        "outcomes": [
            {"seen": seen, "phases": [{"phase": name, "current": current, "reclaimed": reclaimed} for name, current, reclaimed in phases]}
            for phases, seen in sorted(outcomes.items(), key=lambda item: -item[1])
        ],
    }


def recursion():
    depth = 0

    def plain(n):
        nonlocal depth
        depth = n
        plain(n + 1)

    message = None
    try:
        plain(1)
    except RecursionError as error:
        message = str(error)
    # `plain` was called from recursion(), itself called from the module: report the
    # frames below the first call so the model can reproduce the count from module level.
    frames_below = 0
    frame = sys._getframe()
    while frame is not None:
        frames_below += 1
        frame = frame.f_back
    return {"limit": sys.getrecursionlimit(), "deepestCall": depth, "framesBelowFirstCall": frames_below, "message": message}


def cycles():
    class Node:
        pass

    results = {}
    gc.collect()
    gc.disable()
    try:
        lst = []
        lst.append(lst)
        del lst
        results["selfReferencingList"] = gc.collect()

        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        results["twoInstances"] = gc.collect()

        a, b = Node(), Node()
        a.other, b.other = b, a
        a.__dict__, b.__dict__  # materialises both instance dicts
        del a, b
        results["twoInstancesWithDicts"] = gc.collect()

        ring = [[] for _ in range(10)]
        for i, item in enumerate(ring):
            item.append(ring[(i + 1) % 10])
        del ring, item
        results["ringOfTenLists"] = gc.collect()

        d = {}
        d["self"] = d
        del d
        results["selfReferencingDict"] = gc.collect()

        kept = []
        kept.append(kept)
        gc.collect()
        results["survivorGenerationAfterCollect0"] = None
        young = []
        gc.collect()
        gc.collect(0)
        results["survivorGenerationAfterCollect0"] = next(
            g for g in range(3) if any(o is young for o in gc.get_objects(generation=g))
        )
        gc.collect()
        before = gc.get_count()[0]
        a1 = []
        a2 = []
        a3 = []
        a4 = []
        a5 = []
        results["countAfterFiveLists"] = gc.get_count()[0] - before
        del a1, a2, a3, a4, a5, kept, young
    finally:
        gc.enable()
    return results


DEEP_SIZES = [
    # a str an int formats itself into and bytes(n) are new objects even of one character (no cached singleton);
    # bytes([n]) and a one-character literal are the cached one
    "[str(1), str(1)]", "[bytes(1), bytes(1)]", "[bytes([1]), bytes([1])]", "[str(7), '7']", "['a', 'a']", "[str(False), 'False']",
    "[str(1.5), str(1.5)]", "[(1, 2), (1, 2)]", "[[1], [1]]", "[2**100, 2**100]", "[int('300'), int('300')]", "[int('3'), int('3')]",
]


def statement_bytecode():
    """The instructions `counter += step()` compiles to in a function (dis), as gil-not-a-lock's explanation names them."""
    import dis
    namespace = {}
    exec("counter = 0\ndef step():\n    return 1\ndef work():\n    global counter\n    counter += step()\n", namespace)
    body = [i for i in dis.get_instructions(namespace["work"]) if i.opname != "RESUME"]
    # the function's own `return None` is not the statement's
    return {"counter += step()": [f"{i.opname} {i.argrepr}".strip() for i in body[:-2]]}


def deep_sizes():
    """getsizeof summed over an expression's value and every object it holds, each object once: which of them are one object."""
    def deep(value, seen):
        if id(value) in seen:
            return 0
        seen.add(id(value))
        items = value if isinstance(value, (list, tuple, set, frozenset)) else []
        return sys.getsizeof(value) + sum(deep(item, seen) for item in items)
    return [{"source": source, "deepSize": deep(eval(compile(source, "<fixture>", "eval")), set())} for source in DEEP_SIZES]


def identity():
    cached = [i for i in range(-300, 600) if int(str(i)) is int(str(i))]
    interned_literal = eval("'hello'") is eval("'hello'")
    not_identifier = eval("'hello world'") is eval("'hello world'")
    literal = "hello"
    runtime = "".join(["hel", "lo"]) is literal
    explicit = sys.intern("".join(["hel", "lo"])) is literal
    fresh = object()
    return {
        "smallIntMin": min(cached),
        "smallIntMax": max(cached),
        "identifierLiteralsShared": interned_literal,
        "nonIdentifierLiteralsShared": not_identifier,
        "runtimeStringIsLiteral": runtime,
        "internedRuntimeIsLiteral": explicit,
        "getrefcountOfFreshBoundObject": sys.getrefcount(fresh),
    }


def main():
    fixture = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.machine()}",
        "pointerBytes": 8 if sys.maxsize > 2**32 else 4,
        "gc": {"thresholds": list(gc.get_threshold()), **cycles()},
        "recursion": recursion(),
        "identity": identity(),
        "obmalloc": malloc_stats(),
        "fragmentation": fragmentation(),
        "singletons": {"None": sys.getsizeof(None), "True": sys.getsizeof(True), "False": sys.getsizeof(False)},
        "floats": [{"value": v, "size": sys.getsizeof(v)} for v in [0.0, 1.5, -2.25, 1e300]],
        "complex": [{"real": 1.0, "imag": 2.0, "size": sys.getsizeof(complex(1, 2))}],
        "ints": ints(),
        "strings": strings(),
        "literals": literals(),
        "containers": containers(),
        "classes": classes(),
        "listGrowth": list_growth(),
        "mutations": mutations(),
        "expressions": expressions(),
        "deepSizes": deep_sizes(),
        "bytecode": statement_bytecode(),
        "constantSharing": constant_sharing(),
        "recursionLimits": recursion_limits(),
        "gcSchedules": gc_schedules(),
        "demos": demos(),
        "growth": growth_series(),
    }
    json.dump(fixture, sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
