// Every figure the `memplay sim` demos print, against CPython 3.11's own (test/fixtures/cpython-3.11.json,
// written by scripts/cpython-fixture.py from the real python3).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import gilNotALockScenario from '../../scenarios/gil-not-a-lock.js';
import cycleLeakScenario from '../../scenarios/cycle-leak.js';
import poolFragmentationScenario from '../../scenarios/pool-fragmentation.js';
import recursionLimitScenario from '../../scenarios/recursion-limit.js';
import smallIntIdentityScenario from '../../scenarios/small-int-identity.js';
import { containerGrowth, cycleLeak, gcSchedule, generations, listGrowth, recursionLimit, sizeofLiteral, smallIntIdentity } from '../../src/pymem/demos.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/cpython-3.11.json', import.meta.url), 'utf8'));

describe('the sim demos tell what CPython does', () => {
  it('small-ints: `a is b` in one compilation, in two, and at run time, for every value shown', () => {
    const shown = smallIntIdentity();
    for (const check of shown.checks) {
      const cpython = fixture.constantSharing.find((entry: { value: string }) => entry.value === String(check.value));
      expect(cpython, `fixture case for ${check.value}`).toBeDefined();
      expect({ value: check.value, one: check.oneCompilation, two: check.twoCompilations, runtime: check.runtime, equal: check.equal }).toEqual({
        value: check.value,
        one: cpython.oneCompilation,
        two: cpython.twoCompilations,
        runtime: cpython.runtime,
        equal: cpython.equal,
      });
    }
    expect(shown.range).toEqual([fixture.identity.smallIntMin, fixture.identity.smallIntMax]);
    // the lesson that was false before: a = 257; b = 257 in one module is one object
    expect(shown.checks.find((c) => c.value === 257)).toMatchObject({ oneCompilation: true, twoCompilations: false, runtime: false });
  });

  it('list-growth: getsizeof after each append, also past 938,736 appends up to its limit of 1,000,000', () => {
    expect(listGrowth(300).sizes).toEqual(fixture.listGrowth.appends);
    const grown = listGrowth(1_000_000).sizes;
    for (const [appends, size] of Object.entries(fixture.demos.listGrowthAt as Record<string, number>)) expect([appends, grown[Number(appends) - 1]]).toEqual([appends, size]);
  });

  it('dict-growth and set-growth: getsizeof after each insertion, for every kind of key', () => {
    for (const container of ['dict', 'set'] as const) {
      for (const [kind, sizes] of Object.entries(fixture.growth[container] as Record<string, number[]>)) {
        expect([container, kind, containerGrowth(container, kind as 'int', sizes.length).sizes]).toEqual([container, kind, sizes]);
      }
    }
  });

  it('generations: where x is after each step, and 701 new lists start one collection of generation 0', () => {
    const steps = generations().steps;
    expect(steps.map((s) => s.generationOfX)).toEqual(fixture.gcSchedules.generationsDemo.generationOfX);
    expect(steps[3].collections[0] - steps[2].collections[0]).toBe(fixture.gcSchedules.generationsDemo.generation0CollectionsDuringKeep);
  });

  it('generations --allocations: the automatic collections per generation while N lists are made and kept', () => {
    for (const entry of fixture.gcSchedules.keptLists as { allocations: number; collections: number[] }[]) {
      expect([entry.allocations, gcSchedule(entry.allocations).collections]).toEqual([entry.allocations, entry.collections]);
    }
  });

  it('cycle: both refcounts 2 before del, alive after, and gc.collect() finds 2', () => {
    const steps = cycleLeak().steps;
    expect([steps[0].refcounts.a, steps[0].refcounts.b]).toEqual(fixture.demos.cycle.refcounts);
    expect(steps.map((s) => s.alive)).toEqual([true, true, false]);
    expect(steps[2].collected).toBe(fixture.demos.cycle.collected);
  });

  it('recursion: each limit refused or reached as from module level in CPython', () => {
    for (const entry of fixture.recursionLimits as { limit: number; refused?: string; deepestCall?: number; error?: string }[]) {
      const shown = recursionLimit(entry.limit);
      if (entry.refused !== undefined) expect([entry.limit, shown.refused]).toEqual([entry.limit, entry.refused]);
      else expect([entry.limit, shown.refused, shown.deepestCall, shown.error]).toEqual([entry.limit, undefined, entry.deepestCall, entry.error]);
    }
  });

  it('sizeof: the figures of the breakdown', () => {
    const find = (source: string) => fixture.expressions.find((entry: { source: string }) => entry.source === source);
    for (const source of ['[1, 2] + [3]', 'list(range(10))', '[i for i in range(10)]', "'\\N{BULLET}'", "b'a\\777b'", '(-1) ** 0.5', '[0] * 10**6', '(1,) * 10**5']) {
      const shown = sizeofLiteral(source);
      const repr: string = find(source).repr;
      const shownRepr = repr.length > 2000 ? `${repr.slice(0, 1997)}...` : repr; // a breakdown shortens a long repr
      expect([source, shown.size, shown.type, shown.repr]).toEqual([source, find(source).size, find(source).type, shownRepr]);
    }
  });

  it('sizeof: the deep size counts each object once, as CPython shares them (one-character strs and bytes, folded constants, small ints)', () => {
    for (const { source, deepSize } of fixture.deepSizes as { source: string; deepSize: number }[]) expect([source, sizeofLiteral(source).deepSize]).toEqual([source, deepSize]);
  });

  it("gil-not-a-lock's explanation names the instructions CPython 3.11 compiles the statement to", () => {
    const instructions: string[] = fixture.bytecode['counter += step()'];
    expect(gilNotALockScenario.explain).toContain(`six of them in CPython 3.11 (dis: ${instructions.join(', ')};`);
    expect(instructions).toHaveLength(6);
  });

  it('the memory scenarios\' explanations state CPython\'s figures', () => {
    const limit1000 = fixture.recursionLimits.find((e: { limit: number }) => e.limit === 1000);
    expect(recursionLimitScenario.explain).toContain(`makes ${limit1000.deepestCall} calls`);
    expect(recursionLimitScenario.summary).toContain(`after ${limit1000.deepestCall} calls`);
    expect(cycleLeakScenario.explain).toContain(`gc.collect()                      # -> ${fixture.demos.cycle.thousandPairsCollected}`);
    expect(cycleLeakScenario.explain).toContain(`(${fixture.gc.twoInstances} per pair)`);
    const floats = fixture.demos.floatFragmentation;
    expect(poolFragmentationScenario.explain).toContain(`# ${floats.kept} floats live; python3 3.11 keeps the ${floats.arenasStillAddedAfterFree} arenas (${floats.arenasStillAddedAfterFree} MiB)`);
    const cached = fixture.constantSharing.find((e: { value: string }) => e.value === '256');
    const uncached = fixture.constantSharing.find((e: { value: string }) => e.value === '257');
    expect(smallIntIdentityScenario.explain).toContain(`a, b = int('256'), int('256');  a is b      # ${cached.runtime ? 'True' : 'False'}`);
    expect(smallIntIdentityScenario.explain).toContain(`a, b = int('257'), int('257');  a is b      # ${uncached.runtime ? 'True' : 'False'}`);
  });
});
