"""multiprocessing, backed by memplay's shared objects (src/mp, src/sync).

Each Process runs in a worker thread with its own interpreter (start() asks the
run's main thread for one); its target and arguments travel pickled as the spawn
start method sends them, and the shared objects below pickle as their memplay
handles, which attach in any worker. Every operation on a shared object is one
call into memplay's object of the same name: a synchronized Value takes its lock
for each read and each write, so `v.value += 1` loses updates unless the caller
holds `v.get_lock()`, as in CPython.

What is not here is refused by name (module __getattr__): one line, exit 2.
"""
import itertools
import os
import pickle
import struct
import base64

import _memplay
from pyodide.ffi import JsException, to_js
import js

__all__ = [
    'Process', 'current_process', 'parent_process', 'active_children', 'cpu_count',
    'Value', 'RawValue', 'Array', 'RawArray',
    'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier',
    'Queue', 'JoinableQueue', 'SimpleQueue', 'Pipe', 'Pool', 'get_start_method', 'set_start_method', 'get_context', 'freeze_support',
    'get_all_start_methods', 'get_logger', 'log_to_stderr',
    'TimeoutError', 'ProcessError', 'BufferTooShort', 'AuthenticationError',
]

SUPPORTED = ', '.join(__all__)


class ProcessError(Exception):
    pass


class BufferTooShort(ProcessError):
    pass


class TimeoutError(ProcessError):
    pass


class AuthenticationError(ProcessError):
    pass


def _unsupported(what, supported=SUPPORTED):
    from _memplay_runner import Unsupported
    return Unsupported(f"{what} is not supported by memplay yet (supported: {supported})")


#: The names CPython 3.11's multiprocessing has (its __all__ and its submodules): one memplay lacks is
#: refused by name; any other is an AttributeError, as in CPython (so hasattr() and getattr(m, n, d) work).
CPYTHON_NAMES = frozenset({
    'Array', 'AuthenticationError', 'Barrier', 'BoundedSemaphore', 'BufferTooShort', 'Condition', 'Event',
    'JoinableQueue', 'Lock', 'Manager', 'Pipe', 'Pool', 'Process', 'ProcessError', 'Queue', 'RLock', 'RawArray',
    'RawValue', 'Semaphore', 'SimpleQueue', 'TimeoutError', 'Value', 'active_children', 'allow_connection_pickling',
    'cpu_count', 'current_process', 'freeze_support', 'get_all_start_methods', 'get_context', 'get_logger',
    'get_start_method', 'log_to_stderr', 'parent_process', 'reducer', 'set_executable', 'set_forkserver_preload',
    'set_start_method',
    'connection', 'context', 'dummy', 'forkserver', 'heap', 'managers', 'pool', 'popen_fork', 'popen_forkserver',
    'popen_spawn_posix', 'popen_spawn_win32', 'process', 'queues', 'reduction', 'resource_sharer',
    'resource_tracker', 'shared_memory', 'sharedctypes', 'spawn', 'synchronize', 'util',
})


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    # One of the shim's own submodules (looked for beside this file: a finder would refuse CPython's others as modules).
    if os.path.exists(os.path.join(os.path.dirname(__file__), f"{name}.py")):
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    if name in CPYTHON_NAMES:
        raise _unsupported(f"multiprocessing.{name}")
    raise AttributeError(f"module 'multiprocessing' has no attribute '{name}'")


# ---------------------------------------------------------------- calls into memplay

_objects = _memplay.objects


def _js_args(args):
    return to_js([{'id': a._id} if isinstance(a, _Shared) else a for a in args], dict_converter=js.Object.fromEntries)


def _python_error(error):
    """The Python exception for an error memplay's objects raised (they carry Python's names)."""
    import builtins
    import threading
    name = getattr(error, 'name', 'Error')
    message = getattr(error, 'message', str(error))
    if name == 'BrokenBarrierError':
        return threading.BrokenBarrierError()
    if name == 'Unsupported':
        from _memplay_runner import Unsupported
        return Unsupported(message)
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        return cls(message)
    return RuntimeError(f"{name}: {message}")


