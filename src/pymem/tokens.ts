/*
 * The tokenizer for one Python expression (Parser/tokenizer.c, CPython 3.11, in
 * eval mode): numbers with Python's grammar (underscores only between digits, no
 * leading zeros in a decimal int), string literals (string-literal.ts), names,
 * operators (longest match), `...`, comments from # to the end of the line, and
 * backslash continuations. A newline inside brackets is whitespace; outside
 * them it ends the expression (a 'newline' token).
 */
import { LiteralSyntaxError, type Constant } from './constant.js';
import { DEFAULT_PROFILE } from './profile.js';
import { readStringLiteral, stringStart } from './string-literal.js';

/** A decimal int literal of more digits is a SyntaxError (sys.get_int_max_str_digits()). */
const MAX_STR_DIGITS = DEFAULT_PROFILE.compiler.maxStrDigits;

export interface Token {
  type: 'number' | 'string' | 'name' | 'op' | 'newline' | 'end';
  text: string;
  at: number;
  value?: Constant;
}

const OPERATORS = ['...', '**', '//', '<<', '>>', '==', '!=', '<=', '>=', ':=', '(', ')', '[', ']', '{', '}', ',', ':', '-', '+', '*', '/', '%', '~', '&', '|', '^', '@', '<', '>', '.', '='];
const OPENERS = '([{';
const CLOSERS = ')]}';

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const POINT_FLOAT = String.raw`(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.`;
const FLOAT = String.raw`(?:(?:${POINT_FLOAT})(?:${EXPONENT})?|${DIGITS}${EXPONENT})`;
const NUMBER = new RegExp(
  String.raw`^(?:(?<imag>(?:${FLOAT}|${DIGITS})[jJ])|(?<float>${FLOAT})|(?<radix>0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+)|(?<int>${DIGITS}))`,
);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (depth === 0) tokens.push({ type: 'newline', text: '\n', at: i });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    const string = stringStart(source, i);
    if (string !== undefined) {
      const { value, end } = readStringLiteral(source, i, string.prefix, string.quote);
      tokens.push({ type: 'string', text: source.slice(i, end), at: i, value });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const token = readNumber(source, i);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw new LiteralSyntaxError(`invalid character '${String.fromCodePoint(source.codePointAt(i) as number)}' at position ${i + 1}`);
    if (OPENERS.includes(op)) depth++;
    if (CLOSERS.includes(op)) depth = Math.max(0, depth - 1);
    tokens.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
}

const RADIXES: Record<string, { name: string; digits: RegExp }> = {
  x: { name: 'hexadecimal', digits: /[0-9a-fA-F_]*/y },
  o: { name: 'octal', digits: /[0-7_]*/y },
  b: { name: 'binary', digits: /[01_]*/y },
};

/** What the tokenizer of CPython 3.11 says of a number it cannot read: the kind of literal, or the digit out of its base. */
function invalidNumber(source: string, at: number): string {
  const radix = /^0[xXoObB]/.test(source.slice(at, at + 2)) ? RADIXES[source[at + 1].toLowerCase()] : undefined;
  if (radix === undefined) return 'invalid decimal literal';
  radix.digits.lastIndex = at + 2;
  radix.digits.exec(source);
  const next = source[radix.digits.lastIndex] ?? '';
  return /[0-9]/.test(next) ? `invalid digit '${next}' in ${radix.name} literal` : `invalid ${radix.name} literal`;
}

function readNumber(source: string, at: number): Token {
  const match = NUMBER.exec(source.slice(at, at + 100_000));
  const invalid = () => new LiteralSyntaxError(`${invalidNumber(source, at)} at position ${at + 1}`);
  if (match === null || match.groups === undefined) throw invalid();
  const text = match[0];
  if (/^[A-Za-z0-9_]/.test(source[at + text.length] ?? '')) throw invalid();
  const clean = text.replace(/_/g, '');
  const { imag, float, radix } = match.groups;
  let value: Constant;
  if (imag !== undefined) value = { kind: 'complex', real: 0, imag: Number(clean.slice(0, -1)) };
  else if (float !== undefined) value = { kind: 'float', value: Number(clean) };
  else if (radix !== undefined) value = { kind: 'int', value: BigInt(clean.toLowerCase()) };
  else if (/^0+[1-9]/.test(clean)) {
    throw new LiteralSyntaxError(`leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (position ${at + 1})`);
  } else if (clean.length > MAX_STR_DIGITS) {
    throw new LiteralSyntaxError(`Exceeds the limit (${MAX_STR_DIGITS} digits) for integer string conversion: value has ${clean.length} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`);
  } else value = { kind: 'int', value: BigInt(clean) };
  return { type: 'number', text, at, value };
}
