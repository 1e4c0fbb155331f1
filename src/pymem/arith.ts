/*
 * Python 3.11's operators on constants (Objects/longobject.c, floatobject.c,
 * complexobject.c, and the sequence concatenation and repetition of str, bytes
 * and tuple), with Python's results and Python's error messages: what the AST
 * optimizer folds (fold.ts) and what the evaluator computes at run time.
 *
 * Numbers follow Python's tower: bool is an int (True + True == 2, but
 * True & True is True), an int meets a float as float(int) (OverflowError past
 * the float range), and a float or int meets a complex as complex. int / int is
 * correctly rounded even for big ints; // and % floor towards minus infinity;
 * a negative float to a fractional power is a complex (float_pow hands it to
 * complex_pow); complex division is CPython's _Py_c_quot and complex powers its
 * c_powi / _Py_c_pow.
 */
import { constantTypeName, NotModelledError, type Constant } from './constant.js';
import { OverflowError, ZeroDivisionError } from './errors.js';
import { ValueError } from '../errors.js';

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export type UnaryOperator = '-' | '+' | '~';

/** The model's bound on an int it computes, so that one expression cannot exhaust memory. */
export const MAX_INT_BITS = 1_000_000;
/** The model's bound on the length of a sequence it builds. */
export const MAX_SEQUENCE_ITEMS = 1_000_000;

type Complex = { re: number; im: number };

const unsupported = (op: string, a: Constant, b: Constant): TypeError =>
  new TypeError(`unsupported operand type(s) for ${op === '**' ? '** or pow()' : op}: '${constantTypeName(a)}' and '${constantTypeName(b)}'`);

const isIntLike = (c: Constant): c is { kind: 'int'; value: bigint } | { kind: 'bool'; value: boolean } => c.kind === 'int' || c.kind === 'bool';
const isNumber = (c: Constant): boolean => isIntLike(c) || c.kind === 'float' || c.kind === 'complex';
const isSequence = (c: Constant): boolean => c.kind === 'str' || c.kind === 'bytes' || c.kind === 'tuple';

export function intOf(c: Constant): bigint {
  if (c.kind === 'bool') return c.value ? 1n : 0n;
  if (c.kind === 'int') return c.value;
  throw new TypeError(`'${constantTypeName(c)}' object cannot be interpreted as an integer`);
}

/** float(int), correctly rounded (ties to even), as PyLong_AsDouble. */
export function intToFloat(value: bigint): number {
  const x = Number(value);
  if (!Number.isFinite(x)) throw new OverflowError('int too large to convert to float');
  return x;
}

function floatOf(c: Constant): number {
  return c.kind === 'float' ? c.value : intToFloat(intOf(c));
}

function complexOf(c: Constant): Complex {
  return c.kind === 'complex' ? { re: c.real, im: c.imag } : { re: floatOf(c), im: 0 };
}

const fromComplex = (z: Complex): Constant => ({ kind: 'complex', real: z.re, imag: z.im });

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : (value < 0n ? -value : value).toString(2).length;
}

function checkBits(value: bigint): bigint {
  if (bitLength(value) > MAX_INT_BITS) throw new NotModelledError(`the model computes ints of at most ${MAX_INT_BITS} bits`);
  return value;
}

/** a <op> b, as Python computes it. */
export function binaryOp(op: BinaryOperator, a: Constant, b: Constant): Constant {
  if (op === '@') throw unsupported(op, a, b);
  if (isNumber(a) && isNumber(b)) return numberOp(op, a, b);
  if (op === '+' && isSequence(a)) return concat(a, b);
  if (op === '*' && isSequence(a) && isIntLike(b)) return repeat(a, intOf(b));
  if (op === '*' && isSequence(b) && isIntLike(a)) return repeat(b, intOf(a));
  if (op === '*' && (isSequence(a) || isSequence(b))) {
    throw new TypeError(`can't multiply sequence by non-int of type '${constantTypeName(isSequence(a) ? b : a)}'`);
  }
  if (op === '%' && (a.kind === 'str' || a.kind === 'bytes')) throw new NotModelledError('the model does not format strings (str % values)');
  throw unsupported(op, a, b);
}

