/*
 * Linked into a second build of bench/contenders/pthread-bench.c by bench/all.ts:
 * starts and joins one thread before main runs, so the whole bench runs in a
 * process that has had more than one thread.
 *
 * Why: glibc's pthread_mutex_lock and unlock leave out the atomic instructions
 * while a process has only ever had one thread (there is nobody to exclude), so
 * an uncontended pair in the plain build measures a mutex that does not do a
 * mutex's work. A memplay Lock always lives in a multi-threaded process (Node
 * runs V8's and libuv's threads beside the main one), and so does any pthread
 * mutex that guards data shared between threads.
 */
#include <pthread.h>

static void *nothing(void *unused) { return unused; }

__attribute__((constructor)) static void start_one_thread(void) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, nothing, NULL) == 0) pthread_join(thread, NULL);
}
