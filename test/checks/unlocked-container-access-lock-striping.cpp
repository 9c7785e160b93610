// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Lock striping: a container of locks, one per stripe of a table. A loop
// that locks every element of the container (a range-for or an iterator
// loop up to its end, nested over a container of containers) holds "all of
// the container" after it, until a loop that unlocks every element, or the
// object a helper returns holding them (a std::unique_ptr whose deleter
// unlocks them in a loop) is destroyed. Two threads that both hold all of
// them do not overlap, nor one holding all of them and one holding an
// element; two threads holding an element each may hold different ones.
#include <atomic>
#include <cassert>
#include <cstddef>
#include <functional>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

class spinlock {
  std::atomic_flag f_ = ATOMIC_FLAG_INIT;

public:
  spinlock() = default;
  spinlock(const spinlock &) {}
  void lock() {
    while (f_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { f_.clear(std::memory_order_release); }
  bool try_lock() { return !f_.test_and_set(std::memory_order_acquire); }
};

// 1. libcuckoo's table: lock_all() walks the list of lock arrays with an
// iterator and locks each spinlock of each array, then returns a
// std::unique_ptr whose deleter unlocks them all in the same nested loop.
// The arrays are appended to while all locks are held.
class Table {
public:
  using locks_t = std::vector<spinlock>;
  using all_locks_t = std::list<locks_t>;

  Table() { all_locks_.emplace_back(4); }

  void grow() {
    auto all_locks_manager = lock_all();
    maybe_resize_locks(all_locks_.back().size() * 2);
  }

  void rehash() {
    auto all_locks_manager = lock_all();
    all_locks_.emplace_back(32); // CHECK-NOTE: 'all_locks_' is modified under 'all_locks_' here
    // CHECK-NOTE@-1: 'all_locks_' is modified under 'all_locks_' here
    // CHECK-NOTE@-2: 'all_locks_' is modified under 'all_locks_' here
    // CHECK-NOTE@-3: 'all_locks_' is modified under 'all_locks_' here
  }

  // Read with no lock at all, while another thread appends (through the
  // getter below).
  std::size_t count() const { return get_current_locks().size(); }

  // One element lock excludes the holder of all of them: the read under it
  // is not reported; the one that picks the element, before it is locked,
  // is.
  bool first_empty(std::size_t i) {
    std::lock_guard<spinlock> g(all_locks_.back()[i % 4]); // CHECK-WARN: container 'all_locks_' is read without holding 'all_locks_', which guards its other accesses
    return all_locks_.front().empty();
  }

private:
  struct AllUnlocker {
    void operator()(Table *map) const {
      for (auto it = first_locked; it != map->all_locks_.end(); ++it) {
        locks_t &locks = *it;
        for (spinlock &lock : locks)
          lock.unlock();
      }
    }
    all_locks_t::iterator first_locked;
  };
  using AllLocksManager = std::unique_ptr<Table, AllUnlocker>;

  AllLocksManager lock_all() {
    // A failed assertion does not return: its path holds every lock.
    assert(!all_locks_.empty()); // CHECK-WARN: container 'all_locks_' is read without holding 'all_locks_', which guards its other accesses
    // Read before any lock is taken.
    const auto first_locked = all_locks_.begin(); // CHECK-WARN: container 'all_locks_' is read without holding 'all_locks_', which guards its other accesses
    auto current_locks = first_locked;
    while (current_locks != all_locks_.end()) {
      locks_t &locks = *current_locks;
      for (spinlock &lock : locks) {
        lock.lock();
      }
      ++current_locks;
    }
    return AllLocksManager(this, AllUnlocker{first_locked});
  }

  void maybe_resize_locks(std::size_t n) {
    locks_t new_locks(n);
    for (spinlock &lock : new_locks)
      lock.lock();
    all_locks_.emplace_back(std::move(new_locks));
  }

  locks_t &get_current_locks() const { return all_locks_.back(); } // CHECK-WARN: container 'all_locks_' is read without holding 'all_locks_', which guards its other accesses

  mutable all_locks_t all_locks_;
};

void table_worker(Table &t) {
  t.grow();
  t.rehash();
  (void)t.count();
  (void)t.first_empty(1);
}

void run_table() {
  Table t;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(table_worker, std::ref(t));
  for (auto &th : threads)
    th.join();
}

// 2. A flat array of stripes taken by a range-for and released by an
// iterator loop (or another range-for); an element taken alone excludes the
// holder of all of them. A function that takes and releases them all is not
// entered with them (only a release loop with nothing taken before says
// that): its caller's access before the call is unlocked.
struct Striped {
  std::vector<std::mutex> stripes{8};
  std::vector<int> items;

  void lockAll() {
    for (std::mutex &m : stripes)
      m.lock();
  }
  void unlockAll() {
    for (auto it = stripes.begin(); it != stripes.end(); ++it)
      it->unlock();
  }
  void clearAll() {
    lockAll();
    items.clear(); // CHECK-NOTE: 'items' is modified under 'stripes' here
    unlockAll();
  }
  void appendAll(int v) {
    for (auto &m : stripes)
      m.lock();
    items.push_back(v);
    for (auto &m : stripes)
      m.unlock();
  }
  int peek(std::size_t i) {
    std::lock_guard<std::mutex> g(stripes[i % stripes.size()]);
    return items.empty() ? 0 : items.front();
  }
  // appendAll() takes the stripes and releases them: it is no function
  // entered with them, and neither is its caller, whose access before the
  // call holds nothing.
  void resetThenAppend(int v) {
    items.clear(); // CHECK-WARN: container 'items' is modified without holding 'stripes', which guards its other accesses
    appendAll(v);
  }
};

void run_striped() {
  Striped s;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&s, i] {
      s.clearAll();
      s.appendAll(i);
      (void)s.peek(static_cast<std::size_t>(i));
      s.resetThenAppend(i);
    });
  for (auto &th : threads)
    th.join();
}

