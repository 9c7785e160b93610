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

/// The constant a flag is set to by \p E (`true`, `false`, `0`, `1`), if it
/// is one.
static std::optional<bool> constantFlagValue(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue().getBoolValue();
  return std::nullopt;
}

/// True if \p V can be a flag: a local `bool` object (not a reference).
static bool canBeFlag(const VarDecl *V) {
  return V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         V->getType()->isBooleanType() && !V->getType().isVolatileQualified();
}

/// The assignment \p Ref is the left operand of, if it stores a constant.
static const BinaryOperator *constantStore(const Expr *Ref,
                                           const FlowGraph &G) {
  const Stmt *Child = Ref;
  const Stmt *P = G.parent(Ref);
  while (isa_and_nonnull<ParenExpr>(P)) {
    Child = P;
    P = G.parent(P);
  }
  const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
  if (!BO || BO->getOpcode() != BO_Assign || BO->getLHS() != Child ||
      !constantFlagValue(BO->getRHS()))
    return nullptr;
  return BO;
}

/// True if \p T is the type of a mode flag: bool, enum or integer, also
/// `volatile` (a switch published to other threads the old way: log4cplus's
/// `bool volatile locking`).
static bool isFlagType(QualType T) {
  return T.getNonReferenceType()->isIntegralOrEnumerationType();
}

/// Calls \p Fn with each `if` statement of \p S outside loops (not entering
/// lambdas: their bodies are other functions).
static void forEachIfOutsideLoops(const Stmt *S,
                                  llvm::function_ref<void(const IfStmt *)> Fn) {
  if (!S || isa<LambdaExpr, ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S))
    return;
  if (const auto *If = dyn_cast<IfStmt>(S))
    Fn(If);
  for (const Stmt *C : S->children())
    forEachIfOutsideLoops(C, Fn);
}

StableConditions::StableConditions(const FlowGraph &G, bool ModeFlags)
    : G(G), ModeFlags(ModeFlags) {
  if (ModeFlags) {
    // The fields of `this` the body writes, and the conditions of its `if`
    // statements outside loops (a loop's next iteration may read a flag
    // another thread changed meanwhile).
    walkOutsideLambdas(G.body(), LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *ME = dyn_cast<MemberExpr>(S);
      const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
      if (F && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
          !isPlainRead(ME, G))
        WrittenFields.insert(F);
      return true;
    });
    forEachIfOutsideLoops(G.body(), [&](const IfStmt *If) {
      if (If->isConsteval() || !If->getCond())
        return;
      walkOutsideLambdas(If->getCond(), LambdaBodies::Skip, [&](const Stmt *S) {
        if (const auto *E = dyn_cast<Expr>(S))
          IfConditionParts.insert(E);
        return true;
      });
    });
  }
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
        if (!isPlainRead(Ref, G)) {
          if (canBeFlag(V) && constantStore(Ref, G))
            Flags.insert(V);
          else
            Modified.insert(V);
        }
    llvm::append_range(Work, S->children());
  }
  // A flag also stored otherwise is just a variable that changes.
  for (const VarDecl *V : Modified)
    Flags.erase(V);
  for (const VarDecl *V : Flags) {
    KeyVars[flagKey(V)].push_back(V);
    ConditionVars.insert(V);
  }
}

unsigned StableConditions::flagKey(const VarDecl *V) const {
  llvm::FoldingSetNodeID ID;
  ID.AddPointer(V);
  ID.AddInteger(0x666c6167u); // distinct from the conditions' profiles
  unsigned Key = ID.ComputeHash();
  return Key ? Key : 1;
}

std::optional<PathFact>
StableConditions::storedFact(const Stmt *S, const VarDecl *&Flag) const {
  if (Flags.empty())
    return std::nullopt;
  std::optional<bool> Value;
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    const auto *Ref = BO->getOpcode() == BO_Assign
                          ? dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens())
                          : nullptr;
    Flag = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    Value = constantFlagValue(BO->getRHS());
  } else if ((Flag = singleVarDecl(S))) {
    Value = constantFlagValue(Flag->getInit());
  }
  if (!Flag || !Value || !Flags.contains(Flag))
    return std::nullopt;
  return PathFact{flagKey(Flag), *Value};
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
    if (!V->hasLocalStorage() && !V->getType().isConstQualified()) {
      // A global another thread or callee may change; a mode flag is a
      // switch the function only reads.
      if (!ModeFlags || !isFlagType(V->getType()))
        return false;
      ReadsModeFlag = true;
    }
    Vars.push_back(V);
    return true;
  }
  // `cfg.n` of a stable object; `n_` in a const member function (the
  // object cannot change it, and another thread writing it would race).
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F || F->isMutable())
      return false;
    bool Volatile = F->getType().isVolatileQualified();
    if (!ME->isArrow())
      return !Volatile && isStable(ME->getBase(), Vars);
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(G.decl());
    if (!M || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return false;
    if (!M->isConst() || Volatile) {
      if (!ModeFlags || !isFlagType(F->getType()) || WrittenFields.contains(F))
        return false;
      ReadsModeFlag = true;
    }
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
  // A flag alone: the key its stores set facts under.
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Cond))
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
        V && Flags.contains(V))
      return Keys[Cond] = flagKey(V);
  llvm::SmallVector<const VarDecl *, 2> Vars;
  unsigned Key = 0;
  ThisFields.clear();
  ReadsModeFlag = false;
  // A mode flag is stable only in the condition of an `if` outside loops.
  if (isStable(Cond, Vars) && (!Vars.empty() || !ThisFields.empty()) &&
      (!ReadsModeFlag || IfConditionParts.contains(Cond))) {
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
    if (ModeFlags && isModeCondition(Cond))
      ModeKeys.insert(Key);
  }
  Keys[Cond] = Key;
  return Key;
}

bool StableConditions::isModeCondition(const Expr *E) const {
  E = E->IgnoreParenImpCasts();
  if (isa<IntegerLiteral, CXXBoolLiteralExpr, CharacterLiteral>(E))
    return true;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(Ref->getDecl()))
      return true;
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    return V && (isa<ParmVarDecl>(V) || !V->hasLocalStorage()) &&
           isFlagType(V->getType());
  }
  // A field of `this`, or of a parameter or global object (`cfg.threaded`).
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F || !isFlagType(F->getType()))
      return false;
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return true;
    while (const auto *Inner = dyn_cast<MemberExpr>(Base)) {
      if (Inner->isArrow())
        return false;
      Base = Inner->getBase()->IgnoreParenImpCasts();
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(Base);
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return !ME->isArrow() && V &&
           (isa<ParmVarDecl>(V) || !V->hasLocalStorage());
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return isModeCondition(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return isModeCondition(BO->getLHS()) && isModeCondition(BO->getRHS());
  return false; // a local, a call (a container's state, a try_lock, a load)
}

bool StableConditions::reads(unsigned Key, const VarDecl *V) const {
  auto It = KeyVars.find(Key);
  return It != KeyVars.end() && llvm::is_contained(It->second, V);
}

} // namespace pitfall
