import sys
from multiprocessing import Process
def child():
    print("child reads", repr(sys.stdin.read()))
if __name__ == '__main__':
    p = Process(target=child); p.start(); p.join()
    print("main reads", repr(sys.stdin.readline()))
    for line in sys.stdin:
        print("line", line.strip())
