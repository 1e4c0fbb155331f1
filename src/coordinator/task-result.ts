/*
 * What a worker's task sends back. A thrown error does not survive the trip
 * between threads intact (structured clone keeps only the built-in error
 * names, so a RuntimeError arrives as a plain Error), so the worker catches it
 * and sends its name, message and stack as data; the coordinator raises it again
 * here as a WorkerError that keeps the Python name and the worker's stack (whose
 * frames in the scenario's file locate the failure).
 */

export type TaskResult =
  | { readonly ok: true; readonly value: unknown; readonly seconds: number }
  | { readonly ok: false; readonly name: string; readonly message: string; readonly stack?: string };

/** A finished worker's value and how long its function ran. */
export type TimedResult = Extract<TaskResult, { ok: true }>;

/** An error raised in a worker, under the name it had there. */
export class WorkerError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack !== undefined) this.stack = stack;
  }
}

/** The result as data, whatever the worker's function did. */
export function failedTask(error: unknown): TaskResult {
  if (error instanceof Error) return { ok: false, name: error.name, message: error.message, stack: error.stack };
  return { ok: false, name: 'Error', message: String(error) };
}

/** The value of a successful task; a failed one is raised again as a WorkerError. */
export function settleTask(result: TaskResult): TimedResult {
  if (!result.ok) throw new WorkerError(result.name, result.message, result.stack);
  return result;
}
