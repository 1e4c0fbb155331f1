/*
 * What the eval loop needs from whatever guards the interpreter: the GIL of a
 * default CPython build (gil.ts), or nothing at all in a free-threaded build
 * (free-threading.ts, CPython 3.13t's PYTHON_GIL=0).
 *
 * The eval loop reads `words[breaker]` at every eval-breaker point (one atomic
 * load, what CPython's eval_breaker check costs) and calls handleDropRequest()
 * when it is non-zero. take() and drop() bracket a thread's life and every
 * blocking call (Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS).
 *
 * The breaker's words are a fixed-length view of the kernel (src/sync/region-words.ts):
 * V8 reads the length-tracking kernel.words about five times slower, which would
 * dominate a loop that checks before every bytecode.
 */
export interface InterpreterLock {
  /** The shared words the breaker lives in. */
  readonly words: Int32Array;
  /** Index of the eval-breaker word in `words`: non-zero asks the running thread to call handleDropRequest(). */
  readonly breaker: number;
  take(): void;
  drop(): void;
  handleDropRequest(): void;
  /** Whether the calling thread holds the lock. */
  isHeld(): boolean;
}

