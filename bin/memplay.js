#!/usr/bin/env node
// The memplay command: runs the compiled CLI (dist/), which `npm run build` makes.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("memplay: not built yet: run 'npm run build' (or 'npm start') in the memplay folder first\n");
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
