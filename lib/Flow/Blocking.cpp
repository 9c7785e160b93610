//===--- Blocking.cpp -----------------------------------------------------===//
#include "pitfall/Flow/Blocking.h"

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

} // namespace pitfall
