//===--- Futures.cpp ------------------------------------------------------===//
#include "pitfall/Core/Futures.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pitfall {

namespace {

/// True if \p T is std::future_status.
bool isFutureStatus(QualType T) {
  const auto *ED =
      T.isNull() ? nullptr : dyn_cast_or_null<EnumDecl>(T->getAsTagDecl());
  return ED && ED->isInStdNamespace() && ED->getIdentifier() &&
         ED->getName() == "future_status";
}

bool returnsFutureStatus(const FunctionDecl *FD) {
  return FD && isFutureStatus(FD->getReturnType());
}

bool declaresTimedWait(const CXXRecordDecl *RD, unsigned Depth) {
  if (!RD || Depth > 4)
    return false;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    RD = Def;
  else
    return false;
  for (const Decl *D : RD->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      FD = FT->getTemplatedDecl();
    if (returnsFutureStatus(FD))
      return true;
  }
  for (const CXXBaseSpecifier &B : RD->bases())
    if (declaresTimedWait(recordOf(B.getType()), Depth + 1))
      return true;
  // A class template as written: its pattern's members.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if (const ClassTemplateDecl *T = Spec->getSpecializedTemplate())
      if (T->getTemplatedDecl() != RD)
        return declaresTimedWait(T->getTemplatedDecl(), Depth + 1);
  return false;
}

} // namespace

bool isFutureLike(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (RD->isInStdNamespace() && RD->getIdentifier() &&
      (RD->getName() == "future" || RD->getName() == "shared_future"))
    return true;
  return declaresTimedWait(RD, 0);
}

bool isPromise(const CXXRecordDecl *RD) {
  if (!RD || !RD->getIdentifier() || RD->getName() != "promise")
    return false;
  if (RD->isInStdNamespace())
    return true;
  const CXXRecordDecl *Def = RD->getDefinition();
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if (const ClassTemplateDecl *T = Spec->getSpecializedTemplate())
      Def = T->getTemplatedDecl()->getDefinition();
  if (!Def)
    return false;
  bool Future = false, Set = false;
  for (const Decl *D : Def->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      FD = FT->getTemplatedDecl();
    if (!FD || !FD->getIdentifier())
      continue;
    Future |= FD->getName() == "get_future";
    Set |= FD->getName() == "set_value";
  }
  return Future && Set;
}

const VarDecl *futureOfPromise(const Expr *E) {
  for (unsigned Depth = 0; E && Depth != 4; ++Depth) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (Construct->getNumArgs() != 1)
        return nullptr;
      E = Construct->getArg(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      const Expr *Obj = Call->getImplicitObjectArgument();
      if (!M || !M->getIdentifier() || M->getName() != "get_future" || !Obj ||
          !isPromise(M->getParent()))
        return nullptr;
      return namedVariable(Obj);
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType() ||
          !V->getInit())
        return nullptr;
      E = V->getInit();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool isFutureWait(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M)
    return false;
  if (returnsFutureStatus(M))
    return true;
  if (!M->getIdentifier() ||
      !(M->getName() == "get" || M->getName().starts_with("wait")))
    return false;
  const Expr *Obj = Call->getImplicitObjectArgument();
  QualType T = Obj ? Obj->getType() : QualType();
  if (!T.isNull() && T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T.isNull() ? nullptr : recordOf(T);
  return isFutureLike(RD ? RD : M->getParent());
}

} // namespace pitfall
