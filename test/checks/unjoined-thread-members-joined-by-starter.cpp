// A thread member (or container of threads) that every function starting it
// joins again before it returns, on every normal path, is never left
// joinable for the destructor: not reported, though the destructor does not
// join. Only an exception between the start and the join leaves it joinable:
// reported with ReportThrowPaths: all (-all.cpp).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <cstddef>
#include <thread>
#include <vector>

void work();
void serve();

// ---------------------------------------------------------------- negatives

// Starts N threads, serves on the calling thread, joins them all; only when
// the server runs its own pool.
class PoolServer {
public:
  void run(std::size_t N) {
    if (!ownPool)
      return;
    threads.clear();
    for (std::size_t I = 1; I < N; ++I)
      threads.emplace_back([this] { serve(); });
    serve();
    for (auto &T : threads)
      T.join();
  }
  virtual ~PoolServer() { ownPool = false; }

private:
  bool ownPool = true;
  std::vector<std::thread> threads;
};

// The join goes through a helper of the class.
class HelperJoins {
public:
  void run(int N) {
    for (int I = 0; I < N; ++I)
      workers.push_back(std::thread(work));
    joinAll();
  }
  ~HelperJoins() {}

private:
  void joinAll() {
    for (auto &W : workers)
      W.join();
  }
  std::vector<std::thread> workers;
};

// A single thread member, started and joined under the same test.
class OneShot {
public:
  void run(bool Parallel) {
    if (Parallel) {
      worker = std::thread(work);
      serve();
      worker.join();
    } else {
      serve();
    }
  }
  ~OneShot() {}

private:
  std::thread worker;
};

// ---------------------------------------------------------------- positives

// Filled in one function, joined nowhere.
class FilledOnly {
public:
  void start(int N) {
    for (int I = 0; I < N; ++I)
      threads.emplace_back(work); // CHECK-NOTE: thread added to 'threads' here
  }
  ~FilledOnly() {} // CHECK-WARN: the destructor of 'FilledOnly' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor

private:
  std::vector<std::thread> threads;
};

// Joined on some paths only: an early return between the fill and the join.
class EarlyReturn {
public:
  void run(int N, bool Quick) {
    for (int I = 0; I < N; ++I)
      threads.emplace_back(work); // CHECK-NOTE: thread added to 'threads' here
    if (Quick)
      return;
    for (auto &T : threads)
      T.join();
  }
  ~EarlyReturn() {} // CHECK-WARN: the destructor of 'EarlyReturn' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor

private:
  std::vector<std::thread> threads;
};

// Filled by one function, joined by another the owner may never call.
class JoinedElsewhere {
public:
  void start(int N) {
    for (int I = 0; I < N; ++I)
      threads.emplace_back(work); // CHECK-NOTE: thread added to 'threads' here
  }
  void stop() {
    for (auto &T : threads)
      T.join();
  }
  ~JoinedElsewhere() {} // CHECK-WARN: the destructor of 'JoinedElsewhere' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor

private:
  std::vector<std::thread> threads;
};
