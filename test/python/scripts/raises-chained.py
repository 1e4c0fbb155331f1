from multiprocessing import Process


def lookup(table, key):
    try:
        return table[key]
    except KeyError as error:
        raise LookupError(f"no {key}") from error


def child():
    try:
        1 / 0
    except ZeroDivisionError:
        lookup({}, 'child')


if __name__ == '__main__':
    process = Process(target=child)
    process.start()
    process.join()
    lookup({}, 'main')
