/*
 * A user's file that misbehaves is that file's error: exit 1, its message and its
 * own location (file:line:col), never memplay's internals and never a usage error.
 * The files live in a temporary folder without a package.json (TypeScript loaded
 * as CommonJS, the case whose frames used to name no file) and import the built
 * library by its absolute path, as a loose user file does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memplay } from '../helpers/cli.js';

const library = JSON.stringify(fileURLToPath(new URL('../../dist/src/index.js', import.meta.url)));

/** A scenario whose racy variant's judge is `judge` and whose fixed variant's worker is `worker` (source text). */
function scenario(judge: string, worker = '() => 1'): string {
  return [
    `import { defineScenario } from ${library};`,
    'export default defineScenario({',
    "  name: 'misbehaves', summary: 's', explain: 'e',",
    '  params: { workers: 2, iterations: 1, repeat: 1, timeout: 20 },',
    '  setup: () => ({}),',
    `  judge: ${judge},`,
    '  variants: {',
    "    racy: { summary: 'r', worker: () => 1, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] },",
    `    fixed: { summary: 'f', worker: ${worker}, outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] },`,
    '  },',
    '});',
  ].join('\n');
}

/** `text` as a literal part of a regular expression. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A stress target with one role whose acquire and critical are the given source text. */
function stressTarget(acquire: string, critical: string): string {
  return [
    `import { Lock, defineStressTarget } from ${library};`,
    'export default defineStressTarget({',
    "  name: 'user-target', summary: 's', invariants: ['none'],",
    '  setup: () => ({ lock: new Lock() }),',
    "  role: () => ({ name: 'w', release: ({ lock }) => lock.release(),",
    `    acquire: ${acquire},`,
    `    critical: ${critical},`,
    '  }),',
    '});',
  ].join('\n');
}

const INTERNALS = /node_modules|dist\/src|internal error/;

