//===--- GraphTest.cpp - FlowGraph's exceptional edges and scopes --------===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/Graph.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

const char *Code = R"cpp(
  struct Lock { Lock(); ~Lock(); };
  void mayThrow();
  void noThrow() noexcept;
  void nested() {
    Lock outer;
    {
      Lock a, b;
      mayThrow();
      Lock after;
    }
  }
  void inTry() {
    Lock keep;
    try {
      Lock inside;
      mayThrow();
    } catch (int e) {
      Lock handler;
      throw;
    }
  }
  void inInit() { Lock l; int x = (mayThrow(), 1); (void)x; }
  struct Base {};
  void catches() {
    try { mayThrow(); } catch (const Base &) {}
    try { mayThrow(); } catch (...) {}
  }
)cpp";

const CallExpr *callTo(TestAST &T, const FunctionDecl *F, llvm::StringRef N) {
  return T.find<CallExpr>(F, [&](const CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    return Callee && Callee->getName() == N;
  });
}

std::vector<std::string> names(llvm::ArrayRef<const VarDecl *> Vars) {
  std::vector<std::string> Out;
  for (const VarDecl *V : Vars)
    Out.push_back(V->getName().str());
  return Out;
}

TEST(GraphTest, UnwindsInnermostScopeFirstInReverseOrder) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("nested");
  const FlowGraph *G = T.flow().graph(F);
  ASSERT_TRUE(G);
  const CallExpr *Call = callTo(T, F, "mayThrow");
  EXPECT_EQ(G->throwTarget(Call), nullptr); // leaves the function
  EXPECT_EQ(names(G->unwoundVariables(Call)),
            (std::vector<std::string>{"b", "a", "outer"}));
}

TEST(GraphTest, ExceptionsInTryBlockReachTheDispatchBlock) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("inTry");
  const FlowGraph *G = T.flow().graph(F);
  ASSERT_TRUE(G);
  const CallExpr *Call = callTo(T, F, "mayThrow");
  const CFGBlock *Target = G->throwTarget(Call);
  ASSERT_NE(Target, nullptr);
  EXPECT_NE(G->dispatchedTry(*Target), nullptr);
  // Only what the try block declared is destroyed before the handler.
  EXPECT_EQ(names(G->unwoundVariables(Call)),
            (std::vector<std::string>{"inside"}));
  // The handler block is in the graph's order, after the body.
  bool HandlerOrdered = false;
  for (const CFGBlock *B : G->order())
    HandlerOrdered |= isa_and_nonnull<CXXCatchStmt>(B->getLabel());
  EXPECT_TRUE(HandlerOrdered);
  // A rethrow in the handler leaves the function, destroying the handler's
  // locals, the exception variable, and what precedes the try.
  const auto *Rethrow =
      T.find<CXXThrowExpr>(F, [](const CXXThrowExpr *) { return true; });
  ASSERT_TRUE(Rethrow);
  EXPECT_EQ(G->throwTarget(Rethrow), nullptr);
  EXPECT_EQ(names(G->unwoundVariables(Rethrow)),
            (std::vector<std::string>{"handler", "e", "keep"}));
}

TEST(GraphTest, VariableBeingInitialisedIsNotUnwound) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("inInit");
  const FlowGraph *G = T.flow().graph(F);
  ASSERT_TRUE(G);
  EXPECT_EQ(names(G->unwoundVariables(callTo(T, F, "mayThrow"))),
            (std::vector<std::string>{"l"}));
}

TEST(GraphTest, CatchAllAndStdExceptionCatchEverything) {
  TestAST T(
      std::string("#include <stdexcept>\n") + Code +
      "void stdex() { try { mayThrow(); } catch (const std::exception &) {} }");
  ASSERT_TRUE(T.ok());
  auto Tries = [&](llvm::StringRef Fn) {
    std::vector<bool> Out;
    const FunctionDecl *F = T.function(Fn);
    llvm::SmallVector<const Stmt *, 8> Work{F->getBody()};
    std::vector<const CXXTryStmt *> Found;
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(S))
        Found.push_back(Try);
      if (S)
        for (const Stmt *C : S->children())
          Work.push_back(C);
    }
    std::sort(Found.begin(), Found.end(), [](auto *A, auto *B) {
      return A->getBeginLoc() < B->getBeginLoc();
    });
    for (const CXXTryStmt *Try : Found)
      Out.push_back(FlowGraph::catchesAll(*Try));
    return Out;
  };
  EXPECT_EQ(Tries("catches"), (std::vector<bool>{false, true}));
  EXPECT_EQ(Tries("stdex"), (std::vector<bool>{true}));
}

TEST(GraphTest, FailsAfterWhenEveryPathThrowsOrDoesNotReturn) {
  TestAST T(R"cpp(
    int drop();
    void work();
    bool cond();
    [[noreturn]] void die();
    void rethrows() { try { work(); } catch (...) { drop(); throw; } }
    void dies() { drop(); if (cond()) die(); die(); }
    void returnsOnOnePath() { drop(); if (cond()) return; throw 1; }
    void catchesItself() { try { drop(); throw 1; } catch (int) {} }
    void spins() { drop(); for (;;) work(); }
  )cpp");
  ASSERT_TRUE(T.ok());
  auto Fails = [&](llvm::StringRef Fn) {
    const FunctionDecl *F = T.function(Fn);
    const FlowGraph *G = T.flow().graph(F);
    return G && G->failsAfter(callTo(T, F, "drop"));
  };
  EXPECT_TRUE(Fails("rethrows"));
  EXPECT_TRUE(Fails("dies"));
  EXPECT_FALSE(Fails("returnsOnOnePath"));
  EXPECT_FALSE(Fails("catchesItself"));
  EXPECT_FALSE(Fails("spins"));
}

} // namespace
} // namespace test
} // namespace pitfall