def _translated(call):
    """call() into memplay: its error as the Python exception it names (a refusal as memplay's one line)."""
    try:
        return call()
    except JsException as error:
        raise _python_error(error) from None


def _call(id, method, *args):
    return _translated(lambda: _objects.call(id, method, _js_args(args)))


def _exploring():
    """Whether this process runs under memplay explore."""
    return getattr(_memplay, 'exploring', False)


def _script_line():
    """The line of the script (the __main__ file) the caller is at, or 0."""
    import sys
    main_file = getattr(sys.modules.get('__main__'), '__file__', None)
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename != main_file:
        frame = frame.f_back
    return 0 if frame is None else frame.f_lineno


def _blocking(call):
    """call(), a wait that may never end: the process table says at which line of the script, for the watchdog."""
    _memplay.blocked_at(_script_line())
    try:
        return call()
    finally:
        _memplay.blocked_at(0)


def _blocking_call(id, method, *args):
    return _blocking(lambda: _call(id, method, *args))


def _get(id, name):
    return _translated(lambda: _objects.get(id, name))


def _set(id, name, value):
    _translated(lambda: _objects.set(id, name, value))


def _create(kind, *args):
    return _translated(lambda: _objects.create(kind, _js_args(args)))


def _open(kind, *args):
    """A segment (a SharedMemory by name, a file's mapping) that outlives this process while others hold it."""
    return _translated(lambda: _objects.open(kind, _js_args(args)))


def _renamed(call, error_type, message):
    """call(), with memplay's threading-named error for a misuse raised as multiprocessing's."""
    try:
        return call()
    except (RuntimeError, ValueError):
        raise error_type(message) from None


_TOO_MANY_RELEASES = "semaphore or lock released too many times"


def _timeout_arg(timeout):
    """A timeout as CPython's SemLock takes it (Modules/_multiprocessing/semaphore.c): None waits for ever,
    a real number is seconds, a negative one is 0 (no wait at all)."""
    if timeout is None:
        return None
    if isinstance(timeout, (str, bytes, bytearray)) or not (hasattr(type(timeout), '__float__') or hasattr(type(timeout), '__index__')):
        raise TypeError(f"must be real number, not {type(timeout).__name__}")
    return max(0.0, float(timeout))


def _acquire_timeout(block, timeout):
    """SemLock.acquire's timeout: checked always, used only when blocking (acquire(False, 5) tries once)."""
    seconds = _timeout_arg(timeout)
    return seconds if block else None


# ---------------------------------------------------------------- pickling shared objects

_spawning = False
#: True while a child runs the main script as __mp_main__, before its target (spawn's bootstrapping phase).
_bootstrapping = False
#: multiprocessing.spawn's error for a Process started in that phase (CPython 3.11's Lib/multiprocessing/spawn.py).
_NOT_IMPORTING_MAIN = '''
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The "freeze_support()" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the "Safe importing of main module"
        section in https://docs.python.org/3/library/multiprocessing.html
        '''


class _Shared:
    """A memplay object held by id; pickles as its handle, only while a Process is being started."""
    _id = None

    def __reduce__(self):
        if not _spawning:
            raise RuntimeError(f"{type(self).__name__} objects should only be shared between processes through inheritance")
        return (_rebuild, (type(self), _objects.handle(self._id)))


def _rebuild(cls, handle):
    obj = cls.__new__(cls)
    obj._id = _objects.attach(handle)
    obj._attached()
    return obj


def _wrap_lock(id):
    cls = RLock if _objects.kind(id) == 'RLock' else Lock
    obj = cls.__new__(cls)
    obj._id = id
    return obj


# ---------------------------------------------------------------- locks and the other primitives

