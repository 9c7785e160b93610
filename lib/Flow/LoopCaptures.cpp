//===--- LoopCaptures.cpp -------------------------------------------------===//
#include "pitfall/Flow/LoopCaptures.h"

#include "pitfall/Core/Containers.h"
#include "pitfall/Core/Futures.h"
#include "pitfall/Core/Lifetimes.h"
#include "pitfall/Core/ScopeLoops.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/HappensBefore.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

namespace {

struct LoopScope {
  const Stmt *Loop = nullptr;
  LoopVarKind Kind = LoopVarKind::PerIteration;
};

/// A loop variable that refers into a container: the loop, and the
/// expression naming the container.
struct ElementScope {
  const Stmt *Loop = nullptr;
  const Expr *Container = nullptr;
};

/// The loops of a body, the variables each owns, and the lambdas written in
/// the body (not in other lambdas' bodies, which are functions of their
/// own).
class LoopOwners {
public:
  LoopOwners(const Stmt *Body, const ASTContext &Ctx) : Ctx(Ctx) {
    walk(Body, nullptr, {});
  }

  /// The container a loop variable refers into (a reference range-for
  /// variable bound to an element, an iterator declared in a `for`'s
  /// init-statement), or nullopt.
  std::optional<ElementScope> elementOf(const ValueDecl *D) const {
    auto It = Elements.find(dyn_cast_or_null<VarDecl>(D));
    if (It == Elements.end())
      return std::nullopt;
    return It->second;
  }

  /// The loop that owns the object \p D names; nullopt for a variable
  /// outside loops, or one that aliases or outlives them (references,
  /// statics, parameters).
  std::optional<LoopScope> of(const ValueDecl *D) const {
    const auto *V = dyn_cast_or_null<VarDecl>(D);
    if (const auto *B = dyn_cast_or_null<BindingDecl>(D))
      V = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl());
    if (!V || refersToLongLivedObject(V) || V->isInitCapture())
      return std::nullopt;
    auto It = Owners.find(V);
    if (It == Owners.end())
      return std::nullopt;
    return It->second;
  }

  /// True if \p Inner is \p Loop or a loop nested in it.
  bool within(const Stmt *Inner, const Stmt *Loop) const {
    for (; Inner; Inner = Outer.lookup(Inner))
      if (Inner == Loop)
        return true;
    return false;
  }

