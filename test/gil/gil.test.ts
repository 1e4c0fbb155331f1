import { Barrier } from '../../src/sync/barrier.js';
import { describe, expect, it } from 'vitest';
import { Gil } from '../../src/gil/gil.js';
import { DEFAULT_SWITCH_INTERVAL } from '../../src/gil/settings.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { SocketPair } from '../../src/gil/socketpair.js';
import { RuntimeError, ValueError } from '../../src/errors.js';
import { runInWorkers } from '../helpers/workers.js';
import type { ExclusionReport } from '../workers/gil-ops.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('gil-ops');
const STEPS = 200_000;

describe('GIL on one thread', () => {
  it('counts a switch only when the taker is not the last holder', () => {
    const gil = new Gil();
    expect(gil.counters().switches).toBe(0);
    for (let round = 0; round < 3; round++) {
      gil.take();
      expect(gil.isHeld()).toBe(true);
      gil.drop();
      expect(gil.locked()).toBe(false);
    }
    expect(gil.counters()).toEqual({ switches: 1, dropRequests: 0, forcedSwitchWaits: 0 });
  });

  it('refuses a second take and a drop it does not hold, as CPython fatal-errors', () => {
    const gil = new Gil();
    expect(() => gil.drop()).toThrow(RuntimeError);
    gil.take();
    expect(() => gil.take()).toThrow(RuntimeError);
    gil.drop();
  });

  it('keeps the switch interval as sys.setswitchinterval does', () => {
    const gil = new Gil();
    expect(gil.switchInterval).toBe(DEFAULT_SWITCH_INTERVAL);
    gil.switchInterval = 0.0001;
    expect(gil.switchInterval).toBeCloseTo(0.0001, 9);
    gil.switchInterval = 1e-9;
    expect(gil.switchInterval).toBe(1e-6);
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => (gil.switchInterval = bad)).toThrow(ValueError);
    expect(new Gil({ switchInterval: 0.02 }).switchInterval).toBeCloseTo(0.02, 9);
  });
});

describe('GIL across worker threads', () => {
  it('lets one thread at a time run bytecode, hands over on drop requests, and never retakes at once after a forced switch', async () => {
    const gil = new Gil({ switchInterval: 0.001 });
    const inside = new SharedWords(1);
    const start = new Barrier(2);
    const reports = await runInWorkers<ExclusionReport>(ops, 'exclusiveSteps', [
      [gil.handle, inside.handle, STEPS, start.handle],
      [gil.handle, inside.handle, STEPS, start.handle],
    ]);
    expect(reports.map((report) => report.overlaps)).toEqual([0, 0]);
    const counters = gil.counters();
    expect(counters.dropRequests).toBeGreaterThan(0);
    expect(reports.reduce((sum, report) => sum + report.drops, 0)).toBeGreaterThan(0);
    expect(counters.switches).toBeGreaterThan(2);
    expect(counters.forcedSwitchWaits).toBeGreaterThan(0);
    expect(reports.map((report) => report.retakenAtOnce)).toEqual([0, 0]);
    expect(gil.locked()).toBe(false);
  });

  it('without a GIL the same steps overlap (the check above can fail)', async () => {
    let overlaps = 0;
    for (let attempt = 0; attempt < 5 && overlaps === 0; attempt++) {
      const inside = new SharedWords(1);
      const start = new Barrier(2);
      const reports = await runInWorkers<ExclusionReport>(ops, 'exclusiveSteps', [
        [null, inside.handle, STEPS, start.handle],
        [null, inside.handle, STEPS, start.handle],
      ]);
      overlaps = reports.reduce((sum, report) => sum + report.overlaps, 0);
    }
    expect(overlaps).toBeGreaterThan(0);
  });

  it('is free while its holder blocks in I/O: another thread takes it and ends that I/O', async () => {
    const gil = new Gil();
    const pair = new SocketPair();
    const [received, holderSeen] = await runInWorkers<number | null>(
      ops,
      'recvOrSend',
      [
        ['recv', gil.handle, pair.handle],
        ['send', gil.handle, pair.handle],
      ],
      30_000,
    );
    expect(received).toBe(42);
    expect(holderSeen).not.toBeNull();
    expect(gil.locked()).toBe(false);
    expect(gil.counters().switches).toBeGreaterThanOrEqual(2);
  });

  it('counts one switch per take by a different thread', async () => {
    const gil = new Gil();
    gil.take();
    gil.drop();
    await runInWorkers(ops, 'takeAndDrop', [[gil.handle]]);
    gil.take();
    gil.drop();
    expect(gil.counters().switches).toBe(3);
  });
});
