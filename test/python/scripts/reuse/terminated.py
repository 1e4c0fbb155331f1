"""On the first run (the marker file named by the first argument is absent) the main process terminates a child that waits
forever, so the child's thread, and its interpreter, are thrown away; on later runs the child ends by itself."""
import os
import sys
from multiprocessing import Event, Process


def work(event, first):
    if first:
        event.wait()


if __name__ == '__main__':
    first = not os.path.exists(sys.argv[1])
    open(sys.argv[1], 'w').close()
    event = Event()
    process = Process(target=work, args=(event, first))
    process.start()
    if first:
        process.terminate()
    process.join()
    print(f"child exitcode {process.exitcode}")
