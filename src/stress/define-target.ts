/*
 * The stress-target format: `export default defineStressTarget({...})`, for the
 * built-in targets (targets/*.ts) and for a user's file alike.
 *
 * A target is a primitive (or several) plus the invariants that must hold while
 * workers hammer it, in the manner of a jcstress test crossed with a soak test:
 *   minWorkers, maxWorkers   the --workers the target can take (checked before any thread starts);
 *   setup(params)            on the main thread: the shared objects (Lock, Condition,
 *                            SharedWords, ...) as a tree of plain objects;
 *   role(worker, workers)    what each worker does, as one operation in three steps:
 *     acquire(shared, op)    the blocking part; its time is the acquire latency;
 *                            returns false when the worker has nothing more to do;
 *     critical(shared, op)   the work while holding (op.hold() spins --hold µs) and
 *                            the checks (op.check / op.violation); op.point(label)
 *                            is a scheduling point for `stress --explore`;
 *     release(shared, op)    gives the primitive back;
 *     stopsWithRun           true (default): the runner ends the loop at --ops or at
 *                            the end of --duration; false: the role runs until its
 *                            acquire returns false (consumers, readers driven by others);
 *     finish(shared, op)     once after the loop (a producer says it is done);
 *   finalCheck(shared, run)  on the main thread after every worker finished: a
 *                            message when an invariant over the whole run fails;
 *   mutex(shared)            the Lock/RLock that --kill-holder kills a holder of;
 *   recover(shared, op)      after an acquire threw OwnerDiedError (the caller holds
 *                            the lock): repair what the dead holder left, call
 *                            markConsistent() and release; the runner acquires again;
 *   waitsOn(shared, worker)  for a deadlock report: the primitive a worker blocked
 *                            in acquire waits on, and its owner's thread id if known.
 *
 * defineStressTarget checks the definition and brands it with the runtime of the
 * target's own module graph (src/harness/definition.ts, as for scenarios), so that
 * setup() allocates in the kernel the workers share and handles are attached with
 * the target's own classes.
 */
import type { Random } from '../coordinator/prng.js';
import { checkWorkerBounds } from '../coordinator/define-scenario.js';
import { brandDefinition, hasBrand, type DefinitionRuntime } from '../harness/definition.js';
import type { StressParams } from '../harness/protocol.js';

export type { StressParams };

/** What a worker's steps receive besides the shared objects. */
export interface OpContext {
  readonly worker: number;
  readonly workers: number;
  /** The operation's number in this worker's loop, from 0. */
  readonly iteration: number;
  readonly params: StressParams;
  /** This worker's seeded random stream (--seed), floats in [0, 1). */
  readonly random: Random;
  /** The worker thread's id (what Lock.ownerThreadId reports). */
  readonly threadId: number;
  /** Whether the run is ending (time up, ops done by the others, or a violation). */
  readonly stopping: boolean;
  /** Spins for --hold microseconds: the work done while holding the primitive (a scheduling point under --explore). */
  hold(): void;
  /** A scheduling point of the target's own (`stress --explore` may switch workers here); nothing outside a controlled run. */
  point(label: string): void;
  /** Reports a broken invariant and ends this worker; the first one reported stops the run. */
  violation(message: string): never;
  /** violation(message()) when `ok` is false. */
  check(ok: boolean, message: () => string): void;
}

export interface StressRole<S> {
  /** What this worker is, e.g. "producer" (shown in reports). */
  readonly name: string;
  acquire(shared: S, op: OpContext): boolean;
  critical(shared: S, op: OpContext): void;
  release(shared: S, op: OpContext): void;
  readonly stopsWithRun?: boolean;
  finish?(shared: S, op: OpContext): void;
}

/** What a finished run tells finalCheck. */
export interface FinishedStressRun {
  readonly params: StressParams;
  /** Completed operations of each worker, by index. */
  readonly ops: readonly number[];
  /** Each worker's role name. */
  readonly roles: readonly string[];
}

