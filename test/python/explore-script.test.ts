/*
 * `memplay explore script.py`: the Python catalogue under the schedule explorer,
 * through the built CLI, at the smallest sizes that show each race. Each racy
 * script has a witness whose steps name the script's own lines (counter's and
 * deadlock's found by dfs, the others' by pct, seeded, which is quicker to the
 * race), and replaying counter's by its id gives the same steps and outcome;
 * counter's, deadlock's and
 * bank-transfer's fixed scripts are verified at K = 2 (dfs over every schedule
 * with at most two preemptions). pool-histogram's and producer-consumer's fixed
 * scripts take thousands of schedules, many minutes each: their verification runs
 * only with MEMPLAY_LONG_TESTS=1 (`npm run test:long`). Real workers, one Pyodide
 * interpreter per process; every run is bounded by the CLI helper's timeout, and
 * each search by --time, which it must not reach.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay, memplayAsync } from '../helpers/cli.js';

const scenario = (name: string): string => fileURLToPath(new URL(`../../scenarios/python/${name}.py`, import.meta.url));
const SEARCH_SECONDS = 900;
const SLOW = 1_000_000;

interface Witness {
  readonly id: string;
  readonly preemptions: number;
  readonly rows: { worker: number; operation: string }[];
  readonly hang?: { waits: string[]; cycle: number[] };
}

interface Exploration {
  readonly verified: boolean;
  readonly forbidden: boolean;
  readonly complete: boolean;
  readonly preemptions: number;
  readonly outcomes: { outcome: string; classification: string; count: number; witness?: Witness }[];
}

/**
 * `memplay explore <script> --json --time <searchSeconds> [flags] -- args`: its one exploration and exit code.
 * The searches are deterministic (dfs, and pct with its default seed) and one thread of each moves at a
 * time, so the tests run them at once (it.concurrent): both cores work.
 */
async function explore(script: string, flags: string[], args: string[], searchSeconds = SEARCH_SECONDS): Promise<{ exploration: Exploration; status: number | null }> {
  const result = await memplayAsync(['explore', scenario(script), '--json', '--time', String(searchSeconds), ...flags, '--', ...args], Math.max(SLOW, (searchSeconds + 60) * 1000));
  if (result.status !== 0 && result.status !== 1) throw new Error(`explore exited ${result.status}: ${result.stderr}`);
  return { exploration: (JSON.parse(result.stdout) as { variants: Exploration[] }).variants[0], status: result.status };
}

/** The FORBIDDEN outcome the racy script exists to show, with its witness. */
function raceOf(exploration: Exploration, outcome: (text: string) => boolean) {
  const race = exploration.outcomes.find((summary) => outcome(summary.outcome));
  expect(race, JSON.stringify(exploration.outcomes.map((o) => o.outcome))).toBeDefined();
  expect(race!.classification).toBe('FORBIDDEN');
  expect(race!.witness).toBeDefined();
  return race!;
}

function expectVerified(exploration: Exploration, status: number | null, outcome: string): void {
  expect(exploration.complete).toBe(true);
  expect(exploration.verified).toBe(true);
  expect(exploration.preemptions).toBe(2);
  expect(exploration.outcomes.map((o) => [o.outcome, o.classification])).toEqual([[outcome, 'ACCEPTABLE']]);
  expect(status).toBe(0);
}

