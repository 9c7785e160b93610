//===--- PoolDrain.cpp ----------------------------------------------------===//
#include "pitfall/Flow/PoolDrain.h"

#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/Summary.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

namespace {

/// The member of `this` that \p E names (`count_`, `this->count_`), or null.
const FieldDecl *memberOfThis(const Expr *E) {
  std::optional<ObjectPath> P = E ? objectPathOf(E) : std::nullopt;
  if (!P || P->Kind != RootKind::This || P->Fields.size() != 1 || P->Element)
    return nullptr;
  return P->Fields.front();
}

/// The member of `this` that \p S adds to (\p Up) or subtracts from:
/// `n.fetch_add(1)`, `++n`, `n--`, `n += k` (on an atomic or an integer).
const FieldDecl *countedMember(const Stmt *S, bool Up) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() &&
        M->getName() == (Up ? "fetch_add" : "fetch_sub"))
      return memberOfThis(MC->getImplicitObjectArgument());
    return nullptr;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    OverloadedOperatorKind Op = OC->getOperator();
    if (OC->getNumArgs() > 0 &&
        (Up ? (Op == OO_PlusPlus || Op == OO_PlusEqual)
            : (Op == OO_MinusMinus || Op == OO_MinusEqual)))
      return memberOfThis(OC->getArg(0));
    return nullptr;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (Up ? UO->isIncrementOp() : UO->isDecrementOp())
      return memberOfThis(UO->getSubExpr());
    return nullptr;
  }
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S))
    if (CA->getOpcode() == (Up ? BO_AddAssign : BO_SubAssign))
      return memberOfThis(CA->getLHS());
  return nullptr;
}

/// The members \p Fn increments, with the member functions of \p Record it
/// calls on its own object, \p Depth calls deep.
void incrementedMembers(const FunctionDecl *Fn, const CXXRecordDecl *Record,
                        unsigned Depth,
                        llvm::SmallPtrSetImpl<const FieldDecl *> &Out,
                        llvm::SmallPtrSetImpl<const FunctionDecl *> &Seen) {
  const FunctionDecl *Def = nullptr;
  if (!Fn || !Fn->hasBody(Def) || !Seen.insert(Def).second)
    return;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (const FieldDecl *F = countedMember(S, /*Up=*/true))
      Out.insert(F);
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (Depth > 0 && MC && MC->getMethodDecl() &&
        MC->getMethodDecl()->getParent() == Record &&
        isa<CXXThisExpr>(skipImplicit(MC->getImplicitObjectArgument())))
      incrementedMembers(MC->getMethodDecl(), Record, Depth - 1, Out, Seen);
    return true;
  });
}

/// True if the call \p S runs a callable object on the spot: `task()` on an
/// object that is not a lambda of the function, `std::invoke(f)`, a call
/// through a function pointer.
bool runsCallable(const Stmt *S) {
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return false;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (OC->getOperator() != OO_Call || OC->getNumArgs() == 0)
      return false;
    const CXXRecordDecl *RD = OC->getArg(0)->getType()->getAsCXXRecordDecl();
    return RD && !RD->isLambda();
  }
  if (isStdFunction(Call->getDirectCallee(), {"invoke", "apply"}))
    return true;
  return !Call->getDirectCallee() && !isa<CXXMemberCallExpr>(Call) &&
         !isa<CXXPseudoDestructorExpr>(Call->getCallee()->IgnoreParens());
}

/// A statement's place on a flow graph.
struct Place {
  const CFGBlock *Block;
  unsigned Index;
};

/// True if \p To can be evaluated after \p From; with \p SameIteration,
/// without taking a loop's back edge on the way.
bool follows(const FlowGraph &G, Place From, Place To, bool SameIteration) {
  if (From.Block == To.Block && To.Index > From.Index)
    return true;
  llvm::SmallVector<const CFGBlock *, 16> Work{From.Block};
  llvm::DenseSet<const CFGBlock *> Seen;
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock *Succ : B->succs()) {
      if (!Succ || (SameIteration && G.orderIndex(Succ) <= G.orderIndex(B)))
        continue;
      if (Succ == To.Block)
        return true;
      if (Seen.insert(Succ).second)
        Work.push_back(Succ);
    }
  }
  return false;
}

