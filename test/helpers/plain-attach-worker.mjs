// A worker started with a plain `new Worker(file, ...)`: it never imports memplay's
// setup nor gets kernelWorkerData(). It receives { handle, op } in workerData or,
// when workerData is null, by one postMessage; attaches the handle with the compiled
// attach(); does one operation named by `op`; and posts back { ok, threadId, result }
// or { ok: false, name, message }.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { attach } from '../../dist/src/attach.js';

/** What each operation does with the attached object; the main thread checks its effect. */
const OPERATIONS = {
  setValue: (value) => (value.value = 41),
  setItem: (array) => array.set(2, 7),
  writeBuf: (segment) => (segment.buf[0] = 9),
  writeByte: (map) => map.set(0, 0x5a),
  addWord: (words) => words.add(1, 5),
  acquire: (lock) => lock.acquire(),
  tryAcquireBriefly: (lock) => lock.acquire(true, 0.05),
  acquireCondition: (condition) => condition.acquire(),
  set: (event) => event.set(),
  breakBarrier: (barrier) => {
    try {
      barrier.wait(0.05);
      return 'passed';
    } catch (error) {
      return error.name;
    }
  },
  takeGil: (gil) => gil.take(),
  sendByte: (pair) => pair.end(1).send(65),
  assignInt: (heap) => heap.assign('x', heap.int(4242)),
  reportProgress: (board) => {
    board.register(1, threadId);
    board.addProgress(1, 3);
  },
  /** For a forged handle: write through it if it ever attached (it must not). */
  writeThrough: (object) => {
    if ('value' in object) object.value = 999;
    else object.acquire?.();
  },
};

function run({ handle, op }) {
  try {
    const object = attach(handle);
    return { ok: true, threadId, result: OPERATIONS[op](object) };
  } catch (error) {
    return { ok: false, name: error?.name, message: error?.message };
  }
}

if (workerData !== null && workerData !== undefined) parentPort.postMessage(run(workerData));
else parentPort.once('message', (request) => parentPort.postMessage(run(request)));
