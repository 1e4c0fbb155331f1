/*
 * Python's exception classes, as JavaScript errors.
 *
 * memplay's objects raise what their Python counterparts raise, under the same
 * names, so a reader who knows the Python recognises the failure at once.
 * Python's TypeError is JavaScript's own TypeError, so it is not redefined.
 */

/** Base of memplay's Python-named errors: `name` is the class name, as Python prints it. */
export class PythonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Python's RuntimeError: e.g. releasing a lock that is not held. */
export class RuntimeError extends PythonError {}

/** Python's ValueError: a right type with a wrong value (a negative timeout, a size <= 0). */
export class ValueError extends PythonError {}

/** Python's IndexError: an index outside a sequence. */
export class IndexError extends PythonError {}

/** Python's threading.BrokenBarrierError, a subclass of RuntimeError as in Python. */
export class BrokenBarrierError extends RuntimeError {}

/** Python's FileExistsError: creating a named segment whose name is taken. */
export class FileExistsError extends PythonError {}

/** Python's FileNotFoundError: attaching a named segment or a file that does not exist. */
export class FileNotFoundError extends PythonError {}

/** Python's IsADirectoryError: opening a directory as a file (mmap of a directory). */
export class IsADirectoryError extends PythonError {}

/** Python's OverflowError: a count past what its C type holds (an RLock acquired 2**31 - 1 times). */
export class OverflowError extends PythonError {}

/** Python's PermissionError: writing through a read-only mapping, or a file the OS will not open. */
export class PermissionError extends PythonError {}

/** Python's MemoryError: the kernel's shared memory is exhausted. */
export class MemoryError extends PythonError {}
