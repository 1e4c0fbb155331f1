"""send() on a Pipe whose read ends are all closed raises BrokenPipeError, as the OS makes CPython's (test/python/script-behaviour.test.ts)."""
from multiprocessing import Pipe, Process
def reader(c):
    print('child got', c.recv())
if __name__ == '__main__':
    x, y = Pipe()
    y.close()
    try: x.send('z')
    except BrokenPipeError as e: print('BrokenPipeError', e)
    a, b = Pipe(duplex=False)
    p = Process(target=reader, args=(a,)); p.start(); a.close()
    b.send('hello'); p.join()
    try: b.send('again')
    except BrokenPipeError as e: print('BrokenPipeError', e)
