//===--- HappensBefore.cpp ------------------------------------------------===//
#include "pitfall/Flow/HappensBefore.h"

#include "pitfall/Compat.h"
#include "pitfall/Core/Cancellation.h"
#include "pitfall/Core/ThreadIdentity.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/Blocking.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/PathFacts.h"
#include "pitfall/Flow/PoolDrain.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

namespace {

/// The expressions between a value and what receives it.
bool passesValueThrough(const Stmt *P, const Stmt *Child) {
  if (isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
          ImplicitCastExpr, ParenExpr, CXXConstructExpr, CXXFunctionalCastExpr>(
          P))
    return true;
  const auto *Sub = dyn_cast<Expr>(P);
  return Sub && isa<Expr>(Child) &&
         skipMovesAndCopies(Sub) == skipMovesAndCopies(cast<Expr>(Child));
}

bool isStoringMember(const CXXMethodDecl *M) {
  return M && M->getIdentifier() &&
         (M->getName().starts_with("push") ||
          M->getName().starts_with("emplace") || M->getName() == "insert");
}

/// The variable (or object) that receives the value of \p E: `T v = E;`,
/// `v = E;`, `c.emplace_back(...)` (the container), `c.push_back(E)`, an
/// element of a built-in array whose initialiser lists it (`std::thread
/// ts[]{E, ...}`: the array, as an element, and \p Index the position); \p At
/// is set to the statement that stores it.
std::optional<ObjectPath> receiverOf(const Expr *E, const FlowGraph &G,
                                     const Stmt *&At,
                                     std::optional<uint64_t> *Index = nullptr) {
  At = nullptr;
  std::optional<uint64_t> InArray;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && M->getIdentifier() && M->getName().starts_with("emplace")) {
      At = MC;
      return objectPathOf(MC->getImplicitObjectArgument());
    }
  const Stmt *Child = E;
  for (const Stmt *P = G.parent(E); P; Child = P, P = G.parent(P)) {
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit() == Child) {
          ObjectPath Out;
          Out.Kind = V->hasLocalStorage() ? RootKind::Local : RootKind::Global;
          Out.Root = V;
          Out.Element = InArray.has_value();
          if (Index)
            *Index = InArray;
          At = DS;
          return Out;
        }
      return std::nullopt;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          OC->getArg(1) == Child) {
        At = OC;
        return objectPathOf(OC->getArg(0));
      }
      return std::nullopt;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
      if (isStoringMember(MC->getMethodDecl()) &&
          MC->getImplicitObjectArgument() != Child) {
        At = MC;
        return objectPathOf(MC->getImplicitObjectArgument());
      }
      return std::nullopt;
    }
    // An element of the initialiser of a built-in array (once: not an
    // array of arrays).
    if (const auto *IL = dyn_cast<InitListExpr>(P)) {
      if (InArray || !IL->getType()->isConstantArrayType())
        return std::nullopt;
      for (unsigned I = 0, N = IL->getNumInits(); I != N; ++I)
        if (IL->getInit(I) == Child)
          InArray = I;
      if (!InArray)
        return std::nullopt;
      continue;
    }
    if (!passesValueThrough(P, Child))
      return std::nullopt;
  }
  return std::nullopt;
}

/// The constant index of the built-in array element whose member \p Site
/// calls (`ts[1].join()`), if it is one.
std::optional<uint64_t> calledElementIndex(const Stmt *Site,
                                           const ASTContext &Ctx) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Site);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  const auto *AS =
      Obj ? dyn_cast<ArraySubscriptExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
  Expr::EvalResult R;
  if (!AS || AS->getIdx()->isValueDependent() ||
      !AS->getIdx()->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getZExtValue();
}

