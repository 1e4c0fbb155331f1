from concurrent.futures import ProcessPoolExecutor
def sq(x): return x*x
if __name__ == '__main__':
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(sq, range(5))))
