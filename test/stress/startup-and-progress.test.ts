/*
 * --timeout bounds the run from its start barrier, not the workers' start-up, and
 * a run still completing operations at its timeout is too slow, not deadlocked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memplay } from '../helpers/cli.js';

const library = JSON.stringify(fileURLToPath(new URL('../../dist/src/index.js', import.meta.url)));

describe('memplay stress: start-up and progress are not deadlocks', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-slow-start-'));
    // Each worker sleeps 3 s while it loads the file: start-up alone outlasts --timeout 1.
    writeFileSync(
      join(folder, 'slow-start.ts'),
      [
        `import { isMainThread } from 'node:worker_threads';`,
        `import { Lock, defineStressTarget } from ${library};`,
        'if (!isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);',
        'export default defineStressTarget({',
        "  name: 'slow-start', summary: 'a Lock in a file that is slow to load', invariants: ['none'],",
        '  setup: () => ({ lock: new Lock() }),',
        "  role: () => ({ name: 'w', acquire: ({ lock }) => lock.acquire(), critical: () => {}, release: ({ lock }) => lock.release() }),",
        '});',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a target slow to start, with --timeout 1, runs clean', () => {
    const result = memplay(['stress', join(folder, 'slow-start.ts'), '--ops', '20', '--workers', '2', '--timeout', '1', '--json'], 120_000);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).reports[0].outcome).toBe('clean');
  });

  it('a run still completing operations at --timeout is too slow, not a deadlock', () => {
    // 2 workers x 100,000 ops holding 1 ms each need minutes; operations complete every millisecond.
    const result = memplay(['stress', 'lock', '--ops', '100000', '--hold', '1000', '--workers', '2', '--timeout', '1', '--json'], 120_000);
    expect(result.status).toBe(1);
    const [report] = JSON.parse(result.stdout).reports;
    expect(report.outcome).toBe('error');
    expect(report.deadlock).toBeNull();
    expect(report.error).toMatchObject({ worker: -1, name: 'TimeoutError' });
    expect(report.error.message).toMatch(/^still making progress after [\d.]+ s \(--timeout 1\): too slow, not a deadlock/);
  });
});
