from multiprocessing import Value


def check(counter):
    if counter.value != 1:
        raise ValueError(f"counter is {counter.value}")


if __name__ == '__main__':
    print("before")
    check(Value('i', 0))
