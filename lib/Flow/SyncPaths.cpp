//===--- SyncPaths.cpp ----------------------------------------------------===//
#include "pitfall/Flow/SyncPaths.h"

#include "pitfall/Core/Channels.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/PathFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

const SyncCount *findCount(llvm::ArrayRef<SyncCount> Counts,
                           const ObjectPath &P) {
  for (const SyncCount &C : Counts)
    if (C.Object == P)
      return &C;
  return nullptr;
}

const SyncCount *SyncExit::arrivals(const ObjectPath &P) const {
  return findCount(Arrivals, P);
}

const SyncCount *SyncExit::held(const ObjectPath &P) const {
  return findCount(Held, P);
}

const SyncObjectUse *SyncPaths::use(const ObjectPath &P) const {
  for (const SyncObjectUse &U : Uses)
    if (U.Object == P)
      return &U;
  return nullptr;
}

namespace {

using Counts = llvm::SmallVector<SyncCount, 2>;

SyncCount *find(Counts &C, const ObjectPath &P) {
  for (SyncCount &X : C)
    if (X.Object == P)
      return &X;
  return nullptr;
}

SyncCount &get(Counts &C, const ObjectPath &P) {
  if (SyncCount *X = find(C, P))
    return *X;
  C.push_back({P, 0, 0});
  return C.back();
}

bool sameCounts(const Counts &A, const Counts &B) {
  return A.size() == B.size() && llvm::all_of(A, [&](const SyncCount &C) {
           return llvm::is_contained(B, C);
         });
}

/// Joins \p From into \p Into: an object missing on one side has count 0
/// there.
void joinCounts(Counts &Into, const Counts &From) {
  for (SyncCount &C : Into)
    if (!findCount(From, C.Object))
      C.Min = 0;
  for (const SyncCount &F : From) {
    if (SyncCount *C = find(Into, F.Object)) {
      C->Min = std::min(C->Min, F.Min);
      C->Max = std::max(C->Max, F.Max);
    } else {
      Into.push_back({F.Object, 0, F.Max});
    }
  }
}

int64_t saturatingAdd(int64_t A, int64_t B) {
  if (A == Unbounded || B == Unbounded || A + B > MaxCountedArrivals)
    return Unbounded;
  return A + B;
}

struct SyncState {
  Counts Arrivals;
  Counts Held;
  /// Channels a closed-state test showed open, on every path here.
  PathSet Open;
  bool operator==(const SyncState &O) const {
    return sameCounts(Arrivals, O.Arrivals) && sameCounts(Held, O.Held) &&
           samePaths(Open, O.Open);
  }
};

/// True if \p FD's own body holds a throw expression: a call of it is a way
/// out of the caller worth naming (every call of an unknown function could
/// throw, which says nothing about the code).
bool throwsItself(const FunctionDecl *FD, const SourceManager &SM) {
  const FunctionDecl *Def = nullptr;
  return FD && FD->hasBody(Def) && Def->getBody() &&
         !SM.isInSystemHeader(Def->getLocation()) &&
         containsThrowExpr(Def->getBody());
}

class SyncFlow : public ForwardAnalysis<SyncFlow, SyncState> {
public:
  SyncFlow(FlowContext &Flow, SyncPaths &Out) : Flow(Flow), Out(Out) {}

  SyncState initialState() { return {}; }
  void join(SyncState &Into, const SyncState &From) {
    joinCounts(Into.Arrivals, From.Arrivals);
    joinCounts(Into.Held, From.Held);
    intersectPaths(Into.Open, From.Open);
  }
  void widen(SyncState &Merged, const SyncState &Old) {
    for (SyncCount &C : Merged.Arrivals) {
      const SyncCount *O = findCount(Old.Arrivals, C.Object);
      if (!O || C.Max > O->Max)
        C.Max = Unbounded;
    }
  }

  void transfer(const CFGElement &E, SyncState &S) {
    const Stmt *St = nullptr;
    if (auto CS = E.getAs<CFGStmt>()) {
      St = CS->getStmt();
      if (reporting() && modelsExceptions())
        recordThrowExit(E, St, S);
      Events.clear();
      effectsOf(Flow, St, SyncFamily, Events);
    } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      Events.clear();
      destructorEffects(Flow, D->getVarDecl(), SyncFamily, Events);
    } else {
      return;
    }
    apply(S, St, reporting());
  }