function numberOp(op: BinaryOperator, a: Constant, b: Constant): Constant {
  if (isIntLike(a) && isIntLike(b)) return intOp(op, a, b);
  if (a.kind === 'complex' || b.kind === 'complex') return complexOp(op, a, b);
  return floatOp(op, floatOf(a), floatOf(b), a, b);
}

function intOp(op: BinaryOperator, a: Constant, b: Constant): Constant {
  const x = intOf(a);
  const y = intOf(b);
  const bothBool = a.kind === 'bool' && b.kind === 'bool';
  const int = (value: bigint): Constant => ({ kind: 'int', value: checkBits(value) });
  switch (op) {
    case '+':
      return int(x + y);
    case '-':
      return int(x - y);
    case '*':
      if (bitLength(x) + bitLength(y) > MAX_INT_BITS + 1) checkBits(1n << BigInt(MAX_INT_BITS + 1));
      return int(x * y);
    case '/':
      return { kind: 'float', value: trueDivide(x, y) };
    case '//':
      if (y === 0n) throw new ZeroDivisionError('integer division or modulo by zero');
      return int(floorDivide(x, y));
    case '%':
      if (y === 0n) throw new ZeroDivisionError('integer modulo by zero');
      return int(x - floorDivide(x, y) * y);
    case '**':
      if (y < 0n) return floatOp('**', intToFloat(x), intToFloat(y), a, b);
      if (x !== 0n && x !== 1n && x !== -1n && y > BigInt(MAX_INT_BITS)) checkBits(1n << BigInt(MAX_INT_BITS + 1));
      if (Math.max(bitLength(x) - 1, 0) * Number(y) > MAX_INT_BITS) checkBits(1n << BigInt(MAX_INT_BITS + 1));
      return int(x ** y);
    case '<<':
    case '>>':
      if (y < 0n) throw new ValueError('negative shift count');
      if (op === '>>') return int(x >> y);
      if (x !== 0n && y > BigInt(MAX_INT_BITS)) checkBits(1n << BigInt(MAX_INT_BITS + 1));
      return int(x << y);
    case '&':
      return bothBool ? { kind: 'bool', value: (x & y) !== 0n } : int(x & y);
    case '|':
      return bothBool ? { kind: 'bool', value: (x | y) !== 0n } : int(x | y);
    case '^':
      return bothBool ? { kind: 'bool', value: (x ^ y) !== 0n } : int(x ^ y);
    default:
      throw unsupported(op, a, b);
  }
}

function floorDivide(x: bigint, y: bigint): bigint {
  const q = x / y;
  return (x % y !== 0n) && ((x < 0n) !== (y < 0n)) ? q - 1n : q;
}

/** int / int, correctly rounded as long_true_divide does (the quotient taken to 55 bits plus a sticky bit). */
function trueDivide(x: bigint, y: bigint): number {
  if (y === 0n) throw new ZeroDivisionError('division by zero');
  const limit = 1n << 53n;
  const negative = (x < 0n) !== (y < 0n);
  const ax = x < 0n ? -x : x;
  const ay = y < 0n ? -y : y;
  if (ax <= limit && ay <= limit) return Number(x) / Number(y);
  const shift = 55 - (bitLength(ax) - bitLength(ay));
  const numerator = shift > 0 ? ax << BigInt(shift) : ax;
  const denominator = shift < 0 ? ay << BigInt(-shift) : ay;
  let q = numerator / denominator;
  if (numerator % denominator !== 0n) q |= 1n;
  const magnitude = ldexp(Number(q), -shift);
  if (!Number.isFinite(magnitude)) throw new OverflowError('integer division result too large for a float');
  return negative ? -magnitude : magnitude;
}

/** x * 2**exponent, in steps that neither overflow nor underflow early. */
function ldexp(x: number, exponent: number): number {
  let result = x;
  let e = exponent;
  while (e !== 0) {
    const step = Math.max(-1000, Math.min(1000, e));
    result *= 2 ** step;
    e -= step;
  }
  return result;
}

