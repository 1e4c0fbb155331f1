"""What a child sends back of the script's own (an instance of its class, a
namedtuple, its exception) through a Queue, a Pipe and a Pool; a terminated
Pool's task that still runs never delivers, one that had finished does; and the
reprs of processes as they start, stop, are terminated and closed. Its output is
python3's (test/python/script-behaviour.test.ts)."""
import re
import sys
import time
from collections import namedtuple
from multiprocessing import Pipe, Pool, Process, Queue, TimeoutError, current_process


class Point:
    def __init__(self, x):
        self.x = x

    def __repr__(self):
        return f"Point({self.x})"


class ScriptError(Exception):
    pass


Pair = namedtuple('Pair', 'a b')


def put_point(queue):
    queue.put(Point(5))


def send_point(end):
    end.send(Point(6))
    end.close()


def pair(i):
    return Pair(i, i * i)


def fail(n):
    raise ScriptError('from a task', n)


def square(x):
    return x * x


def nothing():
    pass


def sleep_long():
    time.sleep(30)


def leave(code):
    sys.exit(code)


def shown(process):
    return re.sub(r'(pid|parent)=\d+', r'\1=N', repr(process))


if __name__ == '__main__':
    queue = Queue()
    child = Process(target=put_point, args=(queue,))
    child.start()
    print(queue.get())
    child.join()
    mine, theirs = Pipe()
    child = Process(target=send_point, args=(theirs,))
    child.start()
    print(mine.recv())
    child.join()
    with Pool(2) as pool:
        print(pool.map(pair, range(3)))
        try:
            pool.apply(fail, (1,))
        except ScriptError as error:
            print('ScriptError', *error.args)
    pool = Pool(1)
    finished = pool.apply_async(square, (3,))
    finished.wait(60)
    running = pool.apply_async(time.sleep, (0.5,))
    pool.terminate()
    print('finished', finished.get(timeout=5))
    try:
        running.get(timeout=1)
    except TimeoutError:
        print('running: TimeoutError')
    pool.join()
    print(shown(current_process()))
    plain = Process(target=nothing)
    print(shown(plain))
    plain.start()
    plain.join()
    print(shown(plain))
    daemon = Process(target=sleep_long, daemon=True)
    daemon.start()
    daemon.terminate()
    daemon.join()
    print(shown(daemon))
    exits = Process(target=leave, args=(3,))
    exits.start()
    exits.join()
    print(shown(exits))
    plain.close()
    print(shown(plain))
