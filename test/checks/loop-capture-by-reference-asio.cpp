// REQUIRES: asio
// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20 -DASIO_HAS_CO_AWAIT=1
// Debian's asio: post, dispatch, co_spawn with coroutine lambdas (asio 1.22
// enables co_await for clang only when told to).
#include <asio.hpp>
#include <string>
#include <vector>

void use(int);
void upload(const std::string &);

void posted(asio::io_context &io, const std::vector<std::string> &names) {
  for (std::string name : names)
    // CHECK-WARN@+2:33: 'name' is captured by reference in a lambda that is passed to 'post'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'post' here
    asio::post(io, [&] { upload(name); });
  // CHECK-FIX: asio::post(io, [&, name] { upload(name); });
  for (size_t i = 0; i < names.size(); ++i)
    // CHECK-WARN@+2:49: 'i' is captured by reference in a lambda that is passed to 'dispatch'; the loop variable is shared
    // CHECK-NOTE@+1: passed to 'dispatch' here
    asio::dispatch(io.get_executor(), [&names, &i] { upload(names[i]); });
  // CHECK-FIX: asio::dispatch(io.get_executor(), [&names, i] { upload(names[i]); });
  asio::thread_pool pool(2);
  for (int i = 0; i < 4; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'post'; the loop variable is shared
    // CHECK-NOTE@+1: passed to 'post' here
    asio::post(pool, [&i] { use(i); });
  // CHECK-FIX: asio::post(pool, [i] { use(i); });
  pool.join();
}

void coroutines(asio::io_context &io, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'co_spawn'; the loop variable is shared
    // CHECK-NOTE@+1: passed to 'co_spawn' here
    asio::co_spawn(io, [&i]() -> asio::awaitable<void> { use(i); co_return; }, asio::detached);
  // CHECK-FIX: asio::co_spawn(io, [i]() -> asio::awaitable<void> { use(i); co_return; }, asio::detached);
  for (int i = 0; i < n; ++i) {
    int id = i + 1;
    // An immediately invoked coroutine lambda: its frame refers to the capture.
    // CHECK-WARN@+2: 'id' is captured by reference in a lambda that is passed to 'co_spawn'; it is destroyed
    // CHECK-NOTE@+1: passed to 'co_spawn' here
    asio::co_spawn(io, [&id]() -> asio::awaitable<void> { use(id); co_return; }(), asio::detached);
    // CHECK-FIX: asio::co_spawn(io, [id]() -> asio::awaitable<void> { use(id); co_return; }(), asio::detached);
  }
}

// --- not flagged ---------------------------------------------------------------

asio::awaitable<void> awaited(int n) {
  for (int i = 0; i < n; ++i)
    co_await [&i]() -> asio::awaitable<void> { use(i); co_return; }();
}

void run_in_iteration(int n) {
  for (int i = 0; i < n; ++i) {
    asio::io_context io;
    asio::post(io, [&i] { use(i); });
    io.run();
  }
  asio::io_context shared;
  for (int i = 0; i < n; ++i) {
    asio::post(shared, [&i] { use(i); });
    shared.restart();
    shared.run();
  }
}

void by_value(asio::io_context &io, int n) {
  for (int i = 0; i < n; ++i)
    asio::post(io, [i] { use(i); });
  int total = 0;
  for (int i = 0; i < n; ++i)
    asio::post(io, [&total, i] { total += i; });
}