  llvm::ArrayRef<const LambdaExpr *> lambdas() const { return Lambdas; }

private:
  void walk(const Stmt *S, const Stmt *Loop, LoopVarKind Kind) {
    if (!S)
      return;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      Lambdas.push_back(L);
      for (const Expr *Init : L->capture_inits())
        walk(Init, Loop, Kind);
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S); DS && Loop)
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          Owners.try_emplace(V, LoopScope{Loop, Kind});
    // A loop whose body runs once is a block: what it declares belongs to
    // the loop around it, or to the function.
    if (runsAtMostOnce(S, Ctx)) {
      for (const Stmt *C : S->children())
        walk(C, Loop, Kind);
      return;
    }
    auto Enter = [&](const Stmt *NewLoop) { Outer.try_emplace(NewLoop, Loop); };
    constexpr LoopVarKind Shared = LoopVarKind::Shared;
    constexpr LoopVarKind Each = LoopVarKind::PerIteration;
    if (const auto *F = dyn_cast<ForStmt>(S)) {
      Enter(F);
      if (const auto *Init = dyn_cast_or_null<DeclStmt>(F->getInit()))
        for (const Decl *D : Init->decls())
          if (const auto *V = dyn_cast<VarDecl>(D);
              V && !V->getType()->isReferenceType() && V->getInit())
            if (const Expr *C = Containers.iteratorSource(V->getInit()))
              Elements.try_emplace(V, ElementScope{F, C});
      walk(F->getInit(), F, Shared);
      walk(F->getConditionVariableDeclStmt(), F, Each);
      walk(F->getCond(), F, Each);
      walk(F->getInc(), F, Each);
      walk(F->getBody(), F, Each);
      return;
    }
    if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
      Enter(R);
      if (const VarDecl *V = R->getLoopVariable();
          V && refersToLongLivedObject(V) && R->getRangeInit() &&
          Containers.isContainerType(R->getRangeInit()->getType()))
        Elements.try_emplace(V, ElementScope{R, R->getRangeInit()});
      walk(R->getInit(), R, Shared);
      // The hidden __range, __begin and __end belong to no iteration.
      walk(R->getRangeInit(), Loop, Kind);
      walk(R->getLoopVarStmt(), R, Each);
      walk(R->getBody(), R, Each);
      return;
    }
    if (const auto *W = dyn_cast<WhileStmt>(S)) {
      Enter(W);
      walk(W->getConditionVariableDeclStmt(), W, Each);
      walk(W->getCond(), W, Each);
      walk(W->getBody(), W, Each);
      return;
    }
    if (const auto *D = dyn_cast<DoStmt>(S)) {
      Enter(D);
      walk(D->getBody(), D, Each);
      walk(D->getCond(), D, Each);
      return;
    }
    for (const Stmt *C : S->children())
      walk(C, Loop, Kind);
  }

  const ASTContext &Ctx;
  ContainerRecognizer Containers;
  llvm::DenseMap<const VarDecl *, LoopScope> Owners;
  llvm::DenseMap<const VarDecl *, ElementScope> Elements;
  llvm::DenseMap<const Stmt *, const Stmt *> Outer;
  llvm::SmallVector<const LambdaExpr *, 4> Lambdas;
};

/// True if the object \p D names is a local or a by-value parameter of
/// \p Fn, destroyed when the call ends.
bool diesWithCall(const ValueDecl *D, const FunctionDecl *Fn) {
  const auto *V = dyn_cast_or_null<VarDecl>(D);
  if (const auto *B = dyn_cast_or_null<BindingDecl>(D))
    V = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl());
  if (!V || !V->hasLocalStorage() || V->isInitCapture() ||
      V->getParentFunctionOrMethod() != Fn)
    return false;
  if (!isa<ParmVarDecl>(V))
    return !refersToLongLivedObject(V);
  // A reference parameter names the caller's object; so does each element
  // of a pack of references (`Args &&...args`, whose type in a template as
  // written is the pack expansion of the reference).
  QualType T = V->getType();
  if (const auto *Pack = T->getAs<PackExpansionType>())
    T = Pack->getPattern();
  return !T->isReferenceType();
}

/// How deep lambdas held by other lambdas' captures are followed.
constexpr unsigned MaxHeldDepth = 4;

/// Where a value that holds a lambda is stored.
struct StoreSite {
  const Stmt *At;
  const Expr *Value;
  std::optional<ObjectPath> Dest;
  Escape How; ///< Stored (see Dest), Heap or Returned
};

class Analysis {
public:
  Analysis(FlowContext &Flow, const FlowGraph &G, const LoopOwners &Owners)
      : Flow(Flow), G(G), Owners(Owners) {}

