"""mmap.mmap's API over a real file, as CPython 3.11 has it: the file interface,
items and slices, the buffer protocol, ACCESS_READ and ACCESS_COPY, and the errors."""
import mmap
import struct


def error_of(call):
    try:
        call()
    except Exception as error:
        return f"{type(error).__name__}: {error}"


if __name__ == '__main__':
    with open('api.bin', 'wb') as f:
        f.write(struct.pack('<i', 41) + b'alpha\nbeta\ngamma\n')
    with open('api.bin', 'r+b') as f:
        m = mmap.mmap(f.fileno(), 0)
        print(len(m), m.size(), m[0], m[-1], m[4:9], m[4:14:2], struct.unpack_from('<i', m, 0))
        m.seek(4)
        print(m.readline(), m.tell(), m.read(4), m.read_byte(), m.find(b'a'), m.find(b'a', 0), m.rfind(b'a'), m.find(b'zeta'))
        m[0:4] = struct.pack('<i', 42)
        m[4] = ord('A')
        m.move(10, 4, 5)
        print(bytes(m)[:16], list(m)[4:6])
        m.seek(0, 2)
        print(error_of(m.read_byte), error_of(lambda: m.write_byte(1)), error_of(lambda: m.write(b'x')))
        print(error_of(lambda: m.seek(100)), error_of(lambda: m['a']), error_of(lambda: m.__setitem__(slice(0, 2), b'abc')))
        print(error_of(lambda: mmap.mmap(f.fileno(), 100)), error_of(lambda: mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ, prot=mmap.PROT_READ)))
        m.flush()
        m.close()
        print(m.closed, error_of(lambda: m[0]), error_of(lambda: len(m)))
    with open('api.bin', 'rb') as f:
        print(f.read()[:16])
    with open('api.bin', 'r+b') as f:
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as read_only:
            print(error_of(lambda: read_only.__setitem__(0, 1)), read_only[4:9])
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as copy:
            copy[4:9] = b'COPY!'
            copy.flush()
            print(copy[4:9])
        with mmap.mmap(f.fileno(), 8) as first:
            print(len(first), first[:])
    with open('api.bin', 'rb') as f:
        print(f.read()[4:9])
