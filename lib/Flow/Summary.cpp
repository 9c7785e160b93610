//===--- Summary.cpp ------------------------------------------------------===//
#include "pitfall/Flow/Summary.h"

#include "pitfall/Core/ScopeExit.h"

#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/LockAnalysis.h"
#include "pitfall/Flow/PoolDrain.h"
#include "pitfall/Flow/SyncPaths.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

//===----------------------------------------------------------------------===//
// FunctionSummary and the mapping to call sites
//===----------------------------------------------------------------------===//

const SlotEffect *FunctionSummary::find(const ObjectPath &P) const {
  for (const SlotEffect &S : Slots)
    if (S.Slot == P)
      return &S;
  return nullptr;
}

SlotEffect &FunctionSummary::get(const ObjectPath &P) {
  for (SlotEffect &S : Slots)
    if (S.Slot == P)
      return S;
  Slots.emplace_back();
  Slots.back().Slot = P;
  return Slots.back();
}

namespace {

constexpr unsigned NumFamilies = 5;

unsigned familyIndex(SummaryFamily F) {
  return static_cast<unsigned>(llvm::countr_zero(static_cast<unsigned>(F)));
}

/// The effect bits a family's computation sets.
uint32_t familyEffects(SummaryFamily F) {
  switch (F) {
  case ThreadFamily:
    return JoinsThread | MayJoinThread | DetachesThread | StartsThread;
  case LockFamily:
    return AcquiresLock | AcquiresShared | ReleasesLock | TryAcquiresLock |
           TryAcquiresShared | HeldOnEntry;
  case SyncFamily:
    return Arrives | Waits | Signals | ClosesChannel | SendsOnChannel |
           ClosesUnchecked;
  case ErrorFamily:
    return ReadsError | OverwritesError | MayOverwriteError;
  case CallableFamily:
    return RunsElsewhere | RunsHere | StoresCallable;
  }
  return NoEffect;
}

/// Forgets what \p F's last computation put into \p S.
void clearFamily(FunctionSummary &S, SummaryFamily F) {
  uint32_t Bits = familyEffects(F);
  for (SlotEffect &E : S.Slots) {
    E.Effects &= ~Bits;
    if (F == SyncFamily)
      E.MinArrivals = E.MaxArrivals = 0;
    if (F == CallableFamily)
      E.StoredIn.reset();
  }
}

} // namespace

bool FunctionSummary::cutForDepth(uint8_t Families) const {
  for (unsigned I = 0; I != NumFamilies; ++I)
    if ((Families & Computed & (1u << I)) && CutBelow[I])
      return true;
  return false;
}

int FunctionSummary::aliasedParam(const FieldDecl *F) const {
  for (const auto &[Field, Param] : FieldAliases)
    if (Field == F)
      return static_cast<int>(Param);
  return -1;
}

bool isVisibleToCaller(const ObjectPath &P, const FunctionDecl *Fn) {
  switch (P.Kind) {
  case RootKind::Param: {
    // Its own, or one of an enclosing function that a lambda captured.
    const DeclContext *DC = P.Root->getDeclContext();
    return DC == Fn || DC->Encloses(Fn);
  }
  case RootKind::This:
    return isa<CXXMethodDecl>(Fn) && !cast<CXXMethodDecl>(Fn)->isStatic();
  case RootKind::Global:
    return true;
  case RootKind::Local: {
    // A variable of an enclosing function, captured by a lambda, or an
    // init-capture's copy of a handle, which is the same object.
    const DeclContext *DC = P.Root->getDeclContext();
    return (DC != Fn && !Fn->Encloses(DC)) || copyOfHandle(P).has_value();
  }
  }
  return false;
}

bool sharedThroughCopy(const ObjectPath &Slot) {
  if (!Slot.Root || !isSharedHandle(Slot.Root->getType()))
    return false;
  // Down the handles nested in it to a shared_ptr member: the state behind
  // it is shared, the member itself is the copy's own.
  for (unsigned I = 0, N = Slot.Fields.size(); I != N; ++I)
    if (!isSharedHandle(Slot.Fields[I]->getType()))
      return I + 1 < N;
  return true;
}

std::optional<ObjectPath> copyOfHandle(const ObjectPath &Slot) {
  const auto *V = dyn_cast_or_null<VarDecl>(Slot.Root);
  if (Slot.Kind != RootKind::Local || !V || !V->isInitCapture() ||
      !V->getInit() || !sharedThroughCopy(Slot))
    return std::nullopt;
  std::optional<ObjectPath> Base =
      objectPathOf(skipMovesAndCopies(V->getInit()));
  if (!Base)
    return std::nullopt;
  for (const FieldDecl *F : Slot.Fields)
    Base->Fields.push_back(F);
  Base->ThroughPointer |= Slot.ThroughPointer;
  return Base;
}

CallSite callSiteOf(const Expr *E) {
  CallSite Out;
  if (!E)
    return Out;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    Out.Callee = MC->getMethodDecl();
    Out.Object = MC->getImplicitObjectArgument();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    Out.Callee = OC->getDirectCallee();
    if (isa_and_nonnull<CXXMethodDecl>(Out.Callee) && OC->getNumArgs() > 0)
      Out.Object = OC->getArg(0);
  } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
    Out.Callee = Call->getDirectCallee();
    // A member call in a template's dependent code (`evict(v)` in a class
    // template) is a call of a member expression, not a member call yet.
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Out.Callee);
    if (const auto *ME =
            dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens());
        ME && M && !M->isStatic())
      Out.Object = ME->getBase();
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    Out.Callee = CE->getConstructor();
  }
  return Out;
}

const Expr *notJoinableOnEdge(const CFGBlock &B, unsigned Succ) {
  bool Negated = false;
  const Expr *Cond = stripNegations(branchCondition(B), Negated);
  const auto *MC =
      dyn_cast_or_null<CXXMemberCallExpr>(Cond ? skipImplicit(Cond) : nullptr);
  if (!MC || classifyThreadMemberCall(MC) != ThreadOp::Joinable ||
      (Succ == 0) != Negated)
    return nullptr;
  return MC->getImplicitObjectArgument();
}

