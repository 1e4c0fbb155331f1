/*
 * Parsers for the CLI's option values. Each turns the text the user typed into a
 * value or throws commander's InvalidArgumentError, which the CLI reports as one
 * line on stderr with exit code 2.
 */
import { InvalidArgumentError } from 'commander';

/** A whole number >= min (e.g. --workers, --iterations, --repeat). */
export function integerAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got '${text}'.`);
    }
    return value;
  };
}

/** A finite number > 0 (e.g. --timeout, --duration in seconds). */
export function positiveNumber(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, got '${text}'.`);
  }
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
