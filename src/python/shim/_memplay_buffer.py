"""Bytes in memplay's shared memory, seen from Python (SharedMemory.buf, mmap).

Pyodide's Python can point a memoryview only into its own WebAssembly memory,
never into memplay's SharedArrayBuffer, so shared bytes cannot be a real
memoryview. SharedBytes is the memoryview a script gets instead: every index,
slice, slice assignment and len() reads or writes the shared bytes themselves,
through a JavaScript typed array (a slice with step 1 is another live view, as a
memoryview's is); bytes(view), tobytes(), tolist(), ==, cast() to a 1-D format,
release() and `with` are there too. As in CPython, a SharedMemory cannot close
while a view made from its buf (a slice, a cast) is still alive and unreleased
(BufferError); buf itself is released by close().

Anything that takes a buffer (struct.unpack_from, int.from_bytes,
memoryview(x), file.write, struct.pack_into, file.readinto) is served by
BufferCopies, PEP 688's __buffer__: the consumer gets a copy of the bytes, and,
when it asked for a writable buffer, the bytes it changed are written back when
it releases the buffer (the span from the first changed byte to the last, so a
write by another process inside that span meanwhile is overwritten).
"""
import inspect
import struct
import weakref

#: memoryview.cast's formats, as a 64-bit Linux CPython lays them out ('l' is 8 bytes there, 4 in Pyodide).
_CAST_FORMATS = {'b': 'b', 'B': 'B', 'c': 'c', 'h': 'h', 'H': 'H', 'i': 'i', 'I': 'I', 'l': 'q', 'L': 'Q',
                 'q': 'q', 'Q': 'Q', 'n': 'q', 'N': 'Q', 'f': 'f', 'd': 'd', '?': '?'}


class BufferCopies:
    """PEP 688's buffer protocol over shared bytes: see the module comment. Needs _read_all() and _write_at(offset, data)."""

    def __buffer__(self, flags):
        original = self._read_all()
        if not flags & inspect.BufferFlags.WRITABLE:
            return memoryview(original)
        copy = bytearray(original)
        view = memoryview(copy)
        self.__dict__.setdefault('_lent', {})[id(view)] = (original, copy)
        return view

    def __release_buffer__(self, view):
        lent = self.__dict__.get('_lent', {}).pop(id(view), None)
        if lent is None:
            return
        original, copy = lent
        first, last = _changed_span(original, copy)
        if first is not None:
            self._write_at(first, bytes(copy[first:last]))


def _changed_span(before, after):
    """(first, end) of the bytes that differ, or (None, None)."""
    if before == after:
        return None, None
    first = 0
    while before[first] == after[first]:
        first += 1
    end = len(after)
    while before[end - 1] == after[end - 1]:
        end -= 1
    return first, end


class Lease:
    """What a SharedMemory lent: whether it took its bytes back, and the views made from its buf (each slice, cast)."""

    def __init__(self):
        self.closed = False
        self._views = {}

    def lend(self, view):
        key = id(view)
        self._views[key] = weakref.ref(view, lambda _, views=self._views, key=key: views.pop(key, None))
        return view

    def exported(self):
        """Whether a view made from buf is still alive and unreleased (CPython's mmap refuses to close then)."""
        views = [ref() for ref in list(self._views.values())]
        return any(view is not None and not view._released for view in views)


