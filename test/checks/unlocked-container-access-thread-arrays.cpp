// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Threads kept in a built-in array, each element initialised with its start,
// are ended by the joins of the array's elements (round 11's sdbus-cpp).
#include <algorithm>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

int work(int);

// Joined in a range-for before the read: not reported.
std::vector<int> collectRangeFor() {
  std::mutex mtx;
  std::vector<int> results;
  auto call = [&](int p) {
    int r = work(p);
    std::lock_guard<std::mutex> g(mtx);
    results.push_back(r);
  };
  std::thread ts[]{std::thread{call, 3}, std::thread{call, 2},
                   std::thread{call, 1}};
  for (auto &t : ts)
    t.join();
  return std::vector<int>(results.begin(), results.end());
}

// Each element joined by its index: not reported.
std::vector<int> collectEach() {
  std::mutex mtx;
  std::vector<int> results;
  auto call = [&](int p) {
    std::lock_guard<std::mutex> g(mtx);
    results.push_back(p);
  };
  std::thread ts[2] = {std::thread(call, 1), std::thread(call, 2)};
  ts[0].join();
  ts[1].join();
  return std::vector<int>(results.begin(), results.end());
}

// Read before the joins: reported.
std::vector<int> readEarly() {
  std::mutex mtx;
  std::vector<int> results;
  auto call = [&](int p) {
    std::lock_guard<std::mutex> g(mtx);
    // CHECK-NOTE@+1: conflicting modification on another thread under 'mtx'
    results.push_back(p); // CHECK-NOTE: conflicting modification on another thread under 'mtx'
  };
  std::thread ts[]{std::thread{call, 1}, std::thread{call, 2}};
  // CHECK-WARN@+2: container 'results' is read without holding 'mtx' while another thread modifies it
  // CHECK-WARN@+1: container 'results' is read without holding 'mtx' while another thread modifies it
  std::vector<int> copy(results.begin(), results.end());
  for (auto &t : ts)
    t.join();
  return copy;
}

// One element left running: reported.
std::vector<int> oneLeft() {
  std::mutex mtx;
  std::vector<int> results;
  auto call = [&](int p) {
    std::lock_guard<std::mutex> g(mtx);
    // CHECK-NOTE@+1: conflicting modification on another thread under 'mtx'
    results.push_back(p); // CHECK-NOTE: conflicting modification on another thread under 'mtx'
  };
  std::thread ts[2] = {std::thread(call, 1), std::thread(call, 2)};
  ts[0].join();
  // CHECK-WARN@+2: container 'results' is read without holding 'mtx' while another thread modifies it
  // CHECK-WARN@+1: container 'results' is read without holding 'mtx' while another thread modifies it
  std::vector<int> copy(results.begin(), results.end());
  ts[1].join();
  return copy;
}

// Joined by std::for_each over the array (sdbus-cpp's form): not reported.
std::vector<int> collectForEach() {
  std::mutex mtx;
  std::vector<int> results;
  auto call = [&](int p) {
    std::lock_guard<std::mutex> g(mtx);
    results.push_back(p);
  };
  std::thread ts[]{std::thread{call, 3}, std::thread{call, 2}};
  std::for_each(std::begin(ts), std::end(ts), [](auto &t) { t.join(); });
  return std::vector<int>(results.begin(), results.end());
}
