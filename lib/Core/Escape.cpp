//===--- Escape.cpp -------------------------------------------------------===//
#include "pitfall/Core/Escape.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

EscapeRecognizer::EscapeRecognizer(llvm::StringRef ThreadTypesOption,
                                   llvm::StringRef EscapeFunctionsOption)
    : Threads(ThreadTypesOption), EscapeFunctions(EscapeFunctionsOption) {}

const Expr *packagedCallable(const Expr *E) {
  const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(E);
  if (!Op || Op->getOperator() != OO_Call || Op->getNumArgs() != 2)
    return nullptr;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
  if (!M || !M->getParent()->getIdentifier() ||
      M->getParent()->getName() != "use_future_t" ||
      !isAsioDecl(M->getParent()))
    return nullptr;
  return Op->getArg(1);
}

const Expr *ignoreWrappers(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = F->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(Next);
             C && C->getNumArgs() == 1 && C->getConstructor() &&
             C->getConstructor()->isCopyOrMoveConstructor())
      Next = C->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(Next);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Call->getDirectCallee()->getName() == "move" ||
              Call->getDirectCallee()->getName() == "forward"))
      Next = Call->getArg(0);
    else if (const Expr *Packaged = packagedCallable(Next))
      Next = Packaged;
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

const LambdaExpr *lambdaBehind(const Expr *E) {
  E = ignoreWrappers(E);
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(E))
    return L;
  // A lambda converted to a callable wrapper: std::function<void()>([&]{}).
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
      CE && CE->getNumArgs() == 1)
    if (const auto *L =
            dyn_cast_or_null<LambdaExpr>(ignoreWrappers(CE->getArg(0))))
      return L;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit())
        return dyn_cast_or_null<LambdaExpr>(ignoreWrappers(VD->getInit()));
  return nullptr;
}

namespace {

bool carriesThis(const Expr *E, unsigned Depth) {
  E = ignoreWrappers(E);
  if (!E || Depth > 4)
    return false;
  if (isa<CXXThisExpr>(E))
    return true;
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf) &&
           carriesThis(U->getSubExpr(), Depth + 1);
  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    for (const LambdaCapture &C : L->captures()) {
      if (C.capturesThis())
        return true;
      if (const auto *V = C.capturesVariable()
                              ? dyn_cast<VarDecl>(C.getCapturedVar())
                              : nullptr;
          V && V->isInitCapture() && carriesThis(V->getInit(), Depth + 1))
        return true;
    }
    return false;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    // shared_from_this(), weak_from_this(): the library hands out `this`.
    const Expr *Obj = MC->getImplicitObjectArgument();
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (Obj && isa<CXXThisExpr>(ignoreWrappers(Obj)) && M &&
        M->getASTContext().getSourceManager().isInSystemHeader(
            M->getLocation()) &&
        (M->getReturnType()->isPointerType() ||
         M->getReturnType()->isRecordType()))
      return true;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return llvm::any_of(Call->arguments(), [&](const Expr *A) {
      return carriesThis(A, Depth + 1);
    });
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return llvm::any_of(CE->arguments(), [&](const Expr *A) {
      return carriesThis(A, Depth + 1);
    });
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
        V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) && V->getInit())
      return carriesThis(V->getInit(), Depth + 1);
  return false;
}

} // namespace

bool carriesThis(const Expr *E) { return carriesThis(E, 0); }

bool isCallableArgument(const Expr *E) {
  E = ignoreWrappers(E);
  if (!E)
    return false;
  if (isa<LambdaExpr>(E))
    return true;
  QualType T = E->getType().getNonReferenceType();
  if (T->isFunctionType() || T->isFunctionPointerType() ||
      T->isMemberFunctionPointerType())
    return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()))
      return isa<FunctionDecl>(DRE->getDecl());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E);
      DRE && isa<FunctionDecl>(DRE->getDecl()))
    return true;
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->hasDefinition())
    return false;
  if (RD->isLambda())
    return true;
  // operator(), also a template one (std::bind's result), declared in the
  // class or inherited (std::function's is declared in the class itself, so
  // a one-level search of bases is enough for the common wrappers).
  if (declaresCallOperator(RD))
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = recordOf(B.getType()))
      if (Base->hasDefinition() && declaresCallOperator(Base->getDefinition()))
        return true;
  return false;
}

