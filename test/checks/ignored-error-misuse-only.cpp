// POSIX synchronisation calls whose failure, with default attributes, can
// only come from misuse (EINVAL, EPERM, EDEADLK, EBUSY): a mutex's, rwlock's
// or spin lock's lock and unlock, a condition variable's signal, broadcast
// and wait, the destroy functions, the init functions given a null
// attributes pointer, and a semaphore's post. Their dropped results are not
// reported by default (ReportMisuseOnlyResults;
// ignored-error-misuse-only-report.cpp turns it on), wherever they are called. Reported: the try-lock and timed variants
// (their result is the outcome: whether the lock is held, the wait timed
// out), an init with attributes, pthread_create, pthread_join, sem_wait
// (EINTR), a key's create (EAGAIN: the keys run out, ENOMEM), pthread_spin_init
// (no attributes object: POSIX lists EAGAIN and ENOMEM).
// The calls that fail only on misuse or when memory runs out (ENOMEM): an
// attributes object's init, a key's setspecific, a fork handler's
// registration, are not reported either (ReportOutOfMemoryOnlyResults;
// ignored-error-out-of-memory-only-report.cpp turns it on).
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

// ------------------------------------------ fails only on misuse

class Registry {
public:
  Registry() {
    pthread_mutex_init(&mu_, nullptr); // fails only on misuse: not reported
    pthread_cond_init(&cv_, NULL); // fails only on misuse: not reported
    pthread_rwlock_init(&rw_, nullptr); // fails only on misuse: not reported
    pthread_spin_init(&spin_, PTHREAD_PROCESS_PRIVATE); // CHECK-WARN: failure status returned by 'pthread_spin_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void add(int v) {
    pthread_mutex_lock(&mu_); // fails only on misuse: not reported
    total_ += v;
    pthread_cond_signal(&cv_); // fails only on misuse: not reported
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
  }
  void addAll(int v) {
    pthread_mutex_lock(&mu_); // fails only on misuse: not reported
    total_ += v;
    pthread_cond_broadcast(&cv_); // fails only on misuse: not reported
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
  }
  int waitPositive() {
    pthread_mutex_lock(&mu_); // fails only on misuse: not reported
    while (total_ <= 0)
      pthread_cond_wait(&cv_, &mu_); // fails only on misuse: not reported
    int v = total_;
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
    return v;
  }
  int read() {
    pthread_rwlock_rdlock(&rw_); // fails only on misuse: not reported
    int v = shared_;
    pthread_rwlock_unlock(&rw_); // fails only on misuse: not reported
    return v;
  }
  void write(int v) {
    pthread_rwlock_wrlock(&rw_); // fails only on misuse: not reported
    shared_ = v;
    pthread_rwlock_unlock(&rw_); // fails only on misuse: not reported
  }
  void spin(int v) {
    pthread_spin_lock(&spin_); // fails only on misuse: not reported
    shared_ += v;
    pthread_spin_unlock(&spin_); // fails only on misuse: not reported
  }
  void deinit() {
    pthread_mutex_destroy(&mu_); // fails only on misuse: not reported
    pthread_cond_destroy(&cv_); // fails only on misuse: not reported
    pthread_rwlock_destroy(&rw_); // fails only on misuse: not reported
    pthread_spin_destroy(&spin_); // fails only on misuse: not reported
  }
  // A store nobody reads, of a lock's result.
  void stored(int v) {
    int rc = pthread_mutex_lock(&mu_); // fails only on misuse: not reported
    total_ = v;
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
  }

