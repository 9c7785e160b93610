// Goroutine leaks: threads that nobody waits for.
#include <stdexcept>
#include <thread>
#include <vector>

void process(int item);
bool validate(int item); // may throw

// BAD: if validate() throws, `worker` is destroyed while joinable and the
// program calls std::terminate.
// pitfall-unjoined-thread: "thread 'worker' is destroyed while joinable
// (std::terminate is called) if this call throws" at validate(), and "... when
// the function returns here" at the return; fix-it: std::jthread.
void handle_request(int item) {
  std::thread worker([item] { process(item); });
  if (!validate(item))
    return; // BAD: returns without joining
  worker.join();
}

// BAD: a pool whose threads are never joined.
// pitfall-unjoined-thread: "threads in 'pool' are destroyed while joinable
// (std::terminate is called) when it goes out of scope here" at the brace.
void fan_out(const std::vector<int> &items) {
  std::vector<std::thread> pool;
  for (int item : items)
    pool.emplace_back([item] { process(item); });
} // every thread in `pool` is destroyed while joinable

// GOOD: every path joins.
void fan_out_ok(const std::vector<int> &items) {
  std::vector<std::thread> pool;
  for (int item : items)
    pool.emplace_back([item] { process(item); });
  for (auto &t : pool)
    t.join();
}

// BAD: the destructor does not join the thread the class started.
// pitfall-unjoined-thread: "the destructor of 'Ticker' does not join or
// detach thread member 'thread_'".
class Ticker {
public:
  void start() { thread_ = std::thread([] { process(0); }); }
  ~Ticker() {}

private:
  std::thread thread_;
};

// GOOD: the destructor joins.
class TickerOk {
public:
  void start() { thread_ = std::thread([] { process(0); }); }
  ~TickerOk() {
    if (thread_.joinable())
      thread_.join();
  }

private:
  std::thread thread_;
};

// GOOD: std::jthread joins itself.
void handle_request_ok(int item) {
  std::jthread worker([item] { process(item); });
  if (!validate(item))
    return;
}
