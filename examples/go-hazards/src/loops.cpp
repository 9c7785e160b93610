// Go vet's loopclosure: closures in a loop capturing the loop variable.
#include <algorithm>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

void upload(const std::string &name);

// BAD: every thread sees `i` change, and it dies when the loop ends.
void upload_all(const std::vector<std::string> &names) {
  std::vector<std::jthread> threads;
  for (size_t i = 0; i < names.size(); ++i)
    threads.emplace_back([&] { upload(names[i]); });
}

// BAD: `name` is a copy that dies at the end of each iteration.
void upload_all2(std::vector<std::string> names) {
  std::vector<std::future<void>> done;
  for (std::string name : names)
    done.push_back(std::async(std::launch::async, [&name] { upload(name); }));
}

// GOOD: captured by value.
void upload_all_ok(const std::vector<std::string> &names) {
  std::vector<std::jthread> threads;
  for (size_t i = 0; i < names.size(); ++i)
    threads.emplace_back([&names, i] { upload(names[i]); });
}

// GOOD: a synchronous algorithm; the lambda does not outlive the iteration.
void sort_all(std::vector<std::vector<int>> &rows) {
  for (auto &row : rows) {
    int pivot = row.empty() ? 0 : row.front();
    std::sort(row.begin(), row.end(), [&](int a, int b) { return (a - pivot) < (b - pivot); });
  }
}