class _Acquirable(_Shared):
    def _attached(self):
        pass

    def acquire(self, block=True, timeout=None):
        seconds = _acquire_timeout(block, timeout)
        return bool(_blocking_call(self._id, 'acquire', bool(block), -1 if seconds is None else seconds))

    def release(self):
        _call(self._id, 'release')

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()


class _OwnedLock(_Acquirable):
    """Lock and RLock, which count this process's acquisitions less its releases, as CPython's SemLock
    does per process (its count is not pickled): a positive count makes the lock this process's in repr."""
    _count = 0

    def acquire(self, block=True, timeout=None):
        acquired = super().acquire(block, timeout)
        if acquired:
            self._count += 1
        return acquired

    def release(self):
        _renamed(lambda: _call(self._id, 'release'), *self._release_error)
        self._count -= 1

    def _owner(self):
        """Whose the lock is, as CPython's repr names it: this process, no one, or another process."""
        if self._count > 0:
            return current_process().name
        return 'SomeOtherProcess' if _call(self._id, 'locked') else 'None'


class Lock(_OwnedLock):
    _release_error = (ValueError, _TOO_MANY_RELEASES)

    def __init__(self, *, ctx=None):
        self._id = _create('Lock')

    def __repr__(self):
        return f"<Lock(owner={self._owner()})>"


class RLock(_OwnedLock):
    _release_error = (AssertionError, "attempt to release recursive lock not owned by thread")

    def __init__(self, *, ctx=None):
        self._id = _create('RLock')

    def __repr__(self):
        owner = self._owner()
        count = self._count if self._count > 0 else (0 if owner == 'None' else 'nonzero')
        return f"<RLock({owner}, {count})>"


class Semaphore(_Shared):
    _kind = 'Semaphore'

    def __init__(self, value=1, *, ctx=None):
        if value < 0:
            # sem_open(3) refuses a negative value with EINVAL, which CPython's SemLock raises as is.
            raise OSError(22, 'Invalid argument')
        self._id = _create(self._kind, value)

    def _attached(self):
        pass

    def acquire(self, block=True, timeout=None):
        return bool(_blocking_call(self._id, 'acquire', bool(block), _acquire_timeout(block, timeout)))

    def release(self):
        _renamed(lambda: _call(self._id, 'release'), ValueError, _TOO_MANY_RELEASES)

    def get_value(self):
        return _get(self._id, 'value')

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    def __repr__(self):
        return f"<{self._kind}(value={self.get_value()})>"


class BoundedSemaphore(Semaphore):
    _kind = 'BoundedSemaphore'

    def __init__(self, value=1, *, ctx=None):
        super().__init__(value)
        self._maxvalue = value

    def __reduce__(self):
        return (_rebuild_bounded, super().__reduce__()[1] + (self._maxvalue,))

    def __repr__(self):
        return f"<BoundedSemaphore(value={self.get_value()}, maxvalue={self._maxvalue})>"


def _rebuild_bounded(cls, handle, maxvalue):
    semaphore = _rebuild(cls, handle)
    semaphore._maxvalue = maxvalue
    return semaphore


class Condition(_Acquirable):
    def __init__(self, lock=None, *, ctx=None):
        self._id = _create('Condition', lock)

    def wait(self, timeout=None):
        return bool(_renamed(lambda: _blocking_call(self._id, 'wait', _timeout_arg(timeout)), AssertionError, "must acquire() condition before using wait()"))

    def wait_for(self, predicate, timeout=None):
        """As CPython's: wait until predicate() is true or the timeout passes; answers the last predicate()."""
        import time
        result = predicate()
        endtime = None
        waittime = timeout
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = time.monotonic() + waittime
                else:
                    waittime = endtime - time.monotonic()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        _renamed(lambda: _call(self._id, 'notify', n), AssertionError, "lock is not owned")

    def notify_all(self):
        _renamed(lambda: _call(self._id, 'notifyAll'), AssertionError, "lock is not owned")


