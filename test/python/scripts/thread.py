import threading

t = threading.Thread(target=print, args=("never",))
t.start()
t.join()
