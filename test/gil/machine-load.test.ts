import { describe, expect, it } from 'vitest';
import { judgeLoad, readLoad } from '../../src/gil/machine-load.js';

const quiet = { loadAverage: 0.1, othersRunnable: 0 };

describe('judgeLoad', () => {
  it('trusts a machine whose other programs left the cores free', () => {
    expect(judgeLoad([quiet, { loadAverage: 0.2, othersRunnable: 1 }, quiet], 2, 2).warnings).toEqual([]);
  });

  it('distrusts a machine where other programs kept the cores busy during the run', () => {
    const load = judgeLoad([quiet, { loadAverage: 0.1, othersRunnable: 4 }, { loadAverage: 0.1, othersRunnable: 4 }], 2, 2);
    expect(load.othersRunnableMean).toBeCloseTo(8 / 3);
    expect(load.othersRunnableMax).toBe(4);
    expect(load.warnings).toEqual([expect.stringMatching(/^other programs kept 2\.7 threads runnable on average \(at most 4\)/)]);
  });

  it('distrusts a run that began after a busy minute where the OS counts no runnable threads, and trusts the counts where it does', () => {
    expect(judgeLoad([{ loadAverage: 4, othersRunnable: null }], 2, 2).warnings).toEqual([expect.stringMatching(/^the load average was 4\.00 on 2 cores/)]);
    // The load average lags: one memplay gil just before leaves 0.66 on 2 cores while nothing else runs.
    expect(judgeLoad([{ loadAverage: 0.66, othersRunnable: 0 }, { loadAverage: 0.7, othersRunnable: 0 }], 2, 2).warnings).toEqual([]);
  });

  it('needs only the cores the workers can use', () => {
    expect(judgeLoad([{ loadAverage: 2.5, othersRunnable: 3 }], 1, 4).warnings).toEqual([]);
  });
});

describe('readLoad', () => {
  it('reads a faked /proc/loadavg, minus this process\'s own runnable threads', () => {
    process.env.MEMPLAY_FAKE_LOADAVG = '4.02 3.95 3.10 6/412 9876';
    try {
      const sample = readLoad();
      expect(sample.loadAverage).toBe(4.02);
      expect(sample.othersRunnable === null || (sample.othersRunnable >= 0 && sample.othersRunnable <= 5)).toBe(true);
    } finally {
      delete process.env.MEMPLAY_FAKE_LOADAVG;
    }
  });
});
