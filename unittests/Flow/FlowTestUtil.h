//===--- FlowTestUtil.h - building an AST and finding functions in it ----===//
#ifndef PITFALL_UNITTESTS_FLOWTESTUTIL_H
#define PITFALL_UNITTESTS_FLOWTESTUTIL_H

#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

#include <memory>
#include <string>
#include <vector>

namespace pitfall {
namespace test {

/// One translation unit parsed from source text, against the real standard
/// library headers, with the flow layer of its ASTContext.
class TestAST {
public:
  explicit TestAST(llvm::StringRef Code, llvm::StringRef Std = "-std=c++20",
                   llvm::StringRef FileName = "input.cpp") {
    std::vector<std::string> Args = {
        Std.str(), "-resource-dir=" PITFALL_CLANG_RESOURCE_DIR, "-w"};
    AST = clang::tooling::buildASTFromCodeWithArgs(Code, Args, FileName);
  }

  bool ok() const { return AST && !AST->getDiagnostics().hasErrorOccurred(); }
  clang::ASTContext &ctx() { return AST->getASTContext(); }
  FlowContext &flow(const FlowOptions &Opts = FlowOptions()) {
    return FlowContext::get(ctx(), Opts);
  }

  /// The definition of the function (or method) named \p Name ("f",
  /// "C::run"); fails the test if there is none.
  const clang::FunctionDecl *function(llvm::StringRef Name) {
    using namespace clang::ast_matchers;
    auto Found = match(functionDecl(hasName(Name), isDefinition(),
                                    unless(isExpansionInSystemHeader()))
                           .bind("f"),
                       ctx());
    if (Found.empty()) {
      ADD_FAILURE() << "no definition of " << Name.str();
      return nullptr;
    }
    return Found.front().getNodeAs<clang::FunctionDecl>("f");
  }

  /// The first node of type T in \p FD's body satisfying \p Pred.
  template <typename T, typename Pred>
  const T *find(const clang::FunctionDecl *FD, Pred P) {
    llvm::SmallVector<const clang::Stmt *, 32> Work{FD->getBody()};
    while (!Work.empty()) {
      const clang::Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *N = llvm::dyn_cast<T>(S))
        if (P(N))
          return N;
      for (const clang::Stmt *C : S->children())
        Work.push_back(C);
    }
    return nullptr;
  }

private:
  std::unique_ptr<clang::ASTUnit> AST;
};

} // namespace test
} // namespace pitfall

#endif
