import { describe, expect, it } from 'vitest';
import { runConvoy } from '../../src/gil/convoy.js';
import { runLab } from '../../src/gil/lab.js';
import { MODES } from '../../src/gil/settings.js';
import { readConvoy, readLab } from '../../src/gil/reading.js';
import { RUNNING } from '../../src/gil/thread-state.js';

describe('the GIL lab', () => {
  it('runs a CPU-bound workload in every mode with the GIL each mode has', async () => {
    const lab = await runLab({ workload: 'cpu', workers: 2, units: 1000, switchInterval: 0.001, trace: true });
    expect(lab.modes.map((mode) => mode.mode)).toEqual([...MODES]);
    const [serial, threads, processes, free] = lab.modes;
    expect(serial.threads).toBe(1);
    expect(serial.speedup).toBe(1);
    expect([threads, processes, free].map((mode) => mode.threads)).toEqual([2, 2, 2]);
    // One shared GIL: the two threads take turns, so each runs in several slices, and waiters asked for it.
    expect(threads.gil.dropRequests).toBeGreaterThan(0);
    expect(threads.gil.switches).toBeGreaterThan(2);
    expect(threads.stats.every((thread) => thread.trace.filter(([kind]) => kind === RUNNING).length > 1)).toBe(true);
    // A GIL each: nobody waits for anybody.
    expect(processes.gil).toEqual({ switches: 2, dropRequests: 0, forcedSwitchWaits: 0 });
    expect(free.gil).toEqual({ switches: 0, dropRequests: 0, forcedSwitchWaits: 0 });
    expect(free.stats.every((thread) => thread.trace.length === 1)).toBe(true);
    for (const mode of lab.modes) {
      expect(mode.wallMs).toBeGreaterThan(0);
      expect(mode.speedup).not.toBeNull();
      for (const thread of mode.perThread) expect(thread.runningMs).toBeGreaterThan(0);
    }
    expect(readLab(lab, 2)).toMatch(/^CPU-bound, 2 workers on 2 cores: threads .*processes .*free-threaded/);
  });

  it('serial does the work of all workers on one thread', async () => {
    const lab = await runLab({ workload: 'io', workers: 3, units: 4, modes: ['serial', 'threads'] });
    const [serial, threads] = lab.modes;
    expect(serial.stats[0].syscalls).toBe(12);
    expect(threads.stats.map((thread) => thread.syscalls)).toEqual([4, 4, 4]);
  });

  it('reads a serial run alone as nothing to compare it with', async () => {
    const lab = await runLab({ workload: 'cpu', workers: 2, units: 10, modes: ['serial'] });
    expect(readLab(lab, 2)).toBe('CPU-bound: only the serial run, so nothing to compare it with.');
  });

  it('measures the convoy: the I/O thread alone, beside a spinner under one GIL, and with no GIL', async () => {
    const convoy = await runConvoy({ roundTrips: 30, switchInterval: 0.001 });
    expect(convoy.runs.map((run) => run.setting)).toEqual(['alone', 'beside-cpu-gil', 'beside-cpu-no-gil']);
    const [alone, withGil, withoutGil] = convoy.runs;
    // Two blocking calls (send, recv) per round trip.
    for (const run of convoy.runs) expect(run.stats[0].syscalls).toBe(60);
    expect(alone.stats).toHaveLength(1);
    expect(alone.gil.dropRequests).toBe(0);
    // Both threads took the GIL (the spinner at least once, the I/O thread after each blocking call).
    expect(withGil.stats).toHaveLength(2);
    expect(withGil.gil.switches).toBeGreaterThanOrEqual(2);
    expect(withoutGil.gil.switches).toBe(0);
    expect(alone.multiple).toBe(1);
    expect(readConvoy(convoy)).toMatch(/^Convoy: 30 one-byte round trips took/);
  });
});
