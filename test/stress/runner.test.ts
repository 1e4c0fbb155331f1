import { describe, expect, it } from 'vitest';
import type { StressParams } from '../../src/stress/define-target.js';
import { checkRequest, runStress, type StressReport } from '../../src/stress/runner.js';
import { formatStressReport } from '../../src/stress/report-text.js';
import { StressError } from '../../src/stress/stress-error.js';
import { BUILT_IN_TARGETS, loadTargets } from '../../src/stress/target-catalogue.js';

const fixture = (name: string) => new URL(`../fixtures/stress-${name}.ts`, import.meta.url).pathname;

function params(overrides: Partial<StressParams> = {}): StressParams {
  return { workers: 3, ops: 100, duration: null, holdMicros: 0, seed: 11, ...overrides };
}

async function stress(argument: string, given: Partial<StressParams> = {}, options: { timeoutSeconds?: number; killHolder?: boolean } = {}): Promise<StressReport> {
  const [loaded] = await loadTargets(argument);
  return runStress({ loaded, params: params(given), timeoutSeconds: options.timeoutSeconds ?? 45, killHolder: options.killHolder ?? false });
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('memplay stress: the built-in targets under short runs', () => {
  it.each(BUILT_IN_TARGETS)('%s runs clean, and its figures add up', async (name) => {
    const report = await stress(name);
    expect(report.outcome, JSON.stringify(report.violation ?? report.deadlock ?? report.error)).toBe('clean');
    const ops = report.workers.map((row) => row.ops);
    expect(report.totalOps).toBe(sum(ops));
    expect(report.latency.count).toBe(report.totalOps);
    expect(report.latency.p50).toBeLessThanOrEqual(report.latency.p99);
    expect(report.latency.p99).toBeLessThanOrEqual(report.latency.max);
    for (const role of report.fairness) {
      expect(role.jainIndex).toBeGreaterThan(0);
      expect(role.jainIndex).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(report.time.blockedMs + report.time.runningMs).toBeGreaterThan(0);
    if (name === 'condition') {
      // Workers 0 and 2 produce 100 items each; worker 1 consumes all of them.
      expect(ops).toEqual([100, 200, 100]);
    } else {
      expect(ops).toEqual([100, 100, 100]);
    }
  });

  it('bounds a run by --duration', async () => {
    const report = await stress('lock', { ops: null, duration: 0.3 });
    expect(report.outcome).toBe('clean');
    expect(report.params.ops).toBeNull();
    expect(report.totalOps).toBeGreaterThan(0);
  });
});

describe('memplay stress: the invariant checks catch broken primitives', () => {
  it('reports the first mutual-exclusion violation of a lock that excludes nobody: worker, phase and iteration', async () => {
    let report: StressReport | undefined;
    // Two workers inside at once needs them to overlap in time; a loaded machine may take a few tries.
    for (let attempt = 0; attempt < 3 && report?.outcome !== 'violation'; attempt++) {
      report = await stress(fixture('broken-lock'), { ops: 2000, holdMicros: 50 });
    }
    expect(report!.outcome).toBe('violation');
    const violation = report!.violation!;
    expect(violation.worker).toBeGreaterThanOrEqual(0);
    expect(violation.worker).toBeLessThan(3);
    expect(violation.phase).toBe('critical');
    expect(violation.iteration).toBeGreaterThanOrEqual(0);
    expect(violation.message).toMatch(/mutual exclusion broken: \d workers inside/);
    // Every worker is named, with its last phases before the violation; the violator's last one is where it saw it.
    expect(violation.workers.map((worker) => worker.worker)).toEqual([0, 1, 2]);
    const violator = violation.workers[violation.worker];
    expect(violator.recent.at(-1)).toMatchObject({ phase: 'critical', iteration: violation.iteration });
    expect(violator.recent.length).toBeGreaterThanOrEqual(2);
    for (const worker of violation.workers) for (const entry of worker.recent) expect(entry.atUs).toBeLessThanOrEqual(violation.atUs);
    // Latency samples are exactly the completed operations of the workers that returned their figures.
    expect(report!.latency!.count).toBe(report!.sampled.ops);
  });

  it('reports a lock that is never released as a deadlock as soon as every worker sleeps, naming who waits on what', async () => {
    // Two workers: each release wakes the one sleeper, so every sleeper's word still holds what it slept on (see watchdog.ts).
    const report = await stress(fixture('leaked-lock'), { workers: 2 }, { timeoutSeconds: 60 });
    expect(report.outcome).toBe('deadlock');
    expect(report.deadlock!.seenBy).toBe('all-asleep');
    expect(formatStressReport(report)).toMatch(/^ {2}result: DEADLOCK: every worker still running sleeps in a wait no running worker can end \(seen after [\d.]+ s\); who waits on what:$/m);
    // A run cut short has no rates, latencies or times to give: n/a, not zeros.
    expect({ latency: report.latency, time: report.time, opsPerSecond: report.opsPerSecond }).toEqual({ latency: null, time: null, opsPerSecond: null });
    const waits = report.deadlock!.waits;
    // Worker 1 may have done its 100 ops before worker 0 leaked the lock; if still running, it waits behind it.
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatch(/^worker 0 \(worker, thread \d+\) is blocked in acquire at iteration 4, waiting on the Lock, which it holds itself \(self-deadlock\)$/);
    expect(waits.slice(1).every((line) => /blocked in acquire .* held by worker 0 \(thread \d+, in acquire at iteration 4\)$/.test(line))).toBe(true);
  });

  it('reports a lost wake-up as a deadlock at once: consumers asleep on the condition', async () => {
    const report = await stress(fixture('lost-wakeup'), { ops: 20 }, { timeoutSeconds: 60 });
    expect(report.outcome).toBe('deadlock');
    expect(report.deadlock!.seenBy).toBe('all-asleep');
    expect(report.workers[0].ops).toBe(20);
    expect(report.deadlock!.waits.filter((line) => /consumer.*blocked in acquire.*waiting on not_empty/.test(line))).toHaveLength(2);
  });

  it('reports a hang whose workers wait in timed acquires, never asleep for good, at --timeout', async () => {
    const report = await stress(fixture('leaked-lock-polling'), { workers: 2 }, { timeoutSeconds: 2 });
    expect(report.outcome).toBe('deadlock');
    expect(report.deadlock!.seenBy).toBe('timeout');
    expect(report.deadlock!.waits[0]).toMatch(/^worker 0 \(worker, thread \d+\) is blocked in acquire at iteration 4, waiting on the Lock, which it holds itself \(self-deadlock\)$/);
  });
});

describe('memplay stress --kill-holder', () => {
  it('kills a worker holding the lock; the death is seen, the lock marked OWNER_DIED and recovered; the run ends clean', async () => {
    for (const target of ['lock', 'rlock']) {
      const report = await stress(target, { workers: 3, ops: null, duration: 1 }, { killHolder: true, timeoutSeconds: 30 });
      expect(report.outcome, JSON.stringify(report.violation ?? report.deadlock ?? report.error)).toBe('clean');
      const kill = report.killHolder!;
      expect(kill.victim).toBe(0);
      expect(kill.heldTheLock).toBe(true);
      expect(kill.markedOwnerDied).toBe(true);
      expect(kill.recoveredBy).not.toBeNull();
      expect(report.workers[0].end).toBe('killed');
      expect(report.workers[0].ops).toBe(kill.atIteration);
      expect(report.workers.slice(1).every((row) => row.end === 'done')).toBe(true);
      // The victim's samples died with it: the latency covers the others' ops, one sample each.
      expect(report.sampled.workers).toEqual([1, 2]);
      expect(report.latency!.count).toBe(report.sampled.ops);
      expect(report.sampled.ops).toBe(report.totalOps - report.workers[0].ops);
    }
  });

  it('is refused for a target with no lock, and a target needing more workers is refused too', async () => {
    const [semaphore] = await loadTargets('semaphore');
    expect(() => checkRequest(semaphore.target, params(), true)).toThrow(StressError);
    const [condition] = await loadTargets('condition');
    expect(() => checkRequest(condition.target, params({ workers: 1 }), false)).toThrow(/at least 2 workers/);
  });
});
