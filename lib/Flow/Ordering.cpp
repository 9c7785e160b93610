//===--- Ordering.cpp -----------------------------------------------------===//
#include "pitfall/Flow/Ordering.h"

#include "pitfall/Core/ScopeExit.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

ObjectPath eventObject(const ObjectPath &P) {
  ObjectPath Out = P;
  for (unsigned Hops = 0; Hops != 4; ++Hops) {
    const auto *V = dyn_cast_or_null<VarDecl>(Out.Root);
    if (!Out.Fields.empty() || !V || !V->hasLocalStorage() || !V->getInit())
      break;
    const auto *MC =
        dyn_cast<CXXMemberCallExpr>(skipMovesAndCopies(V->getInit()));
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier() ||
        (M->getName() != "get_future" && M->getName() != "share"))
      break;
    std::optional<ObjectPath> From =
        objectPathOf(MC->getImplicitObjectArgument());
    if (!From)
      break;
    Out = *From;
  }
  return Out;
}

std::optional<ObjectPath> taskEndEvent(const TaskStart &T) {
  const Expr *Callable = skipMovesAndCopies(T.Callable);
  if (!Callable)
    return std::nullopt;
  const CXXRecordDecl *RD = recordOf(Callable->getType());
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier() ||
      RD->getName() != "packaged_task")
    return std::nullopt;
  return objectPathOf(Callable);
}

bool meets(llvm::ArrayRef<ObjectPath> Signalled,
           llvm::ArrayRef<ObjectPath> Waited) {
  for (const ObjectPath &S : Signalled) {
    ObjectPath SE = eventObject(S);
    for (const ObjectPath &W : Waited)
      if (eventObject(W) == SE)
        return true;
  }
  return false;
}

namespace {

struct ObjectSet {
  SyncObjects Objects;
  bool operator==(const ObjectSet &O) const {
    return samePaths(Objects, O.Objects);
  }
};

using Record = llvm::DenseMap<const Stmt *, SyncObjects>;

/// The callable destroying \p V certainly runs (a scope guard whose
/// destructor calls it unconditionally, or under a flag only a constructor
/// clears, and that the function never hands on), or null.
const Expr *heldCallableRun(const VarDecl *V, const FlowGraph &G) {
  std::optional<ScopeExitCallable> C = scopeExitCallableOf(V);
  return C && C->Call.Certain && G.body() && !handsOn(V, G.body()) ? C->Callable
                                                                   : nullptr;
}

/// One step of either analysis over \p E: records the objects \p S holds at
/// \p E's statement (while reporting, when there are any), then adds those
/// \p E waits on or signals (\p Bits). The destruction of a scope guard
/// that certainly runs its callable does what the callable does.
void step(FlowContext &Flow, const FlowGraph &G, const CFGElement &E,
          uint32_t Bits, bool Reporting, Record &Out, ObjectSet &S) {
  llvm::SmallVector<EffectEvent, 4> Events;
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    if (const Expr *Callable = heldCallableRun(D->getVarDecl(), G))
      if (!heldCallableEffects(Flow, Callable, SyncFamily, Events))
        destructorEffects(Flow, D->getVarDecl(), SyncFamily, Events);
  } else if (auto CS = E.getAs<CFGStmt>()) {
    if (Reporting && !S.Objects.empty())
      Out[CS->getStmt()] = S.Objects;
    effectsOf(Flow, CS->getStmt(), SyncFamily, Events);
  }
  for (const EffectEvent &Ev : Events)
    if (Ev.Effect & Bits)
      insertPath(S.Objects, eventObject(Ev.Path));
}

/// Forward: what every path to a statement waited on; while reporting, the
/// relays (what was waited on before each signal).
class WaitFlow : public ForwardAnalysis<WaitFlow, ObjectSet> {
public:
  WaitFlow(FlowContext &Flow, Record &Out,
           llvm::SmallVectorImpl<SyncOrder::Relay> &Relays)
      : Flow(Flow), Out(Out), Relays(Relays) {}

  ObjectSet initialState() { return {}; }
  void join(ObjectSet &Into, const ObjectSet &From) {
    intersectPaths(Into.Objects, From.Objects);
  }
  void transfer(const CFGElement &E, ObjectSet &S) {
    if (reporting()) {
      // The signals of this element, with what was waited on before.
      ObjectSet Signals;
      Record Ignored;
      step(Flow, graph(), E, pitfall::Signals | Arrives, false, Ignored,
           Signals);
      for (const ObjectPath &P : Signals.Objects)
        relay(P, S.Objects);
    }
    step(Flow, graph(), E, Waits, reporting(), Out, S);
  }

private:
  void relay(const ObjectPath &P, llvm::ArrayRef<ObjectPath> Before) {
    for (SyncOrder::Relay &R : Relays)
      if (R.Signalled == P) {
        SyncObjects B(Before.begin(), Before.end());
        intersectPaths(R.WaitedBefore, B);
        return;
      }
    Relays.push_back({P, SyncObjects(Before.begin(), Before.end())});
  }

