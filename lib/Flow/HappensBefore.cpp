//===--- HappensBefore.cpp ------------------------------------------------===//
#include "pitfall/Flow/HappensBefore.h"

#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

namespace {

/// The variable (or object) that receives the value of \p E: `T v = E;`,
/// `v = E;`, `c.emplace_back(...)` (the container), `c.push_back(E)`.
std::optional<ObjectPath> receiverOf(const Expr *E, const FlowGraph &G) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && M->getIdentifier() && M->getName().starts_with("emplace"))
      return objectPathOf(MC->getImplicitObjectArgument());
  const Stmt *Child = E;
  for (const Stmt *P = G.parent(E); P; Child = P, P = G.parent(P)) {
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit() == Child) {
          ObjectPath Out;
          Out.Kind = V->hasLocalStorage() ? RootKind::Local : RootKind::Global;
          Out.Root = V;
          return Out;
        }
      return std::nullopt;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          OC->getArg(1) == Child)
        return objectPathOf(OC->getArg(0));
      return std::nullopt;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() &&
          (M->getName().starts_with("push") || M->getName() == "insert"))
        return objectPathOf(MC->getImplicitObjectArgument());
      return std::nullopt;
    }
    const auto *Sub = dyn_cast<Expr>(P);
    if (!Sub ||
        skipMovesAndCopies(Sub) != skipMovesAndCopies(cast<Expr>(Child)))
      if (!isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
               ImplicitCastExpr, ParenExpr, CXXConstructExpr,
               CXXFunctionalCastExpr>(P))
        return std::nullopt;
  }
  return std::nullopt;
}

using Running = llvm::BitVector;

} // namespace

class TaskFlow : public ForwardAnalysis<TaskFlow, Running> {
public:
  explicit TaskFlow(TaskTracker &T) : T(T) {}

  Running initialState() { return Running(T.Tasks.size()); }
  void join(Running &Into, const Running &From) { Into |= From; }

  void transfer(const CFGElement &E, Running &S) {
    if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *V = D->getVarDecl();
      record(T.RunningAtDeath[V], S);
      Events.clear();
      destructorEffects(T.Flow, V, ThreadFamily | SyncFamily, Events);
      ObjectPath Self;
      Self.Kind = RootKind::Local;
      Self.Root = V;
      // A jthread or a std::async future joins or waits when destroyed.
      for (unsigned I = 0, N = T.Tasks.size(); I != N; ++I)
        if (T.Handles[I] && *T.Handles[I] == Self &&
            (T.Tasks[I].Kind == TaskKind::JoiningThread ||
             T.Tasks[I].Kind == TaskKind::Async))
          S.reset(I);
      complete(S);
      // An executor destroyed: if its destructor joins or waits, its tasks
      // are done.
      for (const EffectEvent &Ev : Events)
        if (Ev.Effect & (JoinsThread | Waits))
          for (unsigned I = 0, N = T.Tasks.size(); I != N; ++I)
            if (T.Executors[I] && T.Executors[I]->Root == V)
              S.reset(I);
      return;
    }
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (reporting())
      record(T.RunningAt[St], S);
    Events.clear();
    effectsOf(T.Flow, St, ThreadFamily | SyncFamily, Events);
    complete(S);
    if (const auto *Ex = dyn_cast<Expr>(St)) {
      int I = T.taskAt(Ex);
      if (I >= 0) {
        // std::async's future discarded: its destructor waits at once.
        if (T.Tasks[I].Kind == TaskKind::Async && !T.Handles[I])
          return;
        S.set(I);
      }
    }
  }

  void unwind(const VarDecl *V, const Stmt *, Running &S) {
    record(T.RunningAtDeath[V], S);
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, Running &S) {
    if (std::optional<ObjectPath> C = containerReleasedOnEdge(T.Flow, B, Succ))
      for (unsigned I = 0, N = T.Tasks.size(); I != N; ++I)
        if (T.Handles[I] && *T.Handles[I] == *C)
          S.reset(I);
  }

