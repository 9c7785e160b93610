// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A loop a macro writes around the user's block (a test framework's
// section, `#define EACH_SECTION(n) for (...)`) is a loop like any other:
// what its body declares is each iteration's own. Whether the body contains
// a declaration was decided by comparing raw source locations, which are
// not ordered across a macro expansion: the element reference each
// iteration binds was taken for one shared by all of them, and the task
// the loop starts "ran concurrently with itself" on it (CAF's SPSC buffer
// tests). Still reported: one element for every iteration.
#include <thread>
#include <vector>

#define EACH_SECTION(n) for (int Section = 0; Section < (n); ++Section)

void perIteration(int N) {
  std::vector<std::vector<int>> Results(N);
  std::vector<std::thread> Ts;
  EACH_SECTION(N) {
    auto &Out = Results[Section];
    Ts.emplace_back([&Out] { Out.push_back(1); });
  }
  for (auto &T : Ts)
    T.join();
}

void oneForAll(int N) {
  std::vector<std::vector<int>> Results(N);
  std::vector<std::thread> Ts;
  EACH_SECTION(N) {
    auto &Out = Results[0];
    Ts.emplace_back([&Out] { Out.push_back(1); }); // CHECK-WARN: container 'Results' is modified without a lock while another thread modifies it
    // CHECK-NOTE@-1: the thread is started in a loop and runs concurrently with itself
  }
  for (auto &T : Ts)
    T.join();
}
