"""The `mmap` module a script imports: mmap.mmap of a real file is memplay's mapping.

Pyodide's own mmap maps a file of the interpreter's in-memory file system, which
no other process sees. Here mmap.mmap(fileno, ...) of a real file (one in the
folders interpreter.ts mounts) is memplay's MemoryMap (src/mp/mmap.ts), keyed by
the file's real path: every process of the run that maps the file sees the same
bytes, as with MAP_SHARED. flush() and close() write them back to the file, and
so does the end of the process for a mapping left open, so the file holds them
afterwards. ACCESS_READ, ACCESS_WRITE, ACCESS_COPY (or flags=MAP_PRIVATE) and
prot=PROT_READ are honoured; an offset other than 0 and resize() are refused by
name. An anonymous mapping (fileno -1) and a file outside the real folders are
Pyodide's own mmap, private to the process, as they would be after spawn.

The rest of the module (constants, `error`) is the interpreter's own. The runner
installs this module as sys.modules['mmap'].
"""
import os

import mmap as _own
from mmap import ACCESS_COPY, ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE
import _memplay
import multiprocessing as _mp
from _memplay_buffer import BufferCopies

for _name in dir(_own):
    if _name.isupper():
        globals()[_name] = getattr(_own, _name)
error = _own.error
del _name

_SUPPORTED = 'mmap.mmap of a whole file, or of its first bytes, with offset 0'

_ACCESS_NAMES = {ACCESS_DEFAULT: 'ACCESS_DEFAULT', ACCESS_READ: 'ACCESS_READ', ACCESS_WRITE: 'ACCESS_WRITE', ACCESS_COPY: 'ACCESS_COPY'}


def _access(flags, prot, access):
    """memplay's access ('read', 'write', 'copy') for mmap()'s flags, prot and access, checked as CPython does."""
    if access != ACCESS_DEFAULT and (flags != MAP_SHARED or prot != PROT_WRITE | PROT_READ):
        raise ValueError("mmap can't specify both access and flags, prot.")
    if access == ACCESS_READ:
        return 'read'
    if access == ACCESS_WRITE:
        return 'write'
    if access == ACCESS_COPY:
        return 'copy'
    if access != ACCESS_DEFAULT:
        raise ValueError("mmap invalid access parameter.")
    if flags & MAP_PRIVATE:
        return 'copy'
    return 'write' if prot & PROT_WRITE else 'read'


