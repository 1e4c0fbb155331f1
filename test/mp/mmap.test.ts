import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileNotFoundError, ValueError } from '../../src/errors.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { MemoryMap, mmap } from '../../src/mp/mmap.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

function fileWith(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'memplay-mmap-')), 'data.bin');
  writeFileSync(path, text);
  return path;
}

describe('mmap', () => {
  it('keeps data flushed by workers in the file after the workers have exited', async () => {
    const path = fileWith('....................');
    await runInWorkers(ops, 'writeMapped', [
      [path, 0, 'left'],
      [path, 10, 'right'],
    ]);
    expect(readFileSync(path, 'utf8')).toBe('left......right.....');
  });

  it('shares one set of bytes between every writable mapping of a path', async () => {
    const path = fileWith('hello world');
    const mine = mmap(path, 0, { access: 'write' });
    mine.setSlice(0, new TextEncoder().encode('HELLO'));
    const [seen] = await runInWorkers(ops, 'readMapped', [[mine.handle]]);
    expect(seen).toBe('HELLO world');
    expect(readFileSync(path, 'utf8')).toBe('hello world');
    mine.close();
    expect(readFileSync(path, 'utf8')).toBe('HELLO world');
  });

  it('keeps ACCESS_COPY private and never writes it back; refuses writes through ACCESS_READ', () => {
    const path = fileWith('abcdef');
    const shared = mmap(path, 0, { access: 'write' });
    const copy = mmap(path, 0, { access: 'copy' });
    const reader = mmap(path, 3, { access: 'read' });
    copy.set(0, 'Z'.charCodeAt(0));
    copy.flush();
    expect(shared.get(0)).toBe('a'.charCodeAt(0));
    expect(() => reader.set(0, 1)).toThrow(/readonly/);
    expect(() => reader.write(new Uint8Array([1]))).toThrow(TypeError);
    expect(new TextDecoder().decode(reader.read())).toBe('abc');
    copy.close();
    reader.close();
    shared.close();
    expect(readFileSync(path, 'utf8')).toBe('abcdef');
  });

  it('reads and writes at a position like the Python object', () => {
    const path = fileWith('0123456789');
    const map = mmap(path);
    expect(map.length).toBe(10);
    map.seek(4);
    expect(new TextDecoder().decode(map.read(3))).toBe('456');
    expect(map.tell()).toBe(7);
    map.write(new TextEncoder().encode('ab'));
    map.seek(-1, 2);
    expect(map.read()).toEqual(new Uint8Array(['9'.charCodeAt(0)]));
    expect(() => map.write(new Uint8Array([1]))).toThrow(/data out of range/);
    expect(() => map.seek(11)).toThrow(ValueError);
    expect(() => map.get(10)).toThrow(/index out of range/);
    map.close();
    map.close();
    expect(readFileSync(path, 'utf8')).toBe('0123456ab9');
    expect(() => map.read()).toThrow(/closed/);
  });

  it('gives clear errors for a missing file, a negative length, a length past the end and an empty file', () => {
    const kernel = defaultKernel();
    const path = fileWith('four');
    const before = kernel.stats().liveAllocations;
    expect(() => mmap(join(tmpdir(), 'memplay-no-such-file'), 0)).toThrow(FileNotFoundError);
    expect(() => mmap(path, -1)).toThrow(/must be positive/);
    expect(() => mmap(path, 5)).toThrow(/greater than file size/);
    expect(() => mmap(fileWith(''), 0)).toThrow(/empty file/);
    expect(() => mmap(path, 0, { access: 'exec' as 'read' })).toThrow(ValueError);
    expect(kernel.stats().liveAllocations).toBe(before);
    const ok = new MemoryMap(path, 4);
    expect(new TextDecoder().decode(ok.slice())).toBe('four');
    ok.close();
    expect(kernel.stats().liveAllocations).toBe(before);
  });
});
