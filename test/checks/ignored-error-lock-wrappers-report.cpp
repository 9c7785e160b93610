// ReportLockWrappers: true with ReportMisuseOnlyResults: true reports the
// lock primitives' results dropped in lock wrapper classes that
// ignored-error-lock-wrappers.cpp shows hidden by default (a destructor's
// stays hidden as teardown: ReportTeardown). The first reports pthread_spin_init,
// pthread_key_create; the second the primitives that fail only on misuse,
// wherever they are; ReportOutOfMemoryOnlyResults pthread_setspecific.
// (ReportConventionallyIgnored: a drop of several dismissible kinds is
// reported only when all their options are on; this file drops its
// primitives at many call sites.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true, pitfall-ignored-error.ReportLockWrappers: true, pitfall-ignored-error.ReportMisuseOnlyResults: true, pitfall-ignored-error.ReportOutOfMemoryOnlyResults: true}}" -- -std=c++17
#include <pthread.h>

// ------------------------------------------------ reported with the option

class MutexLock {
public:
  MutexLock() { pthread_mutex_init(&m_, nullptr); } // CHECK-WARN: failure status returned by 'pthread_mutex_init' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  ~MutexLock() { pthread_mutex_destroy(&m_); }
  void lock() { pthread_mutex_lock(&m_); } // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void unlock() { pthread_mutex_unlock(&m_); } // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value

private:
  pthread_mutex_t m_;
};

class SpinLock {
public:
  SpinLock() { pthread_spin_init(&s_, PTHREAD_PROCESS_PRIVATE); } // CHECK-WARN: failure status returned by 'pthread_spin_init' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void lock() { pthread_spin_lock(&s_); } // CHECK-WARN: failure status returned by 'pthread_spin_lock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void unlock() { pthread_spin_unlock(&s_); } // CHECK-WARN: failure status returned by 'pthread_spin_unlock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value

private:
  pthread_spinlock_t s_;
};

class RWLock {
public:
  RWLock() { pthread_rwlock_init(&l_, nullptr); } // CHECK-WARN: failure status returned by 'pthread_rwlock_init' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void rdlock() { pthread_rwlock_rdlock(&l_); } // CHECK-WARN: failure status returned by 'pthread_rwlock_rdlock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void wrlock() { pthread_rwlock_wrlock(&l_); } // CHECK-WARN: failure status returned by 'pthread_rwlock_wrlock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  void unlock() { pthread_rwlock_unlock(&l_); } // CHECK-WARN: failure status returned by 'pthread_rwlock_unlock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value

private:
  pthread_rwlock_t l_;
};

class ThreadLocal {
public:
  ThreadLocal() { pthread_key_create(&key_, nullptr); } // CHECK-WARN: failure status returned by 'pthread_key_create' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  ~ThreadLocal() { pthread_key_delete(key_); }
  void set(void *v) { pthread_setspecific(key_, v); } // CHECK-WARN: failure status returned by 'pthread_setspecific' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value

private:
  pthread_key_t key_;
};

// ------------------------------------------------------- reported anyway

class Wrapper {
public:
  // Its result says whether the lock is held: not a misuse-only failure.
  bool try_lock() {
    pthread_mutex_trylock(&m_); // CHECK-WARN: failure status returned by 'pthread_mutex_trylock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    return true;
  }
  // Does more than forward: the lock guards the work that follows.
  void add(int v) {
    pthread_mutex_lock(&m_); // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_mutex_unlock(&m_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void start(void *(*fn)(void *)) {
    pthread_create(&t_, nullptr, fn, this); // CHECK-WARN: failure status returned by 'pthread_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }

private:
  pthread_mutex_t m_;
  pthread_t t_;
  int total_ = 0;
};

// A free function is no wrapper class.
void lockGlobal(pthread_mutex_t *m) {
  pthread_mutex_lock(m); // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
}
