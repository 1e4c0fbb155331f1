/*
 * The crew's threads and the process's life: a crew closed the moment its tasks
 * return must still hold the process until every thread has gone. (A reply
 * arriving during close() used to unref a thread being terminated, so the event
 * loop emptied with close() pending and Node exited with code 13, mid-command.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CREW = pathToFileURL(join(process.cwd(), 'dist', 'src', 'harness', 'crew.js')).href;
const folder = mkdtempSync(join(tmpdir(), 'memplay-crew-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('Crew', () => {
  it('keeps the process alive through close() called as its tasks return (20 processes)', () => {
    const task = join(folder, 'task.mjs');
    // Each task waits (bounded) until the main thread lets it go, then returns at once.
    writeFileSync(task, 'export function released(buffer) { Atomics.wait(new Int32Array(buffer), 0, 0, 10_000); return 1; }\n');
    const main = join(folder, 'main.mjs');
    writeFileSync(
      main,
      [
        `import { Crew } from ${JSON.stringify(CREW)};`,
        'const crew = new Crew(2);',
        'const gate = new Int32Array(new SharedArrayBuffer(4));',
        `const task = { module: ${JSON.stringify(pathToFileURL(task).href)}, export: 'released', args: [gate.buffer] };`,
        'const tasks = [0, 1].map((seat) => crew.run(seat, task).catch(() => 0));',
        'await new Promise((resolve) => setTimeout(resolve, 300));',
        'Atomics.store(gate, 0, 1);',
        'Atomics.notify(gate, 0);',
        'await crew.close();',
        'await Promise.all(tasks);',
        "console.log('closed');",
      ].join('\n'),
    );
    for (let run = 0; run < 20; run++) {
      const result = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 30_000 });
      expect({ run, status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ run, status: 0, stdout: 'closed\n', stderr: '' });
    }
  });
});
