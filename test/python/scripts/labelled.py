"""For --label: the main process and one child write whole lines, partial lines
and a last line without its newline, to stdout and stderr."""
import sys
from multiprocessing import Process


def child(n):
    sys.stdout.write("child ")
    sys.stdout.flush()
    sys.stdout.write(f"says {n}\n")
    print("child to stderr", file=sys.stderr)
    sys.stdout.write("no newline at the end")


if __name__ == '__main__':
    print("main starts", flush=True)
    process = Process(target=child, args=(7,))
    process.start()
    process.join()
    print("main ends, exitcode", process.exitcode)
