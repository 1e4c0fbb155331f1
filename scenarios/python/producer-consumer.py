"""Producer-consumer: two producers put numbered items on a Queue, two consumers
take them off and add them up in a shared Value.

The queue itself is safe: every item arrives exactly once. The consumers'
`total.value += item` is not (a read, then a write, each under the Value's lock
but not together), so the sum comes out short. Run with the argument `fixed` to
hold `total.get_lock()` around the addition: the sum is always right.
"""
import sys
from multiprocessing import JoinableQueue, Process, Value

PRODUCERS = 2
CONSUMERS = 2
ITEMS = 500
DONE = None


def produce(queue, first):
    for item in range(first, first + ITEMS):
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
    fixed = sys.argv[1:] == ['fixed']
    queue, total = JoinableQueue(maxsize=100), Value('q', 0)
    producers = [Process(target=produce, args=(queue, 1 + p * ITEMS)) for p in range(PRODUCERS)]
    consumers = [Process(target=consume, args=(queue, total, fixed)) for _ in range(CONSUMERS)]
    for process in producers + consumers:
        process.start()
    for process in producers:
        process.join()
    for _ in consumers:
        queue.put(DONE)
    queue.join()
    for process in consumers:
        process.join()
    expected = sum(range(1, 1 + PRODUCERS * ITEMS))
    print(f"expected {expected}")
    print(f"sum {total.value}")
