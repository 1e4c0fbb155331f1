/*
 * The judge shared by the counter scenarios (lost-update, synchronized-value-trap):
 * `workers` workers each add 1 `iterations` times, so a correct run ends at
 * workers * iterations; anything less is the number of updates that were lost.
 */
import type { Classification, Judgement, OutcomeSpec, ScenarioParams, SyncLock } from '../../src/scenario.js';

export const expectedCount = (params: ScenarioParams): number => params.workers * params.iterations;

export function judgeCounter(value: number, params: ScenarioParams): Judgement {
  const expected = expectedCount(params);
  const lost = expected - value;
  return {
    outcome: lost === 0 ? `counter=${expected}` : lost > 0 ? `counter<${expected}` : `counter>${expected}`,
    observed: lost === 0 ? `counter=${value}` : `counter=${value} (${lost > 0 ? `${lost} update${lost === 1 ? '' : 's'} lost` : `${-lost} too many`})`,
    expected: `counter=${expected}`,
    values: { counter: value, expected, lost: Math.max(0, lost), extra: Math.max(0, -lost) },
  };
}

/** The counter outcomes, with lost updates classified as `lostUpdates` (INTERESTING when racy, FORBIDDEN when fixed). */
export function counterOutcomes(lostUpdates: Classification): (params: ScenarioParams) => OutcomeSpec[] {
  return (params) => [
    { key: `counter=${expectedCount(params)}`, expect: 'ACCEPTABLE', description: 'every update counted' },
    { key: `counter<${expectedCount(params)}`, expect: lostUpdates, description: 'updates lost: two read-modify-writes overlapped' },
  ];
}

/** Runs `increment` `iterations` times; with a lock, each increment holds it (Python: `with lock:`). */
export function incrementMany(iterations: number, increment: () => void, lock?: SyncLock): void {
  for (let i = 0; i < iterations; i++) {
    lock?.acquire();
    increment();
    lock?.release();
  }
}
