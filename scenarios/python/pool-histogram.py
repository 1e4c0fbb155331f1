"""A Pool.map over a shared Array: four pool workers count 400 numbers into ten
bins, each number counted 20 times.

`bins[n % 10] += 1` reads the bin (taking the Array's lock), then writes it
(taking it again): two workers counting into the same bin lose counts. Run with
the argument `fixed` to hold `bins.get_lock()` around each count: the total is
always 8000. The Array reaches the workers through the pool's initializer, as
CPython requires (a synchronized Array cannot travel through the task queue).
"""
import sys
from multiprocessing import Array, Pool

NUMBERS = 400
TIMES = 20
bins = None
fixed = False


def keep(shared_bins, fix):
    global bins, fixed
    bins, fixed = shared_bins, fix


def count(number):
    for _ in range(TIMES):
        if fixed:
            with bins.get_lock():
                bins[number % 10] += 1
        else:
            bins[number % 10] += 1


if __name__ == '__main__':
    shared = Array('i', 10)
    with Pool(4, initializer=keep, initargs=(shared, sys.argv[1:] == ['fixed'])) as pool:
        pool.map(count, range(NUMBERS))
    print(f"bins {shared[:]}")
    print(f"total {sum(shared[:])}")
