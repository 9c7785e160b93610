// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// Templates, executors and function workers.
#include <functional>
#include <latch>
#include <thread>
#include <vector>

void work(int);
bool failed(int);

// The count and the loop bound are the same template parameter.
template <int N> void balanced_template() {
  std::latch done(N);
  std::vector<std::jthread> ts;
  for (int i = 0; i < N; ++i)
    ts.emplace_back([&] { done.count_down(); });
  done.wait();
}

// Instantiations are analysed: offset_template<4> expects 5 arrivals and
// makes 4 (reported once, at the pattern; no fix-it, the count is not a
// literal). The pattern itself starts its workers through a dependent call.
template <int N> void offset_template() {
  std::latch done(N + 1); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  std::vector<std::jthread> ts;
  for (int i = 0; i < N; ++i)
    ts.emplace_back([&] { done.count_down(); }); // CHECK-NOTE: workers started here make 4 of the arrivals
  done.wait();
}

void instantiate() {
  balanced_template<4>();
  offset_template<4>();
}

// A container whose element type is dependent: the start is not seen, the
// latch is captured by an unknown lambda, nothing is reported.
template <class Thread> void dependent_container() {
  std::latch done(3);
  std::vector<Thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&] { done.count_down(); });
  done.wait();
}

// An executor function (EscapeFunctions) starts the workers.
struct Pool {
  void submit(std::function<void()> f);
};
void executor(Pool &pool) {
  std::latch done(5); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  // CHECK-FIX: std::latch done(4); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  for (int i = 0; i < 4; ++i)
    pool.submit([&done, i] { // CHECK-NOTE: workers started here make 4 of the arrivals
      work(i);
      done.count_down();
    });
  done.wait();
}

// A function worker reached through a pointer parameter.
void by_pointer(std::latch *l, int i) {
  work(i);
  l->count_down();
}
void pointer_workers() {
  std::latch done(2);
  std::thread a(by_pointer, &done, 0);
  std::thread b(by_pointer, &done, 1);
  done.wait();
  a.join();
  b.join();
}

// A worker lambda stored in a variable and started three times.
void stored_lambda() {
  std::latch done(2); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 3
  // CHECK-FIX: std::latch done(3); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 3
  auto worker = [&done] { done.count_down(); };
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back(worker); // CHECK-NOTE: workers started here make 3 of the arrivals
  done.wait();
  for (auto &t : ts)
    t.join();
}

// Nested loops multiply.
void nested_loops() {
  std::latch done(6);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j <= 2; ++j)
      ts.emplace_back([&] { done.count_down(); });
  done.wait();
}