const Expr *argumentFor(const Expr *Site, unsigned ParamIndex) {
  if (const auto *Call = dyn_cast_or_null<CallExpr>(Site)) {
    unsigned I = ParamIndex + firstCallArgument(Call);
    return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
  }
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Site))
    return ParamIndex < CE->getNumArgs() ? CE->getArg(ParamIndex) : nullptr;
  return nullptr;
}

static std::optional<ObjectPath>
withFields(std::optional<ObjectPath> Base,
           llvm::ArrayRef<const FieldDecl *> Fields) {
  if (!Base)
    return std::nullopt;
  for (const FieldDecl *F : Fields)
    if (Base->Fields.size() < 3)
      Base->Fields.push_back(F);
  return Base;
}

/// The object an argument names: objectPathOf(), or the member a getter's
/// call returns (`Guard g(other.lockRef())`: `other.spin_`).
static std::optional<ObjectPath> argumentPathOf(const Expr *Arg) {
  if (std::optional<ObjectPath> P = objectPathOf(Arg))
    return P;
  return pointeePathOf(Arg);
}

std::optional<ObjectPath> mapToCaller(const ObjectPath &CalleeSlot,
                                      const Expr *Site,
                                      const ObjectPath *Object,
                                      const FunctionSummary *Summary) {
  switch (CalleeSlot.Kind) {
  case RootKind::Global:
    return CalleeSlot;
  case RootKind::Local:
    if (std::optional<ObjectPath> Source = copyOfHandle(CalleeSlot))
      return Source;
    return CalleeSlot;
  case RootKind::Param: {
    // A lambda's capture of a parameter of the function around it: the
    // caller's own object.
    if (Summary && Summary->Fn &&
        CalleeSlot.Root->getDeclContext() != Summary->Fn)
      return CalleeSlot;
    const Expr *Arg = argumentFor(Site, CalleeSlot.paramIndex());
    if (!Arg || isa<CXXDefaultArgExpr>(Arg))
      return std::nullopt;
    return withFields(argumentPathOf(Arg), CalleeSlot.Fields);
  }
  case RootKind::This: {
    // In a lambda, `this` is the object of the member function around it.
    if (const auto *M =
            dyn_cast_or_null<CXXMethodDecl>(Summary ? Summary->Fn : nullptr);
        M && M->getParent()->isLambda())
      return CalleeSlot;
    if (Summary && !CalleeSlot.Fields.empty()) {
      int Param = Summary->aliasedParam(CalleeSlot.Fields.front());
      if (Param >= 0) {
        const Expr *Arg = argumentFor(Site, Param);
        if (!Arg)
          return std::nullopt;
        return withFields(argumentPathOf(Arg),
                          llvm::ArrayRef(CalleeSlot.Fields).drop_front());
      }
    }
    if (!Object)
      return std::nullopt;
    return withFields(*Object, CalleeSlot.Fields);
  }
  }
  return std::nullopt;
}

std::optional<ObjectPath> mapToCaller(const ObjectPath &CalleeSlot,
                                      const Expr *Site, const Expr *Object,
                                      const FunctionSummary *Summary) {
  std::optional<ObjectPath> Obj = Object ? objectPathOf(Object) : std::nullopt;
  return mapToCaller(CalleeSlot, Site, Obj ? &*Obj : nullptr, Summary);
}

//===----------------------------------------------------------------------===//
// SummaryCache
//===----------------------------------------------------------------------===//

SummaryCache::~SummaryCache() = default;

/// The parameter \p E names (`p`, or its address `&p`), or -1.
static int aliasedParamOf(const Expr *E) {
  E = skipImplicit(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = skipImplicit(UO->getSubExpr());
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
      return static_cast<int>(P->getFunctionScopeIndex());
  return -1;
}

static bool isIndirectField(const FieldDecl *F) {
  return F &&
         (F->getType()->isReferenceType() || F->getType()->isPointerType());
}

/// A statement that does nothing to the objects a guard's members designate
/// (openingFieldAliases()): it calls nothing but a function that does not
/// return (an assertion's failure) and writes no reference or pointer
/// member; a scalar member set (`m_is_writer = write;`), `((void)0)`.
static bool isInertOpening(const Stmt *St) {
  if (!isa<Expr, NullStmt>(St))
    return false;
  return walkOutsideLambdas(St, LambdaBodies::Skip, [](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      return FD && FD->isNoReturn();
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      return CE->getConstructor() && CE->getConstructor()->isTrivial();
    if (isa<CXXNewExpr, CXXDeleteExpr>(S))
      return false;
    const Expr *Target = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp())
      Target = BO->getLHS();
    else if (const auto *UO = dyn_cast<UnaryOperator>(S);
             UO && UO->isIncrementDecrementOp())
      Target = UO->getSubExpr();
    const auto *ME =
        Target ? dyn_cast<MemberExpr>(skipImplicit(Target)) : nullptr;
    return !ME || !isIndirectField(dyn_cast<FieldDecl>(ME->getMemberDecl()));
  });
}

/// The reference or pointer fields of `this` that the statements \p Body
/// opens with bind to a parameter of \p FD: `m_ = &m;`, or a call on `this`
/// of a member function that opens so, given the parameter (`attach(m);`,
/// `acquire(m, write);`, at most \p Depth calls deep). Inert statements
/// (isInertOpening(): an assertion, a scalar member set) may come between
/// them. The bindings stop at the first statement that is none of these:
/// what comes after acts on the bound object.
static void openingFieldAliases(
    const FunctionDecl *FD, unsigned Depth,
    llvm::SmallVectorImpl<std::pair<const FieldDecl *, unsigned>> &Out) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body)
    return;
  for (const Stmt *St : Body->body()) {
    if (const auto *BO = dyn_cast<BinaryOperator>(St);
        BO && BO->getOpcode() == BO_Assign) {
      const auto *ME = dyn_cast<MemberExpr>(skipImplicit(BO->getLHS()));
      const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
      int P = aliasedParamOf(BO->getRHS());
      if (isIndirectField(F) && isa<CXXThisExpr>(skipImplicit(ME->getBase())) &&
          P >= 0) {
        Out.push_back({F, static_cast<unsigned>(P)});
        continue;
      }
    }
    if (isInertOpening(St))
      continue;
    const auto *MC = dyn_cast<CXXMemberCallExpr>(St);
    const FunctionDecl *Callee = MC ? MC->getMethodDecl() : nullptr;
    const FunctionDecl *Def = nullptr;
    if (!Callee || Depth == 0 || !MC->getImplicitObjectArgument() ||
        !isa<CXXThisExpr>(skipImplicit(MC->getImplicitObjectArgument())) ||
        !Callee->hasBody(Def) || !Def)
      return;
    llvm::SmallVector<std::pair<const FieldDecl *, unsigned>, 1> Inner;
    openingFieldAliases(Def, Depth - 1, Inner);
    if (Inner.empty())
      return;
    for (const auto &[F, Index] : Inner) {
      int P = Index < MC->getNumArgs() ? aliasedParamOf(MC->getArg(Index)) : -1;
      if (P >= 0)
        Out.push_back({F, static_cast<unsigned>(P)});
    }
  }
}

