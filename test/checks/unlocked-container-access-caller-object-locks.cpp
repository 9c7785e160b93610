// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A lock the callers hold on a mutex member of their own object, when the
// callee reaches that mutex field through another object path: a pointer or
// reference member, or a parameter, of the callee whose class is the one that
// owns the field. luanti's EmergeManager holds its own `m_queue_mutex` and
// calls `thread->pushBlock(pos)`, whose other accesses of `m_block_queue`
// hold `m_emerge->m_queue_mutex`: the same field, through the thread's
// pointer to its manager. The field decides: a mutex of the same name in
// another class is no entry lock, and a callee also called without the lock
// is still reported.
#include <memory>
#include <mutex>
#include <queue>
#include <vector>

// 1. The emerge shape: a public member called only under the caller's own
// mutex, the callee reaching it through a pointer member. Not reported.
class Mgr;
class Worker {
public:
  bool pushBlock(int pos); // requires the queue mutex held
  bool popBlock(int *pos);
  void cancel();
  Mgr *m_emerge;
  std::queue<int> m_block_queue;
};
class Mgr {
public:
  bool enqueue(int pos);
  std::mutex m_queue_mutex;
  std::vector<Worker *> m_threads;
};
bool Mgr::enqueue(int pos) {
  std::lock_guard<std::mutex> l(m_queue_mutex);
  Worker *t = m_threads[0];
  t->pushBlock(pos);
  return true;
}
bool Worker::pushBlock(int pos) {
  m_block_queue.push(pos);
  return true;
}
bool Worker::popBlock(int *pos) {
  std::lock_guard<std::mutex> l(m_emerge->m_queue_mutex);
  if (m_block_queue.empty())
    return false;
  *pos = m_block_queue.front();
  m_block_queue.pop();
  return true;
}
void Worker::cancel() {
  std::lock_guard<std::mutex> l(m_emerge->m_queue_mutex);
  while (!m_block_queue.empty())
    m_block_queue.pop();
}

// 2. The same through a private member the owner's class may call (a
// friend), the owner reached through a std::shared_ptr member. Not reported.
class Hub;
class Station {
  friend class Hub;
  void pushLocked(int v) { items_.push_back(v); }

public:
  void drain();
  void take();
  std::shared_ptr<Hub> hub_;
  std::vector<int> items_;
};
class Hub {
public:
  std::mutex mu_;
  Station *station_ = nullptr;
  void post(int v) {
    std::lock_guard<std::mutex> l(mu_);
    station_->pushLocked(v);
  }
};
void Station::drain() {
  std::lock_guard<std::mutex> l(hub_->mu_);
  items_.clear();
}
void Station::take() {
  std::lock_guard<std::mutex> l(hub_->mu_);
  items_.pop_back();
}

// 3. The callee reaches the owner through its parameter, which the caller
// binds to an object it does not name (a pointer a call returns). Not
// reported.
class Board;
class Pin {
public:
  void add(Board *b, int v);
  void remove(Board *b);
  void clear(Board *b);
  std::vector<int> pins_;
};
Board *boardOf(const Pin &p);
class Board {
public:
  std::mutex lock_;
  void put(Pin &p, int v) {
    std::lock_guard<std::mutex> g(lock_);
    p.add(boardOf(p), v);
  }
};
void Pin::add(Board *b, int v) { pins_.push_back(v); }
void Pin::remove(Board *b) {
  std::lock_guard<std::mutex> g(b->lock_);
  pins_.pop_back();
}
void Pin::clear(Board *b) {
  std::lock_guard<std::mutex> g(b->lock_);
  pins_.clear();
}

// 4. Still reported: the caller holds a mutex of the same name in another
// class than the one the callee's evidence names.
class Owner;
class Stranger;
class Slot {
public:
  void put(int v) {
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'm_queue_mutex', which guards its other accesses
  }
  void drop();
  void clear();
  Owner *owner_;
  std::vector<int> items_;
};
class Owner {
public:
  std::mutex m_queue_mutex;
};
void Slot::drop() {
  std::lock_guard<std::mutex> l(owner_->m_queue_mutex);
  items_.pop_back(); // CHECK-NOTE: 'items_' is modified under 'm_queue_mutex' here
}
void Slot::clear() {
  std::lock_guard<std::mutex> l(owner_->m_queue_mutex);
  items_.clear();
}
class Stranger {
public:
  std::mutex m_queue_mutex;
  Slot *slot_;
  void give(int v) {
    std::lock_guard<std::mutex> l(m_queue_mutex);
    slot_->put(v);
  }
};

// 5. Still reported: the callee is also called without the lock.
class Office;
class Desk {
public:
  void file(int v) {
    papers_.push_back(v); // CHECK-WARN: container 'papers_' is modified without holding 'mu_', which guards its other accesses
  }
  void shred();
  void sort();
  Office *office_;
  std::vector<int> papers_;
};
class Office {
public:
  std::mutex mu_;
  Desk *desk_;
  void locked(int v) {
    std::lock_guard<std::mutex> l(mu_);
    desk_->file(v);
  }
  void unlocked(int v) { desk_->file(v); }
};
void Desk::shred() {
  std::lock_guard<std::mutex> l(office_->mu_);
  papers_.pop_back(); // CHECK-NOTE: 'papers_' is modified under 'mu_' here
}
void Desk::sort() {
  std::lock_guard<std::mutex> l(office_->mu_);
  papers_.clear();
}
