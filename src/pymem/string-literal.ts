/*
 * One Python string or bytes literal, as CPython 3.11's tokenizer and
 * Parser/string_parser.c read it: its prefix (r, u, b, f in Python's allowed
 * combinations), its quotes, and its escapes.
 * - \x, \u, \U, octal \ooo: one code point each; two escaped surrogates stay two
 *   code points ('\ud83d\ude00' is two lone surrogates, not one astral
 *   character); in bytes an octal escape above 0o377 keeps its low 8 bits (CPython
 *   warns, then does so);
 * - \N{name}: the character of that Unicode name or alias (unicode-names.ts);
 * - an unknown escape keeps its backslash; in bytes, \u, \U and \N are unknown;
 * - f-strings: only those without replacement fields ({{ and }} are braces).
 * The result is a constant: a str's code points, or a bytes's values.
 */
import { LiteralSyntaxError, NotModelledError, type Constant } from './constant.js';
import { codePointOfName } from './unicode-names.js';

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };
const PREFIXES = ['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf'];

/** The prefix and quote of a string literal starting at `at`, or undefined when none starts there. */
export function stringStart(source: string, at: number): { prefix: string; quote: string } | undefined {
  const match = /^([A-Za-z]{0,2})('''|"""|'|")/.exec(source.slice(at, at + 5));
  if (match === null || !PREFIXES.includes(match[1].toLowerCase())) return undefined;
  return { prefix: match[1].toLowerCase(), quote: match[2] };
}

/** Reads the literal starting at `at`: its value and the offset just past its closing quote. */
export function readStringLiteral(source: string, at: number, prefix: string, quote: string): { value: Constant; end: number } {
  const raw = prefix.includes('r');
  const isBytes = prefix.includes('b');
  const isFString = prefix.includes('f');
  let i = at + prefix.length + quote.length;
  const points: number[] = [];
  for (;;) {
    if (i >= source.length || (quote.length === 1 && source[i] === '\n')) {
      throw new LiteralSyntaxError(`unterminated ${quote.length === 3 ? 'triple-quoted ' : ''}string literal (detected at position ${at + 1})`);
    }
    if (source.startsWith(quote, i)) break;
    const c = source[i];
    if (isFString && (c === '{' || c === '}')) {
      if (source[i + 1] === c) {
        points.push(c.charCodeAt(0));
        i += 2;
        continue;
      }
      if (c === '}') throw new LiteralSyntaxError("f-string: single '}' is not allowed");
      const close = source.indexOf('}', i);
      const end = source.indexOf(quote, i);
      if (close < 0 || (end >= 0 && end < close)) throw new LiteralSyntaxError("f-string: expecting '}'");
      throw new NotModelledError('the model evaluates f-strings without replacement fields only');
    }
    if (c === '\\') {
      const escape = raw ? rawEscape(source, i) : readEscape(source, i + 1, isBytes);
      points.push(...escape.points);
      i = escape.next;
      continue;
    }
    const point = source.codePointAt(i) as number;
    if (isBytes && point > 127) throw new LiteralSyntaxError('bytes can only contain ASCII literal characters');
    points.push(point);
    i += point > 0xffff ? 2 : 1;
  }
  const value: Constant = isBytes ? { kind: 'bytes', value: points } : { kind: 'str', points };
  return { value, end: i + quote.length };
}

/** In a raw literal a backslash is kept, and it keeps the next character from closing the literal. */
function rawEscape(source: string, i: number): { points: number[]; next: number } {
  if (i + 1 >= source.length) return { points: [92], next: i + 1 };
  return { points: [92, source.charCodeAt(i + 1)], next: i + 2 };
}

function decodeError(what: string, at: number): LiteralSyntaxError {
  return new LiteralSyntaxError(`(unicode error) 'unicodeescape' codec can't decode bytes at position ${at}: ${what}`);
}

function readEscape(source: string, i: number, isBytes: boolean): { points: number[]; next: number } {
  const c = source[i];
  const hex = (length: number, name: string) => {
    const digits = source.slice(i + 1, i + 1 + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) {
      if (isBytes) throw new LiteralSyntaxError(`(value error) invalid \\x escape at position ${i - 1}`);
      throw decodeError(`truncated ${name} escape`, i - 1);
    }
    return { points: [parseInt(digits, 16)], next: i + 1 + length };
  };
  if (c === 'x') return hex(2, '\\xXX');
  if (!isBytes && c === 'u') return hex(4, '\\uXXXX');
  if (!isBytes && c === 'U') {
    const escape = hex(8, '\\UXXXXXXXX');
    if (escape.points[0] > 0x10ffff) throw decodeError('illegal Unicode character', i - 1);
    return escape;
  }
  if (!isBytes && c === 'N') return namedEscape(source, i);
  const octal = /^[0-7]{1,3}/.exec(source.slice(i, i + 3));
  if (octal) {
    const value = parseInt(octal[0], 8);
    return { points: [isBytes ? value & 0xff : value], next: i + octal[0].length };
  }
  if (c === '\n') return { points: [], next: i + 1 };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { points: [simple], next: i + 1 };
  return { points: [92], next: i }; // not an escape: the backslash stays, the next character is read as itself
}

function namedEscape(source: string, i: number): { points: number[]; next: number } {
  const close = source.indexOf('}', i + 2);
  const name = close < 0 ? '' : source.slice(i + 2, close);
  if (source[i + 1] !== '{' || close < 0 || name.length === 0 || name.includes('\n')) throw decodeError('malformed \\N character escape', i - 1);
  const codePoint = codePointOfName(name);
  if (codePoint === undefined) throw decodeError('unknown Unicode character name', i - 1);
  return { points: [codePoint], next: close + 1 };
}
