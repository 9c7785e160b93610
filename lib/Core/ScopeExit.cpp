//===--- ScopeExit.cpp ----------------------------------------------------===//
#include "pitfall/Core/ScopeExit.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace pitfall {

namespace {

/// All the statements under \p S, lambdas' bodies included.
template <typename Fn> bool anyStmt(const Stmt *S, Fn F) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *N = Work.pop_back_val();
    if (!N)
      continue;
    if (F(N))
      return true;
    for (const Stmt *C : N->children())
      Work.push_back(C);
  }
  return false;
}

/// The data member of `this` \p E names, or null.
const FieldDecl *memberOfThis(const Expr *E) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(E ? skipImplicit(E) : nullptr);
  if (!ME || !isa<CXXThisExpr>(skipImplicit(ME->getBase())))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// True if a member of type \p T can hold a callable: a closure, a class
/// with a call operator (std::function), a function pointer, a template
/// parameter's type.
bool callableType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isDependentType() || T->isFunctionPointerType() || T->isFunctionType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  if (RD->isLambda())
    return true;
  return declaresCallOperator(RD->getDefinition());
}

/// The member \p S calls, if it calls one of `this`'s callable members.
const FieldDecl *calledMember(const Stmt *S) {
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return nullptr;
  const Expr *Target = nullptr;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
      Target = OC->getArg(0);
  } else if (isStdFunction(Call->getDirectCallee(), {"invoke"}) &&
             Call->getNumArgs() > 0) {
    Target = Call->getArg(0);
  } else if (!Call->getDirectCallee()) {
    Target = Call->getCallee();
    if (const auto *UO = dyn_cast<UnaryOperator>(skipImplicit(Target));
        UO && UO->getOpcode() == UO_Deref)
      Target = UO->getSubExpr();
  }
  const FieldDecl *F = memberOfThis(Target);
  return F && callableType(F->getType()) ? F : nullptr;
}

/// The same field of \p RD as \p F (by position: an instantiation and its
/// pattern declare the same fields in the same order), or null.
const FieldDecl *sameField(const CXXRecordDecl *RD, const FieldDecl *F) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  for (const FieldDecl *G : RD->getDefinition()->fields())
    if (G->getFieldIndex() == F->getFieldIndex())
      return G;
  return nullptr;
}

/// True if a member function of \p RD other than a constructor assigns the
/// flag \p F (or its counterpart in the pattern \p RD was instantiated
/// from, whose members are all written there).
bool assignedOutsideConstructors(const CXXRecordDecl *RD, const FieldDecl *F) {
  llvm::SmallVector<const CXXRecordDecl *, 2> Classes{RD};
  if (const CXXRecordDecl *P = RD->getTemplateInstantiationPattern())
    Classes.push_back(P);
  for (const CXXRecordDecl *C : Classes) {
    const FieldDecl *Flag = sameField(C, F);
    if (!Flag)
      continue;
    for (const Decl *D : C->decls()) {
      const Decl *M = D;
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        M = FT->getTemplatedDecl();
      const auto *Method = dyn_cast<CXXMethodDecl>(M);
      if (!Method || isa<CXXConstructorDecl>(Method) || !Method->getBody())
        continue;
      bool Assigns = anyStmt(Method->getBody(), [&](const Stmt *S) {
        const Expr *Target = builtinStoreTarget(S);
        const auto *ME = dyn_cast_or_null<MemberExpr>(
            Target ? skipImplicit(Target) : nullptr);
        return ME && ME->getMemberDecl() == Flag;
      });
      if (Assigns)
        return true;
    }
  }
  return false;
}

/// True if the branch \p Cond guards is taken on every path but where the
/// object was moved from: a test of a flag of `this` (negated or not) that
/// only constructors assign.
bool constructorFlag(const Expr *Cond, const CXXRecordDecl *RD) {
  Cond = skipImplicit(Cond);
  while (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() != UO_LNot)
      return false;
    Cond = skipImplicit(UO->getSubExpr());
  }
  const FieldDecl *Flag = memberOfThis(Cond);
  return Flag && Flag->getType()->isScalarType() &&
         !assignedOutsideConstructors(RD, Flag);
}

/// \p E as the argument expression of the call or construction \p Site when
/// it names one of its callee's parameters; \p E itself otherwise.
const Expr *argumentFor(const Expr *E, const FunctionDecl *Callee,
                        const Expr *Site) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(E ? skipMovesAndCopies(E) : nullptr);
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  if (!P || P->getDeclContext() != Callee)
    return nullptr;
  unsigned I = P->getFunctionScopeIndex();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Site))
    return I < CE->getNumArgs() ? CE->getArg(I) : nullptr;
  const auto *Call = cast<CallExpr>(Site);
  I += firstCallArgument(Call);
  return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
}

