#!/usr/bin/env python3
"""The GIL lab's workloads in real CPython, for `memplay gil --compare-cpython`.

The same functions as memplay's src/gil/programs.ts, with the same units of work
(src/gil/workloads.ts): a cpu unit is 1000 iterations of a countdown loop, an io
unit one 1 ms time.sleep, a mixed unit a 10 000-iteration countdown then a 1 ms
sleep. Each mode runs them as memplay's lab does:

  serial         the main thread does workers x units
  threads        N threading.Thread, one GIL between them
  processes      N multiprocessing.Process (fork), a GIL each
  free-threaded  N threads, only on a free-threaded build with the GIL disabled

Every worker waits at a barrier, then records its own start and end on the
monotonic clock (shared by all processes on Linux); a mode's wall time is from
the first start to the last end, so process start-up is not timed, as in the lab.

With --convoy N it also measures the convoy effect: a thread doing N one-byte
round trips over a socketpair to an echo process, alone, then beside one thread
running a CPU-bound loop until the I/O thread is done.

Prints one JSON document on stdout. Usage:
  python3 scripts/gil-workloads.py --workload cpu --workers 2 --units 8000 \
      --switch-interval 0.005 --modes serial,threads,processes --convoy 200
"""
import argparse
import json
import multiprocessing
import platform
import socket
import sys
import threading
import time

CPU_ITERATIONS_PER_UNIT = 1000
IO_WAIT_US = 1000
MIXED_ITERATIONS_PER_UNIT = 10_000


def countdown(n):
    while n > 0:
        n -= 1


def io_wait(n, us):
    while n > 0:
        time.sleep(us / 1e6)
        n -= 1


def mixed(n, m, us):
    while n > 0:
        k = m
        while k > 0:
            k -= 1
        time.sleep(us / 1e6)
        n -= 1


def workload_call(workload, units):
    if workload == "cpu":
        return countdown, (units * CPU_ITERATIONS_PER_UNIT,)
    if workload == "io":
        return io_wait, (units, IO_WAIT_US)
    return mixed, (units, MIXED_ITERATIONS_PER_UNIT, IO_WAIT_US)


def timed(barrier, target, args, results):
    barrier.wait()
    start = time.monotonic()
    target(*args)
    results.put((start, time.monotonic()))


class ListQueue(list):
    put = list.append


def gil_enabled():
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else is_enabled()


def run_mode(mode, workload, workers, units):
    if mode == "serial":
        target, args = workload_call(workload, units * workers)
        start = time.monotonic()
        target(*args)
        return (time.monotonic() - start) * 1000
    target, args = workload_call(workload, units)
    if mode == "processes":
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(workers), context.Queue()
        runners = [context.Process(target=timed, args=(barrier, target, args, results)) for _ in range(workers)]
    else:
        barrier, results = threading.Barrier(workers), ListQueue()
        runners = [threading.Thread(target=timed, args=(barrier, target, args, results)) for _ in range(workers)]
    for runner in runners:
        runner.start()
    spans = [results.get() for _ in range(workers)] if mode == "processes" else None
    for runner in runners:
        runner.join()
    spans = spans if spans is not None else list(results)
    return (max(end for _, end in spans) - min(start for start, _ in spans)) * 1000


def echo_peer(sock, client_end):
    client_end.close()  # the fork copied it; keeping it open would hide the client's close
    while True:
        data = sock.recv(1)
        if not data:
            return
        sock.sendall(data)


def echo_client(sock, round_trips):
    start = time.monotonic()
    for _ in range(round_trips):
        sock.send(b"x")
        sock.recv(1)
    return (time.monotonic() - start) * 1000


def convoy_run(round_trips, beside_cpu):
    client_end, peer_end = socket.socketpair()
    peer = multiprocessing.get_context("fork").Process(target=echo_peer, args=(peer_end, client_end))
    peer.start()
    peer_end.close()
    state = {"done": False}

    def spin_until_done():
        n = 0
        while not state["done"]:
            n += 1

    spinner = threading.Thread(target=spin_until_done)
    if beside_cpu:
        spinner.start()
    elapsed = echo_client(client_end, round_trips)
    state["done"] = True
    if beside_cpu:
        spinner.join()
    client_end.close()
    peer.join()
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=["cpu", "io", "mixed"], default="cpu")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--switch-interval", type=float, default=0.005)
    parser.add_argument("--modes", default="serial,threads,processes,free-threaded")
    parser.add_argument("--convoy", type=int, default=0, help="round trips for the convoy measurement (0: skip)")
    options = parser.parse_args()
    sys.setswitchinterval(options.switch_interval)
    has_gil = gil_enabled()
    modes, skipped = [], []
    for mode in options.modes.split(","):
        if mode == "free-threaded" and has_gil:
            skipped.append(mode)
            continue
        modes.append({"mode": mode, "wall_ms": run_mode(mode, options.workload, options.workers, options.units)})
    report = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": has_gil,
        "switch_interval": sys.getswitchinterval(),
        "modes": modes,
        "skipped": skipped,
    }
    if options.convoy > 0:
        alone = convoy_run(options.convoy, beside_cpu=False)
        beside = convoy_run(options.convoy, beside_cpu=True)
        report["convoy"] = {"round_trips": options.convoy, "alone_ms": alone, "beside_cpu_ms": beside}
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
