// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// A loop condition read under a lock is not the cross-thread stop flag,
// whatever takes the lock: a C API's lock function recognised by what it
// takes (libuv's uv_mutex_lock over `typedef pthread_mutex_t uv_mutex_t;`,
// declared without a body), which uv_cond_wait keeps held; a lifetime lock
// of the object (its constructor locks, only its destructor unlocks). Round
// 19's xmrig HelperThread: the worker's loop on m_finished runs under
// uv_mutex_lock, the destructor writes it under the same mutex; the
// constructor's spin on m_ready holds no lock and is reported.
#include <chrono>
#include <mutex>
#include <pthread.h>
#include <thread>

extern "C" {
typedef pthread_mutex_t uv_mutex_t;
typedef pthread_cond_t uv_cond_t;
int uv_mutex_init(uv_mutex_t *handle);
void uv_mutex_destroy(uv_mutex_t *handle);
void uv_mutex_lock(uv_mutex_t *handle);
int uv_mutex_trylock(uv_mutex_t *handle);
void uv_mutex_unlock(uv_mutex_t *handle);
int uv_cond_init(uv_cond_t *cond);
void uv_cond_destroy(uv_cond_t *cond);
void uv_cond_signal(uv_cond_t *cond);
void uv_cond_wait(uv_cond_t *cond, uv_mutex_t *mutex);
}

void run_tasks();

struct HelperThread {
  HelperThread() {
    uv_mutex_init(&m_mutex);
    uv_cond_init(&m_cond);
    m_thread = new std::thread(&HelperThread::run, this);
    do {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (!m_ready); // CHECK-WARN: loop condition reads plain bool 'm_ready', which another function writes
  }
  ~HelperThread() {
    uv_mutex_lock(&m_mutex);
    m_finished = true;
    uv_cond_signal(&m_cond);
    uv_mutex_unlock(&m_mutex);
    m_thread->join();
    delete m_thread;
    uv_mutex_destroy(&m_mutex);
    uv_cond_destroy(&m_cond);
  }
  void run() {
    uv_mutex_lock(&m_mutex);
    m_ready = true; // CHECK-NOTE: 'm_ready' is written here
    do {
      uv_cond_wait(&m_cond, &m_mutex);
      run_tasks();
    } while (!m_finished);
    uv_mutex_unlock(&m_mutex);
  }

  uv_mutex_t m_mutex;
  uv_cond_t m_cond;
  volatile bool m_ready = false; // CHECK-NOTE: volatile does not make 'm_ready' safe to share between threads
  volatile bool m_finished = false;
  std::thread *m_thread = nullptr;
};

// Lifetime lock: the session's members run under the lock its constructor
// took (and its flag is written under it).
class Session {
public:
  explicit Session(std::mutex &m) : m_(&m) { m_->lock(); }
  ~Session() { m_->unlock(); }
  void drain() {
    while (!done_)
      run_tasks();
  }
  void finish() { done_ = true; }

private:
  std::mutex *m_;
  volatile bool done_ = false;
};
void start(std::mutex &m) {
  Session s(m);
  std::thread t([&s] { s.finish(); });
  s.drain();
  t.join();
}
