/*
 * A user's scenario file, and a user's stress target file, in a folder of its
 * own outside the project (no node_modules in it or above it), that imports from
 * 'memplay' or 'memplay/scenario' as the README shows, run through the built CLI
 * (`memplay run <file>`, `memplay stress <file>`), as a loose .ts file (CommonJS
 * to tsx) and as a .ts file in a "type": "module" package. Both resolvers
 * (CommonJS's for loose files, the module hook for ES modules) answer every
 * specifier from one table, checked here; each CLI case compiles its file with
 * tsx on every thread, so the cases are few.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memplaySpecifiers } from '../../src/memplay-specifier.js';
import { packageManifest } from '../../src/package-info.js';
import { memplay } from '../helpers/cli.js';
import { projectRoot } from '../helpers/import-graph.js';

const SCENARIO = (specifier: string) => `
import { defineScenario, RawValue, Lock } from '${specifier}';
export default defineScenario({
  name: 'outside-counter',
  summary: 'a counter in a file outside the project',
  explain: 'counter.value += 1 is a read and a write.',
  params: { workers: 2, iterations: 2000, repeat: 1, timeout: 20 },
  setup: () => ({ counter: RawValue('i', 0), lock: new Lock() }),
  judge: ({ shared, params }) => ({ outcome: shared.counter.value === params.workers * params.iterations ? 'all' : 'lost', observed: 'counter=' + shared.counter.value }),
  variants: {
    racy: {
      summary: 'no lock',
      worker: ({ counter }, { params }) => { for (let i = 0; i < params.iterations; i++) counter.value += 1; },
      outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }, { key: 'lost', expect: 'INTERESTING', description: 'lost' }],
    },
    fixed: {
      summary: 'the lock',
      worker: ({ counter, lock }, { params }) => { for (let i = 0; i < params.iterations; i++) { lock.acquire(); counter.value += 1; lock.release(); } },
      outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }],
    },
  },
});
`;

const ATOMIC = `
import { defineScenario, SharedWords } from 'memplay';
const outcomes = [{ key: 'all', expect: 'ACCEPTABLE', description: 'nothing lost' }, { key: 'lost', expect: 'INTERESTING', description: 'lost' }];
export default defineScenario({
  name: 'atomic-counter',
  summary: 'SharedWords as an atomic counter, with variants of its own names',
  explain: 'add() is one indivisible read-modify-write.',
  params: { workers: 2, iterations: 20000, repeat: 2, timeout: 20 },
  setup: () => ({ counts: new SharedWords(1) }),
  judge: ({ shared, params, results }) => ({
    outcome: shared.counts.load(0) === params.workers * params.iterations ? 'all' : 'lost',
    observed: 'count=' + shared.counts.load(0) + ' results=' + results.join('+'),
  }),
  variants: {
    'plain-increment': { summary: 'words[0]++', worker: ({ counts }, { params }) => { for (let i = 0; i < params.iterations; i++) counts.words[0]++; return 1; }, outcomes },
    'atomic-add': { summary: 'add(0, 1)', worker: ({ counts }, { params }) => { for (let i = 0; i < params.iterations; i++) counts.add(0, 1); return 1; }, outcomes: outcomes.slice(0, 1) },
  },
});
`;

const STRESS_TARGET = (specifier: string) => `
import { Lock, countedEveryOperation, defineStressTarget, exclusionState, exclusiveWork } from '${specifier}';
export default defineStressTarget({
  name: 'outside-lock',
  summary: 'a Lock hammered from a file outside the project',
  invariants: ['mutual exclusion: never two holders at once'],
  setup: () => ({ lock: new Lock(), state: exclusionState() }),
  role: () => ({
    name: 'worker',
    acquire: ({ lock }) => lock.acquire(),
    critical: ({ state }, op) => exclusiveWork(state, op, 1, 'the lock'),
    release: ({ lock }) => lock.release(),
  }),
  finalCheck: ({ state }, run) => countedEveryOperation(state, run),
});
`;

/** The formats a user's .ts file may have: a folder's package.json, or none (loose). */
const FORMATS = { loose: null, esm: '{ "type": "module" }' } as const;

/** Every node_modules folder in `folder` or above it: the resolution Node would fall back on. */
function nodeModulesAbove(folder: string): string[] {
  const found = existsSync(join(folder, 'node_modules')) ? [join(folder, 'node_modules')] : [];
  return dirname(folder) === folder ? found : [...found, ...nodeModulesAbove(dirname(folder))];
}

describe("a scenario or stress target file outside the project importing from 'memplay'", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-user-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** A fresh folder `name` holding `file` with `source`, in the given format; returns the file's path. */
  function userFile(name: string, format: keyof typeof FORMATS, file: string, source: string): string {
    const dir = join(folder, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, file), source);
    const packageJson = FORMATS[format];
    if (packageJson !== null) writeFileSync(join(dir, 'package.json'), packageJson);
    return join(dir, file);
  }

  it("answers each entry of package.json's exports with the module it names, next to the resolver", () => {
    const { exports } = packageManifest();
    expect(Object.keys(exports)).toEqual(['.', './scenario', './pymem', './gil']);
    const targets = memplaySpecifiers();
    expect(Object.keys(targets)).toEqual(['memplay', 'memplay/scenario', 'memplay/pymem', 'memplay/gil']);
    expect(Object.values(targets).map((url) => relative(projectRoot, fileURLToPath(url)))).toEqual(['src/index.ts', 'src/scenario.ts', 'src/pymem-entry.ts', 'src/gil-entry.ts']);
    for (const [subpath, entry] of Object.entries(exports)) {
      expect(entry.default, subpath).toMatch(/^\.\/dist\/src\/[^/]+\.js$/);
      expect(existsSync(join(projectRoot, entry.default)), entry.default).toBe(true);
    }
  });

  it('is in a folder with no node_modules in it or above it', () => {
    expect(nodeModulesAbove(folder)).toEqual([]);
  });

  it.each([
    ['loose', 'memplay'],
    ['esm', 'memplay'],
  ] as const)('memplay run: a %s .ts scenario importing from %s', (format, specifier) => {
    const file = userFile(`run-${format}-${specifier.replace('/', '-')}`, format, 'counter.ts', SCENARIO(specifier));
    const result = memplay(['run', file, '--variant', 'fixed', '--json'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.variants[0].runs[0].classification).toBe('ACCEPTABLE');
    expect(report.variants[0].runs[0].observed).toBe('counter=4000');
  });

  it.each([
    ['loose', 'memplay'],
    ['esm', 'memplay/scenario'],
  ] as const)('memplay stress: a %s .ts stress target importing from %s', (format, specifier) => {
    const file = userFile(`stress-${format}-${specifier.replace('/', '-')}`, format, 'target.ts', STRESS_TARGET(specifier));
    const result = memplay(['stress', file, '--ops', '500', '--workers', '2'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^outside-lock: a Lock hammered from a file outside the project\n/);
    expect(result.stdout).toContain('result: CLEAN, no violation');
    expect(result.stdout).toMatch(/verdict: 1\/1 clean\n$/);
  });

  it('shares SharedWords with the workers, and runs variants of any names (all of them by default)', () => {
    writeFileSync(join(folder, 'atomic.ts'), ATOMIC);
    const result = memplay(['run', join(folder, 'atomic.ts'), '--json'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.variants.map((variant: { name: string }) => variant.name)).toEqual(['plain-increment', 'atomic-add']);
    for (const run of report.variants[1].runs) expect(run.observed).toBe('count=40000 results=1+1');
  });
});
