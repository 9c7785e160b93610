// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// An element of a container is an object of its own: what a task does to an
// element it reaches through a reference (`auto &e = m[k];`, a map of maps)
// is no access of the container, and inserting other keys into a node-based
// container (map, set, their unordered and multi forms, list) neither moves
// nor touches that element. The elements a loop takes with a key that
// varies per iteration are distinct objects, one task each (round 15's
// easy_profiler reader).
#include <future>
#include <list>
#include <map>
#include <unordered_map>
#include <vector>

using Stats = std::unordered_map<int, int>;

struct Tree {
  int id = 0;
  std::vector<int> children;
};

static void update(Stats &stats, int k) {
  auto it = stats.find(k);
  if (it != stats.end()) {
    ++it->second;
    return;
  }
  stats.emplace(k, 1);
}

// The reader's shape: one task per thread's tree, each on the entries of
// two statistics maps taken for that thread; the loop inserts the next
// thread's entries while the earlier tasks run. Not reported.
void gather(std::map<int, Tree> &trees) {
  std::unordered_map<int, Stats> frame;
  std::unordered_map<int, Stats> parent;
  std::vector<std::future<void>> results;
  for (auto &it : trees) {
    auto &root = it.second;
    root.id = it.first;
    auto &perFrame = frame[root.id];
    auto &perParent = parent[it.first];
    perParent.clear();
    results.emplace_back(std::async(std::launch::async, [&] {
      for (int c : root.children) {
        update(perParent, c);
        perFrame.clear();
        update(perFrame, c);
        for (auto s = perFrame.begin(); s != perFrame.end(); ++s)
          ++s->second;
      }
    }));
  }
  for (auto &r : results)
    r.get();
}

// The mapped value of each element of a std::map, handed to its own task,
// from a range-for and from an iterator loop: not reported.
void perValue(std::map<int, std::vector<int>> &m) {
  std::vector<std::future<void>> results;
  for (auto &kv : m) {
    auto &v = kv.second;
    results.push_back(std::async(std::launch::async, [&v] { v.push_back(1); }));
  }
  for (auto &r : results)
    r.get();
  for (auto it = m.begin(); it != m.end(); ++it) {
    auto &v = it->second;
    results.push_back(std::async(std::launch::async, [&v] { v.clear(); }));
  }
  for (auto &r : results)
    r.get();
}

// A counting loop's index selects a distinct row each time: not reported.
void perRow(std::vector<std::vector<int>> &rows) {
  std::vector<std::future<void>> results;
  for (unsigned i = 0; i < rows.size(); ++i) {
    auto &row = rows[i];
    results.push_back(std::async(std::launch::async, [&row] { row.push_back(1); }));
  }
  for (auto &r : results)
    r.get();
}

// Inserts and lookups of other keys while a task fills an element of a
// std::map: not reported.
void insertOthers() {
  std::map<int, std::vector<int>> m;
  auto &first = m[1];
  auto f = std::async(std::launch::async, [&first] { first.push_back(1); });
  m[2];
  m.emplace(3, std::vector<int>{});
  m.try_emplace(4);
  auto &other = m.at(5);
  other.push_back(2);
  bool known = m.count(6) != 0;
  (void)known;
  f.get();
}

// A std::list element while the list grows: not reported.
void listElement() {
  std::list<std::vector<int>> l(1);
  auto &head = l.front();
  auto f = std::async(std::launch::async, [&head] { head.push_back(1); });
  l.emplace_back();
  l.push_front({});
  f.get();
}

// A vector's element while the vector grows: the element may move.
void vectorElement() {
  std::vector<std::vector<int>> vv(2);
  auto &row = vv[0];
  auto f = std::async(std::launch::async, [&row] { row.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  vv.push_back({}); // CHECK-WARN: container 'vv' is modified without a lock while another thread modifies it
  f.get();
}

// One element (a constant key) modified by two tasks.
void twoTasksOneElement() {
  std::map<int, std::vector<int>> m;
  auto &e = m[0];
  auto a = std::async(std::launch::async, [&e] { e.push_back(1); }); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  auto b = std::async(std::launch::async, [&e] { e.push_back(2); }); // CHECK-NOTE: conflicting modification on another thread
  a.get();
  b.get();
}

// A constant key in a loop: every task gets the same element.
void sameElementEachIteration() {
  std::map<int, std::vector<int>> m;
  std::vector<std::future<void>> results;
  for (int i = 0; i < 4; ++i) {
    auto &e = m[0];
    // CHECK-NOTE@+1: the thread is started in a loop and runs concurrently with itself
    results.push_back(std::async(std::launch::async, [&e] { e.push_back(1); })); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  }
  for (auto &r : results)
    r.get();
}

// Keys read from a vector may repeat: the elements may be one.
void repeatedKeys(const std::vector<int> &ids) {
  std::map<int, std::vector<int>> m;
  std::vector<std::future<void>> results;
  for (int id : ids) {
    auto &e = m[id];
    // CHECK-NOTE@+1: the thread is started in a loop and runs concurrently with itself
    results.push_back(std::async(std::launch::async, [&e] { e.push_back(1); })); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  }
  for (auto &r : results)
    r.get();
}

// While a task works on the element, the starting function modifies the
// element (through the reference and in place), erases it and clears the map.
void touchedWhileWorking() {
  std::map<int, std::vector<int>> m;
  auto &e = m[1];
  // CHECK-NOTE@+3: conflicting modification on another thread
  // CHECK-NOTE@+2: conflicting modification on another thread
  // CHECK-NOTE@+1: conflicting modification on another thread
  auto f = std::async(std::launch::async, [&e] { e.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  e.push_back(2); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  m[1].push_back(3); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  m.erase(1); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  m.clear(); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  f.get();
}

void consume(const std::vector<int> &v);

// The element read by a function whose body is not seen, or copied, by the
// starting function while the task modifies it.
void elementReadElsewhere() {
  std::map<int, std::vector<int>> m;
  auto &e = m[1];
  // CHECK-NOTE@+1: conflicting modification on another thread
  auto f = std::async(std::launch::async, [&e] { e.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  consume(m[1]); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  std::vector<int> copy = m.at(1); // CHECK-WARN: container 'm' is read without a lock while another thread modifies it
  f.get();
}

// In a loop, the starting function's use of the iteration's element after
// it started that iteration's task.
void afterStartInLoop(std::map<int, Tree> &trees) {
  std::map<int, std::vector<int>> m;
  std::vector<std::future<void>> results;
  for (auto &it : trees) {
    auto &e = m[it.first];
    results.push_back(std::async(std::launch::async, [&e] { e.push_back(1); })); // CHECK-NOTE: conflicting modification on another thread
    e.clear(); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  }
  for (auto &r : results)
    r.get();
}
