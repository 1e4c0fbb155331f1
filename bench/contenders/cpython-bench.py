"""The CPython contender in `npm run bench`: threading and multiprocessing locks
measured the same way as memplay's primitives. bench/all.ts runs it with the
machine's python3 and reads one JSON object per line:

  uncontended        threading.Lock acquire + release pairs, ns per pair
  uncontended-mp     multiprocessing.Lock acquire + release pairs, ns per pair
  contended          2 threads, one threading.Lock, a short critical section, ops per second
  contended-mp       2 processes, one multiprocessing.Lock, the same, ops per second
  condition-pong     2 threads hand a turn back and forth through a Condition, us per round trip
  semaphore-pong     the same hand-off through two Semaphores, us per round trip
  startup            threading.Thread start + join, us per thread
  scaling            THREADS threads on LOCKS threading.Locks (thread i takes lock i % LOCKS),
                     a short critical section, for MILLISECONDS: ops per second, then Jain's
                     fairness index over the threads' op counts ("scaling-fairness", unit "jain")
  scaling-mp         the same with processes and multiprocessing.Locks

Usage: python3 cpython-bench.py MEASUREMENT OPERATIONS [--pin]
       python3 cpython-bench.py scaling|scaling-mp MILLISECONDS THREADS LOCKS
--pin keeps the process (and so every thread) on CPU 0, as taskset -c 0 does.
"""
import json
import multiprocessing
import os
import sys
import threading
import time


def report(name, unit, value):
    print(json.dumps({"measurement": name, "unit": unit, "value": round(value, 3)}), flush=True)


def pairs(lock, operations):
    acquire, release = lock.acquire, lock.release
    start = time.perf_counter_ns()
    for _ in range(operations):
        acquire()
        release()
    return (time.perf_counter_ns() - start) / operations


def hammer(lock, counter, operations):
    for _ in range(operations):
        with lock:
            counter.value += 1


class Box:
    value = 0


def contended_threads(operations):
    lock, box = threading.Lock(), Box()
    workers = [threading.Thread(target=hammer, args=(lock, box, operations)) for _ in range(2)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert box.value == 2 * operations
    return 2 * operations / (time.perf_counter() - start)


def contended_processes(operations):
    lock = multiprocessing.Lock()
    counter = multiprocessing.RawValue("q", 0)
    workers = [multiprocessing.Process(target=hammer, args=(lock, counter, operations)) for _ in range(2)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert counter.value == 2 * operations
    return 2 * operations / (time.perf_counter() - start)


def condition_pong(operations):
    condition = threading.Condition()
    turn = [0]

    def player(me):
        for _ in range(operations):
            with condition:
                while turn[0] != me:
                    condition.wait()
                turn[0] = 1 - me
                condition.notify()

    return pong(player, operations)


def semaphore_pong(operations):
    turns = [threading.Semaphore(1), threading.Semaphore(0)]

    def player(me):
        for _ in range(operations):
            turns[me].acquire()
            turns[1 - me].release()

    return pong(player, operations)


def pong(player, operations):
    other = threading.Thread(target=player, args=(1,))
    start = time.perf_counter()
    other.start()
    player(0)
    other.join()
    return (time.perf_counter() - start) * 1e6 / operations


def startup(operations):
    start = time.perf_counter()
    for _ in range(operations):
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
    return (time.perf_counter() - start) * 1e6 / operations


OPS_PER_CHECK = 64


def scaling_worker(lock, counter, stop, counts, me, ready):
    ops = 0
    ready.wait()
    while not stop.value:
        for _ in range(OPS_PER_CHECK):
            with lock:
                counter.value += 1
        ops += OPS_PER_CHECK
    counts[me] = ops


def scaling(milliseconds, threads, locks, processes):
    """Runs the workers for `milliseconds` after they all stand ready; reports ops/s and fairness."""
    if processes:
        make_lock, make_counter, worker_class = multiprocessing.Lock, lambda: multiprocessing.RawValue("q", 0), multiprocessing.Process
        stop, counts, ready = multiprocessing.RawValue("i", 0), multiprocessing.RawArray("q", threads), multiprocessing.Barrier(threads + 1)
    else:
        make_lock, make_counter, worker_class = threading.Lock, Box, threading.Thread
        stop, counts, ready = Box(), [0] * threads, threading.Barrier(threads + 1)
    mutexes = [(make_lock(), make_counter()) for _ in range(locks)]
    workers = [worker_class(target=scaling_worker, args=(*mutexes[me % locks], stop, counts, me, ready)) for me in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()
    start = time.perf_counter()
    time.sleep(milliseconds / 1000)
    stop.value = 1
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    total, squares = sum(counts), sum(count * count for count in counts)
    report("scaling-mp" if processes else "scaling", "ops/s", total / seconds)
    report("scaling-fairness", "jain", total * total / (threads * squares) if squares else 1 / threads)


MEASUREMENTS = {
    "uncontended": ("ns/pair", lambda n: pairs(threading.Lock(), n)),
    "uncontended-mp": ("ns/pair", lambda n: pairs(multiprocessing.Lock(), n)),
    "contended": ("ops/s", contended_threads),
    "contended-mp": ("ops/s", contended_processes),
    "condition-pong": ("us/round-trip", condition_pong),
    "semaphore-pong": ("us/round-trip", semaphore_pong),
    "startup": ("us/thread", startup),
}


def main(argv):
    if len(argv) == 5 and argv[1] in ("scaling", "scaling-mp") and all(arg.isdigit() and int(arg) > 0 for arg in argv[2:]):
        scaling(int(argv[2]), int(argv[3]), int(argv[4]), argv[1] == "scaling-mp")
        return 0
    if len(argv) not in (3, 4) or argv[1] not in MEASUREMENTS or not argv[2].isdigit() or argv[3:] not in ([], ["--pin"]):
        print(f"usage: cpython-bench.py {'|'.join(MEASUREMENTS)} OPERATIONS [--pin]\n"
              "       cpython-bench.py scaling|scaling-mp MILLISECONDS THREADS LOCKS", file=sys.stderr)
        return 2
    if argv[3:] == ["--pin"]:
        os.sched_setaffinity(0, {0})
    unit, measure = MEASUREMENTS[argv[1]]
    report(argv[1], unit, measure(int(argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
