/*
 * A user's scenario file in a folder of its own, outside the project, that
 * imports from 'memplay' as the README shows, run through the built CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memplay } from '../helpers/cli.js';

const SCENARIO = `
import { defineScenario, RawValue, Lock } from 'memplay';
export default defineScenario({
  name: 'outside-counter',
  summary: 'a counter in a file outside the project',
  explain: 'counter.value += 1 is a read and a write.',
  params: { workers: 2, iterations: 2000, repeat: 1, timeout: 20 },
  setup: () => ({ counter: RawValue('i', 0), lock: new Lock() }),
  judge: ({ shared, params }) => ({ outcome: shared.counter.value === params.workers * params.iterations ? 'all' : 'lost', observed: 'counter=' + shared.counter.value }),
  variants: {
    racy: {
      summary: 'no lock',
      worker: ({ counter }, { params }) => { for (let i = 0; i < params.iterations; i++) counter.value += 1; },
      outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }, { key: 'lost', expect: 'INTERESTING', description: 'lost' }],
    },
    fixed: {
      summary: 'the lock',
      worker: ({ counter, lock }, { params }) => { for (let i = 0; i < params.iterations; i++) { lock.acquire(); counter.value += 1; lock.release(); } },
      outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }],
    },
  },
});
`;

const ATOMIC = `
import { defineScenario, SharedWords } from 'memplay';
const outcomes = [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }, { key: 'lost', expect: 'INTERESTING', description: 'lost' }];
export default defineScenario({
  name: 'atomic-counter',
  summary: 'SharedWords as an atomic counter, with variants of its own names',
  explain: 'add() is one indivisible read-modify-write.',
  params: { workers: 2, iterations: 20000, repeat: 2, timeout: 20 },
  setup: () => ({ counts: new SharedWords(1) }),
  judge: ({ shared, params, results }) => ({
    outcome: shared.counts.load(0) === params.workers * params.iterations ? 'all' : 'lost',
    observed: 'count=' + shared.counts.load(0) + ' results=' + results.join('+'),
  }),
  variants: {
    'plain-increment': { summary: 'words[0]++', worker: ({ counts }, { params }) => { for (let i = 0; i < params.iterations; i++) counts.words[0]++; return 1; }, outcomes },
    'atomic-add': { summary: 'add(0, 1)', worker: ({ counts }, { params }) => { for (let i = 0; i < params.iterations; i++) counts.add(0, 1); return 1; }, outcomes: outcomes.slice(0, 1) },
  },
});
`;

describe("a scenario file outside the project importing from 'memplay'", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-user-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    ['a loose .ts file (CommonJS to tsx)', 'loose', null],
    ['a .ts file in a "type": "module" package', 'esm', '{ "type": "module" }'],
  ])('runs %s', (_name, sub, packageJson) => {
    const dir = join(folder, sub);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'counter.ts'), SCENARIO);
    if (packageJson !== null) writeFileSync(join(dir, 'package.json'), packageJson);
    const result = memplay(['run', join(dir, 'counter.ts'), '--variant', 'fixed', '--json'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.variants[0].runs[0].classification).toBe('ACCEPTABLE');
    expect(report.variants[0].runs[0].observed).toBe('counter=4000');
  });

  it('shares SharedWords with the workers, and runs variants of any names (all of them by default)', () => {
    writeFileSync(join(folder, 'atomic.ts'), ATOMIC);
    const result = memplay(['run', join(folder, 'atomic.ts'), '--json'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.variants.map((variant: { name: string }) => variant.name)).toEqual(['plain-increment', 'atomic-add']);
    for (const run of report.variants[1].runs) expect(run.observed).toBe('count=40000 results=1+1');
  });
});
