"""A counter in a SharedMemory block, added to by two processes that attach it by name.

Each addition reads the 4 bytes of the counter and writes them back: between the
two, the other process may write, and its update is lost. With the argument
`fixed`, a Lock held around the read-modify-write makes every update count.
A Barrier starts both loops together, so they overlap.
"""
import sys
from multiprocessing import Barrier, Lock, Process
from multiprocessing.shared_memory import SharedMemory

PROCESSES = 2
INCREMENTS = 3000


def add(name, start, lock):
    shm = SharedMemory(name=name)
    start.wait()
    for _ in range(INCREMENTS):
        if lock is not None:
            lock.acquire()
        value = int.from_bytes(shm.buf[0:4], 'little')
        shm.buf[0:4] = (value + 1).to_bytes(4, 'little')
        if lock is not None:
            lock.release()
    shm.close()


if __name__ == '__main__':
    lock = Lock() if sys.argv[1:] == ['fixed'] else None
    shm = SharedMemory(create=True, size=4)
    start = Barrier(PROCESSES)
    processes = [Process(target=add, args=(shm.name, start, lock)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    print(f"expected {PROCESSES * INCREMENTS}")
    print(int.from_bytes(shm.buf[0:4], 'little'))
    shm.close()
    shm.unlink()
