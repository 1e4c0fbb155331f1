import { describe, expect, it } from 'vitest';
import { RuntimeError, ValueError } from '../../src/errors.js';
import { RawValue, Value } from '../../src/mp/value.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

describe('Value: typecodes wrap as ctypes does', () => {
  it.each([
    ['i', 2 ** 31, -2147483648],
    ['i', -(2 ** 31) - 1, 2147483647],
    ['I', -1, 4294967295],
    ['b', 200, -56],
    ['B', 256 + 7, 7],
    ['h', 40000, -25536],
    ['H', -1, 65535],
  ] as const)("Value('%s', %d).value is %d", (typecode, input, expected) => {
    expect(Value(typecode, input).value).toBe(expected);
  });

  it('reads the 64-bit integer types back as bigint, wrapping at 2**64', () => {
    expect(Value('q', 2n ** 63n).value).toBe(-(2n ** 63n));
    expect(Value('Q', -1n).value).toBe(2n ** 64n - 1n);
    expect(Value('l', 5).value).toBe(5n);
    expect(Value('L', 2 ** 53).value).toBe(2n ** 53n);
  });

  it('wraps a bigint into the narrower integer types as well', () => {
    expect(Value('i', -1n).value).toBe(-1);
    expect(Value('B', -1n).value).toBe(255);
    expect(Value('I', 2n ** 40n + 5n).value).toBe(5);
    expect(Value('h', -(2n ** 70n) - 3n).value).toBe(-3);
  });

  it("rounds 'f' to float32 and keeps 'd' exact", () => {
    expect(Value('f', 0.1).value).toBe(Math.fround(0.1));
    expect(Value('d', 0.1).value).toBe(0.1);
    expect(Value('d', 3n).value).toBe(3);
  });

  it('defaults to zero', () => {
    expect(Value('i').value).toBe(0);
    expect(Value('q').value).toBe(0n);
  });

  it('refuses an unknown typecode, a non-number, NaN or a float for an integer type', () => {
    expect(() => Value('x' as 'i', 1)).toThrow(ValueError);
    expect(() => Value('i', '3' as unknown as number)).toThrow(/int expected instead of str/);
    expect(() => Value('i', Number.NaN)).toThrow(TypeError);
    expect(() => Value('i', 1.5)).toThrow(/int expected instead of float/);
    expect(() => Value('d', null as unknown as number)).toThrow(TypeError);
    const v = Value('i', 1);
    expect(() => {
      v.value = Number.NaN;
    }).toThrow(TypeError);
    expect(v.value).toBe(1);
  });
});

describe('Value: its lock', () => {
  it('has an RLock by default, none with lock: false, and uses a lock it is given', () => {
    expect(Value('i').getLock()).toBeInstanceOf(RLock);
    expect(() => Value('i', 0, { lock: false }).getLock()).toThrow(RuntimeError);
    expect(() => RawValue('i').getLock()).toThrow(RuntimeError);
    const lock = new Lock();
    const v = Value('i', 0, { lock });
    expect(v.getLock()).toBe(lock);
    expect(String(v)).toBe('<Synchronized wrapper for c_int(0)>');
    expect(String(RawValue('d', 2.5))).toBe('c_double(2.5)');
  });

  it('blocks a reader while another thread holds the lock (a plain Lock here)', () => {
    const lock = new Lock();
    const v = Value('i', 0, { lock });
    lock.acquire();
    expect(lock.acquire(false)).toBe(false);
    lock.release();
    expect(v.value).toBe(0);
  });
});

describe('Value: shared between real workers', () => {
  it('a write in one worker is read in another, for every typecode', async () => {
    const cases = [
      ['b', -5],
      ['H', 65000],
      ['i', -123456],
      ['q', -(2n ** 40n)],
      ['Q', 2n ** 63n],
      ['f', 1.5],
      ['d', Math.PI],
    ] as const;
    for (const [typecode, value] of cases) {
      const v = Value(typecode);
      await runInWorkers(ops, 'writeValue', [[v.handle, value]]);
      const [seen] = await runInWorkers(ops, 'readValue', [[v.handle]]);
      expect(seen).toBe(value);
      expect(v.value).toBe(value);
    }
  });
});