class Event(_Shared):
    def __init__(self, *, ctx=None):
        self._id = _create('Event')

    def _attached(self):
        pass

    def is_set(self):
        return bool(_call(self._id, 'isSet'))

    def set(self):
        _call(self._id, 'set')

    def clear(self):
        _call(self._id, 'clear')

    def wait(self, timeout=None):
        return bool(_blocking_call(self._id, 'wait', _timeout_arg(timeout)))

    def __repr__(self):
        return f"<Event at {id(self):#x} {'set' if self.is_set() else 'unset'}>"


class Barrier(_Shared):
    def __init__(self, parties, action=None, timeout=None, *, ctx=None):
        if action is not None:
            raise _unsupported("multiprocessing.Barrier's action", "Barrier(parties, timeout=None) without an action")
        self._id = _create('Barrier', parties, _timeout_arg(timeout))

    def _attached(self):
        pass

    def wait(self, timeout=None):
        return _blocking_call(self._id, 'wait', _timeout_arg(timeout))

    def reset(self):
        _call(self._id, 'reset')

    def abort(self):
        _call(self._id, 'abort')

    @property
    def parties(self):
        return _get(self._id, 'parties')

    @property
    def n_waiting(self):
        return _get(self._id, 'nWaiting')

    @property
    def broken(self):
        return bool(_get(self._id, 'broken'))

    def __repr__(self):
        where = f"<multiprocessing.synchronize.Barrier at {id(self):#x}"
        return f"{where}: broken>" if self.broken else f"{where}: waiters={self.n_waiting}/{self.parties}>"


# ---------------------------------------------------------------- Value and Array

_CTYPES_CODES = {
    'c_byte': 'b', 'c_ubyte': 'B', 'c_short': 'h', 'c_ushort': 'H', 'c_int': 'i', 'c_uint': 'I',
    'c_long': 'l', 'c_ulong': 'L', 'c_longlong': 'q', 'c_ulonglong': 'Q', 'c_float': 'f', 'c_double': 'd',
    'c_int8': 'b', 'c_uint8': 'B', 'c_int16': 'h', 'c_uint16': 'H', 'c_int32': 'i', 'c_uint32': 'I',
    'c_int64': 'q', 'c_uint64': 'Q', 'c_bool': '?', 'c_char': 'c',
}
_CTYPES_NAMES = {'b': 'c_byte', 'B': 'c_ubyte', 'h': 'c_short', 'H': 'c_ushort', 'i': 'c_int', 'I': 'c_uint',
                 'l': 'c_long', 'L': 'c_ulong', 'q': 'c_long', 'Q': 'c_ulong', 'f': 'c_float', 'd': 'c_double',
                 '?': 'c_bool', 'c': 'c_char'}
_INTEGER_CODES = frozenset('bBhHiIlLqQ')
#: What a refused typecode or ctypes type names as supported instead.
_SUPPORTED_TYPES = "the typecodes b B h H i I l L q Q f d c, and " + ', '.join(sorted(_CTYPES_CODES))
#: The typecodes memplay's Value and Array do not have, each kept in one of memplay's bytes.
_STORED_AS = {'?': 'B', 'c': 'B'}


def _typecode(typecode_or_type):
    if isinstance(typecode_or_type, str):
        if typecode_or_type == 'u':
            raise _unsupported("the typecode 'u' (c_wchar)", _SUPPORTED_TYPES)
        if typecode_or_type not in _CTYPES_NAMES or typecode_or_type == '?':
            # sharedctypes looks a string up in its typecodes ('?' is not one: c_bool is a type) and sizes what it
            # gets; ctypes.sizeof of the string itself raises this.
            raise TypeError("this type has no size")
        return typecode_or_type
    name = getattr(typecode_or_type, '__name__', repr(typecode_or_type))
    if name not in _CTYPES_CODES:
        raise _unsupported(f"the ctypes type {name}", _SUPPORTED_TYPES)
    return _CTYPES_CODES[name]


