import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';

const fixture = (name: string) => fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));

/** OS threads of this process: each worker thread is one, so leftovers show here. */
const threadCount = () => readdirSync('/proc/self/task').length;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function threadsSettleTo(baseline: number): Promise<number> {
  for (let waited = 0; waited < 5000 && threadCount() > baseline; waited += 50) await pause(50);
  return threadCount();
}

/** The thread count once it has held still for 250 ms (at most 5 s): the threads of a finished run have gone. */
async function steadyThreadCount(): Promise<number> {
  let count = threadCount();
  for (let still = 0, waited = 0; still < 250 && waited < 5000; waited += 50) {
    await pause(50);
    const now = threadCount();
    still = now === count ? still + 50 : 0;
    count = now;
  }
  return count;
}

async function run(name: string, variant: string, overrides = {}) {
  const { scenario, moduleUrl } = await loadScenario(fixture(name));
  return runScenario({ scenario, moduleUrl, variant, overrides, seed: 1 });
}

describe('the watchdog', () => {
  let baseline = 0;
  beforeAll(async () => {
    await run('coordinator-deadlock', 'fixed');
    baseline = await steadyThreadCount();
  });

  it('reports a deadlock once every worker sleeps with no one left to wake it, long before the timeout, says who holds what, and cancels their waits: the same threads run the next run', async () => {
    const report = await run('coordinator-deadlock', 'racy', { timeout: 30, repeat: 2 });
    const [variant] = report.variants;
    expect(variant.runs.map((run) => run.outcome)).toEqual(['deadlock', 'deadlock']);
    const first = variant.runs[0];
    expect(first.classification).toBe('INTERESTING');
    expect(first.hang?.reason).toBe('deadlock');
    expect(first.observed).toBe('deadlock: workers 0, 1 both wait, with no worker left to wake them; their waits were cancelled');
    expect(first.hang?.waits).toEqual(['lock a is held by worker 0', 'lock b is held by worker 1']);
    expect(first.seconds).toBeLessThan(30);
    expect(first.workers.map((worker) => worker.state)).toEqual(['running', 'running']);
    // Unwound, not terminated: the second run's workers are the first run's threads.
    expect(variant.runs[1].workers.map((worker) => worker.threadId)).toEqual(first.workers.map((worker) => worker.threadId));
    expect(report.forbidden).toBe(false);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('does not call a run deadlocked while a worker still wakes from timed waits: its timeout ends it', async () => {
    const report = await run('coordinator-deadlock', 'timed', { timeout: 1, repeat: 2 });
    const [hung, again] = report.variants[0].runs;
    expect(hung.outcome).toBe('deadlock');
    expect(hung.hang?.reason).toBe('timeout');
    expect(hung.observed).toBe('deadlock: workers 0, 1 still running after 1 s; terminated');
    expect(hung.seconds).toBeGreaterThanOrEqual(1);
    // Awake in timed waits, they cannot be unwound: they are terminated, and the next run gets new threads.
    expect(again.outcome).toBe('deadlock');
    expect(again.workers.some((worker) => hung.workers.some((first) => first.threadId === worker.threadId))).toBe(false);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('calls a run still making progress at its timeout too slow, not a deadlock, and ends it', async () => {
    const report = await run('coordinator-slow', 'racy', { timeout: 1 });
    const [slow] = report.variants[0].runs;
    expect(slow.outcome).toBe('too-slow');
    expect(slow.classification).toBe('FORBIDDEN');
    expect(slow.hang).toBeUndefined();
    expect(slow.observed).toMatch(/^workers 0, 1 still making progress after 1 s: too slow, not hung; terminated/);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('reports a worker that raises, with its error, and cancels the wait of the one left waiting', async () => {
    const report = await run('coordinator-throws', 'racy');
    const [runReport] = report.variants[0].runs;
    expect(runReport.outcome).toBe('error');
    expect(runReport.classification).toBe('FORBIDDEN');
    expect(runReport.error).toMatchObject({ worker: 1, name: 'RuntimeError', message: 'boom in worker 1' });
    expect(runReport.observed).toMatch(/^worker 1 raised RuntimeError: boom in worker 1 \(at \/.*\/test\/workers\/coordinator-throws\.ts:19:\d+\)$/);
    expect(runReport.error?.frames[0]).toMatch(/coordinator-throws\.ts:19:\d+\)?$/);
    expect(report.forbidden).toBe(true);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('reports a worker whose thread exits', async () => {
    const report = await run('coordinator-throws', 'exits');
    const [runReport] = report.variants[0].runs;
    expect(runReport.outcome).toBe('error');
    expect(runReport.error?.worker).toBe(1);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('reports a setup that raises as an error outcome of each run', async () => {
    const report = await run('coordinator-bad-setup', 'fixed');
    // (Where in the fixture it was raised may follow: " (at .../coordinator-bad-setup.ts:line:col)".)
    expect(report.variants[0].runs.map((run) => [run.outcome, run.classification, run.observed.replace(/ \(at [^()]*coordinator-bad-setup\.ts:\d+:\d+\)$/, '')])).toEqual([
      ['error', 'FORBIDDEN', 'setup raised RangeError: no room for the accounts'],
      ['error', 'FORBIDDEN', 'setup raised RangeError: no room for the accounts'],
    ]);
    expect(await threadsSettleTo(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('lets a healthy variant of the same scenario finish', async () => {
    const report = await run('coordinator-throws', 'fixed', { repeat: 2 });
    expect(report.variants[0].runs.map((run) => run.outcome)).toEqual(['done', 'done']);
    expect(report.forbidden).toBe(false);
  });
});
