/*
 * Planned steps: the part of a schedule whose choices are known before it runs
 * (dfs's replayed prefix: every schedule after the first repeats the choices of
 * the one before up to its backtracking point), run by the workers among
 * themselves with no hand-off to the controller at each step.
 *
 * The controller writes the choices into the control region (PLAN_LENGTH of them)
 * and lets the first planned worker go. A worker that ends a step (it parks at its
 * next point, blocks in a futex wait, or finishes) records how the step ended and
 * begins the next planned step itself: when the plan names this same worker it
 * simply runs on (no futex hand-off at all), otherwise it lets the named worker go
 * (one hand-off instead of two through the controller). Whoever begins a step
 * records it as the controller would have seen it: the worker, the kind (an
 * operation, or a blocked worker's resume or time-out), the operation announced
 * and the value its location held just before; a wake during the step adds the
 * woken workers (WOKE, a bit mask). When the plan runs out, or names a worker that
 * cannot move (a run that strayed from the previous one: the controller, going on
 * step by step, then reports it as before), PLAN_DONE wakes the controller, which
 * reads the records into the schedule's steps (controller.ts) and goes on choosing.
 *
 * Only one worker moves at a time here too: a worker lets the next one go only
 * after it parked, so every record is written by the only thread running.
 */
import { ACCESS } from '../atomics/scheduling-point.js';
import { ControlRegion, type Announced, G_PLAN_DONE, G_PLAN_LENGTH, G_STEP, G_WOKE, L, PLAN_CAPACITY, STATE, TURN_GO, W } from './control-region.js';
import { readCell } from './memory-cells.js';

/** How a step's worker moves: its announced operation, or a blocked worker's wait ending. */
export const KIND = { op: 0, resume: 1, timeout: 2 } as const;

/** The most workers a plan can record in its WOKE mask. */
export const PLAN_MAX_WORKERS = 31;

/** Whether a worker could be chosen now: at a point, or in a wait that was woken or may time out. */
function movable(control: ControlRegion, worker: number): boolean {
  const state = control.get(worker, W.STATE);
  if (state === STATE.atPoint) return true;
  return state === STATE.blocked && (control.get(worker, W.WOKEN) === 1 || control.get(worker, W.WAIT_TIMED) === 1);
}

/** Whether a step of `op`'s kind reads the value its location holds before it (the controller's "before"). */
export function readsBefore(kind: number, access: number, location: number, type: number): boolean {
  return kind === KIND.op && location >= 0 && access !== ACCESS.write && type !== 0;
}

/** Records planned step G_STEP as `worker`'s, moves G_STEP on, and marks the worker running (the caller lets it go). */
function beginStep(control: ControlRegion, kernel: ArrayBufferLike, worker: number): void {
  const step = Atomics.load(control.words, G_STEP);
  const words = control.words;
  const state = control.get(worker, W.STATE);
  const kind = state !== STATE.blocked ? KIND.op : control.get(worker, W.WOKEN) === 1 ? KIND.resume : KIND.timeout;
  words[control.logAt(step, L.WORKER)] = worker;
  words[control.logAt(step, L.KIND)] = kind;
  for (const [from, to] of [[W.OP, L.OP], [W.OBJECT, L.OBJECT], [W.INDEX, L.INDEX], [W.ACCESS, L.ACCESS], [W.LOCATION, L.LOCATION], [W.TYPE, L.TYPE]] as const) {
    words[control.logAt(step, to)] = control.get(worker, from);
  }
  control.setLogFloat(step, L.VALUE_F64, control.getFloat(worker, W.VALUE_F64));
  control.setLogFloat(step, L.EXPECTED_F64, control.getFloat(worker, W.EXPECTED_F64));
  const [access, location, type] = [control.get(worker, W.ACCESS), control.get(worker, W.LOCATION), control.get(worker, W.TYPE)];
  const before = readsBefore(kind, access, location, type);
  words[control.logAt(step, L.HAS_BEFORE)] = before ? 1 : 0;
  if (before) control.setLogFloat(step, L.BEFORE_F64, readCell(kernel as SharedArrayBuffer, location, type));
  Atomics.store(words, G_WOKE, 0);
  Atomics.store(words, G_STEP, step + 1);
  control.set(worker, W.STATE, STATE.running);
}

