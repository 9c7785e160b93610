// ReportWholeObjectAssignment: true reports the member transfers of copy/move
// assignment operators and swap members that
// unlocked-container-access-whole-object.cpp shows left out by default.
// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportWholeObjectAssignment: true}}" -- -std=c++17
#include <list>
#include <mutex>
#include <utility>

class Registry {
public:
  Registry() = default;
  Registry(const Registry &Other) : Names(Other.Names) {}
  Registry &operator=(Registry &&Other) noexcept {
    Names = std::move(Other.Names); // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: { std::scoped_lock lock(M); Names = std::move(Other.Names); }
    Other.clear();
    return *this;
  }
  Registry &operator=(const Registry &Other) {
    if (this != &Other)
      Names = Other.Names; // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    return *this;
  }
  void swap(Registry &Other) noexcept {
    using std::swap;
    swap(Names, Other.Names); // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: { std::scoped_lock lock(M); swap(Names, Other.Names); }
    Names.swap(Other.Names); // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: std::scoped_lock lock(M); Names.swap(Other.Names);
  }
  // CHECK-NOTE@+8: 'Names' is modified under 'M' here
  // CHECK-NOTE@+7: 'Names' is modified under 'M' here
  // CHECK-NOTE@+6: 'Names' is modified under 'M' here
  // CHECK-NOTE@+5: 'Names' is modified under 'M' here
  // CHECK-NOTE@+4: 'Names' is modified under 'M' here
  // CHECK-NOTE@+3: 'Names' is modified under 'M' here
  void add(int N) {
    std::lock_guard<std::mutex> G(M);
    Names.push_back(N);
  }
  void clear() {
    std::lock_guard<std::mutex> G(M);
    Names.clear();
  }
  int size() {
    std::lock_guard<std::mutex> G(M);
    return static_cast<int>(Names.size());
  }
  bool has(int N) {
    std::lock_guard<std::mutex> G(M);
    for (int X : Names)
      if (X == N)
        return true;
    return false;
  }
  int first() {
    std::lock_guard<std::mutex> G(M);
    return Names.empty() ? 0 : Names.front();
  }
  // Reported: the member written from a list that is not another object's
  // same member, in an ordinary member function.
  void adopt(std::list<int> &&L) {
    Names = std::move(L); // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: std::scoped_lock lock(M); Names = std::move(L);
  }
  void drop() {
    Names.clear(); // CHECK-WARN: container 'Names' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: std::scoped_lock lock(M); Names.clear();
  }

private:
  std::mutex M;
  std::list<int> Names;
};

// Reported: an assignment operator from another type (its parameter is not
// an object of the class).
struct Rows {
  std::list<int> Data;
};
class Table {
public:
  Table &operator=(Rows &&R) {
    Data = std::move(R.Data); // CHECK-WARN: container 'Data' is modified without holding 'M', which guards its other accesses
    // CHECK-NOTE@-1: hold 'M' for this statement
    // CHECK-FIX: { std::scoped_lock lock(M); Data = std::move(R.Data); }
    return *this;
  }
  // CHECK-NOTE@+3: 'Data' is modified under 'M' here
  void add(int N) {
    std::lock_guard<std::mutex> G(M);
    Data.push_back(N);
  }
  int size() {
    std::lock_guard<std::mutex> G(M);
    return static_cast<int>(Data.size());
  }

private:
  std::mutex M;
  std::list<int> Data;
};
