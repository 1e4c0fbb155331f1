"""Shared-Value operations per second from Python: `v.value += 1` (a locked read
and a locked write) in one process, timed inside the script. The last line is the
figure (bench/python.ts reads it from memplay and from python3)."""
import time
from multiprocessing import Value

OPERATIONS = 20000

if __name__ == '__main__':
    value = Value('i', 0)
    start = time.perf_counter()
    for _ in range(OPERATIONS):
        value.value += 1
    elapsed = time.perf_counter() - start
    assert value.value == OPERATIONS
    print(round(OPERATIONS / elapsed))
