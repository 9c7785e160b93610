// pitfall.ThreadJoin at calls the engine does not inline: with ipa=none no
// call is inlined, so what a helper does to the thread it is given comes
// from the flow layer's summary of its body.
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -analyzer-config -Xclang ipa=none
#include <thread>

void work();

void join_it(std::thread &t) { t.join(); }
void join_deeper(std::thread &t) { join_it(t); }
void only_look(std::thread &t) { (void)t.get_id(); }
void join_if(std::thread &t, bool b) {
  if (b)
    t.join();
}
void unknown(std::thread &t); // no body: the thread escapes

void helper_joins() {
  std::thread t(work);
  join_it(t);
}

void helper_joins_two_levels_down() {
  std::thread t(work);
  join_deeper(t);
}

void helper_only_looks() {
  std::thread t(work);
  only_look(t);
} // expected-warning {{Thread destroyed while joinable}}

// Joined on some paths only: not known, not reported.
void helper_joins_sometimes(bool b) {
  std::thread t(work);
  join_if(t, b);
}

void helper_without_body() {
  std::thread t(work);
  unknown(t);
}
