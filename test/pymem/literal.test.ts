// The literal parser: Python's display syntax, constant folding, and its errors.
import { describe, expect, it } from 'vitest';
import { freshHeapEachTest } from './fresh-heap.js';
import { LiteralSyntaxError, NotModelledError, parseLiteral } from '../../src/pymem/literal.js';
import { NameError } from '../../src/pymem/errors.js';
import { PyHeap } from '../../src/pymem/heap.js';

const t = freshHeapEachTest();

const roundTrip = (source: string) => t.heap.repr(t.heap.literal(source));

describe('literals', () => {
  it('read numbers, strings, bytes and containers as Python does', () => {
    expect(roundTrip('[1, -2, 0x10, 0o7, 0b11, 1_000, 2**100]')).toBe('[1, -2, 16, 7, 3, 1000, 1267650600228229401496703205376]');
    expect(roundTrip('(1.5, -0.0, 1e3, 1+2j, 2.5j)')).toBe('(1.5, -0.0, 1000.0, (1+2j), 2.5j)');
    expect(roundTrip(`'it\\'s' "a\\tb" 'c'`)).toBe(`"it'sa\\tbc"`);
    expect(roundTrip("b'a\\x00b'")).toBe("b'a\\x00b'");
    expect(roundTrip("{'k': {'n': (1, None, True)}, 2: set()}")).toBe("{'k': {'n': (1, None, True)}, 2: set()}");
    expect(roundTrip('1, 2')).toBe('(1, 2)');
    expect(roundTrip('['.repeat(150) + ']'.repeat(150))).toBe('['.repeat(150) + ']'.repeat(150));
    expect(t.heap.getsizeof(t.heap.literal('10**5000'))).toBe(24 + 4 * Math.ceil((5000 * Math.log2(10)) / 30));
    expect(roundTrip('(1,)')).toBe('(1,)');
    expect(roundTrip("'\\u20ac\\U0001F600'")).toBe("'€😀'");
  });

  it('fold constant tuples, as the compiler does', () => {
    expect(parseLiteral('(1, (2, "x"))').kind).toBe('const');
    expect(parseLiteral('(1, [2])').kind).toBe('tuple');
    expect(parseLiteral('[1, 2, 3]').kind).toBe('list');
  });

  it('reject what is not a literal, with a SyntaxError-like message', () => {
    for (const bad of ['[1, 2', '1 +', '{1: }', "'abc", '01', '[1 2]', '3 $ 4', "b'é'", '['.repeat(300) + ']'.repeat(300), '1__0', '1\n+2']) {
      expect(() => parseLiteral(bad), bad).toThrow(LiteralSyntaxError);
    }
    // python3 3.11's words for a number it cannot read: the literal's kind, or the digit out of its base.
    const said = { '0x': 'invalid hexadecimal literal', '0xg': 'invalid hexadecimal literal', '0b': 'invalid binary literal', '0b1_2': "invalid digit '2' in binary literal", '0o8': "invalid digit '8' in octal literal", '1_': 'invalid decimal literal' };
    for (const [bad, message] of Object.entries(said)) expect(() => parseLiteral(bad), bad).toThrow(new RegExp(`^${message} at position 1$`));
    // await and yield outside a function, as 3.11's compiler refuses them.
    const refused = { 'yield 1': 'invalid syntax', '[yield]': 'invalid syntax', '1 + (yield)': "'yield' outside function", 'await x': "'await' outside function", '[await x]': "'await' outside function" };
    for (const [bad, message] of Object.entries(refused)) expect(() => parseLiteral(bad), bad).toThrow(new LiteralSyntaxError(message));
  });

  it('say what the model does not evaluate, and raise what Python raises', () => {
    for (const beyond of ['os.system("x")', 'print(1)', 'x.y', 'lambda: 1', '1 if 2 else 3', '(i for i in range(3))', "f'{x}'", '(*range(3),)', '[*range(3)]', '{**{}}']) {
      expect(() => t.heap.literal(beyond), beyond).toThrow(NotModelledError);
    }
    expect(() => t.heap.literal('2**10**7')).toThrow(NotModelledError);
    // as deep as it is long: refused before folding or evaluating could overflow the stack
    for (const deep of ['1+'.repeat(50_000) + '1', '2**'.repeat(50_000) + '2', '-'.repeat(50_000) + '1', '['.repeat(150) + '1+'.repeat(2000) + '1' + ']'.repeat(150)]) {
      expect(() => t.heap.literal(deep)).toThrow(NotModelledError);
    }
    expect(t.heap.getsizeof(t.heap.literal('1+'.repeat(900) + '1'))).toBe(28);
    // bounded work: the model's sets and dicts scan their entries, so what would take minutes is refused
    expect(() => t.heap.literal('set(range(5001))')).toThrow(NotModelledError);
    const big = new PyHeap({ capacity: 1 << 17, storeWords: 1 << 22 });
    try {
      expect(() => big.literal('{frozenset(range(2000)) for i in range(40)}')).toThrow(NotModelledError);
    } finally {
      big.destroy();
    }
    expect(() => t.heap.literal('{0 for i in range(1100) for j in range(1100)}')).toThrow(NotModelledError);
    expect(() => t.heap.literal('foo')).toThrow(NameError);
    expect(() => t.heap.literal('1 not in (1, 2)')).toThrow("the model does not evaluate 'not in' expressions");
    expect(() => t.heap.literal('1 is not None')).toThrow("the model does not evaluate 'is not' expressions");
    // A built-in's name is a value Python has (a function, a type): not modelled, never a NameError.
    for (const builtin of ['abs', 'len', 'print', 'ValueError', '[divmod]']) expect(() => t.heap.literal(builtin), builtin).toThrow(/does not evaluate the built-in \w+ itself/);
    expect(() => t.heap.literal('[1] + (2,)')).toThrow('can only concatenate list (not "tuple") to list');
  });

  it('fold what the optimizer folds, and leave big results to run time', () => {
    expect(parseLiteral('2**10').kind).toBe('const');
    expect(parseLiteral('2**200').kind).toBe('binary');
    expect(parseLiteral('1/0').kind).toBe('binary');
    expect(parseLiteral("'ab' * 2048").kind).toBe('const');
    expect(parseLiteral("'ab' * 2049").kind).toBe('binary');
  });
});
