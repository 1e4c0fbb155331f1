from multiprocessing import Process

def work(:
    pass
