/*
 * What a benchmark row reports over its repetitions: the median, the fastest and
 * the slowest run (for an even count the median is the mean of the two middle runs).
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many runs it summarizes. */
  runs: number;
}

export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new RangeError('a spread needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}
