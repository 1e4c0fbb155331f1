import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../../src/coordinator/catalogue.js';
import { memplayAsync } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(root, 'test', 'workers', `${name}.ts`);

/** Runs the built CLI in the project's folder, bounded: a hang fails the test instead of stalling it. */
const memplay = (args: string[], timeoutMs = 45_000) => memplayAsync(args, timeoutMs, { cwd: root });

describe('memplay list', () => {
  it('lists the twelve race-condition scenarios first, then any other built-in ones', async () => {
    const { status, stdout } = await memplay(['list', '--json']);
    expect(status).toBe(0);
    const scenarios: { name: string; variants: string[] }[] = JSON.parse(stdout).scenarios;
    expect(scenarios.slice(0, 12).map((scenario) => scenario.name)).toEqual([...BUILT_IN_SCENARIOS]);
    for (const scenario of scenarios.slice(0, 12)) expect(scenario.variants).toEqual(expect.arrayContaining(['racy', 'fixed']));
  });
});

describe('memplay tour', () => {
  it('starts with the Value += trap and its fix, then visits more scenarios, and ends', async () => {
    const { status, stdout } = await memplay(['tour', '--json'], 90_000);
    expect(status).toBe(0);
    const { tour } = JSON.parse(stdout);
    expect(tour.map((report: { scenario: string }) => report.scenario)).toEqual([
      'synchronized-value-trap',
      'check-then-act',
      'torn-read',
      'deadlock-dining-philosophers',
    ]);
    expect(tour[0].variants.map((variant: { name: string }) => variant.name)).toEqual(['racy', 'fixed']);
    expect(tour.every((report: { forbidden: boolean }) => !report.forbidden)).toBe(true);
  });
});