  // ------------------------------------------------- reported: the outcome
  bool tryAdd(int v) {
    pthread_mutex_trylock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_trylock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
    return true;
  }
  void timedAdd(const timespec *until, int v) {
    pthread_mutex_timedlock(&mu_, until); // CHECK-WARN: failure status returned by 'pthread_mutex_timedlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_cond_timedwait(&cv_, &mu_, until); // CHECK-WARN: failure status returned by 'pthread_cond_timedwait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_mutex_unlock(&mu_); // fails only on misuse: not reported
  }
  void tryRead(const timespec *until) {
    pthread_rwlock_tryrdlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_tryrdlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_rwlock_trywrlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_trywrlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_rwlock_timedrdlock(&rw_, until); // CHECK-WARN: failure status returned by 'pthread_rwlock_timedrdlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_rwlock_timedwrlock(&rw_, until); // CHECK-WARN: failure status returned by 'pthread_rwlock_timedwrlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_spin_trylock(&spin_); // CHECK-WARN: failure status returned by 'pthread_spin_trylock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  bool tryStored() {
    int rc = pthread_mutex_trylock(&mu_); // CHECK-WARN: error stored in 'rc' by 'pthread_mutex_trylock' is never read
    total_ = 1;
    return true;
  }

private:
  pthread_mutex_t mu_;
  pthread_cond_t cv_;
  pthread_rwlock_t rw_;
  pthread_spinlock_t spin_;
  int total_ = 0;
  int shared_ = 0;
};

// Attributes that are not the default: the init may fail for other reasons.
void initWithAttributes(pthread_mutex_t *m, pthread_mutexattr_t *attr) {
  pthread_mutexattr_init(attr); // fails only when memory runs out: not reported
  pthread_mutexattr_settype(attr, PTHREAD_MUTEX_ERRORCHECK); // CHECK-WARN: failure status returned by 'pthread_mutexattr_settype' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_mutex_init(m, attr); // CHECK-WARN: failure status returned by 'pthread_mutex_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_mutexattr_destroy(attr); // fails only on misuse: not reported
}

// Threads, semaphores and keys fail for reasons of the system.
void *work(void *);
void threads(sem_t *s) {
  pthread_t t;
  pthread_key_t key;
  pthread_create(&t, nullptr, work, nullptr); // CHECK-WARN: failure status returned by 'pthread_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  sem_wait(s); // CHECK-WARN: failure status returned by 'sem_wait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_key_create(&key, nullptr); // CHECK-WARN: failure status returned by 'pthread_key_create' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_setspecific(key, s); // fails only on misuse or when memory runs out: not reported
  pthread_join(t, nullptr); // CHECK-WARN: failure status returned by 'pthread_join' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_key_delete(key); // fails only on misuse: not reported
}

// A semaphore's post fails only on an invalid semaphore (EINVAL) or when
// its count would pass SEM_VALUE_MAX (EOVERFLOW: posts nobody waits for).
// Its wait (EINTR), try-wait and timed wait (the outcome) and init (ENOSYS
// for a shared one, EINVAL for a count too large) are reported.
void semaphores(sem_t *s) {
  sem_post(s); // fails only on misuse: not reported
  sem_trywait(s); // CHECK-WARN: failure status returned by 'sem_trywait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  sem_init(s, 0, 1); // CHECK-WARN: failure status returned by 'sem_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}

// Cancellation: setting a thread's cancel state or type fails only on an
// invalid value (EINVAL), cancelling a thread only when it does not exist
// (ESRCH).
void cancellation(pthread_t t) {
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr); // fails only on misuse: not reported
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, nullptr); // fails only on misuse: not reported
  pthread_cancel(t); // fails only on misuse: not reported
}


// A one-time initialisation fails only when its control or routine is
// invalid (EINVAL, the one error POSIX lists; glibc never fails): a lazily
// made singleton's pthread_once is not reported. Nor is a fork handler's
// registration, which fails only when memory runs out (ENOMEM).
template <typename T> class Singleton {
public:
  static T &instance() {
    pthread_once(&once_, &Singleton::init); // fails only on misuse: not reported
    return *value_;
  }
private:
  static void init() { value_ = new T(); }
  static pthread_once_t once_;
  static T *value_;
};
template <typename T> pthread_once_t Singleton<T>::once_ = PTHREAD_ONCE_INIT;
template <typename T> T *Singleton<T>::value_ = nullptr;
int &singletonValue() { return Singleton<int>::instance(); }
void afterFork();
void registerForkHandler() {
  pthread_atfork(nullptr, nullptr, &afterFork); // fails only when memory runs out: not reported
}
