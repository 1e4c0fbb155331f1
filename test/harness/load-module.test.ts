/*
 * harness/load-module.ts on a user's TypeScript file outside any package (so
 * CommonJS to tsx): its `import ... from 'memplay'` is the very memplay that
 * loads it, not a copy compiled again. A real file in a temporary folder. (That
 * its errors name its own line and column is checked through the CLI, in
 * test/cli/user-file-errors.test.ts: the test runner rewrites stacks itself.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModule } from '../../src/harness/load-module.js';
import * as memplay from '../../src/index.js';
import * as scenarioEntry from '../../src/scenario.js';

describe('loadModule: a CommonJS-format TypeScript file', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-load-module-'));
    writeFileSync(join(folder, 'uses-memplay.ts'), ["import { Lock } from 'memplay';", "import { defineScenario } from 'memplay/scenario';", 'export const lockClass: unknown = Lock;', 'export const define: unknown = defineScenario;', ''].join('\n'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("gets the memplay that loads it for 'memplay' and 'memplay/scenario'", async () => {
    const loaded = await loadModule(join(folder, 'uses-memplay.ts'));
    expect(loaded.lockClass).toBe(memplay.Lock);
    expect(loaded.define).toBe(scenarioEntry.defineScenario);
  });
});
