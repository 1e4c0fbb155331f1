/*
 * The C contender in `npm run bench`: POSIX threads on this machine, measured the
 * same way as memplay's primitives. Compiled on the fly by bench/all.ts with the
 * machine's cc (cc -O2 -pthread); prints one JSON object per measurement:
 *
 *   uncontended   pthread_mutex_lock + unlock pairs on one thread, ns per pair
 *   contended     2 threads, one mutex, a short critical section, ops per second
 *   condvar-pong  2 threads hand a turn back and forth through a mutex + condvar, us per round trip
 *   futex-pong    the same hand-off through raw futex(2) wait/wake on one word, us per round trip
 *   startup       pthread_create + pthread_join of a thread that does nothing, us per thread
 *   scaling       THREADS threads on LOCKS mutexes (thread i takes mutex i % LOCKS), a short
 *                 critical section, for MILLISECONDS: ops per second, then Jain's fairness
 *                 index over the threads' op counts (measurement "scaling-fairness", unit "jain")
 *
 * Usage: pthread-bench <measurement> <operations>
 *        pthread-bench scaling <milliseconds> <threads> <locks>
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long operations;
static volatile long shared_counter;
static int turn;
static _Atomic int futex_turn;

static void report(const char *name, const char *unit, double value) {
  printf("{\"measurement\":\"%s\",\"unit\":\"%s\",\"value\":%.3f}\n", name, unit, value);
}

static void uncontended(void) {
  double start = now_ns();
  for (long i = 0; i < operations; i++) {
    pthread_mutex_lock(&mutex);
    pthread_mutex_unlock(&mutex);
  }
  report("uncontended", "ns/pair", (now_ns() - start) / operations);
}

static void *contend(void *unused) {
  (void)unused;
  for (long i = 0; i < operations; i++) {
    pthread_mutex_lock(&mutex);
    shared_counter = shared_counter + 1;
    pthread_mutex_unlock(&mutex);
  }
  return NULL;
}

static void contended(void) {
  pthread_t other;
  double start = now_ns();
  pthread_create(&other, NULL, contend, NULL);
  contend(NULL);
  pthread_join(other, NULL);
  double seconds = (now_ns() - start) / 1e9;
  if (shared_counter != 2 * operations) {
    fprintf(stderr, "pthread-bench: lost updates under a mutex?\n");
    exit(1);
  }
  report("contended", "ops/s", 2.0 * operations / seconds);
}

/* Player `me` waits for turn == me, then hands the turn to the other player. */
static void *condvar_player(void *arg) {
  int me = (int)(intptr_t)arg;
  for (long i = 0; i < operations; i++) {
    pthread_mutex_lock(&mutex);
    while (turn != me) pthread_cond_wait(&turn_changed, &mutex);
    turn = 1 - me;
    pthread_cond_signal(&turn_changed);
    pthread_mutex_unlock(&mutex);
  }
  return NULL;
}

