from multiprocessing import Event, Process


def wait_forever(event):
    event.wait()


if __name__ == '__main__':
    event = Event()
    process = Process(target=wait_forever, args=(event,), name='Sleeper')
    process.start()
    process.join()
