//===--- ThreadIdentity.cpp -----------------------------------------------===//
#include "pitfall/Core/ThreadIdentity.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace pitfall {

namespace {

/// How many calls deep a predicate or an identity function is followed.
constexpr unsigned MaxDepth = 3;

/// \p E under implicit nodes, parentheses, copies (a `std::thread::id`
/// passed by value), casts (`assert`'s `static_cast<bool>(e)`) and the
/// branch-prediction hints.
const Expr *skipCasts(const Expr *E) {
  for (;;) {
    const Expr *Next = skipTruthPreserving(skipMovesAndCopies(E));
    if (const auto *C = dyn_cast<ExplicitCastExpr>(Next))
      Next = C->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
}

/// The expressions every `return` of \p FD's body returns; empty if one
/// returns nothing or the body is not known.
llvm::SmallVector<const Expr *, 2> returnedValues(const FunctionDecl *FD) {
  llvm::SmallVector<const Expr *, 2> Out;
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->getBody())
    return Out;
  bool Ok = walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip,
                               [&](const Stmt *S) {
                                 const auto *R = dyn_cast<ReturnStmt>(S);
                                 if (!R)
                                   return true;
                                 if (!R->getRetValue())
                                   return false;
                                 Out.push_back(R->getRetValue());
                                 return true;
                               });
  if (!Ok)
    Out.clear();
  return Out;
}

bool isCurrentId(const Expr *E, unsigned Depth);

/// A call of a C API or a library function that returns the running
/// thread's identity.
bool isIdentityCall(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
    return Name == "get_id" && NS->getIdentifier() &&
           NS->getName() == "this_thread";
  if (!DC->isTranslationUnit() && !FD->isExternC())
    return false;
  if (Name == "pthread_self" || Name == "gettid")
    return true;
  // `syscall(SYS_gettid)`: the argument spelled with the gettid number's
  // macro.
  if (Name != "syscall" || Call->getNumArgs() < 1)
    return false;
  SourceLocation L = Call->getArg(0)->getBeginLoc();
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (!L.isMacroID())
    return false;
  llvm::StringRef Macro =
      Lexer::getImmediateMacroName(L, SM, FD->getASTContext().getLangOpts());
  return Macro.ends_with("_gettid");
}

bool isCurrentId(const Expr *E, unsigned Depth) {
  E = skipCasts(E);
  // A cached tid: a thread_local variable.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return VD->getTLSKind() != VarDecl::TLS_None &&
             VD->getType()->isIntegralOrEnumerationType();
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return false;
  if (isIdentityCall(Call))
    return true;
  // A function every return of which returns the running thread's id.
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || Depth >= MaxDepth || FD->getNumParams() != 0)
    return false;
  llvm::SmallVector<const Expr *, 2> Rets = returnedValues(FD);
  return !Rets.empty() && llvm::all_of(Rets, [&](const Expr *R) {
    return isCurrentId(R, Depth + 1);
  });
}

bool isThreadOwn(const Expr *E, const Stmt *Body, unsigned Depth) {
  E = skipCasts(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf))
    return isThreadOwn(UO->getSubExpr(), Body, Depth);
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl>(ME->getMemberDecl()) &&
           isThreadOwn(ME->getBase(), Body, Depth);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return false;
    if (VD->getTLSKind() != VarDecl::TLS_None)
      return true;
    if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return false;
    if (VD->getType()->isReferenceType())
      return VD->getInit() && isThreadOwn(VD->getInit(), Body, Depth);
    const Expr *Init = Body ? unchangedLocalInit(DRE, Body) : nullptr;
    return Init && isThreadOwn(Init, Body, Depth);
  }
  // `p.get()`, `*p`, `p->` of a smart pointer.
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
        OC->getNumArgs() == 1 && isPointerLike(OC->getArg(0)->getType()))
      return isThreadOwn(OC->getArg(0), Body, Depth);
    return false;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (Obj && M && M->getIdentifier() && M->getName() == "get" &&
        MC->getNumArgs() == 0 && isPointerLike(Obj->getType()))
      return isThreadOwn(Obj, Body, Depth);
  }
  // A function every return of which returns one.
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  // (A member function's returns name its `this`: not followed.)
  if (!Def || Depth >= MaxDepth ||
      (isa<CXXMethodDecl>(Def) && !cast<CXXMethodDecl>(Def)->isStatic()))
    return false;
  llvm::SmallVector<const Expr *, 2> Rets = returnedValues(Def);
  return !Rets.empty() && llvm::all_of(Rets, [&](const Expr *R) {
    return isThreadOwn(R, Def->getBody(), Depth + 1);
  });
}

