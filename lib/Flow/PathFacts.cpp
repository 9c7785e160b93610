//===--- PathFacts.cpp ----------------------------------------------------===//
#include "pitfall/Flow/PathFacts.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/FoldingSet.h"

using namespace clang;

namespace pitfall {

/// True if the use \p Ref of a variable (or of a field of it, `cfg.n`)
/// only reads it.
static bool isPlainRead(const Expr *Ref, const FlowGraph &G) {
  const Stmt *Child = Ref;
  const Stmt *P = G.parent(Ref);
  while (isa_and_nonnull<ParenExpr>(P)) {
    Child = P;
    P = G.parent(P);
  }
  if (!P)
    return true; // e.g. a constructor initialiser's operand
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(P))
    return Cast->getCastKind() == CK_LValueToRValue ||
           Cast->getCastKind() == CK_NoOp ||
           Cast->getCastKind() == CK_UncheckedDerivedToBase;
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
      return M->isConst();
    // A field of the object (not through a pointer): follow its own use.
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return F && !ME->isArrow() && !F->isMutable() && isPlainRead(ME, G);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return !UO->isIncrementDecrementOp() && UO->getOpcode() != UO_AddrOf;
  if (const auto *BO = dyn_cast<BinaryOperator>(P))
    return !(BO->isAssignmentOp() && BO->getLHS() == Child);
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getNumArgs() > 0 && OC->getArg(0) == Child)
      if (const auto *M =
              dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee()))
        return M->isConst();
    return !mayModifyThrough(paramForArg(Call, cast<Expr>(Child)));
  }
  if (isa<CXXConstructExpr>(P))
    return true; // a copy (a non-const reference parameter is rare here)
  if (const VarDecl *VD = varInitialisedBy(P, dyn_cast<Expr>(Child)))
    return !(VD->getType()->isReferenceType() &&
             !VD->getType().getNonReferenceType().isConstQualified());
  return isa<IfStmt, WhileStmt, ForStmt, DoStmt, SwitchStmt, ReturnStmt,
             ConditionalOperator>(P);
}

StableConditions::StableConditions(const FlowGraph &G) : G(G) {
  // Every variable the body may change after its initialisation.
  llvm::SmallVector<const Stmt *, 64> Work{G.body()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
            Modified.insert(V);
      continue; // the lambda's body is another function
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        if (!isPlainRead(Ref, G))
          Modified.insert(V);
    llvm::append_range(Work, S->children());
  }
}

bool StableConditions::isStable(
    const Expr *E, llvm::SmallVectorImpl<const VarDecl *> &Vars) const {
  E = E->IgnoreParenImpCasts();
  if (isa<IntegerLiteral, CXXBoolLiteralExpr, CharacterLiteral, FloatingLiteral,
          CXXNullPtrLiteralExpr, StringLiteral>(E))
    return true;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(Ref->getDecl()))
      return true;
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V || Modified.contains(V))
      return false;
    if (!V->hasLocalStorage() && !V->getType().isConstQualified())
      return false; // a global another thread or callee may change
    Vars.push_back(V);
    return true;
  }
  // `cfg.n` of a stable object; `n_` in a const member function (the
  // object cannot change it, and another thread writing it would race).
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F || F->isMutable() || F->getType().isVolatileQualified())
      return false;
    if (!ME->isArrow())
      return isStable(ME->getBase(), Vars);
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(G.decl());
    if (!M || !M->isConst() ||
        !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return false;
    ThisFields.push_back(F);
    return true;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return !UO->isIncrementDecrementOp() && UO->getOpcode() != UO_Deref &&
           UO->getOpcode() != UO_AddrOf && isStable(UO->getSubExpr(), Vars);
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return !BO->isAssignmentOp() && BO->getOpcode() != BO_Comma &&
           isStable(BO->getLHS(), Vars) && isStable(BO->getRHS(), Vars);
  // `v.empty()`, `opt.has_value()`, `p.get()`: a const member call without
  // arguments on a stable object.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    return M && M->isConst() && MC->getNumArgs() == 0 &&
           MC->getImplicitObjectArgument() &&
           isStable(MC->getImplicitObjectArgument(), Vars);
  }
  return false;
}

unsigned StableConditions::keyOf(const Expr *Cond, bool &Negated) const {
  Negated = false;
  Cond = stripNegations(Cond, Negated);
  if (!Cond)
    return 0;
  if (auto It = Keys.find(Cond); It != Keys.end())
    return It->second;
  llvm::SmallVector<const VarDecl *, 2> Vars;
  unsigned Key = 0;
  ThisFields.clear();
  if (isStable(Cond, Vars) && (!Vars.empty() || !ThisFields.empty())) {
    llvm::FoldingSetNodeID ID;
    Cond->Profile(ID, G.context(), /*Canonical=*/true);
    Key = ID.ComputeHash();
    if (Key == 0)
      Key = 1;
    auto &KV = KeyVars[Key];
    for (const VarDecl *V : Vars) {
      if (!llvm::is_contained(KV, V))
        KV.push_back(V);
      ConditionVars.insert(V);
    }
  }
  Keys[Cond] = Key;
  return Key;
}

bool StableConditions::reads(unsigned Key, const VarDecl *V) const {
  auto It = KeyVars.find(Key);
  return It != KeyVars.end() && llvm::is_contained(It->second, V);
}

} // namespace pitfall