  void unwind(const VarDecl *V, const Stmt *, SyncState &S) {
    Events.clear();
    destructorEffects(Flow, V, SyncFamily, Events);
    apply(S, nullptr, /*Record=*/false);
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, SyncState &S) {
    testedOpen(B, Succ, S);
    if (!reporting())
      return;
    const CFGBlock *To = (B.succ_begin() + Succ)->getReachableBlock();
    if (!To || To != &graph().cfg().getExit() || B.hasNoReturnElement())
      return;
    SyncExit Exit;
    Exit.Kind = SyncExitKind::FallOff;
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(graph().body()))
      Exit.Loc = Body->getRBracLoc();
    else if (graph().decl())
      Exit.Loc = graph().decl()->getEndLoc();
    for (auto It = B.rbegin(), End = B.rend(); It != End; ++It) {
      auto CS = It->getAs<CFGStmt>();
      if (!CS)
        continue;
      if (isa<ReturnStmt, CoreturnStmt>(CS->getStmt()))
        Exit = exitAt(SyncExitKind::Return, CS->getStmt());
      else if (isa<CXXThrowExpr>(CS->getStmt()))
        Exit = exitAt(SyncExitKind::Throw, CS->getStmt());
      break;
    }
    recordExit(B.getBlockID(), Exit, S);
  }

private:
  static SyncExit exitAt(SyncExitKind Kind, const Stmt *Site) {
    SyncExit E;
    E.Kind = Kind;
    E.Site = Site;
    E.Loc = Site->getBeginLoc();
    return E;
  }

  bool isSemaphore(const ObjectPath &P) const {
    const ValueDecl *D = P.leaf();
    return D && Flow.sync().kindOf(D->getType()) == SyncKind::Semaphore;
  }

  bool before(SourceLocation A, SourceLocation B) const {
    return Flow.astContext().getSourceManager().isBeforeInTranslationUnit(A, B);
  }

  SyncObjectUse &use(const ObjectPath &P) {
    for (SyncObjectUse &U : Out.Uses)
      if (U.Object == P)
        return U;
    Out.Uses.emplace_back();
    Out.Uses.back().Object = P;
    return Out.Uses.back();
  }

  /// Keeps the first of \p Slot and \p S in source order.
  void first(const Stmt *&Slot, const Stmt *S) {
    if (S && (!Slot || before(S->getBeginLoc(), Slot->getBeginLoc())))
      Slot = S;
  }

  /// `if (!ch.is_closed())`, `if (ch.is_open())`: the channel is open on
  /// one branch.
  void testedOpen(const CFGBlock &B, unsigned Succ, SyncState &S) {
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    const auto *Call =
        dyn_cast_or_null<CallExpr>(Cond ? skipImplicit(Cond) : nullptr);
    const Expr *Channel = nullptr;
    ChannelOp Op = Flow.channels().classifyCall(Call, Channel);
    if (Op != ChannelOp::IsClosed && Op != ChannelOp::IsOpen)
      return;
    std::optional<ObjectPath> P = objectPathOf(Channel);
    if (!P)
      return;
    bool OpenWhenTrue = (Op == ChannelOp::IsOpen) != Negated;
    if ((Succ == 0) == OpenWhenTrue)
      insertPath(S.Open, *P);
    else
      erasePath(S.Open, *P);
  }

  /// The effects of \p Ev as the caller sees them: a send or close after a
  /// test showed the channel open (or a handle built on it) cannot hit a
  /// channel the caller closed; a close of the function's own is unchecked
  /// otherwise.
  uint32_t channelEffects(const EffectEvent &Ev, SyncState &S) const {
    uint32_t Effects = Ev.Effect;
    bool Guarded = llvm::any_of(
        S.Open, [&](const ObjectPath &P) { return Ev.Path.startsWith(P); });
    if (Effects & ClosesChannel) {
      if (!Ev.FromSummary)
        Effects |= ClosesUnchecked;
      erasePath(S.Open, Ev.Path);
    }
    if (Guarded)
      Effects &= ~(SendsOnChannel | ClosesUnchecked);
    return Effects;
  }

  /// Applies the events gathered for one element (or destructor).
  void apply(SyncState &S, const Stmt *St, bool Record) {
    for (const EffectEvent &Ev : Events) {
      uint32_t Effects = channelEffects(Ev, S);
      if (Record) {
        SyncObjectUse &U = use(Ev.Path);
        U.Effects |= Effects;
        SourceLocation L = Ev.Site ? Ev.Site->getBeginLoc() : SourceLocation();
        if (U.Loc.isInvalid())
          U.Loc = L;
        if (Ev.Effect & Arrives) {
          const Stmt *Site = Ev.Site ? Ev.Site : St;
          first(U.FirstArrival, Site);
          if (const SyncCount *C = find(S.Arrivals, Ev.Path); C && C->Max > 0)
            first(U.Repeated, Site);
          U.UnknownAmount |= Ev.MaxAmount == Unbounded;
          U.ArrivalFromSummary |= Ev.FromSummary;
        }
        if ((Ev.Effect & Waits) && isSemaphore(Ev.Path))
          first(U.FirstAcquire, Ev.Site ? Ev.Site : St);
      }
      if (Ev.Effect & Arrives) {
        SyncCount &C = get(S.Arrivals, Ev.Path);
        C.Min = saturatingAdd(C.Min, Ev.MinAmount);
        if (C.Min == Unbounded)
          C.Min = MaxCountedArrivals;
        C.Max = saturatingAdd(C.Max, Ev.MaxAmount);
      }
      if (isSemaphore(Ev.Path)) {
        if (Ev.Effect & Arrives) {
          SyncCount &H = get(S.Held, Ev.Path);
          H.Min = H.Max = 0;
        } else if (Ev.Effect & Waits) {
          SyncCount &H = get(S.Held, Ev.Path);
          H.Min = H.Max = 1;
        }
      }
    }
  }

  void recordExit(unsigned Key, const SyncExit &Where, const SyncState &S) {
    auto [It, Inserted] = ExitIndex.try_emplace(Key, Out.Exits.size());
    if (Inserted) {
      Out.Exits.push_back(Where);
      Out.Exits.back().Arrivals = S.Arrivals;
      Out.Exits.back().Held = S.Held;
      return;
    }
    SyncExit &X = Out.Exits[It->second];
    joinCounts(X.Arrivals, S.Arrivals);
    joinCounts(X.Held, S.Held);
  }

  /// An exception thrown by \p St that leaves the function: the state after
  /// unwinding, recorded as an exit, for throw expressions and calls of
  /// functions that throw.
  void recordThrowExit(const CFGElement &E, const Stmt *St,
                       const SyncState &Before) {
    SyncExitKind Kind = SyncExitKind::Throw;
    if (!isa<CXXThrowExpr>(St)) {
      const auto *Call = dyn_cast<Expr>(St);
      if (!Call || !isa<CallExpr, CXXConstructExpr>(Call) ||
          throwKind(E) == ThrowKind::None)
        return;
      const FunctionDecl *Callee = callSiteOf(Call).Callee;
      auto [It, Inserted] = Throwing.try_emplace(Callee, false);
      if (Inserted)
        It->second = throwsItself(Callee, Flow.astContext().getSourceManager());
      if (!It->second)
        return;
      Kind = SyncExitKind::CallThrows;
    }
    SyncState S = Before;
    const FlowGraph &G = graph();
    for (const Stmt *Site = St;;) {
      for (const VarDecl *V : G.unwoundVariables(Site))
        unwind(V, St, S);
      const CFGBlock *Target = G.throwTarget(Site);
      if (!Target)
        break; // leaves the function
      const CXXTryStmt *Try = G.dispatchedTry(*Target);
      if (!Try || FlowGraph::catchesAll(*Try))
        return; // caught
      Site = Try;
    }
    // Keys of throw exits do not collide with block IDs.
    unsigned Key = G.cfg().getNumBlockIDs() + ThrowKeys.size();
    auto [It, Inserted] = ThrowKeys.try_emplace(St, Key);
    recordExit(It->second, exitAt(Kind, St), S);
  }

  FlowContext &Flow;
  SyncPaths &Out;
  llvm::SmallVector<EffectEvent, 4> Events;
  llvm::DenseMap<unsigned, unsigned> ExitIndex;
  llvm::DenseMap<const Stmt *, unsigned> ThrowKeys;
  llvm::DenseMap<const FunctionDecl *, bool> Throwing;
};

} // namespace

