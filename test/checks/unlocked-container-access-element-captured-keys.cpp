// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A task started in a loop that hands a helper the element of a container
// the iteration's key selects, the key captured by copy: each task has its
// own element (libcuckoo's benchmark, `[&, i] { mix(..., samples[i]); }`
// with each thread's samples written through the helper's parameter). The
// tasks write distinct objects, not the vector. A key read when the task
// runs (captured by reference), one that does not vary per iteration, or
// a constant selects one element for every task: still reported.
#include <cstddef>
#include <thread>
#include <vector>

struct Sampler {
  std::vector<std::size_t> Samples;
  // CHECK-WARN@+1:51: container 'Samples' is modified without a lock while another thread modifies it
  void store(std::vector<std::size_t> &V) const { V = Samples; }
};

void mix(std::vector<std::size_t> &Out) {
  Sampler S;
  S.store(Out);
}

void perThread(std::size_t N) {
  std::vector<std::thread> Threads(N);
  std::vector<std::vector<std::size_t>> Samples(N);
  for (std::size_t I = 0; I < N; ++I)
    Threads[I] = std::thread([&, I]() { mix(Samples[I]); });
  for (auto &T : Threads)
    T.join();
}

// The counter read when the task runs: another iteration may have moved it.
void byReference(std::size_t N) {
  std::vector<std::thread> Threads(N);
  std::vector<std::vector<std::size_t>> Samples(N);
  for (std::size_t I = 0; I < N; ++I)
    // CHECK-NOTE@+1:18: the thread is started in a loop and runs concurrently with itself
    Threads[I] = std::thread([&]() { mix(Samples[I]); });
  for (auto &T : Threads)
    T.join();
}

void fill(std::vector<int> &Out);

// One key for every task.
void sameKey(std::size_t N, std::size_t K) {
  std::vector<std::thread> Threads;
  std::vector<std::vector<int>> Rows(N);
  for (std::size_t I = 0; I < N; ++I)
    // CHECK-NOTE@+1:5: the thread is started in a loop and runs concurrently with itself
    Threads.emplace_back([&Rows, K] { fill(Rows[K]); });
  for (auto &T : Threads)
    T.join();
}

void fill(std::vector<int> &Out) {
  // CHECK-WARN@+1:3: container 'Rows' is modified without a lock while another thread modifies it
  Out.push_back(1);
}
