// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A local or by-value parameter captured by reference into a task or a
// lambda kept beyond the call (a member, the heap, a container of the
// caller, a returned lambda). The loop-less form of the same hazard: the
// function's frame is the iteration that ends. Detached threads are
// pitfall-unjoined-thread's.
#include <algorithm>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

void use(int);

struct Pool {
  std::future<void> submit(std::function<void()> f);
  void wait();
};

class Service {
public:
  void startWorker(int limit) {
    int seen = 0;
    // One pair of notes per warning.
    // CHECK-NOTE@+4:15: thread started here
    // CHECK-NOTE@+3:5: the thread is stored in member 'worker_' here, beyond the call
    // CHECK-NOTE@+2:15: thread started here
    // CHECK-NOTE@+1:5: the thread is stored in member 'worker_' here, beyond the call
    worker_ = std::thread([&] {
      // CHECK-WARN@+2:14: 'seen' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns (dangling reference)
      // CHECK-WARN@+1:21: 'limit' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns
      for (; seen < limit; ++seen)
        use(seen);
    });
  }
  void submitKept(int id) {
    // CHECK-WARN@+3: 'id' is captured by reference in a lambda that is passed to 'submit'; it is destroyed when the function returns
    // CHECK-NOTE@+2: passed to 'submit' here
    // CHECK-NOTE@+1: the task's result is stored in member 'pending_' here, beyond the call
    pending_ = pool_.submit([&id] { use(id); });
  }
  void setCallback(int base) {
    // CHECK-WARN@+2: 'base' is captured by reference in a lambda that is stored in member 'onEvent_'; it is destroyed when the function returns
    // CHECK-NOTE@+1: stored here
    onEvent_ = [&base](int v) { use(base + v); };
  }
  void onHeap(int n) {
    // CHECK-WARN@+3: 'n' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored on the heap here, beyond the call
    heap_.reset(new std::thread([&n] { use(n); }));
  }

  // Not flagged: joined or waited for before the return, captures that
  // alias longer-lived objects (members through `this`, reference
  // parameters), by-copy captures, synchronous callbacks.
  void joinedBeforeReturn(int limit) {
    worker_ = std::thread([&] { use(limit); });
    worker_.join();
  }
  void waitedBeforeReturn(int id) {
    pool_.submit([&id] { use(id); }).get();
  }
  // An executor's task whose result is dropped: the wait may be one the
  // analysis cannot see (an observer, a guard that shuts the pool down).
  void resultDropped(int id) {
    pool_.submit([&id] { use(id); });
  }
  void drainedBeforeReturn(int id) {
    pool_.submit([&id] { use(id); });
    pool_.wait();
  }
  void membersOnly() {
    worker_ = std::thread([this] { use(count_); });
  }
  void referenceParameter(const int &shared) {
    worker_ = std::thread([&shared] { use(shared); });
  }
  void byCopy(int base) {
    onEvent_ = [base](int v) { use(base + v); };
  }
  void synchronous(std::vector<int> &v, int k) {
    std::function<void()> f = [&] { v.push_back(k); };
    f();
  }

private:
  std::thread worker_;
  std::unique_ptr<std::thread> heap_;
  Pool pool_;
  std::future<void> pending_;
  std::function<void(int)> onEvent_;
  int count_ = 0;
};

void intoCallersContainer(std::vector<std::thread> &out) {
  int total = 0;
  // CHECK-WARN@+3: 'total' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns
  // CHECK-NOTE@+2: thread started here
  // CHECK-NOTE@+1: the thread is stored in 'out' here, beyond the call
  out.emplace_back([&total] { use(total); });
}

std::function<int()> returnsCapture() {
  int local = 42;
  // CHECK-WARN@+2: 'local' is captured by reference in a lambda that is returned; it is destroyed when the function returns
  // CHECK-NOTE@+1: returned here
  return [&local] { return local; };
}

// Not flagged: a reference parameter captured by reference names the
// caller's object, which the return does not destroy; a parameter pack of
// references alike, in a class template nobody instantiates as in one that
// is instantiated (a sender library's deferred completion factory).
auto returnsReferenceCapture(int &caller) {
  return [&caller] { return caller; };
}
template <class... Args> struct Deferred {
  static auto defer(Args &&...args) noexcept {
    return [&args...]() noexcept { return sizeof...(args); };
  }
};
template <class... Args> auto deferAll(Args &&...args) {
  return [&args...] { return sizeof...(args); };
}
int callsDeferAll(int a) { return deferAll(a, 2)(); }

// A by-value parameter pack is still the function's own.
template <class... Args> auto byValuePack(Args... args) {
  // CHECK-WARN@+2: 'args' is captured by reference in a lambda that is returned; it is destroyed when the function returns
  // CHECK-NOTE@+1: returned here
  return [&args...] { return sizeof...(args); };
}

// Not flagged: the caller's container of jthreads outlives the call, but
// the capture is by copy; a local jthread joins at the end of the scope.
void copiedIntoCallersContainer(std::vector<std::jthread> &out) {
  int total = 0;
  out.emplace_back([total] { use(total); });
}

void localJThread() {
  int total = 0;
  std::jthread t([&total] { use(total); });
}

// A helper that only runs its predicate (through std::remove_if), then
// assigns a value computed with it to its reference parameter: an
// iterator, a count, a span cannot hold the predicate. Not flagged.
template <class T> struct Span {
  T *first = nullptr, *last = nullptr;
  T *begin() const { return first; }
  T *end() const { return last; }
};
template <class T, class Pred> unsigned long eraseIf(Span<T> &sp, Pred p) {
  T *it = std::remove_if(sp.begin(), sp.end(), p);
  unsigned long count = sp.end() - it;
  sp = Span<T>{sp.first, sp.first + count};
  return count;
}
struct Headers {
  Span<int> items;
};
unsigned long removeMatching(Headers &h, int value) {
  bool seen = false;
  return eraseIf(h.items, [&](int x) {
    if (seen)
      return false;
    seen = x == value;
    return seen;
  });
}

// Flagged: a helper that keeps the predicate in the caller's object.
struct Filter {
  std::function<bool(int)> keep;
};
template <class Pred> void install(Filter &f, Pred p) { f.keep = p; }
void installMatching(Filter &f, int value) {
  // CHECK-WARN@+2: 'value' is captured by reference in a lambda that is stored in 'f'; it is destroyed when the function returns
  // CHECK-NOTE@+1: stored here
  install(f, [&value](int x) { return x == value; });
}
