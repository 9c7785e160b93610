// A library included as a system header (-isystem): class templates the
// user specialises, and a function template instantiating them.
#pragma once
#include <thread>

namespace lib {
template <typename T> struct handler {
  // The library's own code: never the user's finding, whatever T is.
  void operator()() const { T t([] {}); }
};
template <typename T> void dispatch() { handler<T>{}(); }
} // namespace lib
