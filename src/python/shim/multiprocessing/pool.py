"""multiprocessing.Pool, small: worker Processes that take tasks from one Queue
and put results on another (memplay's Queue, queues.py), as CPython's pool does
with its task and result queues, but without its handler threads: results are
collected by the caller's own get(), map() or join().

Supported: Pool(processes, initializer, initargs), apply, apply_async (with
.get(timeout), .wait, .ready, .successful, and callback and error_callback, run
when the caller collects the last result), map, starmap, map_async, starmap_async,
imap and imap_unordered (their iterators' next(timeout) too), each sending its
items in chunks of chunksize per task (map's default as CPython's: the items over
four times the workers, rounded up), close, terminate, join,
and the `with` statement (which terminates on exit, as CPython's does).
Functions and arguments are pickled by name, as in CPython; an exception in a
task is raised again by get(), its cause a RemoteTraceback holding the worker's
traceback (the script's own lines), as CPython's pool sends it back; a result or
exception that cannot be pickled comes back as a MaybeEncodingError.
"""
import itertools
import os
import pickle

import multiprocessing as _mp
from multiprocessing.queues import Queue



def __getattr__(name):
    """CPython's ThreadPool is refused by name (one line, exit 2); any other missing name is an AttributeError."""
    if name == 'ThreadPool':
        raise _mp._unsupported("multiprocessing.pool.ThreadPool")
    raise AttributeError(f"module 'multiprocessing.pool' has no attribute '{name}'")


_STOP = None
#: How long terminate() lets a worker finish its task and take the stop sentinel before ending its thread.
_GRACE_SECONDS = 5


def _worker(tasks, results, initializer, initargs):
    if initializer is not None:
        initializer(*initargs)
    while (task := tasks.get()) is not _STOP:
        job, first, func, items = task
        outcomes = [_outcome(func, args, kwargs) for args, kwargs in items]
        try:
            payload = pickle.dumps(outcomes)
        except Exception:
            payload = pickle.dumps([_picklable(outcome) for outcome in outcomes])
        # Pickled here, unpickled by the caller's _collect: a chunk that cannot be unpickled there is its items' error.
        try:
            results.put((job, first, len(items), payload))
        except ValueError as error:
            # Too big for memplay's Queue: the caller's get() raises why, rather than wait for a worker that died.
            results.put((job, first, len(items), pickle.dumps([(False, error)] * len(items))))


def _outcome(func, args, kwargs):
    """(True, func's result) or (False, its exception)."""
    try:
        return (True, func(*args, **kwargs))
    except Exception as error:
        return (False, ExceptionWithTraceback(error))


def _picklable(outcome):
    """The outcome, or, when it cannot be pickled, the MaybeEncodingError CPython's pool sends back instead."""
    try:
        pickle.dumps(outcome)
    except Exception as error:
        return (False, MaybeEncodingError(error, outcome[1]))
    return outcome


class MaybeEncodingError(Exception):
    """A task's result or exception that could not be pickled back to the caller (CPython's, as it words it)."""

    def __init__(self, exc, value):
        self.exc = repr(exc)
        self.value = repr(value)
        super().__init__(self.exc, self.value)

    def __str__(self):
        return f"Error sending result: '{self.value}'. Reason: '{self.exc}'"

    def __repr__(self):
        return f"<{type(self).__name__}: {self}>"


class RemoteTraceback(Exception):
    """The traceback of a task's exception in its worker, as the cause of the exception get() raises (CPython's)."""

    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class ExceptionWithTraceback:
    """A task's exception on its way back: it arrives with its worker's traceback (the script's own lines) as __cause__."""

    def __init__(self, error):
        from _memplay_runner import script_traceback
        self._error = error
        self._tb = f'\n"""\n{script_traceback(error)}"""'

    def __reduce__(self):
        return _rebuild_exception, (self._error, self._tb)


def _rebuild_exception(error, tb):
    error.__cause__ = RemoteTraceback(tb)
    return error


class ApplyResult:
    """What apply_async answers (map_async: MapResult). Its callback (or error_callback) runs once every item has
    arrived, when the caller's get(), wait(), ready() or join() collects the last one: CPython's runs on the
    pool's result-handler thread, which a Pyodide process does not have."""

    def __init__(self, pool, job, count, single, callback=None, error_callback=None):
        self._pool = pool
        self._callback = callback
        self._error_callback = error_callback
        self._job = job
        self._values = [None] * count
        #: (ok, value) of each item, in the order of the items, once it has arrived; and the order of arrival.
        self._outcomes = [None] * count
        self._arrived = []
        self._missing = count
        self._error = None
        self._single = single

    def _set(self, index, result):
        ok, value = result
        self._outcomes[index] = result
        self._arrived.append(index)
        if ok:
            self._values[index] = value
        elif self._error is None:
            self._error = value
        self._missing -= 1
        if self._missing == 0:
            self._call_back()

    def _call_back(self):
        if self._error is None and self._callback is not None:
            self._callback(self._values[0] if self._single else self._values)
        elif self._error is not None and self._error_callback is not None:
            self._error_callback(self._error)

    def ready(self):
        self._pool._collect(block=False)
        return self._missing == 0

    def successful(self):
        if not self.ready():
            raise ValueError(f"{self!r} not ready")
        return self._error is None

    def wait(self, timeout=None):
        self._pool._collect_until(lambda: self._missing == 0, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if self._missing:
            raise _mp.TimeoutError
        if self._error is not None:
            raise self._error
        return self._values[0] if self._single else self._values


class IMapIterator:
    """The iterator imap (in the items' order) and imap_unordered (in the order results arrive) return."""

    def __init__(self, result, ordered):
        self._result = result
        self._ordered = ordered
        self._taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self, timeout=None):
        result = self._result
        if self._taken == len(result._outcomes):
            raise StopIteration
        arrived = (lambda: result._outcomes[self._taken] is not None) if self._ordered else (lambda: len(result._arrived) > self._taken)
        result._pool._collect_until(arrived, timeout)
        if not arrived():
            raise _mp.TimeoutError
        index = self._taken if self._ordered else result._arrived[self._taken]
        self._taken += 1
        ok, value = result._outcomes[index]
        if not ok:
            raise value
        return value


