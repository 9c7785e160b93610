//===--- LockOrderTest.cpp - acquisitions reported by the lock analysis ---===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/LockAnalysis.h"

#include "clang/AST/Decl.h"

#include <algorithm>

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// "m:h1,h2" for every mutex \p Fn acquires and waits for (m), with the
/// mutexes held before the statement (h1, h2, sorted by name).
std::vector<std::string> acquisitions(TestAST &T, llvm::StringRef Fn) {
  std::vector<std::string> Out;
  LockSetAnalysis A(T.flow());
  auto OnAcquire = [&](const Stmt *, const HeldLock &L, const LockSet &Before) {
    std::vector<std::string> Held;
    for (const HeldLock &H : Before.locks())
      Held.push_back(H.Mutex->getNameAsString());
    std::sort(Held.begin(), Held.end());
    std::string S = L.Mutex->getNameAsString() + ":";
    for (const std::string &H : Held)
      S += (S.back() == ':' ? "" : ",") + H;
    Out.push_back(S);
  };
  A.onAcquire(OnAcquire);
  EXPECT_TRUE(
      A.run(T.function(Fn), LockSet(), [](const Stmt *, const LockSet &) {}));
  return Out;
}

TEST(LockOrderTest, AcquisitionsWithTheLocksHeldBefore) {
  TestAST T(R"cpp(
    #include <mutex>
    std::mutex a, b, c;
    std::recursive_mutex r;
    void together() {
      std::lock_guard<std::mutex> la(a);
      std::scoped_lock both(b, c);
    }
    void multi() {
      std::lock(a, b);
      std::lock_guard<std::mutex> la(a, std::adopt_lock);
      std::lock_guard<std::mutex> lb(b, std::adopt_lock);
      c.lock();
      c.unlock();
    }
    void again() {
      std::lock_guard<std::recursive_mutex> l1(r);
      std::lock_guard<std::recursive_mutex> l2(r);
    }
    void tried() {
      std::lock_guard<std::mutex> lb(b);
      if (a.try_lock()) {
        c.lock();
        c.unlock();
        a.unlock();
      }
      std::unique_lock<std::mutex> lc(c, std::try_to_lock);
    }
    void deferred() {
      std::unique_lock<std::mutex> la(a, std::defer_lock);
      std::lock_guard<std::mutex> lb(b);
      la.lock();
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  using V = std::vector<std::string>;
  EXPECT_EQ(acquisitions(T, "together"), (V{"a:", "b:a", "c:a"}));
  EXPECT_EQ(acquisitions(T, "multi"), (V{"a:", "b:", "c:a,b"}));
  EXPECT_EQ(acquisitions(T, "again"), (V{"r:"}));
  // try_lock and try_to_lock do not wait: only what is taken under them.
  EXPECT_EQ(acquisitions(T, "tried"), (V{"b:", "c:a,b"}));
  EXPECT_EQ(acquisitions(T, "deferred"), (V{"b:", "a:b"}));
}

} // namespace
} // namespace test
} // namespace pitfall
