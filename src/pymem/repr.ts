/*
 * Reading model objects back: repr() as Python prints it, and the value as JS
 * data (None as null, lists as arrays, tuples as { tuple: [...] }, dicts as Maps,
 * sets as Sets, bytes as Uint8Arrays, ints as numbers or BigInts).
 */
import { childAt, childCount } from './children.js';
import { dictItems } from './dict.js';
import type { HeapMemory } from './memory.js';
import { complexPart, intValue, numberOf } from './numbers.js';
import { BA_BYTES } from './objects.js';
import { setMembers } from './set.js';
import { bytesOf, textOf } from './unicode.js';
import { T } from './types.js';

/** A JS value the model reads and writes: null is None; arrays are lists; Maps and plain objects are dicts. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | Set<PyValue>
  | Map<PyValue, PyValue>
  | { tuple: PyValue[] }
  | { [key: string]: PyValue };

/** A list's or tuple's items, first to last (borrowed). */
export function sequenceItems(m: HeapMemory, id: number): number[] {
  const n = childCount(m, id);
  return Array.from({ length: n }, (_, k) => childAt(m, id, n - 1 - k));
}

export function valueOf(m: HeapMemory, id: number): PyValue {
  switch (m.type[id]) {
    case T.None:
      return null;
    case T.Bool:
      return numberOf(m, id) === 1;
    case T.Int: {
      const value = intValue(m, id);
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    }
    case T.Float:
      return numberOf(m, id);
    case T.Str:
      return textOf(m, id);
    case T.Bytes:
      return Uint8Array.from(bytesOf(m, id));
    case T.ByteArray:
      return Uint8Array.from(bytesOf(m, id, BA_BYTES));
    case T.Tuple:
      return { tuple: sequenceItems(m, id).map((item) => valueOf(m, item)) };
    case T.List:
      return sequenceItems(m, id).map((item) => valueOf(m, item));
    case T.Dict:
      return new Map(dictItems(m, id).map(([k, v]) => [valueOf(m, k), valueOf(m, v)]));
    case T.Set:
    case T.FrozenSet:
      return new Set(setMembers(m, id).map((item) => valueOf(m, item)));
    default:
      return reprOf(m, id);
  }
}

export function reprOf(m: HeapMemory, id: number): string {
  const items = (ids: number[]) => ids.map((item) => reprOf(m, item)).join(', ');
  const address = `0x${m.ptr[id].toString(16)}`;
  switch (m.type[id]) {
    case T.None:
      return 'None';
    case T.Bool:
      return numberOf(m, id) === 1 ? 'True' : 'False';
    case T.Int:
      return intValue(m, id).toString();
    case T.Float:
      return floatRepr(numberOf(m, id));
    case T.Complex:
      return complexRepr(complexPart(m, id, 0), complexPart(m, id, 1));
    case T.Str:
      return strRepr(textOf(m, id));
    case T.Bytes:
      return `b'${bytesOf(m, id).map(byteRepr).join('')}'`;
    case T.ByteArray:
      return `bytearray(b'${bytesOf(m, id, BA_BYTES).map(byteRepr).join('')}')`;
    case T.Tuple:
      return m.size[id] === 1 ? `(${items(sequenceItems(m, id))},)` : `(${items(sequenceItems(m, id))})`;
    case T.List:
      return `[${items(sequenceItems(m, id))}]`;
    case T.Dict:
      return `{${dictItems(m, id).map(([k, v]) => `${reprOf(m, k)}: ${reprOf(m, v)}`).join(', ')}}`;
    case T.Set:
      return m.size[id] === 0 ? 'set()' : `{${items(setMembers(m, id))}}`;
    case T.FrozenSet:
      return m.size[id] === 0 ? 'frozenset()' : `frozenset({${items(setMembers(m, id))}})`;
    case T.Function:
      return `<function ${textOf(m, m.aux[id])} at ${address}>`;
    case T.Type:
      return `<class '__main__.${textOf(m, m.aux[id])}'>`;
    default:
      return `<__main__.${textOf(m, m.aux[m.aux[id]])} object at ${address}>`;
  }
}

/** float.__repr__ for the common cases: integral values keep a '.0'. */
export function floatRepr(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value).replace(/e\+?/, 'e+').replace('e+-', 'e-');
}

/** complex.__repr__: parts without a trailing .0, the real part left out when it is +0. */
function complexRepr(real: number, imag: number): string {
  const part = (x: number) => floatRepr(x).replace(/\.0$/, '');
  if (real === 0 && !Object.is(real, -0)) return `${part(imag)}j`;
  return `(${part(real)}${imag < 0 || Object.is(imag, -0) ? '-' : '+'}${part(Math.abs(imag))}j)`;
}

/** str.__repr__: single quotes unless the text has ' and no ", escapes for \\, the quote and control characters. */
function strRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (escapes[c] !== undefined) out += escapes[c];
    else if (c === quote) out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${quote}${out}${quote}`;
}

function byteRepr(byte: number): string {
  if (byte === 0x27) return "\\'";
  if (byte === 0x5c) return '\\\\';
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}
