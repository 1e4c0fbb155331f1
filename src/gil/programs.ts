/*
 * The lab's Python functions, compiled by hand to the bytecode of bytecode.ts,
 * each beside the Python it stands for. scripts/gil-workloads.py holds the same
 * functions for CPython, so --compare-cpython runs the same work there.
 *
 * Every loop is `while n > 0: <body>; n -= 1`, built by countedLoop(), the
 * shape CPython 3.11 compiles a while loop to (test, body, JUMP_BACKWARD).
 */
import { assemble, type Code, type Line } from './bytecode.js';

/** Fast local 0 of every program: the loop counter n. */
const N = 0;
const ZERO = 0;
const ONE = 1;

/** while n > 0: <body>; n -= 1   (n is local `counter`; constants 0 and 1 are in slots 0 and 1) */
function countedLoop(label: string, body: Line[], counter = N): Line[] {
  return [
    `${label}:`,
    ['LOAD_FAST', counter],
    ['LOAD_CONST', ZERO],
    ['COMPARE_GT'],
    ['POP_JUMP_IF_FALSE', `${label}_end`],
    ...body,
    ['LOAD_FAST', counter],
    ['LOAD_CONST', ONE],
    ['BINARY_SUBTRACT'],
    ['STORE_FAST', counter],
    ['JUMP_BACKWARD', label],
    `${label}_end:`,
  ];
}

const RETURN_NONE: Line[] = [
  ['LOAD_CONST', ZERO],
  ['RETURN_VALUE'],
];

/** countdown(n): the CPU-bound loop of David Beazley's GIL talks. */
export const countdown: Code = assemble({
  name: 'countdown',
  source: 'def countdown(n):\n    while n > 0:\n        n -= 1',
  consts: [0, 1],
  nlocals: 1,
  lines: [...countedLoop('loop', []), ...RETURN_NONE],
});

/** io_wait(n, us): n blocking waits of `us` microseconds each (local 1). */
export const ioWait: Code = assemble({
  name: 'io_wait',
  source: 'def io_wait(n, us):\n    while n > 0:\n        time.sleep(us / 1e6)\n        n -= 1',
  consts: [0, 1],
  nlocals: 2,
  lines: [...countedLoop('loop', [['LOAD_FAST', 1], ['SYSCALL', 'SLEEP'], ['POP_TOP']]), ...RETURN_NONE],
});

/** mixed(n, m, us): n rounds of a countdown of m (local 1) then a wait of us (local 2). */
export const mixed: Code = assemble({
  name: 'mixed',
  source: 'def mixed(n, m, us):\n    while n > 0:\n        k = m\n        while k > 0:\n            k -= 1\n        time.sleep(us / 1e6)\n        n -= 1',
  consts: [0, 1],
  nlocals: 4,
  lines: [
    ...countedLoop('outer', [
      ['LOAD_FAST', 1],
      ['STORE_FAST', 3],
      ...countedLoop('inner', [], 3),
      ['LOAD_FAST', 2],
      ['SYSCALL', 'SLEEP'],
      ['POP_TOP'],
    ]),
    ...RETURN_NONE,
  ],
});

/** echo_client(n): n one-byte round trips on the thread's socket, then `done = 1` (global 0). */
export const echoClient: Code = assemble({
  name: 'echo_client',
  source: "def echo_client(n):\n    global done\n    while n > 0:\n        sock.send(b'x')\n        sock.recv(1)\n        n -= 1\n    done = 1",
  consts: [0, 1, 120],
  nlocals: 1,
  globals: ['done'],
  lines: [
    ...countedLoop('loop', [['LOAD_CONST', 2], ['SYSCALL', 'SEND'], ['SYSCALL', 'RECV'], ['POP_TOP']]),
    ['LOAD_CONST', ONE],
    ['STORE_GLOBAL', 0],
    ...RETURN_NONE,
  ],
});

/** spin_until_done(): counts while global 0 (`done`) is 0; returns the count. */
export const spinUntilDone: Code = assemble({
  name: 'spin_until_done',
  source: 'def spin_until_done():\n    n = 0\n    while not done:\n        n += 1\n    return n',
  consts: [0, 1],
  nlocals: 1,
  globals: ['done'],
  lines: [
    'loop:',
    ['LOAD_GLOBAL', 0],
    ['POP_JUMP_IF_TRUE', 'end'],
    ['LOAD_FAST', N],
    ['LOAD_CONST', ONE],
    ['BINARY_ADD'],
    ['STORE_FAST', N],
    ['JUMP_BACKWARD', 'loop'],
    'end:',
    ['LOAD_FAST', N],
    ['RETURN_VALUE'],
  ],
});

/** counter += step() on global 0 (step returns 1): the call, between the load and the store, is an eval-breaker check. */
const INCREMENT_COUNTER: Line[] = [
  ['LOAD_GLOBAL', 0],
  ['CALL', ONE],
  ['BINARY_ADD'],
  ['STORE_GLOBAL', 0],
];

/** increment(n): `counter += step()`, n times, with no lock. */
export const increment: Code = assemble({
  name: 'increment',
  source: 'def increment(n):\n    global counter\n    while n > 0:\n        counter += step()   # def step(): return 1\n        n -= 1',
  consts: [0, 1],
  nlocals: 1,
  globals: ['counter'],
  lines: [...countedLoop('loop', INCREMENT_COUNTER), ...RETURN_NONE],
});

/** increment_locked(n): `with lock: counter += step()`, n times. */
export const incrementLocked: Code = assemble({
  name: 'increment_locked',
  source: 'def increment_locked(n):\n    global counter\n    while n > 0:\n        with lock:\n            counter += step()\n        n -= 1',
  consts: [0, 1],
  nlocals: 1,
  globals: ['counter'],
  lines: [
    ...countedLoop('loop', [
      ['LOAD_CONST', ZERO],
      ['SYSCALL', 'LOCK_ACQUIRE'],
      ['POP_TOP'],
      ...INCREMENT_COUNTER,
      ['LOAD_CONST', ZERO],
      ['SYSCALL', 'LOCK_RELEASE'],
      ['POP_TOP'],
    ]),
    ...RETURN_NONE,
  ],
});

export const PROGRAMS = { countdown, ioWait, mixed, echoClient, spinUntilDone, increment, incrementLocked } as const;
export type ProgramName = keyof typeof PROGRAMS;
