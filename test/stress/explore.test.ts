/*
 * `memplay stress <target> --explore` (the built CLI, real workers): a lock with a
 * gap between its test and its set is caught with a witness, and the witness's
 * replay id reproduces it; the built-in lock, and every built-in target, is
 * verified at K=2; options that a
 * controlled run cannot take are usage errors. The searches are deterministic:
 * the tests run at once (it.concurrent).
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplayAsync } from '../helpers/cli.js';

const GAP_LOCK = 'test/fixtures/stress-gap-lock.ts';

describe('memplay stress --explore', () => {
  it.concurrent('catches the gap lock with a witness whose replay id reproduces the violation', async () => {
    const found = await memplayAsync(['stress', GAP_LOCK, '--explore'], 120_000);
    expect(found.status, found.stderr).toBe(1);
    expect(found.stdout).toContain('witness for violation (FORBIDDEN)');
    expect(found.stdout).toContain('mutual exclusion broken');
    expect(found.stdout).toContain('# between the test and the set');
    const id = /--explore --replay (v1:gap-lock:stress:\S+)/.exec(found.stdout)?.[1];
    expect(id).toBeDefined();

    const replayed = await memplayAsync(['stress', GAP_LOCK, '--explore', '--replay', id!, '--json'], 60_000);
    expect(replayed.status, replayed.stderr).toBe(1);
    const [exploration] = JSON.parse(replayed.stdout).explorations;
    expect(exploration.strategy).toBe('replay');
    expect(exploration.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['violation']);
    expect(exploration.outcomes[0].witness.id).toBe(id);
    // The witness says what its own schedule observed, which its replay observes again.
    const observed = /witness for violation \(FORBIDDEN\): (.*)/.exec(found.stdout)?.[1];
    expect(exploration.outcomes[0].observed).toBe(observed);
  }, 200_000);

  it.concurrent('verifies the built-in lock target at K=2', async () => {
    const result = await memplayAsync(['stress', 'lock', '--explore', '--preemptions', '2', '--json'], 120_000);
    expect(result.status, result.stderr).toBe(0);
    const [exploration] = JSON.parse(result.stdout).explorations;
    expect(exploration.verified).toBe(true);
    expect(exploration.preemptions).toBe(2);
    expect(exploration.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['ok']);
  }, 150_000);

  it.concurrent('verifies every built-in target at K=2, and ends with one verdict over them all, as `stress all` does', async () => {
    const result = await memplayAsync(['stress', 'all', '--explore'], 300_000);
    expect(result.status, result.stderr).toBe(0);
    const targets = [...result.stdout.matchAll(/^(\S+) \/ stress: dfs/gm)].map((match) => match[1]);
    expect(targets).toEqual(['lock', 'rlock', 'semaphore', 'bounded-semaphore', 'condition', 'event', 'barrier']);
    expect(result.stdout.match(/^verified at K=2: /gm)).toHaveLength(7);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: 7/7 verified');
  }, 320_000);

  it.concurrent('bounds each target\'s search by --schedules (a search cut short is not verified)', async () => {
    const result = await memplayAsync(['--json', 'stress', 'lock', '--explore', '--schedules', '3']);
    const [exploration] = JSON.parse(result.stdout).explorations;
    expect(exploration.schedules).toBe(3);
    expect(exploration.verified).toBe(false);
  }, 120_000);

  it.concurrent('refuses, as one line and exit 2, what a controlled run cannot take', async () => {
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--preemptions', '-1']))).toContain('--preemptions');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--kill-holder']))).toContain('--kill-holder');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--duration', '1']))).toContain('--duration');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--preemptions', '1']))).toContain('needs --explore');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--schedules', '5']))).toBe('memplay: --schedules needs --explore');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--depth', '2']))).toBe('memplay: --depth needs --explore');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--strategy', 'pct', '--depth', '21']))).toMatch(/from 1 to 20 \(pct takes d-1 priority change points\)/);
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--time', '0']))).toContain('--time');
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--replay', 'v1:lost-update:racy:w2i2s0:0']))).toContain("scenario 'lost-update'");
    expect(expectUsageError(await memplayAsync(['stress', 'lock', '--explore', '--replay', 'nonsense']))).toContain('bad schedule id');
  }, 120_000);
});
