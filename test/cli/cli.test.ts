import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

describe('the memplay CLI', () => {
  it('--help lists the commands and the global options', () => {
    const { status, stdout } = memplay(['--help']);
    expect(status).toBe(0);
    for (const word of ['list', 'tour', '--json', '--log-level', '--version']) expect(stdout).toContain(word);
  });

  it("every command's --help lists the global --json and --log-level too (they may follow the command)", () => {
    for (const command of [['run'], ['explore'], ['stress'], ['gil'], ['sim', 'sizeof'], ['sim', 'generations']]) {
      const { status, stdout } = memplay([...command, '--help']);
      expect(status).toBe(0);
      expect(stdout, command.join(' ')).toMatch(/\nGlobal Options:\n[^]*--json[^]*--log-level/);
    }
  });

  it('stops quietly when the reader of its output goes away (memplay run ... | head -1)', () => {
    const bin = fileURLToPath(new URL('../../bin/memplay.js', import.meta.url));
    const pipeline = `"${process.execPath}" "${bin}" run lost-update --repeat 3 --iterations 1000 | head -1`;
    const result = spawnSync('bash', ['-c', `${pipeline}; echo "memplay exited \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|    at /);
    expect(result.stderr).toMatch(/memplay exited 0/);
  });

  it('--version prints the package version', () => {
    const { status, stdout } = memplay(['--version']);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('with no command prints the help and exits 0', () => {
    const { status, stdout } = memplay([]);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: memplay');
  });

  it('--json puts one JSON document on stdout and nothing else', () => {
    const { status, stdout } = memplay(['list', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('scenarios');
  });

  it('keeps pino logs on stderr even at the most verbose level', () => {
    const { status, stdout } = memplay(['--log-level', 'trace', '--json', 'list']);
    expect(status).toBe(0);
    expect(() => JSON.parse(stdout)).not.toThrow();
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['help', 'frobnicate'], /unknown command 'frobnicate' \(the commands: tour, list, run, explore, gil, sim, stress\)/],
    [['sim'], /sim needs a command: sizeof, list-growth/],
    [['sim', 'frobnicate'], /unknown sim command 'frobnicate'/],
    [['list', '--frobnicate'], /unknown option '--frobnicate'/],
    [['--log-level', 'loud', 'list'], /--log-level/],
    [['list', 'extra'], /too many arguments|unknown command/],
  ])('%j is a usage error: one line on stderr, exit 2', (args, message) => {
    expect(expectUsageError(memplay(args))).toMatch(message);
  });
});
