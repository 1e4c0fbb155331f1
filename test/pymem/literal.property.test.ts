// No expression, however malformed, makes the evaluator or `sim sizeof` fail with an internal error:
// each random or mutated input gives a value, a Python-named error, or (at the CLI) one usage line.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PythonError } from '../../src/errors.js';
import { sizeofExpression } from '../../src/cli/commands/sim.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { PyHeap } from '../../src/pymem/heap.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/cpython-3.11.json', import.meta.url), 'utf8'));
const sources: string[] = [...fixture.literals, ...fixture.expressions].map((entry: { source: string }) => entry.source);

const PIECES = [
  '0', '1', '7', '9', '00', '.', 'e', 'j', 'x', 'o', '_', '+', '-', '*', '**', '/', '//', '%', '~', '<<', '>>', '<', '=', '==', '!', '&', '|', '^', '@',
  '(', ')', '[', ']', '{', '}', ',', ':', "'", '"', "'''", '\\', '\\x', '\\N{', '\\u', '\\U', '\\400', 'b', 'r', 'f', 'u', '#', '\n', ' ', '\t',
  ' for ', ' in ', ' if ', 'i', 'k', 'range', 'list', 'tuple', 'set', 'frozenset', 'dict', 'dict.fromkeys', 'bytes', 'bytearray', 'str', 'int', 'float',
  '...', 'None', 'True', 'lambda', 'not', 'é', '\ud83d', '😀', '2**', '10**', '1e308', '-0.0',
];

const randomText = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((pieces) => pieces.join(''));
const mutatedSource = fc
  .tuple(fc.constantFrom(...sources), fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 4 }))
  .map(([source, edits]) =>
    edits.reduce((text, [at, edit, piece]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1);
      return text.slice(0, i) + piece + text.slice(edit === 'replace' ? i + 1 : i);
    }, source),
  );
const anyInput = fc.oneof(randomText, mutatedSource);

/** Python's own TypeError wordings (the project's TypeError is JavaScript's, so an internal one must not pass for Python's). */
const PYTHON_TYPE_ERROR = /^(unsupported operand type\(s\)|can only concatenate|can't (multiply|concat)|bad operand type|unhashable type|'[a-z_]+' object (is not iterable|cannot be interpreted)|'[<>=!]+' not supported between|string argument without|cannot convert|(int|float)\(\) argument|range expected|fromkeys expected|[a-z]+ expected at most)/;

function isPythonError(error: unknown): boolean {
  if (error instanceof PythonError) return true;
  return error instanceof TypeError && PYTHON_TYPE_ERROR.test(error.message);
}

describe('malformed expressions', () => {
  it('give the evaluator a value or a Python-named error, never an internal one', () => {
    const heap = new PyHeap({ capacity: 1 << 17, storeWords: 1 << 22 });
    try {
      fc.assert(
        fc.property(anyInput, (source) => {
          try {
            heap.decref(heap.literal(source));
          } catch (error) {
            expect(isPythonError(error), `${JSON.stringify(source)} -> ${(error as Error).name}: ${(error as Error).message}`).toBe(true);
          }
        }),
        { numRuns: 600, seed: 11 },
      );
    } finally {
      heap.destroy();
    }
  });

  it('give `sim sizeof` a breakdown or one usage line, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (source) => {
        try {
          expect((await sizeofExpression(source)).size).toBeGreaterThan(0);
        } catch (error) {
          expect(error, `${JSON.stringify(source)} -> ${(error as Error).name}: ${(error as Error).message}`).toBeInstanceOf(UsageError);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
