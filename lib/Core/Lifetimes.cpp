//===--- Lifetimes.cpp ----------------------------------------------------===//
#include "pitfall/Core/Lifetimes.h"

#include "pitfall/Core/NameList.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

FunctionParents::FunctionParents(const Stmt *Body) : Body(Body) {
  if (!Body)
    return;
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls()) {
        DeclStmts.try_emplace(D, DS);
        // A structured binding's holding variables belong to the same stmt.
        if (const auto *DD = dyn_cast<DecompositionDecl>(D))
          for (const BindingDecl *B : DD->bindings())
            DeclStmts.try_emplace(B, DS);
      }
    for (const Stmt *Child : S->children())
      if (Child && Parents.try_emplace(Child, S).second)
        Work.push_back(Child);
  }
}

const FunctionDecl *enclosingFunction(const LambdaExpr *E) {
  const FunctionDecl *Top = nullptr;
  for (const DeclContext *DC = E->getLambdaClass()->getDeclContext(); DC;) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DC)) {
      Top = FD;
      DC = FD->getDeclContext();
    } else if (const auto *RD = dyn_cast<CXXRecordDecl>(DC);
               RD && RD->isLambda()) {
      DC = RD->getDeclContext();
    } else {
      break;
    }
  }
  return Top;
}

/// True if \p D binds a reference to a temporary whose lifetime it extends.
static bool extendsTemporary(const VarDecl *D) {
  const Expr *Init = D->getInit();
  if (!Init)
    return false;
  // (IgnoreParenImpCasts would skip the MaterializeTemporaryExpr too.)
  while (true) {
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Init))
      Init = EWC->getSubExpr();
    else if (const auto *ICE = dyn_cast<ImplicitCastExpr>(Init))
      Init = ICE->getSubExpr();
    else if (const auto *PE = dyn_cast<ParenExpr>(Init))
      Init = PE->getSubExpr();
    else
      break;
  }
  const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Init);
  return MTE && MTE->getExtendingDecl() == D;
}

bool refersToLongLivedObject(const VarDecl *D) {
  if (!D->hasLocalStorage() || isa<ParmVarDecl>(D))
    return true;
  return D->getType()->isReferenceType() && !extendsTemporary(D);
}

std::optional<LoopScope> loopScopeOf(const ValueDecl *D,
                                     const FunctionParents &Parents) {
  const VarDecl *Owner = dyn_cast_or_null<VarDecl>(D);
  if (const auto *BD = dyn_cast_or_null<BindingDecl>(D))
    Owner = dyn_cast_or_null<VarDecl>(BD->getDecomposedDecl());
  if (!Owner || refersToLongLivedObject(Owner) || Owner->isInitCapture())
    return std::nullopt;

  const Stmt *Child = Parents.declStmtOf(Owner);
  if (!Child)
    return std::nullopt; // declared in another function (a local class's)
  for (const Stmt *S = Parents.parent(Child); S;
       Child = S, S = Parents.parent(S)) {
    // The variable belongs to a lambda written inside any loop further out.
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return std::nullopt;
    if (const auto *F = dyn_cast<ForStmt>(S)) {
      if (Child == F->getInit())
        return LoopScope{F, LoopVarKind::Shared};
      return LoopScope{F, LoopVarKind::PerIteration};
    }
    if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
      if (Child == R->getInit())
        return LoopScope{R, LoopVarKind::Shared};
      if (Child == R->getLoopVarStmt() || Child == R->getBody())
        return LoopScope{R, LoopVarKind::PerIteration};
      return std::nullopt; // __range, __begin, __end
    }
    if (isa<WhileStmt>(S) || isa<DoStmt>(S))
      return LoopScope{S, LoopVarKind::PerIteration};
  }
  return std::nullopt;
}

bool isDeclaredWithin(const Decl *D, const Stmt *S,
                      const FunctionParents &Parents) {
  for (const Stmt *P = Parents.declStmtOf(D); P; P = Parents.parent(P))
    if (P == S)
      return true;
  return false;
}

bool isStoringMemberName(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Storing[] = {
      "push_back",        "emplace_back", "push_front",   "emplace_front",
      "insert",           "emplace",      "emplace_hint", "try_emplace",
      "insert_or_assign", "push",         "assign"};
  return llvm::is_contained(Storing, Name);
}

bool isCopyConstructible(QualType T) {
  T = T.getNonReferenceType();
  while (const auto *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return true;
  RD = RD->getDefinition();
  if (RD->needsImplicitCopyConstructor())
    return !RD->defaultedCopyConstructorIsDeleted();
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (Ctor->isCopyConstructor() && !Ctor->isDeleted())
      return true;
  return false;
}

} // namespace pitfall
