"""Reports, in the main process and in a child, whether anything an earlier run of this script left behind is seen; then leaves all of it behind.

Its last line must be the same in every run of a --repeat as in a single fresh
run. Each process also appends its first random.random() to the file named by
the first argument (each must differ, as in fresh CPython processes).
"""
import atexit
import builtins
import json
import os
import sys
import random
import warnings
from multiprocessing import Process, Queue, Value
from multiprocessing.shared_memory import SharedMemory

LEFT = globals().get('LEFT', 0)


def observe(role):
    with open(sys.argv[1], 'a') as draws:
        draws.write(f"{role} {random.random()!r}\n")
    helper_loaded = 'reuse_helper' in sys.modules
    import reuse_helper
    reuse_helper.imports += 1
    try:
        block = SharedMemory(name=f'memplay_reuse_{role}', create=True, size=16)
        block.buf[0] = 7
        shared_memory = 'created'
    except FileExistsError:
        shared_memory = 'exists'
    seen = [
        f"LEFT={LEFT}", f"helper_loaded={helper_loaded}", f"helper_imports={reuse_helper.imports}",
        f"leak_on_path={'/leak' in sys.path}", f"argv={len(sys.argv)}", f"env={os.environ.get('MEMPLAY_LEAK')}",
        f"cwd_is_tmp={os.getcwd() == '/tmp'}", f"json_leak={hasattr(json, 'leak')}", f"builtins_leak={hasattr(builtins, 'leak')}",
        f"atexit={atexit._ncallbacks()}", f"filters_ignore={any(f[0] == 'ignore' and f[2] is UserWarning for f in warnings.filters)}",
        f"shm={shared_memory}",
    ]
    globals()['LEFT'] = LEFT + 1
    sys.path.append('/leak')
    sys.argv.append('leak')
    os.environ['MEMPLAY_LEAK'] = 'left'
    json.leak = Value('i', 1)
    builtins.leak = block if shared_memory == 'created' else None
    atexit.register(lambda: None)
    warnings.simplefilter('ignore', UserWarning)
    random.seed(1)
    os.chdir('/tmp')
    return ' '.join(seen)


def child(queue):
    queue.put(observe('child'))


if __name__ == '__main__':
    main_seen = observe('main')
    queue = Queue()
    process = Process(target=child, args=(queue,))
    process.start()
    child_seen = queue.get()
    process.join()
    print(f"main: {main_seen} | child: {child_seen}")