  std::optional<LoopCaptureFinding> escapeOf(const LambdaExpr *L,
                                             const LoopScope &Scope);
  /// A task started in \p Scope's loop that runs \p L and may still run
  /// where the container is resized, or when it is destroyed.
  std::optional<LoopCaptureFinding> elementEscapeOf(const LambdaExpr *L,
                                                    const ElementScope &Scope);
  /// A task that runs \p L, or a store of it, that outlives the call: the
  /// task's thread, future or result kept in a member, a global, through a
  /// parameter or on the heap while the task may run at the return; the
  /// lambda stored in such a place, or returned. A detached thread is
  /// pitfall-unjoined-thread's.
  std::optional<LoopCaptureFinding> callEscapeOf(const LambdaExpr *L);
  /// True if the call that lets \p L escape at \p At is followed, on every
  /// path to the function's normal exit, by an untimed wait (`get()`,
  /// `wait()`) on the future of a promise \p L captures by reference and
  /// sets (`set_value`, `set_exception`) outside any loop of its body, and
  /// \p L's uses of \p Var all come before that set: once the wait
  /// returns, the lambda has done with the function's variables (the
  /// synchronous wrapper of an asynchronous call: `std::promise<T> p; auto
  /// f = p.get_future(); asyncOp([&p](T v) { p.set_value(v); }); return
  /// f.get();`).
  bool settledBeforeReturn(const LambdaExpr *L, const ValueDecl *Var,
                           const Stmt *At) const;

private:
  /// The lambdas a callable's value holds: its own, and those it captures
  /// (`std::thread([job] { job(); })`).
  void held(const CallableTarget &T,
            llvm::SmallPtrSetImpl<const LambdaExpr *> &Out,
            unsigned Depth = 0) const;
  bool holds(const Expr *Value, const LambdaExpr *L) const;
  bool inLoop(const Stmt *S, const Stmt *Loop) const;
  /// True if the object \p P names outlives an iteration of \p Loop; sets
  /// \p How (Stored or Member) and \p Into.
  bool outlives(const ObjectPath &P, const Stmt *Loop, Escape &How,
                const NamedDecl *&Into) const;
  void collectStores();
  void describeHandle(unsigned I, const Stmt *Loop, LoopCaptureFinding &F);
  /// Describes task \p I into \p F: how it runs, where it starts, and how
  /// its handle leaves \p Loop (the call, when \p Loop is null).
  void describeTask(unsigned I, const Stmt *Loop, LoopCaptureFinding &F);
  /// The structural writes of \p Container in the function's body (lambda
  /// bodies excluded), in source order.
  llvm::SmallVector<const Expr *, 4> writesOf(const ObjectPath &Container);
  void computeTaskHolds();
  TaskTracker &tasks() {
    if (!Tasks)
      Tasks.emplace(Flow, G);
    return *Tasks;
  }
  /// True if task \p I may still run when the next iteration of \p Loop
  /// starts, the loop is left or the function returns normally; with
  /// \p PastAssertions, only on paths that do not leave through a failed
  /// test assertion.
  bool outlivesIteration(unsigned I, const Stmt *Loop, bool PastAssertions) {
    if (PastAssertions && !PastFailedAssertions)
      PastFailedAssertions.emplace(Flow, G, /*SignalsEndTasks=*/true,
                                   /*EndAtFailedAssertions=*/true);
    TaskTracker &T = PastAssertions ? *PastFailedAssertions : tasks();
    return T.mayOutliveIteration(I, Loop) ||
           T.mayRunAfterReturn(I, /*Exceptional=*/false);
  }

  FlowContext &Flow;
  const FlowGraph &G;
  const LoopOwners &Owners;
  std::optional<TaskTracker> Tasks;
  /// The same tasks, with the paths of failed test assertions ended.
  std::optional<TaskTracker> PastFailedAssertions;
  llvm::SmallVector<llvm::SmallPtrSet<const LambdaExpr *, 2>, 4> TaskHolds;
  std::optional<llvm::SmallVector<StoreSite, 4>> Stores;
  ContainerRecognizer Containers;
};

void Analysis::held(const CallableTarget &T,
                    llvm::SmallPtrSetImpl<const LambdaExpr *> &Out,
                    unsigned Depth) const {
  if (!T.Lambda || Depth > MaxHeldDepth || !Out.insert(T.Lambda).second)
    return;
  const CallableResolver &R = Flow.callables();
  for (const LambdaCapture &C : T.Lambda->captures()) {
    if (!C.capturesVariable())
      continue;
    const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
    if (V && V->hasLocalStorage() && !isa<ParmVarDecl>(V))
      held(R.ofVariable(V), Out, Depth + 1);
  }
}

