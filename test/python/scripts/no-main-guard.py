from multiprocessing import Process, Value
def f(v):
    v.value += 1
v = Value('i', 0)
p = Process(target=f, args=(v,))
p.start(); p.join()
print(v.value, p.exitcode)
