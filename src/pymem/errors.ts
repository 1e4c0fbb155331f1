/*
 * The Python exceptions the memory model raises beyond src/errors.ts: each is
 * named and subclassed as in Python's builtins.
 */
import { PythonError, RuntimeError } from '../errors.js';

/** Python's RecursionError, a subclass of RuntimeError: the recursion limit was reached. */
export class RecursionError extends RuntimeError {}

/** Python's AttributeError: no such attribute (or no __dict__ to hold it). */
export class AttributeError extends PythonError {}

/** Python's KeyError: a dict has no such key. */
export class KeyError extends PythonError {}

/** Python's NameError: a name is not bound in the frame or the module. */
export class NameError extends PythonError {}

/** Python's ArithmeticError, the base of the two below. */
export class ArithmeticError extends PythonError {}

/** Python's ZeroDivisionError: division or modulo by zero, 0.0 to a negative power. */
export class ZeroDivisionError extends ArithmeticError {}

/** Python's OverflowError: a result too large for a float. */
export class OverflowError extends ArithmeticError {}
