//===--- LockAnalysis.cpp -------------------------------------------------===//
#include "pitfall/Flow/LockAnalysis.h"
#include "pitfall/Core/AtomicWaits.h"
#include "pitfall/Core/Containers.h"
#include "pitfall/Core/ElementLoops.h"

#include "pitfall/Core/ThreadIdentity.h"

#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/MemberWrites.h"
#include "pitfall/Flow/PathFacts.h"
#include "pitfall/Flow/Summary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <map>
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
  // A lock whose mutex has no name (a project's guard class constructed
  // from the object that owns the mutex, `lock_guard locker{*this}`)
  // holds nothing a check can compare.
  if (!L.Mutex)
    return;
  for (HeldLock &H : Locks)
    if (H.Mutex == L.Mutex) {
      if (L.Mode == LockMode::Exclusive)
        H.Mode = LockMode::Exclusive;
      if (!L.ModeArm)
        H.ModeArm = false; // held for real too
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

void LockSet::replace(const HeldLock &L) {
  if (!L.Mutex)
    return;
  removeMutex(L.Mutex);
  Locks.push_back(L);
}

void LockSet::dropLapsedClaims() {
  llvm::erase_if(Locks, [&](const HeldLock &L) {
    return L.Claim == HeldLock::ClaimState::Tested &&
           !holds(L.ClaimLock, /*Exclusive=*/true);
  });
}

void LockSet::keepThreadClaimsOf(const ObjectPath &Object) {
  llvm::erase_if(Locks, [&](const HeldLock &L) {
    if (!L.isThreadClaim())
      return false;
    if (!L.Path || L.Path->Fields.empty())
      return true;
    ObjectPath Owner = *L.Path;
    Owner.Fields.pop_back();
    if (Object.startsWith(Owner))
      return false;
    // The identity of the loop a pointer or reference member of the object
    // designates (`this->loop_->threadId_`): the object's own loop, whose
    // thread its code runs on as it would on a thread member's.
    if (Owner.Fields.empty())
      return true;
    QualType T = Owner.Fields.back()->getType();
    if (!T->isReferenceType() && !isPointerLike(T))
      return true;
    Owner.Fields.pop_back();
    return !Object.startsWith(Owner);
  });
}

void LockSet::addMaybe(const HeldLock &L) {
  if (L.Mutex && !L.isClaim() && !mayHold(L.Mutex))
    Maybe.push_back(L);
}

void LockSet::removeMaybe(const ValueDecl *Mutex) {
  llvm::erase_if(Maybe, [&](const HeldLock &L) { return L.Mutex == Mutex; });
}

bool LockSet::mayHold(const ValueDecl *Mutex) const {
  return llvm::any_of(Maybe,
                      [&](const HeldLock &L) { return L.Mutex == Mutex; });
}

void LockSet::removeGuard(const VarDecl *Guard) {
  llvm::erase_if(Locks, [&](const HeldLock &L) { return L.Guard == Guard; });
  llvm::erase_if(Maybe, [&](const HeldLock &L) { return L.Guard == Guard; });
  llvm::erase_if(Unknown,
                 [&](const UnknownLock &L) { return L.Guard == Guard; });
}

void LockSet::addUnknown(const UnknownLock &L) {
  if (!llvm::is_contained(Unknown, L))
    Unknown.push_back(L);
}

void LockSet::removeUnguardedUnknown() {
  llvm::erase_if(Unknown, [](const UnknownLock &L) { return !L.Guard; });
}

void LockSet::removeMutex(const ValueDecl *Mutex) {
  llvm::erase_if(Locks, [&](const HeldLock &L) { return L.Mutex == Mutex; });
  removeMaybe(Mutex);
}

void LockSet::unionWith(const LockSet &Other) {
  for (const HeldLock &L : Other.Locks)
    add(L);
  for (const UnknownLock &L : Other.Unknown)
    addUnknown(L);
  for (const HeldLock &L : Other.Maybe)
    addMaybe(L);
}

void LockSet::intersectWith(const LockSet &Other) {
  if (Other.Unreachable)
    return;
  if (Unreachable) {
    *this = Other;
    return;
  }
  // Held on some path: a may-fact.
  for (const UnknownLock &L : Other.Unknown)
    addUnknown(L);
  for (const HeldLock &L : Other.Maybe)
    addMaybe(L);
  for (const HeldLock &L : Other.Locks)
    if (!find(L.Mutex))
      addMaybe(L);
  llvm::erase_if(Locks, [&](HeldLock &L) {
    const HeldLock *O = Other.find(L.Mutex);
    if (!O) {
      addMaybe(L);
      return true;
    }
    if (O->Claim != L.Claim || O->FreeValue != L.FreeValue ||
        O->ClaimLock != L.ClaimLock || O->HandedOver != L.HandedOver)
      return true;
    if (O->Mode == LockMode::Shared)
      L.Mode = LockMode::Shared;
    if (O->Guard != L.Guard)
      L.Guard = nullptr;
    L.ModeArm = L.ModeArm || O->ModeArm;
    return false;
  });
}

/// A lock of an element of a container of locks (`stripes[i]`, the loop
/// variable of a loop over them): one of the elements, which one not known.
static bool elementPick(const HeldLock &L) { return L.Path && L.Path->Element; }

/// True if accesses under claims \p A and \p B of one flag cannot overlap:
/// claims with the same free value, or a hand-over (HeldLock::HandedOver)
/// and a test of the flag under the mutex the hand-over was stored under
/// that found another value (two hand-overs race: their stores do not
/// test).
static bool claimsExclude(const HeldLock &A, const HeldLock &B) {
  if (A.HandedOver && B.HandedOver)
    return false;
  if (!A.HandedOver && !B.HandedOver)
    return A.FreeValue == B.FreeValue;
  const HeldLock &H = A.HandedOver ? A : B;
  const HeldLock &T = A.HandedOver ? B : A;
  return T.Claim == HeldLock::ClaimState::Tested &&
         T.ClaimLock == H.ClaimLock && T.FreeValue != *H.HandedOver;
}

bool LockSet::excludes(const LockSet &A, const LockSet &B,
                       bool ElementAccesses) {
  for (const HeldLock &L : A.Locks)
    if (const HeldLock *O = B.find(L.Mutex)) {
      if (L.isClaim() || O->isClaim()) {
        if (L.isClaim() && O->isClaim() && claimsExclude(L, *O))
          return true;
        continue;
      }
      if (elementPick(L) && elementPick(*O) && !ElementAccesses)
        continue; // two stripes, maybe different ones
      if (L.Mode == LockMode::Exclusive || O->Mode == LockMode::Exclusive)
        return true;
    }
  return false;
}

const ValueDecl *LockSet::missingFrom(const LockSet &Other) const {
  const ValueDecl *Any = nullptr;
  for (const HeldLock &L : Other.Locks) {
    if (L.isClaim())
      continue;
    if (L.Mode == LockMode::Exclusive)
      return L.Mutex;
    if (!Any)
      Any = L.Mutex;
  }
  return Any;
}

bool LockSet::operator==(const LockSet &O) const {
  if (Unreachable != O.Unreachable)
    return false;
  if (Locks.size() != O.Locks.size() || Unknown.size() != O.Unknown.size() ||
      Maybe.size() != O.Maybe.size())
    return false;
  for (const UnknownLock &L : Unknown)
    if (!llvm::is_contained(O.Unknown, L))
      return false;
  for (const HeldLock &L : Maybe)
    if (!O.mayHold(L.Mutex))
      return false;
  for (const HeldLock &L : Locks) {
    const HeldLock *M = O.find(L.Mutex);
    if (!M || M->Mode != L.Mode || M->Guard != L.Guard || M->Claim != L.Claim ||
        M->FreeValue != L.FreeValue || M->ClaimLock != L.ClaimLock ||
        M->HandedOver != L.HandedOver)
      return false;
  }
  return true;
}

const ValueDecl *mutexKeyOf(const ObjectPath &P) {
  const ValueDecl *D = P.leaf();
  return D ? cast<ValueDecl>(D->getCanonicalDecl()) : nullptr;
}

/// The index of the parameter every constructor of \p Field's class that
/// makes a new object gives \p Field (mutexAliasOf()), when no other code
/// writes it.
static std::optional<unsigned> aliasParameter(FlowContext &Flow,
                                              const FieldDecl *Field) {
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD || !RD->hasDefinition() || Field->getInClassInitializer())
    return std::nullopt;
  auto ParamOf = [](const Expr *E) -> const ParmVarDecl * {
    const auto *Ref = E ? dyn_cast<DeclRefExpr>(skipImplicit(E)) : nullptr;
    return Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  };
  // The writes that repoint it (not a call through it; a reference is
  // never repointed): each a constructor's `field = param;`.
  llvm::DenseMap<const FunctionDecl *, unsigned> Assigned;
  for (const MemberWrite &W : memberWrites(Flow, Field)) {
    if (Field->getType()->isReferenceType())
      break;
    const Expr *Operand = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(W.At))
      Operand = B->getLHS();
    else if (const auto *U = dyn_cast<UnaryOperator>(W.At))
      Operand = U->getSubExpr();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(W.At))
      Operand = Op->getNumArgs() ? Op->getArg(0) : nullptr;
    if (!Operand || skipImplicit(Operand) != W.Target)
      continue; // a call on what it points to
    const auto *Ctor = dyn_cast<CXXConstructorDecl>(W.Fn);
    const ParmVarDecl *P = ParamOf(W.Value);
    if (!Ctor || !P || P->getDeclContext() != Ctor ||
        !isa<CXXThisExpr>(W.Target->getBase()->IgnoreParenImpCasts()) ||
        !Assigned.try_emplace(Ctor, P->getFunctionScopeIndex()).second)
      return std::nullopt;
  }
  std::optional<unsigned> Index;
  bool Any = false;
  for (const CXXConstructorDecl *Ctor : RD->getDefinition()->ctors()) {
    if (Ctor->isCopyOrMoveConstructor())
      continue;
    const FunctionDecl *Def = nullptr;
    if (!Ctor->hasBody(Def) || !isa<CXXConstructorDecl>(Def))
      return std::nullopt; // defined elsewhere, or the implicit default
    std::optional<unsigned> Here;
    if (auto It = Assigned.find(Def); It != Assigned.end())
      Here = It->second;
    for (const CXXCtorInitializer *Init :
         cast<CXXConstructorDecl>(Def)->inits())
      if (Init->getMember() == Field && Init->isWritten()) {
        const ParmVarDecl *P = ParamOf(Init->getInit());
        if (!P || Here)
          return std::nullopt;
        Here = P->getFunctionScopeIndex();
      }
    if (!Here || (Index && *Index != *Here))
      return std::nullopt;
    Index = Here;
    Any = true;
  }
  return Any ? Index : std::nullopt;
}

