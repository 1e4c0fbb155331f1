/*
 * The complete scenario examples that docs/SCENARIOS.md points to, run through the
 * built CLI: each does what the page says it shows.
 */
import { describe, expect, it } from 'vitest';
import { memplay } from '../helpers/cli.js';

const example = (name: string) => new URL(`../../examples/scenarios/${name}.ts`, import.meta.url).pathname;

describe('the scenario examples of docs/SCENARIOS.md', () => {
  it('counter: variants of any names, SharedWords as the atomic counter, values for --json', () => {
    const { status, stdout, stderr } = memplay(['run', example('counter'), '--iterations', '5000', '--repeat', '1', '--workers', '3', '--json'], 120_000);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.variants.map((variant: { name: string }) => variant.name)).toEqual(['plain', 'atomic', 'locked']);
    for (const name of ['atomic', 'locked']) {
      const [run] = report.variants.find((variant: { name: string }) => variant.name === name).runs;
      expect(run).toMatchObject({ outcome: 'all-counted', classification: 'ACCEPTABLE', values: { counter: 15000, expected: 15000, lost: 0 } });
    }
  });

  it('two-locks: a deadlock diagnosed from ownerThreadId, and a worker that raises is the outcome error', () => {
    const run = () => JSON.parse(memplay(['run', example('two-locks'), '--variant', 'opposite-order', '--json'], 120_000).stdout);
    // Both take their first lock and sleep 50 ms: a worker descheduled for longer on a loaded machine avoids the
    // deadlock, so up to three tries for it to show.
    let report = run();
    for (let attempt = 1; attempt < 3 && report.variants[0].runs[0].outcome !== 'deadlock'; attempt++) report = run();
    const [hung] = report.variants[0].runs;
    expect(hung).toMatchObject({ outcome: 'deadlock', classification: 'INTERESTING' });
    expect(hung.hang.waits).toEqual(['worker 0 (running) holds lock 0', 'worker 1 (running) holds lock 1']);

    const raised = memplay(['run', example('two-locks'), '--variant', 'release-unheld'], 120_000);
    expect(raised.status).toBe(0);
    expect(raised.stdout).toMatch(/run 1: worker 1 raised RuntimeError: release unlocked lock \(at \S+two-locks\.ts:\d+:\d+\)\s+\[ACCEPTABLE/);
  });

  it('float-sum: a demonstration that is not a race speaks its own vocabulary', () => {
    const { status, stdout } = memplay(['run', example('float-sum')], 120_000);
    expect(status).toBe(0);
    expect(stdout).toContain('0.1 + 0.2 = 0.30000000000000004  [AS CPYTHON DOES');
    expect(stdout).toMatch(/^verdict: exact-compare: 1\/1 AS CPYTHON DOES; isclose: 1\/1 ACCEPTABLE$/m);
    expect(stdout).not.toContain('INTERESTING');
  });
});