SyncPaths analyzeSyncPaths(FlowContext &Flow, const FlowGraph &G,
                           bool Exceptions) {
  SyncPaths Out;
  SyncFlow A(Flow, Out);
  // A noexcept function or a destructor terminates on a throw: no way out.
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(G.decl());
  const auto *Proto = Fn ? Fn->getType()->getAs<FunctionProtoType>() : nullptr;
  if (Exceptions && !isa_and_nonnull<CXXDestructorDecl>(Fn) &&
      !(Proto && Proto->isNothrow()))
    A.modelExceptions(Flow.throws());
  StableConditions Conds(G);
  Correlated<SyncFlow> C(A, Conds);
  ForwardSolver<Correlated<SyncFlow>> Solver(G, C);
  if (!Solver.solve())
    return Out;
  Solver.report();
  Out.Solved = true;
  if (Solver.normalExit())
    Out.NormalExit = C.merged(*Solver.normalExit()).Arrivals;
  const SourceManager &SM = Flow.astContext().getSourceManager();
  // Source order; exits at one place (none in practice) by kind.
  llvm::sort(Out.Exits, [&](const SyncExit &L, const SyncExit &R) {
    if (L.Loc != R.Loc)
      return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
    return L.Kind < R.Kind;
  });
  return Out;
}

} // namespace pitfall
