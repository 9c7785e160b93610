// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17
// A helper that calls the callable it is given and keeps what it returned
// (a memo's `get(key, [&] { return compute(); })`, storing the value in a
// member map) keeps the result, not the callable: the lambda runs before
// the helper returns, its captures are alive. Found in pitfall's own link
// (lib/Scan/WholeProgram.cpp's DepthMemo). Still reported: a helper that
// stores the callable itself in a member.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

template <typename T> class Memo {
public:
  template <typename ComputeFn>
  const T &get(const std::string &Key, ComputeFn Compute) {
    auto It = Results.find(Key);
    if (It != Results.end())
      return It->second.Value;
    T Value = Compute();
    Entry &E = Results[Key];
    E.Value = std::move(Value);
    return E.Value;
  }
  template <typename F> void later(F Fn) { Pending.push_back(std::move(Fn)); }

private:
  struct Entry {
    T Value{};
  };
  std::map<std::string, Entry> Results;
  std::vector<std::function<void()>> Pending;
};

struct Linker {
  Memo<std::vector<int>> Acquired;
  const std::vector<int> &acquisitions(const std::string &USR, unsigned Depth) {
    int First = 3;
    return Acquired.get(USR, [&] {
      return std::vector<int>{First, static_cast<int>(Depth)};
    });
  }
  void defer(unsigned Depth) {
    int First = 3;
    Acquired.later([&] { (void)(First + Depth); }); // CHECK-WARN: 'First' is captured by reference in a lambda that is stored in member 'Acquired'; it is destroyed when the function returns (dangling reference)
    // CHECK-NOTE@-1: stored here
    // CHECK-WARN@-2: 'Depth' is captured by reference in a lambda that is stored in member 'Acquired'; it is destroyed when the function returns (dangling reference)
    // CHECK-NOTE@-3: stored here
  }
};
