"""Runs one process of a user's script inside its own interpreter, as python3 would.

The main process runs the script as __main__. A child runs it as __mp_main__
(aliased as __main__, so that its functions unpickle by name, and the
`if __name__ == '__main__':` guard keeps the child from starting processes
again), then unpickles its Process object and calls its run(), exactly as
CPython's spawn start method does (multiprocessing/spawn.py).

run() answers [exit code, unsupported line or None]. An uncaught exception prints
the traceback of the script's own frames (the shim's are left out) and exits 1;
SystemExit gives its code; a SyntaxError prints CPython's message and exits 1;
memplay's Unsupported error is the one line the CLI prints (exit 2). `mmap` is
memplay's (_memplay_mmap.py): a real file's mapping is shared by the run's processes. At the end
of the main process, non-daemonic children are joined and daemonic ones
terminated, as multiprocessing's atexit hook does.

Each process seeds `random` anew (the snapshot holds one seeded state, which
every process would otherwise share). The interpreter may be one a previous
process used, brought back to its fresh state by _memplay_reset.py; a
MemoryError marks it unfit for reuse.
"""
import base64
import linecache
import os
import pickle
import random
import sys
import threading
import time
import traceback
import types

import _memplay
import _memplay_reset


class Unsupported(BaseException):
    """A feature of Python that memplay does not run; its message is one line for the CLI. A BaseException,
    as SystemExit is, so a script's `except Exception` does not swallow the refusal and run on."""


def _refuse_threads(self, *args, **kwargs):
    raise Unsupported(
        "threading.Thread cannot run: memplay gives each multiprocessing.Process its own interpreter, "
        "and one Pyodide interpreter has no threads (use multiprocessing.Process)")


def _refuse_fork(*args, **kwargs):
    raise Unsupported(
        "os.fork() cannot run: memplay gives each multiprocessing.Process its own interpreter, "
        "and one Pyodide interpreter cannot copy itself (use multiprocessing.Process)")


def _sleep(seconds):
    if not isinstance(seconds, (int, float)):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    import multiprocessing
    multiprocessing._blocking(lambda: _memplay.sleep(seconds))


def _install():
    """What every process starts with: memplay's sleep, mmap, pid and cpu count; `random` seeded anew, as a new CPython is."""
    _memplay_reset.watch()
    random.seed(getattr(_memplay, 'random_seed', None))
    time.sleep = _sleep
    threading.Thread.start = _refuse_threads
    os.fork = os.forkpty = _refuse_fork
    os.getpid = lambda: _memplay.pid
    os.cpu_count = lambda: _memplay.cpu_count
    import _memplay_mmap
    sys.modules['mmap'] = _memplay_mmap
    if not any(isinstance(finder, _RefusedSubmodules) for finder in sys.meta_path):
        sys.meta_path.append(_RefusedSubmodules())
    sys.modules['concurrent.futures.process'] = _RefusedModule(
        'concurrent.futures.process', "concurrent.futures.ProcessPoolExecutor is not supported by memplay yet (use multiprocessing.Pool)")


class _RefusedSubmodules:
    """Last on sys.meta_path: a submodule of CPython's multiprocessing that the shim does not have is refused by name."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.partition('.')
        if package == 'multiprocessing' and name:
            import multiprocessing
            if name in multiprocessing.CPYTHON_NAMES:
                raise multiprocessing._unsupported(f"the module {fullname}")
        return None


class _RefusedModule(types.ModuleType):
    """A module memplay does not provide: using any of its names is refused in one line."""

    def __init__(self, name, refusal):
        super().__init__(name)
        self._refusal = refusal

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise Unsupported(self.__dict__['_refusal'])


_script = None


def where():
    """The script's file:line and source line this process is at, '' outside the script (the explorer's step table)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename != _script:
        frame = frame.f_back
    if frame is None:
        return ''
    return f"{os.path.basename(_script)}:{frame.f_lineno} {linecache.getline(_script, frame.f_lineno).strip()}"