/// Fields bound to a parameter: a constructor's (`Guard(M &m) : m_(m)`,
/// `: m_(&m)`, or `m_ = &m;` in the body), and those a member function
/// binds before anything else (a guard's `attach_and_lock(m)` that calls
/// `attach(m)`, which stores `&m`, then locks through the member).
static void collectFieldAliases(const FunctionDecl *FD, FunctionSummary &S,
                                unsigned Depth = 2) {
  const auto *Method = dyn_cast<CXXMethodDecl>(FD);
  if (!Method || Method->isStatic())
    return;
  // The opening binds of its body: also a constructor's that calls a
  // member binding its argument (oneTBB's `rw_scoped_lock(Mutex &m, bool
  // write) { acquire(m, write); }`).
  openingFieldAliases(FD, /*Depth=*/2, S.FieldAliases);
  const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD);
  if (!Ctor)
    return;
  auto IsIndirect = [](const FieldDecl *F) { return isIndirectField(F); };
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    if (const FieldDecl *F = Init->getMember(); F && IsIndirect(F))
      if (int P = aliasedParamOf(Init->getInit()); P >= 0)
        S.FieldAliases.push_back({F, static_cast<unsigned>(P)});
    // A base class's (or the delegated-to) constructor's: its fields are
    // this object's (`ScopedWriteRWLock(RWLock &rwl) : ScopedRWLock(rwl,
    // true)` binds `_rwl` to `rwl`).
    const auto *CE =
        Init->isBaseInitializer() || Init->isDelegatingInitializer()
            ? dyn_cast<CXXConstructExpr>(Init->getInit()->IgnoreImplicit())
            : nullptr;
    const FunctionDecl *Def = nullptr;
    if (!CE || Depth == 0 || !CE->getConstructor() ||
        !CE->getConstructor()->hasBody(Def) || !Def)
      continue;
    FunctionSummary Base;
    collectFieldAliases(Def, Base, Depth - 1);
    for (const auto &[F, Index] : Base.FieldAliases)
      if (Index < CE->getNumArgs())
        if (int P = aliasedParamOf(CE->getArg(Index)); P >= 0)
          S.FieldAliases.push_back({F, static_cast<unsigned>(P)});
  }
  if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Ctor->getBody()))
    for (const Stmt *St : Body->body()) {
      const auto *BO = dyn_cast<BinaryOperator>(St);
      if (!BO || BO->getOpcode() != BO_Assign)
        continue;
      const auto *ME = dyn_cast<MemberExpr>(skipImplicit(BO->getLHS()));
      const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
      if (F && IsIndirect(F) && isa<CXXThisExpr>(skipImplicit(ME->getBase())))
        if (int P = aliasedParamOf(BO->getRHS());
            P >= 0 &&
            !llvm::is_contained(S.FieldAliases,
                                std::make_pair(F, static_cast<unsigned>(P))))
          S.FieldAliases.push_back({F, static_cast<unsigned>(P)});
    }
}

const FunctionSummary *SummaryCache::get(const FunctionDecl *FD,
                                         uint8_t Families) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || !Def->getBody())
    return nullptr;
  std::unique_ptr<FunctionSummary> &Slot = Cache[Def];
  if (!Slot) {
    Slot = std::make_unique<FunctionSummary>();
    Slot->Fn = Def;
    Slot->Throws =
        Flow.throws().calleeKind(Def, /*Virtual=*/false, Flow.astContext());
    collectFieldAliases(Def, *Slot);
  }
  FunctionSummary *S = Slot.get();
  uint8_t Missing = Families & ~S->Computed;
  // Computed deeper than now, where a callee was out of reach: again, from
  // here (at most MaxSummaryDepth times: each time shallower).
  if (!InProgress.lookup(Def))
    for (unsigned I = 0; I != NumFamilies; ++I)
      if ((Families & S->Computed & (1u << I)) && S->CutBelow[I] > Depth + 1)
        Missing |= 1u << I;
  if (!Missing) {
    // Cut short at this depth or above: the caller is cut short with it.
    if (S->cutForDepth(Families))
      ++DepthRefusals;
    return S;
  }
  // Recursion, or too deep: what is being computed is not known yet.
  uint8_t &Busy = InProgress[Def];
  if ((Busy & Missing) || Depth >= MaxSummaryDepth) {
    ++Refusals;
    if (!(Busy & Missing))
      ++DepthRefusals;
    return S;
  }
  Busy |= Missing;
  unsigned AtDepth = Depth;
  ++Depth;
  unsigned RefusalsBefore = Refusals;
  // A family computed again starts afresh.
  for (unsigned I = 0; I != NumFamilies; ++I)
    if (Missing & S->Computed & (1u << I))
      clearFamily(*S, static_cast<SummaryFamily>(1u << I));
  // Each family's own cut: the families are computed one after the other.
  auto Compute = [&](SummaryFamily F,
                     void (SummaryCache::*Fn)(FunctionSummary &)) {
    if (!(Missing & F))
      return;
    unsigned DepthRefusalsBefore = DepthRefusals;
    (this->*Fn)(*S);
    S->CutBelow[familyIndex(F)] =
        DepthRefusals != DepthRefusalsBefore ? AtDepth + 1 : 0;
  };
  Compute(ThreadFamily, &SummaryCache::computeThreads);
  Compute(LockFamily, &SummaryCache::computeLocks);
  Compute(SyncFamily, &SummaryCache::computeSync);
  Compute(ErrorFamily, &SummaryCache::computeErrors);
  Compute(CallableFamily, &SummaryCache::computeCallables);
  --Depth;
  // The map may have grown while callees were summarised.
  InProgress[Def] &= ~Missing;
  S->Computed |= Missing;
  if (Refusals != RefusalsBefore)
    S->Complete = false;
  return S;
}

