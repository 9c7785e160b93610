//===--- FunctionReferences.cpp -------------------------------------------===//
#include "pitfall/Flow/FunctionReferences.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {
namespace {

class References : public RecursiveASTVisitor<References> {
public:
  using Callback = llvm::function_ref<void(
      const FunctionDecl *, const FunctionDecl *, const DeclRefExpr *)>;
  References(const SourceManager &SM, Callback Fn) : SM(SM), Fn(Fn) {}

  /// Declarations of system headers are not walked: they cannot name a
  /// function of the user's code (templates are walked as written, not
  /// instantiated), and they are most of a translation unit.
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    return Base::TraverseDecl(D);
  }

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    return inside(FD, [&] { return Base::TraverseFunctionDecl(FD); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *MD) {
    return inside(MD, [&] { return Base::TraverseCXXMethodDecl(MD); });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *CD) {
    return inside(CD, [&] { return Base::TraverseCXXConstructorDecl(CD); });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *DD) {
    return inside(DD, [&] { return Base::TraverseCXXDestructorDecl(DD); });
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *FD = dyn_cast<FunctionDecl>(E->getDecl()))
      Fn(FD->getCanonicalDecl(), Current, E);
    return true;
  }

private:
  using Base = RecursiveASTVisitor<References>;
  template <typename Traverse> bool inside(const FunctionDecl *FD, Traverse T) {
    const FunctionDecl *Saved = Current;
    // A lambda's call operator is traversed from its expression: its body
    // belongs to the function around it.
    if (!Current || !isa<CXXMethodDecl>(FD) ||
        !cast<CXXMethodDecl>(FD)->getParent()->isLambda())
      Current = FD;
    bool R = T();
    Current = Saved;
    return R;
  }

  const SourceManager &SM;
  Callback Fn;
  const FunctionDecl *Current = nullptr;
};

} // namespace

void forEachFunctionReference(
    ASTContext &Ctx,
    llvm::function_ref<void(const FunctionDecl *, const FunctionDecl *,
                            const DeclRefExpr *)>
        Fn) {
  References(Ctx.getSourceManager(), Fn)
      .TraverseDecl(Ctx.getTranslationUnitDecl());
}

} // namespace pitfall
