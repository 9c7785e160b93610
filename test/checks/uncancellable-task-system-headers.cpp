// REQUIRES: asio
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20 -DASIO_HAS_CO_AWAIT
// Including the real asio and standard headers, which contain coroutines,
// thread pools and endless service loops, gives no findings.
#include <asio.hpp>
#include <condition_variable>
#include <coroutine>
#include <future>
#include <stop_token>
#include <thread>

int main() {
  asio::io_context io;
  asio::thread_pool pool(2);
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested())
      std::this_thread::yield();
  });
  asio::co_spawn(io, []() -> asio::awaitable<void> { co_return; },
                 asio::detached);
  io.run();
  pool.join();
}
