// A C++ class that wraps a POSIX lock or key drops the result of the
// primitive it forwards to: a member function whose body is that one call, a
// constructor that initialises it, a destructor that destroys it. Not
// reported by default: the primitives that fail only on misuse (`void lock()
// { pthread_mutex_lock(&m_); }`, an init with null attributes) as such,
// wherever they are called (ReportMisuseOnlyResults,
// ignored-error-misuse-only.cpp); the others a wrapper forwards to
// (pthread_spin_init, pthread_key_create) because the wrapper has no way to
// report them (ReportLockWrappers, LockWrapperFunctions); pthread_setspecific,
// which fails only when memory runs out, wherever it is called
// (ReportOutOfMemoryOnlyResults). Reported: those others in a function that does more
// than forward or in a free function, pthread_mutex_trylock (its result
// says whether the lock is held) and pthread_create.
// ignored-error-lock-wrappers-report.cpp has both options on.
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
#include <pthread.h>

// ------------------------------------------------ not reported by default

class MutexLock {
public:
  MutexLock() { pthread_mutex_init(&m_, nullptr); }
  ~MutexLock() { pthread_mutex_destroy(&m_); }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_;
};

class SpinLock {
public:
  SpinLock() { pthread_spin_init(&s_, PTHREAD_PROCESS_PRIVATE); }
  void lock() { pthread_spin_lock(&s_); }
  void unlock() { pthread_spin_unlock(&s_); }

private:
  pthread_spinlock_t s_;
};

class RWLock {
public:
  RWLock() { pthread_rwlock_init(&l_, nullptr); }
  void rdlock() { pthread_rwlock_rdlock(&l_); }
  void wrlock() { pthread_rwlock_wrlock(&l_); }
  void unlock() { pthread_rwlock_unlock(&l_); }

private:
  pthread_rwlock_t l_;
};

class ThreadLocal {
public:
  ThreadLocal() { pthread_key_create(&key_, nullptr); }
  ~ThreadLocal() { pthread_key_delete(key_); }
  void set(void *v) { pthread_setspecific(key_, v); }

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
  // Does more than forward: the lock and unlock fail only on misuse
  // (ReportMisuseOnlyResults), the key's value fails to be stored only when
  // memory runs out (ReportOutOfMemoryOnlyResults).
  void add(int v) {
    pthread_mutex_lock(&m_);
    total_ += v;
    pthread_setspecific(key_, &total_); // fails only when memory runs out: not reported
    pthread_mutex_unlock(&m_);
  }
  void start(void *(*fn)(void *)) {
    pthread_create(&t_, nullptr, fn, this); // CHECK-WARN: failure status returned by 'pthread_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }

private:
  pthread_mutex_t m_;
  pthread_t t_;
  pthread_key_t key_;
  int total_ = 0;
};

// A free function is no wrapper class.
void initKey(pthread_key_t *k) {
  pthread_key_create(k, nullptr); // CHECK-WARN: failure status returned by 'pthread_key_create' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
}
