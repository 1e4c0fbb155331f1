// `memplay sim`: the real CLI (bin/memplay.js runs dist: build first), its JSON and its usage errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memplayAsync } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = JSON.parse(readFileSync(new URL('../fixtures/cpython-3.11.json', import.meta.url), 'utf8'));

/** The model is deterministic: the tests run at once (it.concurrent), each CLI run without blocking. */
const memplay = (...args: string[]) => memplayAsync(args, 60_000, { cwd: root });

const json = async (...args: string[]) => {
  const run = await memplay('--json', 'sim', ...args);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('memplay sim', async () => {
  it.concurrent('sizeof gives sys.getsizeof of the literal as CPython builds it, with a breakdown', async () => {
    const result = await json('sizeof', '[1, 2, 3]');
    expect(result.size).toBe(88);
    expect(result.object).toEqual({ bytes: 56, gcHeader: 16, allocator: 'pymalloc', blockBytes: 64 });
    expect(result.buffer.bytes).toBe(32);
    for (const source of ["{'k': {'n': (1, 2.5, 'x')}}", '[[1], [2], [3]]', "'é' * 3"]) {
      expect((await json('sizeof', source)).size).toBe(fixture.literals.find((l: { source: string }) => l.source === source).size);
    }
    const human = await memplay('sim', 'sizeof', '(1, 2)');
    expect(human.stdout).toContain('sys.getsizeof((1, 2)) == 56');
  });

  it.concurrent('sizeof takes any expression the model evaluates, one starting with - too, and Python errors as one line', async () => {
    const find = (source: string) => fixture.expressions.find((entry: { source: string }) => entry.source === source);
    for (const source of ['list(range(10))', '[i for i in range(10)]', '[1, 2] + [3]', "'\\N{BULLET}'", '-1j', '-2**30']) {
      expect([source, (await json('sizeof', source)).size]).toEqual([source, find(source).size]);
    }
    expect((await json('sizeof', '--', '-1j')).size).toBe((await json('sizeof', '-1j')).size);
    const raised = await memplay('sim', 'sizeof', '0 ** -1');
    expect([raised.status, raised.stderr.trim()]).toEqual([2, `memplay: "0 ** -1" raises ${find('0 ** -1').error}`]);
    expect((await memplay('sim', 'sizeof', '--help')).stdout).toContain('--');
  });

  it.concurrent('list-growth reaches its limit of 1,000,000 appends, and says what it prints', async () => {
    expect((await json('list-growth', '300')).sizes).toEqual(fixture.listGrowth.appends);
    expect((await memplay('sim', 'list-growth', '17')).stdout).toMatch(/17\s+24\s+248/);
    const big = await memplay('sim', 'list-growth', '1000000');
    expect(big.status, big.stderr).toBe(0);
    expect(big.stdout).toContain(`final size: ${fixture.demos.listGrowthAt['1000000']} bytes`);
    expect((await memplay('sim', 'list-growth', '--help')).stdout).toMatch(/at each reallocation/);
  });

  it.concurrent('dict-growth and set-growth give getsizeof after each insertion, as CPython does', async () => {
    expect((await json('dict-growth', '1000', '--keys', 'str')).sizes).toEqual(fixture.growth.dict.str);
    expect((await json('set-growth', '1000')).sizes).toEqual(fixture.growth.set.int);
    expect((await memplay('sim', 'dict-growth', '10')).stdout).toMatch(new RegExp(`^\\s+6\\s+${fixture.growth.dict.int[5]}$`, 'm'));
  });

  it.concurrent('generations --allocations gives the automatic schedule CPython follows', async () => {
    const entry = fixture.gcSchedules.keptLists.find((e: { allocations: number }) => e.allocations === 100000);
    expect((await json('generations', '--allocations', '100000')).schedule.collections).toEqual(entry.collections);
  });

  it.concurrent('fragmentation shows arenas kept by a few live blocks, and given back after', async () => {
    const { phases } = await json('fragmentation', '--objects', '70000', '--keep-every', '400');
    const [, allocated, fragmented, drained] = phases;
    expect(fragmented.arenas).toBe(allocated.arenas);
    expect(fragmented.liveObjects).toBe(175);
    expect(fragmented.utilization).toBeLessThan(0.01);
    expect(drained.arenas).toBeLessThan(allocated.arenas);
  });

  it.concurrent('cycle, recursion and small-ints tell what CPython does', async () => {
    expect((await json('cycle')).steps.map((s: { alive: boolean }) => s.alive)).toEqual([true, true, false]);
    expect((await json('cycle')).steps[2].collected).toBe(2);
    expect(await json('recursion')).toMatchObject({ limit: 1000, deepestCall: 999, error: `RecursionError: ${fixture.recursion.message}` });
    expect((await json('recursion', '--limit', '100')).deepestCall).toBe(99);
    const refused = await memplay('sim', 'recursion', '--limit', '2');
    expect([refused.status, refused.stderr.trim()]).toEqual([2, `memplay: sys.setrecursionlimit(2) raises ${fixture.recursionLimits.find((e: { limit: number }) => e.limit === 2).refused}`]);
    const steps = (await json('generations')).steps;
    expect(steps.map((s: { generationOfX: number }) => s.generationOfX)).toEqual([0, 1, 2, 2]);
    expect(steps[3].collections[0]).toBe(steps[2].collections[0] + 1); // 701 new lists pass threshold 0
    const checks = (await json('small-ints')).checks;
    const cpython = (value: number) => fixture.constantSharing.find((e: { value: string }) => e.value === String(value));
    for (const value of [256, 257]) {
      expect(checks.find((c: { value: number }) => c.value === value)).toMatchObject({
        oneCompilation: cpython(value).oneCompilation,
        twoCompilations: cpython(value).twoCompilations,
        runtime: cpython(value).runtime,
      });
    }
    expect((await memplay('sim', 'small-ints')).stdout).toMatch(/^\s+257\s+True\s+False\s+False$/m);
  });

  it.concurrent('rejects bad input with one line on stderr and exit code 2', async () => {
    const bad = [
      ['sizeof', '[1, 2'], ['sizeof', 'os.system("x")'], ['sizeof', "b'\\401' + {}"], ['sizeof', '1/0'], ['sizeof', 'foo'], ['list-growth', '0'], ['list-growth', 'ten'],
      ['list-growth', '2.5'], ['recursion', '--limit', '-1'], ['recursion', '--limit', '1'], ['dict-growth', '10', '--keys', 'list'], ['set-growth', '0'],
    ];
    const runs = await Promise.all(bad.map((args) => memplay('sim', ...args)));
    for (const [index, args] of bad.entries()) {
      const run = runs[index];
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^memplay: /);
    }
  });
});
