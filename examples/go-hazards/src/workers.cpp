// Goroutine leaks: threads that nobody waits for.
#include <stdexcept>
#include <thread>
#include <vector>

void process(int item);
bool validate(int item); // may throw

// BAD: if validate() throws, `worker` is destroyed while joinable and the
// program calls std::terminate.
void handle_request(int item) {
  std::thread worker([item] { process(item); });
  if (!validate(item))
    return; // BAD: returns without joining
  worker.join();
}

// BAD: a pool whose threads are never joined.
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

// GOOD: std::jthread joins itself.
void handle_request_ok(int item) {
  std::jthread worker([item] { process(item); });
  if (!validate(item))
    return;
}
