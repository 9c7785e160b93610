//===--- ActiveObjects.cpp ------------------------------------------------===//
#include "pitfall/Core/ActiveObjects.h"

#include "pitfall/Core/Escape.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/NameList.h"
#include "pitfall/Core/Threads.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace pitfall {

namespace {

bool isLoop(const Stmt *S) {
  return isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt>(S);
}

/// Calls \p Visit(S, InLoop) for every statement under \p Root, lambda
/// bodies included (\p Lambdas) or not.
template <typename Fn>
void walk(const Stmt *Root, bool Lambdas, Fn Visit, bool InLoop = false) {
  if (!Root)
    return;
  Visit(Root, InLoop);
  if (const auto *L = dyn_cast<LambdaExpr>(Root)) {
    for (const Expr *Init : L->capture_inits())
      walk(Init, Lambdas, Visit, InLoop);
    if (Lambdas)
      walk(L->getBody(), Lambdas, Visit, InLoop);
    return;
  }
  bool Loop = InLoop || isLoop(Root);
  for (const Stmt *Child : Root->children())
    walk(Child, Lambdas, Visit, Loop);
}

/// The member function of \p RD a thread started with \p Callable runs:
/// `&RD::fn`, or the one member function of RD a lambda's body calls.
const CXXMethodDecl *entryOf(const Expr *Callable, const CXXRecordDecl *RD) {
  const Expr *E = ignoreWrappers(Callable);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
      if (const auto *M = dyn_cast<CXXMethodDecl>(DRE->getDecl());
          M && M->getParent()->getCanonicalDecl() == RD->getCanonicalDecl())
        return M;
  const LambdaExpr *L = lambdaBehind(Callable);
  if (!L)
    return nullptr;
  const CXXMethodDecl *Found = nullptr;
  bool Several = false;
  walk(L->getBody(), false, [&](const Stmt *S, bool) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *M = MC->getMethodDecl();
          M && M->getParent()->getCanonicalDecl() == RD->getCanonicalDecl()) {
        Several |= Found && Found != M;
        Found = M;
      }
  });
  return Several ? nullptr : Found;
}

/// True if \p E names a data member of `this` (through `.`, `->` of
/// smart pointers and calls of its member functions).
bool isOwnMember(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl>(ME->getMemberDecl()) &&
           isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return isOwnMember(MC->getImplicitObjectArgument());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getNumArgs() > 0 && isa<CXXMethodDecl>(OC->getCalleeDecl()))
    return isOwnMember(OC->getArg(0));
  return false;
}

/// True if \p S (a call) is made on a data member of `this`.
bool callOnOwnMember(const Stmt *S) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    return isOwnMember(MC->getImplicitObjectArgument());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getNumArgs() > 0 &&
      isa_and_nonnull<CXXMethodDecl>(OC->getCalleeDecl()))
    return isOwnMember(OC->getArg(0));
  return false;
}

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE = dyn_cast<DeclRefExpr>(ignoreWrappers(E));
  return DRE && DRE->getDecl() == V;
}

/// True if \p S (or a sub-expression) is a call on a data member of `this`.
bool containsOwnMemberCall(const Stmt *S) {
  bool Found = false;
  walk(S, false, [&](const Stmt *X, bool) { Found |= callOnOwnMember(X); });
  return Found;
}

/// True if \p Body has a loop that calls a local callable taken from a data
/// member.
bool runsQueuedCallables(const Stmt *Body) {
  // The locals called in a loop.
  llvm::SmallVector<const VarDecl *, 2> Called;
  walk(Body, false, [&](const Stmt *S, bool InLoop) {
    if (!InLoop)
      return;
    const Expr *Callee = nullptr;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
      Callee = OC->getArg(0);
    else if (const auto *C = dyn_cast<CallExpr>(S);
             C && !isa<CXXOperatorCallExpr, CXXMemberCallExpr>(C))
      Callee = C->getCallee();
    if (!Callee)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(ignoreWrappers(Callee)))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          V && V->isLocalVarDecl())
        Called.push_back(V);
  });
  if (Called.empty())
    return false;
  bool Fed = false;
  walk(Body, false, [&](const Stmt *S, bool) {
    for (const VarDecl *V : Called) {
      // q_.wait_and_pop(f), q_.try_pop(f)
      if (callOnOwnMember(S)) {
        llvm::ArrayRef<const Expr *> Args;
        if (const auto *C = dyn_cast<CallExpr>(S))
          Args = llvm::ArrayRef(C->getArgs(), C->getNumArgs());
        if (llvm::any_of(Args, [&](const Expr *A) { return refersTo(A, V); }))
          Fed = true;
      }
      // auto f = q_.pop(); f = q_.pop();
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (D == V && V->getInit() && containsOwnMemberCall(V->getInit()))
            Fed = true;
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
          OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          refersTo(OC->getArg(0), V) && containsOwnMemberCall(OC->getArg(1)))
        Fed = true;
      if (const auto *BO = dyn_cast<BinaryOperator>(S);
          BO && BO->getOpcode() == BO_Assign && refersTo(BO->getLHS(), V) &&
          containsOwnMemberCall(BO->getRHS()))
        Fed = true;
    }
  });
  return Fed;
}

