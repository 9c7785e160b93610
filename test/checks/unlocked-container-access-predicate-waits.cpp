// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Member rule: an access made after a completed wait for an atomic flag
// that the writer stores after its guarded write is ordered after that
// write (Poco's AsyncNotificationCenterTest: the handler runs on the
// notification center's worker, `{ lock(_mutex); _set.insert("handleAuto");
// _handleAuto1Done = true; }`; the test does `assertTrue(waitForCondition(
// [&]{ return _handleAuto1Done.load(); }, 5000));` and then reads and
// clears `_set` without the lock). The wait is recognised by what it does:
// a spin loop on the flag (`while (!done) yield();`), or a call of a
// function that polls its callable parameter in a loop and returns true
// only when a call of it did (CppUnit's waitForCondition), whose result
// the caller asserts (hands to a `bool` parameter) or branches on; the
// callable a lambda that returns a seq_cst or acquire load of the flag. The
// wait is the access's context's, before the access or the call leading to
// it, or that of the helper holding the access, before it.
// Still reported: a wait whose result is ignored, a flag the writer stores
// before its write or with a relaxed store, an access before the wait.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

template <typename Func> bool waitForCondition(Func Condition, long TimeoutMs) {
  auto Start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - Start <
         std::chrono::milliseconds(TimeoutMs)) {
    if (Condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Condition(); // a final check
}

// Calls its callable once and says nothing about what it returned.
template <typename Func> bool pollOnce(Func Condition) {
  Condition();
  return true;
}

// A test framework's check: fails the test when the condition is false.
void assertImplementation(bool Condition, const char *Text);

// Runs its subscribers on a worker thread of its own.
class Center {
public:
  void subscribe(std::function<void()> Handler);
};

class NotificationTest {
public:
  void handleAuto() {
    std::lock_guard<std::mutex> L(Mutex);
    Set.insert("handleAuto");
    AutoDone = true;
  }
  std::size_t count() {
    std::lock_guard<std::mutex> L(Mutex);
    return Set.size();
  }
  bool has(const std::string &K) {
    std::lock_guard<std::mutex> L(Mutex);
    return Set.find(K) != Set.end();
  }
  void dump(std::string &Out) {
    std::lock_guard<std::mutex> L(Mutex);
    for (const std::string &S : Set)
      Out += S;
  }

  void testAsserted() {
    Center C;
    C.subscribe([this] { handleAuto(); });
    assertImplementation(
        waitForCondition([&] { return AutoDone.load(); }, 5000), "done");
    assertImplementation(Set.find("handleAuto") != Set.end(), "found");
    Set.clear();
    AutoDone = false;
  }
  void testBranch() {
    if (!waitForCondition([this] { return AutoDone.load(); }, 5000))
      return;
    Set.erase("handleAuto");
  }
  void testSpinLoop() {
    while (!AutoDone.load())
      std::this_thread::yield();
    Set.clear();
  }
  void testHelper() { waitAndCheck(); }

private:
  // Judged in its caller: the wait is the helper's own, before its read.
  void waitAndCheck() {
    assertImplementation(
        waitForCondition([&] { return AutoDone.load(); }, 5000), "done");
    assertImplementation(Set.find("handleAuto") != Set.end(), "found");
  }

  std::mutex Mutex;
  std::set<std::string> Set;
  std::atomic<bool> AutoDone{false};
};

class StillReported {
public:
  void handleLate() {
    std::lock_guard<std::mutex> L(Mutex);
    // CHECK-NOTE@+5:5: 'Set' is modified under 'Mutex' here
    // CHECK-NOTE@+4:5: 'Set' is modified under 'Mutex' here
    // CHECK-NOTE@+3:5: 'Set' is modified under 'Mutex' here
    // CHECK-NOTE@+2:5: 'Set' is modified under 'Mutex' here
    // CHECK-NOTE@+1:5: 'Set' is modified under 'Mutex' here
    Set.insert("late");
    LateDone = true;
  }
  void handleEarly() {
    EarlyDone = true; // before the write: the reader may run first
    std::lock_guard<std::mutex> L(Mutex);
    Set.insert("early");
  }
  void handleRelaxed() {
    std::lock_guard<std::mutex> L(Mutex);
    Set.insert("relaxed");
    RelaxedDone.store(true, std::memory_order_relaxed);
  }
  std::size_t count() {
    std::lock_guard<std::mutex> L(Mutex);
    return Set.size();
  }
  bool has(const std::string &K) {
    std::lock_guard<std::mutex> L(Mutex);
    return Set.find(K) != Set.end();
  }

  void testIgnored() {
    waitForCondition([&] { return LateDone.load(); }, 5000);
    // CHECK-WARN@+2:26: container 'Set' is read without holding 'Mutex', which guards its other accesses
    // CHECK-NOTE@+1:26: hold 'Mutex' for this statement
    assertImplementation(Set.find("late") != Set.end(), "found");
    // CHECK-FIX: std::scoped_lock lock(Mutex); assertImplementation(Set.find("late") != Set.end(), "found");
  }
  void testEarly() {
    assertImplementation(
        waitForCondition([&] { return EarlyDone.load(); }, 5000), "done");
    // CHECK-WARN@+2:26: container 'Set' is read without holding 'Mutex', which guards its other accesses
    // CHECK-NOTE@+1:26: hold 'Mutex' for this statement
    assertImplementation(Set.find("early") != Set.end(), "found");
    // CHECK-FIX: std::scoped_lock lock(Mutex); assertImplementation(Set.find("early") != Set.end(), "found");
  }
  void testRelaxed() {
    assertImplementation(
        waitForCondition([&] { return RelaxedDone.load(); }, 5000), "done");
    // CHECK-WARN@+2:26: container 'Set' is read without holding 'Mutex', which guards its other accesses
    // CHECK-NOTE@+1:26: hold 'Mutex' for this statement
    assertImplementation(Set.find("relaxed") != Set.end(), "found");
    // CHECK-FIX: std::scoped_lock lock(Mutex); assertImplementation(Set.find("relaxed") != Set.end(), "found");
  }
  void testBeforeWait() {
    Center C;
    C.subscribe([this] { handleLate(); });
    // CHECK-WARN@+2:26: container 'Set' is read without holding 'Mutex', which guards its other accesses
    // CHECK-NOTE@+1:26: hold 'Mutex' for this statement
    assertImplementation(Set.find("late") != Set.end(), "found");
    // CHECK-FIX: { std::scoped_lock lock(Mutex); assertImplementation(Set.find("late") != Set.end(), "found"); }
    assertImplementation(
        waitForCondition([&] { return LateDone.load(); }, 5000), "done");
  }
  void testPollOnce() {
    assertImplementation(pollOnce([&] { return LateDone.load(); }), "done");
    // CHECK-WARN@+2:26: container 'Set' is read without holding 'Mutex', which guards its other accesses
    // CHECK-NOTE@+1:26: hold 'Mutex' for this statement
    assertImplementation(Set.find("late") != Set.end(), "found");
    // CHECK-FIX: std::scoped_lock lock(Mutex); assertImplementation(Set.find("late") != Set.end(), "found");
  }

private:
  std::mutex Mutex;
  std::set<std::string> Set;
  std::atomic<bool> LateDone{false}, EarlyDone{false}, RelaxedDone{false};
};
