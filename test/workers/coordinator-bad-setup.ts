// A scenario for the coordinator's tests whose setup raises: every run is an error, and nothing starts.
import { defineScenario } from '../../src/coordinator/define-scenario.js';

export default defineScenario({
  name: 'bad-setup',
  summary: 'setup raises',
  explain: 'The shared objects cannot be made.',
  params: { workers: 2, iterations: 1, repeat: 2, timeout: 5 },
  setup: () => {
    throw new RangeError('no room for the accounts');
  },
  judge: () => ({ outcome: 'ok', observed: 'ok' }),
  variants: {
    racy: { summary: 'r', worker: () => 0, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] },
    fixed: { summary: 'f', worker: () => 0, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] },
  },
});
