/*
 * The tests that compare memplay with the real python3 run only where PATH holds
 * one (the machines' python3 is 3.11; the fixtures they check stay committed).
 * Skipped elsewhere, with the reason in the test's title.
 */
import { findPython3 } from '../../src/python/cpython-runs.js';

/** python3 from PATH, or null. */
export const python3 = findPython3();

/** `title`, saying the test is skipped and why when PATH holds no python3. */
export function needsPython3(title: string): string {
  return python3 === null ? `${title} (SKIPPED: no python3 on PATH)` : title;
}
