// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Threads, std::async and storage against the real libstdc++.
#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <ranges>
#include <string>
#include <thread>
#include <vector>

void use(int);
void upload(const std::string &);
std::string make_name(int);

// --- the induction variable of a for: shared by all iterations -------------

void threads_in_vector(int n) {
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+3:31: 'i' is captured by reference in a lambda that runs on a thread; the loop variable is shared by all iterations (data race, stale value)
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here, beyond the iteration
    ts.emplace_back([&] { use(i); });
  // CHECK-FIX: ts.emplace_back([&, i] { use(i); });
  for (auto &t : ts)
    t.join();
}

void explicit_capture_detached(int n) {
  for (int i = 0; i < n; ++i) {
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that runs on a thread; the loop variable is shared
    // CHECK-NOTE@+1: thread started here
    std::thread t([&i] { use(i); });
    // CHECK-FIX: std::thread t([i] { use(i); });
    t.detach(); // CHECK-NOTE: the thread is detached here, beyond the iteration
  }
}

void temporary_detached(int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is detached here
    std::thread([&i] { use(i); }).detach();
  // CHECK-FIX: std::thread([i] { use(i); }).detach();
}

// --- per-iteration variables: destroyed at the end of the iteration --------

void range_for_by_value(std::vector<std::string> names) {
  std::vector<std::future<void>> done;
  for (std::string name : names)
    // CHECK-WARN@+3: 'name' is captured by reference in a lambda that runs through std::async; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+2: std::async called here
    // CHECK-NOTE@+1: the future is stored in 'done' here, beyond the iteration
    done.push_back(std::async(std::launch::async, [&name] { upload(name); }));
  // CHECK-FIX: done.push_back(std::async(std::launch::async, [name] { upload(name); }));
}

void body_variable_moved_out(int n) {
  std::vector<std::thread> ts;
  for (int k = 0; k < n; ++k) {
    std::string name = make_name(k);
    // CHECK-WARN@+2: 'name' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
    // CHECK-NOTE@+1: thread started here
    std::thread t([&] { upload(name); });
    // CHECK-FIX: std::thread t([&, name] { upload(name); });
    ts.push_back(std::move(t)); // CHECK-NOTE: the thread is stored in 'ts' here
  }
  for (auto &t : ts)
    t.join();
}

void structured_binding_by_value(const std::map<std::string, int> &m) {
  std::vector<std::jthread> ts;
  for (auto [key, count] : m)
    // CHECK-WARN@+3:31: 'count' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&] { use(count); });
  // CHECK-FIX: ts.emplace_back([&, count] { use(count); });
}

void while_and_do(std::vector<int> &queue) {
  std::vector<std::thread> ts;
  while (!queue.empty()) {
    int item = queue.back();
    queue.pop_back();
    // CHECK-WARN@+3: 'item' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&item] { use(item); });
    // CHECK-FIX: ts.emplace_back([item] { use(item); });
  }
  int left = 3;
  do {
    int id = --left;
    // CHECK-WARN@+3: 'id' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&id] { use(id); });
    // CHECK-FIX: ts.emplace_back([id] { use(id); });
  } while (left > 0);
  for (auto &t : ts)
    t.join();
}

void range_for_over_prvalues(int n) {
  std::vector<std::jthread> ts;
  for (auto &&i : std::views::iota(0, n))
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&i] { use(i); });
  // CHECK-FIX: ts.emplace_back([i] { use(i); });
}

void lifetime_extended_temporary(int n) {
  std::vector<std::jthread> ts;
  for (int k = 0; k < n; ++k) {
    const std::string &name = make_name(k);
    // CHECK-WARN@+3: 'name' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&name] { upload(name); });
    // CHECK-FIX: ts.emplace_back([name] { upload(name); });
  }
}

