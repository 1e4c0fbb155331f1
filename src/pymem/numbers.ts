/*
 * int, bool, float and complex (Objects/longobject.c, floatobject.c, complexobject.c).
 *
 * An int is a PyLongObject: ob_size holds the sign and the number of 30-bit
 * digits, and one allocation holds offsetof(ob_digit) + 4 bytes per digit (at
 * least one digit). Ints in -5..256 are the shared static small ints. The model
 * keeps an int's value in `num` when it is a safe JS integer, else its 30-bit
 * digits (least significant first) in the store (flag F_BIG). bool's True and
 * False are static ints. A float is 24 bytes, a complex 32. A float's, a bool's
 * and a small-enough int's value is kept as the 64 bits of a double in the `data`
 * and `aux` columns (no extra column); a complex keeps both parts in the store.
 */
import { H_FALSE, H_TRUE, type HeapMemory } from './memory.js';
import { newObject } from './objects.js';
import { isSmallInt, smallInt, staticRef } from './statics.js';
import { storeAlloc } from './store.js';
import { F_BIG, T } from './types.js';

/** Number of 30-bit digits of |value| (0 for zero). */
export function digitCount(value: bigint, bits: number): number {
  let magnitude = value < 0n ? -value : value;
  let n = 0;
  while (magnitude > 0n) {
    magnitude >>= BigInt(bits);
    n++;
  }
  return n;
}

/** A new reference to an int. */
export function newInt(m: HeapMemory, value: number | bigint): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`an int needs an integral value, got ${value}`);
    if (isSmallInt(m, value)) return smallInt(m, value);
  } else if (value >= -0x8000n && value <= 0x8000n && isSmallInt(m, Number(value))) {
    return smallInt(m, Number(value));
  }
  const big = BigInt(value);
  const s = m.profile.sizes;
  const digits = digitCount(big, s.digitBits);
  const id = newObject(m, T.Int, digits);
  m.size[id] = big < 0n ? -digits : digits;
  if (Number.isSafeInteger(Number(big))) {
    setNumber(m, id, Number(big));
  } else {
    m.flags[id] |= F_BIG;
    const d = storeAlloc(m, digits);
    const mask = (1n << BigInt(s.digitBits)) - 1n;
    let magnitude = big < 0n ? -big : big;
    for (let i = 0; i < digits; i++, magnitude >>= BigInt(s.digitBits)) m.store[d + i] = Number(magnitude & mask);
    m.data[id] = d;
  }
  return id;
}

export function intValue(m: HeapMemory, id: number): bigint {
  if ((m.flags[id] & F_BIG) === 0) return BigInt(numberOf(m, id));
  const bits = BigInt(m.profile.sizes.digitBits);
  const n = Math.abs(m.size[id]);
  let value = 0n;
  for (let i = n - 1; i >= 0; i--) value = (value << bits) | BigInt(m.store[m.data[id] + i]);
  return m.size[id] < 0 ? -value : value;
}

export function newBool(m: HeapMemory, value: boolean): number {
  return staticRef(m, m.header[value ? H_TRUE : H_FALSE]);
}

export function newFloat(m: HeapMemory, value: number): number {
  const id = newObject(m, T.Float);
  setNumber(m, id, value);
  return id;
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/** The value of a float, a bool, or an int that is not F_BIG. */
export function numberOf(m: HeapMemory, id: number): number {
  f64Words[0] = m.data[id];
  f64Words[1] = m.aux[id];
  return f64[0];
}

export function setNumber(m: HeapMemory, id: number, value: number): void {
  f64[0] = value;
  m.data[id] = f64Words[0];
  m.aux[id] = f64Words[1];
}

export function newComplex(m: HeapMemory, real: number, imag: number): number {
  const id = newObject(m, T.Complex);
  const d = storeAlloc(m, 4);
  for (const [offset, value] of [[0, real], [2, imag]]) {
    f64[0] = value;
    m.store[d + offset] = f64Words[0];
    m.store[d + offset + 1] = f64Words[1];
  }
  m.data[id] = d;
  return id;
}

/** A complex's real (part 0) or imaginary (part 1) part. */
export function complexPart(m: HeapMemory, id: number, part: 0 | 1): number {
  f64Words[0] = m.store[m.data[id] + 2 * part];
  f64Words[1] = m.store[m.data[id] + 2 * part + 1];
  return f64[0];
}

/**
 * An int against a float, exactly, as CPython's float_richcompare: -1, 0 or 1,
 * NaN against a NaN. No int equals a float that is not integral, and an int too big
 * for a float is not rounded to one (2**53 + 1 > 2.0**53, 10**400 < inf).
 */
export function compareIntWithFloat(int: bigint, float: number): number {
  if (Number.isNaN(float)) return Number.NaN;
  if (!Number.isFinite(float)) return float > 0 ? -1 : 1;
  const whole = BigInt(Math.floor(float));
  if (int !== whole) return int < whole ? -1 : 1;
  return float > Math.floor(float) ? -1 : 0;
}