class mmap(BufferCopies):
    """mmap.mmap(fileno, length, flags=MAP_SHARED, prot=PROT_WRITE|PROT_READ, access=ACCESS_DEFAULT, offset=0)."""

    def __new__(cls, fileno, length, flags=MAP_SHARED, prot=PROT_WRITE | PROT_READ, access=ACCESS_DEFAULT, offset=0):
        kind = _access(flags, prot, access)
        if length < 0:
            raise OverflowError("memory mapped length must be positive")
        if offset < 0:
            raise OverflowError("memory mapped offset must be positive")
        path = None if fileno == -1 else _memplay.real_file(fileno)
        if path is None:
            return _own.mmap(fileno, length, flags=flags, prot=prot, access=access, offset=offset)
        if offset != 0:
            raise _mp._unsupported("mmap.mmap with an offset", _SUPPORTED)
        size = os.fstat(fileno).st_size
        if length == 0:
            if size == 0:
                raise ValueError("cannot mmap an empty file")
            length = size
        elif size < length:
            raise ValueError("mmap length is greater than file size")
        self = object.__new__(cls)
        self._id = _mp._open('mmap', path, length, kind)
        self._path = path
        self._access = access
        self._length = length
        self._closed = False
        return self

    # ------------------------------------------------------------ the bytes

    def __len__(self):
        self._check()
        return self._length

    def __getitem__(self, key):
        self._check()
        if isinstance(key, slice):
            start, stop, step = key.indices(self._length)
            if step == 1:
                return self._slice(start, max(start, stop))
            return self._slice(0, self._length)[key]
        return self._call('get', self._index(key))

    def __setitem__(self, key, value):
        self._check()
        if not isinstance(key, slice):
            if not isinstance(value, int):
                raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
            self._call('set', self._index(key), value)
            return
        try:
            data = memoryview(value).tobytes()
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None
        start, stop, step = key.indices(self._length)
        targets = range(start, stop, step)
        if len(data) != len(targets):
            raise IndexError("mmap slice assignment is wrong size")
        if step == 1:
            self._write_at(start, data)
        else:
            for index, byte in zip(targets, data):
                self._call('set', index, byte)

    def __iter__(self):
        data = self._slice(0, self._length)
        return (data[i:i + 1] for i in range(len(data)))

    def __bytes__(self):
        return self._slice(0, self._length)

    def _index(self, key):
        if not hasattr(key, '__index__'):
            raise TypeError("mmap indices must be integers")
        index = key.__index__()
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("mmap index out of range")
        return index

    def _slice(self, start, stop):
        return self._call('slice', start, stop).to_bytes()

    def _read_all(self):
        return self._slice(0, self._length)

    def _write_at(self, offset, data):
        self._call('setSlice', offset, _mp.to_js(bytes(data)))

    # ------------------------------------------------------------ the file interface

    def read(self, n=None):
        self._check()
        if n is None or n < 0:
            return self._call('read').to_bytes()
        return self._call('read', n).to_bytes()

    def read_byte(self):
        position = self.tell()
        if position >= self._length:
            raise ValueError("read byte out of range")
        return self.read(1)[0]

    def readline(self):
        position = self.tell()
        rest = self._slice(position, self._length)
        end = rest.find(b'\n')
        line = rest if end < 0 else rest[:end + 1]
        self.seek(position + len(line))
        return line

    def write(self, data):
        self._check()
        return self._call('write', _mp.to_js(memoryview(data).tobytes()))

    def write_byte(self, byte):
        if self.tell() >= self._length:
            raise ValueError("write byte out of range")
        self.write(bytes([byte]))

    def seek(self, pos, whence=0):
        self._check()
        self._call('seek', pos, whence)

    def seekable(self):
        return True

    def tell(self):
        self._check()
        return self._call('tell')

    def find(self, sub, start=None, end=None):
        self._check()
        return self._slice(0, self._length).find(sub, self.tell() if start is None else start, self._length if end is None else end)

    def rfind(self, sub, start=None, end=None):
        self._check()
        return self._slice(0, self._length).rfind(sub, self.tell() if start is None else start, self._length if end is None else end)

    def move(self, dest, src, count):
        self._check()
        if min(dest, src, count) < 0 or src + count > self._length or dest + count > self._length:
            raise ValueError("source, destination, or count out of range")
        self._write_at(dest, self._slice(src, src + count))

    def size(self):
        self._check()
        return os.stat(self._path).st_size

    def flush(self, offset=0, size=0):
        self._check()
        self._call('flush')

    def madvise(self, option, start=0, length=None):
        self._check()

    def resize(self, newsize):
        raise _mp._unsupported("mmap.resize", _SUPPORTED)

    def close(self):
        if not self._closed:
            self._closed = True
            try:
                self._call('close')
            except RuntimeError:
                pass  # the file could not be written back (removed meanwhile): the mapping goes all the same, as munmap's does

    @property
    def closed(self):
        return self._closed

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *args):
        self.close()

    def __repr__(self):
        if self._closed:
            return "<mmap.mmap closed=True>"
        return (f"<mmap.mmap closed=False, access={_ACCESS_NAMES.get(self._access, self._access)}, "
                f"length={self._length}, pos={self.tell()}, offset=0>")

    def _check(self):
        if self._closed:
            raise ValueError("mmap closed or invalid")

    def _call(self, method, *args):
        return _mp._call(self._id, method, *args)
