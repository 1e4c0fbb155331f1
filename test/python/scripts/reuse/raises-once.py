"""The child raises on the first run (the marker file named by the first argument is absent), ends cleanly on later ones."""
import os
import sys
from multiprocessing import Process, Value


def work(marker, total):
    if not os.path.exists(marker):
        open(marker, 'w').close()
        raise ValueError("first run")
    with total.get_lock():
        total.value += 1


if __name__ == '__main__':
    total = Value('i', 0)
    process = Process(target=work, args=(sys.argv[1], total))
    process.start()
    process.join()
    print(f"child exitcode {process.exitcode}, total {total.value}")
