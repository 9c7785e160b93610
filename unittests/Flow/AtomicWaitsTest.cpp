//===--- AtomicWaitsTest.cpp - stores to atomics and spin-waits -----------===//
#include "FlowTestUtil.h"

#include "pitfall/Core/AtomicWaits.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

const char *Code = R"cpp(
  #include <atomic>
  #include <thread>
  #include <unistd.h>
  enum Status { kNull, kStarting, kRunning };
  struct T {
    std::atomic<Status> status_{kNull};
    std::atomic<bool> ready_{false};
    std::atomic<int> n_{0};
    bool plain_ = false;
    void assign() { status_ = kRunning; }
    void release() { status_.store(kRunning, std::memory_order_release); }
    void relaxed() { status_.store(kRunning, std::memory_order_relaxed); }
    void unknown(int v) { n_.store(v); }
    void spin() { while (status_ < kRunning) usleep(1); }
    void acquire() {
      while (status_.load(std::memory_order_acquire) != kRunning)
        std::this_thread::yield();
    }
    void flag() { while (!ready_) {} }
    void relaxedSpin() {
      while (status_.load(std::memory_order_relaxed) < kRunning) usleep(1);
    }
    void busy() { int k = 0; while (status_ < kRunning) ++k; }
    void plain() { while (!plain_) usleep(1); }
  };
)cpp";

const Stmt *loopIn(TestAST &T, llvm::StringRef Fn) {
  return T.find<Stmt>(T.function(Fn), [](const Stmt *S) {
    return isa<WhileStmt, DoStmt, ForStmt>(S);
  });
}

std::optional<AtomicStore> storeIn(TestAST &T, llvm::StringRef Fn) {
  const Expr *E = T.find<Expr>(T.function(Fn), [](const Expr *E) {
    return isa<CXXOperatorCallExpr, CXXMemberCallExpr>(E);
  });
  return E ? atomicStore(E, T.ctx()) : std::nullopt;
}

TEST(AtomicWaitsTest, Stores) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  std::optional<AtomicStore> S = storeIn(T, "T::assign");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Object->getName(), "status_");
  EXPECT_EQ(S->Value, 2);
  EXPECT_TRUE(S->Releases);
  S = storeIn(T, "T::release");
  ASSERT_TRUE(S);
  EXPECT_TRUE(S->Releases);
  S = storeIn(T, "T::relaxed");
  ASSERT_TRUE(S);
  EXPECT_FALSE(S->Releases);
  S = storeIn(T, "T::unknown");
  ASSERT_TRUE(S);
  EXPECT_FALSE(S->Value);
}

TEST(AtomicWaitsTest, SpinWaits) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  std::optional<AtomicSpin> W = atomicSpinWait(loopIn(T, "T::spin"), T.ctx());
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Op, BO_LT);
  EXPECT_EQ(W->Value, 2);
  EXPECT_FALSE(endsWait(*W, 1));
  EXPECT_TRUE(endsWait(*W, 2));
  EXPECT_TRUE(endsWait(*W, std::nullopt));
  W = atomicSpinWait(loopIn(T, "T::acquire"), T.ctx());
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Op, BO_NE);
  EXPECT_TRUE(endsWait(*W, 2));
  EXPECT_FALSE(endsWait(*W, 3));
  W = atomicSpinWait(loopIn(T, "T::flag"), T.ctx());
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Object->getName(), "ready_");
  EXPECT_TRUE(endsWait(*W, 1));
  EXPECT_FALSE(endsWait(*W, 0));
  // A relaxed load, a body that does work, a plain bool: no wait.
  EXPECT_FALSE(atomicSpinWait(loopIn(T, "T::relaxedSpin"), T.ctx()));
  EXPECT_FALSE(atomicSpinWait(loopIn(T, "T::busy"), T.ctx()));
  EXPECT_FALSE(atomicSpinWait(loopIn(T, "T::plain"), T.ctx()));
}

} // namespace
} // namespace test
} // namespace pitfall
