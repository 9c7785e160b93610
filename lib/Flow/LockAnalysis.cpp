//===--- LockAnalysis.cpp -------------------------------------------------===//
#include "pitfall/Flow/LockAnalysis.h"

#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <optional>

using namespace clang;

namespace pitfall {

const HeldLock *LockSet::find(const ValueDecl *Mutex) const {
  for (const HeldLock &L : Locks)
    if (L.Mutex == Mutex)
      return &L;
  return nullptr;
}

bool LockSet::holds(const ValueDecl *Mutex, bool Exclusive) const {
  const HeldLock *L = find(Mutex);
  return L && (!Exclusive || L->Mode == LockMode::Exclusive);
}

void LockSet::add(const HeldLock &L) {
  for (HeldLock &H : Locks)
    if (H.Mutex == L.Mutex) {
      if (L.Mode == LockMode::Exclusive)
        H.Mode = LockMode::Exclusive;
      if (!H.Guard)
        H.Guard = L.Guard;
      if (!H.Path)
        H.Path = L.Path;
      if (!H.Site)
        H.Site = L.Site;
      return;
    }
  Locks.push_back(L);
}

void LockSet::removeGuard(const VarDecl *Guard) {
  llvm::erase_if(Locks, [&](const HeldLock &L) { return L.Guard == Guard; });
}

void LockSet::removeMutex(const ValueDecl *Mutex) {
  llvm::erase_if(Locks, [&](const HeldLock &L) { return L.Mutex == Mutex; });
}

void LockSet::unionWith(const LockSet &Other) {
  for (const HeldLock &L : Other.Locks)
    add(L);
}

void LockSet::intersectWith(const LockSet &Other) {
  llvm::erase_if(Locks, [&](HeldLock &L) {
    const HeldLock *O = Other.find(L.Mutex);
    if (!O)
      return true;
    if (O->Mode == LockMode::Shared)
      L.Mode = LockMode::Shared;
    if (O->Guard != L.Guard)
      L.Guard = nullptr;
    return false;
  });
}

bool LockSet::excludes(const LockSet &A, const LockSet &B) {
  for (const HeldLock &L : A.Locks)
    if (const HeldLock *O = B.find(L.Mutex))
      if (L.Mode == LockMode::Exclusive || O->Mode == LockMode::Exclusive)
        return true;
  return false;
}

const ValueDecl *LockSet::missingFrom(const LockSet &Other) const {
  const ValueDecl *Any = nullptr;
  for (const HeldLock &L : Other.Locks) {
    if (L.Mode == LockMode::Exclusive)
      return L.Mutex;
    if (!Any)
      Any = L.Mutex;
  }
  return Any;
}

bool LockSet::operator==(const LockSet &O) const {
  if (Locks.size() != O.Locks.size())
    return false;
  for (const HeldLock &L : Locks) {
    const HeldLock *M = O.find(L.Mutex);
    if (!M || M->Mode != L.Mode || M->Guard != L.Guard)
      return false;
  }
  return true;
}

const ValueDecl *mutexKeyOf(const ObjectPath &P) {
  const ValueDecl *D = P.leaf();
  return D ? cast<ValueDecl>(D->getCanonicalDecl()) : nullptr;
}

namespace {

/// What a guard variable stands for: the mutexes its constructor named.
struct GuardInfo {
  LockMode Mode = LockMode::Exclusive;
  llvm::SmallVector<ObjectPath, 1> Mutexes;
  bool TryLock = false;
};

class LockFlow : public ForwardAnalysis<LockFlow, LockSet> {
public:
  LockFlow(FlowContext &Flow, const LockSet &Entry)
      : Flow(Flow), Entry(Entry) {}

  LockSet initialState() { return Entry; }
  void join(LockSet &Into, const LockSet &From) { Into.intersectWith(From); }

  void transfer(const CFGElement &E, LockSet &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!Acquired || !CS || !reporting()) {
      step(E, S);
      return;
    }
    LockSet Before = S;
    step(E, S);
    for (const HeldLock &L : S.locks())
      if (!Before.find(L.Mutex))
        Acquired(CS->getStmt(), L, Before);
  }

  void step(const CFGElement &E, LockSet &S) {
    if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *V = D->getVarDecl();
      if (Guards.count(V) || UserGuards.count(V)) {
        S.removeGuard(V);
        return;
      }
      Events.clear();
      destructorEffects(Flow, V, LockFamily, Events);
      apply(S, nullptr, nullptr);
      return;
    }
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    endDependentGuards(St, S);
    if (Visit && reporting())
      Visit(St, S);
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          declareGuard(VD, S);
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St))
      if (guardCall(MC, S))
        return;
    Events.clear();
    effectsOf(Flow, St, LockFamily, Events);
    apply(S, St, constructedVar(St));
  }

  void unwind(const VarDecl *V, const Stmt *, LockSet &S) {
    if (Guards.count(V) || UserGuards.count(V))
      S.removeGuard(V);
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, LockSet &S) {
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    if (!Cond || (Succ == 0) == Negated)
      return; // only the branch where the test was true acquires
    Cond = skipImplicit(Cond);
    // `if (lk.owns_lock())`, `if (lk)` on a try_to_lock guard.
    const Expr *GuardExpr = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      llvm::StringRef Name = M && M->getIdentifier() ? M->getName() : "";
      if (Name == "owns_lock" || isa<CXXConversionDecl>(M))
        GuardExpr = MC->getImplicitObjectArgument();
      else if (Name == "try_lock" || Name == "try_lock_shared")
        if (const Expr *Obj = MC->getImplicitObjectArgument();
            Obj && Flow.locks().isMutexType(Obj->getType()))
          if (std::optional<ObjectPath> P = objectPathOf(Obj))
            S.add({mutexKeyOf(*P),
                   Name == "try_lock" ? LockMode::Exclusive : LockMode::Shared,
                   nullptr, *P, MC});
    }
    if (const VarDecl *G = GuardExpr ? namedVariable(GuardExpr) : nullptr) {
      auto It = Guards.find(G);
      if (It != Guards.end() && It->second.TryLock)
        for (const ObjectPath &P : It->second.Mutexes)
          S.add({mutexKeyOf(P), It->second.Mode, G, P, Cond});
    }
  }

  llvm::function_ref<void(const Stmt *, const LockSet &)> Visit;
  AcquireCallback Acquired;
  llvm::SmallVector<ObjectPath, 2> Released;

