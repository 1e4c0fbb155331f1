"""Brings a live interpreter back to the state of a fresh one, for the next process.

A crew thread keeps its interpreter after a process ends (src/python/kept-interpreter.ts)
and runs the next process on it rather than loading a fresh one from the snapshot.
capture() records a fresh interpreter's state once, before its first process;
reset(), after each process, puts it back:
  - sys.modules: every module imported since is removed (the script's __main__ or
    __mp_main__, its helper modules, standard modules it imported, and the shim's
    own modules, which hold the process's current_process, pid, process table slot
    and shared-object table: the next process imports them afresh), and the
    captured modules are put back where the script replaced or removed them;
  - the top-level names of every captured module (sys.argv, sys.stdout, a
    random.random or builtins.print the script replaced, a name it added to json):
    rebound as captured, added names deleted;
  - what is changed in place: sys.path, sys.meta_path and sys.path_hooks (with the
    importers of every folder a process can change dropped: the shim's and the
    standard library's are kept), os.environ, the working directory, warnings'
    filters, copyreg's tables, the atexit callbacks the process registered,
    weakref.finalize's registry,
    the recursion limit, trace and profile hooks, gc's settings;
  - then a full collection, so that nothing of the previous process stays
    reachable, and the finalizers of its objects in reference cycles run now, not
    in the next process. The fresh interpreter's own objects are frozen
    (gc.freeze) at capture(), so a collection walks only what processes made.
The runner reseeds `random` as each process starts (the snapshot holds one seeded
state, so a fresh interpreter needs it as much as a reused one).

What cannot be undone (an audit hook added with sys.addaudithook, which stays for
the interpreter's life; an atexit callback of the fresh interpreter's removed, or
one registered from C) marks the interpreter spoilt: reset() answers False and
the thread starts its next process on a fresh one. So does any error here.
Not undone: attributes set on the captured modules' classes (json.JSONEncoder.x)
and changes made through ctypes.
"""
import atexit
import copyreg
import gc
import os
import sys
import warnings
import weakref

_MISSING = object()
_baseline = None
_spoilt = False


class _Baseline:
    """A fresh interpreter's state, as reset() restores it."""

    def __init__(self):
        self.modules = dict(sys.modules)
        self.bindings = [(module.__dict__, dict(module.__dict__)) for name, module in self.modules.items()
                         if name != __name__ and isinstance(getattr(module, '__dict__', None), dict)]
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.filters = list(warnings.filters)
        self.dispatch_table = dict(copyreg.dispatch_table)
        self.extension_registry = (dict(copyreg._extension_registry), dict(copyreg._inverted_registry), dict(copyreg._extension_cache))
        self.finalizers = set(weakref.finalize._registry)
        self.atexit_callbacks = atexit._ncallbacks()
        self.recursion_limit = sys.getrecursionlimit()
        self.int_max_str_digits = sys.get_int_max_str_digits()
        self.gc_enabled = gc.isenabled()
        self.gc_threshold = gc.get_threshold()
        self.gc_callbacks = list(gc.callbacks)


def capture():
    """Records the interpreter's state as it is now (fresh, before its first process), and freezes its objects."""
    global _baseline
    _baseline = _Baseline()
    gc.freeze()


def spoil():
    """Something this interpreter cannot undo happened: it is not to be reused."""
    global _spoilt
    _spoilt = True


_real_addaudithook = sys.addaudithook
_real_atexit_register = atexit.register
_registered_at_exit = []


def _added_audit_hook(hook):
    spoil()
    _real_addaudithook(hook)


def _register_at_exit(func, *args, **kwargs):
    _registered_at_exit.append(func)
    return _real_atexit_register(func, *args, **kwargs)


def watch():
    """Called as a process starts: notes its atexit callbacks; what cannot be undone spoils the interpreter."""
    sys.addaudithook = _added_audit_hook
    atexit.register = _register_at_exit


#: Folders of the interpreter's own that no process changes: their importers (and the listings they
#: cache) are kept from one process to the next, which spares each process's imports the search.
_UNCHANGING = ('/memplay/', '/lib/')


def _forget_changeable_importers():
    """Drops the importers of every other path (a real folder, /tmp): a process may have added a module there."""
    for path in [path for path in sys.path_importer_cache if not (path + '/').startswith(_UNCHANGING)]:
        del sys.path_importer_cache[path]


def reset():
    """Brings the interpreter back to the captured state; False when it cannot be reused."""
    if _baseline is None or _spoilt:
        return False
    base = _baseline
    _clear_main_modules(base)
    _restore_modules(base)
    for current, saved in base.bindings:
        _restore_names(current, saved)
    sys.path[:] = base.path
    sys.meta_path[:] = base.meta_path
    sys.path_hooks[:] = base.path_hooks
    _forget_changeable_importers()
    _restore_dict(os.environ, base.environ)
    os.chdir(base.cwd)
    warnings.filters[:] = base.filters
    warnings._filters_mutated()
    _restore_dict(copyreg.dispatch_table, base.dispatch_table)
    for table, saved in zip((copyreg._extension_registry, copyreg._inverted_registry, copyreg._extension_cache), base.extension_registry):
        _restore_dict(table, saved)
    _unregister_at_exit(base)
    for finalizer in set(weakref.finalize._registry) - base.finalizers:
        finalizer.detach()
    sys.settrace(None)
    sys.setprofile(None)
    sys.setrecursionlimit(base.recursion_limit)
    sys.set_int_max_str_digits(base.int_max_str_digits)
    gc.callbacks[:] = base.gc_callbacks
    gc.set_threshold(*base.gc_threshold)
    if base.gc_enabled:
        gc.enable()
    else:
        gc.disable()
    gc.collect()
    return not _spoilt


def _unregister_at_exit(base):
    """Removes the callbacks the process registered; any other change (one removed, one from C) spoils the interpreter."""
    for func in _registered_at_exit:
        atexit.unregister(func)
    _registered_at_exit.clear()
    if atexit._ncallbacks() != base.atexit_callbacks:
        spoil()


def _clear_main_modules(base):
    """Empties the script's own module objects (__main__, __mp_main__), breaking the cycles through their functions."""
    for name in ('__main__', '__mp_main__'):
        module = sys.modules.get(name)
        if module is not None and module is not base.modules.get(name):
            module.__dict__.clear()


def _restore_modules(base):
    for name in [name for name in sys.modules if name not in base.modules]:
        del sys.modules[name]
    for name, module in base.modules.items():
        if sys.modules.get(name, _MISSING) is not module:
            sys.modules[name] = module


def _restore_names(current, saved):
    """Rebinds a module's names as saved (a dict comparison finds an untouched module without calling any __eq__)."""
    try:
        if current == saved:
            return
    except Exception:
        pass
    _restore_dict(current, saved)


def _restore_dict(current, saved):
    """Makes the mapping `current` hold exactly `saved`'s keys, each bound to the very same object."""
    for name in current.keys() - saved.keys():
        del current[name]
    for name, value in saved.items():
        if current.get(name, _MISSING) is not value:
            current[name] = value
