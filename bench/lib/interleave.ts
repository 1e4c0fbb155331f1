/*
 * Repetitions taken in turn: every sample runs once to warm up (JIT, caches, page
 * faults), then `reps` rounds run all samples one after the other, so that a row
 * and its baselines share whatever load the machine has while they run.
 */
export type Sample = () => number | Promise<number>;

/** Each sample's measurements, in the order of `samples`. */
export async function interleave(reps: number, samples: readonly Sample[]): Promise<number[][]> {
  for (const sample of samples) await sample();
  const measured = samples.map((): number[] => []);
  for (let rep = 0; rep < reps; rep++) {
    for (const [index, sample] of samples.entries()) measured[index].push(await sample());
  }
  return measured;
}
