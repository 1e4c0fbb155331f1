/*
 * Scenario array-sum: workers move money between the slots of a shared array of
 * balances. A transfer is two read-modify-writes; done without holding a lock
 * across both, concurrent transfers overwrite each other and the total, which
 * every transfer preserves, drifts.
 */
import { type Classification, defineScenario, type Judgement, Lock, type OutcomeSpec, type Random, randomBelow, SharedArray, type SharedTypedArray } from '../src/scenario.js';

const ACCOUNTS = 8;
const OPENING_BALANCE = 1000;
const TOTAL = ACCOUNTS * OPENING_BALANCE;

const outcomes = (drift: Classification): OutcomeSpec[] => [
  { key: `total=${TOTAL}`, expect: 'ACCEPTABLE', description: 'the total was preserved' },
  { key: `total!=${TOTAL}`, expect: drift, description: 'transfers overwrote each other: money appeared or vanished' },
];

type Balances = SharedTypedArray<'i'>;

/** One transfer: `amount` from slot `from` to slot `to`, with the array's own per-access locking only. */
function transfer(balances: Balances, from: number, to: number, amount: number): void {
  balances.set(from, balances.get(from) - amount);
  balances.set(to, balances.get(to) + amount);
}

/** Each worker's transfers: random distinct slots and amounts from its seeded stream. */
function eachTransfer(iterations: number, random: Random, act: (from: number, to: number, amount: number) => void): void {
  for (let i = 0; i < iterations; i++) {
    const from = randomBelow(random, ACCOUNTS);
    const to = (from + 1 + randomBelow(random, ACCOUNTS - 1)) % ACCOUNTS;
    act(from, to, 1 + randomBelow(random, 10));
  }
}

export default defineScenario({
  name: 'array-sum',
  summary: 'transfers between slots of a SharedArray of balances break the total',
  explain:
    `${ACCOUNTS} accounts of ${OPENING_BALANCE} each live in a multiprocessing.Array; workers move random amounts ` +
    'between random pairs. Every transfer preserves the total, yet the total drifts: `a[i] -= x` and `a[j] += x` ' +
    'are each a locked read then a locked write, so two workers updating the same slot overwrite each other. ' +
    'One fix holds the array\'s lock around the whole transfer; the other locks just the two slots, always the ' +
    'lower-numbered first, so that two transfers in opposite directions cannot deadlock. Python:\n' +
    '    balances = multiprocessing.Array("i", [1000] * 8)\n' +
    '    balances[i] -= x                    # racy: read, then write\n' +
    '    balances[j] += x',
  params: { workers: 4, iterations: 20_000, repeat: 5, timeout: 10 },
  setup: () => ({
    balances: SharedArray('i', Array.from({ length: ACCOUNTS }, () => OPENING_BALANCE)),
    slotLocks: Array.from({ length: ACCOUNTS }, () => new Lock()),
  }),
  judge: ({ shared }): Judgement => {
    const balances = shared.balances.toArray();
    const total = balances.reduce((sum, balance) => sum + balance, 0);
    return {
      outcome: total === TOTAL ? `total=${TOTAL}` : `total!=${TOTAL}`,
      observed: `total=${total}${total === TOTAL ? '' : ` (${total > TOTAL ? 'created' : 'lost'} ${Math.abs(total - TOTAL)})`}, balances ${balances.join(' ')}`,
      expected: `total=${TOTAL}`,
      values: { total, expected: TOTAL },
    };
  },
  variants: {
    racy: {
      summary: 'a[i] -= x; a[j] += x, each access locked on its own',
      python: 'balances[i] -= x\nbalances[j] += x',
      worker: ({ balances }, { params, random }) => eachTransfer(params.iterations, random, (from, to, amount) => transfer(balances, from, to, amount)),
      outcomes: outcomes('INTERESTING'),
    },
    fixed: {
      summary: "the whole transfer under the array's lock",
      python: 'with balances.get_lock():\n    balances[i] -= x\n    balances[j] += x',
      worker: ({ balances }, { params, random }) => {
        const lock = balances.getLock();
        eachTransfer(params.iterations, random, (from, to, amount) => {
          lock.acquire();
          transfer(balances, from, to, amount);
          lock.release();
        });
      },
      outcomes: outcomes('FORBIDDEN'),
    },
    'fixed-slot-locks': {
      summary: 'a lock per slot, the lower-numbered slot locked first',
      python: 'first, second = sorted((i, j))\nwith locks[first], locks[second]:\n    balances[i] -= x\n    balances[j] += x',
      worker: ({ balances, slotLocks }, { params, random }) =>
        eachTransfer(params.iterations, random, (from, to, amount) => {
          const [first, second] = from < to ? [from, to] : [to, from];
          slotLocks[first].acquire();
          slotLocks[second].acquire();
          transfer(balances, from, to, amount);
          slotLocks[second].release();
          slotLocks[first].release();
        }),
      outcomes: [...outcomes('FORBIDDEN'), { key: 'deadlock', expect: 'FORBIDDEN', description: 'two transfers waited on each other' }],
    },
  },
});
