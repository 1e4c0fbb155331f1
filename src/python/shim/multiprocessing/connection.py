"""multiprocessing.Pipe and its Connection objects, on memplay's shared memory.

CPython's Pipe is a socketpair (duplex) or an os.pipe (one way) between the two
Connections; here each direction is one of memplay's Queues (queues.py: a ring
buffer of pickles in a SharedMemory block, under a Lock) and counts of the
write ends and of the read ends open on it, kept in RawValues under the queue's
Lock. A Connection
sends with the queue's put() and receives with its get(). What a program sees is
CPython's: send() pickles, recv() blocks until an object arrives, poll(timeout)
waits for one, send_bytes/recv_bytes carry raw bytes, a one-way pipe's ends are
read-only and write-only, a closed end raises OSError("handle is closed").

End of file as the operating system gives it: passing a Connection to a Process
opens one more copy of its write end (as spawn duplicates the handle), close()
and the end of a process close the copies they hold, and recv() raises EOFError
once every copy of the other end's write end is closed and everything sent was
read. A recv() waiting while a copy stays open (the parent's own, not closed
after start()) waits on, as in CPython. Likewise send() raises BrokenPipeError
once every copy of the other end's read end is closed.
"""
import pickle
from queue import Empty

__all__ = ['Pipe', 'Connection']

#: The Connections of this process that are still open, closed at its end (_exit_function).
_open = []


class _Direction:
    """One direction of a pipe: its queue, and how many write ends and read ends are open on it."""

    def __init__(self, queue, writers, readers):
        self.queue = queue
        self.writers = writers
        self.readers = readers

    def add_writer(self, change):
        with self.queue._lock:
            self.writers.value += change
            if self.writers.value == 0:
                self.queue._not_empty.notify_all()

    def add_reader(self, change):
        with self.queue._lock:
            self.readers.value += change


class Connection:
    def __init__(self, incoming, outgoing):
        self._incoming = incoming
        self._outgoing = outgoing
        self._closed = False
        self._peeked = []
        _open.append(self)

    def __getstate__(self):
        self._check_closed()
        if self._outgoing is not None:
            self._outgoing.add_writer(+1)
        if self._incoming is not None:
            self._incoming.add_reader(+1)
        return (self._incoming, self._outgoing)

    def __setstate__(self, state):
        self.__init__(*state)

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._incoming is not None

    @property
    def writable(self):
        return self._outgoing is not None

    def _check_closed(self):
        if self._closed:
            raise OSError("handle is closed")

    def _check_readable(self):
        if self._incoming is None:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if self._outgoing is None:
            raise OSError("connection is read-only")

    def fileno(self):
        self._check_closed()
        raise OSError("memplay's Connection has no file descriptor")

    def send(self, obj):
        self._send(pickle.dumps(obj))

    def send_bytes(self, buf, offset=0, size=None):
        data = memoryview(buf).cast('B')
        if offset < 0:
            raise ValueError("offset is negative")
        if len(data) < offset:
            raise ValueError("buffer length < offset")
        if size is None:
            size = len(data) - offset
        elif size < 0:
            raise ValueError("size is negative")
        elif offset + size > len(data):
            raise ValueError("buffer length < offset + size")
        self._send(bytes(data[offset:offset + size]))

    def _send(self, record):
        self._check_closed()
        self._check_writable()
        if self._outgoing.readers.value == 0:
            raise BrokenPipeError(32, 'Broken pipe')
        self._outgoing.queue.put(record)

    def _next(self, timeout):
        """(True, the next record sent) or (False, None) at end of file, waiting up to timeout; Empty when neither came."""
        if self._peeked:
            return self._peeked.pop()
        incoming = self._incoming
        return incoming.queue._take(timeout, lambda: incoming.writers.value == 0)

    def _receive(self):
        self._check_closed()
        self._check_readable()
        sent, record = self._next(None)
        if not sent:
            raise EOFError
        return record

    def recv(self):
        return pickle.loads(self._receive())

    def recv_bytes(self, maxlength=None):
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = self._receive()
        if maxlength is not None and len(data) > maxlength:
            raise OSError("bad message length")
        return data

    def recv_bytes_into(self, buf, offset=0):
        view = memoryview(buf).cast('B')
        if offset < 0:
            raise ValueError("negative offset")
        if offset > len(view):
            raise ValueError("offset too large")
        data = self._receive()
        if offset + len(data) > len(view):
            from multiprocessing import BufferTooShort
            raise BufferTooShort(data)
        view[offset:offset + len(data)] = data
        return len(data)

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        if not self._peeked:
            try:
                self._peeked.append(self._next(timeout))
            except Empty:
                return False
        return True

    def close(self):
        if not self._closed:
            self._closed = True
            _open.remove(self)
            if self._outgoing is not None:
                self._outgoing.add_writer(-1)
            if self._incoming is not None:
                self._incoming.add_reader(-1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<multiprocessing.connection.Connection state={'closed' if self._closed else 'open'}>"


def __getattr__(name):
    if name.startswith('__') or name not in ('Client', 'Listener', 'wait'):
        raise AttributeError(f"module 'multiprocessing.connection' has no attribute '{name}'")
    import multiprocessing
    raise multiprocessing._unsupported(f"multiprocessing.connection.{name}", ', '.join(__all__))


def _direction():
    from multiprocessing import RawValue
    from multiprocessing.queues import Queue
    return _Direction(Queue(), RawValue('i', 1), RawValue('i', 1))


def Pipe(duplex=True):
    forward = _direction()
    if not duplex:
        return Connection(forward, None), Connection(None, forward)
    backward = _direction()
    return Connection(backward, forward), Connection(forward, backward)


def _close_all():
    """At the end of a process: close what it left open, as the operating system closes its descriptors."""
    for connection in list(_open):
        connection.close()
