/*
 * Which operations commute: the independence relation of dfs's sleep sets
 * (strategies.ts) and of the controller's holder steps (controller.ts). Two
 * operations are independent when running them in either order leaves the same
 * state and enables the same workers:
 *   - different memory locations, or two reads;
 *   - a primitive's operation and a plain access;
 *   - operations of two different primitives. A Condition's count as its lock's
 *     too, since wait() lets the lock go and takes it back; a Process's start,
 *     join, poll and exit act on that process's word of the process table.
 * Dependent: a worker resuming from a wait and a process's exit (which lets go of
 * whatever the process held) on every primitive's operation, and ctx.point() on
 * everything.
 */
import { ACCESS, OP_CODE } from '../atomics/scheduling-point.js';
import type { Announced } from './controller.js';

/** Whether two operations commute (see the module comment). */
export function independent(a: Announced, b: Announced): boolean {
  if (a.access === ACCESS.none || b.access === ACCESS.none) return true;
  if (a.access === ACCESS.any || b.access === ACCESS.any) return false;
  if (a.access === ACCESS.sync && b.access === ACCESS.sync) return !sharePrimitive(a, b);
  if (a.access === ACCESS.sync || b.access === ACCESS.sync) return true;
  if (a.location >= 0 && b.location >= 0 && a.location !== b.location) return true;
  return a.access === ACCESS.read && b.access === ACCESS.read;
}

/** Whether two primitive operations may act on one primitive (unknown, as a resume's or an exit's, counts as shared). */
function sharePrimitive(a: Announced, b: Announced): boolean {
  const ofA = primitivesOf(a);
  const ofB = primitivesOf(b);
  if (ofA[0] < 0 || ofB[0] < 0) return true;
  return ofA.some((primitive) => ofB.includes(primitive));
}

/** The primitive an operation acts on (its region's offset, or a process's state word), and its partner if it has one. */
function primitivesOf(op: Announced): number[] {
  if (op.op === OP_CODE['process.exit']) return [-1];
  const primitive = op.object >= 0 ? op.object : op.location;
  return op.partner !== undefined && op.partner >= 0 ? [primitive, op.partner] : [primitive];
}