/** The lock a --kill-holder run abandons: a Lock or RLock (anything with these calls). */
export interface RobustMutex {
  readonly ownerThreadId: number | null;
  acquire(blocking?: boolean, timeout?: number): boolean;
  release(): void;
  markOwnerDead(threadId: number): boolean;
  markConsistent(): void;
}

export interface StressTargetDefinition<S> {
  /** Lowercase words joined by dashes. */
  readonly name: string;
  /** One line: the primitive and how it is hammered. */
  readonly summary: string;
  /** The invariants checked, one phrase each. */
  readonly invariants: readonly string[];
  readonly minWorkers?: number;
  /** The most workers the target can take (e.g. a bitmask of workers in one 32-bit word: 31). */
  readonly maxWorkers?: number;
  readonly setup: (params: StressParams) => S;
  readonly role: (worker: number, workers: number) => StressRole<S>;
  readonly finalCheck?: (shared: S, run: FinishedStressRun) => string | undefined;
  readonly mutex?: (shared: S) => RobustMutex;
  readonly recover?: (shared: S, op: OpContext) => void;
  readonly waitsOn?: (shared: S, worker: number) => { readonly what: string; readonly ownerThreadId?: number | null };
}

/** What the runner needs from the target's own module graph. */
export type TargetRuntime = DefinitionRuntime;

export const TARGET_BRAND = Symbol.for('memplay.stress-target');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StressTarget<S = any> = StressTargetDefinition<S> & { readonly [TARGET_BRAND]: TargetRuntime };

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function defineStressTarget<S>(definition: StressTargetDefinition<S>): StressTarget<S> {
  checkDefinition(definition as StressTargetDefinition<unknown>);
  return brandDefinition(TARGET_BRAND, definition);
}

export function isStressTarget(value: unknown): value is StressTarget {
  return hasBrand(value, TARGET_BRAND);
}

export function runtimeOfTarget(target: StressTarget): TargetRuntime {
  return target[TARGET_BRAND];
}

/** What the target's role() gives worker `worker`, checked: a role of another shape is a TypeError that says the shape. */
export function checkedRole(target: StressTarget, worker: number, workers: number): StressRole<unknown> {
  const role = target.role(worker, workers) as Partial<StressRole<unknown>> | null;
  const steps = ['acquire', 'critical', 'release'] as const;
  if (role !== null && typeof role === 'object' && typeof role.name === 'string' && steps.every((step) => typeof role[step] === 'function')) return role as StressRole<unknown>;
  throw new TypeError(`role(${worker}, ${workers}) must return { name: string, acquire, critical, release } (functions), not ${String(role)}`);
}

/** What acquire returned, checked: true (acquired) or false (done); anything else is a TypeError. */
export function checkedAcquired(acquired: unknown): boolean {
  if (typeof acquired !== 'boolean') throw new TypeError(`acquire must return true (acquired) or false (this worker is done), not ${String(acquired)}`);
  return acquired;
}

/** What finalCheck returned, checked: a message (a broken invariant) or undefined; anything else is a TypeError. */
export function checkedFinalMessage(message: unknown): string | undefined {
  if (message === undefined || typeof message === 'string') return message;
  throw new TypeError(`finalCheck must return a message (a broken invariant) or undefined, not ${String(message)}`);
}

function checkDefinition(definition: StressTargetDefinition<unknown>): void {
  const fail = (problem: string): never => {
    throw new TypeError(`stress target ${JSON.stringify(definition?.name ?? '?')}: ${problem}`);
  };
  if (definition === null || typeof definition !== 'object') fail('defineStressTarget needs an object');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) fail('name must be lowercase words joined by dashes');
  if (typeof definition.summary !== 'string') fail('summary must be a string');
  if (!Array.isArray(definition.invariants) || definition.invariants.length === 0) fail('invariants must list at least one phrase');
  for (const field of ['setup', 'role'] as const) if (typeof definition[field] !== 'function') fail(`${field} must be a function`);
  checkWorkerBounds(definition.minWorkers, definition.maxWorkers, fail);
  for (const field of ['finalCheck', 'mutex', 'recover', 'waitsOn'] as const) {
    if (definition[field] !== undefined && typeof definition[field] !== 'function') fail(`${field} must be a function`);
  }
}
