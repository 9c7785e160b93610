//===--- Lifetimes.cpp ----------------------------------------------------===//
#include "pitfall/Core/Lifetimes.h"

#include "pitfall/Core/NameList.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

/// The single parent of \p N, or an empty node (none, or ambiguous).
static DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(N);
  if (Parents.empty())
    return DynTypedNode();
  return Parents[0];
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

std::optional<LoopScope> loopScopeOf(const ValueDecl *D, ASTContext &Ctx) {
  const VarDecl *Owner = dyn_cast_or_null<VarDecl>(D);
  if (const auto *BD = dyn_cast_or_null<BindingDecl>(D))
    Owner = dyn_cast_or_null<VarDecl>(BD->getDecomposedDecl());
  if (!Owner || refersToLongLivedObject(Owner) || Owner->isInitCapture())
    return std::nullopt;

  DynTypedNode Child = DynTypedNode::create(*Owner);
  for (DynTypedNode P = parentOf(Child, Ctx); !P.getNodeKind().isNone();
       Child = P, P = parentOf(P, Ctx)) {
    const auto *S = P.get<Stmt>();
    if (!S) {
      // A Decl parent (function, local class, ...) ends the search: the
      // variable belongs to a function nested in any loop further out.
      if (P.get<Decl>())
        return std::nullopt;
      continue;
    }
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return std::nullopt;
    const Stmt *From = Child.get<Stmt>();
    if (const auto *F = dyn_cast<ForStmt>(S)) {
      if (From && From == F->getInit())
        return LoopScope{F, LoopVarKind::Shared};
      return LoopScope{F, LoopVarKind::PerIteration};
    }
    if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
      if (!From)
        return std::nullopt;
      if (From == R->getInit())
        return LoopScope{R, LoopVarKind::Shared};
      if (From == R->getLoopVarStmt() || From == R->getBody())
        return LoopScope{R, LoopVarKind::PerIteration};
      return std::nullopt; // __range, __begin, __end
    }
    if (isa<WhileStmt>(S) || isa<DoStmt>(S))
      return LoopScope{S, LoopVarKind::PerIteration};
  }
  return std::nullopt;
}

bool isDeclaredWithin(const Decl *D, const Stmt *S, ASTContext &Ctx) {
  for (DynTypedNode P = parentOf(DynTypedNode::create(*D), Ctx);
       !P.getNodeKind().isNone(); P = parentOf(P, Ctx)) {
    if (P.get<Stmt>() == S)
      return true;
    if (const auto *PD = P.get<Decl>(); PD && isa<TranslationUnitDecl>(PD))
      return false;
  }
  return false;
}

bool isStoringMemberName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("push_back", "emplace_back", "push_front", "emplace_front", true)
      .Cases("insert", "emplace", "emplace_hint", "try_emplace",
             "insert_or_assign", true)
      .Cases("push", "assign", true)
      .Default(false);
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
