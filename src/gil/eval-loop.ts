/*
 * The eval loop: CPython's _PyEval_EvalFrameDefault in miniature, for the code
 * objects of bytecode.ts.
 *
 * Where CPython 3.11 does, and only there, it reads the eval breaker (one atomic
 * load of the interpreter lock's breaker word): after a JUMP_BACKWARD, and on
 * entering a called function (RESUME, here part of CALL). When it is set, the
 * thread state hands the GIL over (eval_frame_handle_pending: drop_gil, then
 * take_gil). So a switch falls between two bytecodes, never inside one: each
 * bytecode is atomic under the GIL, a statement of several is not when a check
 * point lies inside it (`counter += step()` has one, in the call). CPython 3.9
 * and earlier checked before nearly every instruction, which made plain
 * `counter += 1` lose updates too; 3.10+ made that rare.
 */
import { Op, type Code } from './bytecode.js';
import type { ThreadState } from './thread-state.js';

/** Where a frame's globals live: words of shared memory (a SharedWords), global i at words[i]. */
export interface Globals {
  readonly words: Int32Array;
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
  const { words: globalWords } = globals;
  let sp = 0;
  let pc = 0;
  for (;;) {
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
        stack[sp++] = Atomics.load(globalWords, arg);
        break;
      case Op.STORE_GLOBAL:
        Atomics.store(globalWords, arg, stack[--sp]);
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
        if (Atomics.load(breakerWords, breaker) !== 0) thread.handleDropRequest();
        break;
      case Op.CALL:
        if (Atomics.load(breakerWords, breaker) !== 0) thread.handleDropRequest();
        stack[sp++] = consts[arg];
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