/// The members \p Worker signals after it runs a callable and then
/// decrements one of \p Counts.
void signalledAfterTasks(FlowContext &Flow, const FunctionDecl *Worker,
                         const llvm::SmallPtrSetImpl<const FieldDecl *> &Counts,
                         llvm::SmallVectorImpl<const FieldDecl *> &Out) {
  const FlowGraph *G = Flow.graph(Worker);
  if (!G)
    return;
  llvm::SmallVector<Place, 2> Runs, Decrements;
  llvm::SmallVector<std::pair<Place, const FieldDecl *>, 2> Signals;
  llvm::SmallVector<EffectEvent, 4> Events;
  for (const CFGBlock *B : G->order()) {
    unsigned Index = 0;
    for (const CFGElement &E : *B) {
      Place At{B, Index++};
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (runsCallable(S))
        Runs.push_back(At);
      if (const FieldDecl *F = countedMember(S, /*Up=*/false);
          F && Counts.contains(F))
        Decrements.push_back(At);
      Events.clear();
      effectsOf(Flow, S, SyncFamily, Events);
      for (const EffectEvent &Ev : Events)
        if ((Ev.Effect & pitfall::Signals) && Ev.Path.Kind == RootKind::This &&
            Ev.Path.Fields.size() == 1)
          Signals.push_back({At, Ev.Path.Fields.front()});
    }
  }
  for (const auto &[At, W] : Signals)
    if (!llvm::is_contained(Out, W) &&
        llvm::any_of(Decrements, [&, &At = At](const Place &D) {
          return follows(*G, D, At, /*SameIteration=*/false) &&
                 llvm::any_of(Runs, [&](const Place &R) {
                   return follows(*G, R, D, /*SameIteration=*/true);
                 });
        }))
      Out.push_back(W);
}

} // namespace

bool anyClassTask(FlowContext &Flow, const CXXRecordDecl *Record,
                  llvm::function_ref<bool(const FunctionDecl *)> Task) {
  auto Scan = [&](const Stmt *Root) {
    llvm::SmallVector<const Stmt *, 32> Work{Root};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      llvm::append_range(Work, S->children());
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        continue;
      // Only thread starts and executors: a spawner would recurse here.
      for (const EscapeSite &ES : Flow.escapes().escapes(E))
        if (Task(Flow.callables().resolve(ES.Callable).Fn))
          return true;
    }
    return false;
  };
  auto ScanMember = [&](const FunctionDecl *M) {
    const FunctionDecl *Def = nullptr;
    if (!M || !M->hasBody(Def))
      return false;
    if (Scan(Def->getBody()))
      return true;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Scan(Init->getInit()))
          return true;
    return false;
  };
  for (const Decl *D : Record->decls()) {
    if (ScanMember(dyn_cast<CXXMethodDecl>(D)))
      return true;
    // A member template (a constructor taking any initialiser): its
    // instantiations.
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      for (const FunctionDecl *Spec : FT->specializations())
        if (ScanMember(Spec))
          return true;
  }
  return false;
}

llvm::SmallVector<const FieldDecl *, 1>
drainSignals(FlowContext &Flow, const CXXRecordDecl *Record,
             const FieldDecl *Field, const FunctionDecl *Submit) {
  llvm::SmallVector<const FieldDecl *, 1> Out;
  llvm::SmallPtrSet<const FieldDecl *, 2> Counts;
  llvm::SmallPtrSet<const FunctionDecl *, 4> Seen;
  incrementedMembers(Submit, Record, MaxSummaryDepth, Counts, Seen);
  if (Counts.empty())
    return Out;
  anyClassTask(Flow, Record, [&](const FunctionDecl *Worker) {
    const FunctionDecl *Def = nullptr;
    if (Worker && Worker->hasBody(Def) && mentionsField(Def->getBody(), Field))
      signalledAfterTasks(Flow, Def, Counts, Out);
    return false;
  });
  return Out;
}

} // namespace pitfall