function floatOp(op: BinaryOperator, x: number, y: number, a: Constant, b: Constant): Constant {
  const float = (value: number): Constant => ({ kind: 'float', value });
  switch (op) {
    case '+':
      return float(x + y);
    case '-':
      return float(x - y);
    case '*':
      return float(x * y);
    case '/':
      if (y === 0) throw new ZeroDivisionError('float division by zero');
      return float(x / y);
    case '//':
      if (y === 0) throw new ZeroDivisionError('float floor division by zero');
      return float(floatDivMod(x, y)[0]);
    case '%':
      if (y === 0) throw new ZeroDivisionError('float modulo');
      return float(floatDivMod(x, y)[1]);
    case '**':
      return floatPower(x, y);
    default:
      throw unsupported(op, a, b);
  }
}

/** _float_div_mod: the floor quotient snapped to an integral value, the remainder with the sign of y. */
function floatDivMod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = Math.sign(y) < 0 || Object.is(y, -0) ? -0 : 0;
  }
  let floorDiv: number;
  if (div) {
    floorDiv = Math.floor(div);
    if (div - floorDiv > 0.5) floorDiv += 1;
  } else {
    floorDiv = x / y < 0 || Object.is(x / y, -0) ? -0 : 0;
  }
  return [floorDiv, mod];
}

const isOddInteger = (x: number): boolean => Number.isFinite(x) && Math.abs(x) % 2 === 1;

/** float_pow, with its special cases for nans, infinities and zeros. */
function floatPower(x: number, y: number): Constant {
  const float = (value: number): Constant => ({ kind: 'float', value });
  if (y === 0) return float(1);
  if (Number.isNaN(x)) return float(x);
  if (Number.isNaN(y)) return float(x === 1 ? 1 : y);
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return float(1);
    return float(y > 0 === ax > 1 ? Math.abs(y) : 0);
  }
  if (!Number.isFinite(x)) {
    if (y > 0) return float(isOddInteger(y) ? x : Math.abs(x));
    return float(isOddInteger(y) ? (x < 0 ? -0 : 0) : 0);
  }
  if (x === 0) {
    if (y < 0) throw new ZeroDivisionError('0.0 cannot be raised to a negative power');
    return float(isOddInteger(y) ? x : 0);
  }
  let base = x;
  let negate = false;
  if (x < 0) {
    if (y !== Math.floor(y)) return complexPower({ re: x, im: 0 }, { re: y, im: 0 });
    base = -x;
    negate = isOddInteger(y);
  }
  if (base === 1) return float(negate ? -1 : 1);
  const result = base ** y;
  if (!Number.isFinite(result)) throw new OverflowError("(34, 'Numerical result out of range')");
  return float(negate ? -result : result);
}

function complexOp(op: BinaryOperator, a: Constant, b: Constant): Constant {
  const x = complexOf(a);
  const y = complexOf(b);
  switch (op) {
    case '+':
      return fromComplex({ re: x.re + y.re, im: x.im + y.im });
    case '-':
      return fromComplex({ re: x.re - y.re, im: x.im - y.im });
    case '*':
      return fromComplex(product(x, y));
    case '/':
      return fromComplex(quotient(x, y));
    case '**':
      return complexPower(x, y);
    default:
      throw unsupported(op, a, b);
  }
}

const product = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });

/** _Py_c_quot. */
function quotient(a: Complex, b: Complex): Complex {
  const absRe = Math.abs(b.re);
  const absIm = Math.abs(b.im);
  if (absRe >= absIm) {
    if (absRe === 0) throw new ZeroDivisionError('complex division by zero');
    const ratio = b.im / b.re;
    const denominator = b.re + b.im * ratio;
    return { re: (a.re + a.im * ratio) / denominator, im: (a.im - a.re * ratio) / denominator };
  }
  if (absIm >= absRe) {
    const ratio = b.re / b.im;
    const denominator = b.re * ratio + b.im;
    return { re: (a.re * ratio + a.im) / denominator, im: (a.im * ratio - a.re) / denominator };
  }
  return { re: NaN, im: NaN };
}

/** complex_pow: c_powi for small integral exponents, else _Py_c_pow. */
function complexPower(a: Complex, b: Complex): Constant {
  let result: Complex;
  if (b.im === 0 && b.re === Math.floor(b.re) && Math.abs(b.re) <= 100) {
    const n = b.re;
    if (a.re === 0 && a.im === 0 && n < 0) throw new ZeroDivisionError('0.0 to a negative or complex power');
    result = n > 0 ? powUnsigned(a, n) : quotient({ re: 1, im: 0 }, powUnsigned(a, -n));
  } else {
    result = powGeneral(a, b);
  }
  if (!Number.isFinite(result.re) || !Number.isFinite(result.im)) {
    if ([a.re, a.im, b.re, b.im].every(Number.isFinite)) throw new OverflowError('complex exponentiation');
  }
  return fromComplex(result);
}