/// The identity \p E stores: a data member (not a local, not a parameter
/// itself) of a thread id, pthread_t or integer type, or a thread member's
/// `get_id()` (the thread member's path).
std::optional<ObjectPath> storedIdentity(const Expr *E) {
  E = skipCasts(E);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || M->getName() != "get_id" ||
        MC->getNumArgs() != 0 || !MC->getImplicitObjectArgument())
      return std::nullopt;
    std::optional<ObjectPath> P = objectPathOf(MC->getImplicitObjectArgument());
    if (!P || P->Fields.empty())
      return std::nullopt;
    return P;
  }
  std::optional<ObjectPath> P = objectPathOf(E);
  if (!P || P->Fields.empty() || P->Element)
    return std::nullopt;
  QualType T = E->getType();
  if (T->isIntegralOrEnumerationType())
    return P;
  if (const auto *RD = T->getAsCXXRecordDecl())
    if (RD->getIdentifier() && RD->getName() == "id")
      if (const auto *Outer = dyn_cast<CXXRecordDecl>(RD->getDeclContext());
          Outer && Outer->getIdentifier() && Outer->isInStdNamespace())
        return P;
  return std::nullopt;
}

/// `stored == current` (either order): the stored identity.
std::optional<ObjectPath> comparedIdentity(const Expr *L, const Expr *R,
                                           unsigned Depth) {
  if (isCurrentId(R, Depth))
    return storedIdentity(L);
  if (isCurrentId(L, Depth))
    return storedIdentity(R);
  return std::nullopt;
}

/// `!p`, `p == nullptr`: the thread pointer \p Thread holds nothing yet.
bool testsNoOwner(const Expr *E, const ObjectPath &Thread) {
  E = skipCasts(E);
  const Expr *Operand = nullptr;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot)
    Operand = UO->getSubExpr();
  else if (const auto *BO = dyn_cast<BinaryOperator>(E);
           BO && BO->getOpcode() == BO_EQ) {
    if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(skipCasts(BO->getRHS())))
      Operand = BO->getLHS();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
             OC && OC->getOperator() == OO_Exclaim && OC->getNumArgs() == 1)
    Operand = OC->getArg(0);
  if (!Operand)
    return false;
  Operand = skipCasts(Operand);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Operand);
      MC && isa<CXXConversionDecl>(MC->getMethodDecl()))
    Operand = MC->getImplicitObjectArgument();
  std::optional<ObjectPath> P = objectPathOf(Operand);
  return P && *P == Thread;
}

/// \p Callee's test, named by its caller through \p Call.
std::optional<CurrentThreadTest> mapToCall(const CurrentThreadTest &T,
                                           const CallExpr *Call) {
  if (T.Identity.Kind != RootKind::This)
    return T.Identity.Kind == RootKind::Global ? std::optional(T)
                                               : std::nullopt;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  std::optional<ObjectPath> P = Obj ? objectPathOf(Obj) : std::nullopt;
  if (!P)
    return std::nullopt;
  CurrentThreadTest Out = T;
  Out.Identity.Kind = P->Kind;
  Out.Identity.Root = P->Root;
  Out.Identity.ThroughPointer = P->ThroughPointer || T.Identity.ThroughPointer;
  Out.Identity.Fields = P->Fields;
  Out.Identity.Fields.append(T.Identity.Fields.begin(),
                             T.Identity.Fields.end());
  return Out;
}