bool Analysis::holds(const Expr *Value, const LambdaExpr *L) const {
  CallableTarget T = Flow.callables().resolve(Value);
  if (!T)
    return false;
  llvm::SmallPtrSet<const LambdaExpr *, 4> Held;
  held(T, Held);
  return Held.contains(L);
}

bool Analysis::inLoop(const Stmt *S, const Stmt *Loop) const {
  for (; S; S = G.parent(S))
    if (S == Loop)
      return true;
  return false;
}

/// True if \p P names an object that outlives the call: a member, a
/// global, a parameter's referent. Sets \p How (Stored or Member) and
/// \p Into.
bool outlivesCall(const ObjectPath &P, Escape &How, const NamedDecl *&Into) {
  How = Escape::Stored;
  Into = dyn_cast_or_null<NamedDecl>(P.Root);
  switch (P.Kind) {
  case RootKind::This:
    if (P.Fields.empty())
      return false;
    How = Escape::Member;
    Into = P.Fields.front();
    return true;
  case RootKind::Global:
    return P.Root != nullptr;
  case RootKind::Param: {
    const auto *V = dyn_cast_or_null<VarDecl>(P.Root);
    return V && (V->getType()->isReferenceType() ||
                 V->getType()->isPointerType() || !P.Fields.empty());
  }
  case RootKind::Local:
    return false;
  }
  return false;
}

bool Analysis::outlives(const ObjectPath &P, const Stmt *Loop, Escape &How,
                        const NamedDecl *&Into) const {
  // What outlives the call outlives the iteration, and so does a by-value
  // parameter.
  if (outlivesCall(P, How, Into) || P.Kind == RootKind::Param)
    return true;
  if (P.Kind != RootKind::Local)
    return false;
  const auto *V = dyn_cast_or_null<VarDecl>(P.Root);
  if (const auto *B = dyn_cast_or_null<BindingDecl>(P.Root))
    V = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl());
  if (!V)
    return false;
  // A reference local aliases an object declared elsewhere.
  if (refersToLongLivedObject(V))
    return true;
  std::optional<LoopScope> S = Owners.of(V);
  return !S || !Owners.within(S->Loop, Loop);
}

void Analysis::collectStores() {
  Stores.emplace();
  walkOutsideLambdas(G.body(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      if (R->getRetValue())
        Stores->push_back(
            {R, R->getRetValue(), std::nullopt, Escape::Returned});
      return true;
    }
    if (const auto *N = dyn_cast<CXXNewExpr>(S)) {
      if (const Expr *Init = N->getInitializer())
        Stores->push_back({N, Init, std::nullopt, Escape::Heap});
      return true;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign)
        Stores->push_back(
            {BO, BO->getRHS(), objectPathOf(BO->getLHS()), Escape::Stored});
      return true;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
      // `std::ignore = task()` keeps nothing.
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          !discardsAssignedValue(OC->getDirectCallee()))
        Stores->push_back(
            {OC, OC->getArg(1), objectPathOf(OC->getArg(0)), Escape::Stored});
      return true;
    }
    // A thread emplaced into a container is a task start, not a store.
    if (!Flow.escapes().escapes(Call).empty())
      return true;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && isStoringMemberName(M->getName())) {
        std::optional<ObjectPath> Dest =
            objectPathOf(MC->getImplicitObjectArgument());
        for (const Expr *Arg : MC->arguments())
          Stores->push_back({MC, Arg, Dest, Escape::Stored});
        return true;
      }
    }
    // A helper that keeps its callable argument (`registry.add(f)`).
    CallSite Site = callSiteOf(Call);
    const FunctionSummary *Sum =
        Site.Callee ? Flow.summaries().get(Site.Callee, CallableFamily)
                    : nullptr;
    if (!Sum)
      return true;
    for (const SlotEffect &E : Sum->Slots) {
      if (E.Slot.Kind != RootKind::Param || !E.StoredIn ||
          !(E.Effects & StoresCallable) || (E.Effects & RunsElsewhere))
        continue;
      unsigned ArgI = E.Slot.paramIndex() + firstCallArgument(Call);
      if (ArgI < Call->getNumArgs())
        Stores->push_back({Call, Call->getArg(ArgI),
                           mapToCaller(*E.StoredIn, Call, Site.Object),
                           Escape::Stored});
    }
    return true;
  });
  const SourceManager &SM = G.context().getSourceManager();
  llvm::sort(*Stores, [&](const StoreSite &A, const StoreSite &B) {
    if (A.At != B.At)
      return SM.isBeforeInTranslationUnit(A.At->getBeginLoc(),
                                          B.At->getBeginLoc());
    return SM.isBeforeInTranslationUnit(A.Value->getBeginLoc(),
                                        B.Value->getBeginLoc());
  });
}

