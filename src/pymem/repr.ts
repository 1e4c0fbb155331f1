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
    case T.Ellipsis:
      return 'Ellipsis';
    case T.Bool:
      return numberOf(m, id) === 1 ? 'True' : 'False';
    case T.Int:
      return intValue(m, id).toString();
    case T.Float:
      return floatRepr(numberOf(m, id));
    case T.Complex:
      return complexRepr(complexPart(m, id, 0), complexPart(m, id, 1));
    case T.Str:
      return strRepr(bytesOf(m, id));
    case T.Bytes:
      return bytesRepr(bytesOf(m, id));
    case T.ByteArray:
      return `bytearray(${bytesRepr(bytesOf(m, id, BA_BYTES))})`;
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

/**
 * float.__repr__ (format 'r'): the shortest digits that read back as the same
 * double, in positional notation when the decimal exponent is in -4..15, else as
 * d.ddde+XX; an integral value keeps a '.0'.
 */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** complex.__repr__: parts without a trailing .0, the real part left out when it is +0. */
function complexRepr(real: number, imag: number): string {
  const part = (x: number) => floatRepr(x).replace(/\.0$/, '');
  if (real === 0 && !Object.is(real, -0)) return `${part(imag)}j`;
  return `(${part(real)}${imag < 0 || Object.is(imag, -0) ? '-' : '+'}${part(Math.abs(imag))}j)`;
}

/** Not printable for str.isprintable(): Unicode's Other and Separator categories, except the space. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * str.__repr__ (unicode_repr): single quotes unless the text has ' and no ",
 * escapes for \\, the quote, \t \n \r, and every character that is not
 * printable (\xNN, \uNNNN or \UNNNNNNNN); lone surrogates are escaped one by one.
 */
function strRepr(points: readonly number[]): string {
  const quote = points.includes(39) && !points.includes(34) ? '"' : "'";
  const escapes: Record<number, string> = { 92: '\\\\', 9: '\\t', 10: '\\n', 13: '\\r' };
  let out = '';
  for (const code of points) {
    const c = String.fromCodePoint(code);
    if (escapes[code] !== undefined) out += escapes[code];
    else if (c === quote) out += `\\${c}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += `\\u${code.toString(16)}`;
    else if (code !== 32 && NOT_PRINTABLE.test(c)) out += hexEscape(code);
    else out += c;
  }
  return `${quote}${out}${quote}`;
}

function hexEscape(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

const BYTE_ESCAPES: Record<number, string> = { 0x5c: '\\\\', 9: '\\t', 10: '\\n', 13: '\\r' };

/** bytes.__repr__: b'...' (b"..." when the bytes hold ' and no "), printable ASCII as itself, the rest escaped. */
function bytesRepr(values: readonly number[]): string {
  const quote = values.includes(39) && !values.includes(34) ? '"' : "'";
  return `b${quote}${values.map((byte) => (String.fromCharCode(byte) === quote ? `\\${quote}` : byteRepr(byte))).join('')}${quote}`;
}

function byteRepr(byte: number): string {
  if (BYTE_ESCAPES[byte] !== undefined) return BYTE_ESCAPES[byte];
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}
