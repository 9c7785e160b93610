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