void Analysis::describeHandle(unsigned I, const Stmt *Loop,
                              LoopCaptureFinding &F) {
  TaskTracker &T = tasks();
  const Expr *Site = T.tasks()[I].Site;
  auto Set = [&](Escape How, const Stmt *At, const NamedDecl *Into) {
    F.HandleHow = How;
    F.HandleAt = At;
    F.HandleInto = Into;
  };
  // `std::thread(f).detach()`, `new std::thread(f)`, `return std::thread(f)`.
  for (const Stmt *P = G.parent(Site); P; P = G.parent(P)) {
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(G.parent(ME));
      if (Call && classifyThreadMemberCall(Call) == ThreadOp::Detach)
        return Set(Escape::Detached, Call, nullptr);
      break;
    }
    if (isa<CXXNewExpr>(P))
      return Set(Escape::Heap, P, nullptr);
    if (isa<ReturnStmt>(P))
      return Set(Escape::Returned, P, nullptr);
    if (!isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ExprWithCleanups, ParenExpr, CXXFunctionalCastExpr>(P))
      break;
  }
  const std::optional<ObjectPath> &H = T.handleOf(I);
  if (!H)
    return;
  Escape How;
  const NamedDecl *Into = nullptr;
  // Beyond the iteration, or beyond the call when there is no loop.
  auto Outlives = [&](const ObjectPath &P) {
    return Loop ? outlives(P, Loop, How, Into) : outlivesCall(P, How, Into);
  };
  if (Outlives(*H))
    return Set(How, T.handleStoredAt(I), Into);
  for (const auto &[Dest, At] : T.handleMovesOf(I))
    if (Dest.Root && Outlives(Dest))
      return Set(How, At, Into);
  // Detached in the iteration (or the function), directly or by a helper.
  llvm::SmallVector<EffectEvent, 2> Events;
  const SourceManager &SM = G.context().getSourceManager();
  const Stmt *First = nullptr;
  walkOutsideLambdas(
      Loop ? Loop : G.body(), LambdaBodies::Skip, [&](const Stmt *S) {
        Events.clear();
        effectsOf(Flow, S, ThreadFamily, Events);
        for (const EffectEvent &Ev : Events)
          if ((Ev.Effect & DetachesThread) && Ev.Path == *H &&
              (!First || SM.isBeforeInTranslationUnit(S->getBeginLoc(),
                                                      First->getBeginLoc())))
            First = S;
        return true;
      });
  if (First)
    Set(Escape::Detached, First, nullptr);
}

void Analysis::computeTaskHolds() {
  if (!TaskHolds.empty())
    return;
  for (const TaskStart &TS : tasks().tasks()) {
    TaskHolds.emplace_back();
    held(TS.Target, TaskHolds.back());
  }
}

