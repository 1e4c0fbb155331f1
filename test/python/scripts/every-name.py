"""Every multiprocessing name memplay supports (with shared_memory.SharedMemory
and mmap), used once or more, with output
that is the same on every run and under the real python3 (scripts/python-fixture.py
records python3's output of this file; test/python/run-script.test.ts compares)."""
import ctypes
import mmap
import multiprocessing as mp
import queue as queue_module
import re
import sys
import threading
import time
from multiprocessing import sharedctypes
from multiprocessing.shared_memory import SharedMemory


def report(name, value):
    print(f"{name}: {value}")


def square(x):
    return x * x


def scale(array, index, factor):
    return array_of_worker[index] * factor


def shared_memory_child(block, name):
    other = SharedMemory(name=name)
    other.buf[2:4] = bytes(block.buf[0:2])
    other.close()
    block.close()


def shared_memory_and_mmap():
    block = SharedMemory(create=True, size=8)
    block.buf[0:2] = b'hi'
    process = mp.Process(target=shared_memory_child, args=(block, block.name))
    process.start()
    process.join()
    report("shared memory", (bytes(block.buf[:4]), block.size, block.buf[1]))
    block.close()
    block.unlink()
    try:
        SharedMemory(name=block.name)
    except FileNotFoundError:
        report("shared memory unlinked", "FileNotFoundError")
    with open(__file__, 'rb') as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapping:
        report("mmap", (mapping[:3], mapping.readline().strip(), mapping.find(b'memplay') > 0))


def pipe_child(conn, out, simple):
    conn.send(['ping', conn.recv()])
    conn.send_bytes(b'raw', 0, 3)
    out.send(sum(range(4)))
    simple.put('simple')


def pipes_and_simple_queue():
    parent, kid = mp.Pipe()
    reader, writer = mp.Pipe(duplex=False)
    simple = mp.SimpleQueue()
    process = mp.Process(target=pipe_child, args=(kid, writer, simple))
    process.start()
    kid.close()
    writer.close()
    parent.send(7)
    report("pipe recv", parent.recv())
    report("pipe poll, recv_bytes", (parent.poll(10), parent.recv_bytes()))
    report("one-way pipe", (reader.recv(), reader.readable, reader.writable))
    report("simple queue", (simple.get(), simple.empty()))
    process.join()
    for end in (parent, reader):
        try:
            end.recv()
        except EOFError:
            report("pipe after the child's end", "EOFError")
    try:
        reader.send(1)
    except OSError as error:
        report("send on a read end", error)
    parent.close()
    try:
        parent.poll()
    except OSError as error:
        report("closed end", error)


def exits_with(code):
    sys.exit(code)


def ends_at_once(code):
    import os
    os._exit(code)


def waits(event):
    event.wait()


def exit_codes():
    for target, code in ((exits_with, 3), (ends_at_once, 7), (exits_with, 300), (exits_with, -1)):
        process = mp.Process(target=target, args=(code,))
        process.start()
        process.join()
        report(f"{target.__name__}({code}) exitcode", process.exitcode)
    event = mp.Event()
    for end in ('terminate', 'kill'):
        process = mp.Process(target=waits, args=(event,))
        process.start()
        time.sleep(0.2)
        getattr(process, end)()
        process.join()
        report(f"after {end}()", (process.exitcode, process.is_alive()))


def starts_a_child(results):
    try:
        mp.Process(target=square, args=(2,)).start()
        results.put('started')
    except AssertionError as error:
        results.put(str(error))


def tells_its_parent(results):
    import os
    results.put(os.getppid() == mp.parent_process().pid)


def family():
    results = mp.Queue()
    for target, daemon in ((starts_a_child, True), (tells_its_parent, False)):
        process = mp.Process(target=target, args=(results,), daemon=daemon)
        process.start()
        report(f"{target.__name__} (daemon={daemon})", results.get(timeout=10))
        process.join()


def keep_array(array):
    global array_of_worker
    array_of_worker = array


def child(counter, raw, array, raw_array, lock, rlock, semaphore, bounded, condition, event, barrier, ready, tasks, results):
    me = mp.current_process()
    report("child name", me.name)
    report("child pid is an int", isinstance(me.pid, int))
    report("parent is MainProcess", mp.parent_process().name)
    with lock:
        counter.value += 10
    with rlock:
        with rlock:
            raw.value += 1.5
    with counter.get_lock():
        array[0] += 1
    raw_array[1] = 7
    with semaphore:
        pass
    bounded.acquire()
    bounded.release()
    with condition:
        ready.value = 1
        condition.notify_all()
    event.wait(10)
    raw_array[2] = 1.0 if barrier.wait(10) in (0, 1) else -1.0
    item = tasks.get(timeout=10)
    tasks.task_done()
    results.put(item * 2)
    sys.exit(5)


