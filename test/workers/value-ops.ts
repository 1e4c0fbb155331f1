// Worker-side code for the Value tests: each export runs inside a real worker thread.
import { SharedValue, type ValueHandle } from '../../src/mp/value.js';

/** `v.value += 1`, `iterations` times: the read and the write each take the lock, apart. */
export function incrementMany(handle: ValueHandle<'i'>, iterations: number, holdLock: boolean): void {
  const v = new SharedValue(handle);
  if (holdLock) {
    const lock = v.getLock();
    for (let i = 0; i < iterations; i++) {
      lock.acquire();
      v.value += 1;
      lock.release();
    }
  } else {
    for (let i = 0; i < iterations; i++) v.value += 1;
  }
}

export function read(handle: ValueHandle): number | bigint {
  return new SharedValue(handle).value;
}

export function write(handle: ValueHandle, value: number | bigint): void {
  new SharedValue(handle).value = value;
}
