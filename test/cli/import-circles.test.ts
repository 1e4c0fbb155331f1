/*
 * The CLI's modules form no import circle: the commands name the exit codes
 * through src/cli/exit-codes.ts, never through the program that imports them.
 */
import { describe, expect, it } from 'vitest';
import { findCircle, importGraph } from '../helpers/import-graph.js';

describe('src/cli', () => {
  it('has no import circle', () => {
    expect(findCircle(importGraph('src/cli'))).toBeNull();
  });
});