void Analysis::describeTask(unsigned I, const Stmt *Loop,
                            LoopCaptureFinding &F) {
  const TaskStart &TS = tasks().tasks()[I];
  switch (TS.Kind) {
  case TaskKind::Thread:
  case TaskKind::JoiningThread:
    F.How = Escape::Thread;
    break;
  case TaskKind::Async:
    F.How = Escape::Async;
    break;
  case TaskKind::Executor:
  case TaskKind::Spawner:
    F.How = Escape::Executor;
    F.Into = callSiteOf(TS.Site).Callee;
    break;
  }
  F.At = TS.Site;
  describeHandle(I, Loop, F);
}

llvm::SmallVector<const Expr *, 4>
Analysis::writesOf(const ObjectPath &Container) {
  llvm::SmallVector<const Expr *, 4> Writes;
  walkOutsideLambdas(G.body(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    const auto *Ref = dyn_cast<Expr>(S);
    if (!Ref || !isa<DeclRefExpr, MemberExpr>(Ref) ||
        !Containers.isContainerType(Ref->getType()))
      return true;
    std::optional<ObjectPath> P = objectPathOf(Ref);
    if (P && *P == Container &&
        Containers.classifyUse(Ref, G.parents()) == ContainerAccess::Write)
      Writes.push_back(Ref);
    return true;
  });
  const SourceManager &SM = G.context().getSourceManager();
  llvm::sort(Writes, [&](const Expr *A, const Expr *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  });
  return Writes;
}

std::optional<LoopCaptureFinding> Analysis::callEscapeOf(const LambdaExpr *L) {
  LoopCaptureFinding F;
  F.Lambda = L;
  F.Kind = LoopVarKind::Function;
  TaskTracker &T = tasks();
  computeTaskHolds();
  for (unsigned I = 0, N = T.tasks().size(); I != N && T.valid(); ++I) {
    if (!TaskHolds[I].contains(L) ||
        !T.mayRunAfterReturn(I, /*Exceptional=*/false))
      continue;
    describeTask(I, nullptr, F);
    // Only a handle kept beyond the call says the task is meant to outlive
    // it. An executor's task whose result is dropped is often waited for
    // in ways not visible here (an observer counting executions, a guard
    // that shuts the executor down, a when_all over the results); a
    // detached thread is pitfall-unjoined-thread's.
    if (F.HandleHow &&
        (*F.HandleHow == Escape::Member || *F.HandleHow == Escape::Heap ||
         *F.HandleHow == Escape::Stored))
      return F;
  }
  if (!Stores)
    collectStores();
  for (const StoreSite &S : *Stores) {
    if (!holds(S.Value, L))
      continue;
    F.At = S.At;
    F.How = S.How;
    F.HandleHow.reset();
    F.Into = nullptr;
    if (S.How == Escape::Stored &&
        (!S.Dest || !outlivesCall(*S.Dest, F.How, F.Into)))
      continue;
    return F;
  }
  return std::nullopt;
}

