/*
 * The crew's threads and the process's life: a crew closed the moment its tasks
 * return must still hold the process until every thread has gone. (A reply
 * arriving during close() used to unref a thread being terminated, so the event
 * loop emptied with close() pending and Node exited with code 13, mid-command.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/child-node.js';

const CREW = pathToFileURL(join(process.cwd(), 'dist', 'src', 'harness', 'crew.js')).href;
const folder = mkdtempSync(join(tmpdir(), 'memplay-crew-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('Crew', () => {
  it('keeps the process alive through close() called as its tasks return (20 processes)', async () => {
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
    // Four processes at a time: each mostly waits, and the load they add only varies the timing the bug needed.
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([0, 1, 2, 3].map(() => runNode([main])));
      for (const [index, result] of results.entries()) expect({ run: round * 4 + index, ...result }).toEqual({ run: round * 4 + index, status: 0, stdout: 'closed\n', stderr: '' });
    }
  });
});
