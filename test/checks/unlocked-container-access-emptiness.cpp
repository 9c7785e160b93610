// An unlocked emptiness test (empty(), size()) that only decides whether to
// take the lock, when every other use of the container in the function holds
// a lock and none that needs an element (front(), pop_front()) goes without a
// test made again under the lock; and an unlocked status query (`bool idle()
// const { return items_.empty(); }`): a race by the letter, kept on purpose
// for the cost of a lock per poll. Not reported by default
// (ReportUnlockedEmptinessChecks), by the member rule nor the thread rule. An
// unlocked test that guards unlocked uses, or a locked use that needs an
// element without a test under the lock, stays reported.
// unlocked-container-access-emptiness-report.cpp has the option on.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
#include <list>
#include <mutex>
#include <thread>

// --------------------------------- member rule: not reported by default

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
  bool idle() const { return Items.empty(); }
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

// --------------------------------- thread rule: not reported by default

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
// CHECK-NOTE@-70: 'Items' is modified under 'M' here
// CHECK-NOTE@-71: 'Items' is modified under 'M' here
// CHECK-NOTE@-72: 'Items' is modified under 'M' here
// CHECK-NOTE@-62: hold 'M' for this statement
// CHECK-NOTE@-74: 'Items' is modified under 'M' here
// CHECK-NOTE@-13: conflicting modification on another thread under 'M'
// CHECK-NOTE@-14: conflicting modification on another thread under 'M'
