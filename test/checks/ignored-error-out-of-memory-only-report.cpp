// ReportOutOfMemoryOnlyResults: true reports the dropped results of the
// POSIX calls that fail only on misuse or when memory runs out (ENOMEM),
// which ignored-error-misuse-only.cpp shows hidden by default. The calls that
// can fail for other reasons of the system stay reported without it.
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportOutOfMemoryOnlyResults: true}}" -- -std=c++17
// RUN: %scan_one %s pitfall-ignored-error --option pitfall-ignored-error.ReportOutOfMemoryOnlyResults=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=SCAN
// RUN: %scan_one %s pitfall-ignored-error -- -std=c++17 | FileCheck %s --check-prefix=DEFAULT
#include <pthread.h>

void afterFork();
void *work(void *);

void setUp(pthread_mutexattr_t *ma, pthread_attr_t *ta, pthread_condattr_t *ca,
           pthread_key_t key, void *value) {
  pthread_mutexattr_init(ma); // CHECK-WARN: failure status returned by 'pthread_mutexattr_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_attr_init(ta); // CHECK-WARN: failure status returned by 'pthread_attr_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_condattr_init(ca); // CHECK-WARN: failure status returned by 'pthread_condattr_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_setspecific(key, value); // CHECK-WARN: failure status returned by 'pthread_setspecific' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_atfork(nullptr, nullptr, &afterFork); // CHECK-WARN: failure status returned by 'pthread_atfork' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}
// SCAN: ignored-error-out-of-memory-only-report.cpp:[[@LINE-11]]:{{[0-9]+}}: note: failure status returned by 'pthread_mutexattr_init' is discarded
// SCAN: ignored-error-out-of-memory-only-report.cpp:[[@LINE-4]]:{{[0-9]+}}: note: failure status returned by 'pthread_atfork' is discarded

// Out of keys (EAGAIN), out of threads (EAGAIN): reported, as warnings, with
// or without the option.
void keysAndThreads(pthread_key_t *key) {
  pthread_t t;
  pthread_key_create(key, nullptr); // CHECK-WARN: failure status returned by 'pthread_key_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_create(&t, nullptr, work, nullptr); // CHECK-WARN: failure status returned by 'pthread_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}
// SCAN: ignored-error-out-of-memory-only-report.cpp:[[@LINE-5]]:{{[0-9]+}}: warning: failure status returned by 'pthread_key_create' is discarded
// DEFAULT-NOT: pthread_atfork
// DEFAULT-NOT: pthread_setspecific
// DEFAULT: ignored-error-out-of-memory-only-report.cpp:[[@LINE-8]]:{{[0-9]+}}: warning: failure status returned by 'pthread_key_create' is discarded
// DEFAULT-NOT: pthread_atfork
