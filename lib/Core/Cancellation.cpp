//===--- Cancellation.cpp -------------------------------------------------===//
#include "pitfall/Core/Cancellation.h"
#include "pitfall/Core/Locks.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"

using namespace clang;

namespace pitfall {

namespace {

const NameList &stopTokenTypes() {
  static const NameList L("::std::stop_token;::std::stop_source");
  return L;
}

// Unanchored, so that both ::asio:: and ::boost::asio:: match.
const NameList &asioCancellationTypes() {
  static const NameList L("asio::cancellation_state;asio::cancellation_slot;"
                          "asio::cancellation_signal");
  return L;
}

const NameList &asioCancellationObjects() {
  static const NameList L("asio::this_coro::cancellation_state;"
                          "asio::this_coro::throw_if_cancelled;"
                          "asio::this_coro::reset_cancellation_state");
  return L;
}

const NameList &atomicTypes() {
  static const NameList L("::std::atomic;::std::atomic_flag;::std::atomic_ref");
  return L;
}

/// Visits \p S and its descendants in pre-order until \p Visit returns true.
/// Lambda bodies are entered only if \p IntoLambdas.
bool anyDescendant(const Stmt *S, bool IntoLambdas,
                   llvm::function_ref<bool(const Stmt *)> Visit) {
  if (!S)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (Visit(Cur))
      return true;
    if (const auto *L = dyn_cast<LambdaExpr>(Cur)) {
      if (IntoLambdas)
        Work.push_back(L->getBody());
      for (const Expr *Init : L->capture_inits())
        if (Init)
          Work.push_back(Init);
      continue;
    }
    for (const Stmt *Child : Cur->children())
      if (Child)
        Work.push_back(Child);
  }
  return false;
}

const CXXRecordDecl *objectRecord(const CXXMemberCallExpr *Call) {
  const Expr *Obj = Call->getImplicitObjectArgument();
  return Obj ? recordOf(Obj->getType(), /*ThroughPointers=*/true) : nullptr;
}

} // namespace

bool isStopTokenType(QualType T) {
  return stopTokenTypes().matches(recordOf(T));
}

bool isCancellationSourceType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
  return RD &&
         (stopTokenTypes().matches(RD) || asioCancellationTypes().matches(RD));
}

bool isAtomicType(QualType T) {
  return atomicTypes().matches(recordOf(T, /*ThroughPointers=*/true));
}

static bool isConstantTrue(const Expr *Cond, const ASTContext &Ctx) {
  if (!Cond)
    return true;
  if (Cond->isValueDependent() || Cond->isTypeDependent())
    return false;
  bool Value = false;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

bool hasConstantTrueCondition(const Stmt *Loop, const ASTContext &Ctx) {
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return !W->getConditionVariable() && isConstantTrue(W->getCond(), Ctx);
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return !F->getConditionVariable() && isConstantTrue(F->getCond(), Ctx);
  if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    return isConstantTrue(D->getCond(), Ctx);
  return false;
}

bool isBoundedLoop(const Stmt *Loop) {
  if (isa_and_nonnull<CXXForRangeStmt>(Loop))
    return true;
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return F->getInc() && F->getCond();
  return false;
}

bool CancellationRecognizer::consults(const Stmt *S, bool CountAtomics) const {
  return anyDescendant(S, /*IntoLambdas=*/true, [&](const Stmt *Cur) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Cur))
      return isa<VarDecl>(DRE->getDecl()) &&
             asioCancellationObjects().matches(DRE->getDecl());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur)) {
      if (const CXXRecordDecl *RD = objectRecord(MC)) {
        if (stopTokenTypes().matches(RD) || asioCancellationTypes().matches(RD))
          return true;
        if (CountAtomics && atomicTypes().matches(RD))
          return true;
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(Cur)) {
      if (!Checks.empty())
        if (const FunctionDecl *Callee = Call->getDirectCallee();
            Callee && Checks.matches(Callee))
          return true;
      for (const Expr *Arg : Call->arguments())
        if (isCancellationSourceType(Arg->getType()))
          return true;
      return false;
    }
    if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Cur)) {
      for (const Expr *Arg : Ctor->arguments())
        if (isCancellationSourceType(Arg->getType()))
          return true;
    }
    return false;
  });
}

