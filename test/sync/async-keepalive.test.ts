/*
 * Every timed async wait keeps the Node process alive until it settles, as a
 * timer does (issue 10): a pending Atomics.waitAsync alone does not, and a script
 * whose last work was such a wait used to exit with code 13 ("unsettled top-level
 * await") before printing anything. Each case runs in a child `node`, as a user's
 * script would, against the built package (dist/). Each wait lasts 1 s: a
 * shorter one can end before Node notices it has nothing left to do.
 */
import { describe, expect, it } from 'vitest';
import { runNode, type ChildResult } from '../helpers/child-node.js';

const DIST = new URL('../../dist/src/index.js', import.meta.url).href;

/** Runs `body` in a child node (the cases run at once, each child mostly asleep in its 1 s wait). */
function runScript(body: string): Promise<ChildResult> {
  return runNode(['--input-type=module', '-e', `import * as m from ${JSON.stringify(DIST)};\n${body}`]);
}

/** An RLock `r` held by a worker that never lets go and does not keep the process alive (unref). */
const HELD_BY_AN_UNREFED_WORKER = `
import { Worker } from 'node:worker_threads';
const r = new m.RLock();
const holder = new Worker(\`
  Promise.all([import('node:worker_threads'), import(${JSON.stringify(DIST)})]).then(([{ parentPort, workerData }, m]) => {
    m.attach(workerData.r).acquire();
    parentPort.postMessage('held');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });\`, { eval: true, workerData: m.kernelWorkerData({ r: r.handle }) });
await new Promise((resolve) => holder.once('message', resolve));
holder.unref();
`;

const cases: [string, string, string][] = [
  ['Semaphore.acquireAsync', 'console.log(await new m.Semaphore(0).acquireAsync(1));', 'false'],
  ['Lock.acquireAsync', 'const l = new m.Lock(); l.acquire(); console.log(await l.acquireAsync(1));', 'false'],
  ['RLock.acquireAsync', HELD_BY_AN_UNREFED_WORKER + 'console.log(await r.acquireAsync(1));', 'false'],
  ['Condition.waitAsync', 'const c = new m.Condition(); c.acquire(); console.log(await c.waitAsync(1));', 'false'],
  ['Condition.waitForAsync', 'const c = new m.Condition(); c.acquire(); console.log(await c.waitForAsync(() => false, 1));', 'false'],
  ['Event.waitAsync', 'console.log(await new m.Event().waitAsync(1));', 'false'],
  ['Barrier.waitAsync', 'console.log(await new m.Barrier(2).waitAsync(1).catch((e) => e.name));', 'BrokenBarrierError'],
];

describe('async waits and the event loop', () => {
  it.concurrent.each(cases)('%s with a timeout keeps the process alive until it settles', async (_, body, printed) => {
    const result = await runScript(body);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${printed}\n`);
    expect(result.status).toBe(0);
  });
});
