// The user's code inside instantiations of a system header's templates: the
// user's partial specialisation of a library class template is instantiated
// from the library (the instantiation is located at the primary template, in
// the system header); its members are the user's and are analysed with
// their types. The library's own template, instantiated with the user's
// types, is not.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20 -isystem %S/Inputs/system-templates
#include <handlers.h>
#include <thread>

template <typename T> struct Owned {};

namespace lib {
template <typename T> struct handler<Owned<T>> {
  void operator()() const {
    // Dependent in the pattern; a std::thread in handler<Owned<std::thread>>.
    T t([] {});
  } // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when it goes out of scope here
  // CHECK-NOTE@-2:7: thread 't' started here
  // CHECK-NOTE@-2:3: join or detach 't' before this point
};
} // namespace lib

void use() {
  lib::dispatch<std::thread>();        // the library's handler: no finding
  lib::dispatch<Owned<std::thread>>(); // the user's specialisation
}
