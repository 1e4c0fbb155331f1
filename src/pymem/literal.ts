/*
 * A parser for Python literal displays, the subset of Python's expression grammar
 * that `ast.literal_eval` accepts plus the constant arithmetic CPython's AST
 * optimizer folds: numbers (int in any base, float, imaginary), strings and bytes
 * (any quotes and prefixes, escapes), None/True/False, tuples, lists, dicts, sets,
 * unary + and -, and + - * ** between numbers, a list display times an int, and
 * the empty constructors list(), tuple(), dict(), set(), frozenset().
 * It returns an AST in which every constant expression is already folded, as the
 * compiler sees it (Python/ast_opt.c), so the evaluator can decide between
 * BUILD_LIST and LOAD_CONST + LIST_EXTEND exactly as the compiler does.
 * Errors are Python's SyntaxError messages, as a ValueError with the position.
 */
import { ValueError } from '../errors.js';

export type Constant =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'complex'; real: number; imag: number }
  | { kind: 'str'; value: string }
  | { kind: 'bytes'; value: number[] }
  | { kind: 'tuple'; items: Constant[] };

export type LiteralNode =
  | { kind: 'const'; value: Constant }
  | { kind: 'list'; items: LiteralNode[] }
  | { kind: 'tuple'; items: LiteralNode[] }
  | { kind: 'set'; items: LiteralNode[] }
  | { kind: 'dict'; keys: LiteralNode[]; values: LiteralNode[] }
  | { kind: 'repeat'; list: LiteralNode; times: bigint }
  | { kind: 'empty'; type: 'list' | 'tuple' | 'dict' | 'set' | 'frozenset' };

const EMPTY_CALLS = ['list', 'tuple', 'dict', 'set', 'frozenset'] as const;

/** A SyntaxError in a literal (raised as ValueError so callers need not know the parser). */
export class LiteralSyntaxError extends ValueError {}

interface Token {
  type: 'num' | 'str' | 'name' | 'op' | 'end';
  text: string;
  at: number;
  value?: Constant;
}

export function parseLiteral(source: string): LiteralNode {
  const parser = new Parser(tokenize(source));
  const node = parser.expression();
  parser.expectEnd();
  return node;
}