describe('memplay explore script.py: the Python catalogue', () => {
  it.concurrent('counter: the lost update has a witness at the script\'s own lines, which replays to the same outcome; the fix is verified at K=2', async () => {
    const args = ['--processes', '2', '--increments', '1'];
    const { exploration, status } = await explore('counter', ['--workers', '3'], args);
    expect(status).toBe(1);
    const lost = raceOf(exploration, (outcome) => outcome === '1');
    expect(lost.witness!.preemptions).toBe(1);
    const operations = lost.witness!.rows.map((row) => row.operation);
    expect(operations.filter((text) => text.startsWith('counter.py:22 counter.value += 1 | read Value#1.value -> 0'))).toHaveLength(2);
    expect(operations.filter((text) => text.startsWith('counter.py:22 counter.value += 1 | Value#1.value = 1'))).toHaveLength(2);
    expect(new Set(lost.witness!.rows.map((row) => row.worker))).toEqual(new Set([0, 1, 2]));
    for (let replay = 0; replay < 2; replay++) {
      const again = (await explore('counter', ['--replay', lost.witness!.id], args)).exploration;
      expect(again.outcomes.map((o) => o.outcome)).toEqual(['1']);
      expect(again.outcomes[0].witness!.rows.map((row) => row.operation)).toEqual(operations);
    }
    const fixed = await explore('counter', ['--workers', '3'], ['fixed', ...args]);
    expectVerified(fixed.exploration, fixed.status, '2');
  }, SLOW);

  it.concurrent('deadlock: the opposite orders deadlock with a wait-for cycle between the two processes; one global order is verified at K=2', async () => {
    const { exploration, status } = await explore('deadlock', ['--workers', '3'], []);
    expect(status).toBe(1);
    const deadlock = raceOf(exploration, (outcome) => outcome === 'deadlock');
    expect([...deadlock.witness!.hang!.cycle].sort()).toEqual([1, 2]);
    expect(deadlock.witness!.hang!.waits.join('\n')).toMatch(/worker 1: holds Lock#\d; waits in deadlock\.py:18 with second: \| Lock#\d\.acquire\(\), held by worker 2/);
    expect(exploration.outcomes.find((o) => o.outcome === 'done')?.classification).toBe('ACCEPTABLE');
    const fixed = await explore('deadlock', ['--workers', '3'], ['fixed']);
    expectVerified(fixed.exploration, fixed.status, 'done');
  }, SLOW);

  it.concurrent('bank-transfer: two tellers both pay out the last coin; holding the lock across check and debit is verified at K=2', async () => {
    const args = ['--tellers', '2', '--attempts', '1', '--balance', '1'];
    const { exploration } = await explore('bank-transfer', ['--workers', '3', '--strategy', 'pct', '--depth', '2', '--schedules', '200'], args);
    const overdrawn = raceOf(exploration, (outcome) => outcome === 'paid out 2 from 1');
    expect(overdrawn.witness!.rows.some((row) => row.operation.startsWith('bank-transfer.py:') && row.operation.includes('balance.value'))).toBe(true);
    const fixed = await explore('bank-transfer', ['--workers', '3'], ['fixed', ...args]);
    expectVerified(fixed.exploration, fixed.status, 'paid out 1 from 1');
  }, SLOW);

  it.concurrent('producer-consumer: the consumers\' running total comes out short; pct (depth 2, seeded) finds it', async () => {
    const { exploration } = await explore('producer-consumer', ['--workers', '4', '--strategy', 'pct', '--depth', '2', '--schedules', '200'], ['--producers', '1', '--consumers', '2', '--items', '2']);
    const short = raceOf(exploration, (outcome) => outcome === 'sum 1' || outcome === 'sum 2');
    expect(short.witness!.rows.some((row) => row.operation.includes('total.value += item'))).toBe(true);
    expect(exploration.outcomes.find((o) => o.outcome === 'sum 3')?.classification).toBe('ACCEPTABLE');
  }, SLOW);

  it.concurrent('pool-histogram: two pool workers lose a count in a shared bin', async () => {
    const { exploration } = await explore('pool-histogram', ['--workers', '4', '--strategy', 'pct', '--depth', '2', '--schedules', '200'], ['--workers', '2', '--numbers', '2', '--times', '1', '--bins', '1']);
    const lost = raceOf(exploration, (outcome) => outcome === 'total 1');
    expect(lost.witness!.rows.some((row) => row.operation.includes('bins[number % len(bins)] += 1'))).toBe(true);
  }, SLOW);
});

const LONG = process.env.MEMPLAY_LONG_TESTS === '1';
const LONG_SEARCH = 3 * 3600;

describe.skipIf(!LONG)('memplay explore script.py: the long verifications (MEMPLAY_LONG_TESTS=1)', () => {
  it('pool-histogram: counting under the Array\'s lock is verified at K=2 at the sizes its race shows at', async () => {
    const args = ['fixed', '--workers', '2', '--numbers', '2', '--times', '1', '--bins', '1'];
    const fixed = await explore('pool-histogram', ['--workers', '4'], args, LONG_SEARCH);
    expectVerified(fixed.exploration, fixed.status, 'total 2');
  }, (LONG_SEARCH + 120) * 1000);
});

/** `memplay explore <name> --workers 2 --json` of a script written from `lines` into a temporary folder (removed after): exit status and the one variant's exploration. */
function exploreWritten(name: string, lines: string[]): { status: number | null; exploration: Exploration } {
  const folder = mkdtempSync(join(tmpdir(), 'memplay-written-'));
  try {
    const script = join(folder, name);
    writeFileSync(script, [...lines, ''].join('\n'));
    const result = memplay(['explore', script, '--workers', '2', '--json'], SLOW);
    return { status: result.status, exploration: (JSON.parse(result.stdout) as { variants: Exploration[] }).variants[0] };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('memplay explore script.py: a child that fails', () => {
  it('is named in the outcome, which is FORBIDDEN in every schedule (python3 would print its traceback), never verified', () => {
    const { status, exploration } = exploreWritten('child-fails.py', [
      'from multiprocessing import Process, Value',
      '',
      'def work(v):',
      '    with v.get_lock():',
      '        v.value += 1',
      '',
      "if __name__ == '__main__':",
      "    v = Value('i', 0, lock=False)",
      '    p = Process(target=work, args=(v,))',
      '    p.start()',
      '    p.join()',
      "    print(f'v={v.value}')",
    ]);
    expect(status).toBe(1);
    expect(exploration.verified).toBe(false);
    expect(exploration.outcomes.map((o) => [o.outcome, o.classification])).toEqual([['v=0; Process-1 exited with code 1', 'FORBIDDEN']]);
  }, SLOW);
});

describe('memplay explore script.py: a spin that nothing ends', () => {
  it('is a livelock, found within a few hundred steps although the spinner takes and releases the Value\'s lock between its reads', () => {
    const { status, exploration } = exploreWritten('spin.py', [
      'from multiprocessing import Process, Value',
      '',
      'def spin(flag):',
      '    while flag.value == 0:',
      '        pass',
      '',
      "if __name__ == '__main__':",
      "    flag = Value('i', 0)",
      '    p = Process(target=spin, args=(flag,))',
      '    p.start()',
      '    p.join()',
    ]);
    expect(status).toBe(1);
    const livelock = raceOf(exploration, (outcome) => outcome === 'livelock');
    expect(livelock.witness!.rows.length).toBeLessThan(1000);
    expect(livelock.witness!.hang!.waits.join('\n')).toMatch(/worker 1: holds RLock#1; spins on `spin\.py:4 while flag\.value == 0: \| read Value#1\.value/);
  }, SLOW);
});

describe('memplay explore script.py: bad input, one line and exit 2', () => {
  it('refuses --variant and --iterations, an unreadable script, a schedule id of another script, and more processes than --workers', () => {
    expect(expectUsageError(memplay(['explore', scenario('counter'), '--iterations', '2']))).toBe('memplay: --iterations applies to a scenario only: a Python script takes its own arguments');
    expect(expectUsageError(memplay(['explore', '/nonexistent/script.py']))).toMatch(/^memplay: cannot read the script \/nonexistent\/script\.py: ENOENT/);
    expect(expectUsageError(memplay(['explore', scenario('counter'), '--replay', 'v1:deadlock:script:w3i1s0:0x3']))).toBe("memplay: the schedule id is one of scenario 'deadlock', not 'counter'");
    const tooMany = expectUsageError(memplay(['explore', scenario('counter'), '--workers', '2', '--schedules', '1', '--', '--processes', '2', '--increments', '1'], SLOW));
    expect(tooMany).toMatch(/the script starts more than 1 processes: give explore --workers 3 or more/);
  }, SLOW);

  it('refuses SharedMemory, whose buf is read and written with no scheduling point, rather than verify a script it cannot interleave; and a script that does not compile, rather than call its failure a race', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-shm-'));
    try {
      const script = join(folder, 'shm.py');
      writeFileSync(script, "from multiprocessing.shared_memory import SharedMemory\nshm = SharedMemory(create=True, size=4)\nshm.buf[0] += 1\nprint(shm.buf[0])\nshm.close()\nshm.unlink()\n");
      expect(expectUsageError(memplay(['explore', script], SLOW))).toMatch(/^memplay: shm \/ script is not explorable: SharedMemory is not supported by memplay explore yet/);
      const broken = join(folder, 'broken.py');
      writeFileSync(broken, 'from multiprocessing import Process\nx = (\n');
      expect(expectUsageError(memplay(['explore', broken], SLOW))).toBe(`memplay: broken / script is not explorable: it does not compile: ${broken}:2:5: SyntaxError: '(' was never closed`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, SLOW);
});
