"""Two processes map the same real file (mmap, MAP_SHARED) and see each other's
writes: each adds to a counter in the mapping under a Lock, and writes its own
mark. Neither closes its mapping: the end of the process writes it back. The
parent maps nothing while they run; afterwards it reads the file with open()."""
import mmap
import struct
import sys
from multiprocessing import Barrier, Lock, Process

INCREMENTS = 500


def work(path, index, start, lock):
    f = open(path, 'r+b')
    mapping = mmap.mmap(f.fileno(), 0)
    start.wait()
    for _ in range(INCREMENTS):
        with lock:
            (count,) = struct.unpack('<i', mapping[0:4])
            mapping[0:4] = struct.pack('<i', count + 1)
    mapping[8 + 4 * index:12 + 4 * index] = b'P%d!!' % index
    start.wait()
    print(f"process {index} sees {mapping[8:16]}")


if __name__ == '__main__':
    path = sys.argv[1]
    with open(path, 'wb') as f:
        f.write(bytes(16) + b'first line\nsecond line\n')
    start = Barrier(2)
    lock = Lock()
    processes = [Process(target=work, args=(path, index, start, lock)) for index in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    with open(path, 'rb') as f:
        data = f.read()
    print(struct.unpack('<i', data[0:4])[0], data[8:16])
    with open(path, 'r+b') as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapping:
        mapping.seek(16)
        print(mapping.readline(), mapping.tell(), mapping.find(b'second'), mapping.read(6), len(mapping), mapping.size())
