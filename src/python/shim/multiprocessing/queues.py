"""multiprocessing.Queue and JoinableQueue on memplay's shared memory.

CPython's Queue is a pipe fed by a background thread; a Pyodide interpreter has
no threads, so here put() writes the pickled item into a ring buffer in a
SharedMemory block at once, under the queue's Lock, and get() reads it back.
Two Conditions on that Lock say "not empty" and "not full". The semantics a
program sees are CPython's: FIFO order, put(block, timeout) raises queue.Full,
get(block, timeout) raises queue.Empty, and items are pickled (so a shared
object cannot travel through a queue, as in CPython).

Layout of the block: a header of five little-endian int32 words (read offset,
write offset, items, bytes used, unfinished tasks for JoinableQueue), then the
ring of records, each a 4-byte length and the pickle, wrapping at the end.
"""
import pickle
import struct
from queue import Empty, Full

from pyodide.ffi import to_js

import multiprocessing as _mp

_HEADER = struct.Struct('<5i')
_LENGTH = struct.Struct('<i')
#: Bytes of pickles one queue holds at once; a bigger item raises ValueError.
CAPACITY = 1 << 20
_SEM_VALUE_MAX = 2 ** 31 - 1


class _Memory(_mp._Shared):
    """A SharedMemory block, read and written in slices."""

    def __init__(self, size):
        self._id = _mp._create('SharedMemory', size)
        self._attached()

    def _attached(self):
        self._buf = _mp._get(self._id, 'buf')

    def read(self, offset, size):
        return bytes(self._buf.subarray(offset, offset + size).to_py())

    def write(self, offset, data):
        self._buf.set(to_js(data), offset)


class Queue:
    def __init__(self, maxsize=0, *, ctx=None):
        self._maxsize = maxsize if maxsize > 0 else _SEM_VALUE_MAX
        self._memory = _Memory(_HEADER.size + CAPACITY)
        self._lock = _mp.Lock()
        self._not_empty = _mp.Condition(self._lock)
        self._not_full = _mp.Condition(self._lock)
        self._closed = False

    def __reduce__(self):
        return (_rebuild, (type(self), self.__getstate__()))

    def __getstate__(self):
        return (self._maxsize, self._memory, self._lock, self._not_empty, self._not_full)

    def __setstate__(self, state):
        self._maxsize, self._memory, self._lock, self._not_empty, self._not_full = state
        self._closed = False

    # ------------------------------------------------------------ the ring, under the lock

    def _header(self):
        return list(_HEADER.unpack(self._memory.read(0, _HEADER.size)))

    def _set_header(self, header):
        self._memory.write(0, _HEADER.pack(*header))

    def _ring_write(self, offset, data):
        first = min(len(data), CAPACITY - offset)
        self._memory.write(_HEADER.size + offset, data[:first])
        if first < len(data):
            self._memory.write(_HEADER.size, data[first:])
        return (offset + len(data)) % CAPACITY

    def _ring_read(self, offset, size):
        first = min(size, CAPACITY - offset)
        data = self._memory.read(_HEADER.size + offset, first)
        if first < size:
            data += self._memory.read(_HEADER.size, size - first)
        return data, (offset + size) % CAPACITY

    def _has_room(self, header, size):
        return header[2] < self._maxsize and header[3] + size <= CAPACITY

    # ------------------------------------------------------------ the API

    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        record = pickle.dumps(obj)
        record = _LENGTH.pack(len(record)) + record
        if len(record) > CAPACITY:
            raise ValueError(
                f"memplay's Queue (and so a Pipe's message and a Pool's task or result) holds pickles of at most "
                f"{CAPACITY - _LENGTH.size} bytes, this one has {len(record) - _LENGTH.size}")
        with self._lock:
            if not self._not_full.wait_for(lambda: self._has_room(self._header(), len(record)), timeout if block else 0):
                raise Full
            header = self._header()
            header[1] = self._ring_write(header[1], record)
            header[2] += 1
            header[3] += len(record)
            self._added(header)
            self._set_header(header)
            self._not_empty.notify()

    def _added(self, header):
        pass

    def get(self, block=True, timeout=None):
        return self._take(timeout if block else 0)[1]

    def _take(self, timeout, finished=lambda: False):
        """Waits up to timeout (None: for ever) for an item, or for finished() to hold with none left.

        Answers (True, item), or (False, None) when finished; raises Empty when the time ran out.
        """
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        with self._lock:
            if not self._not_empty.wait_for(lambda: self._header()[2] > 0 or finished(), timeout):
                raise Empty
            header = self._header()
            if header[2] == 0:
                return False, None
            length, header[0] = self._ring_read(header[0], _LENGTH.size)
            size = _LENGTH.unpack(length)[0]
            data, header[0] = self._ring_read(header[0], size)
            header[2] -= 1
            header[3] -= _LENGTH.size + size
            self._set_header(header)
            self._not_full.notify()
        return True, pickle.loads(data)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        with self._lock:
            return self._header()[2]

    def empty(self):
        return self.qsize() == 0

    def full(self):
        with self._lock:
            return self._header()[2] >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        assert self._closed, f"Queue {self!r} not closed"

    def cancel_join_thread(self):
        pass


class JoinableQueue(Queue):
    def __init__(self, maxsize=0, *, ctx=None):
        super().__init__(maxsize)
        self._all_done = _mp.Condition(self._lock)

    def __getstate__(self):
        return super().__getstate__() + (self._all_done,)

    def __setstate__(self, state):
        super().__setstate__(state[:-1])
        self._all_done = state[-1]

    def _added(self, header):
        header[4] += 1

    def task_done(self):
        with self._lock:
            header = self._header()
            if header[4] <= 0:
                raise ValueError('task_done() called too many times')
            header[4] -= 1
            self._set_header(header)
            if header[4] == 0:
                self._all_done.notify_all()

    def join(self):
        with self._lock:
            self._all_done.wait_for(lambda: self._header()[4] == 0)


class SimpleQueue(Queue):
    """multiprocessing.SimpleQueue: an unbounded Queue with get, put, empty and close only."""

    def __init__(self, *, ctx=None):
        super().__init__()

    def get(self):
        self._check_open()
        return super().get()

    def put(self, obj):
        self._check_open()
        return super().put(obj)

    def empty(self):
        self._check_open()
        return super().empty()

    def close(self):
        self._closed = True

    def _check_open(self):
        """A closed SimpleQueue's pipe ends are closed: CPython's Connection raises OSError."""
        if self._closed:
            raise OSError("handle is closed")


def _rebuild(cls, state):
    queue = cls.__new__(cls)
    queue.__setstate__(state)
    return queue
