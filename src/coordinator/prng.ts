/*
 * The seeded randomness of scenarios: --seed S makes a run's random choices
 * repeatable (Python counterpart: random.Random(seed) handed to each process).
 *
 * Algorithm: mulberry32 (Tommy Ettinger's 32-bit generator, public domain): one
 * 32-bit state word advanced by a Weyl constant, then mixed by two multiply-xorshift
 * rounds. Each worker of each repeat gets its own stream, derived by hashing
 * (seed, repeat, worker) so that streams do not overlap in an obvious way.
 */

export type Random = () => number;

/** A generator of floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of one stream: (seed, repeat, worker) mixed into 32 bits. */
export function streamSeed(seed: number, ...parts: number[]): number {
  let hash = seed >>> 0;
  for (const part of parts) hash = Math.imul(hash ^ (part + 0x9e37_79b9), 0x85eb_ca6b) >>> 0;
  return hash;
}

/** A whole number in [0, bound) drawn from `random`. */
export function randomBelow(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}

/** A seed for a run that was not given one, printed so the run can be repeated. */
export function freshSeed(): number {
  return (Math.random() * 0x7fff_ffff) >>> 0;
}
