/*
 * Parsers for the CLI's option values. Each turns the text the user typed into a
 * value or throws commander's InvalidArgumentError, which the CLI reports as one
 * line on stderr with exit code 2. Every number is bounded above (limits.ts): a
 * whole number by the count limit unless a tighter one is given, seconds by the
 * seconds limit.
 */
import { InvalidArgumentError } from 'commander';
import { LIMITS, type Limit } from './limits.js';

/** A whole number from min to the limit's max (default: the count limit), e.g. --iterations, --ops. */
export function integerAtLeast(min: number, limit: Limit = LIMITS.count): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text) || value < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got '${text}'.`);
    // A whole number too big for a double is past every limit: said as the limit, not as "not a number".
    if (!Number.isSafeInteger(value) || value > limit.max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${limit.max} (${limit.reason}), got '${text}'.`);
    return value;
  };
}

/** --workers: a whole number from 1 to the workers limit. */
export const workerCount = integerAtLeast(1, LIMITS.workers);

/** --preemptions (explore, stress --explore): a whole number from 0 to the preemptions limit. */
export const preemptionBound = integerAtLeast(0, LIMITS.preemptions);

/** --depth (explore, stress --explore): pct's bug depth d, from 1 to 20 (d - 1 priority change points). */
export const pctDepth = integerAtLeast(1, { max: 20, reason: 'pct takes d-1 priority change points' });

/** --seed: a whole number that fits the 32 bits the random streams take. */
export const seed = integerAtLeast(0, LIMITS.seed);

/** A number of seconds > 0, at most the seconds limit (e.g. --timeout, --duration). */
export function positiveNumber(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, got '${text}'.`);
  }
  if (value > LIMITS.seconds.max) throw new InvalidArgumentError(`expected at most ${LIMITS.seconds.max} seconds (${LIMITS.seconds.reason}), got '${text}'.`);
  return value;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${text}'.`);
    }
    return text as T;
  };
}

/** A comma-separated list of words from a fixed set, without repeats. */
export function listOf<T extends string>(choices: readonly T[]): (text: string) => T[] {
  const one = oneOf(choices);
  return (text) => {
    const items = text.split(',').map((item) => one(item.trim()));
    if (new Set(items).size !== items.length) throw new InvalidArgumentError(`'${text}' names an item twice.`);
    return items;
  };
}
