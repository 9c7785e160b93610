//===--- LockSet.cpp ------------------------------------------------------===//
#include "pitfall/Core/LockSet.h"

#include "pitfall/Core/Escape.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"
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

namespace {

/// The transfer function, with the guards seen so far (a guard's mutexes are
/// recorded at its declaration even when it is constructed deferred, so that
/// a later lk.lock() knows what it acquires).
class Transfer {
public:
  explicit Transfer(const LockRecognizer &Locks) : Locks(Locks) {}

  void apply(const CFGElement &E, LockSet &State) {
    if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
      State.removeGuard(D->getVarDecl());
      return;
    }
    std::optional<CFGStmt> S = E.getAs<CFGStmt>();
    if (!S)
      return;
    const Stmt *St = S->getStmt();
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          declareGuard(VD, State);
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      memberCall(MC, State);
      return;
    }
    if (const auto *C = dyn_cast<CallExpr>(St); C && isMultiLockCall(C))
      for (const Expr *Arg : C->arguments())
        if (const ValueDecl *M = mutexKey(Arg))
          State.add({M, LockMode::Exclusive, nullptr});
  }

private:
  void declareGuard(const VarDecl *VD, LockSet &State) {
    if (!VD->getInit() || !Locks.guardMode(VD->getType()))
      return;
    const auto *CE =
        dyn_cast_or_null<CXXConstructExpr>(ignoreWrappers(VD->getInit()));
    std::optional<GuardInit> G = Locks.guardInit(CE);
    if (!G)
      return;
    auto &Keys = GuardMutexes[VD];
    Keys.first = G->Mode;
    for (const Expr *M : G->Mutexes)
      if (const ValueDecl *K = mutexKey(M)) {
        Keys.second.push_back(K);
        if (G->Acquires)
          State.add({K, G->Mode, VD});
      }
  }

  void memberCall(const CXXMemberCallExpr *MC, LockSet &State) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        auto It = GuardMutexes.find(VD);
        if (It != GuardMutexes.end()) {
          switch (Locks.classifyGuardCall(MC)) {
          case GuardOp::Lock:
            for (const ValueDecl *K : It->second.second)
              State.add({K, It->second.first, VD});
            break;
          case GuardOp::Unlock:
          case GuardOp::Release:
            State.removeGuard(VD);
            break;
          case GuardOp::None:
            break;
          }
          return;
        }
      }
    MutexOp Op = Locks.classifyMutexCall(MC);
    if (Op == MutexOp::None)
      return;
    const ValueDecl *K = mutexKey(Obj);
    if (!K)
      return;
    switch (Op) {
    case MutexOp::Lock:
      State.add({K, LockMode::Exclusive, nullptr});
      break;
    case MutexOp::LockShared:
      State.add({K, LockMode::Shared, nullptr});
      break;
    case MutexOp::Unlock:
    case MutexOp::UnlockShared:
      State.removeMutex(K);
      break;
    case MutexOp::None:
      break;
    }
  }

  const LockRecognizer &Locks;
  llvm::DenseMap<const VarDecl *,
                 std::pair<LockMode, llvm::SmallVector<const ValueDecl *, 1>>>
      GuardMutexes;
};

} // namespace

bool LockSetAnalysis::run(
    const Decl *D, ASTContext &Ctx, const LockSet &Entry,
    llvm::function_ref<void(const Stmt *, const LockSet &)> Visit) const {
  Stmt *Body = D ? D->getBody() : nullptr;
  if (!Body)
    return false;
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = false;
  Opts.AddInitializers = false;
  Opts.setAllAlwaysAdd();
  std::unique_ptr<CFG> G = CFG::buildCFG(D, Body, &Ctx, Opts);
  if (!G)
    return false;

  PostOrderCFGView POV(G.get());
  unsigned N = G->getNumBlockIDs();
  llvm::SmallVector<std::optional<LockSet>, 16> In(N);
  Transfer T(Locks);
  In[G->getEntry().getBlockID()] = Entry;

  auto OutOf = [&](const CFGBlock &B) {
    LockSet S = *In[B.getBlockID()];
    for (const CFGElement &E : B)
      T.apply(E, S);
    return S;
  };

  ForwardDataflowWorklist WL(*G, &POV);
  WL.enqueueBlock(&G->getEntry());
  // Must-analysis over a finite lattice: each block's state only shrinks
  // after its first visit, so this terminates; the bound is a safety net.
  unsigned Budget = 64 * N + 64;
  while (const CFGBlock *B = WL.dequeue()) {
    if (Budget-- == 0)
      break;
    LockSet Out = OutOf(*B);
    for (const CFGBlock *Succ : B->succs()) {
      if (!Succ)
        continue;
      std::optional<LockSet> &SI = In[Succ->getBlockID()];
      if (!SI) {
        SI = Out;
      } else {
        LockSet Merged = *SI;
        Merged.intersectWith(Out);
        if (Merged == *SI)
          continue;
        SI = std::move(Merged);
      }
      WL.enqueueBlock(Succ);
    }
  }

  // Report in reverse post-order, so that guards are declared before use.
  Transfer Report(Locks);
  for (const CFGBlock *B : POV) {
    if (!B || !In[B->getBlockID()])
      continue;
    LockSet S = *In[B->getBlockID()];
    for (const CFGElement &E : *B) {
      if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
        Visit(CS->getStmt(), S);
      Report.apply(E, S);
    }
  }
  return true;
}

} // namespace pitfall
