// A loop that joins every element of a container of threads stands for the
// whole container once it is left through its condition: a range-for, an
// index loop from 0 to the container's size (or to the bound of the loop
// that filled it), an iterator loop from begin() to end(), a while loop
// joining the front until the container is empty. The same recogniser
// serves a local container, a member container its starter joins before
// returning (parallel-hashmap's p_bench threadpool) and
// pitfall-loop-capture-by-reference (-element-loops there).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

void work();
void work_on(int);

// ---------------------------------------------------------------- negatives

// parallel-hashmap's examples/p_bench.cc: filled up to num_threads, joined
// by index up to the same bound, then cleared.
struct threadpool {
  threadpool(int n) : num_threads(n) {}
  void parallel_for(std::uint64_t n, void (*f)(std::uint64_t)) {
    for (int tid = 0; tid < num_threads; tid++)
      threads.push_back(std::thread([=] { f(n + tid); }));
    for (int i = 0; i < num_threads; i++)
      threads[i].join();
    threads.clear();
  }
  int num_threads;
  std::vector<std::thread> threads;
};

class IndexToSize {
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i);
    for (std::size_t i = 0; i != threads.size(); ++i)
      threads.at(i).join();
  }

private:
  std::vector<std::thread> threads;
};

class ParameterBound {
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i);
    for (int i = 0; i < n; ++i)
      threads[i].join();
  }

private:
  std::vector<std::thread> threads;
};

class PopsTheFront {
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      q.emplace_back(work_on, i);
    while (!q.empty()) {
      q.front().join();
      q.pop_front();
    }
  }

private:
  std::deque<std::thread> q;
};

class IteratorLoop {
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i);
    for (auto it = threads.begin(); it != threads.end(); ++it)
      it->join();
  }

private:
  std::vector<std::thread> threads;
};

void localAssignedFill(int n) {
  std::vector<std::thread> pool(n);
  for (int i = 0; i < n; ++i)
    pool[i] = std::thread(work);
  for (int i = 0; i < n; ++i)
    pool[i].join();
}

// A join loop that also reads another container with the same index
// (xmrig's aes_hash benchmark sums each thread's count after joining it):
// the container whose elements it joins is the one that counts.
void joinThenSumCounts(std::size_t n) {
  std::vector<unsigned> count(n, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < n; ++t)
    threads.emplace_back([&, t]() { ++count[t]; });
  unsigned total = 0;
  for (std::size_t t = 0; t < n; ++t) {
    threads[t].join();
    total += count[t];
  }
}

void sumThenJoin(std::size_t n) {
  std::vector<unsigned> count(n, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < n; ++t)
    threads.emplace_back([&, t]() { ++count[t]; });
  unsigned total = 0;
  for (std::size_t t = 0; t < n; ++t) {
    total += count[t];
    threads[t].join();
  }
}

// The same bound written as the same expression in both loops (oneTBB's
// tests start `thread_number - 1` threads and join as many).
void expressionBound(std::size_t thread_number) {
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < thread_number - 1; ++i)
    pool.emplace_back(work);
  work();
  for (std::size_t i = 0; i < thread_number - 1; ++i)
    if (pool[i].joinable())
      pool[i].join();
}

template <std::size_t N> void templateBound() {
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < N; ++i)
    pool.emplace_back(work);
  for (std::size_t i = 0; i < N; ++i)
    pool[i].join();
}
template void templateBound<3>();

// A bound that is the container's fixed size joins every element, however
// the container was filled.
void fixedSizeArray() {
  std::thread ts[4];
  for (auto &t : ts)
    t = std::thread(work);
  for (int i = 0; i < 4; ++i)
    ts[i].join();
}

void fixedSizeStdArray() {
  std::array<std::thread, 4> ts;
  for (auto &t : ts)
    t = std::thread(work);
  for (std::size_t i = 0; i < 4; ++i)
    ts[i].join();
}

// ---------------------------------------------------------------- positives

// One short of the fixed size.
void fixedSizeShort() {
  std::thread ts[4];
  for (auto &t : ts)
    t = std::thread(work); // CHECK-NOTE: thread added to 'ts' here
  for (int i = 0; i < 3; ++i)
    ts[i].join();
} // CHECK-WARN: threads in 'ts' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'ts' before this point

// Joins all but the first element.
class SkipsTheFirst { // CHECK-WARN: the implicit destructor of 'SkipsTheFirst' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i); // CHECK-NOTE: thread added to 'threads' here
    for (std::size_t i = 1; i < threads.size(); ++i)
      threads[i].join();
  }

private:
  std::vector<std::thread> threads;
};

// Joins up to another bound than the one it filled to.
class OtherBound { // CHECK-WARN: the implicit destructor of 'OtherBound' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor
public:
  void run(int n, int m) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i); // CHECK-NOTE: thread added to 'threads' here
    for (int i = 0; i < m; ++i)
      threads[i].join();
  }

private:
  std::vector<std::thread> threads;
};

// Refilled after the join.
class Refilled { // CHECK-WARN: the implicit destructor of 'Refilled' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor
public:
  void run(int n) {
    for (int i = 0; i < n; ++i)
      threads.emplace_back(work_on, i); // CHECK-NOTE: thread added to 'threads' here
    for (std::size_t i = 0; i < threads.size(); ++i)
      threads[i].join();
    threads.emplace_back(work);
  }

private:
  std::vector<std::thread> threads;
};

// Local containers: the same recogniser.
void localSkipsTheFirst(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i); // CHECK-NOTE: thread added to 'pool' here
  for (std::size_t i = 1; i < pool.size(); ++i)
    pool[i].join();
} // CHECK-WARN: threads in 'pool' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'pool' before this point

// The loop indexes the thread container, but joins the elements of another.
void joinsTheOtherContainer(std::size_t n) {
  std::vector<std::thread> threads, spare;
  for (std::size_t t = 0; t < n; ++t) {
    threads.emplace_back(work); // CHECK-NOTE: thread added to 'threads' here
    spare.emplace_back(work);
  }
  for (std::size_t t = 0; t < n; ++t) {
    spare[t].join();
    (void)threads[t].get_id();
  }
} // CHECK-WARN: threads in 'threads' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'threads' before this point

void otherExpressionBound(std::size_t n) {
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < n - 1; ++i)
    pool.emplace_back(work); // CHECK-NOTE: thread added to 'pool' here
  for (std::size_t i = 0; i < n - 2; ++i)
    pool[i].join();
} // CHECK-WARN: threads in 'pool' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'pool' before this point

void localParameterBound(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  for (int i = 0; i < n; ++i)
    pool[i].join();
}