const OPERATORS = ['**', '(', ')', '[', ']', '{', '}', ',', ':', '-', '+', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const stringMatch = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(source.slice(i));
    if (stringMatch && /^[rRbBuU]*$/.test(stringMatch[1]) && validPrefix(stringMatch[1])) {
      const { token, end } = readString(source, i, stringMatch[1], stringMatch[2]);
      tokens.push(token);
      i = end;
      continue;
    }
    const numberMatch = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/.exec(source.slice(i));
    if (numberMatch && /\d/.test(numberMatch[0][0] === '.' ? numberMatch[0][1] ?? '' : numberMatch[0][0])) {
      tokens.push({ type: 'num', text: numberMatch[0], at: i, value: parseNumber(numberMatch[0], i) });
      i += numberMatch[0].length;
      continue;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (nameMatch) {
      tokens.push({ type: 'name', text: nameMatch[0], at: i });
      i += nameMatch[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw new LiteralSyntaxError(`invalid character '${c}' at position ${i + 1}`);
    tokens.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
}

function validPrefix(prefix: string): boolean {
  const p = prefix.toLowerCase();
  return ['', 'r', 'u', 'b', 'br', 'rb'].includes(p);
}

function parseNumber(text: string, at: number): Constant {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return { kind: 'complex', real: 0, imag: Number(clean.slice(0, -1)) };
  if (/^0[xXoObB]/.test(clean)) return { kind: 'int', value: BigInt(clean.toLowerCase()) };
  if (/[.eE]/.test(clean)) return { kind: 'float', value: Number(clean) };
  if (/^0\d/.test(clean) && /[1-9]/.test(clean)) {
    throw new LiteralSyntaxError(`leading zeros in decimal integer literals are not permitted (position ${at + 1})`);
  }
  return { kind: 'int', value: BigInt(clean) };
}

function readString(source: string, start: number, prefix: string, quote: string): { token: Token; end: number } {
  const raw = /r/i.test(prefix);
  const isBytes = /b/i.test(prefix);
  let i = start + prefix.length + quote.length;
  const units: number[] = [];
  for (;;) {
    if (i >= source.length || (quote.length === 1 && source[i] === '\n')) {
      throw new LiteralSyntaxError(`unterminated string literal (detected at position ${start + 1})`);
    }
    if (source.startsWith(quote, i)) break;
    const c = source[i];
    if (c === '\\' && !raw) {
      const { points, next } = readEscape(source, i + 1, isBytes);
      units.push(...points);
      i = next;
      continue;
    }
    if (c === '\\' && raw && i + 1 < source.length) {
      units.push(92, source.codePointAt(i + 1) as number);
      i += 2;
      continue;
    }
    const point = source.codePointAt(i) as number;
    if (isBytes && point > 127) throw new LiteralSyntaxError('bytes can only contain ASCII literal characters');
    units.push(point);
    i += point > 0xffff ? 2 : 1;
  }
  const value: Constant = isBytes ? { kind: 'bytes', value: units } : { kind: 'str', value: String.fromCodePoint(...units) };
  return { token: { type: 'str', text: source.slice(start, i + quote.length), at: start, value }, end: i + quote.length };
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '\n': -1 };

function readEscape(source: string, i: number, isBytes: boolean): { points: number[]; next: number } {
  const c = source[i];
  const hex = (length: number) => {
    const digits = source.slice(i + 1, i + 1 + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) throw new LiteralSyntaxError(`truncated \\${c} escape at position ${i}`);
    return { points: [parseInt(digits, 16)], next: i + 1 + length };
  };
  if (c === 'x') return hex(2);
  if (!isBytes && c === 'u') return hex(4);
  if (!isBytes && c === 'U') {
    const escape = hex(8);
    if (escape.points[0] > 0x10ffff) throw new LiteralSyntaxError(`illegal Unicode character at position ${i}`);
    return escape;
  }
  const octal = /^[0-7]{1,3}/.exec(source.slice(i));
  if (octal) return { points: [parseInt(octal[0], 8)], next: i + octal[0].length };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { points: simple < 0 ? [] : [simple], next: i + 1 };
  return { points: [92, source.codePointAt(i) as number], next: i + 1 };
}

/** CPython's tokenizer refuses deeper nesting (MAXLEVEL in Parser/tokenizer.h). */
const MAX_NESTING = 200;
/** The model's bound on a folded value, so one literal cannot exhaust the heap. */
const MAX_BITS = 1_000_000;

class Parser {
  private position = 0;
  private nesting = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position];
  }

  private take(): Token {
    return this.tokens[this.position++];
  }

  private accept(op: string): boolean {
    const token = this.peek();
    if (token.type === 'op' && token.text === op) {
      this.position++;
      return true;
    }
    return false;
  }

  private expect(op: string): void {
    if (!this.accept(op)) this.fail(`expected '${op}'`);
  }

  private fail(what: string): never {
    const token = this.peek();
    const found = token.type === 'end' ? 'end of input' : `'${token.text}'`;
    throw new LiteralSyntaxError(`invalid syntax: ${what}, found ${found} at position ${token.at + 1}`);
  }

  expectEnd(): void {
    if (this.peek().type !== 'end') this.fail('expected the end of the literal');
  }

  /** expression: a bare tuple (`1, 2`) or one term. */
  expression(): LiteralNode {
    const first = this.sum();
    if (!this.accept(',')) return first;
    const items = [first];
    while (this.startsTerm()) {
      items.push(this.sum());
      if (!this.accept(',')) break;
    }
    return tupleOf(items);
  }

  private startsTerm(): boolean {
    const token = this.peek();
    return token.type !== 'end' && !(token.type === 'op' && [')', ']', '}', ',', ':'].includes(token.text));
  }

  private sum(): LiteralNode {
    let left = this.product();
    for (;;) {
      if (this.accept('+')) left = fold('+', left, this.product());
      else if (this.accept('-')) left = fold('-', left, this.product());
      else return left;
    }
  }

  private product(): LiteralNode {
    let left = this.unary();
    while (this.accept('*')) left = fold('*', left, this.unary());
    return left;
  }

  private unary(): LiteralNode {
    if (this.accept('-')) return negate(this.unary());
    if (this.accept('+')) return checkNumeric(this.unary(), '+');
    return this.power();
  }

  private power(): LiteralNode {
    const base = this.atom();
    if (this.accept('**')) return fold('**', base, this.unary());
    return base;
  }

  private atom(): LiteralNode {
    const token = this.peek();
    if (token.type === 'num') {
      this.take();
      return { kind: 'const', value: token.value as Constant };
    }
    if (token.type === 'str') return this.strings();
    if (token.type === 'name') {
      this.take();
      if (token.text === 'None') return { kind: 'const', value: { kind: 'none' } };
      if (token.text === 'True' || token.text === 'False') return { kind: 'const', value: { kind: 'bool', value: token.text === 'True' } };
      const call = EMPTY_CALLS.find((name) => name === token.text);
      if (call !== undefined && this.accept('(')) {
        this.expect(')');
        return { kind: 'empty', type: call };
      }
      throw new LiteralSyntaxError(`'${token.text}' is a name, not a literal (only None, True and False are allowed, and list(), tuple(), dict(), set(), frozenset() for empty containers)`);
    }
    if (token.type === 'op' && ['(', '[', '{'].includes(token.text)) return this.nested();
    this.fail('expected a literal');
  }

  private nested(): LiteralNode {
    if (++this.nesting > MAX_NESTING) throw new LiteralSyntaxError('too many nested parentheses');
    try {
      if (this.accept('(')) {
        if (this.accept(')')) return tupleOf([]);
        const inner = this.expression();
        this.expect(')');
        return inner;
      }
      if (this.accept('[')) return { kind: 'list', items: this.items(']') };
      this.expect('{');
      return this.braces();
    } finally {
      this.nesting--;
    }
  }

  private strings(): LiteralNode {
    const parts: Constant[] = [];
    while (this.peek().type === 'str') parts.push(this.take().value as Constant);
    const kinds = new Set(parts.map((p) => p.kind));
    if (kinds.size > 1) throw new LiteralSyntaxError('cannot mix bytes and nonbytes literals');
    if (parts[0].kind === 'bytes') return { kind: 'const', value: { kind: 'bytes', value: parts.flatMap((p) => (p as { value: number[] }).value) } };
    return { kind: 'const', value: { kind: 'str', value: parts.map((p) => (p as { value: string }).value).join('') } };
  }

  private items(close: string): LiteralNode[] {
    const items: LiteralNode[] = [];
    while (!this.accept(close)) {
      items.push(this.sum());
      if (!this.accept(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private braces(): LiteralNode {
    if (this.accept('}')) return { kind: 'dict', keys: [], values: [] };
    const first = this.sum();
    if (this.accept(':')) {
      const keys = [first];
      const values = [this.sum()];
      while (this.accept(',')) {
        if (this.accept('}')) return { kind: 'dict', keys, values };
        keys.push(this.sum());
        this.expect(':');
        values.push(this.sum());
      }
      this.expect('}');
      return { kind: 'dict', keys, values };
    }
    const items = [first];
    if (this.accept(',')) items.push(...this.items('}'));
    else this.expect('}');
    return { kind: 'set', items };
  }
}

/** A tuple display: a constant when every item is one (the AST optimizer folds it). */
function tupleOf(items: LiteralNode[]): LiteralNode {
  if (items.every((item) => item.kind === 'const')) {
    return { kind: 'const', value: { kind: 'tuple', items: items.map((item) => (item as { value: Constant }).value) } };
  }
  return { kind: 'tuple', items };
}

type Num = { re: number; im: number; int?: bigint; float: boolean; complex: boolean };

function numeric(node: LiteralNode, op: string): Num {
  if (node.kind !== 'const') throw new LiteralSyntaxError(`unsupported operand for '${op}' in a literal`);
  const v = node.value;
  if (v.kind === 'int') return { re: Number(v.value), im: 0, int: v.value, float: false, complex: false };
  if (v.kind === 'bool') return { re: v.value ? 1 : 0, im: 0, int: v.value ? 1n : 0n, float: false, complex: false };
  if (v.kind === 'float') return { re: v.value, im: 0, float: true, complex: false };
  if (v.kind === 'complex') return { re: v.real, im: v.imag, float: true, complex: true };
  throw new LiteralSyntaxError(`unsupported operand type for '${op}': ${v.kind}`);
}

function checkNumeric(node: LiteralNode, op: string): LiteralNode {
  numeric(node, op);
  return node;
}

function negate(node: LiteralNode): LiteralNode {
  const n = numeric(node, '-');
  return { kind: 'const', value: fromNum({ re: -n.re, im: -n.im, int: n.int === undefined ? undefined : -n.int, float: n.float, complex: n.complex }) };
}

function fromNum(n: Num): Constant {
  if (n.complex) return { kind: 'complex', real: n.re, imag: n.im };
  if (n.float) return { kind: 'float', value: n.re };
  return { kind: 'int', value: n.int as bigint };
}

/** The AST optimizer's constant folding of a binary operation (and list * int, kept as a repeat). */
function fold(op: string, left: LiteralNode, right: LiteralNode): LiteralNode {
  if (op === '*' && left.kind === 'list' && right.kind === 'const' && right.value.kind === 'int') {
    return { kind: 'repeat', list: left, times: right.value.value };
  }
  const sequence = foldSequence(op, left, right);
  if (sequence !== undefined) return { kind: 'const', value: sequence };
  const a = numeric(left, op);
  const b = numeric(right, op);
  const complex = a.complex || b.complex;
  const float = a.float || b.float;
  if (!float && a.int !== undefined && b.int !== undefined) {
    if (op === '**' && b.int < 0n) return { kind: 'const', value: { kind: 'float', value: Number(a.int) ** Number(b.int) } };
    if (op === '**' && Number(b.int) * Math.log2(Math.abs(Number(a.int)) || 1) > MAX_BITS) {
      throw new LiteralSyntaxError(`the model evaluates ints of at most ${MAX_BITS} bits`);
    }
    const value = op === '+' ? a.int + b.int : op === '-' ? a.int - b.int : op === '*' ? a.int * b.int : a.int ** b.int;
    return { kind: 'const', value: { kind: 'int', value } };
  }
  if (complex) {
    if (op === '**') throw new LiteralSyntaxError('complex powers are not supported in literals');
    const re = op === '+' ? a.re + b.re : op === '-' ? a.re - b.re : a.re * b.re - a.im * b.im;
    const im = op === '+' ? a.im + b.im : op === '-' ? a.im - b.im : a.re * b.im + a.im * b.re;
    return { kind: 'const', value: { kind: 'complex', real: re, imag: im } };
  }
  const value = op === '+' ? a.re + b.re : op === '-' ? a.re - b.re : op === '*' ? a.re * b.re : a.re ** b.re;
  return { kind: 'const', value: { kind: 'float', value } };
}

const isSequence = (c: Constant): boolean => c.kind === 'str' || c.kind === 'bytes' || c.kind === 'tuple';

/** str, bytes and tuple constants: s + t and s * n (and n * s) fold to constants too. */
function foldSequence(op: string, left: LiteralNode, right: LiteralNode): Constant | undefined {
  if (left.kind !== 'const' || right.kind !== 'const') return undefined;
  const [a, b] = [left.value, right.value];
  if (op === '+' && isSequence(a) && a.kind === b.kind) return concat(a, b);
  if (op !== '*') return undefined;
  const [seq, count] = isSequence(a) && b.kind === 'int' ? [a, b.value] : isSequence(b) && a.kind === 'int' ? [b, a.value] : [undefined, 0n];
  if (seq === undefined) return undefined;
  if (count * BigInt(length(seq)) > 100_000n) throw new LiteralSyntaxError('the model evaluates repeated literals of at most 100000 items');
  let result = empty(seq);
  for (let i = 0n; i < count; i++) result = concat(result, seq);
  return result;
}

function length(c: Constant): number {
  return c.kind === 'str' ? c.value.length : c.kind === 'bytes' ? c.value.length : c.kind === 'tuple' ? c.items.length : 1;
}

function empty(like: Constant): Constant {
  if (like.kind === 'str') return { kind: 'str', value: '' };
  if (like.kind === 'bytes') return { kind: 'bytes', value: [] };
  return { kind: 'tuple', items: [] };
}

function concat(a: Constant, b: Constant): Constant {
  if (a.kind === 'str' && b.kind === 'str') return { kind: 'str', value: a.value + b.value };
  if (a.kind === 'bytes' && b.kind === 'bytes') return { kind: 'bytes', value: [...a.value, ...b.value] };
  if (a.kind === 'tuple' && b.kind === 'tuple') return { kind: 'tuple', items: [...a.items, ...b.items] };
  throw new LiteralSyntaxError(`can only concatenate ${a.kind} (not "${b.kind}") to ${a.kind}`);
}