def run(script, source, payload, argv):
    global _script
    _script = script
    _install()
    sys.argv = [script, *argv]
    # As `python3 script.py` does: the script's folder (mounted at its real path) first on sys.path.
    sys.path.insert(0, os.path.dirname(script))
    linecache.cache[script] = (len(source), None, source.splitlines(True), script)
    try:
        code = compile(source, script, 'exec')
    except SyntaxError as error:
        if getattr(_memplay, 'exploring', False):
            # Under memplay explore the script's failure to compile is no outcome of a schedule: it refuses the search.
            return [1, f"it does not compile: {script}:{error.lineno}:{error.offset}: SyntaxError: {error.msg}"]
        sys.stderr.write(''.join(traceback.format_exception_only(error)))
        return [1, None]
    if payload is None:
        status = _run_main(script, code)
    else:
        status = _run_child(script, code, payload)
    _flush()
    return status


def _new_main(script, name):
    module = types.ModuleType(name)
    module.__file__ = script
    module.__builtins__ = __builtins__
    sys.modules['__main__'] = sys.modules[name] = module
    return module


#: How a shell sees python3 end on an uncaught KeyboardInterrupt: it dies by SIGINT, status 128 + 2.
_INTERRUPTED = 130


def _run_main(script, code):
    main = _new_main(script, '__main__')
    # As CPython's multiprocessing/__init__.py does: a child runs the script as __mp_main__, so what it pickles of
    # the script's own (an instance of its class, its exception) names __mp_main__, which the parent must find.
    sys.modules['__mp_main__'] = main
    status = _guarded(script, lambda: exec(code, main.__dict__), None, interrupted=_INTERRUPTED)
    _exit_hook(status)
    return status


def _run_child(script, code, payload):
    main = _new_main(script, '__mp_main__')
    import multiprocessing
    multiprocessing._bootstrapping = True
    try:
        status = _guarded(script, lambda: exec(code, main.__dict__), None)
    finally:
        multiprocessing._bootstrapping = False
    if status != [0, None]:
        return status
    process = pickle.loads(base64.b64decode(payload))
    multiprocessing._become(process)
    status = _guarded(script, process.run, f"Process {process.name}:\n")
    _exit_hook(status)
    return status


def _exit_hook(status):
    """multiprocessing's exit hook (join the children); its error is reported and ignored, as an atexit callback's is.
    A process memplay refused to run ends at once: its children are not waited for."""
    if status[1] is not None:
        return
    import multiprocessing
    try:
        multiprocessing._exit_function()
    except Exception:
        sys.stderr.write("Exception ignored in atexit callback:\n")
        traceback.print_exc()


def _guarded(script, body, header, interrupted=1):
    """Runs body(); answers [exit code, unsupported line or None] as the end of a Python process would
    (`interrupted`: the code for an uncaught KeyboardInterrupt; a child's is 1, as multiprocessing's)."""
    try:
        body()
        return [0, None]
    except Unsupported as error:
        return [2, str(error)]
    except SystemExit as exit:
        return [_exit_code(exit.code), None]
    except BaseException as error:
        if isinstance(error, MemoryError):
            _memplay_reset.spoil()
        _flush()
        sys.stderr.write((header or '') + _script_traceback(script, error))
        return [interrupted if isinstance(error, KeyboardInterrupt) else 1, None]


def _exit_code(code):
    """The exit status of sys.exit(code): an int as the OS keeps it (its low 8 bits: 300 -> 44, -1 -> 255)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


_CAUSE = '\nThe above exception was the direct cause of the following exception:\n\n'
_CONTEXT = '\nDuring handling of the above exception, another exception occurred:\n\n'


def script_traceback(error):
    """The traceback of `error` as this process prints it: the script's own lines (a Pool task's, for its caller)."""
    return _script_traceback(_script, error)


def _script_traceback(script, error, shown=None):
    """CPython's traceback of `error` and of the exceptions chained to it (raise ... from, or raised while
    handling), each with only the frames of the script's own lines."""
    shown = set() if shown is None else shown
    shown.add(id(error))
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in shown:
        return _script_traceback(script, cause, shown) + _CAUSE + _one_traceback(script, error)
    if context is not None and not error.__suppress_context__ and id(context) not in shown:
        return _script_traceback(script, context, shown) + _CONTEXT + _one_traceback(script, error)
    return _one_traceback(script, error)


def _one_traceback(script, error):
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == script]
    text = ''.join(traceback.format_exception_only(type(error), error))
    if not frames:
        return text
    return 'Traceback (most recent call last):\n' + ''.join(traceback.format_list(frames)) + text


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