/// The member call or co_await that waits, in place, for the result of the
/// call \p Site: `pool.submit(f).get()`, `co_await co_spawn(ex, t(), ...)`.
const Stmt *waitedInPlace(FlowContext &Flow, const Expr *Site,
                          const FlowGraph &G) {
  // Through a smart pointer to the result (`post(f)->get()`).
  bool Arrow = false;
  for (const Stmt *P = G.parent(Site); P; P = G.parent(P)) {
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
        OC && OC->getOperator() == OO_Arrow) {
      if (OC->getNumArgs() != 1 || Arrow)
        return nullptr;
      Arrow = true;
      continue;
    }
    if (isa<CoawaitExpr>(P))
      return P;
    // The parent map gives an awaited operand the co_await's shared
    // operand value as its parent, whose parents are the awaiter's calls
    // (await_ready, ...): the co_await is the one whose value it is.
    if (const auto *OVE = dyn_cast<OpaqueValueExpr>(P)) {
      for (const Stmt *A = G.parent(OVE); A; A = G.parent(A))
        if (const auto *Await = dyn_cast<CoawaitExpr>(A)) {
          if (Await->getOpaqueValue() == OVE)
            return Await;
          break;
        }
      return nullptr;
    }
    // What the coroutine awaits may go through its promise's
    // `await_transform` and an `operator co_await` first (async_simple's
    // Lazy): their result is the same co_await's awaiter.
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee &&
          (Callee->getOverloadedOperator() == OO_Coawait ||
           (Callee->getIdentifier() && Callee->getName() == "await_transform")))
        continue;
      return nullptr;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(G.parent(ME));
      const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      // The future-like result's blocking members; through a smart
      // pointer, a member that waits (Blocking.h: a future's API, a get()
      // whose body blocks).
      if (Arrow)
        return Call && waitsForResult(Flow, Call) ? Call : nullptr;
      if (Call && M && M->getIdentifier() &&
          llvm::is_contained({"get", "wait", "join"}, M->getName()))
        return Call;
      return nullptr;
    }
    if (!isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ImplicitCastExpr, ParenExpr, OpaqueValueExpr>(P))
      return nullptr;
  }
  return nullptr;
}

/// The container whose every element is waited for or joined when control
/// takes the \p Succ-th edge out of \p B: the exit edge of a loop over
/// every element (containerOfElementLoopExit) whose body waits for (get(),
/// wait(), join(), a helper that does) the element. Detaching ends no task.
std::optional<ObjectPath> containerWaitedOnEdge(FlowContext &Flow,
                                                const FlowGraph &G,
                                                const CFGBlock &B,
                                                unsigned Succ) {
  return containerOfElementLoopExit(Flow, G, B, Succ, ThreadFamily | SyncFamily,
                                    Waits);
}

/// True if calling \p MC runs no code of the translation unit we could
/// summarise (a library executor, or one declared only).
bool withoutSummary(const CXXMemberCallExpr *MC, const SourceManager &SM) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  const FunctionDecl *Def = nullptr;
  return M && (!M->hasBody(Def) || SM.isInSystemHeader(Def->getLocation()));
}

/// True if \p Ev waits on an atomic (`done_.wait(false)`): it returns once
/// something changed the value and notified, which drains a pool only when
/// its workers do that after their tasks (drainSignals()).
bool waitsOnAtomic(const EffectEvent &Ev) {
  const ValueDecl *Leaf = Ev.Path.leaf();
  return Leaf && isAtomicType(Leaf->getType());
}

/// The objects of the pool \p TS submits to that its workers signal once
/// the task and every other in flight have run (PoolDrain.h): the members
/// of the executor's class the submit stores the callable in, read by a
/// worker that runs it, brings down the count of tasks in flight that the
/// submit raised, and signals.
void drainedBySignals(FlowContext &Flow, const TaskStart &TS,
                      const ObjectPath &Executor,
                      llvm::SmallVectorImpl<ObjectPath> &Out) {
  const auto *Submit =
      dyn_cast_or_null<CXXMethodDecl>(callSiteOf(TS.Site).Callee);
  const FunctionDecl *Def = nullptr;
  if (TS.Kind != TaskKind::Spawner || !Submit || !Submit->hasBody(Def))
    return;
  const FunctionSummary *S = Flow.summaries().get(Def, CallableFamily);
  if (!S)
    return;
  for (const SlotEffect &E : S->Slots) {
    if (!(E.Effects & RunsElsewhere) || !E.StoredIn ||
        E.StoredIn->Kind != RootKind::This || E.StoredIn->Fields.empty())
      continue;
    for (const FieldDecl *W : drainSignals(Flow, Submit->getParent(),
                                           E.StoredIn->Fields.front(), Def)) {
      ObjectPath P = Executor;
      P.Fields.push_back(W);
      if (!llvm::is_contained(Out, P))
        Out.push_back(std::move(P));
    }
  }
}

