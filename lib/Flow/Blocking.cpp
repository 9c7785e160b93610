//===--- Blocking.cpp -----------------------------------------------------===//
#include "pitfall/Flow/Blocking.h"

#include "pitfall/Core/AtomicWaits.h"
#include "pitfall/Core/Escape.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Futures.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/Summary.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

namespace {

/// How deep computeBlocksCaller() is nested (through effectsOf(), which
/// asks waitsForResult() of the calls it reads).
thread_local unsigned BlockingDepth = 0;

/// True if calling \p Call on its object waits: a future-like wait or a
/// member of the translation unit that blocks its caller.
bool blockingCall(FlowContext &Flow, const CXXMemberCallExpr *Call) {
  if (isFutureWait(Call))
    return true;
  const FunctionDecl *Def = definitionOf(Call->getMethodDecl());
  return Def && Flow.blocksCaller(Def);
}

} // namespace

bool computeBlocksCaller(FlowContext &Flow, const FunctionDecl *FD) {
  if (!FD || !FD->getBody() || BlockingDepth >= MaxSummaryDepth ||
      Flow.astContext().getSourceManager().isInSystemHeader(FD->getLocation()))
    return false;
  ++BlockingDepth;
  llvm::SmallVector<EffectEvent, 4> Events;
  bool Found = !walkOutsideLambdas(
      FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        Events.clear();
        effectsOf(Flow, S, ThreadFamily | SyncFamily, Events);
        if (llvm::any_of(Events, [](const EffectEvent &Ev) {
              return Ev.Effect & Waits;
            }))
          return false;
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
            MC && isFutureWait(MC))
          return false;
        if (isa<CallExpr, CXXConstructExpr>(S)) {
          const FunctionDecl *Callee =
              definitionOf(callSiteOf(cast<Expr>(S)).Callee);
          if (Callee && Callee != FD && Flow.blocksCaller(Callee))
            return false;
        }
        return true;
      });
  --BlockingDepth;
  return Found;
}

bool waitsForResult(FlowContext &Flow, const CXXMemberCallExpr *Call) {
  if (!Call || !Call->getMethodDecl())
    return false;
  if (isFutureWait(Call))
    return true;
  const CXXMethodDecl *M = Call->getMethodDecl();
  if (!M->getIdentifier() || M->getParent()->isInStdNamespace() ||
      !llvm::is_contained({"get", "wait", "join"}, M->getName()))
    return false;
  const FunctionDecl *Def = definitionOf(M);
  return Def && Flow.blocksCaller(Def);
}

/// What every path to a statement has waited for, and the objects some path
/// handed callables to without waiting on them since.
struct HandOffState {
  PathSet Pending;
  bool Waited = false;
  bool operator==(const HandOffState &O) const {
    return Waited == O.Waited && samePaths(Pending, O.Pending);
  }
};

class HandOffFlow : public ForwardAnalysis<HandOffFlow, HandOffState> {
public:
  HandOffFlow(FlowContext &Flow, HandOffWaits &Out, const TaskTracker &Tasks,
              const FunctionDecl *FD)
      : Flow(Flow), Out(Out), Tasks(Tasks) {
    // The hand-offs, and the objects they hand callables to.
    walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
      if (!Obj ||
          llvm::none_of(MC->arguments(),
                        [](const Expr *A) { return isCallableArgument(A); }) ||
          Flow.taskStarts(MC).empty())
        return true;
      if (std::optional<ObjectPath> O = objectPathOf(Obj)) {
        insertPath(Targets, *O);
        Out.HandOffs.insert(MC);
      }
      return true;
    });
  }

  HandOffState initialState() { return {}; }
  void join(HandOffState &Into, const HandOffState &From) {
    unitePaths(Into.Pending, From.Pending);
    Into.Waited = Into.Waited && From.Waited;
  }

  void transfer(const CFGElement &E, HandOffState &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (reporting()) {
      bool Now = S.Waited && S.Pending.empty();
      auto [It, New] = Out.After.try_emplace(St, Now);
      if (!New)
        It->second = It->second && Now;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St))
      if (std::optional<ObjectPath> O =
              MC->getImplicitObjectArgument()
                  ? objectPathOf(MC->getImplicitObjectArgument())
                  : std::nullopt) {
        if (Out.HandOffs.count(MC)) {
          insertPath(S.Pending, *O);
          return;
        }
        // (Whether O is pending on this path does not matter for Waited:
        // the transfer stays monotone while the fixpoint grows Pending.)
        if (llvm::is_contained(Targets, *O) && blockingCall(Flow, MC)) {
          erasePath(S.Pending, *O);
          S.Waited = true;
          return;
        }
      }
    // A task's handle joined or waited on.
    Events.clear();
    effectsOf(Flow, St, ThreadFamily | SyncFamily, Events);
    for (const EffectEvent &Ev : Events)
      if (Ev.Effect & Waits)
        for (unsigned I = 0, N = Tasks.tasks().size(); I != N; ++I)
          if (Tasks.handleOf(I) && *Tasks.handleOf(I) == Ev.Path)
            S.Waited = true;
  }