bool Analysis::settledBeforeReturn(const LambdaExpr *L, const ValueDecl *Var,
                                   const Stmt *At) const {
  const SourceManager &SM = G.context().getSourceManager();
  // The promises L captures by reference and sets, with the first set.
  llvm::SmallDenseMap<const VarDecl *, const CXXMemberCallExpr *, 2> Sets;
  bool InLoop = false;
  const Stmt *LBody = L->getBody();
  walkOutsideLambdas(LBody, LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier() ||
        !(M->getName() == "set_value" || M->getName() == "set_exception") ||
        !isPromise(M->getParent()))
      return true;
    const Expr *Obj = Call->getImplicitObjectArgument();
    const VarDecl *P = Obj ? namedVariable(Obj) : nullptr;
    if (!P || llvm::none_of(L->captures(), [&](const LambdaCapture &C) {
          return C.capturesVariable() && C.getCapturedVar() == P &&
                 C.getCaptureKind() == LCK_ByRef;
        }))
      return true;
    for (const Stmt *Up = G.parent(Call); Up && Up != LBody; Up = G.parent(Up))
      InLoop |= isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(Up);
    auto [It, New] = Sets.try_emplace(P, Call);
    if (!New && SM.isBeforeInTranslationUnit(Call->getBeginLoc(),
                                             It->second->getBeginLoc()))
      It->second = Call;
    return true;
  });
  if (Sets.empty() || InLoop)
    return false;
  // Var's uses in the lambda come before the first set of some promise.
  auto UsedBefore = [&](const CXXMemberCallExpr *Set) {
    if (Var == namedVariable(Set->getImplicitObjectArgument()))
      return true;
    return walkOutsideLambdas(LBody, LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *DRE = dyn_cast<DeclRefExpr>(S);
      return !DRE || DRE->getDecl() != Var ||
             SM.isBeforeInTranslationUnit(DRE->getEndLoc(), Set->getBeginLoc());
    });
  };
  // The statements that wait on the future of a promise Var is settled by.
  auto IsWait = [&](const Stmt *S) {
    const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier() ||
        !(M->getName() == "get" || M->getName() == "wait") ||
        !isFutureLike(M->getParent()))
      return false;
    const VarDecl *P = futureOfPromise(Call->getImplicitObjectArgument());
    auto It = P ? Sets.find(P) : Sets.end();
    return It != Sets.end() && UsedBefore(It->second);
  };
  // Every path from At to the normal exit passes such a wait.
  return G.everyPathPasses(At, IsWait);
}

std::optional<LoopCaptureFinding>
Analysis::elementEscapeOf(const LambdaExpr *L, const ElementScope &Scope) {
  std::optional<ObjectPath> Container = objectPathOf(Scope.Container);
  if (!Container)
    return std::nullopt;
  // The container dies in this function when it is a local object.
  const auto *Local = dyn_cast_or_null<VarDecl>(Container->Root);
  if (Container->Kind != RootKind::Local || !Container->Fields.empty() ||
      !Local || Local->getType()->isReferenceType())
    Local = nullptr;
  TaskTracker &T = tasks();
  computeTaskHolds();
  std::optional<llvm::SmallVector<const Expr *, 4>> Writes;
  for (unsigned I = 0, N = T.tasks().size(); I != N && T.valid(); ++I) {
    const TaskStart &TS = T.tasks()[I];
    if (!TaskHolds[I].contains(L) || !inLoop(TS.Site, Scope.Loop))
      continue;
    if (!Writes)
      Writes = writesOf(*Container);
    const Expr *Resized = nullptr;
    for (const Expr *W : *Writes)
      if (T.mayBeRunningAt(I, W)) {
        Resized = W;
        break;
      }
    if (!Resized && !(Local && T.mayOutlive(I, Local, /*Exceptional=*/false)))
      continue;
    LoopCaptureFinding F;
    F.Lambda = L;
    F.Loop = Scope.Loop;
    F.Kind = LoopVarKind::Element;
    F.Container = Scope.Container;
    F.Invalidated = Resized;
    describeTask(I, Scope.Loop, F);
    return F;
  }
  return std::nullopt;
}

std::optional<LoopCaptureFinding> Analysis::escapeOf(const LambdaExpr *L,
                                                     const LoopScope &Scope) {
  LoopCaptureFinding F;
  F.Lambda = L;
  F.Loop = Scope.Loop;
  F.Kind = Scope.Kind;
  // Run by a task that may outlive the iteration: on a path of its own, or
  // only on one that leaves through a failed test assertion.
  TaskTracker &T = tasks();
  computeTaskHolds();
  std::optional<unsigned> OnFailedAssertion;
  for (unsigned I = 0, N = T.tasks().size(); I != N && T.valid(); ++I) {
    const TaskStart &TS = T.tasks()[I];
    if (!TaskHolds[I].contains(L) || !inLoop(TS.Site, Scope.Loop) ||
        !outlivesIteration(I, Scope.Loop, /*PastAssertions=*/false))
      continue;
    if (!outlivesIteration(I, Scope.Loop, /*PastAssertions=*/true)) {
      if (!OnFailedAssertion)
        OnFailedAssertion = I;
      continue;
    }
    describeTask(I, Scope.Loop, F);
    return F;
  }
  // Stored where it outlives the iteration.
  if (!Stores)
    collectStores();
  for (const StoreSite &S : *Stores) {
    if (!inLoop(S.At, Scope.Loop) || !holds(S.Value, L))
      continue;
    F.At = S.At;
    F.How = S.How;
    if (S.How == Escape::Stored &&
        (!S.Dest || !outlives(*S.Dest, Scope.Loop, F.How, F.Into)))
      continue;
    return F;
  }
  if (OnFailedAssertion) {
    F.Into = nullptr;
    describeTask(*OnFailedAssertion, Scope.Loop, F);
    F.OnFailedAssertion = true;
    return F;
  }
  return std::nullopt;
}

} // namespace

