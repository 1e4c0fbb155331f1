import hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { fairnessByRole, jainIndex, latencySummary, minMaxRatio } from '../../src/stress/figures.js';

describe('stress figures', () => {
  it("Jain's index is 1 for an even split, 1/n when one worker gets everything", () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([8, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([3, 1])).toBeCloseTo(16 / 20);
    expect(minMaxRatio([2, 4, 8])).toBe(0.25);
  });

  it('judges fairness within each role, not across roles', () => {
    const fairness = fairnessByRole([
      { role: 'producer', ops: 100 },
      { role: 'consumer', ops: 200 },
      { role: 'producer', ops: 100 },
    ]);
    expect(fairness).toEqual([
      { role: 'producer', workers: 2, minMaxRatio: 1, jainIndex: 1 },
      { role: 'consumer', workers: 1, minMaxRatio: 1, jainIndex: 1 },
    ]);
  });

  it('merges the workers\' histograms (ns) into percentiles in microseconds', () => {
    const encoded = [0, 1].map((worker) => {
      const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
      for (let value = 1; value <= 500; value++) histogram.recordValue((worker * 500 + value) * 1000);
      return hdr.encodeIntoCompressedBase64(histogram);
    });
    const summary = latencySummary(encoded);
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(500, 0);
    expect(summary.p99).toBeCloseTo(990, 0);
    expect(summary.max).toBeCloseTo(1000, 0);
    expect(latencySummary([])).toMatchObject({ count: 0, p50: 0, max: 0 });
  });
});
