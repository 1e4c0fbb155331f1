"""Producer-consumer: two producers put numbered items on a Queue, two consumers
take them off and add them up in a shared Value.

The queue itself is safe: every item arrives exactly once. The consumers'
`total.value += item` is not (a read, then a write, each under the Value's lock
but not together), so the sum comes out short. Run with the argument `fixed` to
hold `total.get_lock()` around the addition: the sum is always right.
`--producers`, `--consumers` and `--items` (each producer's) shrink it for
`memplay explore`.
"""
import argparse
from multiprocessing import JoinableQueue, Process, Value

DONE = None


def produce(queue, first, items):
    for item in range(first, first + items):
        queue.put(item)


def consume(queue, total, fixed):
    while (item := queue.get()) is not DONE:
        if fixed:
            with total.get_lock():
                total.value += item
        else:
            total.value += item
        queue.task_done()
    queue.task_done()


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description="a Queue is safe; the consumers' running total is not")
    parser.add_argument('variant', nargs='?', choices=['racy', 'fixed'], default='racy')
    parser.add_argument('--producers', type=int, default=2)
    parser.add_argument('--consumers', type=int, default=2)
    parser.add_argument('--items', type=int, default=500)
    options = parser.parse_args()
    fixed = options.variant == 'fixed'
    queue, total = JoinableQueue(maxsize=100), Value('q', 0)
    producers = [Process(target=produce, args=(queue, 1 + p * options.items, options.items)) for p in range(options.producers)]
    consumers = [Process(target=consume, args=(queue, total, fixed)) for _ in range(options.consumers)]
    for process in producers + consumers:
        process.start()
    for process in producers:
        process.join()
    for _ in consumers:
        queue.put(DONE)
    queue.join()
    for process in consumers:
        process.join()
    expected = sum(range(1, 1 + options.producers * options.items))
    print(f"expected {expected}")
    print(f"sum {total.value}")
