import { describe, expect, it } from 'vitest';
import { defineScenario, isScenario, type ScenarioDefinition, type ScenarioParams } from '../../src/coordinator/define-scenario.js';
import { classify, tallyOutcomes, type OutcomeSpec } from '../../src/coordinator/outcome.js';
import { mulberry32, streamSeed } from '../../src/coordinator/prng.js';
import { resolveParams, selectVariants } from '../../src/coordinator/run-scenario.js';
import { ScenarioError } from '../../src/coordinator/scenario-error.js';
import { fromWire, toWire } from '../../src/harness/wire.js';
import { attach } from '../../src/attach.js';
import { RawValue } from '../../src/mp/value.js';
import { Lock } from '../../src/sync/lock.js';
import { SharedWords } from '../../src/shm/shared-words.js';

const minimal = (): ScenarioDefinition<ScenarioParams, unknown, unknown> => ({
  name: 'tiny',
  summary: 's',
  explain: 'e',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 1 },
  minWorkers: 2,
  maxWorkers: 4,
  setup: () => ({}),
  judge: () => ({ outcome: 'ok', observed: 'ok' }),
  variants: {
    racy: { summary: 'r', worker: () => 0, outcomes: [] },
    fixed: { summary: 'f', worker: () => 0, outcomes: [] },
  },
});

describe('defineScenario', () => {
  it('brands a valid definition so the coordinator can recognise it', () => {
    expect(isScenario(defineScenario(minimal()))).toBe(true);
    expect(isScenario({ ...minimal() })).toBe(false);
  });

  it.each([
    ['a bad name', { name: 'Bad Name' }, /name must be lowercase words/],
    ['no variant', { variants: {} }, /must name at least one variant/],
    ['a variant called all', { variants: { ...minimal().variants, all: minimal().variants.racy } }, /variant name "all"/],
    ['no judge', { judge: undefined }, /variant racy has no judge/],
    ['zero workers', { params: { ...minimal().params, workers: 0 } }, /params.workers must be a number > 0/],
    ['exploreParams of an unknown parameter', { exploreParams: { cells: 1 } }, /exploreParams.cells is not one of params/],
    ['exploreParams of workers', { exploreParams: { workers: 1 } }, /exploreParams.workers: explore takes workers and iterations from its own options/],
    ['a variant exploreWorkers above maxWorkers', { variants: { racy: { ...minimal().variants.racy, exploreWorkers: 5 } } }, /variant racy: exploreWorkers must be a whole number of workers from minWorkers to maxWorkers/],
    ['a zero exploreParams value', { params: { ...minimal().params, cells: 8 }, exploreParams: { cells: 0 } }, /exploreParams.cells must be a number > 0/],
    ['minWorkers above maxWorkers (no --workers could run)', { minWorkers: 3, maxWorkers: 2 }, /minWorkers \(3\) is more than maxWorkers \(2\)/],
    ['a fractional minWorkers', { minWorkers: 1.5 }, /minWorkers must be a whole number >= 1/],
  ])('refuses %s', (_what, change, message) => {
    expect(() => defineScenario({ ...minimal(), ...change } as ScenarioDefinition<ScenarioParams, unknown, unknown>)).toThrow(message);
  });

  it('accepts variants of any names, racy and fixed being only the built-in ones', () => {
    const { racy, fixed } = minimal().variants;
    const scenario = defineScenario({ ...minimal(), variants: { 'plain-add': racy, 'atomic-add': fixed } });
    expect(selectVariants(scenario, 'all')).toEqual(['plain-add', 'atomic-add']);
  });
});

describe('parameters and variants', () => {
  const scenario = defineScenario(minimal());

  it('applies overrides over the defaults and ignores undefined ones', () => {
    expect(resolveParams(scenario, { iterations: 7, workers: undefined })).toMatchObject({ workers: 2, iterations: 7 });
  });

  it("keeps workers within the scenario's bounds", () => {
    expect(() => resolveParams(scenario, { workers: 5 })).toThrow(new ScenarioError("scenario 'tiny' needs between 2 and 4 workers, got 5"));
  });

  it('selects all, one, or several variants, and names the ones that exist when asked for another', () => {
    expect(selectVariants(scenario, 'all')).toEqual(['racy', 'fixed']);
    expect(selectVariants(scenario, 'fixed')).toEqual(['fixed']);
    expect(() => selectVariants(scenario, ['racy', 'slow'])).toThrow("scenario 'tiny' has no variant 'slow' (it has racy, fixed, or all)");
  });
});

describe('outcomes', () => {
  const specs: OutcomeSpec[] = [
    { key: 'ok', expect: 'ACCEPTABLE', description: 'fine' },
    { key: 'bug', expect: 'INTERESTING', description: 'the bug' },
  ];

  it('classifies listed keys as listed and anything else as FORBIDDEN', () => {
    expect(classify(specs, 'bug').classification).toBe('INTERESTING');
    expect(classify(specs, 'surprise').classification).toBe('FORBIDDEN');
    expect(classify(specs, 'error')).toEqual({ classification: 'FORBIDDEN', description: 'the run raised an exception' });
  });

  it('tallies runs into a jcstress table with shares', () => {
    const runs = ['bug', 'ok', 'bug', 'bug'].map((outcome) => ({ outcome, ...classify(specs, outcome) }));
    expect(tallyOutcomes(runs)).toEqual([
      { outcome: 'bug', count: 3, share: 0.75, classification: 'INTERESTING', description: 'the bug' },
      { outcome: 'ok', count: 1, share: 0.25, classification: 'ACCEPTABLE', description: 'fine' },
    ]);
  });
});

describe('seeded randomness', () => {
  it('repeats a stream for the same seed and differs between workers', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(streamSeed(9, 0, 1))).toEqual(draw(streamSeed(9, 0, 1)));
    expect(draw(streamSeed(9, 0, 1))).not.toEqual(draw(streamSeed(9, 0, 2)));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('shared objects on the wire', () => {
  it('sends handles and rebuilds the same shared objects, keeping the tree and its plain data', () => {
    const tree = { counter: RawValue('i', 5), locks: [new Lock(), new Lock()], label: 'x', sizes: [1, 2] };
    const wire = JSON.parse(JSON.stringify(toWire(tree)));
    const rebuilt = fromWire(wire, (handle) => attach(handle as never)) as typeof tree;
    rebuilt.counter.value = 6;
    expect(tree.counter.value).toBe(6);
    rebuilt.locks[1].acquire();
    expect(tree.locks[1].locked()).toBe(true);
    expect(tree.locks[0].locked()).toBe(false);
    tree.locks[1].release();
    expect(rebuilt.label).toBe('x');
    expect(rebuilt.sizes).toEqual([1, 2]);
  });

  it('sends SharedWords too, and their atomic operations act on the same words', () => {
    const tree = { counts: new SharedWords(2) };
    const rebuilt = fromWire(JSON.parse(JSON.stringify(toWire(tree))), (handle) => attach(handle as never)) as typeof tree;
    expect(rebuilt.counts.add(1, 5)).toBe(0);
    expect(tree.counts.add(1)).toBe(5);
    expect(rebuilt.counts.load(1)).toBe(6);
    expect(rebuilt.counts.compareExchange(1, 6, 9)).toBe(6);
    expect(tree.counts.store(0, 2 ** 31)).toBe(2 ** 31);
    expect(tree.counts.load(0)).toBe(-(2 ** 31));
    expect(() => tree.counts.add(2)).toThrow('SharedWords index 2 out of range (it has 2 words)');
  });
});
