// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
// A loop whose body runs once (a test framework's section macro, a flag the
// step sets) never comes back to its start: a thread started in it is not
// "assigned while joinable" by the same statement in a next iteration.
// A loop that repeats is still one.
#include <thread>

struct Scope {
  explicit operator bool() const noexcept;
  void leave() noexcept;
};
Scope enter(const char *Description) noexcept;
#define SECTION(d) for (auto scope_ = enter(d); scope_; scope_.leave())
#define REPEAT(n) for (int rep_ = 0; rep_ < (n); ++rep_)

void work() noexcept;

void section() {
  std::thread T;
  SECTION("start") {
    T = std::thread(work);
  }
  if (T.joinable())
    T.join();
}

void flagOnce() {
  std::thread T;
  for (bool Done = false; !Done; Done = true)
    T = std::thread(work);
  T.join();
}

void repeated(int N) {
  std::thread T;
  REPEAT(N) {
    T = std::thread(work); // CHECK-WARN: thread 'T' is assigned to while it may be joinable (std::terminate is called)
    // CHECK-NOTE@-1: thread 'T' started here
    // CHECK-NOTE@-2: join or detach 'T' before this point
  }
  if (T.joinable())
    T.join();
}