llvm::SmallVector<LoopCaptureFinding, 4>
analyzeLoopCaptures(FlowContext &Flow, const FunctionDecl *Fn) {
  llvm::SmallVector<LoopCaptureFinding, 4> Out;
  const Stmt *Body = Fn ? Fn->getBody() : nullptr;
  if (!Body)
    return Out;
  LoopOwners Owners(Body, Fn->getASTContext());
  if (Owners.lambdas().empty())
    return Out;
  std::optional<Analysis> A;
  for (const LambdaExpr *L : Owners.lambdas()) {
    // One escape analysis per owning loop (nested loops may own different
    // captured variables).
    llvm::SmallVector<
        std::pair<const Stmt *, std::optional<LoopCaptureFinding>>, 2>
        PerLoop;
    std::optional<std::optional<LoopCaptureFinding>> CallEscape;
    for (const LambdaCapture &C : L->captures()) {
      if (!C.capturesVariable())
        continue;
      // A reference to an element captured by reference, an iterator
      // captured by copy (by reference it is a loop variable like any
      // other): the container's storage must outlive the task.
      const ValueDecl *Var = C.getCapturedVar();
      std::optional<ElementScope> Elem = Owners.elementOf(Var);
      if (Elem && Var->getType()->isReferenceType() !=
                      (C.getCaptureKind() == LCK_ByRef))
        Elem.reset();
      std::optional<LoopScope> Scope;
      if (!Elem && C.getCaptureKind() == LCK_ByRef)
        Scope = Owners.of(Var);
      bool OfCall = !Elem && !Scope && C.getCaptureKind() == LCK_ByRef &&
                    diesWithCall(Var, Fn);
      if (!Elem && !Scope && !OfCall)
        continue;
      if (!A) {
        const FlowGraph *G = Flow.graph(Fn);
        if (!G)
          return Out;
        A.emplace(Flow, *G, Owners);
      }
      if (OfCall) {
        if (!CallEscape)
          CallEscape = A->callEscapeOf(L);
        if (*CallEscape && !A->settledBeforeReturn(L, Var, (*CallEscape)->At)) {
          LoopCaptureFinding F = **CallEscape;
          F.Capture = &C;
          F.Var = Var;
          Out.push_back(F);
        }
        continue;
      }
      if (Elem) {
        if (std::optional<LoopCaptureFinding> F =
                A->elementEscapeOf(L, *Elem)) {
          F->Capture = &C;
          F->Var = Var;
          Out.push_back(*F);
        }
        continue;
      }
      auto It = llvm::find_if(
          PerLoop, [&](const auto &P) { return P.first == Scope->Loop; });
      if (It == PerLoop.end()) {
        PerLoop.push_back({Scope->Loop, A->escapeOf(L, *Scope)});
        It = std::prev(PerLoop.end());
      }
      if (!It->second)
        continue;
      LoopCaptureFinding F = *It->second;
      F.Capture = &C;
      F.Var = C.getCapturedVar();
      F.Kind = Scope->Kind;
      Out.push_back(F);
    }
  }
  return Out;
}

} // namespace pitfall