bool lendsLocalToOpaqueCall(const CallExpr *Call, unsigned ArgIndex) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || Callee->hasBody() || ArgIndex >= Call->getNumArgs())
    return false;
  const ParmVarDecl *P = paramForArg(Call, ArgIndex);
  if (!P)
    return false;
  QualType ParamType = P->getType();
  const Expr *Arg = Call->getArg(ArgIndex)->IgnoreParenImpCasts();
  if (ParamType->isPointerType()) {
    const auto *U = dyn_cast<UnaryOperator>(Arg);
    if (!U || U->getOpcode() != UO_AddrOf)
      return false;
    Arg = U->getSubExpr()->IgnoreParenImpCasts();
  } else if (!ParamType->isReferenceType()) {
    return false; // a copy: the callee's own
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Arg);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType() || V->getType()->isPointerType())
    return false;
  // What the callee sees: through an abstract interface or an untyped
  // pointer it can only use the object, not copy it.
  const CXXRecordDecl *Seen = recordOf(ParamType->getPointeeType());
  if (Seen && Seen->hasDefinition() && !Seen->getDefinition()->isAbstract()) {
    Seen = Seen->getDefinition();
    if (declaresCallOperator(Seen))
      return false;
    for (const CXXBaseSpecifier &B : Seen->bases())
      if (const CXXRecordDecl *Base = recordOf(B.getType()))
        if (Base->hasDefinition() &&
            declaresCallOperator(Base->getDefinition()))
          return false;
  }
  return true;
}

/// A call of a coroutine (`session(std::move(sock))`, `[&]() -> task<> {
/// ... }()`): the object it returns carries the coroutine's frame, and
/// handing it to an executor (co_spawn) runs the coroutine's body there.
static bool isCoroutineCall(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(ignoreWrappers(E));
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  return Callee && Callee->hasBody(Def) &&
         isa_and_nonnull<CoroutineBodyStmt>(Def->getBody());
}

ExecutorOp classifyExecutorCall(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return ExecutorOp::None;
  // Threads, futures and condition variables have join()/wait() too: they
  // are not executors.
  const CXXRecordDecl *RD = M->getParent();
  if (RD && RD->isInStdNamespace())
    return ExecutorOp::None;
  llvm::StringRef N = M->getName();
  if (llvm::is_contained({"join", "join_all", "wait", "wait_all",
                          "wait_for_all", "wait_for_tasks", "wait_idle",
                          "drain"},
                         N))
    return ExecutorOp::Drain;
  if (llvm::is_contained({"run", "run_one", "poll", "poll_one"}, N))
    return ExecutorOp::Drive;
  return ExecutorOp::None;
}

bool isSerialExecutor(QualType T) {
  const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
  return RD && RD->getIdentifier() && RD->getName().contains("strand");
}

bool isIoContext(QualType T) {
  const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
  return RD && RD->getIdentifier() &&
         (RD->getName() == "io_context" || RD->getName() == "io_service") &&
         isAsioDecl(RD);
}

const Expr *workGuardedContext(const VarDecl *V) {
  const Expr *Init = V && V->hasLocalStorage() && V->getInit()
                         ? skipMovesAndCopies(skipImplicit(V->getInit()))
                         : nullptr;
  if (!Init)
    return nullptr;
  Init = skipImplicit(Init);
  const Expr *Ctx = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(Init)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getIdentifier() && FD->getName() == "make_work_guard" &&
        isAsioDecl(FD) && Call->getNumArgs() >= 1)
      Ctx = Call->getArg(0);
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
    const CXXRecordDecl *RD = CE->getConstructor()->getParent();
    if (RD->getIdentifier() &&
        (RD->getName() == "executor_work_guard" || RD->getName() == "work") &&
        isAsioDecl(RD) && CE->getNumArgs() >= 1)
      Ctx = CE->getArg(0);
  }
  if (!Ctx)
    return nullptr;
  Ctx = skipImplicit(Ctx);
  // `ctx.get_executor()`: the context it is the executor of.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Ctx))
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && M->getIdentifier() && M->getName() == "get_executor" &&
        MC->getNumArgs() == 0)
      Ctx = skipImplicit(MC->getImplicitObjectArgument());
  return Ctx;
}

bool isAsioDecl(const Decl *D) {
  for (const DeclContext *C = D ? D->getDeclContext() : nullptr; C;
       C = C->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(C);
        NS && NS->getIdentifier() &&
        (NS->getName() == "asio" || NS->getName().ends_with("_asio")))
      return true;
  return false;
}

/// The member of io_context type of \p Field's object that the
/// initialiser \p Init names (an argument, or the object of a call in one:
/// `io_.get_executor()`), or null.
static const FieldDecl *ioContextNamedBy(const Expr *Init,
                                         const RecordDecl *Object) {
  const FieldDecl *Found = nullptr;
  bool Conflict = false;
  llvm::SmallVector<const Stmt *, 8> Work{Init};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (FD && FD->getParent() == Object && isIoContext(FD->getType()) &&
          isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
        Conflict |= Found && Found != FD;
        Found = FD;
        continue;
      }
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return Conflict ? nullptr : Found;
}

