/*
 * A count and its noun, as English says it: "1 step", "2 steps", "0 schedules".
 * Every report's text counts with it (the drawing code that runs in the browser
 * has its own, since it is serialized alone: src/report/draw/).
 */

/** "1 step", "2 steps": the count, then the noun, plural unless the count is 1 (`plural` for an irregular one). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** The noun alone, as counted() would say it: "worker" for one, "workers" otherwise. */
export function nounFor(count: number, noun: string, plural = `${noun}s`): string {
  return count === 1 ? noun : plural;
}
