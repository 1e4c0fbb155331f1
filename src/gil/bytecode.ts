/*
 * A tiny bytecode, in the image of CPython's: what the lab's "threads" execute,
 * so that a workload is written once, as Python would compile it, and runs the
 * same way serially, under a shared GIL, under a GIL each, or with no GIL.
 *
 * A code object is a list of (opcode, argument) pairs, two Int32 words each, as
 * CPython 3.6+'s wordcode is; jump targets are instruction numbers. The value
 * stack holds 32-bit integers. Locals are the function's fast locals; globals are
 * words of shared memory, so every thread sees them (CPython's module dict).
 * SYSCALL is the call into C that blocks (time.sleep, socket.send, lock.acquire):
 * the eval loop hands it to the thread state, which drops the GIL around it.
 * CALL k calls a Python function that returns consts[k] (`def step(): return 1`):
 * all that matters of a call here is that entering it is an eval-breaker check.
 *
 * Opcode names follow CPython's where one exists (LOAD_FAST, STORE_GLOBAL,
 * POP_JUMP_IF_FALSE, POP_JUMP_IF_TRUE, JUMP_BACKWARD as in 3.11, POP_TOP, RETURN_VALUE); BINARY_ADD,
 * BINARY_SUBTRACT and COMPARE_GT stand for 3.11's BINARY_OP and COMPARE_OP.
 */
import { ValueError } from '../errors.js';

export const Op = {
  LOAD_CONST: 1,
  LOAD_FAST: 2,
  STORE_FAST: 3,
  LOAD_GLOBAL: 4,
  STORE_GLOBAL: 5,
  BINARY_ADD: 6,
  BINARY_SUBTRACT: 7,
  COMPARE_GT: 8,
  POP_JUMP_IF_FALSE: 9,
  POP_JUMP_IF_TRUE: 10,
  JUMP_BACKWARD: 11,
  SYSCALL: 12,
  RETURN_VALUE: 13,
  POP_TOP: 14,
  CALL: 15,
} as const;
export type Opname = keyof typeof Op;

/** The blocking calls a SYSCALL instruction names; each pops its argument and pushes its result. */
export const Syscall = {
  /** time.sleep(arg microseconds) */
  SLEEP: 1,
  /** sock.send(bytes([arg])) on the thread's socket */
  SEND: 2,
  /** sock.recv(1)[0] on the thread's socket */
  RECV: 3,
  /** lock.acquire() on the thread's lock */
  LOCK_ACQUIRE: 4,
  /** lock.release() */
  LOCK_RELEASE: 5,
} as const;
export type SyscallName = keyof typeof Syscall;

export interface Code {
  readonly name: string;
  /** The Python the code was compiled from, for display. */
  readonly source: string;
  /** (opcode, argument) pairs. */
  readonly instructions: Int32Array;
  readonly consts: Int32Array;
  /** Number of fast locals; arguments are the first ones. */
  readonly nlocals: number;
  /** Names of the globals, by index. */
  readonly globals: readonly string[];
}

/** One instruction for the assembler: an opcode and its argument (a label name for jumps, a syscall name for SYSCALL). */
export type Instruction = readonly [Opname, (number | string)?];
/** A label, "name:", marks the position of the next instruction. */
export type Line = Instruction | `${string}:`;

export interface CodeSpec {
  name: string;
  source: string;
  consts?: number[];
  nlocals: number;
  globals?: string[];
  lines: Line[];
}

/** Assembles instructions and labels into a code object. */
export function assemble(spec: CodeSpec): Code {
  const labels = labelPositions(spec.lines);
  const instructions = spec.lines.filter((line): line is Instruction => typeof line !== 'string');
  const words = new Int32Array(instructions.length * 2);
  instructions.forEach(([name, arg], index) => {
    words[index * 2] = Op[name];
    words[index * 2 + 1] = encodeArgument(name, arg, labels);
  });
  return {
    name: spec.name,
    source: spec.source,
    instructions: words,
    consts: Int32Array.from(spec.consts ?? []),
    nlocals: spec.nlocals,
    globals: spec.globals ?? [],
  };
}

function labelPositions(lines: Line[]): Map<string, number> {
  const labels = new Map<string, number>();
  let position = 0;
  for (const line of lines) {
    if (typeof line === 'string') labels.set(line.slice(0, -1), position);
    else position += 1;
  }
  return labels;
}

function encodeArgument(name: Opname, arg: number | string | undefined, labels: Map<string, number>): number {
  if (typeof arg === 'number' || arg === undefined) return arg ?? 0;
  if (name === 'SYSCALL' && arg in Syscall) return Syscall[arg as SyscallName];
  const target = labels.get(arg);
  if (target === undefined) throw new ValueError(`unknown label '${arg}' in ${name}`);
  return target;
}