class SharedBytes(BufferCopies):
    """A live memoryview-like view of shared bytes (format 'B', or one cast() gave)."""

    def __init__(self, array, lease, format='B'):
        self._array = array
        self._lease = lease
        self._released = False
        self._format = format
        self._item = struct.Struct('<' + _CAST_FORMATS[format])
        self._count = array.length // self._item.size

    # ------------------------------------------------------------ memoryview's attributes

    @property
    def nbytes(self):
        return self._open().length

    @property
    def format(self):
        return self._format

    @property
    def itemsize(self):
        return self._item.size

    @property
    def shape(self):
        return (len(self),)

    @property
    def strides(self):
        return (self._item.size,)

    readonly = False
    ndim = 1
    contiguous = c_contiguous = f_contiguous = True

    def __len__(self):
        self._open()
        return self._count

    # ------------------------------------------------------------ items and slices

    def __getitem__(self, key):
        array = self._open()
        if isinstance(key, slice):
            start, stop, step = key.indices(self._count)
            if step == 1:
                size = self._item.size
                return self._lease.lend(SharedBytes(array.subarray(start * size, max(start, stop) * size), self._lease, self._format))
            return memoryview(self.tobytes()).cast(self._format)[key]
        index = self._index(key)
        if self._format == 'B':
            return array[index]
        return self._item.unpack(self._bytes_of(index))[0]

    def __setitem__(self, key, value):
        array = self._open()
        if isinstance(key, slice):
            self._assign_slice(array, key, value)
            return
        index = self._index(key)
        if self._format == 'B':
            if not isinstance(value, int):
                raise TypeError("memoryview: invalid type for format 'B'")
            if not 0 <= value <= 255:
                raise ValueError("memoryview: invalid value for format 'B'")
            array[index] = value
            return
        try:
            packed = self._item.pack(value)
        except struct.error:
            raise ValueError(f"memoryview: invalid value for format '{self._format}'") from None
        size = self._item.size
        array.subarray(index * size, index * size + size).assign(packed)

    def _assign_slice(self, array, key, value):
        start, stop, step = key.indices(self._count)
        try:
            data = memoryview(value).tobytes()
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None
        size = self._item.size
        targets = range(start, stop, step)
        if len(data) != len(targets) * size:
            raise ValueError("memoryview assignment: lvalue and rvalue have different structures")
        if step == 1:
            array.subarray(start * size, max(start, stop) * size).assign(data)
            return
        for n, index in enumerate(targets):
            array.subarray(index * size, index * size + size).assign(data[n * size:(n + 1) * size])

    def _index(self, key):
        if not hasattr(key, '__index__'):
            raise TypeError("memoryview: invalid slice key")
        index = key.__index__()
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("index out of bounds on dimension 1")
        return index

    def _bytes_of(self, index):
        size = self._item.size
        return self._array.subarray(index * size, index * size + size).to_bytes()

    # ------------------------------------------------------------ as a whole

    def tobytes(self, order=None):
        return self._open().to_bytes()

    __bytes__ = tobytes

    def tolist(self):
        data = self.tobytes()
        if self._format == 'B':
            return list(data)
        return [item for (item,) in self._item.iter_unpack(data)]

    def hex(self, *args):
        return self.tobytes().hex(*args)

    def __iter__(self):
        return iter(self.tolist())

    def __eq__(self, other):
        if isinstance(other, SharedBytes):
            return self.tolist() == other.tolist()
        try:
            return self.tolist() == memoryview(other).tolist()
        except TypeError:
            return NotImplemented

    __hash__ = None

    def cast(self, format):
        if format not in _CAST_FORMATS:
            raise ValueError("memoryview: destination format must be a native single character format prefixed with an optional '@'")
        array = self._open()
        if self._format != 'B' and format != 'B':
            raise TypeError("memoryview: cannot cast between two non-byte formats")
        if array.length % struct.calcsize('<' + _CAST_FORMATS[format]):
            raise TypeError("memoryview: length is not a multiple of itemsize")
        return self._lease.lend(SharedBytes(array, self._lease, format))

    def release(self):
        self._released = True

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.release()

    def __repr__(self):
        return f"<memory at {id(self):#x}>"

    def _read_all(self):
        return self.tobytes()

    def _write_at(self, offset, data):
        self._array.subarray(offset, offset + len(data)).assign(data)

    def _open(self):
        if self._released or self._lease.closed:
            raise ValueError("operation forbidden on released memoryview object")
        return self._array