class MapResult(ApplyResult):
    pass


#: CPython's name for both.
AsyncResult = ApplyResult


def _check_chunksize(chunksize):
    if chunksize < 1:
        raise ValueError(f"Chunksize must be 1+, not {chunksize:n}")


class Pool:
    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        self._tasks, self._results = Queue(), Queue()
        self._jobs = {}
        self._job_ids = itertools.count()
        self._state = 'RUN'
        self._pool = [_mp.Process(target=_worker, args=(self._tasks, self._results, initializer, initargs), daemon=True)
                      for _ in range(processes)]
        for index, process in enumerate(self._pool):
            process.name = process.name.replace('Process', 'SpawnPoolWorker')
            process.start()

    def _check_running(self):
        if self._state != 'RUN':
            raise ValueError("Pool not running")

    def _submit(self, func, arg_lists, single, callback=None, error_callback=None, chunksize=1):
        """Puts the items on the task queue in chunks of `chunksize` (one task each, as CPython's pool does)."""
        self._check_running()
        job = next(self._job_ids)
        result = (ApplyResult if single else MapResult)(self, job, len(arg_lists), single, callback, error_callback)
        self._jobs[job] = result
        for first in range(0, len(arg_lists), chunksize):
            self._tasks.put((job, first, func, arg_lists[first:first + chunksize]))
        return result

    def _chunksize(self, items, chunksize):
        """CPython's map chunksize when none is given: the items over four times the workers, rounded up."""
        if chunksize is not None and chunksize >= 1:
            return chunksize
        size, extra = divmod(len(items), len(self._pool) * 4)
        return max(1, size + (1 if extra else 0))

    def _collect(self, block, timeout=None):
        """Takes one result off the result queue (waiting when block), and gives it to its AsyncResult."""
        from queue import Empty
        try:
            job, first, count, payload = self._results.get(block, timeout)
        except Empty:
            return False
        if self._state == 'TERMINATE':
            return True  # a terminated pool's tasks never deliver (CPython kills the workers that ran them)
        try:
            outcomes = pickle.loads(payload)
        except Exception as error:
            outcomes = [(False, error)] * count
        for index, outcome in enumerate(outcomes, first):
            self._jobs[job]._set(index, outcome)
        return True

    def _collect_until(self, done, timeout):
        import time
        deadline = None if timeout is None else time.monotonic() + timeout
        while not done():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            self._collect(True, left)

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        # args go as they are: one that is no iterable fails in the worker's func(*args), as in CPython.
        return self._submit(func, [(args, dict(kwds))], True, callback, error_callback)

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        items = [((item,), {}) for item in iterable]
        return self._submit(func, items, False, callback, error_callback, self._chunksize(items, chunksize))

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        items = [(args, {}) for args in iterable]
        return self._submit(func, items, False, callback, error_callback, self._chunksize(items, chunksize))

    def imap(self, func, iterable, chunksize=1):
        _check_chunksize(chunksize)
        return IMapIterator(self.map_async(func, iterable, chunksize), ordered=True)

    def imap_unordered(self, func, iterable, chunksize=1):
        _check_chunksize(chunksize)
        return IMapIterator(self.map_async(func, iterable, chunksize), ordered=False)

    def map(self, func, iterable, chunksize=None):
        return self.map_async(func, iterable, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        return self.starmap_async(func, iterable, chunksize).get()

    def close(self):
        if self._state == 'RUN':
            self._state = 'CLOSE'
            for _ in self._pool:
                self._tasks.put(_STOP)

    def terminate(self):
        """Stops the workers: idle ones (waiting for a task) are told to stop and
        end by themselves; only those still busy after a moment are terminated.
        Terminating a worker's thread while it is inside memplay (holding the
        queue's lock, or the kernel's while it allocates a waiter slot) would leave
        that lock held for ever, and every later allocation of the run waits on it."""
        if self._state == 'RUN':
            self.close()
        # Results already back count, as CPython's result thread has taken them; a task still running never delivers.
        while self._state != 'TERMINATE' and self._collect(False):
            pass
        self._state = 'TERMINATE'
        for process in self._pool:
            process.join(_GRACE_SECONDS)
        for process in self._pool:
            if process.is_alive():
                process.terminate()

    def join(self):
        if self._state == 'RUN':
            raise ValueError("Pool is still running")
        self._collect_until(lambda: all(result._missing == 0 for result in self._jobs.values()) or self._state == 'TERMINATE', None)
        for process in self._pool:
            process.join()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()
