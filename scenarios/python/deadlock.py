"""Deadlock: two processes take the same two locks in opposite orders.

Both start together (a Barrier), each takes its first lock, pauses, and waits
for the other's: neither lets go,
and the run hangs until memplay's --timeout names both processes and the line
each waits at. Run with the argument `fixed` to take the locks in one global
order (a before b) in both processes: no cycle of waits, no deadlock.
"""
import argparse
import time
from multiprocessing import Barrier, Lock, Process


def transfer(start, first, second, name):
    start.wait()
    with first:
        time.sleep(0.2)
        with second:
            print(f"{name} holds both locks")


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description="two locks taken in opposite orders")
    parser.add_argument('variant', nargs='?', choices=['racy', 'fixed'], default='racy')
    fixed = parser.parse_args().variant == "fixed"
    start, a, b = Barrier(2), Lock(), Lock()
    one = Process(target=transfer, args=(start, a, b, 'one'))
    two = Process(target=transfer, args=(start,) + ((a, b) if fixed else (b, a)) + ('two',))
    one.start()
    two.start()
    one.join()
    two.join()
    print("done")