const FieldDecl *ioContextMemberOf(const FieldDecl *Field) {
  if (!Field)
    return nullptr;
  QualType T = Field->getType();
  if (!T->isReferenceType() && !T->isPointerType() && isIoContext(T))
    return Field;
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD)
    return nullptr;
  const FieldDecl *Found = nullptr;
  auto Meet = [&](const Expr *Init) {
    const FieldDecl *F = Init ? ioContextNamedBy(Init, RD) : nullptr;
    if (!F || (Found && Found != F))
      return false;
    Found = F;
    return true;
  };
  bool InClass = Field->hasInClassInitializer();
  if (InClass && !Meet(Field->getInClassInitializer()))
    return nullptr;
  for (const CXXConstructorDecl *C : RD->ctors()) {
    const CXXConstructorDecl *Def = nullptr;
    if (C->isImplicit() || !C->hasBody() ||
        !(Def = dyn_cast<CXXConstructorDecl>(C->getDefinition())))
      continue;
    if (Def->isDelegatingConstructor() || Def->isCopyOrMoveConstructor())
      continue;
    bool Initialised = false;
    for (const CXXCtorInitializer *I : Def->inits())
      if (I->getMember() == Field && I->isWritten()) {
        Initialised = true;
        if (!Meet(I->getInit()))
          return nullptr;
      }
    // Neither this constructor nor the class's initialiser names one.
    if (!Initialised && !InClass)
      return nullptr;
  }
  return Found;
}

const FieldDecl *onlyIoContextMember(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  const FieldDecl *Found = nullptr;
  for (const FieldDecl *F : RD->getDefinition()->fields()) {
    QualType T = F->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (!isIoContext(T))
      continue;
    if (Found || F->getType()->isReferenceType() ||
        F->getType()->isPointerType())
      return nullptr;
    Found = F;
  }
  return Found;
}

bool EscapeRecognizer::isEscapeFunction(const FunctionDecl *Callee) const {
  return Callee && EscapeFunctions.matches(Callee);
}

static bool isStdAsync(const FunctionDecl *FD) {
  return FD && FD->isInStdNamespace() && FD->getIdentifier() &&
         FD->getName() == "async";
}

llvm::SmallVector<EscapeSite, 1>
EscapeRecognizer::escapes(const Expr *E) const {
  llvm::SmallVector<EscapeSite, 1> Out;
  if (!E)
    return Out;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (const Expr *Callable = Threads.startedCallable(CE))
      Out.push_back({EscapeKind::ThreadConstructor, CE, Callable});
    return Out;
  }
  // In a template never instantiated, `std::thread([&] {...})` stays an
  // unresolved construction (a lambda there has a dependent type): a thread
  // type built from a callable starts a thread all the same.
  if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(E)) {
    if (UC->getNumArgs() >= 1 && Threads.isAnyThread(UC->getType()) &&
        isCallableArgument(UC->getArg(0)))
      Out.push_back({EscapeKind::ThreadConstructor, UC, UC->getArg(0)});
    return Out;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return Out;
  // threads.emplace_back(callable): the thread is constructed inside the
  // container, from the callable.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Callable = Threads.emplacedCallable(MC);
        Callable && isCallableArgument(Callable)) {
      Out.push_back({EscapeKind::ThreadConstructor, MC, Callable});
      return Out;
    }
  // std::make_shared<std::thread>(callable): the thread is constructed
  // inside the library's factory, from the callable.
  if (const Expr *Callable = Threads.madeCallable(Call);
      Callable && isCallableArgument(Callable)) {
    Out.push_back({EscapeKind::ThreadConstructor, Call, Callable});
    return Out;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return Out;
  // Member calls: the object argument is not a candidate callable.
  unsigned First =
      isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
  if (isStdAsync(Callee)) {
    for (unsigned I = First, N = Call->getNumArgs(); I < N; ++I)
      if (isCallableArgument(Call->getArg(I))) {
        Out.push_back({EscapeKind::Async, Call, Call->getArg(I)});
        break;
      }
    return Out;
  }
  if (!isEscapeFunction(Callee))
    return Out;
  for (unsigned I = First, N = Call->getNumArgs(); I < N; ++I)
    if (isCallableArgument(Call->getArg(I)) || isCoroutineCall(Call->getArg(I)))
      Out.push_back({EscapeKind::ExecutorCall, Call, Call->getArg(I)});
  return Out;
}

} // namespace pitfall
