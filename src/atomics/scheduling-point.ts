/*
 * Scheduling points: the places where a controlled run (src/explorer) may switch
 * from one worker to another. Every read and write of a Value or SharedArray
 * element, every SharedWords atomic method, every public operation of a src/sync
 * primitive and a scenario's ctx.point() calls in here first; so does the futex
 * layer's wait and wake (futex.ts), which is how blocking is modelled rather than
 * slept: in a controlled run a protocol's wait request goes to the scheduler.
 *
 * Outside a controlled run `scheduling.active` is null and a call site costs one
 * predictable branch (`if (scheduling.active !== null) ...`); nothing else runs,
 * and no result changes. In a controlled run the worker's explorer installs a
 * Scheduler here, which parks the worker at each point until the controller
 * chooses it (explorer/worker-scheduler.ts).
 *
 * The slot lives on globalThis, one per thread, so that a scenario loaded
 * through another copy of memplay's modules (a user file through tsx) reaches
 * the same scheduler as the explorer's own copy.
 *
 * Operations are small integer codes (OPS below), the same in every thread, so a
 * worker can announce one in a few shared words; `location` is the byte offset
 * in the kernel of the memory an access touches (-1 for a primitive's operation),
 * `type` the char code of its ctypes typecode ('i', 'd', ...) so the controller
 * can read the value there, or, for a range of bytes (an mmap's mapping, which
 * every mmap operation announces whole), minus its length.
 */
import type { Deadline, WaitResult } from './futex.js';
import { ownerInWord } from './mutex-word.js';

/** What an operation does to memory, for the explorer's independence relation. */
export const ACCESS = { none: 0, read: 1, write: 2, update: 3, sync: 4, any: 5 } as const;
export type Access = (typeof ACCESS)[keyof typeof ACCESS];

/** Every operation a worker may announce at a point; its code is its index here. */
export const OPS = [
  'start',
  'value.read',
  'value.write',
  'array.read',
  'array.write',
  'words.load',
  'words.store',
  'words.add',
  'words.compareExchange',
  'words.wait',
  'words.notify',
  'acquire',
  'release',
  'wait',
  'wait_for',
  'notify',
  'notify_all',
  'set',
  'clear',
  'is_set',
  'barrier.wait',
  'point',
  'sleep',
  'mmap.get',
  'mmap.set',
  'mmap.slice',
  'mmap.setSlice',
  'mmap.read',
  'mmap.write',
  'process.start',
  'process.join',
  'process.poll',
  'process.exit',
] as const;
export type OpName = (typeof OPS)[number];
export const OP_CODE: Readonly<Record<OpName, number>> = Object.fromEntries(OPS.map((name, code) => [name, code])) as Record<OpName, number>;

/** One announced operation. */
export interface PointOp {
  readonly op: number;
  /** The region offset of the object operated on (its handle.offset), or -1. */
  readonly object: number;
  /** An element or word index, or an argument (notify's n). */
  readonly index: number;
  readonly access: Access;
  /** Byte offset in the kernel of the memory touched, or -1. */
  readonly location: number;
  /** Char code of the typecode at `location` (0: none; negative: a byte range of that many bytes). */
  readonly type: number;
  /** The value written, or the operand of an atomic update. */
  readonly value: number;
  /** A compareExchange's expected value (or a futex wait's). */
  readonly expected: number;
  /** ctx.point()'s label. */
  readonly label?: string;
  /** A second primitive the operation acts on (a Condition's lock, which wait() lets go and takes back), or absent. */
  readonly partner?: number;
  /** For an untimed blocking acquire: how the first word of `object` says it would block (GATE). */
  readonly gate?: Gate;
  /**
   * Taken by the primitive's holder: a release of a Lock or RLock the caller
   * holds, a Condition's notify under its lock. No other worker can act on the
   * primitive before the release but to wait for it, so where such a step falls
   * among the others' steps changes nothing (explorer/controller.ts).
   */
  readonly byHolder?: boolean;
}

