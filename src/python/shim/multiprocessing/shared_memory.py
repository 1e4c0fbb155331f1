"""multiprocessing.shared_memory.SharedMemory on memplay's SharedMemory (src/mp).

A block of bytes with a name in memplay's kernel directory, which every process
of the run sees: create it in one process, attach it by name in another, as
POSIX shm_open does for CPython. The block lives while any process holds it
open and until it is unlinked; a name a run leaves bound is unlinked at the
run's end, as multiprocessing's resource_tracker does at the end of a program.

`buf` is a SharedBytes (_memplay_buffer.py), not a memoryview: Pyodide cannot
point a memoryview into memplay's shared memory. It reads and writes the shared
bytes directly, and serves bytes(), struct and the other buffer consumers.
Pickled (as a Process argument, or into a Queue), a SharedMemory travels as its
name and attaches on the other side, as in CPython. The errors and their messages
are CPython 3.11's. ShareableList is refused by name.
"""
import multiprocessing as _mp
from _memplay_buffer import Lease, SharedBytes

__all__ = ['SharedMemory']


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _mp._unsupported(f"multiprocessing.shared_memory.{name}", 'SharedMemory')


class SharedMemory:
    """Creates a new shared memory block or attaches to an existing one."""

    _id = None
    _buf = None

    def __init__(self, name=None, create=False, size=0):
        if _mp._exploring():
            from _memplay_runner import Unsupported
            raise Unsupported("SharedMemory is not supported by memplay explore yet: its buf's reads and writes are not "
                              "scheduling points, so a race on them could not show (memplay run runs it)")
        if not size >= 0:
            raise ValueError("'size' must be a positive integer")
        if create and size == 0:
            raise ValueError("'size' must be a positive number different from zero")
        if name is None and not create:
            raise ValueError("'name' can only be None if create=True")
        try:
            self._id = _mp._open('SharedMemory', name, bool(create), int(size))
        except FileExistsError:
            raise FileExistsError(17, 'File exists', f'/{name}') from None
        except FileNotFoundError:
            raise FileNotFoundError(2, 'No such file or directory', f'/{name}') from None
        self._name = _mp._get(self._id, 'name')
        self._size = _mp._get(self._id, 'size')
        self._lease = Lease()
        self._buf = SharedBytes(_mp._get(self._id, 'buf'), self._lease)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __reduce__(self):
        return (self.__class__, (self.name, False, self.size))

    def __repr__(self):
        return f'{self.__class__.__name__}({self.name!r}, size={self.size})'

    @property
    def buf(self):
        """A memoryview-like view of the shared bytes (None once closed)."""
        return self._buf

    @property
    def name(self):
        """Unique name that identifies the shared memory block."""
        return self._name

    @property
    def size(self):
        """Size in bytes."""
        return self._size

    def close(self):
        """Closes access to the shared memory from this instance but does not destroy the block."""
        if self._buf is not None:
            self._buf.release()
            self._buf = None
        if self._lease.closed:
            return
        if self._lease.exported():
            raise BufferError("cannot close exported pointers exist")
        self._lease.closed = True
        _mp._call(self._id, 'close')

    def unlink(self):
        """Requests that the underlying shared memory block be destroyed (once every process has closed it)."""
        if self._id is None:
            return
        try:
            _mp._call(self._id, 'unlink')
        except FileNotFoundError:
            raise FileNotFoundError(2, 'No such file or directory', '/' + self._name) from None