void range_for_init_statement(const std::vector<int> &v) {
  std::vector<std::jthread> ts;
  for (int base = 10; int x : v)
    // CHECK-WARN@+3:23: 'base' is captured by reference in a lambda that runs on a thread; it is destroyed when the loop ends
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&base, x] { use(base + x); });
  // CHECK-FIX: ts.emplace_back([base, x] { use(base + x); });
}

void shared_but_constant(const std::vector<int> &v) {
  std::vector<std::jthread> ts;
  for (size_t k = 0, n = v.size(); k < n; ++k)
    // CHECK-WARN@+3:23: 'n' is captured by reference in a lambda that runs on a thread; it is destroyed when the loop ends (dangling reference)
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&n, k] { use(static_cast<int>(n - k)); });
  // CHECK-FIX: ts.emplace_back([n, k] { use(static_cast<int>(n - k)); });
}

// --- stored outside the iteration --------------------------------------------

struct Scheduler {
  std::vector<std::function<void()>> pending;
  std::function<void()> last;
  void plan(int n) {
    for (int i = 0; i < n; ++i)
      // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is stored in member 'pending'; the loop variable is shared
      // CHECK-NOTE@+1: stored here
      pending.push_back([&i] { use(i); });
    // CHECK-FIX: pending.push_back([i] { use(i); });
    for (int i = 0; i < n; ++i)
      // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is stored in member 'last'
      // CHECK-NOTE@+1: stored here
      last = [&i] { use(i); };
    // CHECK-FIX: last = [i] { use(i); };
  }
};

std::function<void()> first_positive(const std::vector<int> &v) {
  for (int x : v)
    if (x > 0)
      // CHECK-WARN@+2: 'x' is captured by reference in a lambda that is returned; it is destroyed
      // CHECK-NOTE@+1: returned here
      return [&x] { use(x); };
  // CHECK-FIX: return [x] { use(x); };
  return {};
}

void stored_through_local(std::vector<std::function<void()>> &out, int n) {
  for (int i = 0; i < n; ++i) {
    auto job = [&i] { use(i); }; // CHECK-WARN: 'i' is captured by reference in a lambda that is stored in 'out'
    // CHECK-FIX: auto job = [i] { use(i); };
    out.push_back(job); // CHECK-NOTE: stored here
  }
}

void captured_into_another_lambda(int n) {
  for (int i = 0; i < n; ++i) {
    auto job = [&i] { use(i); }; // CHECK-WARN: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-FIX: auto job = [i] { use(i); };
    std::thread([job] { job(); }).detach();
    // CHECK-NOTE@-1: thread started here
    // CHECK-NOTE@-2: the thread is detached here
  }
}

std::unique_ptr<int> next_job();

void condition_variable(std::vector<std::jthread> &ts) {
  while (std::shared_ptr<int> job = next_job())
    // CHECK-WARN@+3: 'job' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&job] { use(*job); });
  // CHECK-FIX: ts.emplace_back([job] { use(*job); });
}

void heap_thread(int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored on the heap here
    (void)new std::thread([&i] { use(i); });
  // CHECK-FIX: (void)new std::thread([i] { use(i); });
}

void outer_thread_not_joined(int n) {
  std::thread t;
  for (int i = 0; i < n; ++i) {
    if (t.joinable())
      t.detach();
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 't' here
    t = std::thread([&i] { use(i); });
    // CHECK-FIX: t = std::thread([i] { use(i); });
  }
  t.join();
}

// Nested loops: `j` belongs to the inner loop, whose threads the outer
// iteration's vector keeps; `i` is safe (joined within its iteration).
void nested(int n) {
  for (int i = 0; i < n; ++i) {
    std::vector<std::thread> ts;
    for (int j = 0; j < n; ++j)
      // CHECK-WARN@+3:37: 'j' is captured by reference in a lambda that runs on a thread; the loop variable is shared
      // CHECK-NOTE@+2: thread started here
      // CHECK-NOTE@+1: the thread is stored in 'ts' here
      ts.emplace_back([&] { use(i + j); });
    // CHECK-FIX: ts.emplace_back([&, j] { use(i + j); });
    for (auto &t : ts)
      t.join();
  }
}

