"""The lost update: four processes add 1 to a shared Value, each many times.

`counter.value += 1` reads the value (taking the Value's lock), then writes it
back (taking the lock again): between the two, another process may write, and
its update is lost. Run with the argument `fixed` to hold the lock around the
whole read-modify-write, and every update counts. The processes wait at a
Barrier so that they all start adding at once, however long each took to start.
"""
import sys
from multiprocessing import Barrier, Process, Value

PROCESSES = 4
INCREMENTS = 5000


def work(counter, fixed, start):
    start.wait()
    for _ in range(INCREMENTS):
        if fixed:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


if __name__ == '__main__':
    fixed = sys.argv[1:] == ['fixed']
    counter = Value('i', 0)
    start = Barrier(PROCESSES)
    processes = [Process(target=work, args=(counter, fixed, start)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    print(f"expected {PROCESSES * INCREMENTS}")
    print(counter.value)