private:
  void record(Running &Into, const Running &S) {
    if (!reporting())
      return;
    if (Into.size() != S.size())
      Into.resize(S.size());
    Into |= S;
  }

  /// The events of the current element that end tasks.
  void complete(Running &S) {
    for (const EffectEvent &Ev : Events) {
      bool Joins = (Ev.Effect & JoinsThread) && !(Ev.Effect & DetachesThread);
      bool Waits = Ev.Effect & pitfall::Waits;
      if (!Joins && !Waits)
        continue;
      for (unsigned I = 0, N = T.Tasks.size(); I != N; ++I) {
        if (!S.test(I))
          continue;
        if (T.Handles[I] && *T.Handles[I] == Ev.Path)
          S.reset(I);
        else if (Waits && llvm::is_contained(T.Signalled[I], Ev.Path))
          S.reset(I);
        else if (T.Executors[I] && Ev.Path.startsWith(*T.Executors[I]) &&
                 Ev.FromSummary)
          S.reset(I); // pool.wait(), pool.join(): drains the executor
      }
    }
  }

  TaskTracker &T;
  llvm::SmallVector<EffectEvent, 4> Events;
};

TaskTracker::TaskTracker(FlowContext &Flow, const FlowGraph &G)
    : Flow(Flow), G(G) {
  llvm::SmallVector<const Stmt *, 64> Work{G.body()};
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(G.decl()))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      Work.push_back(Init->getInit());
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<CallExpr, CXXConstructExpr>(E))
      for (const TaskStart &TS : Flow.taskStarts(E))
        Tasks.push_back(TS);
    llvm::append_range(Work, S->children());
  }
  const SourceManager &SM = G.context().getSourceManager();
  llvm::sort(Tasks, [&](const TaskStart &A, const TaskStart &B) {
    return SM.isBeforeInTranslationUnit(A.Site->getBeginLoc(),
                                        B.Site->getBeginLoc());
  });
  for (const TaskStart &TS : Tasks) {
    Handles.push_back(receiverOf(TS.Site, G));
    Executors.push_back(TS.Executor ? objectPathOf(TS.Executor) : std::nullopt);
    // What the task's body counts down, arrives at or signals.
    llvm::SmallVector<ObjectPath, 2> Sig;
    if (const FunctionSummary *S =
            TS.Target ? Flow.summaries().get(TS.Target.Fn, SyncFamily)
                      : nullptr)
      for (const SlotEffect &E : S->Slots)
        if (E.Effects & (Arrives | Signals))
          if (std::optional<ObjectPath> P =
                  mapToCaller(E.Slot, nullptr, TS.Target.BoundObject, S))
            Sig.push_back(*P);
    Signalled.push_back(std::move(Sig));
  }
  RunningAtExit.resize(Tasks.size());
  if (Tasks.empty())
    return;
  TaskFlow A(*this);
  A.modelExceptions(Flow.throws());
  ForwardSolver<TaskFlow> Solver(G, A);
  if (!Solver.solve())
    return;
  Solver.report();
  if (Solver.normalExit())
    RunningAtExit |= *Solver.normalExit();
  if (Solver.exceptionalExit())
    RunningAtExit |= *Solver.exceptionalExit();
  Valid = true;
}

int TaskTracker::taskAt(const Expr *Site) const {
  for (unsigned I = 0, N = Tasks.size(); I != N; ++I)
    if (Tasks[I].Site == Site)
      return static_cast<int>(I);
  return -1;
}

bool TaskTracker::mayBeRunningAt(unsigned I, const Stmt *At) const {
  if (!Valid)
    return true;
  auto It = RunningAt.find(At);
  return It != RunningAt.end() && It->second.size() > I && It->second.test(I);
}

bool TaskTracker::mayOutlive(unsigned I, const VarDecl *V) const {
  if (!Valid)
    return true;
  auto It = RunningAtDeath.find(V);
  if (It != RunningAtDeath.end() && It->second.size() > I && It->second.test(I))
    return true;
  // A variable that is never destroyed in this function (a static, or one
  // of an enclosing function captured by a lambda) outlives the return.
  return It == RunningAtDeath.end() && !V->hasLocalStorage() &&
         mayRunAfterReturn(I);
}

bool TaskTracker::mayRunAfterReturn(unsigned I) const {
  return !Valid || (RunningAtExit.size() > I && RunningAtExit.test(I));
}

} // namespace pitfall
