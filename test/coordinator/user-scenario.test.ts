import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

describe('a scenario file from a temporary folder', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-scenario-'));
    writeFileSync(
      join(folder, 'tally.ts'),
      `import { defineScenario } from ${JSON.stringify(join(src, 'coordinator/define-scenario.ts'))};
import { SharedArray } from ${JSON.stringify(join(src, 'mp/shared-array.ts'))};
import { Lock } from ${JSON.stringify(join(src, 'sync/lock.ts'))};

// Each worker marks its own slot under a lock: the coordinator must hand every
// worker the same SharedArray and Lock that setup() made on the main thread.
export default defineScenario({
  name: 'tally',
  summary: 'each worker marks its slot',
  explain: 'A user scenario.',
  params: { workers: 3, iterations: 1, repeat: 2, timeout: 10 },
  setup: (params) => ({ slots: SharedArray('i', params.workers), lock: new Lock() }),
  judge: ({ shared, results }) => ({
    outcome: shared.slots.toArray().join(',') === results.join(',') ? 'marked' : 'mismatch',
    observed: shared.slots.toArray().join(','),
  }),
  variants: {
    racy: {
      summary: 'mark',
      worker: ({ slots }, { index }) => { slots.set(index, index + 10); return index + 10; },
      outcomes: [{ key: 'marked', expect: 'ACCEPTABLE', description: 'each slot marked by its worker' }],
    },
    fixed: {
      summary: 'mark under the lock',
      worker: ({ slots, lock }, { index }) => { lock.acquire(); slots.set(index, index + 20); lock.release(); return index + 20; },
      outcomes: [{ key: 'marked', expect: 'ACCEPTABLE', description: 'each slot marked by its worker' }],
    },
  },
});
`,
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('loads through tsx and runs on workers that share its objects with the main thread', async () => {
    const { scenario, moduleUrl } = await loadScenario(join(folder, 'tally.ts'));
    const report = await runScenario({ scenario, moduleUrl, seed: 1 });
    expect(report.variants.map((variant) => variant.runs.map((run) => run.observed))).toEqual([
      ['10,11,12', '10,11,12'],
      ['20,21,22', '20,21,22'],
    ]);
    expect(report.forbidden).toBe(false);
  });
});
