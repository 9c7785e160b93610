//===--- SyncTest.cpp - arrivals path by path, waits and signals, calls ---===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/Callables.h"
#include "pitfall/Flow/Ordering.h"
#include "pitfall/Flow/SyncPaths.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// The count of the parameter \p Param in \p Counts, as [Min, Max]; {-1, -1}
/// if the parameter has none.
std::pair<int64_t, int64_t> countOf(llvm::ArrayRef<SyncCount> Counts,
                                    int Param) {
  for (const SyncCount &C : Counts)
    if (C.Object.Kind == RootKind::Param && C.Object.paramIndex() == Param)
      return {C.Min, C.Max};
  return {-1, -1};
}

TEST(SyncPathsTest, ArrivalsPerExit) {
  TestAST T(R"cpp(
    #include <latch>
    #include <stdexcept>
    void once(std::latch &l) { l.count_down(); }
    void early(std::latch &l, bool b) {
      if (b)
        return;
      l.count_down();
    }
    void twice(std::latch &l) { l.count_down(); once(l); }
    void throws(std::latch &l, bool b) {
      if (b)
        throw std::runtime_error("no");
      l.count_down();
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  FlowContext &Flow = T.flow();
  auto Analyse = [&](llvm::StringRef Fn) {
    return analyzeSyncPaths(Flow, *Flow.graph(T.function(Fn)));
  };
  using Range = std::pair<int64_t, int64_t>;

  SyncPaths Once = Analyse("once");
  ASSERT_TRUE(Once.Solved && Once.NormalExit);
  EXPECT_EQ(countOf(*Once.NormalExit, 0), Range(1, 1));

  SyncPaths Early = Analyse("early");
  ASSERT_TRUE(Early.Solved && Early.NormalExit);
  EXPECT_EQ(countOf(*Early.NormalExit, 0), Range(0, 1));
  ASSERT_EQ(Early.Exits.size(), 2u);
  EXPECT_EQ(Early.Exits[0].Kind, SyncExitKind::Return);
  EXPECT_EQ(Early.Exits[0].arrivals(Early.Uses.front().Object), nullptr);

  // A helper's arrival comes from its summary; the second arrival on the
  // path is the repeated one.
  SyncPaths Twice = Analyse("twice");
  ASSERT_TRUE(Twice.Solved && Twice.NormalExit);
  EXPECT_EQ(countOf(*Twice.NormalExit, 0), Range(2, 2));
  ASSERT_EQ(Twice.Uses.size(), 1u);
  EXPECT_NE(Twice.Uses[0].Repeated, nullptr);
  EXPECT_TRUE(Twice.Uses[0].ArrivalFromSummary);

  // The throw leaves without arriving.
  SyncPaths Throws = Analyse("throws");
  ASSERT_TRUE(Throws.Solved);
  bool SawThrow = false;
  for (const SyncExit &E : Throws.Exits)
    if (E.Kind == SyncExitKind::Throw) {
      SawThrow = true;
      EXPECT_EQ(countOf(E.Arrivals, 0), Range(-1, -1));
    }
  EXPECT_TRUE(SawThrow);
}

TEST(OrderingTest, WaitedBeforeAndSignalledAfter) {
  TestAST T(R"cpp(
    #include <future>
    #include <latch>
    int shared;
    void waits(std::latch &l) {
      shared = 1;
      l.wait();
      shared = 2;
    }
    void signals(std::latch &l, bool b) {
      shared = 3;
      if (b)
        l.count_down();
      shared = 4;
      l.count_down();
      shared = 5;
    }
    void promised(std::promise<void> &p) {
      std::future<void> f = p.get_future();
      f.get();
      shared = 6;
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  FlowContext &Flow = T.flow();
  // The assignments to `shared`, in source order.
  auto Writes = [&](const FunctionDecl *FD) {
    llvm::SmallVector<const Stmt *, 4> Out;
    llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *BO = dyn_cast<BinaryOperator>(S);
          BO && BO->isAssignmentOp())
        Out.push_back(BO);
      llvm::append_range(Work, S->children());
    }
    llvm::sort(Out, [](const Stmt *A, const Stmt *B) {
      return A->getBeginLoc() < B->getBeginLoc();
    });
    return Out;
  };

  const FunctionDecl *Waits = T.function("waits");
  SyncOrder W(Flow, *Flow.graph(Waits));
  auto WW = Writes(Waits);
  ASSERT_EQ(WW.size(), 2u);
  EXPECT_TRUE(W.waitedBefore(WW[0]).empty());
  ASSERT_EQ(W.waitedBefore(WW[1]).size(), 1u);
  EXPECT_EQ(W.waitedBefore(WW[1])[0].Kind, RootKind::Param);

  // Signalled on every path after: only after the unconditional count_down
  // is still to come.
  const FunctionDecl *Signals = T.function("signals");
  SyncOrder S(Flow, *Flow.graph(Signals));
  auto SW = Writes(Signals);
  ASSERT_EQ(SW.size(), 3u);
  EXPECT_EQ(S.signalledAfter(SW[0]).size(), 1u);
  EXPECT_EQ(S.signalledAfter(SW[1]).size(), 1u);
  EXPECT_TRUE(S.signalledAfter(SW[2]).empty());

  // A future from p.get_future() stands for the promise.
  const FunctionDecl *Promised = T.function("promised");
  SyncOrder P(Flow, *Flow.graph(Promised));
  auto PW = Writes(Promised);
  ASSERT_EQ(PW.size(), 1u);
  ASSERT_EQ(P.waitedBefore(PW[0]).size(), 1u);
  ObjectPath Promise = eventObject(P.waitedBefore(PW[0])[0]);
  EXPECT_EQ(Promise.Kind, RootKind::Param);
  EXPECT_EQ(Promise.paramIndex(), 0);
}

TEST(CallablesTest, IndirectCallees) {
  TestAST T(R"cpp(
    #include <functional>
    void work(int);
    struct C { void run(int); };
    void viaFunction() {
      std::function<void(int)> f = [](int) {};
      f(1);
    }
    void viaMemberPointer(C &c) {
      void (C::*pm)(int) = &C::run;
      (c.*pm)(2);
    }
    void viaInvoke() { std::invoke(work, 3); }
    void viaPointer() {
      void (*fp)(int) = work;
      fp(4);
    }
    void direct() { work(5); }
  )cpp");
  ASSERT_TRUE(T.ok());
  const CallableResolver &R = T.flow().callables();
  auto TargetOfCall = [&](llvm::StringRef Fn) {
    const FunctionDecl *FD = T.function(Fn);
    const auto *Call = T.find<CallExpr>(FD, [](const CallExpr *C) {
      const auto *Lit =
          C->getNumArgs() > 0
              ? dyn_cast<IntegerLiteral>(
                    C->getArg(C->getNumArgs() - 1)->IgnoreImplicit())
              : nullptr;
      return Lit != nullptr;
    });
    return Call ? R.indirectCallee(Call) : CallableTarget();
  };

  CallableTarget F = TargetOfCall("viaFunction");
  ASSERT_TRUE(F);
  EXPECT_NE(F.Lambda, nullptr);
  EXPECT_TRUE(F.ArgumentsAligned);

  CallableTarget M = TargetOfCall("viaMemberPointer");
  ASSERT_TRUE(M);
  EXPECT_EQ(M.Fn->getNameAsString(), "run");
  EXPECT_NE(M.BoundObject, nullptr);

  CallableTarget I = TargetOfCall("viaInvoke");
  ASSERT_TRUE(I);
  EXPECT_EQ(I.Fn->getNameAsString(), "work");
  EXPECT_FALSE(I.ArgumentsAligned);

  CallableTarget P = TargetOfCall("viaPointer");
  ASSERT_TRUE(P);
  EXPECT_EQ(P.Fn->getNameAsString(), "work");

  // A direct call: its callee is what runs, nothing indirect.
  EXPECT_FALSE(TargetOfCall("direct"));
}

TEST(ExprUtilTest, WrittenParamOfAnInstantiation) {
  TestAST T(R"cpp(
    template <typename T> void fwd(T &&x) { (void)x; }
    void use() { int i = 0; fwd(i); }
  )cpp");
  ASSERT_TRUE(T.ok());
  const FunctionDecl *Use = T.function("use");
  const auto *Call =
      T.find<CallExpr>(Use, [](const CallExpr *) { return true; });
  ASSERT_NE(Call, nullptr);
  const FunctionDecl *Inst = Call->getDirectCallee();
  ASSERT_NE(Inst, nullptr);
  // Deduced as int &: the instantiation's parameter is an lvalue reference,
  // the written one a forwarding reference.
  EXPECT_TRUE(Inst->getParamDecl(0)->getType()->isLValueReferenceType());
  const ParmVarDecl *Written = writtenParam(Inst->getParamDecl(0));
  ASSERT_NE(Written, nullptr);
  EXPECT_TRUE(Written->getType()->isRValueReferenceType());
  EXPECT_EQ(writtenParam(Written), Written);
}

} // namespace
} // namespace test
} // namespace pitfall
