/*
 * What a hung schedule looks like, in the terms of a deadlock report: for each
 * worker that could not move, what it waits in (its last operation: the acquire
 * of a held lock, a Condition's wait, a spin on a flag), who holds what it waits
 * for where a lock's word names its owner (the owner tag, threadId + 1), and the
 * wait-for cycle when there is one (worker 0 waits for forks[1], held by worker 1,
 * which waits for forks[0], held by worker 0).
 */
import { ownerInWord } from '../atomics/mutex-word.js';
import type { Execution } from './controller.js';
import { readCell } from './memory-cells.js';
import type { ObjectNames } from './object-names.js';
import { describeOperation } from './step-text.js';

export interface HangReport {
  /** One line per stuck worker. */
  readonly waits: string[];
  /** The workers of the wait-for cycle, in order, or [] when there is none. */
  readonly cycle: number[];
  /** The cycle as one line, or null. */
  readonly cycleText: string | null;
}

const LOCK_KINDS = new Set(['Lock', 'RLock']);
const INT = 'i'.charCodeAt(0);

export function describeHang(execution: Execution, names: ObjectNames, kernel: SharedArrayBuffer): HangReport {
  const ownerOf = (offset: number): number => {
    const tag = ownerInWord(readCell(kernel, offset, INT));
    return tag === 0 ? -1 : execution.threadIds.indexOf(tag - 1);
  };
  const holdings = new Map<number, string[]>();
  for (const [offset, named] of names.entries()) {
    if (!LOCK_KINDS.has(named.kind)) continue;
    const owner = ownerOf(offset);
    if (owner >= 0) holdings.set(owner, [...(holdings.get(owner) ?? []), named.name]);
  }
  const waitsFor = new Map<number, number>();
  const waits = execution.stuck.map(({ worker, op, how }) => {
    const call = `${op.where === undefined ? '' : `${op.where} | `}${describeOperation({ op, worker }, names)}`;
    const held = holdings.get(worker);
    const holds = held === undefined ? '' : `holds ${held.join(', ')}; `;
    if (how === 'spinning') return `worker ${worker}: ${holds}spins on \`${call}\`, which nothing left running will change`;
    const named = op.object >= 0 ? names.nameOf(op.object) : undefined;
    const owner = named !== undefined && LOCK_KINDS.has(named.kind) ? ownerOf(op.object) : -1;
    if (owner >= 0) waitsFor.set(worker, owner);
    const by = owner >= 0 ? `, held by worker ${owner}` : how === 'timed-wait' ? ' (a timed wait)' : ', and nobody left will wake it';
    return `worker ${worker}: ${holds}waits in ${call}${by}`;
  });
  const cycle = findCycle(waitsFor);
  const cycleText = cycle.length === 0 ? null : `${[...cycle, cycle[0]].map((w) => `worker ${w}`).join(' -> ')} (each waits for a lock the next one holds)`;
  return { waits, cycle, cycleText };
}

function findCycle(edges: Map<number, number>): number[] {
  for (const start of edges.keys()) {
    const path: number[] = [];
    for (let at: number | undefined = start; at !== undefined; at = edges.get(at)) {
      const seen = path.indexOf(at);
      if (seen >= 0) return path.slice(seen);
      path.push(at);
    }
  }
  return [];
}
