// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A `for` that runs its body once is a scope, not a loop: test frameworks'
// sections (`#define SECTION(d) for (auto s = enter(d); s; s.leave())`),
// lock-scope macros (`for (bool done = false; !done; done = true)`) and
// `do { ... } while (0)`. What the body declares lives until the end of the
// body, like any block's local: it is a hazard only where the lambda
// outlives the function (the call-scope rule), not the "iteration".
// Still loops: a macro that counts (`REPEAT(n)`), a macro whose variable the
// body names (a cursor), a header written by the user with an opaque step.
#include <functional>
#include <thread>
#include <vector>

void use(int);

struct Actor {};
struct System {
  Actor spawn(std::function<void()> Init);
  void run();
};

struct Scope {
  explicit operator bool() const;
  void leave();
};
Scope enter(const char *Description);

#define SECTION(d) for (auto scope_ = enter(d); scope_; scope_.leave())
#define GIVEN(d) for (auto given_ = enter(d); static_cast<bool>(given_); given_.leave())
#define ONCE for (bool done_ = false; !done_; done_ = true)
#define REPEAT(n) for (int rep_ = 0; rep_ < (n); ++rep_)

struct Cursor {
  explicit operator bool() const;
  void next();
  int row() const;
};
Cursor query();
#define EACH_ROW(c) for (auto c = query(); c; c.next())

struct Fixture {
  System Sys;
  std::vector<std::function<void()>> Later;
  void dispatchMessages();

  // Sections of a test: the spawned actor's initialiser captures the
  // section's locals; the deterministic run happens before they die.
  void sections() {
    SECTION("spawn") {
      std::vector<int> Outputs;
      Sys.spawn([&Outputs] { Outputs.push_back(1); });
      dispatchMessages();
    }
    GIVEN("a value") {
      SECTION("nested") {
        int Pending = 0;
        Sys.spawn([&Pending] { ++Pending; });
        dispatchMessages();
      }
    }
  }

  void lockScope() {
    ONCE {
      int Local = 0;
      Sys.spawn([&Local] { use(Local); });
    }
  }

  void doWhileZero() {
    do {
      int Local = 0;
      Sys.spawn([&Local] { use(Local); });
    } while (0);
  }

  void userOnce() {
    for (bool Done = false; !Done; Done = true) {
      int Local = 0;
      Sys.spawn([&Local] { use(Local); });
    }
  }

  // A scope is not a loop, but what it declares still dies before the
  // function returns: kept beyond the call, it is the call-scope hazard.
  void keptBeyondTheCall() {
    SECTION("kept") {
      int Local = 0;
      // CHECK-WARN@+2: 'Local' is captured by reference in a lambda that is stored in member 'Later'; it is destroyed when the function returns (dangling reference)
      // CHECK-NOTE@+1: stored here
      Later.push_back([&Local] { use(Local); });
    }
  }

  // Loops written by macros that do repeat.
  void repeat(int N) {
    std::vector<std::thread> Ts;
    REPEAT(N) {
      int Local = 0;
      Ts.emplace_back([&Local] { use(Local); }); // CHECK-WARN: 'Local' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: thread started here
      // CHECK-NOTE@-2: the thread is stored in 'Ts' here, beyond the iteration
      // CHECK-FIX@-3: Ts.emplace_back([Local] { use(Local); });
    }
    for (auto &T : Ts)
      T.join();
  }

  void cursor() {
    std::vector<std::thread> Ts;
    EACH_ROW(c) {
      int Row = c.row();
      Ts.emplace_back([&Row] { use(Row); }); // CHECK-WARN: 'Row' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: thread started here
      // CHECK-NOTE@-2: the thread is stored in 'Ts' here, beyond the iteration
      // CHECK-FIX@-3: Ts.emplace_back([Row] { use(Row); });
    }
    for (auto &T : Ts)
      T.join();
  }

  void userWrittenStep() {
    std::vector<std::thread> Ts;
    for (auto S = enter("x"); S; S.leave()) {
      int Local = 0;
      Ts.emplace_back([&Local] { use(Local); }); // CHECK-WARN: 'Local' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: thread started here
      // CHECK-NOTE@-2: the thread is stored in 'Ts' here, beyond the iteration
      // CHECK-FIX@-3: Ts.emplace_back([Local] { use(Local); });
    }
    for (auto &T : Ts)
      T.join();
  }

  void flagNotReset() {
    std::vector<std::thread> Ts;
    for (bool More = true; More; More = true) {
      int Local = 0;
      Ts.emplace_back([&Local] { use(Local); }); // CHECK-WARN: 'Local' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: thread started here
      // CHECK-NOTE@-2: the thread is stored in 'Ts' here, beyond the iteration
      // CHECK-FIX@-3: Ts.emplace_back([Local] { use(Local); });
    }
  }
};


// In a template, a condition that depends on the parameters is decided in
// each instantiation.
template <class T> void inTemplate(System &Sys, T Value) {
  SECTION("t") {
    T Copy = Value;
    Sys.spawn([&Copy] { use(Copy); });
  }
  do {
    T C = Value;
    Sys.spawn([&C] { use(C); });
  } while (sizeof(T) == 0);
}
void instantiate(System &S) { inTemplate(S, 1); }