std::optional<int64_t> ConstantBinding::valueOf(const ParmVarDecl *P) const {
  if (!P || P->getDeclContext() != Fn)
    return std::nullopt;
  for (const auto &[Index, Value] : Values)
    if (Index == P->getFunctionScopeIndex())
      return Value;
  return std::nullopt;
}

uint64_t SummaryCache::branchParameters(const FunctionDecl *FD) {
  auto [It, New] = BranchParams.try_emplace(FD, 0);
  if (!New)
    return It->second;
  uint64_t Mask = 0;
  auto Reads = [&](const Stmt *Cond) {
    walkOutsideLambdas(Cond, LambdaBodies::Skip, [&](const Stmt *S) {
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
        if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
          if (P->getDeclContext() == FD && P->getFunctionScopeIndex() < 64 &&
              P->getType()->isIntegralOrEnumerationType())
            Mask |= uint64_t(1) << P->getFunctionScopeIndex();
      return true;
    });
  };
  if (FD->getBody())
    walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      if (const auto *If = dyn_cast<IfStmt>(S))
        Reads(If->getCond());
      else if (const auto *W = dyn_cast<WhileStmt>(S))
        Reads(W->getCond());
      else if (const auto *D = dyn_cast<DoStmt>(S))
        Reads(D->getCond());
      else if (const auto *F = dyn_cast<ForStmt>(S); F && F->getCond())
        Reads(F->getCond());
      else if (const auto *C = dyn_cast<ConditionalOperator>(S))
        Reads(C->getCond());
      else if (const auto *BO = dyn_cast<BinaryOperator>(S);
               BO && BO->isLogicalOp())
        Reads(BO->getLHS());
      return true;
    });
  // A parameter handed on to one a callee branches on (`rw_scoped_lock(m,
  // write) { acquire(m, write); }`): the callee's branch is the function's.
  if (FD->getBody() && BranchDepth < MaxSummaryDepth) {
    ++BranchDepth;
    walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const FunctionDecl *Callee = nullptr;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        Callee = Call->getDirectCallee();
      else if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
        Callee = CE->getConstructor();
      const FunctionDecl *Def = nullptr;
      if (!Callee || !Callee->hasBody(Def) || !Def || Def == FD)
        return true;
      uint64_t Inner = branchParameters(Def); // recursion: 0 while computed
      for (unsigned I = 0; I < 64 && (Inner >> I); ++I)
        if ((Inner >> I) & 1)
          if (const Expr *Arg = argumentFor(cast<Expr>(S), I))
            Reads(Arg);
      return true;
    });
    --BranchDepth;
  }
  BranchParams[FD] = Mask; // not It: the walk inserts callees' entries
  return Mask;
}

ConstantBinding
SummaryCache::constantArguments(const FunctionDecl *FD, const Expr *Site,
                                const ConstantBinding *Enclosing) {
  ConstantBinding B;
  B.Fn = FD;
  uint64_t Mask = FD ? branchParameters(FD) : 0;
  const ASTContext &Ctx = Flow.astContext();
  for (unsigned I = 0; I < 64 && (Mask >> I); ++I) {
    if (!((Mask >> I) & 1))
      continue;
    const Expr *Arg = argumentFor(Site, I);
    if (!Arg)
      continue;
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(Arg))
      Arg = Default->getExpr();
    std::optional<int64_t> V = evaluateInteger(
        Arg, Ctx, [&](const ParmVarDecl *P) -> std::optional<int64_t> {
          return Enclosing ? Enclosing->valueOf(P) : std::nullopt;
        });
    if (V)
      B.Values.push_back({I, *V});
  }
  return B;
}