const ValueDecl *mutexAliasOf(FlowContext &Flow, const ValueDecl *Key) {
  const auto *Field = dyn_cast_or_null<FieldDecl>(Key);
  if (!Field || !(Field->getType()->isPointerType() ||
                  Field->getType()->isReferenceType()))
    return Key;
  auto &Cache = Flow.mutexAliasCache();
  if (auto It = Cache.find(Key); It != Cache.end())
    return It->second;
  Cache[Key] = Key; // itself while it is being computed
  const ValueDecl *Out = nullptr;
  std::optional<unsigned> Index = aliasParameter(Flow, Field);
  llvm::ArrayRef<const Expr *> Made =
      Index ? Flow.constructionsOf(cast<CXXRecordDecl>(Field->getParent()))
            : llvm::ArrayRef<const Expr *>();
  for (const Expr *E : Made) {
    const Expr *Arg = nullptr;
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E))
      Arg = CE->getArg(*Index);
    else if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
      Arg = Call->getArg(*Index);
    Arg = Arg ? skipImplicit(Arg) : nullptr;
    if (const auto *U = dyn_cast_or_null<UnaryOperator>(Arg);
        U && U->getOpcode() == UO_AddrOf)
      Arg = skipImplicit(U->getSubExpr());
    else if (Arg && Field->getType()->isPointerType() &&
             !Arg->getType()->isPointerType())
      Arg = nullptr;
    std::optional<ObjectPath> P = Arg ? objectPathOf(Arg) : std::nullopt;
    const ValueDecl *Target =
        P && ((P->Kind == RootKind::This && !P->Fields.empty()) ||
              P->Kind == RootKind::Global)
            ? mutexKeyOf(*P)
            : nullptr;
    if (Target && Target != Key)
      Target = mutexAliasOf(Flow, Target);
    if (!Target || Target == Key || (Out && Out != Target)) {
      Out = nullptr;
      break;
    }
    Out = Target;
  }
  if (!Out)
    Out = Key;
  Flow.mutexAliasCache()[Key] = Out;
  return Out;
}

/// The try-lock \p E is (tryLockReturned()): a mutex's try-lock call, a
/// local of \p Def initialised with one and never changed, or a
/// conditional between two of one mutex (the arm \p Binding decides).
static std::optional<std::pair<ObjectPath, LockMode>>
tryLockOf(FlowContext &Flow, const FunctionDecl *Def, const Expr *E,
          const ConstantBinding *Binding, unsigned Depth = 0) {
  E = E ? skipImplicit(E) : nullptr;
  if (!E || Depth > 3)
    return std::nullopt;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    std::optional<LockMode> Mode = Flow.locks().classifyTryLockCall(MC);
    std::optional<ObjectPath> P =
        Mode ? pointeePathOf(MC->getImplicitObjectArgument()) : std::nullopt;
    if (!P)
      return std::nullopt;
    return std::make_pair(*P, *Mode);
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    std::optional<int64_t> V =
        Binding ? evaluateInteger(
                      C->getCond(), Flow.astContext(),
                      [&](const ParmVarDecl *P) { return Binding->valueOf(P); })
                : std::nullopt;
    if (V)
      return tryLockOf(Flow, Def, *V ? C->getTrueExpr() : C->getFalseExpr(),
                       Binding, Depth + 1);
    auto T = tryLockOf(Flow, Def, C->getTrueExpr(), Binding, Depth + 1);
    auto F = tryLockOf(Flow, Def, C->getFalseExpr(), Binding, Depth + 1);
    if (!T || !F || T->first != F->first)
      return std::nullopt;
    if (F->second == LockMode::Shared)
      T->second = LockMode::Shared; // held shared at least
    return T;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V || !V->isLocalVarDecl() || !V->getInit() ||
        changesVariable(Def->getBody(), V))
      return std::nullopt;
    return tryLockOf(Flow, Def, V->getInit(), Binding, Depth + 1);
  }
  return std::nullopt;
}

std::optional<std::pair<ObjectPath, LockMode>>
tryLockReturned(FlowContext &Flow, const FunctionDecl *FD,
                const ConstantBinding *Binding) {
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->getBody() || !Def->getReturnType()->isBooleanType())
    return std::nullopt;
  std::optional<std::pair<ObjectPath, LockMode>> Result;
  bool Ok = true, Any = false;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return true;
    Any = true;
    auto T = tryLockOf(Flow, Def, R->getRetValue(), Binding);
    if (!T || (Result && Result->first != T->first))
      Ok = false;
    else if (!Result || T->second == LockMode::Shared)
      Result = T;
    return Ok;
  });
  if (!Ok || !Any)
    return std::nullopt;
  return Result;
}

LockSet locksRequiredByAttributes(FlowContext &Flow, const FunctionDecl *FD) {
  LockSet Out;
  if (!FD)
    return Out;
  for (const auto &[Arg, Mode] : Flow.locks().requiredOnEntry(FD))
    if (std::optional<ObjectPath> P = objectPathOf(Arg))
      Out.add({mutexKeyOf(*P), Mode, nullptr, *P, nullptr});
  return Out;
}

LockSet locksRequiredOnEntry(FlowContext &Flow, const FunctionDecl *FD) {
  LockSet Out = locksRequiredByAttributes(Flow, FD);
  if (!FD)
    return Out;
  if (const FunctionSummary *S = Flow.summaries().get(FD, LockFamily))
    for (const SlotEffect &E : S->Slots)
      if (E.Effects & HeldOnEntry)
        Out.add({mutexKeyOf(E.Slot), LockMode::Exclusive, nullptr, E.Slot,
                 nullptr});
  Out.unionWith(lifetimeLocks(Flow, FD));
  return Out;
}

LockSet locksAt(FlowContext &Flow, const FunctionDecl *FD, const Stmt *S) {
  std::optional<LockSet> At;
  LockSetAnalysis A(Flow);
  A.run(FD, locksRequiredOnEntry(Flow, FD),
        [&](const Stmt *St, const LockSet &Held) {
          if (St != S)
            return;
          if (!At)
            At = Held;
          else
            At->intersectWith(Held);
        });
  return At ? *At : LockSet();
}