def _decode(code, stored):
    """An item as Python sees it: a float for f and d, a bool for c_bool, one byte for c_char."""
    if code in 'fd':
        return float(stored)
    if code == '?':
        return bool(stored)
    if code == 'c':
        return bytes([stored])
    # A 64-bit item (l, L, q, Q) comes from memplay as a JavaScript BigInt: Python sees an int.
    return int(stored)


def _encode(code, value):
    """What memplay stores for an item assigned from Python (ctypes' conversions for c_bool and c_char)."""
    if code == '?':
        return 1 if value else 0
    if code == 'c':
        if isinstance(value, (bytes, bytearray)) and len(value) == 1:
            return value[0]
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 256:
            return value
        raise TypeError("one character bytes, bytearray or integer expected")
    if code in _INTEGER_CODES and not hasattr(type(value), '__index__'):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    return value


def _lock_arg(lock):
    if lock is True or lock is False:
        return lock
    if isinstance(lock, (Lock, RLock)):
        return lock
    raise AttributeError(f"'{type(lock).__name__}' object has no attribute 'acquire'")


class _SynchronizedOnly:
    """A method of the synchronized wrapper only: a raw Value or Array (RawValue, lock=False) has no such
    attribute, as CPython's bare ctypes object has none (hasattr answers False)."""

    def __init__(self, function):
        self._function = function

    def __set_name__(self, owner, name):
        self._name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self._function
        if obj._raw:
            raise AttributeError(f"'{obj._raw_name}' object has no attribute '{self._name}'")
        return self._function.__get__(obj, owner)


class _Synchronized(_Shared):
    def _attached(self):
        self._code = _get(self._id, 'typecode')

    def _item(self, value):
        return _decode(self._code, value)

    @_SynchronizedOnly
    def get_lock(self):
        if getattr(self, '_lock', None) is None:
            self._lock = _wrap_lock(_call(self._id, 'getLock'))
        return self._lock

    @_SynchronizedOnly
    def get_obj(self):
        return self

    def __enter__(self):
        return self.get_lock().__enter__()

    def __exit__(self, *args):
        return self.get_lock().__exit__(*args)

    def __reduce__(self):
        if not _spawning:
            raise RuntimeError(f"{type(self).__name__} objects should only be shared between processes through inheritance")
        return (_rebuild_synchronized, (type(self), _objects.handle(self._id), self._raw, self._code))


def _rebuild_synchronized(cls, handle, raw, code):
    obj = _rebuild(cls, handle)
    obj._raw = raw
    obj._code = code
    return obj


class _Value(_Synchronized):
    @property
    def _raw_name(self):
        """The name of CPython's bare ctypes object for this Value (c_int, c_double, ...)."""
        return _CTYPES_NAMES[self._code]

    @property
    def value(self):
        return self._item(_get(self._id, 'value'))

    @value.setter
    def value(self, new):
        _set(self._id, 'value', _encode(self._code, new))

    def __repr__(self):
        name = _CTYPES_NAMES[self._code]
        if self._raw:
            return f"{name}({self.value!r})"
        return f"<Synchronized wrapper for {name}({self.value!r})>"


