/*
 * The worker side of a CrewTask (protocol.ts): what multiprocessing.Process(
 * target=f, args=...) does in the child. The module is loaded once per thread
 * (load-module.ts: compiled JavaScript, or TypeScript through tsx), its export is
 * called with the task's arguments and awaited; the answer is the value, or what
 * was raised as the error shape. A value that cannot be cloned to the main thread
 * is an error too (DataCloneError), said as such.
 */
import { loadModule } from './load-module.js';
import { errorShape, type CrewReply, type CrewTask } from './protocol.js';

export async function runCrewTask(task: CrewTask): Promise<CrewReply> {
  try {
    const namespace = await loadModule(task.module);
    const target = namespace[task.export];
    if (typeof target !== 'function') throw new TypeError(`${task.module} has no exported function '${task.export}'`);
    return { ok: true, value: await target(...task.args) };
  } catch (error) {
    return { ok: false, error: errorShape(error) };
  }
}

/** Answers each task that arrives on `port`, one at a time. */
export function serveCrewTasks(port: { on(event: 'message', listener: (task: CrewTask) => void): unknown; postMessage(reply: CrewReply): void }): void {
  port.on('message', async (task) => {
    const reply = await runCrewTask(task);
    try {
      port.postMessage(reply);
    } catch (error) {
      port.postMessage({ ok: false, error: errorShape(error) });
    }
  });
}
