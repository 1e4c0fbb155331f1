/*
 * A demonstration that is not a race, in its own words (docs/SCENARIOS.md,
 * `vocabulary`): every worker computes 0.1 + 0.2, which is not 0.3 in binary
 * floating point, in CPython as in JavaScript (both use IEEE 754 doubles).
 *
 *   memplay run examples/scenarios/float-sum.ts
 */
import { defineScenario } from 'memplay/scenario';

export default defineScenario({
  name: 'float-sum',
  summary: '0.1 + 0.2 == 0.3 is False: binary doubles cannot hold 0.1 exactly',
  explain:
    '0.1, 0.2 and 0.3 have no exact binary representation; the nearest doubles to 0.1 and 0.2 add up to ' +
    '0.30000000000000004, the double after the nearest one to 0.3. Compare with a tolerance instead. Python:\n' +
    '    0.1 + 0.2 == 0.3                  # False\n' +
    '    math.isclose(0.1 + 0.2, 0.3)      # True',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 10 },
  // Not a race: the report says AS CPYTHON DOES where a race says INTERESTING.
  vocabulary: { INTERESTING: 'AS CPYTHON DOES' },
  setup: () => ({}),
  judge: ({ results }) => ({
    outcome: results.every((sum) => sum === 0.3) ? 'equal' : 'not-equal',
    observed: `0.1 + 0.2 = ${results[0]}`,
    values: { sum: results[0] as number },
  }),
  variants: {
    'exact-compare': {
      summary: '0.1 + 0.2 == 0.3',
      python: '0.1 + 0.2 == 0.3',
      worker: () => 0.1 + 0.2,
      outcomes: [{ key: 'not-equal', expect: 'INTERESTING', description: 'the sum is the double after 0.3' }],
    },
    isclose: {
      summary: 'math.isclose(0.1 + 0.2, 0.3)',
      python: 'math.isclose(0.1 + 0.2, 0.3)',
      worker: () => (Math.abs(0.1 + 0.2 - 0.3) <= 1e-9 * 0.3 ? 0.3 : 0.1 + 0.2),
      outcomes: [{ key: 'equal', expect: 'ACCEPTABLE', description: 'equal within a relative tolerance of 1e-9' }],
    },
  },
});
