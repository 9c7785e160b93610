//===--- DataflowTest.cpp - the solver, exceptions, path correlation -----===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/PathFacts.h"

#include "clang/AST/Expr.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// The names of the functions called so far, on some path (a may-analysis),
/// and the variables an exception destroyed.
struct Called {
  std::set<std::string> Names;
  bool operator==(const Called &O) const { return Names == O.Names; }
};

class CallsAnalysis : public ForwardAnalysis<CallsAnalysis, Called> {
public:
  Called initialState() { return {}; }
  void join(Called &Into, const Called &From) {
    Into.Names.insert(From.Names.begin(), From.Names.end());
  }
  void transfer(const CFGElement &E, Called &S) {
    if (auto CS = E.getAs<CFGStmt>())
      if (const auto *C = dyn_cast<CallExpr>(CS->getStmt()))
        if (const FunctionDecl *FD = C->getDirectCallee())
          S.Names.insert(FD->getName().str());
  }
  void unwind(const VarDecl *V, const Stmt *, Called &S) {
    if (reporting())
      Unwound.push_back(V->getName().str());
    S.Names.insert("~" + V->getName().str());
  }
  std::vector<std::string> Unwound;
};

TEST(DataflowTest, ExceptionalExitSeesTheStateAtTheThrowWithUnwinding) {
  TestAST T(R"cpp(
    struct R { ~R(); };
    void mayThrow();
    void before() noexcept;
    void after() noexcept;
    void f() {
      R r;
      before();
      mayThrow();
      after();
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  FlowContext &Flow = T.flow();
  const FlowGraph *G = Flow.graph(T.function("f"));
  ASSERT_TRUE(G);
  CallsAnalysis A;
  A.modelExceptions(Flow.throws());
  ForwardSolver<CallsAnalysis> S(*G, A);
  ASSERT_TRUE(S.solve());
  ASSERT_TRUE(S.normalExit());
  EXPECT_TRUE(S.normalExit()->Names.count("after"));
  EXPECT_FALSE(S.normalExit()->Names.count("~r"));
  ASSERT_TRUE(S.exceptionalExit());
  EXPECT_TRUE(S.exceptionalExit()->Names.count("before"));
  EXPECT_FALSE(S.exceptionalExit()->Names.count("after"));
  EXPECT_TRUE(S.exceptionalExit()->Names.count("~r"));
  S.report();
  EXPECT_EQ(A.Unwound, (std::vector<std::string>{"r"}));
}

TEST(DataflowTest, WithoutExceptionModelNoExceptionalExit) {
  TestAST T("void mayThrow(); void f() { mayThrow(); }");
  ASSERT_TRUE(T.ok());
  const FlowGraph *G = T.flow().graph(T.function("f"));
  CallsAnalysis A;
  ForwardSolver<CallsAnalysis> S(*G, A);
  ASSERT_TRUE(S.solve());
  EXPECT_FALSE(S.exceptionalExit());
}

TEST(DataflowTest, HandlersAreRealPaths) {
  TestAST T(R"cpp(
    void mayThrow();
    void handled() noexcept;
    void normal() noexcept;
    void f() {
      try {
        mayThrow();
        normal();
      } catch (...) {
        handled();
        return;
      }
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  FlowContext &Flow = T.flow();
  const FlowGraph *G = Flow.graph(T.function("f"));
  CallsAnalysis A;
  A.modelExceptions(Flow.throws());
  ForwardSolver<CallsAnalysis> S(*G, A);
  ASSERT_TRUE(S.solve());
  ASSERT_TRUE(S.normalExit());
  // The handler returns: both paths reach the normal exit.
  EXPECT_TRUE(S.normalExit()->Names.count("handled"));
  EXPECT_TRUE(S.normalExit()->Names.count("normal"));
  // catch (...) swallows: nothing leaves by an exception.
  EXPECT_FALSE(S.exceptionalExit());
}

/// Whether `start()` was called and not followed by `stop()`, on some path.
struct Open {
  bool Started = false;
  bool operator==(const Open &O) const { return Started == O.Started; }
};
class OpenAnalysis : public ForwardAnalysis<OpenAnalysis, Open> {
public:
  Open initialState() { return {}; }
  void join(Open &Into, const Open &From) { Into.Started |= From.Started; }
  void transfer(const CFGElement &E, Open &S) {
    if (auto CS = E.getAs<CFGStmt>())
      if (const auto *C = dyn_cast<CallExpr>(CS->getStmt()))
        if (const FunctionDecl *FD = C->getDirectCallee())
          S.Started = FD->getName() == "start"  ? true
                      : FD->getName() == "stop" ? false
                                                : S.Started;
  }
};

bool openAtExit(TestAST &T, llvm::StringRef Fn, bool Correlate) {
  const FlowGraph *G = T.flow().graph(T.function(Fn));
  OpenAnalysis A;
  if (!Correlate) {
    ForwardSolver<OpenAnalysis> S(*G, A);
    EXPECT_TRUE(S.solve());
    return S.normalExit() && S.normalExit()->Started;
  }
  StableConditions Conds(*G);
  Correlated<OpenAnalysis> C(A, Conds);
  ForwardSolver<Correlated<OpenAnalysis>> S(*G, C);
  EXPECT_TRUE(S.solve());
  return S.normalExit() && C.merged(*S.normalExit()).Started;
}

TEST(DataflowTest, CorrelatedBranchesOnStableConditions) {
  TestAST T(R"cpp(
    void start() noexcept; void stop() noexcept; int next() noexcept;
    void same(int n) { if (n > 0) start(); next(); if (n > 0) stop(); }
    void negated(bool q) { if (!q) start(); if (!q) stop(); }
    void changed(int n) { if (n > 0) start(); n = next(); if (n > 0) stop(); }
    void other(int n, int m) { if (n > 0) start(); if (m > 0) stop(); }
    void global();
    int g;
    void mutableGlobal() { if (g) start(); next(); if (g) stop(); }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_TRUE(openAtExit(T, "same", false)); // merged: a false path
  EXPECT_FALSE(openAtExit(T, "same", true));
  EXPECT_FALSE(openAtExit(T, "negated", true));
  EXPECT_TRUE(openAtExit(T, "changed", true));
  EXPECT_TRUE(openAtExit(T, "other", true));
  EXPECT_TRUE(openAtExit(T, "mutableGlobal", true));
}

TEST(DataflowTest, BackwardSolverReachesEveryBlock) {
  TestAST T(R"cpp(
    void use(int) noexcept;
    void f(int n) { int x = 0; while (n--) { use(x); x = n; } }
  )cpp");
  ASSERT_TRUE(T.ok());
  const FlowGraph *G = T.flow().graph(T.function("f"));
  struct Live : BackwardAnalysis<Live, Called> {
    Called exitState() { return {}; }
    void join(Called &Into, const Called &From) {
      Into.Names.insert(From.Names.begin(), From.Names.end());
    }
    void transfer(const CFGElement &E, Called &S) {
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *C = dyn_cast<CallExpr>(CS->getStmt()))
          if (const FunctionDecl *FD = C->getDirectCallee())
            S.Names.insert(FD->getName().str());
    }
  } A;
  BackwardSolver<Live> S(*G, A);
  ASSERT_TRUE(S.solve());
  ASSERT_TRUE(S.exitState(G->cfg().getEntry()));
  EXPECT_TRUE(S.exitState(G->cfg().getEntry())->Names.count("use"));
}

} // namespace
} // namespace test
} // namespace pitfall