/// The expression the member \p F of the object \p Init builds is
/// initialised from, named where \p Init is written.
const Expr *initialiserOf(const Expr *Init, const FieldDecl *F,
                          unsigned Depth = 0) {
  if (!Init || Depth > 6)
    return nullptr;
  Init = skipImplicit(Init);
  if (const auto *IL = dyn_cast<InitListExpr>(Init)) {
    unsigned I = F->getFieldIndex();
    return I < IL->getNumInits() ? IL->getInit(I) : nullptr;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    const FunctionDecl *Def = nullptr;
    if (!Ctor || !Ctor->hasBody(Def))
      return nullptr;
    if (Ctor->isCopyOrMoveConstructor() && CE->getNumArgs() == 1)
      return initialiserOf(CE->getArg(0), F, Depth + 1);
    for (const CXXCtorInitializer *I : cast<CXXConstructorDecl>(Def)->inits())
      if (I->getMember() &&
          I->getMember()->getFieldIndex() == F->getFieldIndex())
        return argumentFor(I->getInit(), Def, CE);
    return nullptr;
  }
  // A factory: `return FinallyImpl<F>(std::forward<F>(f));`.
  if (const auto *Call = dyn_cast<CallExpr>(Init)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = nullptr;
    if (!Callee || !Callee->hasBody(Def))
      return nullptr;
    const auto *Body = dyn_cast<CompoundStmt>(Def->getBody());
    const auto *Ret = Body && Body->size() == 1
                          ? dyn_cast<ReturnStmt>(Body->body_front())
                          : nullptr;
    if (!Ret || !Ret->getRetValue())
      return nullptr;
    const Expr *Inner = initialiserOf(Ret->getRetValue(), F, Depth + 1);
    return argumentFor(Inner, Def, Call);
  }
  return nullptr;
}

} // namespace

std::optional<ScopeExitCall> scopeExitCallOf(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return std::nullopt;
  RD = RD->getDefinition();
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  const FunctionDecl *Def = nullptr;
  if (!Dtor || !Dtor->hasBody(Def) || !Def->getBody())
    return std::nullopt;
  ParentMap PM(Def->getBody());
  std::optional<ScopeExitCall> Out;
  anyStmt(Def->getBody(), [&](const Stmt *S) {
    const FieldDecl *F = calledMember(S);
    if (!F)
      return false;
    ScopeExitCall C;
    C.Field = F;
    C.Certain = true;
    for (const Stmt *Child = S, *P = PM.getParent(S); P;
         Child = P, P = PM.getParent(P)) {
      if (const auto *If = dyn_cast<IfStmt>(P)) {
        if (Child == If->getCond() ||
            Child == If->getConditionVariableDeclStmt())
          continue;
        if (If->getInit() || If->getConditionVariable() ||
            Child != If->getThen() || !constructorFlag(If->getCond(), RD))
          C.Certain = false;
      } else if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt,
                     ConditionalOperator, BinaryConditionalOperator, CXXTryStmt,
                     CXXCatchStmt>(P) ||
                 (isa<BinaryOperator>(P) &&
                  cast<BinaryOperator>(P)->isLogicalOp())) {
        C.Certain = false;
      }
    }
    Out = C;
    return true;
  });
  return Out;
}

std::optional<ScopeExitCallable> scopeExitCallableOf(const VarDecl *V) {
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType() || !V->getInit())
    return std::nullopt;
  std::optional<ScopeExitCall> C =
      scopeExitCallOf(V->getType()->getAsCXXRecordDecl());
  if (!C)
    return std::nullopt;
  const Expr *Callable = initialiserOf(V->getInit(), C->Field);
  if (!Callable)
    return std::nullopt;
  return ScopeExitCallable{*C, Callable};
}

bool handsOn(const VarDecl *V, const Stmt *Body) {
  auto Names = [&](const Expr *E) {
    const auto *DRE =
        dyn_cast_or_null<DeclRefExpr>(E ? skipImplicit(E) : nullptr);
    return DRE && DRE->getDecl() == V;
  };
  return anyStmt(Body, [&](const Stmt *S) {
    const auto *E = dyn_cast<Expr>(S);
    if (!E)
      return false;
    if (Names(movedOperand(E)))
      return true;
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf && Names(UO->getSubExpr()))
      return true;
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCapturedVar() == V &&
            C.getCaptureKind() == LCK_ByRef)
          return true;
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      for (unsigned I = firstCallArgument(Call), N = Call->getNumArgs(); I != N;
           ++I)
        if (Names(Call->getArg(I)) && mayModifyThrough(paramForArg(Call, I)))
          return true;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      const CXXConstructorDecl *Ctor = CE->getConstructor();
      for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I)
        if (Names(CE->getArg(I)) && (!Ctor || I >= Ctor->getNumParams() ||
                                     mayModifyThrough(Ctor->getParamDecl(I))))
          return true;
    }
    return false;
  });
}

} // namespace pitfall
