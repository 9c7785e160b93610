// ReportMisuseOnlyResults: true reports the dropped results of the POSIX
// synchronisation calls that fail only on misuse, which
// ignored-error-misuse-only.cpp shows hidden by default (the same code).
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true, pitfall-ignored-error.ReportMisuseOnlyResults: true}}" -- -std=c++17
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

// ------------------------------------------ fails only on misuse

class Registry {
public:
  Registry() {
    pthread_mutex_init(&mu_, nullptr); // CHECK-WARN: failure status returned by 'pthread_mutex_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_cond_init(&cv_, NULL); // CHECK-WARN: failure status returned by 'pthread_cond_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_rwlock_init(&rw_, nullptr); // CHECK-WARN: failure status returned by 'pthread_rwlock_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_spin_init(&spin_, PTHREAD_PROCESS_PRIVATE); // CHECK-WARN: failure status returned by 'pthread_spin_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void add(int v) {
    pthread_mutex_lock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_cond_signal(&cv_); // CHECK-WARN: failure status returned by 'pthread_cond_signal' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void addAll(int v) {
    pthread_mutex_lock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_cond_broadcast(&cv_); // CHECK-WARN: failure status returned by 'pthread_cond_broadcast' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  int waitPositive() {
    pthread_mutex_lock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_lock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    while (total_ <= 0)
      pthread_cond_wait(&cv_, &mu_); // CHECK-WARN: failure status returned by 'pthread_cond_wait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    int v = total_;
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    return v;
  }
  int read() {
    pthread_rwlock_rdlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_rdlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    int v = shared_;
    pthread_rwlock_unlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    return v;
  }
  void write(int v) {
    pthread_rwlock_wrlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_wrlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    shared_ = v;
    pthread_rwlock_unlock(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void spin(int v) {
    pthread_spin_lock(&spin_); // CHECK-WARN: failure status returned by 'pthread_spin_lock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    shared_ += v;
    pthread_spin_unlock(&spin_); // CHECK-WARN: failure status returned by 'pthread_spin_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  void deinit() {
    pthread_mutex_destroy(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_destroy' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_cond_destroy(&cv_); // CHECK-WARN: failure status returned by 'pthread_cond_destroy' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_rwlock_destroy(&rw_); // CHECK-WARN: failure status returned by 'pthread_rwlock_destroy' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_spin_destroy(&spin_); // CHECK-WARN: failure status returned by 'pthread_spin_destroy' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }
  // A store nobody reads, of a lock's result.
  void stored(int v) {
    int rc = pthread_mutex_lock(&mu_); // CHECK-WARN: error stored in 'rc' by 'pthread_mutex_lock' is never read
    total_ = v;
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  }

  // ------------------------------------------------- reported: the outcome
  bool tryAdd(int v) {
    pthread_mutex_trylock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_trylock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    return true;
  }
  void timedAdd(const timespec *until, int v) {
    pthread_mutex_timedlock(&mu_, until); // CHECK-WARN: failure status returned by 'pthread_mutex_timedlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    total_ += v;
    pthread_cond_timedwait(&cv_, &mu_, until); // CHECK-WARN: failure status returned by 'pthread_cond_timedwait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
    pthread_mutex_unlock(&mu_); // CHECK-WARN: failure status returned by 'pthread_mutex_unlock' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
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
  pthread_mutexattr_init(attr); // fails only when memory runs out: ReportOutOfMemoryOnlyResults, off here
  pthread_mutexattr_settype(attr, PTHREAD_MUTEX_ERRORCHECK); // CHECK-WARN: failure status returned by 'pthread_mutexattr_settype' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_mutex_init(m, attr); // CHECK-WARN: failure status returned by 'pthread_mutex_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_mutexattr_destroy(attr); // CHECK-WARN: failure status returned by 'pthread_mutexattr_destroy' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
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
  pthread_setspecific(key, s); // fails only when memory runs out: ReportOutOfMemoryOnlyResults, off here
  pthread_join(t, nullptr); // CHECK-WARN: failure status returned by 'pthread_join' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_key_delete(key); // CHECK-WARN: failure status returned by 'pthread_key_delete' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}

// A semaphore's post fails only on an invalid semaphore (EINVAL) or when
// its count would pass SEM_VALUE_MAX (EOVERFLOW: posts nobody waits for).
void semaphores(sem_t *s) {
  sem_post(s); // CHECK-WARN: failure status returned by 'sem_post' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  sem_trywait(s); // CHECK-WARN: failure status returned by 'sem_trywait' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  sem_init(s, 0, 1); // CHECK-WARN: failure status returned by 'sem_init' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}

void cancellation(pthread_t t) {
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr); // CHECK-WARN: failure status returned by 'pthread_setcancelstate' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, nullptr); // CHECK-WARN: failure status returned by 'pthread_setcanceltype' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_cancel(t); // CHECK-WARN: failure status returned by 'pthread_cancel' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}


// A one-time initialisation's result, reported with the option on.
pthread_once_t onceFlag = PTHREAD_ONCE_INIT;
void initOnce();
void once() {
  pthread_once(&onceFlag, &initOnce); // CHECK-WARN: failure status returned by 'pthread_once' is discarded
    // CHECK-NOTE@-1: compare the result with the function's failure value
}
