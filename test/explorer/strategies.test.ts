/*
 * The search strategies' choices, driven by hand (no workers): pct's fairness
 * towards a worker that yields.
 */
import { describe, expect, it } from 'vitest';
import type { ChoiceNode } from '../../src/explorer/controller.js';
import { PctStrategy } from '../../src/explorer/strategies.js';

function node(step: number, previous: number, previousYielded: boolean): ChoiceNode {
  return { step, enabled: [0, 1], forced: false, previous, previousEnabled: !previousYielded, previousYielded, ops: [null, null] };
}

describe('pct', () => {
  it('keeps running the highest worker while it does not yield, and drops one that yields below the other (a napping spinner cannot starve its partner)', () => {
    for (let seed = 0; seed < 20; seed++) {
      // Depth 1: no change points, so only a yield can move the choice.
      const chooser = new PctStrategy(2, 1, seed).next();
      const first = chooser.choose(node(0, -1, false));
      expect(chooser.choose(node(1, first, false))).toBe(first);
      const other = chooser.choose(node(2, first, true));
      expect(other).toBe(1 - first);
      expect(chooser.choose(node(3, other, false))).toBe(other);
      expect(chooser.choose(node(4, other, true))).toBe(first);
    }
  });
});