static long futex(_Atomic int *word, int op, int value) {
  return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

static void *futex_player(void *arg) {
  int me = (int)(intptr_t)arg;
  for (long i = 0; i < operations; i++) {
    while (atomic_load(&futex_turn) != me) futex(&futex_turn, FUTEX_WAIT_PRIVATE, 1 - me);
    atomic_store(&futex_turn, 1 - me);
    futex(&futex_turn, FUTEX_WAKE_PRIVATE, 1);
  }
  return NULL;
}

static void ping_pong(const char *name, void *(*player)(void *)) {
  pthread_t other;
  double start = now_ns();
  pthread_create(&other, NULL, player, (void *)(intptr_t)1);
  player((void *)(intptr_t)0);
  pthread_join(other, NULL);
  report(name, "us/round-trip", (now_ns() - start) / 1e3 / operations);
}

static void *nothing(void *unused) { return unused; }

static void startup(void) {
  double start = now_ns();
  for (long i = 0; i < operations; i++) {
    pthread_t thread;
    pthread_create(&thread, NULL, nothing, NULL);
    pthread_join(thread, NULL);
  }
  report("startup", "us/thread", (now_ns() - start) / 1e3 / operations);
}

#define MAX_SCALING 64
#define OPS_PER_CHECK 64

/* One mutex and its counter, or one thread's op count, alone on its cache line. */
struct scaling_lock {
  pthread_mutex_t mutex;
  long counter;
} __attribute__((aligned(64)));
struct scaling_count {
  long ops;
} __attribute__((aligned(64)));

static struct scaling_lock scaling_locks[MAX_SCALING];
static struct scaling_count scaling_counts[MAX_SCALING];
static long scaling_lock_count;
static _Atomic int scaling_go, scaling_stop;

static void *scaling_worker(void *arg) {
  long me = (long)(intptr_t)arg;
  struct scaling_lock *mine = &scaling_locks[me % scaling_lock_count];
  long ops = 0;
  while (!atomic_load(&scaling_go)) continue;
  while (!atomic_load_explicit(&scaling_stop, memory_order_relaxed)) {
    for (int i = 0; i < OPS_PER_CHECK; i++) {
      pthread_mutex_lock(&mine->mutex);
      mine->counter = mine->counter + 1;
      pthread_mutex_unlock(&mine->mutex);
    }
    ops += OPS_PER_CHECK;
  }
  scaling_counts[me].ops = ops;
  return NULL;
}

static void scaling(long milliseconds, long threads, long locks) {
  pthread_t workers[MAX_SCALING];
  scaling_lock_count = locks;
  for (long i = 0; i < locks; i++) pthread_mutex_init(&scaling_locks[i].mutex, NULL);
  for (long i = 0; i < threads; i++) pthread_create(&workers[i], NULL, scaling_worker, (void *)(intptr_t)i);
  double start = now_ns();
  atomic_store(&scaling_go, 1);
  struct timespec duration = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
  nanosleep(&duration, NULL);
  atomic_store(&scaling_stop, 1);
  for (long i = 0; i < threads; i++) pthread_join(workers[i], NULL);
  double seconds = (now_ns() - start) / 1e9;
  double sum = 0, squares = 0;
  for (long i = 0; i < threads; i++) {
    sum += (double)scaling_counts[i].ops;
    squares += (double)scaling_counts[i].ops * (double)scaling_counts[i].ops;
  }
  report("scaling", "ops/s", sum / seconds);
  report("scaling-fairness", "jain", squares > 0 ? sum * sum / (threads * squares) : 1.0 / threads);
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "scaling") == 0) {
    long milliseconds = atol(argv[2]), threads = atol(argv[3]), locks = atol(argv[4]);
    if (milliseconds <= 0 || threads <= 0 || threads > MAX_SCALING || locks <= 0 || locks > MAX_SCALING) {
      fprintf(stderr, "pthread-bench: scaling needs 0 < milliseconds, 0 < threads, locks <= %d\n", MAX_SCALING);
      return 2;
    }
    scaling(milliseconds, threads, locks);
    return 0;
  }
  if (argc != 3 || (operations = atol(argv[2])) <= 0) {
    fprintf(stderr, "usage: pthread-bench uncontended|contended|condvar-pong|futex-pong|startup OPERATIONS\n"
                    "       pthread-bench scaling MILLISECONDS THREADS LOCKS\n");
    return 2;
  }
  const char *what = argv[1];
  if (strcmp(what, "uncontended") == 0) uncontended();
  else if (strcmp(what, "contended") == 0) contended();
  else if (strcmp(what, "condvar-pong") == 0) ping_pong("condvar-pong", condvar_player);
  else if (strcmp(what, "futex-pong") == 0) ping_pong("futex-pong", futex_player);
  else if (strcmp(what, "startup") == 0) startup();
  else {
    fprintf(stderr, "pthread-bench: unknown measurement '%s'\n", what);
    return 2;
  }
  return 0;
}