namespace {

/// A mutex a constructor leaves held, by the guard member that holds it or
/// by none (its own acquisition).
struct CtorLock {
  ObjectPath Mutex;
  LockMode Mode;
  const FieldDecl *Guard;
};

/// A mutex an object can name all its life: through `this` or a global.
bool namedByObject(const ObjectPath &P) {
  return mutexKeyOf(P) && ((P.Kind == RootKind::This && !P.Fields.empty()) ||
                           P.Kind == RootKind::Global);
}

/// The mutexes constructor \p Def leaves held (LockSet::mayHold() too).
llvm::SmallVector<CtorLock, 2> heldAfterConstruction(FlowContext &Flow,
                                                     const FunctionDecl *Def) {
  llvm::SmallVector<CtorLock, 2> Out;
  auto Add = [&](const ObjectPath &P, LockMode Mode, const FieldDecl *Guard) {
    if (!namedByObject(P) ||
        llvm::any_of(Out, [&](const CtorLock &L) { return L.Mutex == P; }))
      return;
    Out.push_back({P, Mode, Guard});
  };
  for (const MemberGuard &G :
       Flow.locks().memberGuardsAcquired(cast<CXXConstructorDecl>(Def)))
    if (std::optional<ObjectPath> P = pointeePathOf(G.Mutex))
      Add(*P, G.Mode, G.Guard);
  std::optional<LockSet> Exit;
  LockSetAnalysis A(Flow);
  if (!A.run(
          Def, LockSet(), [](const Stmt *, const LockSet &) {}, &Exit) ||
      !Exit)
    return Out;
  for (const HeldLock &L : Exit->locks())
    if (!L.isClaim() && L.Path && !L.Guard)
      Add(*L.Path, L.Mode, nullptr);
  for (const HeldLock &L : Exit->mayHold())
    if (L.Path && !L.Guard)
      Add(*L.Path, L.Mode, nullptr);
  return Out;
}

/// True if member function \p M of a class releases \p L for good.
bool releasesForGood(FlowContext &Flow, const FunctionDecl *M,
                     const CtorLock &L) {
  const FunctionDecl *Def = nullptr;
  if (!M->hasBody(Def))
    return false;
  if (L.Guard)
    return releasesGuardMember(Def->getBody(), {L.Guard});
  const FunctionSummary *S = Flow.summaries().get(Def, LockFamily);
  return S && llvm::any_of(S->Slots, [&](const SlotEffect &E) {
           return (E.Effects & ReleasesLock) &&
                  mutexKeyOf(E.Slot) == mutexKeyOf(L.Mutex);
         });
}

FlowContext::LifetimeLockList computeLifetimeLocks(FlowContext &Flow,
                                                   const CXXRecordDecl *RD) {
  FlowContext::LifetimeLockList Out;
  std::optional<llvm::SmallVector<CtorLock, 2>> Held;
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    if (!Ctor->isUserProvided())
      continue; // the compiler's copy of a helper: not the class's code
    const FunctionDecl *Def = nullptr;
    if (!Ctor->hasBody(Def) || !isa<CXXConstructorDecl>(Def))
      return Out; // defined elsewhere: not known to lock
    llvm::SmallVector<CtorLock, 2> Here = heldAfterConstruction(Flow, Def);
    if (!Held) {
      Held = std::move(Here);
    } else {
      llvm::erase_if(*Held, [&](const CtorLock &L) {
        return llvm::none_of(
            Here, [&](const CtorLock &H) { return H.Mutex == L.Mutex; });
      });
    }
    if (Held->empty())
      return Out;
  }
  if (!Held)
    return Out;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  for (const CtorLock &L : *Held) {
    // The destructor releases a mutex the constructor locked itself.
    if (!L.Guard && (!Dtor || !releasesForGood(Flow, Dtor, L)))
      continue;
    bool Released = false;
    for (const Decl *D : RD->decls()) {
      const auto *M = dyn_cast<FunctionDecl>(D);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        M = FT->getTemplatedDecl();
      if (!M || isa<CXXConstructorDecl, CXXDestructorDecl>(M))
        continue;
      if (const auto *MD = dyn_cast<CXXMethodDecl>(M);
          MD &&
          (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator()))
        continue; // hands over another object's lock
      if ((Released = releasesForGood(Flow, M, L)))
        break;
    }
    if (!Released)
      Out.push_back({L.Mutex, L.Mode});
  }
  return Out;
}

} // namespace

LockSet lifetimeLocks(FlowContext &Flow, const FunctionDecl *FD) {
  LockSet Out;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!M || M->isStatic() || isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
      M->getParent()->isLambda() || !M->getParent()->hasDefinition())
    return Out;
  const CXXRecordDecl *RD = M->getParent()->getDefinition();
  auto &Cache = Flow.lifetimeLockCache();
  auto It = Cache.find(RD);
  if (It == Cache.end()) {
    Cache[RD]; // nothing while it is being computed
    FlowContext::LifetimeLockList L = computeLifetimeLocks(Flow, RD);
    It = Cache.insert_or_assign(RD, std::move(L)).first;
  }
  for (const auto &[P, Mode] : It->second)
    Out.add({mutexKeyOf(P), Mode, nullptr, P, nullptr});
  return Out;
}