class _Array(_Synchronized):
    @property
    def _raw_name(self):
        """The name of CPython's bare ctypes array type for this Array (c_int_Array_3, ...)."""
        return f"{_CTYPES_NAMES[self._code]}_Array_{len(self)}"
    def __len__(self):
        return _get(self._id, 'length')

    def __getitem__(self, index):
        if isinstance(index, slice):
            items = self._snapshot()[index]
            return b''.join(items) if self._code == 'c' else items
        return self._item(_call(self._id, 'get', self._index(index, 'indices must be integers')))

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            indexes = range(*index.indices(len(self)))
            values = [bytes([v]) for v in value] if self._code == 'c' and isinstance(value, (bytes, bytearray)) else list(value)
            if len(values) != len(indexes):
                raise ValueError("Can only assign sequence of same size")
            for i, v in zip(indexes, values):
                _call(self._id, 'set', i, _encode(self._code, v))
            return
        _call(self._id, 'set', self._index(index, 'indices must be integer'), _encode(self._code, value))

    @property
    def value(self):
        """A c_char array's bytes up to its first NUL."""
        self._chars_only('value')
        return self.raw.split(b'\0', 1)[0]

    @value.setter
    def value(self, new):
        self._chars_only('value')
        if not isinstance(new, bytes):
            raise TypeError(f"bytes expected instead of {type(new).__name__} instance")
        if len(new) > len(self):
            raise ValueError("byte string too long")
        self[:len(new) + (len(new) < len(self))] = bytes(new) + (b'\0' if len(new) < len(self) else b'')

    def __bytes__(self):
        """bytes(array): a raw array's memory, as ctypes' buffer gives it; a synchronized one's items, as
        bytes() iterates it (the wrapper has no buffer: a c_char one's items are bytes, a TypeError)."""
        if not self._raw:
            return bytes(iter(self))
        if self._code == 'c':
            return self.raw
        return struct.pack(f'{len(self)}{self._code}', *self[:])

    @property
    def raw(self):
        """A c_char array's bytes, all of them."""
        self._chars_only('raw')
        return self[:]

    @raw.setter
    def raw(self, new):
        """Writes bytes at the start of a c_char array, the rest left as it was (ctypes' CharArray_set_raw)."""
        self._chars_only('raw')
        if not isinstance(new, (bytes, bytearray, memoryview)):
            raise TypeError(f"a bytes-like object is required, not '{type(new).__name__}'")
        new = bytes(new)
        if len(new) > len(self):
            raise ValueError("byte string too long")
        self[:len(new)] = new

    def _chars_only(self, name):
        if self._code != 'c':
            kind = self._raw_name if self._raw else 'SynchronizedArray'
            raise AttributeError(f"'{kind}' object has no attribute '{name}'")

    def _index(self, index, not_integer):
        """The item's position, counted from the end when negative; outside the array, ctypes' IndexError;
        not an integer, ctypes' TypeError (`not_integer`: its getitem and setitem word it apart)."""
        if not hasattr(type(index), '__index__'):
            raise TypeError(not_integer)
        index = index.__index__()
        length = len(self)
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise IndexError('invalid index')
        return position

    def _snapshot(self):
        return [self._item(item) for item in _call(self._id, 'toArray').to_py()]

    def __repr__(self):
        bare = f"<multiprocessing.sharedctypes.{self._raw_name} object at {id(self):#x}>"
        if self._raw:
            return bare
        return f"<{'SynchronizedString' if self._code == 'c' else 'SynchronizedArray'} wrapper for {bare}>"


def _keep_given_lock(shared, lock):
    """lock=False makes a raw object; a Lock or RLock given is the very one get_lock() answers, as in CPython."""
    shared._raw = lock is False
    if isinstance(lock, (Lock, RLock)):
        shared._lock = lock


def Value(typecode_or_type, *args, lock=True, ctx=None):
    code = _typecode(typecode_or_type)
    if len(args) > 1:
        raise TypeError(f"__init__ expected at most 1 argument, got {len(args)}")
    value = _Value.__new__(_Value)
    value._id = _create('Value', _STORED_AS.get(code, code), _encode(code, args[0]) if args else 0, _lock_arg(lock))
    _keep_given_lock(value, lock)
    value._attached()
    value._code = code
    return value


def RawValue(typecode_or_type, *args):
    return Value(typecode_or_type, *args, lock=False)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    code = _typecode(typecode_or_type)
    if isinstance(size_or_initializer, int):
        if size_or_initializer < 0:
            raise ValueError(f"Array length must be >= 0, not {size_or_initializer}")
        init = size_or_initializer
    elif code == 'c' and isinstance(size_or_initializer, (bytes, bytearray)):
        init = list(size_or_initializer)
    else:
        len(size_or_initializer)  # sharedctypes sizes the array first: a size that is no int nor sequence fails here
        init = [_encode(code, item) for item in size_or_initializer]
    array = _Array.__new__(_Array)
    array._id = _create('Array', _STORED_AS.get(code, code), init, _lock_arg(lock))
    _keep_given_lock(array, lock)
    array._attached()
    array._code = code
    return array


