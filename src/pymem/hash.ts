/*
 * hash() as CPython 3.11 computes it for the values whose hash does not change
 * between runs (Python/pyhash.c, Objects/longobject.c, floatobject.c,
 * complexobject.c, tupleobject.c): what places them in a set's table, so the
 * model can iterate a set in CPython's order (set-order.ts). str and bytes hash
 * with SipHash under a random seed, None and a NaN by their address, so theirs
 * is unknown here (undefined).
 *
 * Algorithms, on 64-bit Py_uhash_t (BigInt, wrapped to 64 bits):
 *   int: sign * (|v| mod P), P = 2**61 - 1 (_PyHASH_MODULUS); -1 becomes -2.
 *   float: an integral one as its int; inf and -inf +-314159; otherwise
 *     _Py_HashDouble: the mantissa 28 bits at a time, folded mod P, then rotated
 *     by the exponent mod 61.
 *   complex: hash(real) + 1000003 * hash(imag).
 *   tuple: xxHash's round over the items' hashes (XXPRIME_1, _2, _5, rotate by
 *     31), plus len ^ (XXPRIME_5 ^ 3527539); -1 becomes 1546275796.
 */
import type { HeapMemory } from './memory.js';
import { complexPart, intValue, numberOf } from './numbers.js';
import { F_BIG, T } from './types.js';

const BITS = 61n;
const MODULUS = (1n << BITS) - 1n;
const INF = 314159n;
const WORD = 64;
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;

const unsigned = (value: bigint): bigint => BigInt.asUintN(WORD, value);
const signed = (value: bigint): bigint => BigInt.asIntN(WORD, value);
const notMinusOne = (hash: bigint): bigint => (signed(hash) === -1n ? unsigned(-2n) : unsigned(hash));

/** hash(value) as a 64-bit unsigned Py_uhash_t, or undefined when CPython's varies from run to run. */
export function knownHash(m: HeapMemory, id: number): bigint | undefined {
  switch (m.type[id]) {
    case T.Bool:
      return BigInt(numberOf(m, id));
    case T.Int:
      return intHash((m.flags[id] & F_BIG) !== 0 ? intValue(m, id) : BigInt(numberOf(m, id)));
    case T.Float:
      return floatHash(numberOf(m, id));
    case T.Complex: {
      const [real, imag] = [floatHash(complexPart(m, id, 0)), floatHash(complexPart(m, id, 1))];
      return real === undefined || imag === undefined ? undefined : notMinusOne(real + 1000003n * imag);
    }
    case T.Tuple:
      return tupleHash(m, id);
    default:
      return undefined;
  }
}

function intHash(value: bigint): bigint {
  const magnitude = (value < 0n ? -value : value) % MODULUS;
  return notMinusOne(value < 0n ? -magnitude : magnitude);
}

function floatHash(value: number): bigint | undefined {
  if (Number.isNaN(value)) return undefined;
  if (!Number.isFinite(value)) return unsigned(value > 0 ? INF : -INF);
  if (Number.isInteger(value)) return intHash(BigInt(value));
  let [mantissa, exponent] = frexp(Math.abs(value));
  let x = 0n;
  while (mantissa !== 0) {
    x = ((x << 28n) & MODULUS) | (x >> (BITS - 28n));
    mantissa *= 268435456; // 2**28
    exponent -= 28;
    const whole = Math.floor(mantissa);
    mantissa -= whole;
    x += BigInt(whole);
    if (x >= MODULUS) x -= MODULUS;
  }
  const e = BigInt(exponent >= 0 ? exponent % 61 : 60 - ((-1 - exponent) % 61));
  x = ((x << e) & MODULUS) | (x >> (BITS - e));
  return notMinusOne(value < 0 ? -x : x);
}

/** C's frexp for a positive finite number: [m, e] with m in [0.5, 1) and value = m * 2**e. */
function frexp(value: number): [number, number] {
  let exponent = Math.floor(Math.log2(value)) + 1;
  // Scaled in two halves: 2**-exponent alone overflows for a subnormal value. log2 may be off by one near powers of two.
  const half = Math.trunc(-exponent / 2);
  let mantissa = value * 2 ** half * 2 ** (-exponent - half);
  while (mantissa < 0.5) {
    mantissa *= 2;
    exponent--;
  }
  while (mantissa >= 1) {
    mantissa /= 2;
    exponent++;
  }
  return [mantissa, exponent];
}

function tupleHash(m: HeapMemory, id: number): bigint | undefined {
  const length = m.size[id];
  let acc = XXPRIME_5;
  for (let i = 0; i < length; i++) {
    const lane = knownHash(m, m.store[m.data[id] + i]);
    if (lane === undefined) return undefined;
    acc = unsigned(acc + lane * XXPRIME_2);
    acc = unsigned((acc << 31n) | (acc >> 33n));
    acc = unsigned(acc * XXPRIME_1);
  }
  acc = unsigned(acc + (BigInt(length) ^ (XXPRIME_5 ^ 3527539n)));
  return acc === unsigned(-1n) ? 1546275796n : acc;
}