/** Lets a parked worker go (the TURN word it sleeps on). */
export function letGo(control: ControlRegion, worker: number): void {
  control.set(worker, W.TURN, TURN_GO);
  Atomics.notify(control.words, control.at(worker, W.TURN));
}

/** The controller's side: writes the plan and lets its first worker go (the plan is not empty and every worker is parked). */
export function startPlan(control: ControlRegion, kernel: ArrayBufferLike, choices: readonly number[]): void {
  const words = control.words;
  const length = Math.min(choices.length, PLAN_CAPACITY);
  for (let step = 0; step < length; step++) words[control.planAt(step)] = choices[step];
  Atomics.store(words, G_STEP, 0);
  Atomics.store(words, G_PLAN_DONE, 0);
  Atomics.store(words, G_PLAN_LENGTH, length);
  if (!movable(control, choices[0])) {
    endPlan(control);
    return;
  }
  beginStep(control, kernel, choices[0]);
  letGo(control, choices[0]);
}

function endPlan(control: ControlRegion): void {
  Atomics.store(control.words, G_PLAN_LENGTH, 0);
  Atomics.store(control.words, G_PLAN_DONE, 1);
  Atomics.notify(control.words, G_PLAN_DONE);
}

/** Whether a plan is running (a worker ending a step then goes on with it instead of waking the controller). */
export function planRunning(control: ControlRegion): boolean {
  return Atomics.load(control.words, G_PLAN_LENGTH) > 0;
}

/**
 * A worker's side, once it parked (STATE written, TURN parked) or finished: records
 * how its step ended and begins the next planned one. True when that step is this
 * worker's own (it runs on); otherwise the next worker, or the controller, was woken.
 */
export function endPlannedStep(control: ControlRegion, kernel: ArrayBufferLike, worker: number, state: number): boolean {
  const words = control.words;
  const step = Atomics.load(words, G_STEP);
  words[control.logAt(step - 1, L.END_STATE)] = state;
  words[control.logAt(step - 1, L.WOKE)] = Atomics.load(words, G_WOKE);
  if (step >= Atomics.load(words, G_PLAN_LENGTH)) {
    endPlan(control);
    return false;
  }
  const next = words[control.planAt(step)];
  if (!movable(control, next)) {
    endPlan(control);
    return false;
  }
  beginStep(control, kernel, next);
  if (next === worker) return true;
  letGo(control, next);
  return false;
}

/** A wake in a planned step: the woken worker joins the step's WOKE mask. */
export function noteWoken(control: ControlRegion, worker: number): void {
  Atomics.or(control.words, G_WOKE, 1 << worker);
}

/** A recorded step, as the controller reads it back: the operation as its worker announced it, and how the step went. */
export interface PlannedStep extends Announced {
  readonly worker: number;
  readonly kind: number;
  readonly before: number | undefined;
  readonly woke: readonly number[];
  readonly endState: number;
}

/** The steps the plan took (fewer than planned when it stopped at a worker that could not move). */
export function plannedSteps(control: ControlRegion): PlannedStep[] {
  const words = control.words;
  const taken = Atomics.load(words, G_STEP);
  const steps: PlannedStep[] = [];
  for (let step = 0; step < taken; step++) {
    const field = (name: number) => words[control.logAt(step, name)];
    const woke: number[] = [];
    for (let w = 0, mask = field(L.WOKE); mask !== 0; w++, mask >>>= 1) if (mask & 1) woke.push(w);
    steps.push({
      worker: field(L.WORKER),
      kind: field(L.KIND),
      op: field(L.OP),
      object: field(L.OBJECT),
      index: field(L.INDEX),
      access: field(L.ACCESS),
      location: field(L.LOCATION),
      type: field(L.TYPE),
      value: control.getLogFloat(step, L.VALUE_F64),
      expected: control.getLogFloat(step, L.EXPECTED_F64),
      before: field(L.HAS_BEFORE) === 1 ? control.getLogFloat(step, L.BEFORE_F64) : undefined,
      woke,
      endState: field(L.END_STATE),
    });
  }
  return steps;
}
