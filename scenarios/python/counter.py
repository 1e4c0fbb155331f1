"""The lost update: four processes add 1 to a shared Value, each many times.

`counter.value += 1` reads the value (taking the Value's lock), then writes it
back (taking the lock again): between the two, another process may write, and
its update is lost. Run with the argument `fixed` to hold the lock around the
whole read-modify-write, and every update counts. The processes wait at a
Barrier so that they all start adding at once, however long each took to start.
`--processes` and `--increments` shrink it for `memplay explore` (2 and 1 show
the race in a few steps).
"""
import argparse
from multiprocessing import Barrier, Process, Value


def work(counter, fixed, start, increments):
    start.wait()
    for _ in range(increments):
        if fixed:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description="the lost update of counter.value += 1")
    parser.add_argument('variant', nargs='?', choices=['racy', 'fixed'], default='racy')
    parser.add_argument('--processes', type=int, default=4)
    parser.add_argument('--increments', type=int, default=5000)
    options = parser.parse_args()
    counter = Value('i', 0)
    start = Barrier(options.processes)
    work_args = (counter, options.variant == 'fixed', start, options.increments)
    processes = [Process(target=work, args=work_args) for _ in range(options.processes)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    print(f"expected {options.processes * options.increments}")
    print(counter.value)
