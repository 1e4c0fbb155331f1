/*
 * `memplay explore` as a user runs it: a witness with its replay id, the replay
 * itself, verification, exit codes, and every bad input as one line and exit 2.
 * The searches are deterministic: the tests run at once (it.concurrent).
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplayAsync } from '../helpers/cli.js';

describe('memplay explore (CLI)', () => {
  it.concurrent('prints the lost update step by step with a replay id that reproduces it; exit 0 (the race is INTERESTING)', async () => {
    const found = await memplayAsync(['explore', 'lost-update', '--variant', 'racy', '--iterations', '1']);
    expect(found.status).toBe(0);
    expect(found.stdout).toMatch(/read counter\.value -> 0/);
    const id = /--replay (v1:\S+)/.exec(found.stdout)![1];
    const replayed = await memplayAsync(['--json', 'explore', 'lost-update', '--replay', id]);
    expect(replayed.status).toBe(0);
    const [variant] = JSON.parse(replayed.stdout).variants;
    expect(variant.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['counter<2']);
  });

  it.concurrent('says "verified at K=2" with the schedule count for a fixed variant', async () => {
    const verified = await memplayAsync(['explore', 'lost-update', '--variant', 'fixed']);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/verified at K=2: all \d+ schedules with at most 2 preemptions give ACCEPTABLE outcomes/);
  });

  it.concurrent('sees a Barrier that can never fill hang at once (its liveness poll is no timed wait in a controlled run), and covers every schedule', async () => {
    const result = await memplayAsync(['--json', 'explore', 'test/fixtures/explore-barrier-never-fills.ts', '--time', '30']);
    expect(result.status, result.stderr).toBe(0);
    const [variant] = JSON.parse(result.stdout).variants;
    expect(variant.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['deadlock']);
    expect(variant.complete).toBe(true);
    expect(variant.steps).toBeLessThan(20);
  });

  it.concurrent('never calls a search cut short verified', async () => {
    const cut = await memplayAsync(['explore', 'lost-update', '--variant', 'fixed', '--schedules', '3']);
    expect(cut.stdout).toMatch(/not verified: the search was cut short by --schedules/);
  });

  it.concurrent("catches a user's broken test-and-set lock on SharedWords (exit 1, a witness), and verifies two compare-and-swap spin locks (a failed CAS is a read: a spinner retrying it waits, no livelock)", async () => {
    const file = 'test/fixtures/explore-spin-locks.ts';
    const broken = await memplayAsync(['explore', file, '--variant', 'racy']);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/witness for both-inside \(FORBIDDEN\)/);
    expect(broken.stdout).toMatch(/words\[0\] = 1/);
    for (const variant of ['fixed', 'cas-only']) {
      const spinLock = await memplayAsync(['explore', file, '--variant', variant]);
      expect(spinLock.status, spinLock.stdout).toBe(0);
      expect(spinLock.stdout).toMatch(/verified at K=2/);
    }
  });

  it.concurrent('refuses bad input with one line and exit 2', async () => {
    const bad = [
      ['explore', 'lost-update', '--preemptions', '-1'],
      ['explore', 'lost-update', '--strategy', 'nope'],
      ['explore', 'lost-update', '--replay', 'v1:lost-update:racy:nonsense'],
      ['explore', 'lost-update', '--replay', 'v1:lost-update:racy:w2i1s0:0.7'],
      ['explore', 'lost-update', '--replay', 'v1:torn-read:racy:w2i2s0:0x3.1x4'],
      ['explore', 'lost-update', '--variant', 'fixed', '--replay', 'v1:lost-update:racy:w2i1s0:0.1x2.0'],
      ['explore', 'lost-update', '--replay', 'v1:lost-update:racy:w2i1s0:1x9'],
      ['explore', 'no-such-scenario'],
      ['explore', 'lost-update', '--replay', 'v1:lost-update:nosuch:w2i1s0:0.1x2.0'],
      ['explore', 'lost-update', '--replay', 'v1:lost-update:racy:w2i1s0:0.1x2.0', '--workers', '3'],
      ['explore', 'lost-update', '--depth', '2'],
      ['explore', 'lost-update', '--strategy', 'random', '--preemptions', '1'],
      ['explore', 'gil-not-a-lock', '--variant', 'racy'],
      ['explore', 'gil-not-a-lock', '--variant', 'no-gil'],
      ['explore', 'cycle-leak', '--variant', 'gc-disabled'],
    ];
    for (const result of await Promise.all(bad.map((args) => memplayAsync(args)))) expect(expectUsageError(result)).toMatch(/^memplay: /);
  });
});