private:
  FlowContext &Flow;
  HandOffWaits &Out;
  const TaskTracker &Tasks;
  PathSet Targets;
  llvm::SmallVector<EffectEvent, 4> Events;
};

HandOffWaits::HandOffWaits(FlowContext &Flow, const FlowGraph &G,
                           const TaskTracker &Tasks) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(G.decl());
  if (!FD || !FD->getBody())
    return;
  HandOffFlow F(Flow, *this, Tasks, FD);
  F.modelExceptions(Flow.throws());
  Valid = runForward(G, F);
}

bool HandOffWaits::orderedAfter(const Stmt *S) const {
  if (!Valid)
    return false;
  auto It = After.find(S);
  return It != After.end() && It->second;
}

// --- completed waits for atomics -----------------------------------------

namespace {

bool hasWait(llvm::ArrayRef<AtomicSpin> Ws, const AtomicSpin &W) {
  return llvm::any_of(Ws, [&](const AtomicSpin &X) {
    return X.Object == W.Object && X.Op == W.Op && X.Value == W.Value;
  });
}

/// Keeps in \p Into the waits also in \p From.
void keepCommon(llvm::SmallVectorImpl<AtomicSpin> &Into,
                llvm::ArrayRef<AtomicSpin> From) {
  llvm::erase_if(Into, [&](const AtomicSpin &W) { return !hasWait(From, W); });
}

/// The waits the predicate \p Callable (a lambda, or a local variable
/// initialised with one) ends when it returns true: the conditions every
/// `return` of its body that does not return a constant false states.
llvm::SmallVector<AtomicSpin, 2> predicateWaits(const Expr *Callable,
                                                const ASTContext &Ctx) {
  llvm::SmallVector<AtomicSpin, 2> Out;
  const Expr *E = skipMovesAndCopies(Callable);
  if (const auto *D = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(D->getDecl());
        V && V->hasLocalStorage() && V->getInit())
      E = skipMovesAndCopies(V->getInit()); // a closure is never reassigned
  const auto *L = dyn_cast_or_null<LambdaExpr>(E);
  if (!L || !L->getBody())
    return Out;
  bool First = true;
  walkOutsideLambdas(L->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return true;
    bool Value = true;
    if (const Expr *V = R->getRetValue();
        V && !V->isValueDependent() &&
        V->EvaluateAsBooleanCondition(Value, Ctx) && !Value)
      return true; // a false return ends no wait
    llvm::SmallVector<AtomicSpin, 2> Here =
        atomicConditions(R->getRetValue(), Ctx);
    if (First)
      Out = Here;
    else
      keepCommon(Out, Here);
    First = false;
    return !Out.empty();
  });
  return Out;
}

struct AtomicWaitState {
  llvm::SmallVector<AtomicSpin, 2> Done;
  bool operator==(const AtomicWaitState &O) const {
    return Done.size() == O.Done.size() &&
           llvm::all_of(
               Done, [&](const AtomicSpin &W) { return hasWait(O.Done, W); });
  }
  void add(llvm::ArrayRef<AtomicSpin> Ws) {
    for (const AtomicSpin &W : Ws)
      if (!hasWait(Done, W))
        Done.push_back(W);
  }
};

} // namespace

