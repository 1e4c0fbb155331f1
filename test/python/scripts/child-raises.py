import sys
from multiprocessing import Process


def work():
    raise RuntimeError("child failed")


if __name__ == '__main__':
    process = Process(target=work)
    process.start()
    process.join()
    print("exitcode", process.exitcode)
    sys.exit(3)