def RawArray(typecode_or_type, size_or_initializer):
    return Array(typecode_or_type, size_or_initializer, lock=False)


# ---------------------------------------------------------------- processes

class BaseProcess:
    """multiprocessing.Process: run() in a new interpreter of its own, started by start()."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None):
        assert group is None, 'group argument must be None for now'
        parent = _current
        count = next(parent._counter)
        self._identity = parent._identity + (count,)
        self._counter = itertools.count(1)
        self._parent_pid = parent.pid
        self._slot = None
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._name = name or type(self).__name__ + '-' + ':'.join(str(i) for i in self._identity)
        self._daemon = parent.daemon if daemon is None else daemon
        self._closed = False

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        self._check_closed()
        assert self._slot is None, 'cannot start a process twice'
        assert self._parent_pid == _memplay.pid, 'can only start a process object created by current process'
        assert not _current.daemon, 'daemonic processes are not allowed to have children'
        if _bootstrapping:
            raise RuntimeError(_NOT_IMPORTING_MAIN)
        global _spawning
        _spawning = True
        try:
            payload = base64.b64encode(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)).decode()
        finally:
            _spawning = False
        self._slot = _translated(lambda: _memplay.spawn(self._name, payload))
        _children.add(self)

    def __getstate__(self):
        state = dict(self.__dict__)
        state['_slot'] = None
        del state['_counter']
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._counter = itertools.count(1)

    def join(self, timeout=None):
        self._check_closed()
        assert self._parent_pid == _memplay.pid, 'can only join a child process'
        assert self._slot is not None, 'can only join a started process'
        if _blocking(lambda: _memplay.wait_exit(self._slot, None if timeout is None else float(timeout))):
            _children.discard(self)

    def is_alive(self):
        self._check_closed()
        if self is _current:
            return True
        if self._slot is None:
            return False
        return _memplay.exit_code(self._slot) is None

    def terminate(self):
        self._end(15)

    def kill(self):
        self._end(9)

    def _end(self, signal):
        """Ends the process as the signal would (SIGTERM 15, SIGKILL 9): its exitcode becomes -signal."""
        self._check_closed()
        if self._slot is not None:
            _translated(lambda: _memplay.terminate(self._slot, signal))

    def close(self):
        if self._slot is not None and _memplay.exit_code(self._slot) is None:
            raise ValueError("Cannot close a process while it is still running. You should first call join() or terminate().")
        self._closed = True

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), 'name must be a string'
        self._name = name

    @property
    def daemon(self):
        return self._daemon

    @daemon.setter
    def daemon(self, daemonic):
        assert self._slot is None, 'process has already started'
        self._daemon = daemonic

    @property
    def exitcode(self):
        self._check_closed()
        if self._slot is None:
            return None
        return _memplay.exit_code(self._slot)

    @property
    def pid(self):
        self._check_closed()
        if self is _current:
            return _memplay.pid
        return None if self._slot is None else _memplay.first_pid + self._slot

    ident = pid

    @property
    def sentinel(self):
        raise _unsupported("Process.sentinel (and multiprocessing.connection.wait)")

    def __repr__(self):
        """As CPython 3.11's BaseProcess.__repr__: the pid of a child this process started (none for itself, nor
        once closed), its status, and its exit code by signal name when a signal ended it."""
        exitcode = None
        started_here = self is not _current and not self._closed and self._slot is not None
        if self is _current:
            status = 'started'
        elif self._closed:
            status = 'closed'
        elif self._slot is None:
            status = 'initial'
        else:
            exitcode = _memplay.exit_code(self._slot)
            status = 'started' if exitcode is None else 'stopped'
        info = [type(self).__name__, f'name={self._name!r}']
        if started_here:
            info.append(f'pid={_memplay.first_pid + self._slot}')
        info.append(f'parent={self._parent_pid}')
        info.append(status)
        if exitcode is not None:
            info.append(f'exitcode={_exitcode_name(exitcode)}')
        if self._daemon:
            info.append('daemon')
        return '<' + ' '.join(info) + '>'


def _exitcode_name(exitcode):
    """-15 as '-SIGTERM', as multiprocessing's _exitcode_to_name names an exit by signal; other codes as they are."""
    import signal
    try:
        return f'-{signal.Signals(-exitcode).name}' if exitcode < 0 else exitcode
    except ValueError:
        return exitcode


