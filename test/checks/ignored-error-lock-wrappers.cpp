// A C++ class that wraps a POSIX lock drops the result of the lock primitive
// it forwards to: a member function whose body is that one call (`void
// lock() { pthread_mutex_lock(&m_); }`), a constructor that initialises the
// lock, a destructor that destroys it. With default attributes these calls
// fail only on misuse (EINVAL, EDEADLK), which the wrapper has no way to
// report (std::mutex throws there and nobody catches it): not reported by
// default (ReportLockWrappers, LockWrapperFunctions). The same calls in a
// function that does more than forward, pthread_mutex_trylock (its result
// says whether the lock is held) and pthread_create stay reported.
// ignored-error-lock-wrappers-report.cpp has ReportLockWrappers on.
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17
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
