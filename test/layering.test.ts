/*
 * The folders say the layering (docs/ARCHITECTURE.md, "The picture"): the floors
 * under the engines import only downwards, src/atomics <- src/shm <- src/sync <- src/mp;
 * the built-in scenarios are written as a user's scenario file is, against the
 * public entries src/scenario.ts ('memplay/scenario'), src/pymem-entry.ts
 * ('memplay/pymem') and src/gil-entry.ts ('memplay/gil') and nothing else under
 * src/, the scenario entry loading neither model (a worker loads them only when
 * its scenario imports them),
 * and the library imports nothing from them; the harness sits under the engines
 * that use it; and workers/ holds thin entry points that src/ never imports (every
 * type that crosses to a worker lives in src/harness/protocol.ts).
 */
import { describe, expect, it } from 'vitest';
import { packageManifest } from '../src/package-info.js';
import { importGraph, reach } from './helpers/import-graph.js';

/** Each floor and the floors above it, which it must never import. */
const FLOORS_ABOVE: Record<string, string[]> = {
  'src/atomics': ['src/shm', 'src/sync', 'src/mp'],
  'src/shm': ['src/sync', 'src/mp'],
  'src/sync': ['src/mp'],
};

/** The package's entries for scenario files ('memplay/scenario', 'memplay/pymem', 'memplay/gil'): every export but the root, as sources. */
const SCENARIO_ENTRIES = Object.entries(packageManifest().exports)
  .filter(([subpath]) => subpath !== '.')
  .map(([, entry]) => entry.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));

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

  it('the public entries for scenario files are exactly src/scenario.ts, src/pymem-entry.ts and src/gil-entry.ts', () => {
    expect(SCENARIO_ENTRIES.sort()).toEqual(['src/gil-entry.ts', 'src/pymem-entry.ts', 'src/scenario.ts']);
  });

  it(`scenarios/ imports nothing outside scenarios/ but the public entries`, () => {
    const graph = importGraph('scenarios');
    expect(graph.size).toBeGreaterThan(0);
    expect(new Set([...graph.values()].flat().filter((target) => !target.startsWith('scenarios/')))).toEqual(new Set(SCENARIO_ENTRIES));
  });

  it('the scenario entry loads neither the CPython memory model nor the GIL model (their entries do)', () => {
    const loaded = [...reach(importGraph('src', { runtime: true }), 'src/scenario.ts')];
    expect(loaded.filter((file) => file.startsWith('src/pymem/') || file.startsWith('src/gil/'))).toEqual([]);
    expect(loaded.length).toBeGreaterThan(10);
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