private:
  void declareGuard(const VarDecl *VD, LockSet &S) {
    if (!VD->getInit())
      return;
    std::optional<GuardInit> G =
        Flow.locks().guardInit(skipImplicit(VD->getInit()), VD->getType());
    if (!G)
      return;
    // The graph of a template's dependent code has no destructor for a
    // guard of a dependent type: it ends with the statement that declares
    // it.
    if (VD->getType()->isDependentType())
      if (const Stmt *Decl = graph().parent(VD->getInit()))
        if (const Stmt *Scope = graph().parent(Decl))
          DependentGuards.push_back({VD, Scope});
    GuardInfo &Info = Guards[VD];
    Info.Mode = G->Mode;
    Info.TryLock = G->TryLock;
    for (const Expr *M : G->Mutexes)
      if (std::optional<ObjectPath> P = objectPathOf(M)) {
        Info.Mutexes.push_back(*P);
        if (G->Acquires)
          S.add({mutexKeyOf(*P), G->Mode, VD, *P, VD->getInit()});
      }
  }

  /// Releases the guards of dependent types whose scope \p St is outside.
  void endDependentGuards(const Stmt *St, LockSet &S) const {
    for (const auto &[Guard, Scope] : DependentGuards) {
      const Stmt *P = St;
      while (P && P != Scope)
        P = graph().parent(P);
      if (!P)
        S.removeGuard(Guard);
    }
  }

  bool guardCall(const CXXMemberCallExpr *MC, LockSet &S) {
    const VarDecl *G = namedVariable(MC->getImplicitObjectArgument());
    auto It = G ? Guards.find(G) : Guards.end();
    if (It == Guards.end())
      return false;
    switch (Flow.locks().classifyGuardCall(MC)) {
    case GuardOp::Lock:
      for (const ObjectPath &P : It->second.Mutexes)
        S.add({mutexKeyOf(P), It->second.Mode, G, P, MC});
      break;
    case GuardOp::Unlock:
    case GuardOp::Release:
      S.removeGuard(G);
      break;
    case GuardOp::None:
      break;
    }
    return true;
  }

  /// The variable \p St constructs or declares, if any: the declaration
  /// itself, or a construction that is the variable's initialiser.
  const VarDecl *constructedVar(const Stmt *St) const {
    if (isa<DeclStmt>(St))
      return singleVarDecl(St);
    const auto *CE = dyn_cast<CXXConstructExpr>(St);
    if (!CE)
      return nullptr;
    const Stmt *P = graph().parent(St);
    while (P && isa<Expr>(P) && skipImplicit(cast<Expr>(P)) == St)
      P = graph().parent(P);
    return varInitialisedBy(P, CE);
  }

  void apply(LockSet &S, const Stmt *St, const VarDecl *Constructed) {
    for (const EffectEvent &Ev : Events) {
      const ValueDecl *Key = mutexKeyOf(Ev.Path);
      if (!Key)
        continue;
      // A user guard: its constructor acquired what it was given.
      const VarDecl *Guard = nullptr;
      if (Constructed && Ev.FromSummary) {
        Guard = Constructed;
        UserGuards.insert(Constructed);
      }
      if (Ev.Effect & (AcquiresLock | AcquiresShared)) {
        S.add({Key,
               (Ev.Effect & AcquiresLock) ? LockMode::Exclusive
                                          : LockMode::Shared,
               Guard, Ev.Path, St});
      } else if (Ev.Effect & ReleasesLock) {
        if (!S.find(Key) && !llvm::is_contained(Released, Ev.Path))
          Released.push_back(Ev.Path);
        S.removeMutex(Key);
      }
    }
  }

  FlowContext &Flow;
  const LockSet &Entry;
  llvm::SmallVector<EffectEvent, 4> Events;
  llvm::DenseMap<const VarDecl *, GuardInfo> Guards;
  llvm::DenseSet<const VarDecl *> UserGuards;
  /// Guards of a dependent type and the statement their lifetime ends with.
  llvm::SmallVector<std::pair<const VarDecl *, const Stmt *>, 2>
      DependentGuards;
};

} // namespace

bool LockSetAnalysis::run(
    const Decl *D, const LockSet &Entry,
    llvm::function_ref<void(const Stmt *, const LockSet &)> Visit,
    std::optional<LockSet> *Exit,
    llvm::SmallVectorImpl<ObjectPath> *Released) const {
  const FlowGraph *G = Flow.graph(D);
  if (!G)
    return false;
  LockFlow A(Flow, Entry);
  A.modelExceptions(Flow.throws());
  ForwardSolver<LockFlow> Solver(*G, A);
  if (!Solver.solve())
    return false;
  A.Visit = Visit;
  A.Acquired = Acquired;
  Solver.report();
  if (Exit)
    *Exit = Solver.normalExit();
  if (Released)
    Released->append(A.Released.begin(), A.Released.end());
  return true;
}

} // namespace pitfall
