/*
 * The folders say the layering (docs/ARCHITECTURE.md, "The picture"): the floors
 * under the engines import only downwards, src/atomics <- src/shm <- src/sync <- src/mp;
 * the built-in scenarios are written as a user's scenario file is, against the
 * public entry src/scenario.ts ('memplay/scenario') and nothing else under src/,
 * and the library imports nothing from them; the harness sits under the engines
 * that use it; and workers/ holds thin entry points that src/ never imports (every
 * type that crosses to a worker lives in src/harness/protocol.ts).
 */
import { describe, expect, it } from 'vitest';
import { importGraph } from './helpers/import-graph.js';

/** Each floor and the floors above it, which it must never import. */
const FLOORS_ABOVE: Record<string, string[]> = {
  'src/atomics': ['src/shm', 'src/sync', 'src/mp'],
  'src/shm': ['src/sync', 'src/mp'],
  'src/sync': ['src/mp'],
};

const SCENARIO_ENTRY = 'src/scenario.ts';

/** Every import of a file under `folder` that `forbidden` picks out, as "file -> target". */
function importsWhere(folder: string, forbidden: (target: string) => boolean): string[] {
  return [...importGraph(folder)].flatMap(([file, targets]) => targets.filter(forbidden).map((target) => `${file} -> ${target}`));
}

describe('layering', () => {
  for (const [floor, above] of Object.entries(FLOORS_ABOVE)) {
    it(`${floor} imports nothing from ${above.join(', ')}`, () => {
      expect(importsWhere(floor, (target) => above.some((folder) => target.startsWith(`${folder}/`)))).toEqual([]);
    });
  }

  it(`scenarios/ imports nothing outside scenarios/ but the public entry ${SCENARIO_ENTRY}`, () => {
    const graph = importGraph('scenarios');
    expect(graph.size).toBeGreaterThan(0);
    expect([...graph.values()].flat()).toContain(SCENARIO_ENTRY);
    expect(importsWhere('scenarios', (target) => !target.startsWith('scenarios/') && target !== SCENARIO_ENTRY)).toEqual([]);
  });

  it('src/ imports nothing from scenarios/', () => {
    expect(importsWhere('src', (target) => target.startsWith('scenarios/'))).toEqual([]);
  });

  it('src/harness imports none of its engines (coordinator, stress, the GIL lab) nor the CLI', () => {
    const engines = ['src/coordinator/', 'src/stress/', 'src/cli/', 'src/gil/lab', 'src/gil/convoy'];
    expect(importsWhere('src/harness', (target) => engines.some((engine) => target.startsWith(engine)))).toEqual([]);
  });

  it('nothing in src/ imports from workers/', () => {
    expect(importsWhere('src', (target) => target.startsWith('workers/'))).toEqual([]);
  });
});