bool CancellationRecognizer::references(const Stmt *S, const ValueDecl *D) {
  return anyDescendant(S, /*IntoLambdas=*/true, [D](const Stmt *Cur) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Cur);
    return DRE && DRE->getDecl() == D;
  });
}

const CallExpr *findUnwakeableWait(const Stmt *S) {
  static const NameList CV("::std::condition_variable");
  static const NameList CVAny("::std::condition_variable_any");
  const CallExpr *Found = nullptr;
  anyDescendant(S, /*IntoLambdas=*/false, [&](const Stmt *Cur) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur);
    if (!MC)
      return false;
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || M->getName() != "wait")
      return false;
    const CXXRecordDecl *RD = objectRecord(MC);
    if (CV.matches(RD) ||
        (CVAny.matches(RD) && llvm::none_of(MC->arguments(), [](const Expr *A) {
           return isStopTokenType(A->getType());
         }))) {
      Found = MC;
      return true;
    }
    return false;
  });
  return Found;
}

static const CallExpr *awaitedCall(const CoawaitExpr *Await) {
  const Expr *Op = Await->getOperand();
  return Op ? dyn_cast<CallExpr>(Op->IgnoreImplicit()->IgnoreParens())
            : nullptr;
}

static bool isAsioIoCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (!Name.starts_with("async_") || Name == "async_wait")
    return false;
  return llvm::is_contained(qualifiedComponents(Callee), "asio");
}

/// Also looks into awaited coroutines defined in the TU (asio's
/// refactored echo server awaits `echo_once(socket)`), \p Depth levels deep.
static bool awaitsFallibleIo(const Stmt *S, unsigned Depth) {
  return anyDescendant(S, /*IntoLambdas=*/false, [Depth](const Stmt *Cur) {
    const auto *Await = dyn_cast<CoawaitExpr>(Cur);
    const CallExpr *Call = Await ? awaitedCall(Await) : nullptr;
    if (!Call)
      return false;
    if (isAsioIoCall(Call))
      return true;
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = nullptr;
    if (Depth == 0 || !Callee || !Callee->hasBody(Def))
      return false;
    const auto *Body = dyn_cast_or_null<CoroutineBodyStmt>(Def->getBody());
    return Body && awaitsFallibleIo(Body->getBody(), Depth - 1);
  });
}

bool awaitsFallibleIo(const Stmt *S) { return awaitsFallibleIo(S, 2); }

bool constructsStopCallback(const Stmt *S) {
  static const NameList L("::std::stop_callback");
  return anyDescendant(S, /*IntoLambdas=*/false, [](const Stmt *Cur) {
    const auto *C = dyn_cast<CXXConstructExpr>(Cur);
    return C && L.matches(recordOf(C->getType()));
  });
}

bool acquiresLock(const Stmt *S) {
  // The lock recognizer shared with pitfall-unlocked-container-access.
  static const LockRecognizer Locks;
  return anyDescendant(S, /*IntoLambdas=*/false, [](const Stmt *Cur) {
    if (const auto *C = dyn_cast<CXXConstructExpr>(Cur))
      return Locks.guardMode(C->getType()).has_value();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur)) {
      MutexOp Op = Locks.classifyMutexCall(MC);
      if (Op == MutexOp::Lock || Op == MutexOp::LockShared ||
          Locks.classifyGuardCall(MC) == GuardOp::Lock)
        return true;
      // try_lock() may acquire: enough to say the function takes a lock.
      const CXXMethodDecl *M = MC->getMethodDecl();
      return M && M->getIdentifier() && M->getName().starts_with("try_lock") &&
             Locks.isMutexType(MC->getImplicitObjectArgument()->getType());
    }
    if (const auto *Call = dyn_cast<CallExpr>(Cur)) {
      MutexOp Op = classifyLockFunctionCall(Call); // pthread_mutex_lock(&m)
      return Op == MutexOp::Lock || Op == MutexOp::LockShared ||
             isMultiLockCall(Call); // std::lock(a, b)
    }
    return false;
  });
}

const ParmVarDecl *stopTokenParam(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  for (const ParmVarDecl *P : FD->parameters())
    if (stopTokenTypes().matches(recordOf(P->getType())) &&
        recordOf(P->getType())->getName() == "stop_token")
      return P;
  return nullptr;
}

} // namespace pitfall