def returns_a_lambda(x):
    return lambda: x


def attempt(name, call):
    """Reports what call() returns, or the exception it raises (type and message), addresses masked."""
    try:
        outcome = repr(call())
    except Exception as error:
        outcome = f"{type(error).__name__}: {error}"
    report(name, re.sub(r'0x[0-9a-f]+', '0x...', outcome))


def edges():
    """Timeouts, ctypes' errors and reprs, and results that cannot be pickled, as CPython has them."""
    lock, empty = mp.Lock(), mp.Semaphore(0)
    attempt("acquire(False, 1) when free", lambda: lock.acquire(False, 1))
    attempt("acquire(timeout=-1) when held", lambda: lock.acquire(timeout=-1))
    attempt("acquire(True, -5) when held", lambda: lock.acquire(True, -5))
    attempt("acquire(timeout='x')", lambda: lock.acquire(timeout='x'))
    lock.release()
    attempt("empty semaphore acquire(timeout=-1)", lambda: empty.acquire(timeout=-1))
    chars, ints = mp.Array('c', 5), mp.Array('i', 2)
    attempt("chars['x']", lambda: chars['x'])
    attempt("chars[1.0] = b'a'", lambda: chars.__setitem__(1.0, b'a'))
    attempt("chars.value = 'ab'", lambda: setattr(chars, 'value', 'ab'))
    attempt("chars.raw = 'ab'", lambda: setattr(chars, 'raw', 'ab'))
    attempt("chars.raw = b'abcdefg'", lambda: setattr(chars, 'raw', b'abcdefg'))
    chars.raw = b'xy'
    report("chars.raw after raw = b'xy'", (chars.raw, chars.value))
    attempt("ints[0] = 1.5", lambda: ints.__setitem__(0, 1.5))
    attempt("Value('i').value = None", lambda: setattr(mp.Value('i'), 'value', None))
    attempt("Array('i', -1)", lambda: mp.Array('i', -1))
    attempt("Array('i', 2.0)", lambda: mp.Array('i', 2.0))
    attempt("Value('z', 1)", lambda: mp.Value('z', 1))
    attempt("Array('?', 1)", lambda: mp.Array('?', 1))
    attempt("Value(ctypes.c_bool, True)", lambda: mp.Value(ctypes.c_bool, True).value)
    attempt("bytes(RawArray('c', b'ab'))", lambda: bytes(mp.RawArray('c', b'ab')))
    attempt("bytes(RawArray('i', [1, 2]))", lambda: bytes(mp.RawArray('i', [1, 2])))
    attempt("bytes(Array('c', 2))", lambda: bytes(mp.Array('c', 2)))
    attempt("reprs of arrays", lambda: (mp.Array('i', 3), mp.Array('c', 2), mp.RawArray('q', 2), mp.Value('q', 3)))
    barrier, event = mp.Barrier(2), mp.Event()
    attempt("repr of a Barrier", lambda: barrier)
    event.set()
    attempt("repr of a set Event", lambda: event)
    closed = mp.SimpleQueue()
    closed.close()
    attempt("SimpleQueue.get after close", closed.get)
    attempt("SimpleQueue.empty after close", closed.empty)
    with mp.Pool(1) as pool:
        try:
            pool.apply(returns_a_lambda, (1,))
        except mp.pool.MaybeEncodingError as error:  # its reason is pickle's own words, which differ between Pythons
            report("pool.apply of a task returning a lambda", f"{type(error).__name__} for {re.sub(r'0x[0-9a-f]+', '0x...', error.value)}")
        report("the pool after it", pool.apply(abs, (-5,)))
        attempt("pool.imap with chunksize 0", lambda: pool.imap(square, [1], chunksize=0))
    got, errors = [], []
    with mp.Pool(2) as pool:
        for x in range(3):
            pool.apply_async(square, (x,), callback=got.append)
        pool.map_async(square, [5, 6], callback=got.append)
        pool.apply_async(abs, ('x',), error_callback=lambda error: errors.append(type(error).__name__))
        pool.close()
        pool.join()
        attempt("pool.map when closed", lambda: pool.map(square, 5))
    report("callbacks", (sorted(map(str, got)), errors))


