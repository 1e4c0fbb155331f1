import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

describe('memplay stress (the built CLI)', () => {
  it('runs every built-in target clean and prints one JSON document with the figures', () => {
    const result = memplay(['stress', 'all', '--ops', '50', '--workers', '2', '--seed', '4', '--json'], 120_000);
    expect(result.status, result.stderr).toBe(0);
    const { reports, clean } = JSON.parse(result.stdout);
    expect(clean).toBe(true);
    expect(reports.map((report: { target: string }) => report.target)).toEqual(['lock', 'rlock', 'semaphore', 'bounded-semaphore', 'condition', 'event', 'barrier']);
    for (const report of reports) {
      expect(report).toMatchObject({ outcome: 'clean', violation: null, params: { workers: 2, ops: 50, seed: 4 } });
      expect(Object.keys(report.latency)).toEqual(['count', 'p50', 'p90', 'p99', 'p999', 'max', 'unit']);
      expect(report.fairness.length).toBeGreaterThan(0);
    }
    expect(result.stderr).toBe('');
  });

  it('prints the figures as text, and a violation of a broken user primitive with exit code 1', () => {
    const clean = memplay(['stress', 'lock', '--ops', '200', '--workers', '2', '--seed', '1']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/^ {2}result: CLEAN, no violation$/m);
    expect(clean.stdout).toMatch(/acquire latency \(us\): p50 [\d.]+ {2}p90 [\d.]+ {2}p99 [\d.]+ {2}p99\.9 [\d.]+ {2}max [\d.]+/);
    expect(clean.stdout).toMatch(/fairness: worker x2: min\/max [\d.]+, Jain [\d.]+/);
    expect(clean.stdout).toMatch(/^verdict: 1\/1 clean$/m);

    let broken = memplay(['stress', 'test/fixtures/stress-broken-lock.ts', '--ops', '2000', '--hold', '50']);
    for (let attempt = 1; attempt < 3 && broken.status === 0; attempt++) broken = memplay(['stress', 'test/fixtures/stress-broken-lock.ts', '--ops', '2000', '--hold', '50']);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/result: VIOLATION by worker \d in critical at iteration \d+: mutual exclusion broken/);
    expect(broken.stdout).toMatch(/^verdict: 0\/1 clean; broken-lock VIOLATION$/m);
  });

  it('ends a run that hangs at --timeout with a deadlock report and exit code 1', () => {
    const hung = memplay(['stress', 'test/fixtures/stress-leaked-lock-polling.ts', '--ops', '100', '--workers', '2', '--timeout', '2']);
    expect(hung.status).toBe(1);
    expect(hung.stdout).toMatch(/result: DEADLOCK: the run did not end within 2 s; who waits on what:/);
    expect(hung.stdout).toMatch(/worker 0 \(worker, thread \d+\) is blocked in acquire at iteration 4, waiting on the Lock, which it holds itself \(self-deadlock\)/);
    expect(hung.stdout).toMatch(/^verdict: 0\/1 clean; leaked-lock-polling DEADLOCK$/m);
    expect(hung.stdout).toMatch(/^ {2}ops: \d+ in [\d.]+ s = n\/a \(the run did not finish\)$/m);
    expect(hung.stdout).toMatch(/^ {2}acquire latency \(us\): n\/a \(the run deadlocked\)$/m);
    expect(hung.stdout).toMatch(/^ {2}time: n\/a \(the run deadlocked\)$/m);
  });

  it('--fairness fails a run whose workers were not served evenly: the starved writer of the reader-writer example', () => {
    const run = () => memplay(['stress', 'examples/reader-writer-lock.ts', '--duration', '1', '--hold', '20', '--fairness', '0.8'], 60_000);
    // A readers-first lock starves its writer whenever readers overlap; on a loaded machine they may not, so up to three tries.
    let starved = run();
    for (let attempt = 1; attempt < 3 && starved.status === 0; attempt++) starved = run();
    expect(starved.status).toBe(1);
    expect(starved.stdout).toMatch(/^ {2}result: UNFAIR: Jain's index over the 4 workers 0\.\d+ is below --fairness 0\.8; ops per worker: 0 \(writer\) \d+, 1 \(reader\) \d+/m);
    expect(starved.stdout).toMatch(/^verdict: 0\/1 clean; reader-writer-lock UNFAIR$/m);
  });

  it('--fairness passes a run whose workers advance in lockstep', () => {
    const even = memplay(['stress', 'barrier', '--ops', '200', '--workers', '3', '--fairness', '0.99', '--json']);
    expect(even.status).toBe(0);
    const [report] = JSON.parse(even.stdout).reports;
    expect(report).toMatchObject({ outcome: 'clean', minFairness: 0.99, overallFairness: { role: 'all', workers: 3, jainIndex: 1 } });
  });

  it.each([
    [['stress', 'nope'], /unknown stress target 'nope'/],
    [['stress', 'lock', '--duration', '1', '--ops', '5'], /cannot be used with/],
    [['stress', './missing.ts'], /stress target file not found/],
    [['stress', 'test/fixtures/stress-not-a-target.ts'], /does not export a stress target/],
    [['stress', 'lock', '--workers', '0'], /expected a whole number >= 1/],
    [['stress', 'semaphore', '--kill-holder'], /--kill-holder needs a target with a lock/],
    [['stress', 'all', '--kill-holder'], /--kill-holder needs one target/],
    [['stress', 'condition', '--workers', '1'], /needs at least 2 workers/],
    [['stress', 'lock', '--duration', '5', '--timeout', '2'], /must be longer than --duration/],
    [['stress', 'lock', '--fairness', '1.5'], /--fairness takes a Jain index between 0 and 1, got 1.5/],
    [['stress', 'lock', '--fairness', '0'], /--fairness/],
  ])('refuses %j with one line and exit code 2', (args, message) => {
    expect(expectUsageError(memplay(args))).toMatch(message);
  });
});