namespace {

/// The data member or global \p E names (not a local's: no other thread
/// names it), as a flag's key.
std::optional<ObjectPath> flagObjectPath(const Expr *E) {
  E = skipImplicit(E);
  if (!isa<MemberExpr, DeclRefExpr>(E))
    return std::nullopt;
  std::optional<ObjectPath> P = objectPathOf(E);
  if (!P || P->Kind == RootKind::Local || !mutexKeyOf(*P))
    return std::nullopt;
  return P;
}

/// The flag \p E reads: a data member or global of integral, bool or enum
/// type, or the load of an atomic one (`busy_.load()`, its conversion).
std::optional<ObjectPath> flagPath(const Expr *E) {
  E = skipImplicit(E);
  if (!E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  if (const Expr *Atomic = atomicLoadObject(E))
    return flagObjectPath(Atomic);
  return flagObjectPath(E);
}

/// \p Cond without the negations and the explicit conversions to bool
/// around it (`static_cast<bool>(!busy_)`, an assertion's test); \p Negated
/// tells whether an odd number of negations were stripped.
const Expr *stripTruthPreserving(const Expr *Cond, bool &Negated) {
  Cond = stripNegations(Cond, Negated);
  while (const auto *C = dyn_cast_or_null<ExplicitCastExpr>(Cond)) {
    if (!C->getType()->isBooleanType())
      break;
    bool Inner = false;
    Cond = stripNegations(C->getSubExpr(), Inner);
    Negated = Negated != Inner;
  }
  return Cond;
}

std::optional<int64_t> constantOf(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

/// What a guard variable stands for: the mutexes its constructor named.
struct GuardInfo {
  LockMode Mode = LockMode::Exclusive;
  llvm::SmallVector<ObjectPath, 1> Mutexes;
  bool TryLock = false;
  /// One of the mutexes it holds has no name (LockSet::unknownLocks()).
  bool Unknown = false;
};

class LockFlow : public ForwardAnalysis<LockFlow, LockSet> {
public:
  LockFlow(FlowContext &Flow, const LockSet &Entry) : Flow(Flow), Entry(Entry) {
    // A guard of the caller's that the function can name (a lambda run in
    // place that captured it by reference): its unlock() and lock() here
    // release and take again what it holds on entry.
    for (const HeldLock &L : Entry.locks())
      if (L.Guard && L.Path && !L.isClaim()) {
        GuardInfo &Info = Guards[L.Guard];
        Info.Mode = L.Mode;
        Info.Mutexes.push_back(*L.Path);
      }
  }

  LockSet initialState() { return Entry; }
  void join(LockSet &Into, const LockSet &From) { Into.intersectWith(From); }

  void transfer(const CFGElement &E, LockSet &S) {
    auto CS = E.getAs<CFGStmt>();
    if ((!Acquired && !ModeTaken) || !CS || !reporting()) {
      step(E, S);
      return;
    }
    LockSet Before = S;
    step(E, S);
    for (const HeldLock &L : S.locks())
      if (!L.isClaim() && !Before.find(L.Mutex)) {
        if (Acquired)
          Acquired(CS->getStmt(), L, Before);
        if (ModeTaken)
          recordModeAcquisition(L);
      }
  }

  /// The mutexes acquired in partitions that took an arm of a mode
  /// condition (StableConditions::isMode()), per arm (the fact).
  using ModeLocks = std::map<PathFact, llvm::SmallVector<HeldLock, 1>>;

  /// Records \p L, acquired in the partition whose facts are Facts, under
  /// each arm of a mode condition the partition took.
  void recordModeAcquisition(const HeldLock &L) {
    for (const PathFact &F : Facts)
      if (Conds->isMode(F.Key)) {
        auto &Taken = (*ModeTaken)[F];
        if (llvm::none_of(
                Taken, [&](const HeldLock &T) { return T.Mutex == L.Mutex; }))
          Taken.push_back(L);
      }
  }

  /// The locks the flag-off arms taken by the partition being visited are
  /// mode-locked by (LockSetAnalysis::modeLocks()), added to \p S.
  void addModeLocks(LockSet &S) const {
    for (const PathFact &F : Facts) {
      auto It = ModeHeld->find(F);
      if (It == ModeHeld->end())
        continue;
      for (const HeldLock &L : It->second)
        if (!S.find(L.Mutex))
          S.add(L);
    }
  }

  void step(const CFGElement &E, LockSet &S) {
    stepLocks(E, S);
    if (TrackClaims)
      S.dropLapsedClaims();
  }

  /// With constants bound to the parameters (LockSetAnalysis::
  /// bindConstants()): false for the edge out of \p B that a condition they
  /// decide does not take.
  bool boundEdge(const CFGBlock &B, unsigned Succ) const {
    if (!Binding || Binding->empty())
      return true;
    const Expr *Cond = branchCondition(B);
    std::optional<int64_t> V =
        Cond ? evaluateInteger(
                   Cond, Flow.astContext(),
                   [&](const ParmVarDecl *P) { return Binding->valueOf(P); })
             : std::nullopt;
    return !V || (*V != 0) == (Succ == 0);
  }

  /// A mutex's own acquisition (`m.lock()`, `pthread_mutex_lock(&m)`) that
  /// fails by throwing leaves a mutex that cannot be locked: no path of the
  /// lock sets (a reverse guard's destructor that catches what its lock()
  /// throws still takes the lock again).
  ThrowKind throwKind(const CFGElement &E) {
    if (auto CS = E.getAs<CFGStmt>()) {
      MutexOp Op = MutexOp::None;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CS->getStmt()))
        Op = Flow.locks().classifyMutexCall(MC);
      else if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
        Op = classifyLockFunctionCall(Call);
      if (Op == MutexOp::Lock || Op == MutexOp::LockShared)
        return ThrowKind::None;
    }
    return ForwardAnalysis::throwKind(E);
  }

  void stepLocks(const CFGElement &E, LockSet &S) {
    if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *V = D->getVarDecl();
      if (Guards.count(V) || UserGuards.count(V)) {
        S.removeGuard(V);
        return;
      }
      if (Destroyed && reporting())
        Destroyed(V, S);
      Events.clear();
      destructorEffects(Flow, V, LockFamily, Events);
      apply(S, nullptr, nullptr, V);
      return;
    }
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    endDependentGuards(St, S);
    if (Visit && reporting()) {
      if (ModeHeld && !ModeHeld->empty() && !Facts.empty()) {
        LockSet WithModes = S;
        addModeLocks(WithModes);
        Visit(St, WithModes);
      } else {
        Visit(St, S);
      }
    }
    if (TrackClaims) {
      storeClaim(St, S);
      releaseCarried(St, S);
    }
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          declareGuard(VD, S);
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      flagCleared(MC, S);
      if (guardCall(MC, S))
        return;
      if (TrackUnknown)
        unknownMutexCall(MC, S);
      upgrade(MC, S);
    }
    if (const auto *Call = dyn_cast<CallExpr>(St))
      multiLockGuards(Call, S);
    Events.clear();
    effectsOf(Flow, St, LockFamily, Events, Binding);
    apply(S, St, constructedVar(St));
  }

  void unwind(const VarDecl *V, const Stmt *, LockSet &S) {
    if (Guards.count(V) || UserGuards.count(V))
      S.removeGuard(V);
    else if (Destroyed && reporting())
      Destroyed(V, S);
    if (TrackClaims)
      S.dropLapsedClaims();
  }

  /// A path through a call that does not return (`assert`'s failure
  /// branch, abort()) never reaches the normal exit, to which clang's graph
  /// links it: it holds every lock there (the join keeps the other paths').
  bool feasible(const LockSet &S) const { return !S.unreachable(); }

  void refineEdge(const CFGBlock &B, unsigned Succ, LockSet &S) {
    if (B.hasNoReturnElement() || !boundEdge(B, Succ)) {
      S.markUnreachable();
      return;
    }
    stripeLoopExit(B, Succ, S);
    if (TrackClaims) {
      testClaim(B, Succ, S);
      carryClaim(B, Succ, S);
      confine(B, Succ, S);
    }
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    if (Cond && (Succ == 0) == Negated)
      flagTaken(Cond, S); // the branch where the test-and-set gave false
    if (!Cond || (Succ == 0) == Negated)
      return; // only the branch where the test was true acquires
    Cond = skipImplicit(Cond);
    // `if (lk.owns_lock())`, `if (lk)` on a try_to_lock guard.
    const Expr *GuardExpr = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      llvm::StringRef Name = M && M->getIdentifier() ? M->getName() : "";
      if (Name == "owns_lock" || isa_and_nonnull<CXXConversionDecl>(M))
        GuardExpr = MC->getImplicitObjectArgument();
      else if (std::optional<LockMode> Mode =
                   Flow.locks().classifyTryLockCall(MC))
        if (std::optional<ObjectPath> P =
                pointeePathOf(MC->getImplicitObjectArgument()))
          S.add({mutexKeyOf(*P), *Mode, nullptr, *P, MC});
    }
    // `if (w.tryLock())`: a helper that returns a mutex's try_lock(); a
    // guard's own (`lock.try_acquire(m)` on a guard built empty) holds it
    // until the guard is destroyed or releases it.
    if (const auto *Call = dyn_cast<CallExpr>(Cond)) {
      Events.clear();
      effectsOf(Flow, Call, LockFamily, Events, Binding);
      const VarDecl *Guard = localObjectCalled(Call);
      for (const EffectEvent &Ev : Events)
        if (Ev.FromSummary &&
            (Ev.Effect & (TryAcquiresLock | TryAcquiresShared))) {
          if (Guard)
            UserGuards.insert(Guard);
          S.add({mutexKeyOf(Ev.Path),
                 (Ev.Effect & TryAcquiresLock) ? LockMode::Exclusive
                                               : LockMode::Shared,
                 Guard, Ev.Path, Call});
        }
    }
    if (const VarDecl *G = GuardExpr ? namedVariable(GuardExpr) : nullptr) {
      auto It = Guards.find(G);
      if (It != Guards.end() && It->second.TryLock)
        for (const ObjectPath &P : It->second.Mutexes)
          S.add({mutexKeyOf(P), It->second.Mode, G, P, Cond});
      // A project's guard whose constructor locks on some paths only
      // (thrift's `Guard g(m, timeout); if (!g) throw ...;`), tested true
      // through its conversion to bool: held.
      if (auto Try = TryGuards.find(G); Try != TryGuards.end())
        for (const HeldLock &L : Try->second)
          if (S.mayHold(L.Mutex))
            S.add(L);
    }
  }

  llvm::function_ref<void(const Stmt *, const LockSet &)> Visit;
  AcquireCallback Acquired;
  llvm::function_ref<void(const VarDecl *, const LockSet &)> Destroyed;
  llvm::SmallVector<ObjectPath, 2> Released;
  bool TrackClaims = false;
  bool TrackUnknown = false;
  const llvm::DenseMap<const VarDecl *, HeldLock> *Carried = nullptr;
  /// The function analysed, and which of its flag stores are hand-overs
  /// (LockSetAnalysis::handOvers()).
  const FunctionDecl *Fn = nullptr;
  const LockSetAnalysis::HandOverTest *HandOver = nullptr;
  const ConstantBinding *Binding = nullptr;
  /// Mode locks (LockSetAnalysis::modeLocks()): the facts of the partition
  /// being transferred (Correlated::FactsOut), the conditions they key, the
  /// acquisitions per arm being collected, and the locks held per arm.
  llvm::ArrayRef<PathFact> Facts;
  const StableConditions *Conds = nullptr;
  ModeLocks *ModeTaken = nullptr;
  const ModeLocks *ModeHeld = nullptr;