// 3. Kept reported: a loop that locks and unlocks each element in the same
// iteration holds nothing after it.
struct OneByOne {
  std::vector<std::mutex> stripes{8};
  std::vector<int> items;

  void touchAll(int v) {
    for (auto &m : stripes) {
      m.lock();
      m.unlock();
    }
    items.push_back(v); // CHECK-WARN: container 'items' is modified without a lock while another thread modifies it
  }
};

void run_one_by_one() {
  OneByOne o;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&o, i] { o.touchAll(i); }); // CHECK-NOTE: the thread is started in a loop and runs concurrently with itself
  for (auto &th : threads)
    th.join();
}

// 4. Kept reported: two threads that each hold one element of the stripes
// may hold different ones.
struct ElementOnly {
  std::vector<std::mutex> stripes{8};
  std::vector<int> items;

  void add(std::size_t i, int v) {
    std::lock_guard<std::mutex> g(stripes[i % stripes.size()]);
    items.push_back(v); // CHECK-WARN: container 'items' is modified without holding 'stripes' while another thread modifies it
  }
};

void run_element_only() {
  ElementOnly e;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&e, i] { e.add(static_cast<std::size_t>(i), i); }); // CHECK-NOTE: the thread is started in a loop and runs concurrently with itself
  for (auto &th : threads)
    th.join();
}

// 5. The stripes returned held by an object whose destructor unlocks them
// all: the caller's variable is their guard, to the end of its scope.
struct Shards {
  std::vector<std::mutex> stripes{8};
  std::vector<int> items;
  struct AllGuard {
    Shards *s;
    ~AllGuard() {
      for (std::mutex &m : s->stripes)
        m.unlock();
    }
  };
  AllGuard lockAll() {
    for (std::mutex &m : stripes)
      m.lock();
    return AllGuard{this};
  }
  void add(int v) {
    AllGuard g = lockAll();
    items.push_back(v); // CHECK-NOTE: 'items' is modified under 'stripes' here
  }
  void addAfter(int v) {
    {
      AllGuard g = lockAll();
      items.push_back(v);
    }
    items.push_back(v); // CHECK-WARN: container 'items' is modified without holding 'stripes', which guards its other accesses
  }
};

void run_shards() {
  Shards s;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&s, i] {
      s.add(i);
      s.addAfter(i);
    });
  for (auto &th : threads)
    th.join();
}

// 6. An index loop from 0 to the stripes' size takes every stripe (the one
// recogniser of loops over every element, Core ElementLoops); one to a
// bound of its own (`i < n`) may take some only.
struct Indexed {
  std::vector<std::mutex> stripes{8};
  std::vector<int> items;

  void add(int v) {
    for (std::size_t i = 0; i < stripes.size(); ++i)
      stripes[i].lock();
    items.push_back(v);
    for (std::size_t i = 0; i < stripes.size(); ++i)
      stripes[i].unlock();
  }
  void addSome(int v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      stripes[i].lock();
    items.push_back(v); // CHECK-WARN: container 'items' is modified without holding 'stripes' while another thread modifies it
    for (std::size_t i = 0; i < n; ++i)
      stripes[i].unlock();
  }
  void drop() {
    for (std::size_t i = 0; i < stripes.size(); ++i)
      stripes[i].lock();
    items.clear();
    for (std::size_t i = 0; i < stripes.size(); ++i)
      stripes[i].unlock();
  }
};

void run_indexed() {
  Indexed s;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&s, i] { // CHECK-NOTE: the thread is started in a loop and runs concurrently with itself
      s.add(i);
      s.addSome(i, 2);
      s.drop();
    });
  for (auto &th : threads)
    th.join();
}
