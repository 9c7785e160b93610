// A detached thread that keeps using a local, a parameter or `this` after
// its owner is gone: Go's leaked goroutine touching freed memory.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <functional>
#include <future>
#include <latch>
#include <string>
#include <thread>
#include <vector>

void consume(const std::string &);
void consume(int);

// ---------------------------------------------------------------- positives

void detachedLocal() {
  std::string name = "job";
  std::thread t([&] { consume(name); }); // CHECK-NOTE: 'name' used by the detached thread here
  t.detach(); // CHECK-WARN: detached thread uses 'name' by reference, which is destroyed at the end of its scope while the thread may still run
}

void detachedTemporary(const std::string &label) {
  int count = 0;
  std::thread([&count, &label] {
    consume(label); // CHECK-NOTE: 'label' used by the detached thread here
    ++count;        // CHECK-NOTE: 'count' used by the detached thread here
  }).detach();
  // CHECK-WARN@-1: detached thread uses 'count' by reference
  // CHECK-WARN@-2: detached thread uses 'label' by reference
}

void detachedRef() {
  int total = 0;
  std::thread t([](int &n) { ++n; }, std::ref(total)); // CHECK-NOTE: 'total' used by the detached thread here
  t.detach(); // CHECK-WARN: detached thread uses 'total' by reference
}

class Poller {
public:
  Poller() : worker_([this] { loop(); }) {} // CHECK-NOTE: the object used by the detached thread here
  ~Poller() {
    stop_ = true;
    worker_.detach(); // CHECK-WARN: thread detached in the destructor of 'Poller' keeps using the object, which is destroyed when the destructor returns
  }

private:
  void loop() {
    while (!stop_)
      consume(polls_++);
  }
  bool stop_ = false;
  int polls_ = 0;
  std::thread worker_;
};

void detachedPool(int n) {
  for (int round = 0; round < n; ++round) {
    std::vector<std::jthread> pool;
    int hits = 0;
    for (int i = 0; i < 4; ++i)
      pool.emplace_back([&] { ++hits; }); // CHECK-NOTE: 'hits' used by the detached thread here
    for (auto &t : pool)
      t.detach(); // CHECK-WARN: detached thread uses 'hits' by reference
  }
}

// ---------------------------------------------------------------- negatives

void detachedCopies() {
  std::string name = "job";
  std::thread([name] { consume(name); }).detach();
  std::thread t(static_cast<void (*)(const std::string &)>(consume), name);
  t.detach();
}

void detachedThenWaited() {
  int result = 0;
  std::promise<void> done;
  std::future<void> ready = done.get_future();
  std::thread([&] {
    result = 42;
    done.set_value();
  }).detach();
  ready.wait();
  consume(result);
}

void detachedLatch() {
  int result = 0;
  std::latch finished(1);
  std::thread t([&] {
    result = 1;
    finished.count_down();
  });
  t.detach();
  finished.wait();
}

void detachedStatic() {
  static int calls = 0;
  std::thread([] { ++calls; }).detach();
}

class Owner {
public:
  void start() {
    std::thread([this] { consume(value_); }).detach();
  }

private:
  int value_ = 0;
};

void joinedPool() {
  std::vector<std::thread> pool;
  int hits = 0;
  pool.emplace_back([&] { ++hits; });
  for (auto &t : pool)
    t.join();
}
