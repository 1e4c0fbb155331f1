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
 *
 * Usage: pthread-bench <measurement> <operations>
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

int main(int argc, char **argv) {
  if (argc != 3 || (operations = atol(argv[2])) <= 0) {
    fprintf(stderr, "usage: pthread-bench uncontended|contended|condvar-pong|futex-pong|startup OPERATIONS\n");
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