/// The record a smart pointer (std::unique_ptr, std::shared_ptr) points
/// to, or \p RD itself.
const CXXRecordDecl *pointee(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      !llvm::is_contained({"unique_ptr", "shared_ptr"}, Spec->getName()) ||
      Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return RD;
  return recordOf(Spec->getTemplateArgs()[0].getAsType());
}

} // namespace

const CXXMethodDecl *activeObjectLoop(const CXXRecordDecl *RD,
                                      const ThreadTypes &Threads) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return nullptr;
  unsigned ThreadMembers = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (Threads.isContainerOfThreads(F->getType()))
      return nullptr;
    if (Threads.isAnyThread(F->getType()))
      ++ThreadMembers;
  }
  if (ThreadMembers != 1)
    return nullptr;
  // The threads the class starts on its own member functions.
  llvm::SmallVector<const CXXMethodDecl *, 1> Entries;
  bool Repeated = false;
  auto Visit = [&](const Stmt *S, bool InLoop) {
    const auto *CE = dyn_cast<CXXConstructExpr>(S);
    const Expr *Callable = CE ? Threads.startedCallable(CE) : nullptr;
    if (!Callable)
      return;
    if (const CXXMethodDecl *E = entryOf(Callable, RD)) {
      Entries.push_back(E);
      Repeated |= InLoop;
    }
  };
  for (const CXXMethodDecl *M : RD->methods()) {
    // A constructor's member initialisers (`thd_(&C::run, this)`).
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(M))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->isWritten())
          walk(Init->getInit(), true, Visit);
    walk(M->getBody(), true, Visit);
  }
  if (Entries.size() != 1 || Repeated)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Entries[0]->hasBody(Def) || !runsQueuedCallables(Def->getBody()))
    return nullptr;
  return Entries[0];
}

bool isActiveObject(const CXXRecordDecl *RD, const ThreadTypes &Threads) {
  return activeObjectLoop(RD, Threads) != nullptr;
}

const CXXMethodDecl *loopRunningLambda(const CXXMethodDecl *CallOperator,
                                       const ThreadTypes &Threads) {
  const CXXRecordDecl *Closure =
      CallOperator ? CallOperator->getParent() : nullptr;
  if (!Closure || !Closure->isLambda())
    return nullptr;
  const auto *Enclosing = dyn_cast<CXXMethodDecl>(Closure->getDeclContext());
  if (!Enclosing || !Enclosing->getBody())
    return nullptr;
  const CXXMethodDecl *Loop = activeObjectLoop(Enclosing->getParent(), Threads);
  if (!Loop)
    return nullptr;
  bool Sent = false;
  walk(Enclosing->getBody(), true, [&](const Stmt *S, bool) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    const FunctionDecl *Def = nullptr;
    if (Sent || !M || !M->hasBody(Def) ||
        !isa<CXXThisExpr>(
            MC->getImplicitObjectArgument()->IgnoreParenImpCasts()) ||
        M->getParent()->getCanonicalDecl() !=
            Enclosing->getParent()->getCanonicalDecl())
      return;
    for (unsigned I = 0; I < MC->getNumArgs() && I < Def->getNumParams(); ++I) {
      const LambdaExpr *L = lambdaBehind(MC->getArg(I));
      if (!L || L->getLambdaClass() != Closure)
        continue;
      // The member hands its callable parameter to a data member of the
      // object (the queue the loop takes callables from).
      const ParmVarDecl *P = Def->getParamDecl(I);
      walk(Def->getBody(), false, [&](const Stmt *X, bool) {
        const auto *C = dyn_cast<CallExpr>(X);
        if (C && callOnOwnMember(X))
          for (const Expr *A : C->arguments())
            Sent |= refersTo(A, P);
      });
    }
  });
  return Sent ? Loop : nullptr;
}

bool isActiveObjectType(QualType T, const ThreadTypes &Threads) {
  return isActiveObject(pointee(recordOf(T, /*ThroughPointers=*/true)),
                        Threads);
}

const Expr *activeObjectArgument(const Expr *Call, const FunctionDecl *Callee,
                                 const ThreadTypes &Threads) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def))
    return nullptr;
  const ParmVarDecl *Found = nullptr;
  bool Several = false;
  walk(Def->getBody(), true, [&](const Stmt *S, bool) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || llvm::none_of(MC->arguments(), [](const Expr *A) {
          return isCallableArgument(A);
        }))
      return;
    const Expr *Object = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
    // `p->send(f)` on a smart pointer: `p.operator->()`, `p.get()`.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Object);
        OC && OC->getOperator() == OO_Arrow && OC->getNumArgs() == 1)
      Object = OC->getArg(0)->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(Object);
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!P || !isActiveObjectType(P->getType(), Threads))
      return;
    Several |= Found && Found != P;
    Found = P;
  });
  if (!Found || Several)
    return nullptr;
  unsigned Index = Found->getFunctionScopeIndex();
  if (const auto *C = dyn_cast<CallExpr>(Call)) {
    unsigned I = Index + firstCallArgument(C);
    return I < C->getNumArgs() ? C->getArg(I) : nullptr;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Call))
    return Index < CE->getNumArgs() ? CE->getArg(Index) : nullptr;
  return nullptr;
}

} // namespace pitfall
