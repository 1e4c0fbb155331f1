/*
 * The folders say the layering (docs/ARCHITECTURE.md, "The picture"): the floors
 * under the engines import only downwards, src/atomics <- src/shm <- src/sync <- src/mp;
 * the harness sits under the engines that use it; and workers/ holds thin entry
 * points that src/ never imports (every type that crosses to a worker lives in
 * src/harness/protocol.ts).
 */
import { describe, expect, it } from 'vitest';
import { importGraph } from './helpers/import-graph.js';

/** Each floor and the floors above it, which it must never import. */
const FLOORS_ABOVE: Record<string, string[]> = {
  'src/atomics': ['src/shm', 'src/sync', 'src/mp'],
  'src/shm': ['src/sync', 'src/mp'],
  'src/sync': ['src/mp'],
};

describe('layering', () => {
  for (const [floor, above] of Object.entries(FLOORS_ABOVE)) {
    it(`${floor} imports nothing from ${above.join(', ')}`, () => {
      const upward = [...importGraph(floor)].flatMap(([file, targets]) =>
        targets.filter((target) => above.some((folder) => target.startsWith(`${folder}/`))).map((target) => `${file} -> ${target}`),
      );
      expect(upward).toEqual([]);
    });
  }

  it('src/harness imports none of its engines (coordinator, stress, the GIL lab) nor the CLI', () => {
    const engines = ['src/coordinator/', 'src/stress/', 'src/cli/', 'src/gil/lab', 'src/gil/convoy'];
    const upward = [...importGraph('src/harness')].flatMap(([file, targets]) =>
      targets.filter((target) => engines.some((engine) => target.startsWith(engine))).map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('nothing in src/ imports from workers/', () => {
    const intoWorkers = [...importGraph('src')].flatMap(([file, targets]) =>
      targets.filter((target) => target.startsWith('workers/')).map((target) => `${file} -> ${target}`),
    );
    expect(intoWorkers).toEqual([]);
  });
});
