// The severity of the drops of calls that fail only on misuse and of drops
// in test code, as pitfall-scan reports them: a note, reported only with
// ReportMisuseOnlyResults / ReportInTests. Every function of this file is
// test code (its main file defines a test case); the same kind of call in
// production code stays a warning (ignored-error-code-kinds.cpp).
// RUN: %scan_one %s pitfall-ignored-error --option pitfall-ignored-error.ReportMisuseOnlyResults=true \
// RUN:   --option pitfall-ignored-error.ReportInTests=true -- -std=c++17 -isystem %S/Inputs/test-frameworks \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-ignored-error]"
// Without the options, neither note is reported.
// RUN: %scan_one %s pitfall-ignored-error -- -std=c++17 -isystem %S/Inputs/test-frameworks \
// RUN:   | FileCheck %s --allow-empty --check-prefix=DEFAULT
// DEFAULT-NOT: [pitfall-ignored-error]
#include <gtest_shape.h>
#include <pthread.h>

void *work(void *);

void locked(pthread_mutex_t *m, int *n) {
  pthread_mutex_lock(m);
  // CHECK: severity-misuse-tests.cpp:[[@LINE-1]]:3: note: failure status returned by 'pthread_mutex_lock' is discarded [pitfall-ignored-error]
  ++*n;
  (void)pthread_mutex_unlock(m);
}

void start(pthread_t *t) {
  pthread_create(t, nullptr, work, nullptr);
  // CHECK: severity-misuse-tests.cpp:[[@LINE-1]]:3: note: failure status returned by 'pthread_create' is discarded [pitfall-ignored-error]
}

TEST(Threads, Start) {
  pthread_t t;
  pthread_create(&t, nullptr, work, nullptr);
  // CHECK: severity-misuse-tests.cpp:[[@LINE-1]]:3: note: failure status returned by 'pthread_create' is discarded [pitfall-ignored-error]
  (void)pthread_join(t, nullptr);
}
