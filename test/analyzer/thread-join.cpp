// pitfall.ThreadJoin on the real libstdc++ <thread>.
// RUN: %analyze %s -std=c++20 -Xclang -analyzer-output=text -o /dev/null
// Without inlining the standard library (pitfall-scan's default), std::swap,
// std::exchange and std::ref are modelled by the checker:
// RUN: %analyze %s -std=c++20 -Xclang -analyzer-output=text -o /dev/null -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
#include <functional>
#include <thread>
#include <utility>
#include <vector>

void work();

void joined_on_one_branch(bool c) {
  std::thread t(work); // expected-note {{Thread started here}}
  if (c) // expected-note {{Assuming 'c' is false}} expected-note {{Taking false branch}}
    t.join();
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

void overwritten() {
  std::thread t(work); // expected-note {{Thread started here}}
  t = std::thread(work); // expected-warning {{Joinable thread overwritten}} expected-note {{Joinable thread overwritten}}
  t.join();
}

void moved_to_another_thread() {
  std::thread t([] {}); // expected-note {{Thread started here}}
  std::thread u = std::move(t);
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

void move_assigned_from_started() {
  std::thread u;
  std::thread t(work); // expected-note {{Thread started here}}
  u = std::move(t);
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

// GOOD: joined on every path.
void joined() {
  std::thread t(work);
  t.join();
}

void detached() {
  std::thread t(work);
  t.detach();
}

// GOOD: a default-constructed thread never runs.
void never_started() { std::thread t; }

// GOOD: reassigning a thread that was joined.
void reassigned_after_join() {
  std::thread t(work);
  t.join();
  t = std::thread(work);
  t.join();
}

// Helpers in the same TU are followed.
void join_if_joinable(std::thread &t) {
  if (t.joinable())
    t.join();
}

void join_both(std::thread &a, std::thread &b) {
  a.join();
  b.join();
}

void joined_through_helper() {
  std::thread t(work);
  join_if_joinable(t);
}

void joined_through_two_helpers() {
  std::thread a(work), b(work);
  join_both(a, b);
}

void detach_helper(std::thread &t, bool fire_and_forget) {
  if (fire_and_forget)
    t.detach();
}

void helper_that_may_not_detach(bool f) {
  std::thread t(work); // expected-note {{Thread started here}}
  detach_helper(t, f);
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

// GOOD: the thread is handed to code the analyzer cannot see.
void register_thread(std::thread &t);
void escaped() {
  std::thread t(work);
  register_thread(t);
}

// GOOD: moved into a container and joined from there.
void join_all(std::vector<std::thread> &threads) {
  for (std::thread &t : threads)
    t.join();
}

void pool(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(work);
  std::thread extra(work);
  threads.push_back(std::move(extra));
  join_all(threads);
}

// GOOD: swap with a joined thread, then join the swapped-in one.
void swapped() {
  std::thread t(work), u;
  t.swap(u);
  u.join();
}

// GOOD: a self-joining std::jthread.
void jthread_ok() { std::jthread t(work); }

// GOOD: a member thread is joined by the owner's destructor.
struct Worker {
  std::thread t{work};
  ~Worker() { t.join(); }
};
void use_worker() { Worker w; }


// std::swap exchanges what is joinable.
void swapped_with_std_swap() {
  std::thread t(work); // expected-note {{Thread started here}}
  std::thread u;
  std::swap(t, u);
  t.join(); // joins nothing: the running thread is in u
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

// GOOD: std::swap, then the swapped-in thread is joined.
void swapped_with_std_swap_ok() {
  std::thread t(work), u;
  std::swap(t, u);
  u.join();
}

// GOOD: std::swap of two running threads, both joined.
void swapped_two_running() {
  std::thread t(work), u(work);
  std::swap(t, u);
  t.join();
  u.join();
}

// std::exchange replaces a running thread without terminating: the old
// one moves out.
void exchanged_not_joined() {
  std::thread t; // joined below, but the new thread is not
  std::thread old = std::exchange(t, std::thread(work)); // expected-note {{Thread started here}}
  old.join();
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}

// GOOD: the thread that std::exchange put in place is joined.
void exchanged_joined() {
  std::thread t(work);
  t.join();
  std::thread old = std::exchange(t, std::thread(work));
  t.join();
}

// GOOD: joined through a std::reference_wrapper.
void joined_through_ref() {
  std::thread t(work);
  std::ref(t).get().join();
}

// GOOD: joined through a std::reference_wrapper variable.
void joined_through_ref_variable() {
  std::thread t(work);
  std::reference_wrapper<std::thread> r = std::ref(t);
  r.get().join();
}

// One thread joined through a std::reference_wrapper, the other not.
void ref_of_other_thread() {
  std::thread t(work), u(work); // expected-note {{Thread started here}}
  std::ref(t).get().join();
} // expected-warning {{Thread destroyed while joinable}} expected-note {{Thread destroyed while joinable}}
