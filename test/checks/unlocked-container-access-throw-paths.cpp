// A `catch` handler whose `try` block can throw only when the system runs out
// of resources (starting a std::thread, growing a container: std::bad_alloc,
// std::system_error) runs only after starting a thread failed. Its accesses
// are not reported by default (ReportThrowPaths: user-exceptions, as for
// pitfall-unjoined-thread); -throw-paths-all.cpp reports them with `all`.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
#include <thread>
#include <vector>

void configure(unsigned I); // no body: may throw anything

class Pool {
public:
  explicit Pool(unsigned N) : Queues(N) {
    for (unsigned I = 0; I < N; ++I) {
      try {
        Threads.emplace_back([this, I] { run(I); });
      } catch (...) {
        Queues.pop_back(); // only when the thread could not be started
      }
    }
  }
  ~Pool() {
    for (std::thread &T : Threads)
      T.join();
  }

private:
  void run(unsigned I) {
    while (Queues[I].empty())
      std::this_thread::yield();
  }
  std::vector<std::thread> Threads;
  std::vector<std::vector<int>> Queues;
};

// Reported: the try block also calls a function that may throw a user
// exception, which the handler catches while the threads run.
class Configured {
public:
  explicit Configured(unsigned N) : Queues(N) {
    for (unsigned I = 0; I < N; ++I) {
      try {
        Threads.emplace_back([this, I] { run(I); });
        configure(I);
      } catch (...) {
        Queues.pop_back(); // CHECK-WARN: container 'Queues' is modified without a lock while another thread reads it
      }
    }
  }
  ~Configured() {
    for (std::thread &T : Threads)
      T.join();
  }

private:
  void run(unsigned I) {
    // CHECK-NOTE@+1: conflicting read on another thread
    while (Queues[I].empty())
      std::this_thread::yield();
  }
  std::vector<std::thread> Threads;
  std::vector<std::vector<int>> Queues;
};

// Reported: the same access outside a handler.
class Trimmed {
public:
  explicit Trimmed(unsigned N) : Queues(N) {
    for (unsigned I = 0; I < N; ++I)
      Threads.emplace_back([this, I] { run(I); });
    Queues.pop_back(); // CHECK-WARN: container 'Queues' is modified without a lock while another thread reads it
  }
  ~Trimmed() {
    for (std::thread &T : Threads)
      T.join();
  }

private:
  void run(unsigned I) {
    // CHECK-NOTE@+1: conflicting read on another thread
    while (Queues[I].empty())
      std::this_thread::yield();
  }
  std::vector<std::thread> Threads;
  std::vector<std::vector<int>> Queues;
};