/// Per task, whether it may be running (bits [0, N)) and whether its handle
/// has let go of it on this path (detached, moved out: bits [N, 2N)); a last
/// bit, 2N, set once the path has ended in std::terminate.
using Running = llvm::BitVector;

/// True if the executor \p Ex is \p Obj, or is made from it (a strand or
/// an executor handle: `auto s = asio::make_strand(pool);`,
/// `pool.get_executor()`): draining \p Obj drains it too.
bool madeFrom(const ObjectPath &Ex, const ObjectPath &Obj, unsigned Hops = 2) {
  if (Ex == Obj)
    return true;
  const auto *V = dyn_cast_or_null<VarDecl>(Ex.Root);
  if (Hops == 0 || !Ex.Fields.empty() || !V || !V->hasLocalStorage() ||
      !V->getInit())
    return false;
  const Expr *Init = skipMovesAndCopies(V->getInit());
  llvm::SmallVector<const Expr *, 4> From;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Init))
    From.push_back(MC->getImplicitObjectArgument());
  if (const auto *Call = dyn_cast<CallExpr>(Init))
    From.append(Call->arg_begin(), Call->arg_end());
  else if (const auto *CE = dyn_cast<CXXConstructExpr>(Init))
    From.append(CE->arg_begin(), CE->arg_end());
  for (const Expr *E : From) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(skipMovesAndCopies(E)))
      E = MC->getImplicitObjectArgument(); // pool.get_executor()
    if (std::optional<ObjectPath> P = E ? objectPathOf(E) : std::nullopt)
      if (madeFrom(*P, Obj, Hops - 1))
        return true;
  }
  return false;
}

/// The store of an atomic local of the starting function that \p L
/// captures by reference and that is \p L's last action: the last
/// statement of its body, a seq_cst or release store, with no local of the
/// body destroyed after it (a guard's destructor may still touch the
/// captures). nullopt otherwise.
std::optional<AtomicStore> finalStore(const LambdaExpr *L,
                                      const ASTContext &Ctx) {
  const auto *Body = L ? dyn_cast_or_null<CompoundStmt>(L->getBody()) : nullptr;
  if (!Body || Body->body_empty())
    return std::nullopt;
  for (const Stmt *S : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl();
              RD && (!RD->hasDefinition() || !RD->hasTrivialDestructor()))
            return std::nullopt;
  const auto *E = dyn_cast<Expr>(Body->body_back());
  std::optional<AtomicStore> St = E ? atomicStore(E, Ctx) : std::nullopt;
  const auto *V = St ? dyn_cast_or_null<VarDecl>(St->Object) : nullptr;
  if (!V || !St->Releases || !V->hasLocalStorage())
    return std::nullopt;
  bool ByRef = llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
    return C.capturesVariable() && C.getCapturedVar() == V &&
           C.getCaptureKind() == LCK_ByRef;
  });
  return ByRef ? St : std::nullopt;
}

} // namespace

class TaskFlow : public ForwardAnalysis<TaskFlow, Running> {
public:
  explicit TaskFlow(TaskTracker &T) : T(T), N(T.Tasks.size()) {}

  Running initialState() { return Running(2 * N + 1); }
  void join(Running &Into, const Running &From) { Into |= From; }
  bool feasible(const Running &S) const { return !S.test(2 * N); }