describe('a user file that misbehaves', () => {
  let folder = '';
  const file = (name: string) => join(folder, name);
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-misbehaves-'));
    writeFileSync(file('judge-42.ts'), scenario('(() => 42) as never'));
    mkdirSync(file('helpers'));
    writeFileSync(file('helpers/throws.ts'), "export const ready = true;\nthrow new Error('the helper refuses');\n");
    writeFileSync(file('imports-throwing-helper.ts'), `import { defineScenario } from ${library};\nimport { ready } from './helpers/throws.js';\nexport default defineScenario({ name: 'x', ready } as never);\n`);
    writeFileSync(file('judge-async.ts'), scenario("(async () => ({ outcome: 'ok', observed: 'ok' })) as never"));
    writeFileSync(file('expect-lowercase.ts'), scenario("() => ({ outcome: 'ok', observed: 'ok' })").replace("expect: 'ACCEPTABLE'", "expect: 'forbidden' as never"));
    // The same mistake in a list a function returns: it can only be seen as a run asks for the list.
    writeFileSync(file('expect-lowercase-fn.ts'), scenario("() => ({ outcome: 'ok', observed: 'ok' })").replace("outcomes: [{ key: 'ok', expect: 'ACCEPTABLE', description: 'ok' }] },", "outcomes: () => [{ key: 'ok', expect: 'forbidden' as never, description: 'ok' }] },"));
    writeFileSync(file('own-param.ts'), scenario("() => ({ outcome: 'ok', observed: 'ok' })").replace('timeout: 20 }', "timeout: 20, batch: 'ten' as never }"));
    writeFileSync(file('variant-params.ts'), scenario("() => ({ outcome: 'ok', observed: 'ok' })").replace("racy: { summary: 'r',", "racy: { summary: 'r', params: { iterations: '5' as never },"));
    writeFileSync(file('worker-throws.ts'), scenario("() => ({ outcome: 'ok', observed: 'ok' })", "() => {\n      throw new RangeError('no room');\n    }"));
    writeFileSync(file('syntax.ts'), `import { defineScenario } from ${library};\nexport default defineScenario({\n  name: 'x',,\n});\n`);
    writeFileSync(file('syntax.mjs'), `import { defineScenario } from ${library};\nexport default defineScenario({\n  name: 'x',,\n});\n`);
    writeFileSync(file('throws-on-load.ts'), `const limit: number = 3;\nif (limit > 2) throw new Error('refusing to load');\nexport default 1;\n`);
    for (const extension of ['ts', 'mjs']) writeFileSync(file(`imports-missing.${extension}`), `import { defineScenario } from ${library};\nimport { helper } from './lib/missing-helper.js';\nexport default defineScenario(helper());\n`);
    writeFileSync(
      file('setup-throws.ts'),
      [
        `import { defineStressTarget } from ${library};`,
        'export default defineStressTarget({',
        "  name: 'setup-throws', summary: 's', invariants: ['none'],",
        '  setup: () => {',
        "    throw new RangeError('no room for the lock');",
        '  },',
        "  role: () => ({ name: 'w', acquire: () => true, critical: () => {}, release: () => {} }),",
        '});',
      ].join('\n'),
    );
    writeFileSync(file('acquire-void.ts'), stressTarget('({ lock }) => { lock.acquire(); }', '() => {}'));
    writeFileSync(file('critical-throws.ts'), stressTarget('({ lock }) => lock.acquire()', "(_shared, op) => {\n      if (op.iteration === 2) throw new RangeError('out of range in critical');\n    }"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a judge that returns 42: exit 1, the run is an error with what the judge must return and where the scenario is defined', () => {
    const result = memplay(['run', file('judge-42.ts'), '--variant', 'racy', '--seed', '1']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('the judge raised TypeError: the judge must return { outcome: string, observed: string, expected?: string, values?: object }, not 42');
    expect(result.stdout).toContain(`(scenario defined at ${file('judge-42.ts')}:2:`);
    expect(result.stdout).toMatch(/error\s+1\s+100%\s+FORBIDDEN/);
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it('an async judge: the run is an error that says the judge returned a Promise', () => {
    const result = memplay(['run', file('judge-async.ts'), '--variant', 'racy', '--seed', '1']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('the judge must return { outcome: string, observed: string, expected?: string, values?: object }, not a Promise (an async judge: it must return its result at once)');
  });

  it.each(['run', 'explore'])('%s: an outcome whose expect is misspelt (it would hide a FORBIDDEN outcome) is the file\'s error, exit 1: where defineScenario is called for a list, as a run asks for one from a function', (command) => {
    const listed = memplay([command, file('expect-lowercase.ts')]);
    expect(listed.status).toBe(1);
    expect(listed.stdout).toBe('');
    expect(listed.stderr).toMatch(new RegExp(`^memplay: ${escaped(file('expect-lowercase.ts'))}:2:16: TypeError in loading the file: scenario "misbehaves": variant racy: outcome "ok": expect must be 'ACCEPTABLE', 'INTERESTING' or 'FORBIDDEN', not "forbidden"\n {4}at `));
    const computed = memplay([command, file('expect-lowercase-fn.ts')]);
    expect(computed.status).toBe(1);
    expect(computed.stderr).toBe(`memplay: ${file('expect-lowercase-fn.ts')}: TypeError in the outcomes of variant racy: outcome "ok": expect must be 'ACCEPTABLE', 'INTERESTING' or 'FORBIDDEN', not "forbidden"\n`);
  });

  it('a variant\'s params of the wrong type are the file\'s error where defineScenario is called, exit 1 (a string "5" read as a command-line mistake)', () => {
    const result = memplay(['run', file('variant-params.ts')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^memplay: ${escaped(file('variant-params.ts'))}:2:16: TypeError in loading the file: scenario "misbehaves": variant racy: params.iterations must be a number, not "5"\n`));
    const own = memplay(['run', file('own-param.ts')]);
    expect(own.status).toBe(1);
    expect(own.stderr).toContain(`${file('own-param.ts')}:2:16: TypeError in loading the file: scenario "misbehaves": params.batch must be a number (a parameter of your own is numeric, as the command line gives it), not "ten"`);
  });

  it('a worker that raises: exit 1, its error with the line and column in the file', () => {
    const result = memplay(['run', file('worker-throws.ts'), '--variant', 'fixed', '--seed', '1']);
    expect(result.status, result.stderr).toBe(1);
    // Both workers raise; the report names whichever failed first, and only that one.
    const at = `RangeError: no room (at ${file('worker-throws.ts')}:10:13)`;
    const named = ['worker 0', 'worker 1'].filter((worker) => result.stdout.includes(`${worker} raised ${at}`));
    expect(named, result.stdout).toHaveLength(1);
  });

  it('a TypeScript syntax error: exit 1, file:line:col, the message and the line itself', () => {
    const result = memplay(['run', file('syntax.ts')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [`memplay: ${file('syntax.ts')}:3:13: SyntaxError in compiling the file: Expected identifier but found ","`, "    3 |   name: 'x',,", '      |             ^', ''].join('\n'),
    );
  });

  it('a JavaScript (.mjs) syntax error: exit 1, file:line:col, the message and the line itself, as for TypeScript', () => {
    const result = memplay(['run', file('syntax.mjs')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([`memplay: ${file('syntax.mjs')}:3:13: SyntaxError in compiling the file: Unexpected token ','`, "    3 |   name: 'x',,", '      |             ^', ''].join('\n'));
  });

  it('a helper module the file imports raises while it loads: the helper\'s own line, then the import in the file', () => {
    const result = memplay(['run', file('imports-throwing-helper.ts')]);
    expect(result.status).toBe(1);
    const [headline, ...frames] = result.stderr.trimEnd().split('\n');
    expect(headline).toBe(`memplay: ${file('helpers/throws.ts')}:2:7: Error in loading the file: the helper refuses`);
    expect(frames.some((frame) => frame.includes(`${file('imports-throwing-helper.ts')}:`))).toBe(true);
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it('a file that raises while it loads: exit 1, its message and its own frame', () => {
    const result = memplay(['run', file('throws-on-load.ts')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^memplay: ${file('throws-on-load.ts')}:2:\\d+: Error in loading the file: refusing to load\\n`));
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it.each(['ts', 'mjs'])('a .%s file importing a module that does not exist: exit 1, the import\'s line and column, one message without the loader\'s require stack', (extension) => {
    const path = file(`imports-missing.${extension}`);
    const result = memplay(['run', path]);
    expect(result.status).toBe(1);
    const [headline, ...excerpt] = result.stderr.trimEnd().split('\n');
    expect(headline).toMatch(new RegExp(`^memplay: ${path}:2:25: Error in loading the file: Cannot find module '[^']*lib/missing-helper\\.js'`));
    expect(excerpt).toEqual(["    2 | import { helper } from './lib/missing-helper.js';", '      |                         ^']);
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it('a stress target whose setup raises: exit 1, naming the file, the line and the frame', () => {
    const result = memplay(['stress', file('setup-throws.ts'), '--ops', '10']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^memplay: ${file('setup-throws.ts')}:5:11: RangeError in setup: no room for the lock\\n {4}at .*setup-throws\\.ts:5:11\\)?\\n$`));
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it('under explore and stress --explore, a setup that raises is the file\'s error as under run and stress, not memplay\'s', () => {
    const result = memplay(['stress', file('setup-throws.ts'), '--explore']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^memplay: ${file('setup-throws.ts')}:5:11: RangeError in setup: no room for the lock\\n`));
    expect(result.stderr).not.toMatch(INTERNALS);
  });

  it('a stress role() that raises is the file\'s error, with its place, under stress and stress --explore alike (explore called it an error outcome of every schedule)', () => {
    writeFileSync(file('role-raises.ts'), stressTarget('({ lock }) => lock.acquire()', '() => {}').replace("role: () => ({", "role: (worker: number) => worker === 1 ? (undefined as never as { x: 1 }).x as never : ({"));
    for (const flags of [['--duration', '0.2'], ['--explore']]) {
      const result = memplay(['stress', file('role-raises.ts'), '--workers', '2', ...flags]);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^memplay: ${escaped(file('role-raises.ts'))}:\\d+:\\d+: TypeError in role\\(1, 2\\): Cannot read properties of undefined`));
    }
  });

  it('under explore, a worker that raises is the error witness with the place in the file', () => {
    const result = memplay(['explore', file('worker-throws.ts'), '--variant', 'fixed']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`witness for error \\(FORBIDDEN\\): worker [01] raised RangeError: no room \\(at ${file('worker-throws.ts')}:10:13\\)`));
  });

  it('under stress --explore, a worker that raises while it holds the lock is the error, not a deadlock of the worker left waiting', () => {
    const result = memplay(['stress', file('critical-throws.ts'), '--explore', '--ops', '3']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`witness for error \\(FORBIDDEN\\): worker [01] raised RangeError: out of range in critical \\(at ${file('critical-throws.ts')}:\\d+:\\d+\\)`));
    expect(result.stdout).not.toContain('deadlock');
  });

  it('under stress --explore, an acquire that returns nothing is an error saying what acquire must return (never verified)', () => {
    const result = memplay(['stress', file('acquire-void.ts'), '--explore']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('raised TypeError: acquire must return true (acquired) or false (this worker is done), not undefined');
    expect(result.stdout).not.toContain('verified');
  });

  it('a stress acquire that returns nothing: the run is an ERROR saying what acquire must return', () => {
    const result = memplay(['stress', file('acquire-void.ts'), '--ops', '10', '--workers', '1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/result: ERROR: worker 0 raised TypeError: acquire must return true \(acquired\) or false \(this worker is done\), not undefined/);
  });

  it('a stress worker that raises: the run is an ERROR with the frame in the file', () => {
    const result = memplay(['stress', file('critical-throws.ts'), '--ops', '10', '--workers', '1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('result: ERROR: worker 0 raised RangeError: out of range in critical');
    expect(result.stdout).toContain(`${file('critical-throws.ts')}:8:`);
  });
});
