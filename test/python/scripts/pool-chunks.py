"""Pool.map, starmap, imap and imap_unordered sending their items in chunks (map's default chunksize as
CPython's): 20,000 items in seconds, and the same results, order and first error as python3
(test/python/script-behaviour.test.ts)."""
from multiprocessing import Pool
def sq(x): return x * x
def bad(x):
    if x == 7: raise ValueError(f"seven {x}")
    return x
if __name__ == '__main__':
    with Pool(2) as p:
        r = p.map(sq, range(20000))
        print(len(r), sum(r), r[:3], r[-1])
        print(p.starmap(pow, [(2, 3), (3, 2)] * 3))
        print(list(p.imap(sq, range(10), 3)), sorted(p.imap_unordered(sq, range(10), 4)))
        try: p.map(bad, range(20))
        except ValueError as e: print('ValueError', e)
        print(p.map(sq, []), p.map(sq, range(5), chunksize=2))
        print(p.apply(sq, (9,)))
