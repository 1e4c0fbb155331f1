"""Check-then-act: four tellers withdraw 1 at a time from one account of 1000,
each checking the balance first.

`if balance.value >= 1: balance.value -= 1` checks, then acts, taking the
Value's lock for each access but not across them: two tellers may both see the
last coin, and the debits may also overwrite each other. More money is paid out
than the account held. Run with the argument `fixed` to hold the lock across the
check and the debit: exactly 1000 is paid out. The tellers wait at a Barrier so
that they all open at once, however long each took to start.
"""
import sys
from multiprocessing import Barrier, Process, Value

TELLERS = 4
ATTEMPTS = 400
OPENING_BALANCE = 1000


def teller(balance, paid_out, fixed, start):
    paid = 0
    start.wait()
    for _ in range(ATTEMPTS):
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
    fixed = sys.argv[1:] == ['fixed']
    balance = Value('i', OPENING_BALANCE)
    paid_out = Value('i', 0)
    start = Barrier(TELLERS)
    tellers = [Process(target=teller, args=(balance, paid_out, fixed, start)) for _ in range(TELLERS)]
    for process in tellers:
        process.start()
    for process in tellers:
        process.join()
    print(f"balance {balance.value}")
    print(f"paid out {paid_out.value} from {OPENING_BALANCE}")
