/*
 * A user's code that runs on memplay's main thread and never returns (a scenario's
 * setup or judge, a stress target's finalCheck, either inside an explore search)
 * no longer hangs the command: it is stopped after --timeout (explore: --time and
 * 5 s more) and reported as the file's TimeoutError, exit 1. Real CLI runs in
 * child processes, each bounded by the helper's timeout, which the commands must
 * beat by far.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memplayAsync } from '../helpers/cli.js';

const library = JSON.stringify(fileURLToPath(new URL('../../dist/src/index.js', import.meta.url)));
const CHILD_MS = 90_000;

/** A scenario that loops for ever in `where` ('setup' allocates shared objects as it loops, 'judge' only counts). */
function loopingScenario(where: 'setup' | 'judge'): string {
  return [
    `import { defineScenario, RawValue } from ${library};`,
    'function forever(step: () => void): void { for (;;) step(); }',
    'export default defineScenario({',
    `  name: 'loops-in-${where}', summary: 's', explain: 'e',`,
    '  params: { workers: 2, iterations: 1, repeat: 3, timeout: 2 },',
    `  setup: () => { if (${JSON.stringify(where)} === 'setup') forever(() => { RawValue('i', 0); }); return { counter: RawValue('i', 0) }; },`,
    `  judge: ({ shared }) => { let spins = 0; if (${JSON.stringify(where)} === 'judge') forever(() => { spins++; }); return { outcome: 'ok', observed: String(shared.counter.value + spins) }; },`,
    "  variants: { racy: { summary: 'r', worker: ({ counter }) => { counter.value += 1; }, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] } },",
    '});',
  ].join('\n');
}

/** A scenario whose worker loops with no scheduling point (no shared object touched), which no explorer can interleave. */
const loopingWorker = [
  `import { defineScenario } from ${library};`,
  'export default defineScenario({',
  "  name: 'worker-loops', summary: 's', explain: 'e',",
  '  params: { workers: 2, iterations: 1, repeat: 1, timeout: 2 },',
  '  setup: () => ({}),',
  "  judge: () => ({ outcome: 'ok', observed: 'ok' }),",
  "  variants: { racy: { summary: 'r', worker: () => { for (;;) { /* no point */ } }, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] } },",
  '});',
].join('\n');

const loopingFinalCheck = [
  `import { Lock, defineStressTarget } from ${library};`,
  'export default defineStressTarget({',
  "  name: 'loops-in-final-check', summary: 's', invariants: ['none'],",
  '  setup: () => ({ lock: new Lock() }),',
  "  role: () => ({ name: 'w', acquire: ({ lock }) => lock.acquire(), critical: () => {}, release: ({ lock }) => lock.release() }),",
  '  finalCheck: () => { for (;;) { /* never returns */ } },',
  '});',
].join('\n');

describe("a user's code that never returns on memplay's main thread", () => {
  let folder = '';
  const file = (name: string) => join(folder, name);
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-loops-'));
    writeFileSync(file('setup.ts'), loopingScenario('setup'));
    writeFileSync(file('judge.ts'), loopingScenario('judge'));
    writeFileSync(file('final-check.ts'), loopingFinalCheck);
    writeFileSync(file('worker.ts'), loopingWorker);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const expectStopped = (result: { status: number | null; stderr: string }, name: string, what: string, bound: string) => {
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`memplay: ${file(name)}: TimeoutError in ${what}: did not return within ${bound}, so memplay stopped it (an endless loop?)`);
  };

  it.concurrent('run: a setup that allocates for ever is stopped after --timeout, and nothing else runs', async () => {
    expectStopped(await memplayAsync(['run', file('setup.ts')], CHILD_MS), 'setup.ts', 'setup', '2 s');
  }, CHILD_MS + 10_000);

  it.concurrent('run: a judge that loops is stopped after --timeout', async () => {
    expectStopped(await memplayAsync(['run', file('judge.ts'), '--timeout', '1'], CHILD_MS), 'judge.ts', 'the judge', '1 s');
  }, CHILD_MS + 10_000);

  it.concurrent('explore: a judge that loops stops the search 5 s after --time', async () => {
    expectStopped(await memplayAsync(['explore', file('judge.ts'), '--time', '10'], CHILD_MS), 'judge.ts', 'the judge', '--time 10 s and 5 s more');
  }, CHILD_MS + 10_000);

  it.concurrent('explore: a worker that loops with no scheduling point is stopped at the same bound, named', async () => {
    expectStopped(await memplayAsync(['explore', file('worker.ts'), '--time', '10'], CHILD_MS), 'worker.ts', "worker 0's code, which reached no scheduling point", '--time 10 s and 5 s more');
  }, CHILD_MS + 10_000);

  it.concurrent('stress: a finalCheck that loops is stopped after --timeout', async () => {
    expectStopped(await memplayAsync(['stress', file('final-check.ts'), '--duration', '0.2', '--timeout', '2'], CHILD_MS), 'final-check.ts', 'finalCheck', '2 s');
  }, CHILD_MS + 10_000);
});