std::optional<CurrentThreadTest> testOf(const Expr *E, unsigned Depth) {
  E = skipCasts(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot) {
    std::optional<CurrentThreadTest> T = testOf(UO->getSubExpr(), Depth);
    if (T)
      T->When = !T->When;
    return T;
  }
  if (const auto *RW = dyn_cast<CXXRewrittenBinaryOperator>(E)) {
    CXXRewrittenBinaryOperator::DecomposedForm D = RW->getDecomposedForm();
    if (D.Opcode != BO_EQ && D.Opcode != BO_NE)
      return std::nullopt;
    if (std::optional<ObjectPath> P = comparedIdentity(D.LHS, D.RHS, Depth))
      return CurrentThreadTest{*P, D.Opcode == BO_EQ};
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      if (std::optional<ObjectPath> P =
              comparedIdentity(BO->getLHS(), BO->getRHS(), Depth))
        return CurrentThreadTest{*P, BO->getOpcode() == BO_EQ};
      return std::nullopt;
    }
    if (BO->getOpcode() == BO_LOr) {
      // `!p || p->get_id() == this_thread::get_id()`: the owner thread, or
      // none yet.
      for (bool RHS : {true, false}) {
        const Expr *Test = RHS ? BO->getRHS() : BO->getLHS();
        const Expr *Other = RHS ? BO->getLHS() : BO->getRHS();
        std::optional<CurrentThreadTest> T = testOf(Test, Depth);
        if (T && T->When && testsNoOwner(Other, T->Identity))
          return T;
      }
      return std::nullopt;
    }
    if (BO->getOpcode() == BO_LAnd) {
      // True only where both are: either's owner test holds.
      for (const Expr *Side : {BO->getLHS(), BO->getRHS()})
        if (std::optional<CurrentThreadTest> T = testOf(Side, Depth);
            T && T->When)
          return T;
      return std::nullopt;
    }
    return std::nullopt;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
    OverloadedOperatorKind K = OC->getOperator();
    if ((K == OO_EqualEqual || K == OO_ExclaimEqual) && OC->getNumArgs() == 2) {
      if (std::optional<ObjectPath> P =
              comparedIdentity(OC->getArg(0), OC->getArg(1), Depth))
        return CurrentThreadTest{*P, K == OO_EqualEqual};
    }
    return std::nullopt;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return std::nullopt;
  if (FD->getIdentifier() && FD->getName() == "pthread_equal" &&
      Call->getNumArgs() == 2) {
    if (std::optional<ObjectPath> P =
            comparedIdentity(Call->getArg(0), Call->getArg(1), Depth))
      return CurrentThreadTest{*P, true};
    return std::nullopt;
  }
  // A predicate: every return returns the same test. Its parameters are
  // not followed (a test of the caller's argument is the caller's own).
  if (Depth >= MaxDepth || FD->getNumParams() != 0 ||
      !FD->getReturnType()->isBooleanType())
    return std::nullopt;
  std::optional<CurrentThreadTest> Same;
  for (const Expr *R : returnedValues(FD)) {
    std::optional<CurrentThreadTest> T = testOf(R, Depth + 1);
    if (!T ||
        (Same && (Same->Identity != T->Identity || Same->When != T->When)))
      return std::nullopt;
    Same = T;
  }
  return Same ? mapToCall(*Same, Call) : std::nullopt;
}

} // namespace

bool isThreadOwnObject(const Expr *E, const Stmt *Body) {
  return E && isThreadOwn(E, Body, 0);
}

bool isCurrentThreadId(const Expr *E) { return E && isCurrentId(E, 0); }

std::optional<CurrentThreadTest> currentThreadTest(const Expr *Cond) {
  if (!Cond)
    return std::nullopt;
  return testOf(Cond, 0);
}

} // namespace pitfall
