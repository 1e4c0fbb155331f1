/*
 * Search strategies: which schedules the explorer runs, one Chooser per schedule.
 *
 * dfs: stateless model checking as CHESS does it (Musuvathi and Qadeer, "Iterative
 *   context bounding", PLDI 2007): a depth-first search over the choice at every
 *   step, re-running the program from its start for each schedule, exploring
 *   only schedules with at most K preemptions (a switch away from a worker that
 *   could have gone on; a switch after a block, a wait or the end of a worker is
 *   free). Sleep sets (Godefroid 1996) keep it from running two schedules that
 *   differ only in the order of independent steps: after the subtree under
 *   worker a is done, a sleeps in its siblings' subtrees until a step dependent
 *   on a's next operation runs (independence.ts says which operations commute).
 *   Fairness, as CHESS's: after a worker yields (time.sleep) the search switches
 *   to another for free and staying costs a preemption, so a spin loop that
 *   sleeps cannot starve its partner for ever.
 *   Combined with the preemption bound the search stays sound for the outcomes it
 *   reports but may leave some bounded schedules unexplored (CHESS notes the same).
 * pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
 *   Nagarakatte, ASPLOS 2010): random distinct priorities, the highest enabled
 *   worker runs, and at d-1 random steps the running worker drops below all
 *   others. A bug of depth d is found by each schedule with probability at least
 *   1/(n k^(d-1)) for n workers and k steps. Fairness, as dfs's: a worker that
 *   yields (time.sleep, ctx.sleep) drops below all others too, or a spin loop that
 *   naps would keep the highest priority and starve the worker it waits for.
 * random: each step an enabled worker uniformly at random, seeded (as shuttle's
 *   RandomScheduler).
 * replay: the choices of a schedule id, step by step.
 */
import { mulberry32, randomBelow, streamSeed, type Random } from '../coordinator/prng.js';
import { independent } from './independence.js';
import { preemptionCost, type Announced, type ChoiceNode, type Chooser, type Execution } from './controller.js';

export interface Strategy {
  /** The chooser of the next schedule, or null when the search has nothing left to run. */
  next(): Chooser | null;
  /** Learns how a schedule went (PCT its length). */
  done(execution: Execution): void;
  /** Whether running out of schedules means every schedule in the bound was covered. */
  readonly exhaustive: boolean;
}

export class ReplayMismatch extends Error {}

interface Frame {
  readonly node: ChoiceNode;
  readonly sleep: ReadonlySet<number>;
  readonly done: Set<number>;
  readonly preemptionsBefore: number;
  chosen: number;
}

export class DfsStrategy implements Strategy {
  readonly exhaustive = true;
  readonly #bound: number;
  readonly #frames: Frame[] = [];
  #started = false;

  constructor(preemptionBound: number) {
    this.#bound = preemptionBound;
  }

  next(): Chooser | null {
    if (this.#started && !this.#backtrack()) return null;
    this.#started = true;
    let depth = 0;
    return {
      choose: (node) => {
        const at = depth++;
        if (at < this.#frames.length) return this.#frames[at].chosen;
        return this.#extend(node);
      },
      // A sleeping worker may starve in an endless loop of the others; the schedules where it runs are explored elsewhere.
      starving: () => (this.#frames.at(-1)?.sleep.size ?? 0) > 0,
    };
  }

  done(): void {}

  /** A step past the known prefix: a new frame with its sleep set, and its first choice (-1: nothing left to try here). */
  #extend(node: ChoiceNode): number {
    const parent = this.#frames.at(-1);
    const frame: Frame = {
      node,
      sleep: parent === undefined ? new Set() : childSleep(parent),
      done: new Set(),
      preemptionsBefore: parent === undefined ? 0 : parent.preemptionsBefore + preemptionCost(parent.node, parent.chosen),
      chosen: -1,
    };
    const candidates = this.#candidates(frame);
    const choice = node.previousYielded ? (candidates.find((c) => c > node.previous) ?? candidates[0] ?? -1) : candidates.includes(node.previous) ? node.previous : (candidates[0] ?? -1);
    if (choice < 0) return -1;
    frame.chosen = choice;
    this.#frames.push(frame);
    return choice;
  }

  /** The choices still to try at a frame, within the preemption bound. */
  #candidates(frame: Frame): number[] {
    const { node } = frame;
    return node.enabled.filter((c) => !frame.done.has(c) && !frame.sleep.has(c) && frame.preemptionsBefore + preemptionCost(node, c) <= this.#bound);
  }

  #backtrack(): boolean {
    while (this.#frames.length > 0) {
      const frame = this.#frames.at(-1)!;
      frame.done.add(frame.chosen);
      const next = this.#candidates(frame)[0];
      if (next !== undefined) {
        frame.chosen = next;
        return true;
      }
      this.#frames.pop();
    }
    return false;
  }
}

/** The sleep set under `parent`'s current choice: what slept or was done there and is independent of the step taken. */
function childSleep(parent: Frame): Set<number> {
  const taken = parent.node.ops[parent.chosen];
  const sleep = new Set<number>();
  for (const worker of [...parent.sleep, ...parent.done]) {
    const op = parent.node.ops[worker];
    if (worker !== parent.chosen && op !== null && taken !== null && independent(op, taken)) sleep.add(worker);
  }
  return sleep;
}

export class RandomStrategy implements Strategy {
  readonly exhaustive = false;
  readonly #seed: number;
  #schedule = 0;

