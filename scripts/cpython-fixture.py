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
    }
    json.dump(fixture, sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