describe('memplay run', () => {
  it('prints expected and observed, the outcome table and the explanation for each variant', async () => {
    const { status, stdout } = await memplay(['run', 'synchronized-value-trap', '--iterations', '20000', '--repeat', '2', '--seed', '5']);
    expect(status).toBe(0);
    expect(stdout).toContain('4 workers, 20000 iterations, 2 runs per variant, timeout 10 s, seed 5');
    expect(stdout).toMatch(/^racy: .*\(\d+\.\d\d s\)$/m);
    expect(stdout).toMatch(/^fixed: .*\(\d+\.\d\d s\)$/m);
    expect(stdout).toContain('expected  counter=80000');
    expect(stdout).toMatch(/run 1: counter=\d+ \(\d+ updates lost\)\s+\[INTERESTING/);
    expect(stdout).toMatch(/outcome\s+count\s+share\s+classification/);
    expect(stdout).toMatch(/counter=80000\s+2\s+100%\s+ACCEPTABLE/);
    expect(stdout).toContain('Why: multiprocessing.Value wraps the number');
    const why = stdout.slice(stdout.indexOf('Why: '), stdout.indexOf('\n\nverdict: '));
    expect(why.split('\n').length).toBeGreaterThan(3);
    for (const line of why.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(stdout).toMatch(/^verdict: racy: (2\/2 INTERESTING|1\/2 INTERESTING, 1\/2 ACCEPTABLE|2\/2 ACCEPTABLE); fixed: 2\/2 ACCEPTABLE$/m);
  });

  it('writes one JSON document with every run\'s facts under --json', async () => {
    const { status, stdout } = await memplay(['run', 'lost-update', '--iterations', '50000', '--repeat', '2', '--json', '--seed', '3']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ scenario: 'lost-update', seed: 3, forbidden: false, params: { workers: 4, iterations: 50000, repeat: 2 } });
    expect(report.variants.map((variant: { name: string }) => variant.name)).toEqual(['racy', 'fixed']);
    const [racy, fixed] = report.variants;
    expect(racy.runs).toHaveLength(2);
    expect(racy.runs[0]).toMatchObject({ expected: 'counter=200000', workers: expect.any(Array) });
    const { counter, lost } = racy.runs[0].values;
    expect(racy.runs[0].values).toEqual({ counter, expected: 200000, lost, extra: 0 });
    expect(counter + lost).toBe(200000);
    expect(typeof racy.runs[0].seconds).toBe('number');
    expect(fixed.table).toEqual([{ outcome: 'counter=200000', classification: 'ACCEPTABLE', description: 'every update counted', count: 2, share: 1 }]);
  });

  it('runs one variant chosen by name', async () => {
    const { status, stdout } = await memplay(['run', 'array-sum', '--variant', 'fixed-slot-locks', '--iterations', '2000', '--repeat', '1', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).variants.map((variant: { name: string }) => variant.name)).toEqual(['fixed-slot-locks']);
  });

  it('reports a deadlock caught by the watchdog, with who holds what, and exits', async () => {
    const { status, stdout } = await memplay(['run', fixture('coordinator-deadlock'), '--variant', 'racy', '--timeout', '30']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/run 1: deadlock: workers 0, 1 both wait, with no worker left to wake them; their waits were cancelled\s+\[INTERESTING/);
    expect(stdout).toContain('lock a is held by worker 0');
    expect(stdout).toContain('lock b is held by worker 1');
  });

  it('exits 1 when a run has a FORBIDDEN outcome (a worker raised)', async () => {
    const { status, stdout } = await memplay(['run', fixture('coordinator-throws'), '--variant', 'racy']);
    expect(status).toBe(1);
    expect(stdout).toContain('worker 1 raised RuntimeError: boom in worker 1');
    expect(stdout).toMatch(/error\s+1\s+100%\s+FORBIDDEN/);
  });

  describe('with a scenario file of the user', () => {
    let folder = '';
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'memplay-user-'));
      const src = (path: string) => JSON.stringify(join(root, 'src', path));
      writeFileSync(
        join(folder, 'my-counter.ts'),
        [
          `import { defineScenario } from ${src('coordinator/define-scenario.ts')};`,
          `import { RawValue } from ${src('mp/value.ts')};`,
          'export default defineScenario({',
          "  name: 'my-counter', summary: 'mine', explain: 'a user scenario',",
          '  params: { workers: 2, iterations: 1000, repeat: 2, timeout: 10 },',
          "  setup: () => ({ hits: RawValue('i', 0) }),",
          "  judge: ({ shared, params }) => ({ outcome: shared.hits.value === params.workers ? 'all' : 'some', observed: `hits=${shared.hits.value}` }),",
          '  variants: {',
          "    racy: { summary: 'one hit each', worker: ({ hits }) => { hits.value += 1; }, outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'both' }, { key: 'some', expect: 'INTERESTING', description: 'lost' }] },",
          "    fixed: { summary: 'the same', worker: ({ hits }) => { hits.value += 1; }, outcomes: [{ key: 'all', expect: 'ACCEPTABLE', description: 'both' }, { key: 'some', expect: 'INTERESTING', description: 'lost' }] },",
          '  },',
          '});',
        ].join('\n'),
      );
      writeFileSync(join(folder, 'broken.ts'), 'export default defineScenario({ name: ');
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('loads it from a temporary folder and runs it on real workers', async () => {
      const { status, stdout, stderr } = await memplay(['run', join(folder, 'my-counter.ts'), '--json']);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.scenario).toBe('my-counter');
      expect(report.variants.flatMap((variant: { runs: { observed: string }[] }) => variant.runs.map((run) => run.observed))).toHaveLength(4);
    });

    it('reports a file that does not compile as that file\'s error (exit 1), with its line and column', async () => {
      const { status, stdout, stderr } = await memplay(['run', join(folder, 'broken.ts')]);
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^memplay: .*broken\.ts:1:\d+: SyntaxError in compiling the file: .+\n/);
    });
  });

  const badInput: [string, string[], RegExp][] = [
    ['an unknown scenario', ['run', 'no-such-scenario'], /unknown scenario 'no-such-scenario'/],
    ['an unknown variant', ['run', 'lost-update', '--variant', 'slow'], /has no variant 'slow' \(it has racy, fixed, or all\)/],
    ['zero workers', ['run', 'lost-update', '--workers', '0'], /'--workers <n>' argument '0' is invalid/],
    ['negative workers', ['run', 'lost-update', '--workers', '-2'], /'--workers <n>' argument '-2' is invalid/],
    ['non-numeric iterations', ['run', 'lost-update', '--iterations', 'many'], /'--iterations <n>' argument 'many' is invalid/],
    ['a zero timeout', ['run', 'lost-update', '--timeout', '0'], /'--timeout <seconds>' argument '0' is invalid/],
    ['more workers than the scenario allows', ['run', 'lost-wakeup', '--workers', '3'], /needs exactly 2 workers, got 3/],
    ['a scenario file that does not exist', ['run', '/nonexistent/scenario.ts'], /scenario file not found: \/nonexistent\/scenario\.ts/],
    ['a folder given as the scenario file', ['run', tmpdir()], /is a directory, not a file/],
    ['a file that is not a module', ['run', fileURLToPath(new URL('../../package.json', import.meta.url))], /is not a TypeScript or JavaScript module/],
    ['a file that exports no scenario', ['run', fixture('coordinator-not-a-scenario')], /does not export a scenario/],
    ['no scenario at all', ['run'], /missing required argument 'scenario'/],
  ];

  // Refused before any thread starts: these runs are short and independent, so they run at once.
  it.concurrent.each(badInput)('refuses %s with one line on stderr and exit code 2', async (_what, args, message) => {
    const { status, stdout, stderr } = await memplay(args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^memplay: [^\n]+\n$/);
    expect(stderr).toMatch(message);
  });
});
