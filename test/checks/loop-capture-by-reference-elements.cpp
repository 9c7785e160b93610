// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A loop variable that refers into a container (a reference range-for
// variable, an iterator) captured into a task that may still run when the
// container is resized or destroyed; and the shapes that wait first.
#include <future>
#include <thread>
#include <vector>

void use(int);

void resizedWhileRunning(std::vector<int> &v) {
  std::vector<std::thread> ts;
  for (auto &x : v)
    // CHECK-WARN@+3: 'x' refers to an element of 'v' and is captured by reference in a lambda that runs on a thread; 'v' is resized while the lambda may still run (dangling reference)
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here, beyond the iteration
    ts.emplace_back([&x] { use(x); });
  v.push_back(1); // CHECK-NOTE: 'v' is modified here; its elements may move or be freed
  for (auto &t : ts)
    t.join();
}

void destroyedWhileRunning() {
  std::vector<int> v{1, 2, 3}; // CHECK-NOTE: 'v' is destroyed at the end of its scope, and the task is not waited for before
  for (auto &x : v)
    // CHECK-WARN@+3: 'x' refers to an element of 'v' and is captured by reference in a lambda that runs on a thread; 'v' is destroyed while the lambda may still run
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is detached here, beyond the iteration
    std::thread([&x] { use(x); }).detach();
}

void implicitIntoParameter(std::vector<std::thread> &out) {
  std::vector<int> v{1, 2, 3}; // CHECK-NOTE: 'v' is destroyed at the end of its scope
  for (int &x : v)
    // CHECK-WARN@+3: 'x' refers to an element of 'v' and is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'out' here, beyond the iteration
    out.emplace_back([&] { use(x); });
}

void iteratorByCopy(std::vector<int> &v) {
  std::vector<std::future<void>> fs;
  for (auto it = v.begin(); it != v.end(); ++it)
    // CHECK-WARN@+3: 'it' is an iterator into 'v' and is captured by copy in a lambda that runs through std::async; 'v' is resized while the lambda may still run
    // CHECK-NOTE@+2: std::async called here
    // CHECK-NOTE@+1: the future is stored in 'fs' here, beyond the iteration
    fs.push_back(std::async(std::launch::async, [it] { use(*it); }));
  v.clear(); // CHECK-NOTE: 'v' is modified here; its elements may move or be freed
  for (auto &f : fs)
    f.get();
}

// Not flagged: the tasks end before the container changes or dies, the
// container is not changed, the element is copied, or the task is waited
// for in the iteration.
void joinedBeforeResize(std::vector<int> &v) {
  std::vector<std::thread> ts;
  for (auto &x : v)
    ts.emplace_back([&x] { use(x); });
  for (auto &t : ts)
    t.join();
  v.push_back(1);
}

void unchanged(const std::vector<int> &v) {
  std::vector<std::jthread> ts;
  for (const auto &x : v)
    ts.emplace_back([&x] { use(x); });
}

void localJoined() {
  std::vector<int> v{1, 2, 3};
  std::vector<std::jthread> ts;
  for (auto &x : v)
    ts.emplace_back([&x] { use(x); });
  for (auto &t : ts)
    t.join();
}

void copiedElement(std::vector<int> &v, std::vector<std::thread> &out) {
  for (auto &x : v)
    out.emplace_back([x] { use(x); });
  v.clear();
}

void iteratorWaited(std::vector<int> &v) {
  for (auto it = v.begin(); it != v.end(); ++it) {
    auto f = std::async(std::launch::async, [it] { use(*it); });
    f.get();
  }
  v.clear();
}
