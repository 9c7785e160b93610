//===--- CallablesTest.cpp - following callables, task starts, HB --------===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/Callables.h"
#include "pitfall/Flow/HappensBefore.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

const char *Code = R"cpp(
  #include <functional>
  #include <future>
  #include <memory>
  #include <thread>
  void work();
  struct C {
    void run();
    void start() { std::thread t(&C::run, this); t.join(); }
  };
  void viaFunction() {
    std::function<void()> f = [] { work(); };
    std::thread t(f);
    t.join();
  }
  void viaBind() { std::thread t(std::bind(&work)); t.join(); }
  void viaPackagedTask() {
    auto task = std::make_shared<std::packaged_task<void()>>([] { work(); });
    std::thread t([task] { (*task)(); });
    t.join();
  }
  void viaReassigned(bool b) {
    std::function<void()> f = [] {};
    if (b) f = work;
    std::thread t(f);
    t.join();
  }
  void viaAsync() {
    auto f = [] { work(); };
    auto fut = std::async(std::launch::async, f);
    fut.get();
  }
)cpp";

const TaskStart *onlyTask(TestAST &T, llvm::StringRef Fn,
                          llvm::SmallVectorImpl<TaskStart> &Store) {
  const FunctionDecl *F = T.function(Fn);
  const FlowGraph *G = T.flow().graph(F);
  TaskTracker Tracker(T.flow(), *G);
  Store.assign(Tracker.tasks().begin(), Tracker.tasks().end());
  if (Store.size() != 1) {
    ADD_FAILURE() << Fn.str() << ": " << Store.size() << " tasks";
    return nullptr;
  }
  return &Store[0];
}

TEST(CallablesTest, FollowsWrappersToTheBody) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  llvm::SmallVector<TaskStart, 1> S;
  const TaskStart *TS = onlyTask(T, "C::start", S);
  ASSERT_TRUE(TS && TS->Target);
  EXPECT_EQ(TS->Target.Fn->getName(), "run");
  EXPECT_TRUE(TS->Target.BoundObject);

  TS = onlyTask(T, "viaFunction", S);
  ASSERT_TRUE(TS);
  EXPECT_TRUE(TS->Target.Lambda);

  TS = onlyTask(T, "viaBind", S);
  ASSERT_TRUE(TS && TS->Target);
  EXPECT_EQ(TS->Target.Fn->getName(), "work");

  TS = onlyTask(T, "viaAsync", S);
  ASSERT_TRUE(TS);
  EXPECT_EQ(TS->Kind, TaskKind::Async);
  EXPECT_TRUE(TS->Target.Lambda);

  // Two different values: not followed.
  TS = onlyTask(T, "viaReassigned", S);
  ASSERT_TRUE(TS);
  EXPECT_FALSE(TS->Target);
}

TEST(CallablesTest, PackagedTaskBehindMakeShared) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("viaPackagedTask");
  const auto *Make = T.find<CallExpr>(F, [](const CallExpr *C) {
    return C->getDirectCallee() &&
           C->getDirectCallee()->getName() == "make_shared";
  });
  ASSERT_TRUE(Make);
  CallableTarget Tgt = T.flow().callables().resolve(Make);
  EXPECT_TRUE(Tgt.Lambda);
}

const char *HBCode = R"cpp(
  #include <future>
  #include <latch>
  #include <thread>
  void work();
  void use(int) noexcept;
  void joined() {
    int x = 0;
    std::thread t([&] { x = 1; });
    use(x);
    t.join();
    use(x);
  }
  void futureWaited() {
    int x = 0;
    auto f = std::async(std::launch::async, [&] { x = 1; });
    use(x);
    f.get();
    use(x);
  }
  void latchWaited() {
    int x = 0;
    std::latch done(1);
    std::thread t([&] { x = 1; done.count_down(); });
    t.detach();
    use(x);
    done.wait();
    use(x);
  }
  void jthreadScope() {
    int x = 0;
    {
      std::jthread t([&] { x = 1; });
    }
    use(x);
  }
  void detached() {
    int x = 0;
    std::thread([&] { x = 1; }).detach();
    use(x);
  }
)cpp";

/// Whether the task may run at the first and at the last `use(x)` call.
std::pair<bool, bool> runningAtUses(TestAST &T, llvm::StringRef Fn) {
  const FunctionDecl *F = T.function(Fn);
  TaskTracker Tracker(T.flow(), *T.flow().graph(F));
  EXPECT_EQ(Tracker.tasks().size(), 1u);
  std::vector<const CallExpr *> Uses;
  llvm::SmallVector<const Stmt *, 32> Work{F->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (C->getDirectCallee() && C->getDirectCallee()->getName() == "use")
        Uses.push_back(C);
    for (const Stmt *Ch : S->children())
      Work.push_back(Ch);
  }
  std::sort(Uses.begin(), Uses.end(), [](auto *A, auto *B) {
    return A->getBeginLoc() < B->getBeginLoc();
  });
  return {Tracker.mayBeRunningAt(0, Uses.front()),
          Tracker.mayBeRunningAt(0, Uses.back())};
}

TEST(HappensBeforeTest, SynchronisationEndsTasks) {
  TestAST T(HBCode);
  ASSERT_TRUE(T.ok());
  using P = std::pair<bool, bool>;
  EXPECT_EQ(runningAtUses(T, "joined"), P(true, false));
  EXPECT_EQ(runningAtUses(T, "futureWaited"), P(true, false));
  EXPECT_EQ(runningAtUses(T, "latchWaited"), P(true, false));
  EXPECT_EQ(runningAtUses(T, "jthreadScope"), P(false, false));
  EXPECT_EQ(runningAtUses(T, "detached"), P(true, true));
}

} // namespace
} // namespace test
} // namespace pitfall