def main():
    mp.set_start_method('spawn')
    report("start method", mp.get_start_method())
    report("cpu_count >= 1", mp.cpu_count() >= 1)
    report("main name", mp.current_process().name)
    counter = mp.Value('i', 1)
    raw = mp.RawValue(ctypes.c_double, 0.5)
    array = mp.Array(ctypes.c_int, [1, 2, 3])
    raw_array = sharedctypes.RawArray('d', 3)
    ready = mp.Value(ctypes.c_short, 0, lock=False)
    lock, rlock = mp.Lock(), mp.RLock()
    semaphore, bounded = mp.Semaphore(2), mp.BoundedSemaphore(1)
    condition, event, barrier = mp.Condition(), mp.Event(), mp.Barrier(2)
    tasks, results = mp.JoinableQueue(), mp.Queue()
    tasks.put(21)
    report("Value repr", repr(counter))
    report("RawValue repr", repr(raw))
    report("Array slice", array[:])
    report("RawArray length", len(raw_array))
    flag = mp.Value(ctypes.c_bool, False)
    flag.value = 2
    report("c_bool", (flag.value, repr(flag)))
    text = mp.Array('c', b'hello')
    text.value = b'bye'
    report("c_char array", (text.value, text.raw, text[1], text[:2]))
    wide = [mp.Value(code, 7) for code in 'lLqQ'] + [mp.Value(ctypes.c_int64, -7), mp.RawValue(ctypes.c_uint64, 2 ** 40)]
    report("64-bit items are ints", [(type(item.value) is int, item.value) for item in wide] + [type(mp.Array('q', [5])[0]) is int])
    report("raw objects have no lock", (hasattr(raw, 'get_lock'), hasattr(ready, 'get_obj'), hasattr(raw_array, 'get_lock'), hasattr(counter, 'get_lock')))
    try:
        ready.get_lock()
    except AttributeError as error:
        report("raw get_lock", error)
    given = mp.Lock()
    report("the lock given is get_lock()", mp.Value('i', 0, lock=given).get_lock() is given)
    for index in (3, -4):
        try:
            array[index]
        except IndexError as error:
            report(f"array[{index}]", repr(error))
    try:
        mp.Semaphore(-1)
    except OSError as error:
        report("Semaphore(-1)", error.args)
    broken = mp.Barrier(2)
    broken.abort()
    try:
        broken.wait()
    except threading.BrokenBarrierError as error:
        report("broken barrier", (repr(error), error.args))
    process = mp.Process(target=child, name='Worker',
                         args=(counter, raw, array, raw_array, lock, rlock, semaphore, bounded, condition, event, barrier, ready, tasks, results))
    report("before start", (process.is_alive(), process.exitcode))
    process.start()
    with condition:
        report("woken", condition.wait_for(lambda: ready.value == 1, 10))
    report("alive while running", process.is_alive())
    time.sleep(0.05)
    event.set()
    report("main barrier", barrier.wait(10) in (0, 1))
    tasks.join()
    report("task result", results.get(timeout=10))
    process.join(10)
    report("after join", (process.is_alive(), process.exitcode))
    report("name", process.name)
    report("counter", counter.value)
    report("raw", raw.value)
    report("array", list(array))
    report("raw_array", raw_array[:])
    report("lock free again", lock.acquire(False))
    lock.release()
    report("semaphore", (semaphore.acquire(timeout=0.01), semaphore.acquire(timeout=0.01), semaphore.acquire(timeout=0.01)))
    try:
        bounded.release()
    except ValueError as error:
        report("bounded", error)
    try:
        lock.release()
    except ValueError as error:
        report("unlocked release", type(error).__name__)
    report("event", event.is_set())
    event.clear()
    report("event wait", event.wait(0.01))
    report("barrier parties", barrier.parties)
    queue = mp.Queue(2)
    queue.put({'a': 1})
    queue.put_nowait((2, 'b'))
    report("queue full", (queue.full(), queue.qsize()))
    try:
        queue.put(3, timeout=0.01)
    except queue_module.Full:
        report("queue put", "Full")
    report("queue get", (queue.get(), queue.get_nowait(), queue.empty()))
    try:
        queue.get(timeout=0.01)
    except queue_module.Empty:
        report("queue get", "Empty")
    queue.close()
    queue.join_thread()
    with mp.Pool(2) as pool:
        report("pool map", pool.map(square, range(5)))
        report("pool apply_async", pool.apply_async(square, (9,)).get(10))
        report("pool imap", list(pool.imap(square, range(4))))
        report("pool imap_unordered", sorted(pool.imap_unordered(square, range(4))))
    shared = mp.Array('i', [10, 20, 30])
    pool = mp.Pool(2, initializer=keep_array, initargs=(shared,))
    report("pool starmap", pool.starmap(scale, [(None, 0, 2), (None, 2, 3)]))
    pool.close()
    pool.join()
    shared_memory_and_mmap()
    edges()
    pipes_and_simple_queue()
    exit_codes()
    family()
    held, nested = mp.Lock(), mp.RLock()
    held.acquire()
    nested.acquire()
    nested.acquire()
    report("reprs", (repr(held), repr(nested), repr(mp.Lock()), repr(mp.RLock()), repr(mp.Semaphore(2)), repr(mp.BoundedSemaphore(3))))


if __name__ == '__main__':
    main()
