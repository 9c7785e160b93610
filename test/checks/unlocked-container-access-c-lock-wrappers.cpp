// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A C API's lock functions recognised by what they take, not by a name list:
// a free function declared without a body whose first parameter points to a
// mutex (pthread_mutex_t, pthread_rwlock_t, mtx_t, through typedefs such as
// libuv's `typedef pthread_mutex_t uv_mutex_t;`, or a struct holding one)
// and whose name's last word says lock, unlock, rdlock or wrlock (rdunlock,
// wrunlock); a trylock or timedlock is a try, no acquisition. A condition wait taking
// (cond *, mutex *) returns with the mutex held again.
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

extern "C" {
typedef pthread_mutex_t uv_mutex_t;
typedef pthread_rwlock_t uv_rwlock_t;
typedef pthread_cond_t uv_cond_t;
void uv_mutex_lock(uv_mutex_t *handle);
int uv_mutex_trylock(uv_mutex_t *handle);
void uv_mutex_unlock(uv_mutex_t *handle);
void uv_rwlock_rdlock(uv_rwlock_t *rwlock);
void uv_rwlock_rdunlock(uv_rwlock_t *rwlock);
void uv_rwlock_wrlock(uv_rwlock_t *rwlock);
void uv_rwlock_wrunlock(uv_rwlock_t *rwlock);
void uv_cond_wait(uv_cond_t *cond, uv_mutex_t *mutex);

// A project's lock struct holding a pthread mutex, and its C API.
struct app_lock {
  pthread_mutex_t m;
  int owner;
};
void app_lock_init(struct app_lock *l);
void app_lock_lock(struct app_lock *l);
void app_lock_unlock(struct app_lock *l);
}

// --- Not flagged -------------------------------------------------------------

struct Worker {
  uv_mutex_t m_mutex;
  uv_cond_t m_cond;
  std::vector<int> m_tasks;
  bool m_finished = false;

  void push(int t) {
    uv_mutex_lock(&m_mutex);
    m_tasks.push_back(t);
    uv_mutex_unlock(&m_mutex);
  }
  void run() {
    uv_mutex_lock(&m_mutex);
    do {
      uv_cond_wait(&m_cond, &m_mutex);
      m_tasks.clear();
    } while (!m_finished);
    uv_mutex_unlock(&m_mutex);
  }
  void start() {
    std::thread t(&Worker::run, this);
    push(1);
    t.join();
  }
};

struct Registry {
  uv_rwlock_t lock;
  std::vector<std::string> names;
  void add(const std::string &n) {
    uv_rwlock_wrlock(&lock);
    names.push_back(n);
    uv_rwlock_wrunlock(&lock);
  }
  size_t count() {
    uv_rwlock_rdlock(&lock);
    size_t n = names.size();
    uv_rwlock_rdunlock(&lock);
    return n;
  }
  void start() {
    std::thread t([this] { add("x"); });
    (void)count();
    t.join();
  }
};

struct AppList {
  app_lock lock;
  std::vector<int> items;
  void add(int v) {
    app_lock_lock(&lock);
    items.push_back(v);
    app_lock_unlock(&lock);
  }
  void start() {
    std::thread t([this] { add(1); });
    add(2);
    t.join();
  }
};

// --- Flagged -----------------------------------------------------------------

struct Unlocked {
  uv_mutex_t m;
  std::vector<int> items;
  void add(int v) {
    uv_mutex_lock(&m);
    items.push_back(v); // CHECK-NOTE: 'items' is modified under 'm' here
    uv_mutex_unlock(&m);
  }
  void addMore(int v) {
    uv_mutex_lock(&m);
    items.push_back(v);
    uv_mutex_unlock(&m);
  }
  void addLate(int v) {
    uv_mutex_lock(&m);
    uv_mutex_unlock(&m);
    // CHECK-WARN@+1: container 'items' is modified without holding 'm', which guards its other accesses
    items.push_back(v);
  }
  void start() {
    std::thread t([this] { add(1); });
    addMore(2);
    addLate(3);
    t.join();
  }
};

// A function whose last word is no lock operation is none (`lock` is the
// noun of `app_lock_init`).
struct Initialised {
  app_lock lock;
  std::vector<int> items;
  void add(int v) {
    app_lock_lock(&lock);
    items.push_back(v); // CHECK-NOTE: 'items' is modified under 'lock' here
    app_lock_unlock(&lock);
  }
  void addMore(int v) {
    app_lock_lock(&lock);
    items.push_back(v);
    app_lock_unlock(&lock);
  }
  void reset() {
    app_lock_init(&lock);
    items.clear(); // CHECK-WARN: container 'items' is modified without holding 'lock', which guards its other accesses
  }
  void start() {
    std::thread t([this] { add(1); });
    addMore(2);
    reset();
    t.join();
  }
};
