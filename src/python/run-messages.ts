/*
 * What a Python process's worker tells the main thread of the run, on the run's
 * BroadcastChannel (process-task.ts sends, run-script.ts listens): a Process was
 * started (its slot in the process table, its name, its parent's slot, and the
 * pickle of the Process object, base64), or a Process's terminate() was called.
 */
export type RunMessage =
  | { readonly kind: 'spawn'; readonly slot: number; readonly name: string; readonly parent: number; readonly payload: string }
  | { readonly kind: 'terminate'; readonly slot: number };
