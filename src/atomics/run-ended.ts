/*
 * What a blocked worker raises when the main thread ends its run: a run seen
 * deadlocked (every worker asleep for good), or one whose other worker failed
 * while this one slept. Python's counterpart is the SIGTERM that
 * Process.terminate() sends a process stuck in a lock: the process dies where it
 * blocked. A memplay worker unwinds instead, from the futex wait it slept in
 * (futex.ts's watched waits), so its thread lives on and serves the next run;
 * terminating and restarting threads costs tens of milliseconds each.
 *
 * Once a worker's run is ended, every untimed wait it is in or begins raises
 * RunEnded at once, so code that catches it and blocks again unwinds as well.
 * Told apart by name (isRunEnded), as a module loaded through tsx has its own
 * copy of this class.
 */

export class RunEnded extends Error {
  constructor() {
    super('the run was ended while this worker waited (the watchdog saw it deadlocked, or another worker failed)');
    this.name = 'RunEnded';
  }
}

export function isRunEnded(error: unknown): error is RunEnded {
  return error instanceof Error && error.name === 'RunEnded';
}
