"""A Pool whose tasks never end: the watchdog terminates its busy workers at --timeout."""
import time
from multiprocessing import Pool


def forever(_):
    while True:
        time.sleep(0.01)


if __name__ == '__main__':
    with Pool(2) as pool:
        pool.map(forever, range(4))