const FunctionSummary *SummaryCache::locksWith(const ConstantBinding &Binding) {
  const FunctionDecl *Def = Binding.Fn;
  if (!Def || !Def->getBody() || Binding.empty())
    return nullptr;
  auto Key = std::make_pair(Def, Binding.Values);
  auto It = Bound.find(Key);
  if (It != Bound.end())
    return It->second.get(); // null while being computed: recursion
  if (Depth >= MaxSummaryDepth) {
    ++Refusals;
    ++DepthRefusals;
    return nullptr;
  }
  Bound[Key] = nullptr;
  auto S = std::make_unique<FunctionSummary>();
  S->Fn = Def;
  collectFieldAliases(Def, *S);
  unsigned AtDepth = Depth;
  unsigned RefusalsBefore = Refusals, DepthRefusalsBefore = DepthRefusals;
  ++Depth;
  computeLocks(*S, &Binding);
  --Depth;
  S->Computed = LockFamily;
  S->Complete = Refusals == RefusalsBefore;
  FunctionSummary *Out = S.get();
  if (DepthRefusals != DepthRefusalsBefore) {
    // Cut short here: not reused from shallower.
    S->CutBelow[familyIndex(LockFamily)] = AtDepth + 1;
    Bound.erase(Key);
    BoundCut.push_back(std::move(S));
  } else {
    Bound[Key] = std::move(S);
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Threads: joined / detached / moved out on every path, or on some
//===----------------------------------------------------------------------===//

namespace {

struct ThreadState {
  PathSet Released;   ///< not joinable, every path
  PathSet MayRelease; ///< made not joinable on some path
  PathSet Started;    ///< holds a started thread, every path
  PathSet Detached;   ///< detached on some path
  bool operator==(const ThreadState &O) const {
    return samePaths(Released, O.Released) &&
           samePaths(MayRelease, O.MayRelease) &&
           samePaths(Started, O.Started) && samePaths(Detached, O.Detached);
  }
};

/// True if \p S (not entering lambdas) is inside a loop of \p G's body.
bool insideLoop(const Stmt *S, const FlowGraph &G) {
  for (const Stmt *P = G.parent(S); P; P = G.parent(P))
    if (isLoopStmt(P))
      return true;
  return false;
}

class ThreadFlow : public ForwardAnalysis<ThreadFlow, ThreadState> {
public:
  explicit ThreadFlow(FlowContext &Flow) : Flow(Flow) {}

  ThreadState initialState() { return {}; }
  void join(ThreadState &Into, const ThreadState &From) {
    intersectPaths(Into.Released, From.Released);
    unitePaths(Into.MayRelease, From.MayRelease);
    intersectPaths(Into.Started, From.Started);
    unitePaths(Into.Detached, From.Detached);
  }

  void transfer(const CFGElement &E, ThreadState &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    Events.clear();
    effectsOf(Flow, St, ThreadFamily, Events);
    for (const EffectEvent &Ev : Events) {
      if (Ev.Path.Element && !Ev.FromSummary && !insideLoop(St, graph()))
        continue; // one element of a container, outside a loop
      if (Ev.Effect & JoinsThread)
        release(S, Ev.Path, Ev.Effect & DetachesThread);
      if (Ev.Effect & MayJoinThread)
        insertPath(S.MayRelease, Ev.Path);
      if (Ev.Effect & DetachesThread)
        insertPath(S.Detached, Ev.Path);
      if (Ev.Effect & StartsThread) {
        insertPath(S.Started, Ev.Path);
        erasePath(S.Released, Ev.Path);
      }
    }
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, ThreadState &S) {
    // Leaving a range-for whose body joins every element.
    if (std::optional<ObjectPath> P =
            containerReleasedOnEdge(Flow, graph(), B, Succ))
      release(S, *P, false);
    // `if (t.joinable())`: the false branch has nothing to join.
    if (const Expr *T = notJoinableOnEdge(B, Succ))
      if (std::optional<ObjectPath> P = objectPathOf(T))
        insertPath(S.Released, *P);
  }

private:
  void release(ThreadState &S, const ObjectPath &P, bool) {
    insertPath(S.Released, P);
    insertPath(S.MayRelease, P);
    erasePath(S.Started, P);
  }

  FlowContext &Flow;
  llvm::SmallVector<EffectEvent, 4> Events;
};

} // namespace

void SummaryCache::computeThreads(FunctionSummary &S) {
  const FlowGraph *G = Flow.graph(S.Fn);
  if (!G)
    return;
  ThreadFlow A(Flow);
  ForwardSolver<ThreadFlow> Solver(*G, A);
  if (!Solver.solve()) {
    S.Complete = false;
    return;
  }
  if (!Solver.normalExit())
    return; // never returns
  const ThreadState &Exit = *Solver.normalExit();
  auto Add = [&](const ObjectPath &P, uint32_t E) {
    if (isVisibleToCaller(P, S.Fn))
      S.get(P).Effects |= E;
  };
  for (const ObjectPath &P : Exit.Released)
    Add(P, JoinsThread);
  for (const ObjectPath &P : Exit.MayRelease)
    if (!llvm::is_contained(Exit.Released, P))
      Add(P, MayJoinThread);
  for (const ObjectPath &P : Exit.Detached)
    Add(P, DetachesThread);
  for (const ObjectPath &P : Exit.Started)
    Add(P, StartsThread);
}

//===----------------------------------------------------------------------===//
// Locks: held when the call returns, or released
//===----------------------------------------------------------------------===//

void SummaryCache::computeLocks(FunctionSummary &S,
                                const ConstantBinding *Binding) {
  LockSetAnalysis LSA(Flow);
  LSA.bindConstants(Binding);
  std::optional<LockSet> Exit;
  llvm::SmallVector<ObjectPath, 2> Released;
  if (!LSA.run(
          S.Fn, LockSet(), [](const Stmt *, const LockSet &) {}, &Exit,
          &Released))
    return;
  // The locks the function is entered with: those its attributes require
  // and those it releases without having taken them. Run again from them,
  // so that one released and taken again on every path (`m.unlock();
  // spinAndLock();` on one branch, nothing on the other) is still held at
  // the exit: the call changes nothing for it.
  LockSet Entry = locksRequiredByAttributes(Flow, S.Fn);
  for (const ObjectPath &P : Released)
    Entry.add({mutexKeyOf(P), LockMode::Exclusive, nullptr, P, nullptr});
  if (!Entry.empty() &&
      !LSA.run(S.Fn, Entry, [](const Stmt *, const LockSet &) {}, &Exit))
    return;
  // A lock the returned object's destruction releases (its destructor, a
  // std::unique_ptr's deleter) is held by that object in the caller.
  auto ReleasedByResult = [&](const ValueDecl *Key) {
    for (const FunctionDecl *D : destructionCallees(S.Fn->getReturnType()))
      if (const FunctionSummary *R = get(D, LockFamily))
        for (const SlotEffect &E : R->Slots)
          if ((E.Effects & ReleasesLock) && mutexKeyOf(E.Slot) == Key)
            return true;
    return false;
  };
  if (Exit)
    for (const HeldLock &L : Exit->locks())
      if (L.Path && isVisibleToCaller(*L.Path, S.Fn) && !Entry.find(L.Mutex))
        S.get(*L.Path).Effects |=
            (L.Mode == LockMode::Exclusive ? AcquiresLock : AcquiresShared) |
            (ReleasedByResult(L.Mutex) ? HeldByResult : NoEffect);
  // Taken on some paths only (a try-lock guard, a lock its parameter
  // decides): a caller's later release of it is no release of a lock it
  // was entered with.
  if (Exit)
    for (const HeldLock &L : Exit->mayHold())
      if (L.Path && isVisibleToCaller(*L.Path, S.Fn) && !Exit->find(L.Mutex) &&
          !Entry.find(L.Mutex))
        S.get(*L.Path).Effects |= MayAcquireLock;
  for (const ObjectPath &P : Released)
    if (isVisibleToCaller(P, S.Fn)) {
      S.get(P).Effects |= HeldOnEntry;
      if (!Exit || !Exit->find(mutexKeyOf(P)))
        S.get(P).Effects |= ReleasesLock;
    }
  if (auto T = tryLockReturned(Flow, S.Fn, Binding);
      T && isVisibleToCaller(T->first, S.Fn))
    S.get(T->first).Effects |=
        T->second == LockMode::Exclusive ? TryAcquiresLock : TryAcquiresShared;
}

//===----------------------------------------------------------------------===//
// Sync: arrivals (at least / at most), waits, signals, channel operations
//===----------------------------------------------------------------------===//

// The normal exit of the path-by-path analysis of SyncPaths.h (which
// pitfall-unbalanced-latch also reads exit by exit).
void SummaryCache::computeSync(FunctionSummary &S) {
  const FlowGraph *G = Flow.graph(S.Fn);
  if (!G)
    return;
  SyncPaths P = analyzeSyncPaths(Flow, *G, /*Exceptions=*/false);
  if (!P.Solved)
    return;
  for (const SyncObjectUse &U : P.Uses) {
    uint32_t Flags = U.Effects & (Waits | Signals | ClosesChannel |
                                  SendsOnChannel | ClosesUnchecked | Arrives);
    if (Flags && isVisibleToCaller(U.Object, S.Fn)) {
      SlotEffect &E = S.get(U.Object);
      E.Effects |= Flags & ~Arrives;
      if (E.Loc.isInvalid())
        E.Loc = U.Loc;
    }
  }
  if (!P.NormalExit)
    return;
  for (const SyncCount &C : *P.NormalExit)
    if (isVisibleToCaller(C.Object, S.Fn) && C.Max > 0) {
      SlotEffect &E = S.get(C.Object);
      E.Effects |= Arrives;
      E.MinArrivals = C.Min;
      E.MaxArrivals = C.Max;
    }
}

//===----------------------------------------------------------------------===//
// Errors: the caller's error value read before written, or overwritten
//===----------------------------------------------------------------------===//

namespace {

enum ErrorBits : uint8_t { Fresh = 1, Written = 2 };

struct ErrorState {
  llvm::SmallVector<std::pair<ObjectPath, uint8_t>, 2> Slots; ///< absent: Fresh
  uint8_t bits(const ObjectPath &P) const {
    for (const auto &[Q, B] : Slots)
      if (Q == P)
        return B;
    return Fresh;
  }
  void set(const ObjectPath &P, uint8_t B) {
    for (auto &[Q, Bits] : Slots)
      if (Q == P) {
        Bits = B;
        return;
      }
    Slots.push_back({P, B});
  }
  bool operator==(const ErrorState &O) const {
    return Slots.size() == O.Slots.size() &&
           llvm::all_of(Slots, [&](const auto &S) {
             return O.bits(S.first) == S.second;
           });
  }
};

class ErrorFlow : public ForwardAnalysis<ErrorFlow, ErrorState> {
public:
  explicit ErrorFlow(FlowContext &Flow) : Flow(Flow) {}
  ErrorState initialState() { return {}; }
  void join(ErrorState &Into, const ErrorState &From) {
    for (auto &[P, B] : Into.Slots)
      B |= From.bits(P);
    for (const auto &[P, B] : From.Slots)
      Into.set(P, Into.bits(P) | B);
  }
  void transfer(const CFGElement &E, ErrorState &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    Events.clear();
    effectsOf(Flow, CS->getStmt(), ErrorFamily, Events);
    for (const EffectEvent &Ev : Events) {
      if ((Ev.Effect & ReadsError) && (S.bits(Ev.Path) & Fresh) &&
          !llvm::is_contained(ReadFirst, Ev.Path))
        ReadFirst.push_back(Ev.Path);
      if (Ev.Effect & OverwritesError)
        S.set(Ev.Path, Written);
      else if (Ev.Effect & MayOverwriteError)
        S.set(Ev.Path, S.bits(Ev.Path) | Written);
    }
  }
  llvm::SmallVector<ObjectPath, 2> ReadFirst;

private:
  FlowContext &Flow;
  llvm::SmallVector<EffectEvent, 4> Events;
};

} // namespace

void SummaryCache::computeErrors(FunctionSummary &S) {
  const FlowGraph *G = Flow.graph(S.Fn);
  if (!G)
    return;
  ErrorFlow A(Flow);
  ForwardSolver<ErrorFlow> Solver(*G, A);
  if (!Solver.solve())
    return;
  for (const ObjectPath &P : A.ReadFirst)
    if (isVisibleToCaller(P, S.Fn))
      S.get(P).Effects |= ReadsError;
  if (Solver.normalExit())
    for (const auto &[P, Bits] : Solver.normalExit()->Slots)
      if ((Bits & Written) && isVisibleToCaller(P, S.Fn) &&
          !llvm::is_contained(A.ReadFirst, P))
        S.get(P).Effects |=
            Bits == Written ? OverwritesError : MayOverwriteError;
}

//===----------------------------------------------------------------------===//
// Callables: where the callable a parameter holds ends up
//===----------------------------------------------------------------------===//

namespace {

/// True if a constructor of \p RD takes any one object of a type of the
/// caller's choosing (`template <class F> function(F)`, `thread(F &&, ...)`):
/// a type-erasing holder.
bool hasTypeErasingConstructor(const CXXRecordDecl *RD) {
  for (const Decl *D : RD->decls()) {
    const auto *FT = dyn_cast<FunctionTemplateDecl>(D);
    const auto *Ctor =
        FT ? dyn_cast<CXXConstructorDecl>(FT->getTemplatedDecl()) : nullptr;
    if (!Ctor || Ctor->getNumParams() == 0 ||
        Ctor->getMinRequiredArguments() > 1)
      continue;
    QualType P = Ctor->getParamDecl(0)->getType();
    if (const auto *R = P->getAs<RValueReferenceType>())
      P = R->getPointeeType();
    if (P->getAs<TemplateTypeParmType>() && !P.isConstQualified())
      return true;
  }
  return false;
}

/// Which parameters' values an expression (or a variable) carries.
class Taint {
public:
  explicit Taint(const FunctionDecl *Fn) {
    for (const ParmVarDecl *P : Fn->parameters())
      Vars[P] = 1u << std::min(P->getFunctionScopeIndex(), 31u);
  }

  /// The parameters (a bit each) whose value \p E may carry.
  uint32_t of(const Stmt *E) const {
    uint32_t Bits = 0;
    // The callable a call calls (`Compute()`, `(*task)()`, `fp(x)`): its
    // result is what the callable returns, not the callable.
    llvm::SmallPtrSet<const Expr *, 2> Called;
    walkOutsideLambdas(E, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
          OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
        Called.insert(OC->getArg(0)->IgnoreParenImpCasts());
      else if (const auto *C = dyn_cast<CallExpr>(S);
               C && !C->getDirectCallee() && C->getCallee())
        Called.insert(C->getCallee()->IgnoreParenImpCasts());
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S);
          Ref && !Called.contains(Ref))
        Bits |= Vars.lookup(Ref->getDecl());
      if (const auto *L = dyn_cast<LambdaExpr>(S))
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable())
            Bits |= Vars.lookup(C.getCapturedVar());
      return true;
    });
    return Bits;
  }

  /// Propagates through local initialisations and assignments, to a
  /// fixpoint over the body.
  void propagate(const Stmt *Body) {
    for (bool Changed = true; Changed;) {
      Changed = false;
      walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
        auto Flow = [&](const ValueDecl *To, const Expr *From) {
          if (!canHoldCallable(To->getType()))
            return;
          uint32_t B = of(From);
          uint32_t &Cur = Vars[To];
          if ((Cur | B) != Cur) {
            Cur |= B;
            Changed = true;
          }
        };
        if (const auto *DS = dyn_cast<DeclStmt>(S)) {
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit())
              Flow(V, V->getInit());
        } else if (const auto *BO = dyn_cast<BinaryOperator>(S);
                   BO && BO->getOpcode() == BO_Assign) {
          if (const VarDecl *V = namedVariable(BO->getLHS()))
            Flow(V, BO->getRHS());
        } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
                   OC && OC->getOperator() == OO_Equal &&
                   OC->getNumArgs() == 2) {
          if (const VarDecl *V = namedVariable(OC->getArg(0)))
            Flow(V, OC->getArg(1));
        }
        return true;
      });
    }
  }

  /// True if a value of type \p T could hold a callable: a closure, a
  /// function pointer, an object with an `operator()`, a type-erasing
  /// holder (std::function, std::thread: hasTypeErasingConstructor), or
  /// something with one in a member, a base or a template argument (a
  /// container of them); a dependent or incomplete type may. An iterator,
  /// a count, a span of plain records cannot: a value computed by a call
  /// that runs the callable does not carry it.
  bool canHoldCallable(QualType T, unsigned Depth = 0) {
    if (T.isNull() || Depth > 4)
      return true;
    T = T.getNonReferenceType();
    while (T->isPointerType() || T->isArrayType())
      T = T->isPointerType() ? T->getPointeeType()
                             : T->castAsArrayTypeUnsafe()->getElementType();
    T = T.getCanonicalType();
    if (T->isDependentType() || T->isFunctionType())
      return true;
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return false;
    auto [It, New] = Holds.try_emplace(T.getTypePtr(), true);
    if (!New)
      return It->second;
    bool Result = computeHolds(RD, Depth);
    Holds[T.getTypePtr()] = Result;
    return Result;
  }