  void transfer(const CFGElement &E, Running &S) {
    if (S.test(2 * N))
      return;
    if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      destroyed(D->getVarDecl(), S);
      return;
    }
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (T.EndAtFailedAssertions && isa<ReturnStmt>(St) &&
        T.Flow.throws().inAssertionMacro(
            St->getBeginLoc(), T.Flow.astContext().getSourceManager())) {
      S.set(2 * N); // the test failed here: nothing after it is asked about
      return;
    }
    if (reporting())
      record(T.RunningAt[St], S);
    Events.clear();
    effectsOf(T.Flow, St, ThreadFamily | SyncFamily, Events);
    complete(S);
    if (T.Spins)
      for (const AtomicSpin &W : T.Spins->before(St))
        for (unsigned I = 0; I != N; ++I)
          if (const std::optional<AtomicStore> &F = T.FinalStores[I];
              F && S.test(I) && F->Object == W.Object && endsWait(W, F->Value))
            S.reset(I); // the spin saw the task's last store
    for (unsigned I = 0; I != N; ++I) {
      if (T.WaitedAt[I] == St)
        S.reset(I);
      if (llvm::any_of(T.Moves[I],
                       [&](const auto &M) { return M.second == St; }))
        S.set(N + I); // the handle is moved out
    }
    drained(St, S);
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
    if (!S.test(2 * N))
      destroyed(V, S, /*Unwinding=*/true);
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, Running &S) {
    if (Succ != 1 || !B.getTerminatorStmt())
      return;
    auto [It, New] = WaitedOnExit.try_emplace(B.getTerminatorStmt());
    if (New)
      It->second = containerWaitedOnEdge(T.Flow, graph(), B, Succ);
    if (It->second)
      for (unsigned I = 0; I != N; ++I)
        if (handles(I, *It->second))
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

  /// True if \p P is task \p I's handle or an object it was moved into;
  /// for an element of an array of handles, not when \p Site calls another
  /// element of it.
  bool handles(unsigned I, const ObjectPath &P,
               const Stmt *Site = nullptr) const {
    if (T.Handles[I] && *T.Handles[I] == P) {
      std::optional<uint64_t> Called =
          T.HandleIndex[I] ? calledElementIndex(Site, T.Flow.astContext())
                           : std::nullopt;
      return !Called || *Called == *T.HandleIndex[I];
    }
    return llvm::any_of(T.Moves[I],
                        [&](const auto &M) { return M.first == P; });
  }

  /// \p V is destroyed (at the end of its scope, or by an exception).
  void destroyed(const VarDecl *V, Running &S, bool Unwinding = false) {
    record(T.RunningAtDeath[V], S);
    if (!Unwinding)
      record(T.RunningAtNormalDeath[V], S);
    Events.clear();
    destructorEffects(T.Flow, V, ThreadFamily | SyncFamily, Events);
    ObjectPath Self;
    Self.Kind = V->hasLocalStorage() ? RootKind::Local : RootKind::Global;
    Self.Root = V;
    for (unsigned I = 0; I != N; ++I) {
      if (!handles(I, Self))
        continue;
      // The handle let go of the task (detached, moved out) on this path.
      bool Primary = T.Handles[I] && *T.Handles[I] == Self;
      if (Primary && S.test(N + I))
        continue;
      // A jthread or a std::async future joins or waits when destroyed.
      if (T.Tasks[I].Kind == TaskKind::JoiningThread ||
          T.Tasks[I].Kind == TaskKind::Async)
        S.reset(I);
      // A joinable std::thread destroyed: std::terminate.
      else if (T.Tasks[I].Kind == TaskKind::Thread && S.test(I) && Primary)
        S.set(2 * N);
    }
    complete(S);
    // An executor destroyed: if its destructor joins or waits, its tasks
    // are done.
    for (const EffectEvent &Ev : Events)
      if (Ev.Effect & (JoinsThread | Waits))
        for (unsigned I = 0; I != N; ++I)
          if (T.Executors[I] && T.Executors[I]->Root == V)
            S.reset(I);
  }

  /// The events of the current element that end tasks. A join waits
  /// (JoinsThread | Waits); JoinsThread alone is a detach or a move, after
  /// which the handle no longer holds the task.
  /// A library executor drained or run to completion by name (`pool.join()`,
  /// `ctx.run()`: see classifyExecutorCall()); a project's own executor is
  /// drained through its summary (complete()).
  void drained(const Stmt *St, Running &S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(St);
    if (!MC || classifyExecutorCall(MC) == ExecutorOp::None ||
        !withoutSummary(MC, graph().context().getSourceManager()))
      return;
    std::optional<ObjectPath> Obj =
        objectPathOf(MC->getImplicitObjectArgument());
    if (!Obj)
      return;
    for (unsigned I = 0; I != N; ++I)
      if (T.Executors[I] && madeFrom(*T.Executors[I], *Obj))
        S.reset(I);
  }

  /// The events of the current element that end tasks.
  void complete(Running &S) {
    for (const EffectEvent &Ev : Events) {
      if ((Ev.Effect & JoinsThread) && !(Ev.Effect & pitfall::Waits))
        for (unsigned I = 0; I != N; ++I)
          if (T.Handles[I] && *T.Handles[I] == Ev.Path)
            S.set(N + I);
      if (!(Ev.Effect & pitfall::Waits))
        continue;
      SyncObjects Waited{Ev.Path};
      if (!T.Relays.empty())
        Waited = waitClosure(Waited, T.Relays);
      for (unsigned I = 0; I != N; ++I) {
        if (!S.test(I))
          continue;
        if (handles(I, Ev.Path, Ev.Site))
          S.reset(I);
        else if (llvm::is_contained(T.Signalled[I], Ev.Path) ||
                 (!T.Relays.empty() && meets(T.Signalled[I], Waited)))
          S.reset(I);
        else if (T.Executors[I] && Ev.Path.startsWith(*T.Executors[I]) &&
                 Ev.FromSummary && !waitsOnAtomic(Ev))
          S.reset(I); // pool.wait(), pool.join(): drains the executor
      }
    }
  }

  TaskTracker &T;
  const unsigned N;
  llvm::SmallVector<EffectEvent, 4> Events;
  /// Per range-for: the container its exit edge has waited for, if any.
  llvm::DenseMap<const Stmt *, std::optional<ObjectPath>> WaitedOnExit;
};

