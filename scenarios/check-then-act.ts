/*
 * Scenario check-then-act: withdrawals that check the balance, then take the lock
 * to debit it. By the time a worker holds the lock its check may be stale: others
 * queued on the same lock passed the same check, and the account goes negative.
 */
import { type Classification, defineScenario, type Judgement, type OutcomeSpec, Value } from '../src/scenario.js';
import { busyFor } from './support/busy.js';

const AMOUNT = 1;
/** Microseconds the bank takes to approve a payment, between the check and the debit. */
const APPROVAL = 2;

const outcomes = (overdrawn: Classification): OutcomeSpec[] => [
  { key: 'balance=0', expect: 'ACCEPTABLE', description: 'the account was emptied, never overdrawn' },
  { key: 'overdrawn', expect: overdrawn, description: 'more was paid out than the account held' },
];

export default defineScenario({
  name: 'check-then-act',
  summary: 'bank withdrawals check the balance, then debit it: the account is overdrawn',
  explain:
    'Each worker withdraws 1 at a time until the account is empty. The check (is there enough?) and the act ' +
    '(debit it) are two steps; the debit is locked, the check is not part of the same hold. Workers that wait ' +
    'for the lock have all passed the check, so when the balance reaches 0 the waiting ones still debit it and ' +
    'the account goes negative. The fix holds the lock around check and act. Python:\n' +
    '    if account.value >= amount:          # check\n' +
    '        approve(amount)                  # a moment passes\n' +
    '        with account.get_lock():\n' +
    '            account.value -= amount      # act, on a check that may be stale',
  params: { workers: 4, iterations: 10_000, repeat: 5, timeout: 10 },
  setup: (params) => ({ account: Value('i', initialBalance(params.workers, params.iterations)) }),
  judge: ({ shared, results, params }): Judgement => {
    const initial = initialBalance(params.workers, params.iterations);
    const balance = shared.account.value;
    const paid = (results as number[]).reduce((sum, withdrawn) => sum + withdrawn, 0);
    const books = paid === initial - balance ? '' : ` (books do not balance: paid ${paid})`;
    return {
      outcome: balance === 0 && books === '' ? 'balance=0' : balance < 0 && books === '' ? 'overdrawn' : 'books-broken',
      observed: `balance=${balance}, paid out ${paid} of ${initial}${books}`,
      expected: `balance=0, paid out ${initial} of ${initial}`,
      values: { balance, paidOut: paid, initial },
    };
  },
  variants: {
    racy: {
      summary: 'check the balance, then take the lock to debit',
      python: 'if account.value >= amount:\n    approve(amount)\n    with account.get_lock():\n        account.value -= amount',
      worker: ({ account }) => {
        const lock = account.getLock();
        let paid = 0;
        while (account.value >= AMOUNT) {
          busyFor(APPROVAL);
          lock.acquire();
          account.value -= AMOUNT;
          lock.release();
          paid += AMOUNT;
        }
        return paid;
      },
      outcomes: outcomes('INTERESTING'),
    },
    fixed: {
      summary: 'check and debit under one hold of the lock',
      python: 'with account.get_lock():\n    if account.value >= amount:\n        approve(amount)\n        account.value -= amount',
      worker: ({ account }) => {
        const lock = account.getLock();
        let paid = 0;
        for (;;) {
          lock.acquire();
          const enough = account.value >= AMOUNT;
          if (enough) busyFor(APPROVAL);
          if (enough) account.value -= AMOUNT;
          lock.release();
          if (!enough) return paid;
          paid += AMOUNT;
        }
      },
      outcomes: outcomes('FORBIDDEN'),
    },
  },
});

/** Enough for half the withdrawals the workers would make: the account runs dry while all of them are busy. */
function initialBalance(workers: number, iterations: number): number {
  return Math.floor((workers * iterations) / 2) * AMOUNT;
}
