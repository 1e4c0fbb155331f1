"""Check-then-act: four tellers withdraw 1 at a time from one account of 1000,
each checking the balance first.

`if balance.value >= 1: balance.value -= 1` checks, then acts, taking the
Value's lock for each access but not across them: two tellers may both see the
last coin, and the debits may also overwrite each other. More money is paid out
than the account held. Run with the argument `fixed` to hold the lock across the
check and the debit: exactly 1000 is paid out. The tellers wait at a Barrier so
that they all open at once, however long each took to start. `--tellers`,
`--attempts` and `--balance` shrink it for `memplay explore` (2 tellers, 1
attempt each and a balance of 1 show the race).
"""
import argparse
from multiprocessing import Barrier, Process, Value


def teller(balance, paid_out, fixed, start, attempts):
    paid = 0
    start.wait()
    for _ in range(attempts):
        if fixed:
            with balance.get_lock():
                if balance.value >= 1:
                    balance.value -= 1
                    paid += 1
        elif balance.value >= 1:
            balance.value -= 1
            paid += 1
    with paid_out.get_lock():
        paid_out.value += paid


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description="check-then-act on a shared balance")
    parser.add_argument('variant', nargs='?', choices=['racy', 'fixed'], default='racy')
    parser.add_argument('--tellers', type=int, default=4)
    parser.add_argument('--attempts', type=int, default=400)
    parser.add_argument('--balance', type=int, default=1000)
    options = parser.parse_args()
    balance = Value('i', options.balance)
    paid_out = Value('i', 0)
    start = Barrier(options.tellers)
    teller_args = (balance, paid_out, options.variant == 'fixed', start, options.attempts)
    tellers = [Process(target=teller, args=teller_args) for _ in range(options.tellers)]
    for process in tellers:
        process.start()
    for process in tellers:
        process.join()
    print(f"balance {balance.value}")
    print(f"paid out {paid_out.value} from {options.balance}")
