import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/gil/bytecode.js';
import { evaluate } from '../../src/gil/eval-loop.js';
import { NoGil } from '../../src/gil/free-threading.js';
import { Gil } from '../../src/gil/gil.js';
import type { InterpreterLock } from '../../src/gil/interpreter-lock.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { countdown, increment, ioWait, mixed, spinUntilDone } from '../../src/gil/programs.js';
import { SystemCalls } from '../../src/gil/syscalls.js';
import { IN_SYSCALL, RUNNING, ThreadState } from '../../src/gil/thread-state.js';
import { ValueError } from '../../src/errors.js';

function thread(lock: InterpreterLock = new Gil(), trace = false): ThreadState {
  return new ThreadState(lock, new SystemCalls(), { trace });
}

describe('the eval loop', () => {
  it('runs countdown to the end and returns None (0)', () => {
    const state = thread();
    state.begin();
    expect(evaluate(countdown, [100_000], new SharedWords(1), state)).toBe(0);
    expect(state.finish().syscalls).toBe(0);
  });

  it('adds to a shared global once per iteration: increment(n) alone gives exactly n', () => {
    const globals = new SharedWords(1);
    const state = thread(new NoGil());
    state.begin();
    evaluate(increment, [12_345], globals, state);
    state.finish();
    expect(globals.load(0)).toBe(12_345);
  });

  it('stops spin_until_done at once when done is already set, returning its count', () => {
    const globals = new SharedWords(1);
    globals.store(0, 1);
    const state = thread();
    state.begin();
    expect(evaluate(spinUntilDone, [0], globals, state)).toBe(0);
    state.finish();
  });

  it('drops the GIL around every blocking call and records it in the trace', () => {
    const gil = new Gil();
    const state = thread(gil, true);
    state.begin();
    evaluate(ioWait, [3, 200], new SharedWords(1), state);
    const stats = state.finish();
    expect(stats.syscalls).toBe(3);
    expect(stats.trace.filter(([kind]) => kind === IN_SYSCALL)).toHaveLength(3);
    expect(stats.trace.filter(([kind]) => kind === RUNNING)).toHaveLength(4);
    expect(gil.locked()).toBe(false);
  });

  it('runs mixed: m iterations then a wait, n times', () => {
    const state = thread();
    state.begin();
    evaluate(mixed, [2, 1000, 100], new SharedWords(1), state);
    expect(state.finish().syscalls).toBe(2);
  });

  it('refuses an unknown label and an unknown opcode', () => {
    expect(() => assemble({ name: 'bad', source: '', nlocals: 0, lines: [['JUMP_BACKWARD', 'nowhere']] })).toThrow(ValueError);
    const bogus = { ...countdown, instructions: Int32Array.from([99, 0]) };
    const state = thread();
    state.begin();
    expect(() => evaluate(bogus, [], new SharedWords(1), state)).toThrow(/bad opcode 99/);
    state.abandon();
  });
});