class AtomicWaitFlow : public ForwardAnalysis<AtomicWaitFlow, AtomicWaitState> {
public:
  AtomicWaitFlow(FlowContext &Flow, CompletedAtomicWaits &Out)
      : Flow(Flow), Out(Out), Ctx(Flow.astContext()) {}

  AtomicWaitState initialState() { return {}; }
  void join(AtomicWaitState &Into, const AtomicWaitState &From) {
    keepCommon(Into.Done, From.Done);
  }

  void transfer(const CFGElement &E, AtomicWaitState &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (reporting()) {
      auto [It, New] = Out.At.try_emplace(St, S.Done);
      if (!New)
        keepCommon(It->second, S.Done);
    }
    const auto *Call = dyn_cast<CallExpr>(St);
    if (Call && checkedResult(Call))
      S.add(waitsOf(Call));
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, AtomicWaitState &S) {
    // A spin loop left by its condition.
    if (std::optional<AtomicSpin> W =
            atomicSpinWait(B.getTerminatorStmt(), Ctx);
        W && Succ == 1) {
      S.add(*W);
      return;
    }
    // The branch on which a polling wait returned true.
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    const auto *Call =
        Cond ? dyn_cast<CallExpr>(Cond->IgnoreParenImpCasts()) : nullptr;
    if (Call && Succ == (Negated ? 1u : 0u))
      S.add(waitsOf(Call));
  }

private:
  llvm::ArrayRef<AtomicSpin> waitsOf(const CallExpr *Call) {
    auto It = Out.Polls.find(Call);
    return It == Out.Polls.end() ? llvm::ArrayRef<AtomicSpin>()
                                 : llvm::ArrayRef<AtomicSpin>(It->second);
  }

  /// True if the result of \p Call is checked where it is made: handed to
  /// a `bool` parameter, or in an AssertionMacros macro.
  bool checkedResult(const CallExpr *Call) {
    if (Flow.throws().inAssertionMacro(Call->getBeginLoc(),
                                       Ctx.getSourceManager()))
      return true;
    const Stmt *P = Call;
    do
      P = Out.G.parent(P);
    while (isa_and_nonnull<ParenExpr, ImplicitCastExpr>(P));
    const auto *User = dyn_cast_or_null<CallExpr>(P);
    const Expr *Arg = Call;
    for (const Stmt *Q = Out.G.parent(Call); Q != P; Q = Out.G.parent(Q))
      Arg = cast<Expr>(Q);
    const ParmVarDecl *Param = User ? paramForArg(User, Arg) : nullptr;
    return Param && Param->getType()->isBooleanType();
  }

  FlowContext &Flow;
  CompletedAtomicWaits &Out;
  const ASTContext &Ctx;
};

CompletedAtomicWaits::CompletedAtomicWaits(FlowContext &Flow,
                                           const FlowGraph &G)
    : G(G) {
  // The waits first: most functions make none, and need no dataflow.
  const ASTContext &Ctx = Flow.astContext();
  walkOutsideLambdas(G.body(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (isLoopStmt(S) && atomicSpinWait(S, Ctx))
      Any = true;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || llvm::none_of(Call->arguments(), [](const Expr *A) {
          return isCallableArgument(A);
        }))
      return true;
    if (const Expr *Pred = polledCallable(Call)) {
      llvm::SmallVector<AtomicSpin, 2> W = predicateWaits(Pred, Ctx);
      if (!W.empty()) {
        Polls[Call] = std::move(W);
        Any = true;
      }
    }
    return true;
  });
  if (!Any)
    return;
  AtomicWaitFlow F(Flow, *this);
  F.modelExceptions(Flow.throws());
  Valid = runForward(G, F);
}

llvm::ArrayRef<AtomicSpin> CompletedAtomicWaits::before(const Stmt *S) const {
  if (!Valid || !Any)
    return {};
  for (unsigned Hops = 0; S && Hops != 64; ++Hops, S = G.parent(S))
    if (auto It = At.find(S); It != At.end())
      return It->second;
  return {};
}

} // namespace pitfall