private:
  bool computeHolds(const CXXRecordDecl *RD, unsigned Depth) {
    RD = RD->getDefinition();
    if (!RD || RD->isLambda() || hasTypeErasingConstructor(RD))
      return true;
    if (declaresCallOperator(RD))
      return true;
    if (const auto *CT = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      for (const TemplateArgument &A : CT->getTemplateArgs().asArray())
        if (A.getKind() == TemplateArgument::Type &&
            canHoldCallable(A.getAsType(), Depth + 1))
          return true;
    for (const FieldDecl *F : RD->fields())
      if (canHoldCallable(F->getType(), Depth + 1))
        return true;
    for (const CXXBaseSpecifier &B : RD->bases())
      if (canHoldCallable(B.getType(), Depth + 1))
        return true;
    return false;
  }

  llvm::DenseMap<const ValueDecl *, uint32_t> Vars;
  /// canHoldCallable's answers; true while one is being computed (a type
  /// that contains itself through a pointer).
  llvm::DenseMap<const Type *, bool> Holds;
};

/// Members that keep their argument: push_back, emplace, insert, push, ...
bool isStoringName(llvm::StringRef N) {
  return N.starts_with("push") || N.starts_with("emplace") ||
         N.starts_with("insert") || N == "assign" || N == "enqueue" ||
         N == "add" || N == "append" || N == "try_emplace" || N == "set";
}

} // namespace

