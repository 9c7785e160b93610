// A thread handed to an RAII joiner before it is started: the joiner holds
// the thread by reference or pointer, and its destructor joins what it
// holds, so the thread is joined when the joiner is destroyed, also after a
// later start by assignment. It covers the thread while the joiner lives:
// a joiner destroyed after the thread was started (declared after it, in
// the same or an inner scope) leaves nothing to the thread's destruction.
// A joiner made by a factory function from its thread-reference arguments
// (sobjectizer's `auto_join(t1, t2)`, an array of thread pointers) counts.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <array>
#include <cstddef>
#include <thread>

void work();
void mayThrow();
bool ready() noexcept;

// Holds a pointer, joins it if joinable.
class PtrJoiner {
  std::thread *t_;

public:
  explicit PtrJoiner(std::thread &t) : t_(&t) {}
  ~PtrJoiner() {
    if (t_->joinable())
      t_->join();
  }
};

// Given the thread's address.
class AddrJoiner {
  std::thread *t_;

public:
  explicit AddrJoiner(std::thread *t) : t_(t) {}
  ~AddrJoiner() {
    if (t_->joinable())
      t_->join();
  }
};

// Holds a reference.
class RefJoiner {
  std::thread &t_;

public:
  explicit RefJoiner(std::thread &t) : t_(t) {}
  ~RefJoiner() {
    if (t_.joinable())
      t_.join();
  }
};

// An array of thread pointers, filled through a member function, joined
// in a loop: made by a factory from its thread-reference arguments.
template <std::size_t N> class ArrayJoiner {
  std::array<std::thread *, N> threads_{};

public:
  ArrayJoiner() = default;
  ArrayJoiner(ArrayJoiner &&o) noexcept { threads_.swap(o.threads_); }
  ~ArrayJoiner() {
    for (auto *t : threads_)
      if (t && t->joinable())
        t->join();
  }
  void set(std::size_t i, std::thread &t) { threads_[i] = &t; }
};

template <typename J> void addAll(J &, std::size_t) {}
template <typename J, typename... Tail>
void addAll(J &j, std::size_t i, std::thread &t, Tail &&...tail) {
  j.set(i, t);
  addAll(j, i + 1, tail...);
}

template <typename... Tail>
ArrayJoiner<1 + sizeof...(Tail)> autoJoin(std::thread &first, Tail &&...tail) {
  ArrayJoiner<1 + sizeof...(Tail)> j;
  addAll(j, 0, first, tail...);
  return j;
}

// Holds the thread but its destructor detaches it: an RAII joiner of a
// thread already started (the destructor releases it), not of one started
// later.
class Detacher {
  std::thread *t_;

public:
  explicit Detacher(std::thread &t) : t_(&t) {}
  ~Detacher() {
    if (t_->joinable())
      t_->detach();
  }
};

// ---------------------------------------------------------------- negatives

void pointerJoinerThenStart() {
  std::thread worker;
  PtrJoiner joiner(worker);
  worker = std::thread(work);
}

void addressJoinerThenStart() {
  std::thread worker;
  AddrJoiner joiner(&worker);
  worker = std::thread(work);
  mayThrow();
}

void referenceJoinerThenStart() {
  std::thread worker;
  RefJoiner joiner(worker);
  worker = std::thread(work);
  mayThrow();
}

void factoryJoinerThenStart() {
  std::thread first;
  std::thread second;
  auto joiner = autoJoin(first, second);
  first = std::thread(work);
  mayThrow();
  second = std::thread(work);
  mayThrow();
}

// Started, joined, started again: the joiner covers the second start too.
void restartAfterJoin() {
  std::thread worker;
  PtrJoiner joiner(worker);
  worker = std::thread(work);
  worker.join();
  worker = std::thread(work);
  if (!ready())
    return;
  mayThrow();
}

// The joiner in an inner scope that ends after the start.
void innerScopeJoinerAfterStart() {
  std::thread worker;
  {
    PtrJoiner joiner(worker);
    worker = std::thread(work);
    mayThrow();
  }
}

// Handed over after the start (already understood).
void joinerAfterStart() {
  std::thread worker(work);
  PtrJoiner joiner(worker);
  mayThrow();
}

// ---------------------------------------------------------------- positives

// The joiner is destroyed before the thread is started.
void joinerEndsBeforeStart() {
  std::thread worker;
  {
    PtrJoiner joiner(worker);
  }
  worker = std::thread(work); // CHECK-NOTE: thread 'worker' started here
} // CHECK-WARN: thread 'worker' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-1: join or detach 'worker' before this point

// A joiner whose destructor does not join what it holds.
void detacherThenStart() {
  std::thread worker;
  Detacher d(worker);
  worker = std::thread(work); // CHECK-NOTE: thread 'worker' started here
} // CHECK-WARN: thread 'worker' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-1: join or detach 'worker' before this point

// Reassigned while joinable: the joiner joins only at its destruction.
void reassignedWhileGuarded() {
  std::thread worker;
  PtrJoiner joiner(worker);
  worker = std::thread(work); // CHECK-NOTE: thread 'worker' started here
  worker = std::thread(work); // CHECK-WARN: thread 'worker' is assigned to while it may be joinable (std::terminate is called)
  // CHECK-NOTE@-1: join or detach 'worker' before this point
}

// The joiner holds another thread.
void joinerOfAnotherThread() {
  std::thread guarded;
  std::thread other;
  auto joiner = autoJoin(guarded);
  guarded = std::thread(work);
  other = std::thread(work); // CHECK-NOTE: thread 'other' started here
} // CHECK-WARN: thread 'other' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-1: join or detach 'other' before this point
