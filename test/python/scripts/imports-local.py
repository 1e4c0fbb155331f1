from multiprocessing import Process, Value

import local_helper

if __name__ == "__main__":
    value = Value("i", 0)
    process = Process(target=local_helper.add_one, args=(value,))
    process.start()
    process.join()
    print(value.value, process.exitcode)
