/*
 * int, bool, float and complex (Objects/longobject.c, floatobject.c, complexobject.c).
 *
 * An int is a PyLongObject: ob_size holds the sign and the number of 30-bit
 * digits, and one allocation holds offsetof(ob_digit) + 4 bytes per digit (at
 * least one digit). Ints in -5..256 are the shared static small ints. The model
 * keeps an int's value in `num` when it is a safe JS integer, else its 30-bit
 * digits (least significant first) in the store. bool's True and False are static
 * ints. A float is 24 bytes (value in `num`), a complex 32 (imag in the store).
 */
import { H_FALSE, H_TRUE, type HeapMemory } from './memory.js';
import { newObject } from './objects.js';
import { isSmallInt, smallInt, staticRef } from './statics.js';
import { storeAlloc } from './store.js';
import { T } from './types.js';

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
    m.num[id] = Number(big);
  } else {
    const d = storeAlloc(m, digits);
    const mask = (1n << BigInt(s.digitBits)) - 1n;
    let magnitude = big < 0n ? -big : big;
    for (let i = 0; i < digits; i++, magnitude >>= BigInt(s.digitBits)) m.store[d + i] = Number(magnitude & mask);
    m.data[id] = d;
  }
  return id;
}

export function intValue(m: HeapMemory, id: number): bigint {
  if (m.data[id] < 0) return BigInt(m.num[id]);
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
  m.num[id] = value;
  return id;
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

export function newComplex(m: HeapMemory, real: number, imag: number): number {
  const id = newObject(m, T.Complex);
  m.num[id] = real;
  const d = storeAlloc(m, 2);
  f64[0] = imag;
  m.store[d] = f64Words[0];
  m.store[d + 1] = f64Words[1];
  m.data[id] = d;
  return id;
}

export function complexImag(m: HeapMemory, id: number): number {
  f64Words[0] = m.store[m.data[id]];
  f64Words[1] = m.store[m.data[id] + 1];
  return f64[0];
}