class Process(BaseProcess):
    pass


class _MainProcess(BaseProcess):
    def __init__(self):
        self._identity = ()
        self._counter = itertools.count(1)
        self._name = 'MainProcess'
        self._parent_pid = None
        self._daemon = False
        self._slot = _memplay.slot
        self._closed = False
        self._target = None
        self._args = ()
        self._kwargs = {}


_current = _MainProcess()
_parent = None
_children = set()


def _become(process):
    """In a child: the unpickled Process object is now this process (current_process())."""
    global _current, _parent
    _parent = _MainProcess()
    _parent._slot = process._parent_pid - _memplay.first_pid
    _parent._name = 'MainProcess' if len(process._identity) == 1 else 'Process-' + ':'.join(map(str, process._identity[:-1]))
    process._slot = _memplay.slot
    _current = process
    parent_pid = process._parent_pid
    os.getppid = lambda: parent_pid


def current_process():
    return _current


def parent_process():
    return _parent


def active_children():
    for child in list(_children):
        if not child.is_alive():
            _children.discard(child)
    return list(_children)


def _exit_function():
    """At the end of a process: terminate daemonic children, join the others (multiprocessing.util), then close its pipes' ends."""
    for child in active_children():
        if child.daemon:
            child.terminate()
    for child in active_children():
        child.join()
    import sys
    if 'multiprocessing.connection' in sys.modules:
        sys.modules['multiprocessing.connection']._close_all()


def cpu_count():
    return _memplay.cpu_count


def get_start_method(allow_none=False):
    return 'spawn'


def set_start_method(method, force=False):
    if method != 'spawn':
        raise _unsupported(f"the start method {method!r} (memplay starts processes as 'spawn' does)", "'spawn'")


def get_context(method=None):
    if method not in (None, 'spawn'):
        raise _unsupported(f"the start method {method!r} (memplay starts processes as 'spawn' does)", "'spawn'")
    import sys
    return sys.modules[__name__]


def get_all_start_methods():
    return ['spawn']


def freeze_support():
    pass


def get_all_start_methods():
    return ['spawn']


def get_logger():
    import logging
    return logging.getLogger('multiprocessing')


def log_to_stderr(level=None):
    import logging
    logger = get_logger()
    if not any(getattr(handler, '_memplay_stderr', False) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter('[%(levelname)s/%(processName)s] %(message)s'))
        handler._memplay_stderr = True
        logger.addHandler(handler)
    if level:
        logger.setLevel(level)
    return logger


def Queue(maxsize=0, *, ctx=None):
    from multiprocessing.queues import Queue
    return Queue(maxsize)


def JoinableQueue(maxsize=0, *, ctx=None):
    from multiprocessing.queues import JoinableQueue
    return JoinableQueue(maxsize)


def SimpleQueue(*, ctx=None):
    from multiprocessing.queues import SimpleQueue
    return SimpleQueue()


def Pipe(duplex=True):
    from multiprocessing.connection import Pipe
    return Pipe(duplex)


def Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None):
    from multiprocessing.pool import Pool
    return Pool(processes, initializer, initargs, maxtasksperchild)
