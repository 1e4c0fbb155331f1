/*
 * The eval loop: CPython's _PyEval_EvalFrameDefault in miniature, for the code
 * objects of bytecode.ts.
 *
 * Before every instruction it reads the eval breaker (one atomic load of the
 * interpreter lock's breaker word) and, when it is set, lets the thread state
 * hand the GIL over (eval_frame_handle_pending: drop_gil, then take_gil). So a
 * switch can fall between any two bytecodes, never inside one: each bytecode is
 * atomic under the GIL, a statement of several bytecodes is not. (CPython 3.9 and
 * earlier checked before nearly every instruction; 3.10+ only at backward jumps,
 * calls and function entry, which makes `counter += 1` races rarer there, not
 * impossible.)
 */
import { Op, type Code } from './bytecode.js';
import type { ThreadState } from './thread-state.js';

/** Where a frame's globals live: words of shared memory, global i at words[base + i]. */
export interface Globals {
  readonly words: Int32Array;
  readonly base: number;
}

const STACK_DEPTH = 16;

/** Runs `code` with `args` as its first locals on the calling thread, which must hold its interpreter lock. */
export function evaluate(code: Code, args: readonly number[], globals: Globals, thread: ThreadState): number {
  const ops = code.instructions;
  const consts = code.consts;
  const locals = new Int32Array(Math.max(code.nlocals, args.length));
  locals.set(args);
  const stack = new Int32Array(STACK_DEPTH);
  const { words: breakerWords, breaker } = thread.lock;
  const { words: globalWords, base } = globals;
  let sp = 0;
  let pc = 0;
  for (;;) {
    if (Atomics.load(breakerWords, breaker) !== 0) thread.handleDropRequest();
    const op = ops[pc * 2];
    const arg = ops[pc * 2 + 1];
    pc += 1;
    switch (op) {
      case Op.LOAD_CONST:
        stack[sp++] = consts[arg];
        break;
      case Op.LOAD_FAST:
        stack[sp++] = locals[arg];
        break;
      case Op.STORE_FAST:
        locals[arg] = stack[--sp];
        break;
      case Op.LOAD_GLOBAL:
        stack[sp++] = Atomics.load(globalWords, base + arg);
        break;
      case Op.STORE_GLOBAL:
        Atomics.store(globalWords, base + arg, stack[--sp]);
        break;
      case Op.BINARY_ADD:
        sp -= 1;
        stack[sp - 1] = stack[sp - 1] + stack[sp];
        break;
      case Op.BINARY_SUBTRACT:
        sp -= 1;
        stack[sp - 1] = stack[sp - 1] - stack[sp];
        break;
      case Op.COMPARE_GT:
        sp -= 1;
        stack[sp - 1] = stack[sp - 1] > stack[sp] ? 1 : 0;
        break;
      case Op.POP_JUMP_IF_FALSE:
        if (stack[--sp] === 0) pc = arg;
        break;
      case Op.POP_JUMP_IF_TRUE:
        if (stack[--sp] !== 0) pc = arg;
        break;
      case Op.JUMP_BACKWARD:
        pc = arg;
        break;
      case Op.SYSCALL:
        stack[sp - 1] = thread.syscall(arg, stack[sp - 1]);
        break;
      case Op.POP_TOP:
        sp -= 1;
        break;
      case Op.RETURN_VALUE:
        return stack[--sp];
      default:
        throw new TypeError(`${code.name}: bad opcode ${op} at instruction ${pc - 1}`);
    }
  }
}