  constructor(seed: number) {
    this.#seed = seed;
  }

  next(): Chooser {
    const random = mulberry32(streamSeed(this.#seed, this.#schedule++));
    return { choose: (node) => node.enabled[randomBelow(random, node.enabled.length)] };
  }

  done(): void {}
}

export class PctStrategy implements Strategy {
  readonly exhaustive = false;
  readonly #workers: number;
  readonly #depth: number;
  readonly #seed: number;
  #schedule = 0;
  /** k: the longest schedule seen so far (the change points are drawn from 1..k). */
  #steps = 16;

  constructor(workers: number, depth: number, seed: number) {
    this.#workers = workers;
    this.#depth = depth;
    this.#seed = seed;
  }

  get steps(): number {
    return this.#steps;
  }

  next(): Chooser {
    const random = mulberry32(streamSeed(this.#seed, this.#schedule++));
    const priorities = shuffled(Array.from({ length: this.#workers }, (_, i) => this.#depth + i), random);
    const changes = new Map<number, number>();
    for (let j = 0; changes.size < Math.min(this.#depth - 1, this.#steps); j++) {
      const at = 1 + randomBelow(random, this.#steps);
      if (!changes.has(at)) changes.set(at, changes.size);
    }
    const highest = (enabled: readonly number[]) => enabled.reduce((best, w) => (priorities[w] > priorities[best] ? w : best));
    return {
      choose: (node) => {
        if (node.previousYielded && node.enabled.length > 1) priorities[node.previous] = Math.min(...priorities) - 1;
        const change = changes.get(node.step);
        if (change !== undefined) priorities[highest(node.enabled)] = change;
        return highest(node.enabled);
      },
    };
  }

  done(execution: Execution): void {
    this.#steps = Math.max(this.#steps, execution.steps.length);
  }

  /** The per-schedule probability bound of finding a bug of depth d: 1/(n k^(d-1)). */
  probability(): number {
    return 1 / (this.#workers * this.#steps ** (this.#depth - 1));
  }
}

function shuffled<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBelow(random, i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export class ReplayStrategy implements Strategy {
  readonly exhaustive = false;
  readonly #choices: readonly number[];
  #left: number;

  constructor(choices: readonly number[], times = 1) {
    this.#choices = choices;
    this.#left = times;
  }

  next(): Chooser | null {
    if (this.#left <= 0) return null;
    this.#left--;
    return replayChooser(this.#choices);
  }

  done(execution: Execution): void {
    if (execution.choices.length !== this.#choices.length) {
      throw new ReplayMismatch(`the schedule id has ${this.#choices.length} steps but this run took ${execution.choices.length}: it is not a schedule of this scenario and variant`);
    }
  }
}

/** A chooser that makes exactly `choices`, and says so when one is not possible. */
export function replayChooser(choices: readonly number[]): Chooser {
  return {
    choose: (node) => {
      const choice = choices[node.step];
      if (choice === undefined || !node.enabled.includes(choice)) {
        const why = choice === undefined ? 'the id has no more steps' : `worker ${choice} cannot move then`;
        throw new ReplayMismatch(`the schedule id does not fit this run at step ${node.step + 1} (${why}): it is not a schedule of this scenario and variant`);
      }
      return choice;
    },
  };
}