TaskTracker::TaskTracker(FlowContext &Flow, const FlowGraph &G,
                         bool SignalsEndTasks, bool EndAtFailedAssertions)
    : Flow(Flow), EndAtFailedAssertions(EndAtFailedAssertions) {
  llvm::SmallVector<const Expr *, 8> MovedValues;
  walkOutsideLambdas(G.decl(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<CallExpr, CXXConstructExpr, CXXUnresolvedConstructExpr>(E))
      llvm::append_range(Tasks, Flow.taskStarts(E));
    if (const auto *E = dyn_cast<Expr>(S); E && movedOperand(E))
      MovedValues.push_back(E);
    return true;
  });
  const SourceManager &SM = G.context().getSourceManager();
  llvm::sort(Tasks, [&](const TaskStart &A, const TaskStart &B) {
    return SM.isBeforeInTranslationUnit(A.Site->getBeginLoc(),
                                        B.Site->getBeginLoc());
  });
  for (const TaskStart &TS : Tasks) {
    const Stmt *At = nullptr;
    Handles.push_back(receiverOf(TS.Site, G, At, &HandleIndex.emplace_back()));
    HandleAt.push_back(At);
    Executors.push_back(TS.Executor ? objectPathOf(TS.Executor) : std::nullopt);
    WaitedAt.push_back(waitedInPlace(Flow, TS.Site, G));
    // Where the handle is moved: `ts.push_back(std::move(t))`, `o = move(t)`.
    Moves.emplace_back();
    if (const std::optional<ObjectPath> &H = Handles.back())
      for (const Expr *M : MovedValues)
        if (std::optional<ObjectPath> From = objectPathOf(movedOperand(M));
            From && *From == *H) {
          std::optional<ObjectPath> To = receiverOf(M, G, At);
          // Moved where we cannot follow: some object we cannot name.
          ObjectPath Unknown;
          Unknown.Kind = RootKind::Global;
          Moves.back().push_back({To ? *To : Unknown, At ? At : M});
        }
    // What the task's body counts down, arrives at or signals.
    llvm::SmallVector<ObjectPath, 2> Sig;
    if (const FunctionSummary *S =
            TS.Target && SignalsEndTasks
                ? Flow.summaries().get(TS.Target.Fn, SyncFamily)
                : nullptr)
      for (const SlotEffect &E : S->Slots)
        if (E.Effects & (Arrives | Signals))
          if (std::optional<ObjectPath> P = mapTaskSlot(TS, E.Slot))
            Sig.push_back(*P);
    if (Executors.back())
      drainedBySignals(Flow, TS, *Executors.back(), Sig);
    Signalled.push_back(std::move(Sig));
    FinalStores.push_back(SignalsEndTasks && TS.Kind != TaskKind::Thread
                              ? finalStore(TS.Target.Lambda, G.context())
                              : std::nullopt);
  }
  if (llvm::any_of(FinalStores, [](const auto &F) { return F.has_value(); }))
    Spins = std::make_shared<CompletedAtomicWaits>(Flow, G);
  RunningAtExit.resize(Tasks.size());
  RunningAtNormalExit.resize(Tasks.size());
  if (Tasks.empty())
    return;
  // Event chains: what each task waits on before each of its signals. Not
  // while a summary is being computed (a callable summary asks which tasks
  // outlive the call): the task bodies' summaries would be computed from
  // there, deeper than the bound, and kept incomplete.
  if (SignalsEndTasks && Tasks.size() > 1 && Flow.summaries().depth() == 0 &&
      llvm::any_of(Signalled, [](const auto &Sig) { return !Sig.empty(); })) {
    bool Known = true;
    for (const TaskStart &TS : Tasks) {
      const FunctionDecl *Body = definitionOf(TS.Target.Fn);
      const FlowGraph *BG = Body && !SM.isInSystemHeader(Body->getLocation())
                                ? Flow.graph(Body)
                                : nullptr;
      if (!BG) {
        Known = false;
        break;
      }
      SyncOrder Order(Flow, *BG); // the relays point into it
      for (const SyncOrder::Relay &In : Order.relays()) {
        std::optional<ObjectPath> Sig = mapTaskSlot(TS, In.Signalled);
        if (!Sig)
          continue;
        SyncOrder::Relay Out{*Sig, {}};
        for (const ObjectPath &W : In.WaitedBefore)
          if (std::optional<ObjectPath> P = mapTaskSlot(TS, W))
            Out.WaitedBefore.push_back(*P);
        Relays.push_back(std::move(Out));
      }
    }
    if (Known)
      llvm::append_range(Relays, SyncOrder(Flow, G).relays());
    else
      Relays.clear();
  }
  // Path-correlated: `if (c) t = std::thread(f); ... if (c) t.join();`.
  TaskFlow A(*this);
  A.modelExceptions(Flow.throws());
  StableConditions Conds(G);
  Correlated<TaskFlow> C(A, Conds);
  ForwardSolver<Correlated<TaskFlow>> Solver(G, C);
  if (!Solver.solve())
    return;
  Solver.report();
  auto Merged = [&](const std::optional<Correlated<TaskFlow>::State> &S) {
    Running R = S ? C.merged(*S) : Running(2 * Tasks.size() + 1);
    R.resize(Tasks.size());
    return R;
  };
  RunningAtNormalExit = Merged(Solver.normalExit());
  RunningAtExit = RunningAtNormalExit;
  RunningAtExit |= Merged(Solver.exceptionalExit());
  // Loop heads (entered from the last iteration, for `do` after the body)
  // and the blocks that follow the loops (every way out of them).
  for (const CFGBlock *B : G.order()) {
    const Stmt *Loop = B->getTerminatorStmt();
    if (!Loop || !isLoopStmt(Loop))
      continue;
    Running &At = RunningAtLoop[Loop];
    At = Merged(Solver.entryState(*B));
    if (B->succ_size() == 2)
      if (const CFGBlock *After =
              (B->succ_begin() + 1)->getPossiblyUnreachableBlock())
        At |= Merged(Solver.entryState(*After));
  }
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