private:
  /// `if (!busy_.test_and_set()) { ...; busy_.clear(); }`, `while
  /// (flag.exchange(true)) {}`, or the test's result kept in a local first
  /// (`auto busy = busy_.test_and_set(); if (!busy)`): on the branch where
  /// the test-and-set returned false the function holds the flag as a lock,
  /// when it also gives the flag back somewhere (a flag never cleared is a
  /// once-flag, not a lock).
  void flagTaken(const Expr *Cond, LockSet &S) {
    Cond = skipImplicit(Cond);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Cond)) {
      const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
      if (!V || !V->isLocalVarDecl() || !V->getInit() ||
          changesVariable(graph().body(), V))
        return;
      Cond = skipImplicit(V->getInit());
    }
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond);
    if (!MC || Flow.locks().classifyFlagCall(MC) != FlagLockOp::TestAndSet)
      return;
    std::optional<ObjectPath> P =
        pointeePathOf(MC->getImplicitObjectArgument());
    const ValueDecl *Key = P ? mutexKeyOf(*P) : nullptr;
    if (Key && !S.find(Key) && clearsFlag(*P))
      S.add({Key, LockMode::Exclusive, nullptr, *P, MC});
  }

  /// Whether the function being analysed gives the flag \p P back.
  bool clearsFlag(const ObjectPath &P) {
    auto [It, New] = FlagReleases.try_emplace(mutexKeyOf(P), false);
    if (New)
      It->second = !walkOutsideLambdas(
          graph().body(), LambdaBodies::Skip, [&](const Stmt *St) {
            const auto *MC = dyn_cast<CXXMemberCallExpr>(St);
            std::optional<ObjectPath> Q =
                MC && Flow.locks().classifyFlagCall(MC) == FlagLockOp::Clear
                    ? pointeePathOf(MC->getImplicitObjectArgument())
                    : std::nullopt;
            return !(Q && *Q == P);
          });
    return It->second;
  }

  /// A flag given back (`busy_.clear()`, `flag.store(false)`): the lock it
  /// stood for is released.
  void flagCleared(const CXXMemberCallExpr *MC, LockSet &S) {
    if (Flow.locks().classifyFlagCall(MC) != FlagLockOp::Clear)
      return;
    if (std::optional<ObjectPath> P =
            pointeePathOf(MC->getImplicitObjectArgument()))
      if (const ValueDecl *Key = mutexKeyOf(*P); Key && S.find(Key))
        S.removeMutex(Key);
  }

  llvm::DenseMap<const ValueDecl *, bool> FlagReleases;

  /// What a loop over a container of locks does to all of them (lock
  /// striping): a loop over every element of a container (ElementLoop)
  /// whose body, at its top level, locks the element of the iteration (or
  /// unlocks it), directly or by such a loop over the element when it is a
  /// container itself, and does nothing else with the element or the
  /// iteration (no `break`, `continue` or `goto`, no other mention of the
  /// element): after it, all of the container's locks are held (released).
  /// A body that locks and unlocks the element holds nothing after it.
  struct Stripe {
    MutexOp Op = MutexOp::None; ///< per element, the same for all of them
    const Expr *Container = nullptr;
    /// The element operations of the body (nested loops included).
    llvm::SmallVector<const Stmt *, 2> Ops;
  };

  const Stripe &stripeOf(const Stmt *Loop, unsigned Depth = 0) {
    auto It = Stripes.find(Loop);
    if (It != Stripes.end())
      return It->second;
    Stripe R = computeStripe(Loop, Depth);
    return Stripes[Loop] = std::move(R);
  }

  Stripe computeStripe(const Stmt *Loop, unsigned Depth) {
    Stripe R;
    // Every element of the container (an iterator loop from wherever it
    // starts to the end: the tail), not the front-popping loop nor an
    // index loop to a bound of its own; a range-for by reference.
    std::optional<ElementLoop> CL = elementLoopOf(Loop);
    if (!CL || !CL->Body || Depth > 3 ||
        CL->Kind == ElementLoop::Shape::Front || CL->Bound ||
        (CL->Kind == ElementLoop::Shape::RangeFor &&
         !CL->Var->getType()->isReferenceType()))
      return R;
    llvm::SmallVector<const VarDecl *, 2> Aliases;
    auto NamesElement = [&](const Expr *E) {
      const auto *DRE =
          dyn_cast_or_null<DeclRefExpr>(E ? skipImplicit(E) : nullptr);
      if (DRE &&
          (llvm::is_contained(Aliases, DRE->getDecl()) ||
           (CL->Kind == ElementLoop::Shape::Iterator &&
            DRE->getDecl() == CL->Var && CL->Var->getType()->isPointerType())))
        return true;
      return E && isVisitedElement(*CL, E);
    };
    auto NamesLoop = [&](const Stmt *St) {
      return !walkOutsideLambdas(
          St, LambdaBodies::CapturesOnly, [&](const Stmt *E) {
            if (isa<BreakStmt, ContinueStmt, GotoStmt>(E))
              return false;
            const auto *DRE = dyn_cast<DeclRefExpr>(E);
            const ValueDecl *D = DRE ? DRE->getDecl() : nullptr;
            return !D || (D != CL->Var && !llvm::is_contained(Aliases, D));
          });
    };
    llvm::SmallVector<const Stmt *, 4> Body;
    if (const auto *CS = dyn_cast<CompoundStmt>(CL->Body))
      Body.append(CS->body_begin(), CS->body_end());
    else
      Body.push_back(CL->Body);
    MutexOp Op = MutexOp::None;
    for (const Stmt *St : Body) {
      if (St == CL->Step)
        continue;
      if (const VarDecl *V = singleVarDecl(St);
          V && V->getType()->isReferenceType() && V->getInit() &&
          NamesElement(V->getInit())) {
        Aliases.push_back(V);
        continue;
      }
      MutexOp Here = MutexOp::None;
      const auto *E = dyn_cast<Expr>(St);
      const auto *MC =
          E ? dyn_cast<CXXMemberCallExpr>(skipImplicit(E)) : nullptr;
      if (MC && NamesElement(MC->getImplicitObjectArgument()) &&
          (Here = Flow.locks().classifyMutexCall(MC)) != MutexOp::None) {
        R.Ops.push_back(MC);
      } else if (std::optional<ElementLoop> Inner = elementLoopOf(St);
                 Inner && NamesElement(Inner->Container)) {
        const Stripe &In = stripeOf(St, Depth + 1);
        Here = In.Op;
        R.Ops.push_back(St);
        R.Ops.append(In.Ops.begin(), In.Ops.end());
      }
      if (Here == MutexOp::None) {
        if (NamesLoop(St))
          return Stripe();
        continue;
      }
      if (Op != MutexOp::None && Op != Here)
        return Stripe(); // locked and unlocked (or in two modes)
      Op = Here;
    }
    R.Op = Op;
    R.Container = CL->Container;
    return R;
  }

  /// True if \p St is an element operation of a loop over a container of
  /// locks that encloses it (its effect is the loop's, at the loop's exit).
  bool insideStripe(const Stmt *St) {
    for (const Stmt *P = graph().parent(St); P; P = graph().parent(P))
      if (isLoopStmt(P) && llvm::is_contained(stripeOf(P).Ops, St))
        return true;
    return false;
  }

  /// The exit edge of a loop over a container of locks: all of them held,
  /// or released, named by the container (a HeldLock whose path is the
  /// container itself; an element lock names it with Element set).
  void stripeLoopExit(const CFGBlock &B, unsigned Succ, LockSet &S) {
    const Stmt *Loop = B.getTerminatorStmt();
    if (Succ != 1 || !isLoopStmt(Loop) || isa<DoStmt>(Loop))
      return;
    const Stripe &St = stripeOf(Loop);
    // A loop nested in another one's body is that loop's element operation.
    if (St.Op == MutexOp::None || insideStripe(Loop))
      return;
    std::optional<ObjectPath> P = pointeePathOf(St.Container);
    const ValueDecl *Key = P ? mutexKeyOf(*P) : nullptr;
    const auto *FD = dyn_cast_or_null<FunctionDecl>(graph().decl());
    // Locks of a container each run of the function makes for itself (a
    // new array locked before it is published) exclude no other run.
    if (!Key || (FD && isPerRunObject(St.Container, FD)))
      return;
    if (St.Op == MutexOp::Lock || St.Op == MutexOp::LockShared) {
      const HeldLock *Old = S.find(Key);
      HeldLock L{
          Key, St.Op == MutexOp::Lock ? LockMode::Exclusive : LockMode::Shared,
          nullptr, *P, Loop};
      if (Old && !elementPick(*Old))
        S.add(L);
      else
        S.replace(L);
      return;
    }
    if (!S.find(Key) && !llvm::is_contained(Released, *P))
      Released.push_back(*P);
    S.removeMutex(Key);
  }

  /// `rw.upgradeToWrite()`: a member of a mutex held in shared mode that
  /// returns nothing and is no lock operation, after which the next
  /// operation on the mutex is its exclusive release (nextMutexOp()). The
  /// program's own contract says the call left it held exclusively.
  void upgrade(const CXXMemberCallExpr *MC, LockSet &S) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!M || !Obj || M->isConst() || !M->getReturnType()->isVoidType() ||
        Flow.locks().classifyMutexCall(MC) != MutexOp::None ||
        !Flow.locks().isMutexType(Obj->getType()))
      return;
    std::optional<ObjectPath> P = pointeePathOf(Obj);
    const ValueDecl *Key = P ? mutexKeyOf(*P) : nullptr;
    const HeldLock *Held = Key ? S.find(Key) : nullptr;
    if (!Held || Held->isClaim() || Held->Mode != LockMode::Shared ||
        nextMutexOp(MC, *P) != MutexOp::Unlock)
      return;
    HeldLock L = *Held;
    L.Mode = LockMode::Exclusive;
    S.replace(L);
  }

  /// The operation on mutex \p P that comes next after \p MC on every path:
  /// a later statement of the block holding MC's statement that is a call
  /// of a lock API member on P, with none of the statements in between
  /// naming P (but to call a const member of it: a query of its state) or
  /// leaving the block (`return`, `break`, `continue`, `goto`, `throw`).
  /// None if there is no such statement.
  MutexOp nextMutexOp(const CXXMemberCallExpr *MC, const ObjectPath &P) const {
    const Stmt *N = MC;
    const CompoundStmt *Block = nullptr;
    for (unsigned Depth = 0; N && Depth != 16; ++Depth) {
      const Stmt *Parent = graph().parent(N);
      if ((Block = dyn_cast_or_null<CompoundStmt>(Parent)))
        break;
      if (!Parent || isa<LambdaExpr>(Parent))
        return MutexOp::None;
      N = Parent;
    }
    if (!Block)
      return MutexOp::None;
    const auto *It = llvm::find(Block->body(), N);
    if (It == Block->body_end())
      return MutexOp::None;
    for (++It; It != Block->body_end(); ++It) {
      const auto *E = dyn_cast<Expr>(*It);
      const auto *Call =
          E ? dyn_cast<CXXMemberCallExpr>(skipImplicit(E)) : nullptr;
      const Expr *On = Call ? Call->getImplicitObjectArgument() : nullptr;
      if (On && pointeePathOf(On) == P)
        return Flow.locks().classifyMutexCall(Call);
      llvm::SmallPtrSet<const Expr *, 2> Queried;
      bool Clear =
          walkOutsideLambdas(*It, LambdaBodies::Skip, [&](const Stmt *E) {
            if (isa<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt,
                    CXXThrowExpr>(E))
              return false;
            if (const auto *Q = dyn_cast<CXXMemberCallExpr>(E))
              if (const CXXMethodDecl *QM = Q->getMethodDecl();
                  QM && QM->isConst() && Q->getImplicitObjectArgument())
                Queried.insert(skipImplicit(Q->getImplicitObjectArgument()));
            if (!isa<DeclRefExpr, MemberExpr>(E) ||
                Queried.count(cast<Expr>(E)))
              return true;
            return objectPathOf(cast<Expr>(E)) != P;
          });
      if (!Clear)
        return MutexOp::None;
    }
    return MutexOp::None;
  }

  /// `m.lock()` / `m.unlock()` on a mutex no object path names (a virtual
  /// getter's result): an unknown lock from here to an unlock() of one.
  void unknownMutexCall(const CXXMemberCallExpr *MC, LockSet &S) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    MutexOp Op = Flow.locks().classifyMutexCall(MC);
    if (Op == MutexOp::None || !Obj)
      return;
    if (std::optional<ObjectPath> P = pointeePathOf(Obj); P && mutexKeyOf(*P))
      return;
    if (Op == MutexOp::Lock || Op == MutexOp::LockShared)
      S.addUnknown({nullptr, MC});
    else
      S.removeUnguardedUnknown();
  }

  /// A branch on a local flag that carries a claim out of a lambda
  /// (LockSetAnalysis::carryClaims()): held on the edge where it is true.
  void carryClaim(const CFGBlock &B, unsigned Succ, LockSet &S) {
    if (!Carried || Carried->empty())
      return;
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    if (!Cond || (Succ == 0) == Negated)
      return;
    const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(Cond));
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    auto It = V ? Carried->find(V) : Carried->end();
    if (It != Carried->end())
      S.replace(It->second);
  }

  /// A carried claim ends at a statement that passes a lambda naming its
  /// flag (the release, in a lambda the same helper runs).
  void releaseCarried(const Stmt *St, LockSet &S) {
    if (!Carried || Carried->empty())
      return;
    const auto *Call = dyn_cast<CallExpr>(St);
    if (!Call)
      return;
    for (const Expr *Arg : Call->arguments()) {
      const auto *L = dyn_cast<LambdaExpr>(skipMovesAndCopies(Arg));
      if (!L)
        continue;
      for (const auto &Entry : *Carried) {
        const HeldLock &Claim = Entry.second;
        const HeldLock *Held = S.find(Claim.Mutex);
        if (!Held || Held->Claim != HeldLock::ClaimState::Owned)
          continue;
        bool Names = !walkOutsideLambdas(
            L->getBody(), LambdaBodies::Skip, [&](const Stmt *E) {
              const auto *ME = dyn_cast<MemberExpr>(E);
              const auto *DR = dyn_cast<DeclRefExpr>(E);
              const ValueDecl *D = ME   ? ME->getMemberDecl()
                                   : DR ? DR->getDecl()
                                        : nullptr;
              return !D ||
                     D->getCanonicalDecl() != Claim.Mutex->getCanonicalDecl();
            });
        if (Names)
          S.removeMutex(Claim.Mutex);
      }
    }
  }

  /// A current-thread test (Core/ThreadIdentity.h) that holds on this edge:
  /// from here the code runs on the owner thread of the identity it reads
  /// (HeldLock::ClaimState::Thread). The part of a condition the block
  /// branches on decides the whole where `||`, `&&` and `!` let it (`!t_ ||
  /// t_->get_id() == this_thread::get_id()` holds on the edge where `!t_`
  /// is true).
  void confine(const CFGBlock &B, unsigned Succ, LockSet &S) {
    const Expr *Cond = branchCondition(B);
    bool Value = Succ == 0;
    for (unsigned Steps = 0; Cond && Steps != 8; ++Steps) {
      if (std::optional<CurrentThreadTest> T = currentThreadTest(Cond)) {
        if (T->When != Value)
          return;
        HeldLock L{mutexKeyOf(T->Identity), LockMode::Exclusive, nullptr,
                   T->Identity, Cond};
        L.Claim = HeldLock::ClaimState::Thread;
        L.FreeValue = ThreadClaimValue;
        S.replace(L);
        return;
      }
      // The value of the enclosing condition, where this part decides it.
      const Stmt *P = graph().parent(Cond);
      while (P && (isa<ParenExpr, ImplicitCastExpr>(P)))
        P = graph().parent(P);
      if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
          UO && UO->getOpcode() == UO_LNot) {
        Value = !Value;
      } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
                 BO && BO->isLogicalOp()) {
        bool LHS =
            BO->getLHS()->IgnoreParenImpCasts() == Cond->IgnoreParenImpCasts();
        // The left operand decides `||` when true, `&&` when false; the
        // right one has the value of the whole.
        if (LHS && Value != (BO->getOpcode() == BO_LOr))
          return;
      } else {
        return;
      }
      Cond = cast<Expr>(P);
    }
  }

  /// A branch on a flag under an exclusively held mutex: on this edge the
  /// flag has a known value, its free value (HeldLock::Claim).
  void testClaim(const CFGBlock &B, unsigned Succ, LockSet &S) {
    bool Negated = false;
    const Expr *Cond = stripTruthPreserving(branchCondition(B), Negated);
    if (!Cond)
      return;
    bool Truth = (Succ == 0) != Negated; // the value of Cond on this edge
    Cond = skipImplicit(Cond);
    std::optional<ObjectPath> Flag;
    std::optional<int64_t> Value;
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
      if (!BO->isEqualityOp() || Truth != (BO->getOpcode() == BO_EQ))
        return; // not an edge where the flag equals a constant
      const ASTContext &Ctx = Flow.astContext();
      if ((Flag = flagPath(BO->getLHS())))
        Value = constantOf(BO->getRHS(), Ctx);
      else if ((Flag = flagPath(BO->getRHS())))
        Value = constantOf(BO->getLHS(), Ctx);
    } else if ((Flag = flagPath(Cond))) {
      if (!Truth)
        Value = 0;
      else if (Cond->getType()->isBooleanType())
        Value = 1;
    }
    if (!Flag || !Value)
      return;
    const ValueDecl *Key = mutexKeyOf(*Flag);
    const HeldLock *Old = S.find(Key);
    if (Old && Old->Claim == HeldLock::ClaimState::Owned)
      return; // the owner testing its own flag
    const auto Under = llvm::find_if(S.locks(), [](const HeldLock &L) {
      return !L.isClaim() && L.Mode == LockMode::Exclusive;
    });
    if (Under == S.locks().end())
      return;
    HeldLock L{Key, LockMode::Exclusive, nullptr, *Flag, Cond};
    L.Claim = HeldLock::ClaimState::Tested;
    L.ClaimLock = Under->Mutex;
    L.FreeValue = *Value;
    S.replace(L);
  }

  /// A store into a flag: a claim where it was tested free under the
  /// mutex still held, the release where it was owned and gets its free
  /// value back, and the end of any claim otherwise. A claim released, or
  /// given a value not known, while the mutex it was tested under is held
  /// exclusively leaves that state: tested free under the mutex (whatever
  /// the value, no other code can own the flag before the mutex is
  /// released: `current = end;` under the lock, in the owner's `finish`).
  void storeClaim(const Stmt *St, LockSet &S) {
    const Expr *Target = nullptr;
    std::optional<int64_t> Value;
    if (const auto *BO = dyn_cast<BinaryOperator>(St);
        BO && BO->isAssignmentOp()) {
      Target = BO->getLHS();
      if (BO->getOpcode() == BO_Assign)
        Value = constantOf(BO->getRHS(), Flow.astContext());
    } else if (const auto *UO = dyn_cast<UnaryOperator>(St);
               UO && UO->isIncrementDecrementOp()) {
      Target = UO->getSubExpr();
    }
    std::optional<ObjectPath> Flag = Target ? flagPath(Target) : std::nullopt;
    // An atomic flag's store (`busy_ = true`, `busy_.store(true)`).
    if (isa<CXXOperatorCallExpr, CXXMemberCallExpr>(St))
      if (std::optional<AtomicStore> AS =
              atomicStore(cast<Expr>(St), Flow.astContext());
          AS && AS->Target) {
        Flag = flagObjectPath(AS->Target);
        Value = AS->Value;
      }
    if (!Flag)
      return;
    const ValueDecl *Key = mutexKeyOf(*Flag);
    const HeldLock *Old = S.find(Key);
    if (Old && Old->HandedOver) {
      if (Value && *Value == *Old->HandedOver)
        return; // still handed over
      S.removeMutex(Key);
      return;
    }
    if (!Old && Value && handOver(Key, *Value, St, *Flag, S))
      return;
    if (Old && Old->isClaim() && Value) {
      if (Old->Claim == HeldLock::ClaimState::Tested) {
        if (*Value == Old->FreeValue)
          return; // still free
        HeldLock L = *Old;
        L.Claim = HeldLock::ClaimState::Owned;
        L.Site = St;
        S.replace(L);
        return;
      }
      if (*Value != Old->FreeValue)
        return; // still claimed
    }
    if (Old && Old->isClaim() && Old->ClaimLock &&
        S.holds(Old->ClaimLock, /*Exclusive=*/true)) {
      HeldLock L = *Old;
      L.Claim = HeldLock::ClaimState::Tested;
      S.replace(L);
      return;
    }
    S.removeMutex(Key);
  }

  /// A store of \p Value into the flag \p Key (named \p Flag), not
  /// claimed before, at \p St under an exclusively held mutex, that the
  /// HandOver test takes for a hand-over: the function owns the flag from
  /// here (HeldLock::HandedOver).
  bool handOver(const ValueDecl *Key, int64_t Value, const Stmt *St,
                const ObjectPath &Flag, LockSet &S) {
    if (!HandOver || !Fn)
      return false;
    const auto *const Under = llvm::find_if(S.locks(), [](const HeldLock &L) {
      return !L.isClaim() && L.Mode == LockMode::Exclusive;
    });
    if (Under == S.locks().end() || !(*HandOver)(Key, Fn))
      return false;
    HeldLock L{Key, LockMode::Exclusive, nullptr, Flag, St};
    L.Claim = HeldLock::ClaimState::Owned;
    L.ClaimLock = Under->Mutex;
    L.HandedOver = Value;
    S.replace(L);
    return true;
  }

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
    for (const Expr *M : G->Mutexes) {
      std::optional<ObjectPath> P = pointeePathOf(M);
      if (!P || !mutexKeyOf(*P)) {
        // A mutex no path names (`lock_guard g(mutex())`, a virtual
        // getter; `lock_guard g(*this)`): held, but by no name.
        Info.Unknown = true;
        if (G->Acquires && TrackUnknown)
          S.addUnknown({VD, VD->getInit()});
        continue;
      }
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
      if (It->second.Unknown && TrackUnknown)
        S.addUnknown({G, MC});
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

  /// std::lock(lk1, lk2) on guards made with std::defer_lock: each guard
  /// owns its mutexes from here (the mutexes among the arguments are the
  /// call's effects).
  void multiLockGuards(const CallExpr *Call, LockSet &S) {
    for (const Expr *Arg : Flow.locks().multiLockGuards(Call)) {
      const VarDecl *G = namedVariable(Arg);
      auto It = G ? Guards.find(G) : Guards.end();
      if (It == Guards.end())
        continue;
      for (const ObjectPath &P : It->second.Mutexes)
        S.add({mutexKeyOf(P), It->second.Mode, G, P, Call});
      if (It->second.Unknown && TrackUnknown)
        S.addUnknown({G, Call});
    }
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

  /// The local object whose member call \p St acquires the argument
  /// \p Mutex through a field the member binds to it first
  /// (FunctionSummary::FieldAliases): a guard built empty and attached,
  /// `MutexGuard g; g.attach_and_lock(m);`, which holds \p Mutex until it
  /// is destroyed.
  const VarDecl *boundGuard(const Stmt *St, const ObjectPath &Mutex) const {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(St);
    const VarDecl *V =
        MC ? namedVariable(MC->getImplicitObjectArgument()) : nullptr;
    if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType())
      return nullptr;
    const FunctionSummary *S =
        Flow.summaries().get(MC->getMethodDecl(), LockFamily);
    if (!S)
      return nullptr;
    for (const auto &[Field, Param] : S->FieldAliases)
      if (Param < MC->getNumArgs())
        if (std::optional<ObjectPath> P = pointeePathOf(MC->getArg(Param));
            P && *P == Mutex)
          return V;
    return nullptr;
  }

  /// Where the value of call \p St goes: false for a temporary (destroyed
  /// at the end of its full expression) or an object not followed (a
  /// member, an argument); true with \p Holder the variable it initialises,
  /// or with null when the function returns it.
  bool resultHolder(const Stmt *St, const VarDecl *&Holder) const {
    const Stmt *P = St;
    for (unsigned Depth = 0; P && Depth != 8; ++Depth) {
      const Stmt *Parent = graph().parent(P);
      if (const auto *DS = dyn_cast_or_null<DeclStmt>(Parent)) {
        Holder = varInitialisedBy(DS, cast<Expr>(St));
        return Holder && Holder->hasLocalStorage();
      }
      if (isa_and_nonnull<ReturnStmt>(Parent))
        return true;
      if (!isa_and_nonnull<ImplicitCastExpr, ExprWithCleanups,
                           CXXBindTemporaryExpr, MaterializeTemporaryExpr,
                           CXXConstructExpr, ParenExpr>(Parent))
        return false;
      P = Parent;
    }
    return false;
  }

  /// The local object whose own code \p St runs: the one it constructs,
  /// or the object of a member call.
  static const VarDecl *localObjectCalled(const Stmt *St) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(St);
    const VarDecl *V =
        MC ? namedVariable(MC->getImplicitObjectArgument()) : nullptr;
    if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType() ||
        V->getType()->isPointerType())
      return nullptr;
    return V;
  }

  /// A lock operation that a guard's own code (its constructor, a member
  /// function, its destructor) makes through a pointer or reference member
  /// of the guard \p Self (`m_mutex->unlock()`, oneTBB's
  /// `rw_scoped_lock::release()`) that no parameter bound (FieldAliases):
  /// the member is no mutex of the program. A release releases what the
  /// guard holds, of the member's type; an acquisition names no mutex.
  /// False for any other event; true with \p Into empty when it names none.
  bool throughOwnMember(const EffectEvent &Ev, const VarDecl *Self,
                        const LockSet &S,
                        llvm::SmallVectorImpl<ObjectPath> &Into) const {
    if (!Self || !Ev.FromSummary || Ev.Path.Kind != RootKind::Local ||
        Ev.Path.Root != Self || Ev.Path.Fields.empty())
      return false;
    QualType FT = Ev.Path.Fields.front()->getType();
    if (!FT->isPointerType() && !FT->isReferenceType())
      return false;
    if (!(Ev.Effect & ReleasesLock))
      return true;
    QualType Pointee = FT->getPointeeType().getCanonicalType();
    llvm::SmallVector<ObjectPath, 2> Held;
    auto Add = [&](const HeldLock &L) {
      if (L.Guard == Self && L.Path && !llvm::is_contained(Held, *L.Path))
        Held.push_back(*L.Path);
    };
    llvm::for_each(S.locks(), Add);
    llvm::for_each(S.mayHold(), Add);
    for (const ObjectPath &P : Held) {
      const ValueDecl *Leaf = P.leaf();
      if (Leaf && Leaf->getType()
                          .getNonReferenceType()
                          .getCanonicalType()
                          .getUnqualifiedType() == Pointee.getUnqualifiedType())
        Into.push_back(P);
    }
    if (Into.empty() && Held.size() == 1)
      Into.push_back(Held.front());
    return true;
  }

  void apply(LockSet &S, const Stmt *St, const VarDecl *Constructed,
             const VarDecl *Destroyed = nullptr) {
    // A guard's own member that its code locks or unlocks through stands
    // for what the guard holds (throughOwnMember()).
    const VarDecl *Self =
        Destroyed ? Destroyed
                  : (Constructed ? Constructed : localObjectCalled(St));
    for (unsigned I = 0; I != Events.size(); ++I) {
      llvm::SmallVector<ObjectPath, 1> Held;
      if (!throughOwnMember(Events[I], Self, S, Held))
        continue;
      if (Held.empty()) {
        if (TrackUnknown && Constructed &&
            (Events[I].Effect & (AcquiresLock | AcquiresShared))) {
          UserGuards.insert(Constructed);
          S.addUnknown({Constructed, St});
        }
        Events.erase(Events.begin() + I--);
        continue;
      }
      Events[I].Path = Held.front();
      for (const ObjectPath &P : llvm::drop_begin(Held)) {
        EffectEvent Ev = Events[I];
        Ev.Path = P;
        Events.insert(Events.begin() + ++I, Ev);
      }
    }
    // One call may say the same release twice (a wrapper's `unlock()`
    // recognised as a mutex operation and through its summary): the second
    // is not a release of a mutex the function did not hold.
    llvm::SmallVector<const ValueDecl *, 2> ReleasedHere;
    for (const EffectEvent &Ev : Events) {
      const ValueDecl *Key = mutexKeyOf(Ev.Path);
      if (!Key) {
        // A user guard of an object with no name for its mutex (`Locker
        // l{*this}`) holds it, by no name, until its destruction.
        if (TrackUnknown && Constructed && Ev.FromSummary &&
            (Ev.Effect & (AcquiresLock | AcquiresShared))) {
          UserGuards.insert(Constructed);
          S.addUnknown({Constructed, St});
        }
        continue;
      }
      // A user guard: its constructor acquired what it was given, or a
      // member of it that binds it first (`g.attach_and_lock(m)`). (One
      // whose constructor releases it, a reverse guard, is none: its
      // destructor's effects, which take the mutex again, apply.)
      const VarDecl *Guard = nullptr;
      if (Constructed && Ev.FromSummary &&
          (Ev.Effect & (AcquiresLock | AcquiresShared))) {
        Guard = Constructed;
        UserGuards.insert(Constructed);
      } else if (const VarDecl *V =
                     Ev.FromSummary ? boundGuard(St, Ev.Path) : nullptr) {
        Guard = V;
        UserGuards.insert(V);
      }
      if (Ev.FromSummary && (Ev.Effect & HeldByResult) &&
          (Ev.Effect & (AcquiresLock | AcquiresShared))) {
        // Held by the object the call returns: the variable it
        // initialises is its guard; a temporary releases it at once.
        const VarDecl *Holder = nullptr;
        if (!resultHolder(St, Holder))
          continue;
        if (Holder) {
          Guard = Holder;
          UserGuards.insert(Holder);
        }
      }
      if (Ev.Effect & MayAcquireLock) {
        // A guard that locks on some paths (a try-lock's): held where it
        // tests true, released at its destruction if it was.
        if (Constructed && Ev.FromSummary && !Guard) {
          Guard = Constructed;
          UserGuards.insert(Constructed);
          TryGuards[Constructed].push_back(
              {Key, LockMode::Exclusive, Constructed, Ev.Path, St});
        }
        S.addMaybe({Key, LockMode::Exclusive, Guard, Ev.Path, St});
      }
      if (Ev.Effect & (AcquiresLock | AcquiresShared)) {
        S.add({Key,
               (Ev.Effect & AcquiresLock) ? LockMode::Exclusive
                                          : LockMode::Shared,
               Guard, Ev.Path, St});
      } else if (Ev.Effect & ReleasesLock) {
        // One element unlocked by a loop that unlocks them all: the loop's
        // exit releases them (stripeLoopExit()), as one lock.
        if (St && insideStripe(St))
          continue;
        if (!S.find(Key) && !S.mayHold(Key) &&
            !llvm::is_contained(ReleasedHere, Key) &&
            !llvm::is_contained(Released, Ev.Path))
          Released.push_back(Ev.Path);
        ReleasedHere.push_back(Key);
        S.removeMutex(Key);
      }
    }
  }

  FlowContext &Flow;
  const LockSet &Entry;
  llvm::SmallVector<EffectEvent, 4> Events;
  llvm::DenseMap<const VarDecl *, GuardInfo> Guards;
  llvm::DenseSet<const VarDecl *> UserGuards;
  /// The project's guards whose constructor locks on some paths only, and
  /// what they hold when they test true.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<HeldLock, 1>> TryGuards;
  llvm::DenseMap<const Stmt *, Stripe> Stripes;
  /// Guards of a dependent type and the statement their lifetime ends with.
  llvm::SmallVector<std::pair<const VarDecl *, const Stmt *>, 2>
      DependentGuards;
};

} // namespace