// A template instantiated twice is reported once.
template <class T> void in_template(const std::vector<T> &v) {
  std::vector<std::jthread> ts;
  for (T x : v)
    // CHECK-WARN@+3: 'x' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&x] { use(static_cast<int>(x)); });
  // CHECK-FIX: ts.emplace_back([x] { use(static_cast<int>(x)); });
}
template void in_template(const std::vector<int> &);
template void in_template(const std::vector<long> &);

// --- not flagged ---------------------------------------------------------------

void by_value(int n) {
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([i] { use(i); });
  for (int i = 0; i < n; ++i)
    ts.emplace_back([=] { use(i); });
}

void declared_outside(const std::vector<std::string> &names) {
  std::vector<std::jthread> ts;
  int total = 0;
  for (size_t i = 0; i < names.size(); ++i)
    ts.emplace_back([&names, &total, i] { upload(names[i]); ++total; });
}

void reference_range_for(std::vector<std::string> &names) {
  std::vector<std::jthread> ts;
  for (auto &name : names)
    ts.emplace_back([&] { upload(name); });
  for (const auto &name : names)
    ts.emplace_back([&name] { upload(name); });
  for (auto &&name : names)
    ts.emplace_back([&name] { upload(name); });
}

void reference_into_outer(std::vector<std::string> &names) {
  std::vector<std::jthread> ts;
  for (size_t k = 0; k < names.size(); ++k) {
    std::string &name = names[k];
    ts.emplace_back([&name] { upload(name); });
  }
}

void immediately_invoked_and_algorithms(std::vector<std::vector<int>> &rows) {
  for (int i = 0; i < 3; ++i)
    [&] { use(i); }();
  for (auto &row : rows) {
    int pivot = row.empty() ? 0 : row.front();
    std::sort(row.begin(), row.end(), [&](int a, int b) { return (a - pivot) < (b - pivot); });
    std::for_each(row.begin(), row.end(), [&pivot](int &x) { x -= pivot; });
    std::transform(row.begin(), row.end(), row.begin(), [&](int x) { return x + pivot; });
    auto local = [&pivot] { return pivot; };
    use(local());
  }
}

void joined_in_iteration(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t([&] { use(i); });
    t.join();
  }
  for (int i = 0; i < n; ++i) {
    std::jthread t([&i] { use(i); });
  }
  for (int i = 0; i < n; ++i) {
    std::thread a([&i] { use(i); }), b([&i] { use(-i); });
    a.join();
    b.join();
  }
  std::thread outer;
  for (int i = 0; i < n; ++i) {
    outer = std::thread([&i] { use(i); });
    outer.join();
  }
  for (int i = 0; i < n; ++i) {
    auto f = [&i] { use(i); };
    std::thread t(f);
    t.join();
  }
}

void async_waited_in_iteration(int n) {
  for (int i = 0; i < n; ++i) {
    auto fut = std::async(std::launch::async, [&i] { use(i); });
    // the future's destructor blocks at the end of the iteration
  }
  for (int i = 0; i < n; ++i)
    std::async(std::launch::async, [&i] { use(i); }).get();
  for (int i = 0; i < n; ++i)
    (void)std::async(std::launch::async, [&] { use(i); });
}

void local_storage(int n) {
  for (int i = 0; i < n; ++i) {
    std::vector<std::function<void()>> steps;
    steps.push_back([&i] { use(i); });
    for (auto &s : steps)
      s();
  }
}

void static_and_global_not_loop_scoped(int n) {
  std::vector<std::jthread> ts;
  for (int k = 0; k < n; ++k) {
    static int calls = 0;
    ts.emplace_back([&] { use(calls); });
  }
}