  FlowContext &Flow;
  Record &Out;
  llvm::SmallVectorImpl<SyncOrder::Relay> &Relays;
};

/// A variable declared (again, in a loop) or destroyed at \p E is a new
/// object: what was signalled of the last one is not signalled of it.
void forgetRenewed(const CFGElement &E, ObjectSet &S) {
  auto Forget = [&](const VarDecl *V) {
    if (V)
      llvm::erase_if(S.Objects,
                     [&](const ObjectPath &P) { return P.Root == V; });
  };
  if (auto D = E.getAs<CFGAutomaticObjDtor>())
    Forget(D->getVarDecl());
  else if (auto CS = E.getAs<CFGStmt>())
    if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt()))
      for (const Decl *D : DS->decls())
        Forget(dyn_cast<VarDecl>(D));
}

/// Forward: what some path to a statement signalled.
class MaySignalFlow : public ForwardAnalysis<MaySignalFlow, ObjectSet> {
public:
  MaySignalFlow(FlowContext &Flow, Record &Out) : Flow(Flow), Out(Out) {}

  ObjectSet initialState() { return {}; }
  void join(ObjectSet &Into, const ObjectSet &From) {
    unitePaths(Into.Objects, From.Objects);
  }
  void transfer(const CFGElement &E, ObjectSet &S) {
    forgetRenewed(E, S);
    step(Flow, graph(), E, Signals | Arrives, reporting(), Out, S);
  }

private:
  FlowContext &Flow;
  Record &Out;
};

/// Backward: what every path from a statement signals.
class SignalFlow : public BackwardAnalysis<SignalFlow, ObjectSet> {
public:
  SignalFlow(FlowContext &Flow, Record &Out) : Flow(Flow), Out(Out) {}

  ObjectSet exitState() { return {}; }
  void join(ObjectSet &Into, const ObjectSet &From) {
    intersectPaths(Into.Objects, From.Objects);
  }
  void transfer(const CFGElement &E, ObjectSet &S) {
    forgetRenewed(E, S);
    step(Flow, graph(), E, Signals | Arrives, reporting(), Out, S);
  }

private:
  FlowContext &Flow;
  Record &Out;
};

} // namespace

SyncOrder::SyncOrder(FlowContext &Flow, const FlowGraph &G) {
  WaitFlow W(Flow, Waited, Relays);
  W.modelExceptions(Flow.throws());
  runForward(G, W);
  MaySignalFlow M(Flow, MaySignalled);
  M.modelExceptions(Flow.throws());
  runForward(G, M);
  SignalFlow S(Flow, Signalled);
  BackwardSolver<SignalFlow> Solver(G, S);
  if (Solver.solve())
    Solver.report();
}

llvm::ArrayRef<ObjectPath> SyncOrder::waitedBefore(const Stmt *S) const {
  auto It = Waited.find(S);
  return It == Waited.end() ? llvm::ArrayRef<ObjectPath>() : It->second;
}

llvm::ArrayRef<ObjectPath> SyncOrder::maySignalledBefore(const Stmt *S) const {
  auto It = MaySignalled.find(S);
  return It == MaySignalled.end() ? llvm::ArrayRef<ObjectPath>() : It->second;
}

SyncObjects waitClosure(llvm::ArrayRef<ObjectPath> Waited,
                        llvm::ArrayRef<SyncOrder::Relay> Relays) {
  SyncObjects Out;
  for (const ObjectPath &P : Waited)
    insertPath(Out, eventObject(P));
  for (unsigned I = 0; I != Out.size(); ++I) {
    // What every signaller of Out[I] waited on before signalling it.
    std::optional<SyncObjects> Before;
    for (const SyncOrder::Relay &R : Relays) {
      if (eventObject(R.Signalled) != Out[I])
        continue;
      SyncObjects B;
      for (const ObjectPath &W : R.WaitedBefore)
        insertPath(B, eventObject(W));
      if (!Before)
        Before = std::move(B);
      else
        intersectPaths(*Before, B);
    }
    if (Before)
      for (const ObjectPath &W : *Before)
        insertPath(Out, W);
  }
  return Out;
}

llvm::ArrayRef<ObjectPath> SyncOrder::signalledAfter(const Stmt *S) const {
  auto It = Signalled.find(S);
  return It == Signalled.end() ? llvm::ArrayRef<ObjectPath>() : It->second;
}

} // namespace pitfall
