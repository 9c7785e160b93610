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

// A section macro's loop runs its body once: inside a counting loop, the
// loop that starts the thread again is the counting one, and what its body
// declares is each of its iterations' own.
struct Scope {
  explicit operator bool() const;
  void leave();
};
Scope enter(const char *Description);
#define SECTION(d) for (auto scope_ = enter(d); scope_; scope_.leave())

void sectionInLoop(int N) {
  std::vector<std::thread> Ts;
  for (int I = 0; I < N; ++I) {
    std::vector<int> Mine;
    SECTION("each") {
      Ts.emplace_back([&Mine] { Mine.push_back(1); });
    }
    Ts.back().join();
  }
}

// Nor does the thread it starts come back to its own start: no race of the
// thread with itself, whether the container is the section's or the
// function's.
void sectionThread() {
  std::vector<int> Out;
  std::thread T;
  SECTION("function's") {
    T = std::thread([&Out] { Out.push_back(1); });
  }
  T.join();
}

void sectionLocal() {
  std::thread T;
  SECTION("section's") {
    std::vector<int> Out;
    T = std::thread([&Out] { Out.push_back(1); });
    T.join();
  }
  if (T.joinable())
    T.join();
}
