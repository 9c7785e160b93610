// ReportUnlockedEmptinessChecks: true reports the unlocked emptiness tests
// and status queries that unlocked-container-access-emptiness.cpp shows
// hidden by default.
// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportUnlockedEmptinessChecks: true}}" -- -std=c++17
#include <list>
#include <mutex>
#include <thread>

// --------------------------------- member rule: reported with the option

class Queue {
public:
  void push(int V) {
    std::lock_guard<std::mutex> G(M);
    Items.push_back(V);
  }
  // Double-checked: the unlocked test decides whether to take the lock, the
  // decision is made again under it.
  bool popOne(int &Out) {
    if (!Items.empty()) {
      std::lock_guard<std::mutex> G(M);
      if (!Items.empty()) {
        Out = Items.front();
        Items.pop_front();
        return true;
      }
    }
    return false;
  }
  // An early return, then the list swapped out under the lock (safe on an
  // empty list).
  bool process() {
    if (Items.empty())
      return false;
    std::list<int> Taken;
    {
      std::lock_guard<std::mutex> G(M);
      Taken.swap(Items);
    }
    return !Taken.empty();
  }
  // A status query: stale as soon as it returns, with or without the lock.
  bool idle() const { return Items.empty(); } // CHECK-FIX: bool idle() const { std::scoped_lock lock(M); return Items.empty(); }
  void clear() {
    std::lock_guard<std::mutex> G(M);
    Items.clear();
  }

private:
  mutable std::mutex M;
  std::list<int> Items;
};

// --------------------------------------------------- reported anyway

class Unsafe {
public:
  void push(int V) {
    std::lock_guard<std::mutex> G(M);
    Items.push_back(V);
  }
  void clear() {
    std::lock_guard<std::mutex> G(M);
    Items.clear();
  }
  // The test guards unlocked uses of the list.
  int popUnlocked() {
    if (Items.empty()) // CHECK-WARN: container 'Items' is read without holding 'M', which guards its other accesses
      return -1;
    int V = Items.front(); // CHECK-WARN: container 'Items' is read without holding 'M', which guards its other accesses
    Items.pop_front(); // CHECK-WARN: container 'Items' is modified without holding 'M', which guards its other accesses
    // CHECK-FIX: { std::scoped_lock lock(M); Items.pop_front(); }
    return V;
  }
  // The element is taken under the lock, but the emptiness is not tested
  // again there: another consumer may have emptied the list.
  int popNoRecheck() {
    if (Items.empty()) // CHECK-WARN: container 'Items' is read without holding 'M', which guards its other accesses
      return -1;
    std::lock_guard<std::mutex> G(M);
    int V = Items.front();
    Items.pop_front();
    return V;
  }

private:
  std::mutex M;
  std::list<int> Items;
};

// --------------------------------- thread rule: reported with the option

void drain(void (*Consume)(std::list<int> &)) {
  std::mutex M;
  std::list<int> Items;
  std::thread Producer([&] {
    for (int I = 0; I < 3; ++I) {
      std::lock_guard<std::mutex> G(M);
      Items.push_back(I);
    }
  });
  for (int Round = 0; Round < 3; ++Round) {
    if (Items.empty())
      continue;
    std::list<int> Taken;
    {
      std::lock_guard<std::mutex> G(M);
      Taken.swap(Items);
    }
    Consume(Taken);
  }
  Producer.join();
}

// --------------------------------------------- thread rule: reported anyway

void drainUnlocked(void (*Consume)(int)) {
  std::mutex M;
  std::list<int> Items;
  std::thread Producer([&] {
    std::lock_guard<std::mutex> G(M);
    Items.push_back(1);
  });
  if (!Items.empty()) // CHECK-WARN: container 'Items' is read without holding 'M' while another thread modifies it
    Consume(Items.front()); // CHECK-WARN: container 'Items' is read without holding 'M' while another thread modifies it
  Producer.join();
}

// Notes of the findings above.
// CHECK-WARN@-110: container 'Items' is read without holding 'M', which guards its other accesses
// CHECK-NOTE@-116: 'Items' is modified under 'M' here
// CHECK-WARN@-99: container 'Items' is read without holding 'M', which guards its other accesses
// CHECK-NOTE@-118: 'Items' is modified under 'M' here
// CHECK-WARN@-91: container 'Items' is read without holding 'M', which guards its other accesses
// CHECK-NOTE@-120: 'Items' is modified under 'M' here
// CHECK-NOTE@-93: hold 'M' for this statement
// CHECK-NOTE@-77: 'Items' is modified under 'M' here
// CHECK-NOTE@-78: 'Items' is modified under 'M' here
// CHECK-NOTE@-79: 'Items' is modified under 'M' here
// CHECK-NOTE@-69: hold 'M' for this statement
// CHECK-NOTE@-81: 'Items' is modified under 'M' here
// CHECK-WARN@-39: container 'Items' is read without holding 'M' while another thread modifies it
// CHECK-NOTE@-44: conflicting modification on another thread under 'M'
// CHECK-NOTE@-22: conflicting modification on another thread under 'M'
// CHECK-NOTE@-23: conflicting modification on another thread under 'M'
