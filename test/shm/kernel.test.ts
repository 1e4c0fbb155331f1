import { describe, expect, it } from 'vitest';
import { MemoryError, RuntimeError, ValueError } from '../../src/errors.js';
import { Kernel } from '../../src/shm/kernel.js';
import { HEAP_START } from '../../src/shm/layout.js';

describe('the kernel heap', () => {
  it('hands out zeroed, 16-byte aligned, non-overlapping regions', () => {
    const kernel = Kernel.create();
    const regions = [1, 15, 16, 17, 100, 4096].map((bytes) => ({ bytes, offset: kernel.alloc(bytes) }));
    for (const { offset, bytes } of regions) {
      expect(offset % 16).toBe(0);
      expect(offset).toBeGreaterThanOrEqual(HEAP_START);
      expect(kernel.bytes.subarray(offset, offset + bytes).every((byte) => byte === 0)).toBe(true);
      kernel.bytes.fill(0xab, offset, offset + bytes);
    }
    const sorted = [...regions].sort((a, b) => a.offset - b.offset);
    sorted.slice(1).forEach((region, i) => expect(region.offset).toBeGreaterThanOrEqual(sorted[i].offset + sorted[i].bytes));
  });

  it('reuses freed space, merges neighbours, and gives the top back', () => {
    const kernel = Kernel.create();
    const empty = kernel.stats();
    const a = kernel.alloc(64);
    const b = kernel.alloc(64);
    const c = kernel.alloc(64);
    kernel.bytes.fill(1, b, b + 64);
    kernel.free(b);
    expect(kernel.alloc(48)).toBe(b);
    kernel.free(b);
    kernel.free(a);
    expect(kernel.alloc(144)).toBe(a); // two 80-byte blocks merged: 160 bytes, 144 of payload
    expect(kernel.bytes.subarray(a, a + 144).every((byte) => byte === 0)).toBe(true);
    kernel.free(a);
    kernel.free(c);
    expect(kernel.stats()).toEqual(empty);
  });

  it('refuses a double free and a free of something never allocated', () => {
    const kernel = Kernel.create();
    const a = kernel.alloc(8);
    kernel.alloc(8);
    kernel.free(a);
    expect(() => kernel.free(a)).toThrow(RuntimeError);
    expect(() => kernel.free(a + 4)).toThrow(RuntimeError);
    expect(() => kernel.free(10 ** 9)).toThrow(RuntimeError);
  });

  it('grows the buffer on demand, and says MemoryError at its limit', () => {
    const kernel = Kernel.create({ initialBytes: 128 * 1024, maxBytes: 1024 * 1024 });
    const big = kernel.alloc(300 * 1024);
    expect(kernel.buffer.byteLength).toBeGreaterThanOrEqual(big + 300 * 1024);
    expect(() => kernel.alloc(2 * 1024 * 1024)).toThrow(MemoryError);
    expect(kernel.alloc(16)).toBeGreaterThan(0);
  });

  it('is rebuilt from its buffer, and refuses a buffer that is not a kernel', () => {
    const kernel = Kernel.create();
    const again = Kernel.fromBuffer(kernel.buffer);
    expect(again.id).toBe(kernel.id);
    expect(() => Kernel.fromBuffer(new SharedArrayBuffer(1024))).toThrow(ValueError);
    expect(() => Kernel.create({ initialBytes: 10 })).toThrow(ValueError);
  });
});
