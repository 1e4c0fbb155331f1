"""SharedMemory's API as CPython 3.11 has it: a generated name, attaching by name
in another process, a block passed to a Process (pickled by name), buf's
memoryview operations and the buffer protocol, and each error with its message."""
import struct
from multiprocessing import Process
from multiprocessing.shared_memory import SharedMemory


def attach_and_write(name):
    other = SharedMemory(name=name)
    print('child attached:', other.size, bytes(other.buf[0:4]))
    other.buf[4:8] = b'kid!'
    other.close()


def read_passed(shm):
    print('child got the block by name:', bytes(shm.buf[0:8]))
    shm.close()


def error_of(call):
    try:
        call()
    except Exception as error:
        return f"{type(error).__name__}: {error}"


if __name__ == '__main__':
    shm = SharedMemory(create=True, size=16)
    print(shm.name.startswith('psm_'), len(shm.name), shm.size, len(shm.buf))
    shm.buf[0:4] = b'abcd'
    shm.buf[12] = 255
    print(bytes(shm.buf[:4]), shm.buf[1], shm.buf[0:2] == b'ab', shm.buf[2:4].tolist(), shm.buf[-4])
    struct.pack_into('<i', shm.buf, 8, -7)
    print(struct.unpack_from('<i', shm.buf, 8)[0], bytes(shm.buf[8:12]).hex())
    child = Process(target=attach_and_write, args=(shm.name,))
    child.start()
    child.join()
    print('parent sees:', bytes(shm.buf[4:8]))
    child = Process(target=read_passed, args=(shm,))
    child.start()
    child.join()
    print(error_of(lambda: shm.buf.__setitem__(slice(0, 2), b'abc')))
    print(error_of(lambda: shm.buf.__setitem__(0, 256)))
    print(error_of(lambda: shm.buf[16]))
    named = SharedMemory(name='memplay_test_block', create=True, size=8)
    print(repr(named))
    print(error_of(lambda: SharedMemory(name='memplay_test_block', create=True, size=8)))
    print(error_of(lambda: SharedMemory(name='memplay_no_such_block')))
    print(error_of(lambda: SharedMemory(create=True, size=0)))
    print(error_of(lambda: SharedMemory(create=True, size=-1)))
    print(error_of(lambda: SharedMemory()))
    named.close()
    named.unlink()
    print(error_of(lambda: SharedMemory(name='memplay_test_block')))
    print(error_of(named.unlink))
    view = shm.buf[0:4]
    print(error_of(shm.close), shm.buf)
    view.release()
    print(error_of(lambda: view[0]))
    shm.close()
    shm.unlink()
