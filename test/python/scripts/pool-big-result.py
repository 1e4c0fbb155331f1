"""A Pool task whose result is bigger than memplay's Queue holds: the caller's get() raises why, and the pool goes on
(test/python/script-behaviour.test.ts). python3 prints 300000 instead: memplay's documented limit."""
from multiprocessing import Pool
def biglist(n): return list(range(n))
if __name__ == '__main__':
    with Pool(1) as p:
        try:
            print(len(p.apply(biglist, (300000,))))
        except ValueError as e:
            print('ValueError', e)
        print(p.apply(biglist, (3,)))