bool TaskTracker::mayOutlive(unsigned I, const VarDecl *V,
                             bool Exceptional) const {
  if (!Valid)
    return true;
  const auto &Deaths = Exceptional ? RunningAtDeath : RunningAtNormalDeath;
  auto It = Deaths.find(V);
  if (It != Deaths.end() && It->second.size() > I && It->second.test(I))
    return true;
  // A variable that is never destroyed in this function (a static, or one
  // of an enclosing function captured by a lambda) outlives the return.
  return RunningAtDeath.find(V) == RunningAtDeath.end() &&
         !V->hasLocalStorage() && mayRunAfterReturn(I, Exceptional);
}

bool TaskTracker::mayRunAfterReturn(unsigned I, bool Exceptional) const {
  if (!Valid)
    return true;
  const llvm::BitVector &At = Exceptional ? RunningAtExit : RunningAtNormalExit;
  return At.size() > I && At.test(I);
}

bool TaskTracker::mayOutliveIteration(unsigned I, const Stmt *Loop) const {
  if (!Valid)
    return true;
  auto It = RunningAtLoop.find(Loop);
  return It != RunningAtLoop.end() && It->second.size() > I &&
         It->second.test(I);
}

std::optional<ObjectPath> threadHolderOf(const TaskTracker &T, unsigned I,
                                         const FlowGraph &G) {
  if (T.tasks()[I].Kind != TaskKind::Thread)
    return std::nullopt;
  std::optional<ObjectPath> Out = T.handleOf(I);
  if (!Out) {
    const Stmt *Child = T.tasks()[I].Site;
    for (const Stmt *P = G.parent(Child); P; Child = P, P = G.parent(P)) {
      if (isa<CXXNewExpr>(P) || passesValueThrough(P, Child))
        continue;
      if (const auto *BO = dyn_cast<BinaryOperator>(P);
          BO && BO->getOpcode() == BO_Assign && BO->getRHS() == Child)
        Out = objectPathOf(BO->getLHS());
      else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
               OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
               OC->getArg(1) == Child)
        Out = objectPathOf(OC->getArg(0));
      // `thread_.reset(new std::thread(...))` of a smart pointer member.
      else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P);
               MC && MC->getNumArgs() == 1 && MC->getArg(0) == Child &&
               MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
               MC->getMethodDecl()->getName() == "reset" &&
               isPointerLike(MC->getImplicitObjectArgument()->getType()))
        Out = objectPathOf(MC->getImplicitObjectArgument());
      break;
    }
  }
  if (!Out || Out->Fields.empty() || Out->Element)
    return std::nullopt;
  return Out;
}