namespace {

/// Correlated<LockFlow> visits a statement once per partition of the path
/// facts; the callers see it once, with the locks held on every partition
/// (as an uncorrelated analysis would, minus the infeasible paths).
class PerStatement {
public:
  PerStatement(llvm::function_ref<void(const Stmt *, const LockSet &)> Visit,
               AcquireCallback Acquired)
      : Visit(Visit), Acquired(Acquired) {}

  void visit(const Stmt *S, const LockSet &Held) {
    if (S != Current)
      flush();
    if (!Current) {
      Current = S;
      Before = Held;
      return;
    }
    Before.intersectWith(Held);
  }

  void acquired(const Stmt *S, const HeldLock &L, const LockSet &Held) {
    if (S != Current) { // not visited first: report it on its own
      flush();
      Acquired(S, L, Held);
      return;
    }
    for (auto &[Lock, LockBefore] : Acquisitions)
      if (Lock.Mutex == L.Mutex) {
        LockBefore.intersectWith(Held);
        return;
      }
    Acquisitions.push_back({L, Held});
  }

  void flush() {
    if (!Current)
      return;
    Visit(Current, Before);
    if (Acquired)
      for (const auto &[Lock, LockBefore] : Acquisitions)
        Acquired(Current, Lock, LockBefore);
    Acquisitions.clear();
    Current = nullptr;
  }

private:
  llvm::function_ref<void(const Stmt *, const LockSet &)> Visit;
  AcquireCallback Acquired;
  const Stmt *Current = nullptr;
  LockSet Before;
  llvm::SmallVector<std::pair<HeldLock, LockSet>, 1> Acquisitions;
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
  A.TrackClaims = Claims;
  A.TrackUnknown = Unknown;
  A.Carried = CarriedClaims;
  A.Binding = Binding;
  A.Fn = dyn_cast<FunctionDecl>(D);
  if (HandOver)
    A.HandOver = &HandOver;
  A.modelExceptions(Flow.throws());
  // Locks released on a path that then leaves through a flag it set
  // (`unlock(); stop = true; ... if (stop) break;`) are not lost on the
  // paths that kept them.
  StableConditions Conds(*G, ModeLocksOn);
  Correlated<LockFlow> C(A, Conds);
  C.FactsOut = &A.Facts;
  A.Conds = &Conds;
  ForwardSolver<Correlated<LockFlow>> Solver(*G, C);
  if (!Solver.solve())
    return false;
  // Mode locks: a replay collects the mutexes each arm of a mode condition
  // acquires; a partition on one arm is mode-locked by those the other arm
  // acquires and its own never does.
  LockFlow::ModeLocks Taken, Held;
  if (ModeLocksOn && Conds.hasModes()) {
    A.ModeTaken = &Taken;
    Solver.report();
    A.ModeTaken = nullptr;
    for (const auto &[Arm, Locks] : Taken) {
      auto Other = Taken.find({Arm.Key, !Arm.Value});
      for (const HeldLock &L : Locks) {
        if (Other != Taken.end() &&
            llvm::any_of(Other->second,
                         [&](const HeldLock &O) { return O.Mutex == L.Mutex; }))
          continue;
        HeldLock Mode = L;
        Mode.Guard = nullptr; // no guard of the flag-off arm releases it
        Mode.ModeArm = true;
        Held[{Arm.Key, !Arm.Value}].push_back(Mode);
      }
    }
    A.ModeHeld = &Held;
  }
  PerStatement Once(Visit, Acquired);
  auto OnVisit = [&](const Stmt *S, const LockSet &Held) {
    Once.visit(S, Held);
  };
  auto OnAcquire = [&](const Stmt *S, const HeldLock &L, const LockSet &Held) {
    Once.acquired(S, L, Held);
  };
  A.Visit = OnVisit;
  A.Destroyed = Destroyed;
  if (Acquired)
    A.Acquired = OnAcquire;
  Solver.report();
  Once.flush();
  if (Exit) {
    if (const auto &Normal = Solver.normalExit())
      *Exit = C.merged(*Normal);
    else
      *Exit = std::nullopt;
  }
  if (Released)
    Released->append(A.Released.begin(), A.Released.end());
  return true;
}

} // namespace pitfall
