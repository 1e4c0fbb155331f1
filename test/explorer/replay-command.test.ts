/*
 * The replay line a witness prints is pasted into a shell: every word of it (the
 * script's path, its arguments) must come back from a real POSIX shell exactly as
 * it was, and nothing in it may run. Each hostile word is quoted by shellWord and
 * handed to `sh -c 'printf %s <word>'`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { replayCommand, shellWord } from '../../src/explorer/report-text.js';

const HOSTILE = ['q$(echo PWNED)`id`.py', "it's", 'a b', '$HOME', '"quoted"', "'$(id)'", 'back\\slash', 'new\nline', 'ünï sp.py', '', '*', '-n', 'semi;colon', 'x|y&z'];

describe('the replay line in a shell', () => {
  it.each(HOSTILE)('%j comes back from sh unchanged, nothing expanded or run', (word) => {
    const result = spawnSync('sh', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(word);
  });

  it('plain words stay unquoted, so the common line reads as typed', () => {
    const witness = { id: 'v1:counter:script:w3i1s0:0.1' } as Parameters<typeof replayCommand>[0];
    expect(replayCommand(witness, 'scenarios/python/counter.py', { command: 'explore', flags: '', args: ['--processes', '2', 'fixed'] })).toBe(
      'memplay explore scenarios/python/counter.py --replay v1:counter:script:w3i1s0:0.1 -- --processes 2 fixed',
    );
    expect(replayCommand(witness, 'my dir/x.py', { command: 'explore', flags: '', args: ["it's"] })).toBe(
      "memplay explore 'my dir/x.py' --replay v1:counter:script:w3i1s0:0.1 -- 'it'\\''s'",
    );
  });
});