bool runsOnStartersObject(const TaskStart &Start) {
  ObjectPath Self;
  Self.Kind = RootKind::This;
  std::optional<ObjectPath> Bound = mapTaskSlot(Start, Self);
  return Bound && Bound->Kind == RootKind::This && Bound->Fields.empty() &&
         !Bound->Element;
}

/// True if \p RD (or a base) has a data member that is a thread, a pointer
/// to one or a container of them.
static bool holdsThreads(const CXXRecordDecl *RD, const ThreadTypes &Threads,
                         unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return false;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    if (Threads.isAnyThread(T) || Threads.isContainerOfThreads(T) ||
        Threads.isContainerOfThreadPointers(T))
      return true;
    if (const CXXRecordDecl *P = pointeeClass(T))
      if (Threads.isAnyThread(compat::recordType(P)))
        return true;
  }
  return llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
    return holdsThreads(B.getType()->getAsCXXRecordDecl(), Threads, Depth + 1);
  });
}

bool runsOnStartersThread(const TaskStart &Start, const Stmt *Starter,
                          const ThreadTypes &Threads) {
  if ((Start.Kind != TaskKind::Executor && Start.Kind != TaskKind::Spawner) ||
      !Start.Executor || !isThreadOwnObject(Start.Executor, Starter))
    return false;
  QualType T = Start.Executor->getType();
  const CXXRecordDecl *RD = pointeeClass(T);
  if (!RD)
    RD = T->getAsCXXRecordDecl();
  return RD && !holdsThreads(RD, Threads);
}

} // namespace pitfall