/**
 * How an untimed acquire would block, judged from its primitive's first word:
 * a Lock's or RLock's while a live owner holds the mutex word (an abandoned word
 * does not block: the acquirer takes it with OwnerDiedError), a Semaphore's
 * while its count has no permit. The explorer does not run such an acquire until
 * it can succeed, as CHESS and loom treat a blocked thread as disabled, so a
 * witness has no "tries and blocks" steps and a deadlock is found at once.
 */
export const GATE = { none: 0, mutex: 1, permit: 2 } as const;
export type Gate = (typeof GATE)[keyof typeof GATE];

/** Whether an acquire with `gate` would block on a primitive whose first word is `word`. */
export function gateClosed(gate: number, word: number): boolean {
  if (gate === GATE.mutex) return ownerInWord(word) !== 0;
  if (gate === GATE.permit) return word <= 0;
  return false;
}

/** What else a primitive's operation may announce (see PointOp). */
export interface SyncDetails {
  readonly index?: number;
  /** A word it only reads (Event.is_set()). */
  readonly location?: number;
  readonly partner?: number;
  readonly gate?: Gate;
  readonly byHolder?: boolean;
}

/** What a controlled worker installs: it parks at points and routes futex calls to the controller. */
export interface Scheduler {
  point(op: PointOp): void;
  wait(words: Int32Array, index: number, expected: number, deadline: Deadline): WaitResult;
  wake(words: Int32Array, index: number, count: number): number;
}

const SLOT = Symbol.for('memplay.scheduler');
type Slot = { active: Scheduler | null };
const global = globalThis as { [SLOT]?: Slot };

/** The calling thread's scheduler: null outside a controlled run. */
export const scheduling: Slot = (global[SLOT] ??= { active: null });

/** Announces a read or write of `type`-typed memory at kernel byte `location` (call only when scheduling.active). */
export function accessPoint(op: OpName, object: number, index: number, access: Access, location: number, type: string, value = 0, expected = 0): void {
  scheduling.active?.point({ op: OP_CODE[op], object, index, access, location, type: type.charCodeAt(0), value, expected });
}

/** Announces an operation on a range of `length` bytes at kernel byte `location`, which the explorer treats as one location (call only when scheduling.active). */
export function rangePoint(op: OpName, object: number, index: number, access: Access, location: number, length: number, value = 0, expected = 0): void {
  scheduling.active?.point({ op: OP_CODE[op], object, index, access, location, type: -length, value, expected });
}

const INT32 = 'i'.charCodeAt(0);

/** Announces an operation of a synchronization primitive (call only when scheduling.active). */
export function syncPoint(op: OpName, object: number, details: SyncDetails = {}): void {
  const { index = 0, location = -1, partner = -1, gate = GATE.none, byHolder = false } = details;
  scheduling.active?.point({ op: OP_CODE[op], object, index, access: ACCESS.sync, location, type: location < 0 ? 0 : INT32, value: 0, expected: 0, partner, gate, byHolder });
}

/** Raised in a controlled run by an object the explorer cannot interleave (a model whose steps are no scheduling points). */
export class NotExplorableError extends Error {
  override readonly name = 'NotExplorableError';
}

/** For such an object's constructor: refuses a controlled run, saying why (`what` is explored at its own level, not by memplay explore). */
export function refuseControlledRun(what: string): void {
  if (scheduling.active !== null) throw new NotExplorableError(what);
}

/** time.sleep(seconds) in a controlled run: a yield, and time is the scheduler's (nothing sleeps). */
export function sleepPoint(seconds: number): void {
  scheduling.active?.point({ op: OP_CODE.sleep, object: -1, index: 0, access: ACCESS.none, location: -1, type: 0, value: seconds, expected: 0, label: String(seconds) });
}

/** ctx.point(label): a point the scenario adds itself, dependent on every other operation. */
export function labelPoint(label: string): void {
  scheduling.active?.point({ op: OP_CODE.point, object: -1, index: 0, access: ACCESS.any, location: -1, type: 0, value: 0, expected: 0, label });
}