function powUnsigned(x: Complex, n: number): Complex {
  let r: Complex = { re: 1, im: 0 };
  let p = x;
  for (let mask = 1; mask > 0 && n >= mask; mask *= 2) {
    if (Math.floor(n / mask) % 2 === 1) r = product(r, p);
    p = product(p, p);
  }
  return r;
}

function powGeneral(a: Complex, b: Complex): Complex {
  if (b.re === 0 && b.im === 0) return { re: 1, im: 0 };
  if (a.re === 0 && a.im === 0) {
    if (b.im !== 0 || b.re < 0) throw new ZeroDivisionError('0.0 to a negative or complex power');
    return { re: 0, im: 0 };
  }
  const modulus = Math.hypot(a.re, a.im);
  let length = modulus ** b.re;
  const angle = Math.atan2(a.im, a.re);
  let phase = angle * b.re;
  if (b.im !== 0) {
    length /= Math.exp(angle * b.im);
    phase += b.im * Math.log(modulus);
  }
  return { re: length * Math.cos(phase), im: length * Math.sin(phase) };
}

/** -a, +a, ~a. */
export function unaryOp(op: UnaryOperator, a: Constant): Constant {
  if (isIntLike(a)) {
    const x = intOf(a);
    return { kind: 'int', value: op === '-' ? -x : op === '+' ? x : ~x };
  }
  if (a.kind === 'float' && op !== '~') return { kind: 'float', value: op === '-' ? -a.value : a.value };
  if (a.kind === 'complex' && op !== '~') return op === '-' ? { kind: 'complex', real: -a.real, imag: -a.imag } : a;
  throw new TypeError(`bad operand type for unary ${op}: '${constantTypeName(a)}'`);
}

function concat(a: Constant, b: Constant): Constant {
  if (a.kind === 'str' && b.kind === 'str') return limited({ kind: 'str', points: [...a.points, ...b.points] });
  if (a.kind === 'bytes' && b.kind === 'bytes') return limited({ kind: 'bytes', value: [...a.value, ...b.value] });
  if (a.kind === 'tuple' && b.kind === 'tuple') return limited({ kind: 'tuple', items: [...a.items, ...b.items] });
  if (a.kind === 'bytes') throw new TypeError(`can't concat ${constantTypeName(b)} to bytes`);
  throw new TypeError(`can only concatenate ${constantTypeName(a)} (not "${constantTypeName(b)}") to ${constantTypeName(a)}`);
}

export function sequenceLength(c: Constant): number {
  return c.kind === 'str' ? c.points.length : c.kind === 'bytes' ? c.value.length : c.kind === 'tuple' ? c.items.length : 0;
}

/** How many items `length * count` makes, bounded by the model (a count <= 0 makes none). */
export function repeatedLength(length: number, count: bigint): number {
  if (count <= 0n || length === 0) return 0;
  return checkedItems(count * BigInt(length));
}

/** A sequence's length, when within the model's bound (MAX_SEQUENCE_ITEMS); past it, NotModelledError. */
export function checkedItems(items: bigint | number): number {
  if (BigInt(items) > BigInt(MAX_SEQUENCE_ITEMS)) throw new NotModelledError(`the model builds sequences of at most ${MAX_SEQUENCE_ITEMS} items`);
  return Number(items);
}

function repeat(seq: Constant, count: bigint): Constant {
  const n = repeatedLength(sequenceLength(seq), count);
  const pick = <T>(items: T[]): T[] => Array.from({ length: n }, (_, i) => items[i % items.length]);
  if (seq.kind === 'str') return { kind: 'str', points: pick(seq.points) };
  if (seq.kind === 'bytes') return { kind: 'bytes', value: pick(seq.value) };
  return { kind: 'tuple', items: pick((seq as { items: Constant[] }).items) };
}

function limited(c: Constant): Constant {
  checkedItems(sequenceLength(c));
  return c;
}
