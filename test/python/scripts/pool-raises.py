import multiprocessing as mp

def boom(x):
    if x == 2:
        raise KeyError(x)
    return x

if __name__ == '__main__':
    with mp.Pool(2) as p:
        try:
            p.map(boom, range(4))
        except KeyError as e:
            print('caught', repr(e), type(e.__cause__).__name__)
        p.map(boom, range(4))
