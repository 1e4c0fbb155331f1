"""A Pool.map over a shared Array: four pool workers count 400 numbers into ten
bins, each number counted 20 times.

`bins[n % len(bins)] += 1` reads the bin (taking the Array's lock), then writes it
(taking it again): two workers counting into the same bin lose counts. Run with
the argument `fixed` to hold `bins.get_lock()` around each count: the total is
always 8000. The Array reaches the workers through the pool's initializer, as
CPython requires (a synchronized Array cannot travel through the task queue).
`--workers`, `--numbers`, `--times` and `--bins` shrink it for `memplay explore`
(`--bins 1` puts every number in one bin, so two numbers are enough to race).
"""
import argparse
from multiprocessing import Array, Pool

bins = None
fixed = False
times = 0


def keep(shared_bins, fix, count_times):
    global bins, fixed, times
    bins, fixed, times = shared_bins, fix, count_times


def count(number):
    for _ in range(times):
        if fixed:
            with bins.get_lock():
                bins[number % len(bins)] += 1
        else:
            bins[number % len(bins)] += 1


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description="a Pool.map counting into a shared Array")
    parser.add_argument('variant', nargs='?', choices=['racy', 'fixed'], default='racy')
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--numbers', type=int, default=400)
    parser.add_argument('--times', type=int, default=20)
    parser.add_argument('--bins', type=int, default=10)
    options = parser.parse_args()
    shared = Array('i', options.bins)
    with Pool(options.workers, initializer=keep, initargs=(shared, options.variant == 'fixed', options.times)) as pool:
        pool.map(count, range(options.numbers))
    print(f"bins {shared[:]}")
    print(f"total {sum(shared[:])}")