void SummaryCache::computeCallables(FunctionSummary &S) {
  const Stmt *Body = S.Fn->getBody();
  if (!Body || S.Fn->param_empty())
    return;
  Taint T(S.Fn);
  T.propagate(Body);
  auto Mark = [&](uint32_t Bits, uint32_t E,
                  std::optional<ObjectPath> StoredIn = std::nullopt,
                  SourceLocation Loc = SourceLocation()) {
    for (const ParmVarDecl *P : S.Fn->parameters()) {
      unsigned I = std::min(P->getFunctionScopeIndex(), 31u);
      if (!(Bits & (1u << I)))
        continue;
      ObjectPath Slot;
      Slot.Kind = RootKind::Param;
      Slot.Root = P;
      SlotEffect &SE = S.get(Slot);
      SE.Effects |= E;
      if (StoredIn && !SE.StoredIn)
        SE.StoredIn = StoredIn;
      if (SE.Loc.isInvalid())
        SE.Loc = Loc;
    }
  };
  const CXXRecordDecl *Class = nullptr;
  if (const auto *M = dyn_cast<CXXMethodDecl>(S.Fn))
    Class = M->getParent();
  const VarDecl *Promise = nullptr;
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Body))
    Promise = Coro->getPromiseDecl();

  // Which tasks the function leaves running when it returns (built on the
  // first task start that carries a parameter's callable).
  std::optional<TaskTracker> Tasks;
  walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *St) {
    // Held by a local scope guard whose destructor calls it: it runs when
    // the guard is destroyed, before the function returns (or on its way
    // out by an exception), whether the destructor's call is certain or not
    // (a rollback that a commit() dismisses).
    if (const auto *DS = dyn_cast<DeclStmt>(St))
      for (const Decl *D : DS->decls())
        if (std::optional<ScopeExitCallable> C =
                scopeExitCallableOf(dyn_cast<VarDecl>(D)))
          Mark(T.of(C->Callable), RunsHere, std::nullopt, D->getLocation());
    const auto *E = dyn_cast<Expr>(St);
    if (!E || !isa<CallExpr, CXXConstructExpr>(E))
      return true;
    // Handed to a thread, std::async, an executor, or a spawning helper: it
    // runs elsewhere, unless the task is over (joined, waited for) when the
    // function returns, which then runs it as if on the spot.
    llvm::SmallVector<TaskStart, 1> Starts = Flow.taskStarts(E);
    for (const TaskStart &TS : Starts) {
      uint32_t Bits = T.of(TS.Callable);
      if (!Bits)
        continue;
      if (!Tasks)
        if (const FlowGraph *G = Flow.graph(S.Fn))
          Tasks.emplace(Flow, *G);
      int I = Tasks ? Tasks->taskAt(TS.Site) : -1;
      bool Outlives =
          I < 0 || Tasks->mayRunAfterReturn(static_cast<unsigned>(I),
                                            /*Exceptional=*/false);
      Mark(Bits, Outlives ? RunsElsewhere : RunsHere, std::nullopt,
           TS.Site->getBeginLoc());
    }
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return true;
    // Held by a local object lent to a function whose body is not seen
    // (`function_delegate<F> d(f); lib::execute(arena, d);`): run, if at
    // all, before the function returns, when the local dies. A thread start
    // (pthread_create given a local) stays one.
    if (Starts.empty())
      for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
        if (lendsLocalToOpaqueCall(Call, I))
          Mark(T.of(Call->getArg(I)), RunsHere, std::nullopt,
               Call->getExprLoc());
    // Called on the spot: `f()`, `std::invoke(f)`, `(*task)()`.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
      Mark(T.of(OC->getArg(0)), RunsHere);
    else if (isStdFunction(Call->getDirectCallee(), {"invoke", "apply"}) &&
             Call->getNumArgs() > 0)
      Mark(T.of(Call->getArg(0)), RunsHere);
    else if (!Call->getDirectCallee())
      Mark(T.of(Call->getCallee()), RunsHere);
    // Kept in an object that outlives the call: `tasks_.push(std::move(f))`.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      std::optional<ObjectPath> Into =
          objectPathOf(MC->getImplicitObjectArgument());
      if (M && M->getIdentifier() && isStoringName(M->getName()) && Into &&
          Into->Kind != RootKind::Local &&
          T.canHoldCallable(MC->getImplicitObjectArgument()->getType())) {
        uint32_t Bits = 0;
        for (const Expr *A : MC->arguments())
          Bits |= T.of(A);
        uint32_t E = StoresCallable;
        if (Into->Kind == RootKind::This && !Into->Fields.empty() && Class &&
            runsStoredCallables(Class, Into->Fields.front()))
          E |= RunsElsewhere;
        Mark(Bits, E, Into, MC->getExprLoc());
      }
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (std::optional<ObjectPath> Into = objectPathOf(OC->getArg(0));
          Into && Into->Kind != RootKind::Local &&
          T.canHoldCallable(OC->getArg(0)->getType())) {
        uint32_t E = StoresCallable;
        if (Into->Kind == RootKind::This && !Into->Fields.empty() && Class &&
            runsStoredCallables(Class, Into->Fields.front()))
          E |= RunsElsewhere;
        Mark(T.of(OC->getArg(1)), E, Into, OC->getExprLoc());
      }
    // Passed on to a helper that does one of the above with it.
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = nullptr;
    if (!Callee || !Callee->hasBody(Def) ||
        Flow.astContext().getSourceManager().isInSystemHeader(
            Def->getLocation()))
      return true;
    const FunctionSummary *CS = get(Def, CallableFamily);
    if (!CS)
      return true;
    for (const SlotEffect &SE : CS->Slots) {
      if (SE.Slot.Kind != RootKind::Param ||
          !(SE.Effects & (RunsElsewhere | RunsHere | StoresCallable)))
        continue;
      unsigned ArgI = SE.Slot.paramIndex() + firstCallArgument(Call);
      if (ArgI >= Call->getNumArgs())
        continue;
      std::optional<ObjectPath> StoredIn;
      if (SE.StoredIn)
        StoredIn = mapToCaller(*SE.StoredIn, Call, callSiteOf(Call).Object);
      uint32_t Effects =
          SE.Effects & (RunsElsewhere | RunsHere | StoresCallable);
      // Kept in this coroutine's own promise (`co_return co_await f(op)`:
      // return_value keeps the result): the coroutine's frame, which lives
      // as long as the task its callers hold or await, as a by-value
      // parameter does; not an object beyond the call.
      if (StoredIn && Promise && StoredIn->Root == Promise) {
        StoredIn.reset();
        Effects &= ~StoresCallable;
      }
      if (Effects)
        Mark(T.of(Call->getArg(ArgI)), Effects, StoredIn, Call->getExprLoc());
    }
    return true;
  });
}

bool SummaryCache::runsStoredCallables(const CXXRecordDecl *Record,
                                       const FieldDecl *Field) {
  auto Key = std::make_pair(Record, Field);
  if (auto It = StoredCallables.find(Key); It != StoredCallables.end())
    return It->second;
  StoredCallables[Key] = false; // while computing
  // The task bodies, and the member functions of the class they call.
  auto TaskReads = [&](const FunctionDecl *Fn) {
    const FunctionDecl *Def = nullptr;
    if (!Fn || !Fn->hasBody(Def) || !Def->getBody())
      return false;
    if (mentionsField(Def->getBody(), Field))
      return true;
    llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      llvm::append_range(Work, S->children());
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      const FunctionDecl *MDef = nullptr;
      if (M && M->getParent() == Record && M->hasBody(MDef) &&
          mentionsField(MDef->getBody(), Field))
        return true;
    }
    return false;
  };
  bool Result = anyClassTask(Flow, Record, TaskReads);
  StoredCallables[Key] = Result;
  return Result;
}

} // namespace pitfall
