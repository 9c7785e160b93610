//===--- Ordering.cpp -----------------------------------------------------===//
#include "pitfall/Flow/Ordering.h"

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

void insert(SyncObjects &S, const ObjectPath &P) {
  ObjectPath E = eventObject(P);
  if (!llvm::is_contained(S, E))
    S.push_back(E);
}

void intersect(SyncObjects &Into, const SyncObjects &From) {
  llvm::erase_if(
      Into, [&](const ObjectPath &P) { return !llvm::is_contained(From, P); });
}

struct ObjectSet {
  SyncObjects Objects;
  bool operator==(const ObjectSet &O) const {
    return Objects.size() == O.Objects.size() &&
           llvm::all_of(Objects, [&](const ObjectPath &P) {
             return llvm::is_contained(O.Objects, P);
           });
  }
};

/// The effects of one element with any of \p Bits, as objects.
void objectsOf(FlowContext &Flow, const CFGElement &E, uint32_t Bits,
               llvm::SmallVectorImpl<EffectEvent> &Events, SyncObjects &Out) {
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  Events.clear();
  effectsOf(Flow, CS->getStmt(), SyncFamily, Events);
  for (const EffectEvent &Ev : Events)
    if (Ev.Effect & Bits)
      insert(Out, Ev.Path);
}

/// Forward: what every path to a statement waited on.
class WaitFlow : public ForwardAnalysis<WaitFlow, ObjectSet> {
public:
  WaitFlow(FlowContext &Flow, llvm::DenseMap<const Stmt *, SyncObjects> &Record)
      : Flow(Flow), Record(Record) {}

  ObjectSet initialState() { return {}; }
  void join(ObjectSet &Into, const ObjectSet &From) {
    intersect(Into.Objects, From.Objects);
  }
  void transfer(const CFGElement &E, ObjectSet &S) {
    if (reporting() && !S.Objects.empty())
      if (auto CS = E.getAs<CFGStmt>())
        Record[CS->getStmt()] = S.Objects;
    objectsOf(Flow, E, Waits, Events, S.Objects);
  }

private:
  FlowContext &Flow;
  llvm::DenseMap<const Stmt *, SyncObjects> &Record;
  llvm::SmallVector<EffectEvent, 4> Events;
};

/// Backward: what every path from a statement signals.
class SignalFlow : public BackwardAnalysis<SignalFlow, ObjectSet> {
public:
  SignalFlow(FlowContext &Flow,
             llvm::DenseMap<const Stmt *, SyncObjects> &Record)
      : Flow(Flow), Record(Record) {}

  ObjectSet exitState() { return {}; }
  void join(ObjectSet &Into, const ObjectSet &From) {
    intersect(Into.Objects, From.Objects);
  }
  void transfer(const CFGElement &E, ObjectSet &S) {
    if (reporting() && !S.Objects.empty())
      if (auto CS = E.getAs<CFGStmt>())
        Record[CS->getStmt()] = S.Objects;
    objectsOf(Flow, E, Signals | Arrives, Events, S.Objects);
  }

private:
  FlowContext &Flow;
  llvm::DenseMap<const Stmt *, SyncObjects> &Record;
  llvm::SmallVector<EffectEvent, 4> Events;
};

} // namespace

SyncOrder::SyncOrder(FlowContext &Flow, const FlowGraph &G) {
  WaitFlow W(Flow, Waited);
  W.modelExceptions(Flow.throws());
  runForward(G, W);
  SignalFlow S(Flow, Signalled);
  BackwardSolver<SignalFlow> Solver(G, S);
  if (Solver.solve())
    Solver.report();
}

llvm::ArrayRef<ObjectPath> SyncOrder::waitedBefore(const Stmt *S) const {
  auto It = Waited.find(S);
  return It == Waited.end() ? llvm::ArrayRef<ObjectPath>() : It->second;
}

llvm::ArrayRef<ObjectPath> SyncOrder::signalledAfter(const Stmt *S) const {
  auto It = Signalled.find(S);
  return It == Signalled.end() ? llvm::ArrayRef<ObjectPath>() : It->second;
}

} // namespace pitfall
