// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17
// Threads pushed into a member container and joined, before the function
// returns, by a loop that joins every element (unjoined-thread-element-loops
// for the same recogniser): a range-for, an index loop from 0 to the
// container's size or to the bound of the loop that filled it, a while loop
// joining the front until the container is empty. The locals the threads
// capture by reference outlive them (parallel-hashmap's p_bench threadpool).
// The same loops wait for every future of a container of the iteration.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <thread>
#include <vector>

void use(std::uint64_t);

struct Executor {
  std::future<void> submit(std::function<void()> f);
};

// The results of an iteration's tasks, waited for by an index loop.
void waitedByIndex(Executor &ex, const std::vector<std::uint64_t> &items) {
  for (std::uint64_t item : items) {
    std::vector<std::future<void>> done;
    for (int k = 0; k < 4; ++k)
      done.push_back(ex.submit([&item] { use(item); }));
    for (std::size_t i = 0; i < done.size(); ++i)
      done[i].get();
  }
}

void waitedFromOne(Executor &ex, const std::vector<std::uint64_t> &items) {
  for (std::uint64_t item : items) {
    std::vector<std::future<void>> done;
    for (int k = 0; k < 4; ++k)
      // CHECK-WARN@+2: 'item' is captured by reference in a lambda that is passed to 'submit'; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@+1: passed to 'submit' here
      done.push_back(ex.submit([&item] { use(item); }));
    // CHECK-FIX@-1: done.push_back(ex.submit([item] { use(item); }));
    for (std::size_t i = 1; i < done.size(); ++i)
      done[i].get();
  }
}

class Pool {
public:
  // ---------------------------------------------------------- negatives
  void indexToFillBound(std::uint64_t n) {
    std::vector<std::uint64_t> blocks(num_threads + 1, n);
    for (int tid = 0; tid < num_threads; tid++)
      threads.push_back(std::thread([&](std::uint64_t i0) { use(blocks[i0]); },
                                    tid));
    for (int i = 0; i < num_threads; i++)
      threads[i].join();
    threads.clear();
  }
  void indexToSize(std::uint64_t n) {
    std::uint64_t base = n;
    for (int tid = 0; tid < num_threads; tid++)
      threads.emplace_back([&] { use(base); });
    for (std::size_t i = 0; i < threads.size(); ++i)
      threads[i].join();
    threads.clear();
  }
  void rangeFor(std::uint64_t n) {
    std::uint64_t base = n;
    for (int tid = 0; tid < num_threads; tid++)
      threads.emplace_back([&] { use(base); });
    for (auto &t : threads)
      t.join();
    threads.clear();
  }
  void popsTheFront(std::uint64_t n) {
    std::uint64_t base = n;
    for (int tid = 0; tid < num_threads; tid++)
      queue.emplace_back([&] { use(base); });
    while (!queue.empty()) {
      queue.front().join();
      queue.pop_front();
    }
  }

  // ---------------------------------------------------------- positives
  void skipsTheFirst(std::uint64_t n) {
    std::uint64_t base = n;
    for (int tid = 0; tid < num_threads; tid++)
      // CHECK-WARN@+3: 'base' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns (dangling reference)
      // CHECK-NOTE@+2: thread started here
      // CHECK-NOTE@+1: the thread is stored in member 'threads' here, beyond the call
      threads.emplace_back([&] { use(base); });
    for (std::size_t i = 1; i < threads.size(); ++i)
      threads[i].join();
  }
  void otherBound(std::uint64_t n, int m) {
    std::uint64_t base = n;
    for (int tid = 0; tid < num_threads; tid++)
      // CHECK-WARN@+3: 'base' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns (dangling reference)
      // CHECK-NOTE@+2: thread started here
      // CHECK-NOTE@+1: the thread is stored in member 'threads' here, beyond the call
      threads.emplace_back([&] { use(base); });
    for (int i = 0; i < m; i++)
      threads[i].join();
  }

private:
  int num_threads = 4;
  std::vector<std::thread> threads;
  std::deque<std::thread> queue;
};
