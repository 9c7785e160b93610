//===--- Locks.cpp --------------------------------------------------------===//
#include "pitfall/Core/Locks.h"

#include "pitfall/Compat.h"
#include "pitfall/Core/Containers.h"
#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

static const NameList &standardExclusiveGuards() {
  static const NameList L(
      "::std::lock_guard;::std::unique_lock;::std::scoped_lock");
  return L;
}

static const NameList &standardSharedGuards() {
  static const NameList L("::std::shared_lock");
  return L;
}

static const NameList &standardMutexes() {
  static const NameList L(
      "::std::mutex;::std::recursive_mutex;::std::timed_mutex;"
      "::std::recursive_timed_mutex;::std::shared_mutex;"
      "::std::shared_timed_mutex;::boost::mutex;::boost::recursive_mutex;"
      "::boost::timed_mutex;::boost::shared_mutex;"
      "::boost::fibers::mutex;::boost::fibers::recursive_mutex");
  return L;
}

LockRecognizer::LockRecognizer(llvm::StringRef LockTypesOption)
    : Option(LockTypesOption.str()) {
  std::string Exclusive, Shared;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  LockTypesOption.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    std::string &Into = P.consume_back(":shared") ? Shared : Exclusive;
    Into += P.trim().str();
    Into += ';';
  }
  ExclusiveGuards = NameList(Exclusive);
  SharedGuards = NameList(Shared);
}

std::optional<LockMode> LockRecognizer::guardMode(QualType T) const {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return std::nullopt;
  if (standardExclusiveGuards().matches(RD) || ExclusiveGuards.matches(RD))
    return LockMode::Exclusive;
  if (standardSharedGuards().matches(RD) || SharedGuards.matches(RD))
    return LockMode::Shared;
  return guardClassMode(RD);
}

/// The parameter a mutex expression of a constructor is reached through:
/// `m`, `m.inner_`, `*m.p_`, `&m`, `m->inner_`. Null if none.
static const ParmVarDecl *parameterReaching(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<ParmVarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      E = ME->getBase();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && (OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow) &&
        OC->getNumArgs() >= 1) {
      E = OC->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool releasesGuardMember(const Stmt *S,
                         llvm::ArrayRef<const FieldDecl *> Guards) {
  if (!S)
    return false;
  auto IsGuard = [&](const Expr *E) {
    const auto *ME =
        E ? dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()) : nullptr;
    return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
           llvm::is_contained(Guards, ME->getMemberDecl());
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() &&
        (M->getName() == "unlock" || M->getName() == "unlock_shared" ||
         M->getName() == "release" || M->getName() == "swap") &&
        IsGuard(MC->getImplicitObjectArgument()))
      return true;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    for (const Expr *Arg : Call->arguments())
      if (IsGuard(Arg) && Arg->getType()->isRValueReferenceType())
        return true;
  if (const auto *Call = dyn_cast<CallExpr>(S);
      Call && Call->getNumArgs() == 1 && IsGuard(Call->getArg(0)) &&
      isa_and_nonnull<FunctionDecl>(Call->getCalleeDecl()) &&
      cast<FunctionDecl>(Call->getCalleeDecl())->getIdentifier() &&
      cast<FunctionDecl>(Call->getCalleeDecl())->getName() == "move")
    return true;
  // Reassigned: what it held is released.
  if (std::optional<AssignmentOperands> A = assignmentOperands(S);
      A && IsGuard(A->Target))
    return true;
  for (const Stmt *Child : S->children())
    if (releasesGuardMember(Child, Guards))
      return true;
  return false;
}

/// The construction of the guard \p E makes, looking through implicit
/// nodes and functional casts (`std::unique_lock<std::mutex>(m)`).
static const CXXConstructExpr *guardConstruction(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    return dyn_cast<CXXConstructExpr>(E);
  }
  return nullptr;
}

llvm::SmallVector<MemberGuard, 1>
LockRecognizer::memberGuardsAcquired(const CXXConstructorDecl *Ctor) const {
  llvm::SmallVector<MemberGuard, 1> Out;
  const FunctionDecl *Def = nullptr;
  if (!Ctor || !Ctor->hasBody(Def) || !isa<CXXConstructorDecl>(Def))
    return Out;
  auto Add = [&](const FieldDecl *F, const CXXConstructExpr *CE) {
    std::optional<GuardInit> G = F ? guardInit(CE) : std::nullopt;
    if (!G || !G->Acquires)
      return;
    for (const Expr *M : G->Mutexes)
      Out.push_back({F, M, G->Mode});
  };
  for (const CXXCtorInitializer *Init : cast<CXXConstructorDecl>(Def)->inits())
    if (Init->isWritten() && Init->getMember())
      Add(Init->getMember(), guardConstruction(Init->getInit()));
  llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (std::optional<AssignmentOperands> A = assignmentOperands(S)) {
      const auto *ME = dyn_cast<MemberExpr>(A->Target->IgnoreParenImpCasts());
      if (ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        Add(dyn_cast<FieldDecl>(ME->getMemberDecl()),
            guardConstruction(A->Value));
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return Out;
}

llvm::SmallVector<std::pair<const Expr *, LockMode>, 1>
LockRecognizer::requiredOnEntry(const FunctionDecl *FD) const {
  llvm::SmallVector<std::pair<const Expr *, LockMode>, 1> Out;
  if (!FD)
    return Out;
  // The attribute is inherited by later declarations (the out-of-line
  // definition of a member declared with it); a lambda's is on its call
  // operator.
  for (const FunctionDecl *D : FD->redecls())
    for (const auto *A : D->specific_attrs<RequiresCapabilityAttr>())
      for (const Expr *Arg : A->args()) {
        if (!Arg ||
            llvm::any_of(Out, [&](const auto &P) { return P.first == Arg; }))
          continue;
        Out.push_back(
            {Arg, A->isShared() ? LockMode::Shared : LockMode::Exclusive});
      }
  return Out;
}

std::optional<std::pair<LockMode, llvm::SmallVector<unsigned, 1>>>
LockRecognizer::guardParameters(const CXXConstructorDecl *Ctor) const {
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || Ctor->getNumParams() == 0)
    return std::nullopt;
  const CXXRecordDecl *RD = Ctor->getParent();
  auto IndexOf = [&](const ParmVarDecl *P) -> int {
    const auto *Of = dyn_cast<CXXConstructorDecl>(P->getDeclContext());
    if (!Of || Of->getParent()->getCanonicalDecl() != RD->getCanonicalDecl() ||
        P->getFunctionScopeIndex() >= Ctor->getNumParams())
      return -1;
    return static_cast<int>(P->getFunctionScopeIndex());
  };
  // Clang's thread-safety attributes: a scoped capability whose constructor
  // acquires (a capability reached through) its parameters.
  if (RD->hasAttr<ScopedLockableAttr>())
    for (const auto *A : Ctor->specific_attrs<AcquireCapabilityAttr>()) {
      llvm::SmallVector<unsigned, 1> Params;
      for (const Expr *Arg : A->args())
        if (const ParmVarDecl *P = parameterReaching(Arg))
          if (int I = IndexOf(P); I >= 0)
            Params.push_back(static_cast<unsigned>(I));
      if (!Params.empty())
        return std::make_pair(
            A->isShared() ? LockMode::Shared : LockMode::Exclusive, Params);
    }
  // By what it does: a guard member initialised from a parameter's mutex.
  const FunctionDecl *Def = nullptr;
  if (!Ctor->hasBody(Def))
    return std::nullopt;
  const auto *CtorDef = dyn_cast<CXXConstructorDecl>(Def);
  if (!CtorDef)
    return std::nullopt;
  llvm::SmallVector<const FieldDecl *, 2> Guards;
  std::optional<LockMode> Mode;
  llvm::SmallVector<unsigned, 1> Params;
  for (const CXXCtorInitializer *Init : CtorDef->inits()) {
    const FieldDecl *F = Init->getMember();
    if (!F || !Init->isWritten())
      continue;
    const auto *CE =
        dyn_cast_or_null<CXXConstructExpr>(Init->getInit()->IgnoreImplicit());
    std::optional<GuardInit> G = guardInit(CE);
    if (!G || !G->Acquires)
      continue;
    for (const Expr *M : G->Mutexes)
      if (const ParmVarDecl *P = parameterReaching(M))
        if (int I = IndexOf(P); I >= 0) {
          Params.push_back(static_cast<unsigned>(I));
          Guards.push_back(F);
          if (!Mode || G->Mode == LockMode::Exclusive)
            Mode = G->Mode;
        }
  }
  if (Params.empty())
    return std::nullopt;
  // Held for the object's life: no other member releases the guard (but an
  // unlock(), the guard's own, and an assignment operator, which hands the
  // guard of another).
  for (const CXXMethodDecl *M : RD->methods()) {
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
        M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator() ||
        (M->getIdentifier() && M->getName() == "unlock"))
      continue;
    const FunctionDecl *Body = nullptr;
    if (M->hasBody(Body) && releasesGuardMember(Body->getBody(), Guards))
      return std::nullopt;
  }
  for (const Decl *D : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
      const FunctionDecl *Body = nullptr;
      if (FT->getTemplatedDecl()->hasBody(Body) &&
          releasesGuardMember(Body->getBody(), Guards))
        return std::nullopt;
    }
  return std::make_pair(*Mode, Params);
}

std::optional<LockMode>
LockRecognizer::guardClassMode(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition() || RD->isLambda())
    return std::nullopt;
  RD = RD->getDefinition();
  auto [It, New] = GuardClasses.try_emplace(RD, std::nullopt);
  if (!New)
    return It->second;
  std::optional<LockMode> Mode;
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (auto G = guardParameters(Ctor)) {
      Mode = G->first;
      break;
    }
  GuardClasses[RD] = Mode; // not It: guardParameters may have inserted
  return Mode;
}

/// What a member function named \p Name does to its mutex, by the spelling
/// of lock APIs: one word "lock" or "unlock" (any case; words split at `_`
/// and at lower-to-upper case changes) with, before or after it, only words
/// that name a mode: `lock`, `Lock`, `lock_shared`, `lockRead`, `lockWrite`,
/// `lockForRead`, `ReaderLock`, `WriterUnlock`. Read, reader and shared
/// name the shared mode. Anything else (`try_lock`, `lock_upgrade`,
/// `timed_lock`, `lockDoor`) is no lock operation.
static MutexOp lockApiOp(llvm::StringRef Name) {
  if (!Name.contains_insensitive("lock"))
    return MutexOp::None;
  llvm::SmallVector<std::string, 4> Words;
  std::string Word;
  auto Flush = [&] {
    if (!Word.empty())
      Words.push_back(std::move(Word));
    Word.clear();
  };
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    if (C == '_') {
      Flush();
      continue;
    }
    if (llvm::isUpper(C) && I > 0 && llvm::isLower(Name[I - 1]))
      Flush();
    Word.push_back(llvm::toLower(C));
  }
  Flush();
  std::optional<bool> Acquire;
  bool Shared = false;
  for (const std::string &W : Words) {
    if (W == "lock" || W == "unlock") {
      if (Acquire)
        return MutexOp::None;
      Acquire = W == "lock";
    } else if (W == "read" || W == "reader" || W == "shared") {
      Shared = true;
    } else if (W != "write" && W != "writer" && W != "exclusive" &&
               W != "for") {
      return MutexOp::None;
    }
  }
  if (!Acquire)
    return MutexOp::None;
  if (*Acquire)
    return Shared ? MutexOp::LockShared : MutexOp::Lock;
  return Shared ? MutexOp::UnlockShared : MutexOp::Unlock;
}

static bool hasLockAndUnlock(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  bool Lock = false, Unlock = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getIdentifier() || M->isStatic())
      continue;
    MutexOp Op = lockApiOp(M->getName());
    Lock |= Op == MutexOp::Lock || Op == MutexOp::LockShared;
    Unlock |= Op == MutexOp::Unlock || Op == MutexOp::UnlockShared;
  }
  return Lock && Unlock;
}

FlagLockOp
LockRecognizer::classifyFlagCall(const CXXMemberCallExpr *Call) const {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  const Expr *Obj = Call ? Call->getImplicitObjectArgument() : nullptr;
  if (!M || !M->getIdentifier() || !Obj)
    return FlagLockOp::None;
  const CXXRecordDecl *RD = recordOf(Obj->getType(), /*ThroughPointers=*/true);
  static const NameList AtomicFlag("::std::atomic_flag");
  static const NameList Atomic("::std::atomic");
  llvm::StringRef Name = M->getName();
  if (RD && AtomicFlag.matches(RD))
    return Name == "test_and_set" ? FlagLockOp::TestAndSet
           : Name == "clear"      ? FlagLockOp::Clear
                                  : FlagLockOp::None;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Atomic.matches(Spec) || Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
      !Spec->getTemplateArgs()[0].getAsType()->isBooleanType() ||
      Call->getNumArgs() == 0)
    return FlagLockOp::None;
  // The value exchanged or stored must be the constant that takes
  // (exchange(true)) or gives back (store(false)) the flag.
  bool Value = false;
  const Expr *Arg = Call->getArg(0);
  if (Arg->isValueDependent() ||
      !Arg->EvaluateAsBooleanCondition(Value, M->getASTContext()))
    return FlagLockOp::None;
  if (Name == "exchange" && Value)
    return FlagLockOp::TestAndSet;
  if (Name == "store" && !Value)
    return FlagLockOp::Clear;
  return FlagLockOp::None;
}

bool LockRecognizer::isMutexStorage(QualType T) const {
  auto IsOwned = [this](QualType E) {
    E = E.getNonReferenceType();
    return !E->isPointerType() && isMutexType(E);
  };
  if (T->isReferenceType())
    return false;
  return IsOwned(T) || isElementContainerOf(T, IsOwned);
}

bool LockRecognizer::isMutexType(QualType T) const {
  const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
  if (!RD)
    return false;
  if (standardMutexes().matches(RD))
    return true;
  if (guardMode(compat::recordType(RD)))
    return false;
  if (hasLockAndUnlock(RD))
    return true;
  // Mutexes that inherit lock()/unlock() from a base.
  if (RD->hasDefinition())
    for (const CXXBaseSpecifier &B : RD->bases())
      if (hasLockAndUnlock(recordOf(B.getType())))
        return true;
  return false;
}

/// True if \p Body does nothing but return a constant (or nothing).
static bool doesNothing(const Stmt *Body, ASTContext &Ctx) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS)
    return false;
  return llvm::all_of(CS->body(), [&](const Stmt *S) {
    if (isa<NullStmt>(S))
      return true;
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return false;
    const Expr *V = R->getRetValue();
    Expr::EvalResult Result;
    return !V || (!V->isValueDependent() && V->EvaluateAsRValue(Result, Ctx) &&
                  !Result.HasSideEffects);
  });
}

/// Adds to \p Any whether \p C or a base has a lock operation (lock,
/// unlock, their shared forms, a try-lock); false if one is not defined in
/// the translation unit or does something.
static bool lockOpsDoNothing(const CXXRecordDecl *C, bool &Any) {
  if (!C || !C->hasDefinition())
    return true;
  for (const CXXMethodDecl *M : C->methods()) {
    if (!M->getIdentifier() || M->isStatic() ||
        (lockApiOp(M->getName()) == MutexOp::None &&
         !M->getName().starts_with("try_lock")))
      continue;
    Any = true;
    const FunctionDecl *Def = M->getDefinition();
    if (!Def || !doesNothing(Def->getBody(), C->getASTContext()))
      return false;
  }
  return llvm::all_of(C->bases(), [&](const CXXBaseSpecifier &B) {
    return lockOpsDoNothing(recordOf(B.getType()), Any);
  });
}

bool LockRecognizer::isInertMutex(QualType T) const {
  const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
  if (!RD || !RD->hasDefinition() || RD->isDependentContext() ||
      !RD->isEmpty() || standardMutexes().matches(RD) || !isMutexType(T))
    return false;
  bool Any = false;
  return lockOpsDoNothing(RD, Any) && Any;
}

/// True if \p RD or a base declares members named \p Lock and \p Unlock.
static bool hasMembersNamed(const CXXRecordDecl *RD, llvm::StringRef Lock,
                            llvm::StringRef Unlock) {
  if (!RD || !RD->hasDefinition())
    return false;
  bool L = false, U = false;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getIdentifier()) {
      L |= M->getName() == Lock;
      U |= M->getName() == Unlock;
    }
  if (L && U)
    return true;
  return llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
    return hasMembersNamed(recordOf(B.getType()), Lock, Unlock);
  });
}

bool LockRecognizer::isStdLockable(QualType T, bool Shared) const {
  // A template parameter's mutex type: the guard is checked at
  // instantiation, as a guard of it in the template's own code.
  if (T.getNonReferenceType()->isDependentType())
    return true;
  const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
  if (!RD || !isMutexType(T))
    return false;
  return Shared ? hasMembersNamed(RD, "lock_shared", "unlock_shared")
                : hasMembersNamed(RD, "lock", "unlock");
}

bool LockRecognizer::isMutexWrapper(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition() || RD->field_empty() ||
      standardMutexes().matches(RD) || !isMutexType(compat::recordType(RD)))
    return false;
  unsigned ByValue = 0, Other = 0;
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    if (!isMutexType(T))
      ++Other;
    else if (T->isPointerType() || T->isReferenceType())
      return false; // another object's mutex: not the wrapper's own
    else
      ++ByValue;
  }
  return ByValue != 0 && (Other == 0 || ByValue == 1);
}

/// The tag types that make a guard not own the lock after construction.
static bool isNonAcquiringTag(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return N == "defer_lock_t" || N == "try_to_lock_t";
}

/// What a guard of mode \p Mode constructed from \p Args acquires.
static std::optional<GuardInit>
guardArguments(const LockRecognizer &Locks, LockMode Mode,
               llvm::ArrayRef<const Expr *> Args) {
  GuardInit Out;
  Out.Mode = Mode;
  for (const Expr *Arg : Args) {
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    QualType T = Arg->getType();
    if (isNonAcquiringTag(T)) {
      Out.Acquires = false;
      const CXXRecordDecl *Tag = recordOf(T);
      Out.TryLock = Tag->getName() == "try_to_lock_t";
      continue;
    }
    if (Locks.isMutexType(T) || Arg->isTypeDependent())
      Out.Mutexes.push_back(Arg);
  }
  if (Out.Mutexes.empty())
    return std::nullopt;
  return Out;
}

std::optional<GuardInit>
LockRecognizer::guardInit(const CXXConstructExpr *E) const {
  if (!E)
    return std::nullopt;
  std::optional<LockMode> Mode = guardMode(E->getType());
  if (!Mode)
    return std::nullopt;
  const CXXConstructorDecl *Ctor = E->getConstructor();
  if (Ctor && (Ctor->isCopyOrMoveConstructor() || Ctor->isDefaultConstructor()))
    return std::nullopt;
  if (Ctor && guardClassMode(Ctor->getParent())) {
    // A project's guard class: the arguments of the parameters it acquires.
    auto G = guardParameters(Ctor);
    if (!G)
      return std::nullopt;
    GuardInit Out;
    Out.Mode = G->first;
    for (unsigned I : G->second)
      if (I < E->getNumArgs() && !isa<CXXDefaultArgExpr>(E->getArg(I)))
        Out.Mutexes.push_back(E->getArg(I));
    if (Out.Mutexes.empty())
      return std::nullopt;
    return Out;
  }
  llvm::SmallVector<const Expr *, 4> Args(E->arguments());
  return guardArguments(*this, *Mode, Args);
}

std::optional<GuardInit> LockRecognizer::guardInit(const Expr *Init,
                                                   QualType T) const {
  if (!Init)
    return std::nullopt;
  Init = Init->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init))
    return guardInit(CE);
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *PL = dyn_cast<ParenListExpr>(Init)) {
    for (unsigned I = 0, N = PL->getNumExprs(); I != N; ++I)
      Args.push_back(PL->getExpr(I));
  } else if (const auto *IL = dyn_cast<InitListExpr>(Init)) {
    Args.append(IL->inits().begin(), IL->inits().end());
  } else if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(Init)) {
    Args.append(UC->arg_begin(), UC->arg_end());
    T = UC->getTypeAsWritten();
  } else {
    return std::nullopt;
  }
  std::optional<LockMode> Mode = guardMode(T);
  if (!Mode)
    return ownTypeGuard(T, Args);
  return guardArguments(*this, *Mode, Args);
}

/// A guard of a member type of the mutex's own type, in a template's
/// dependent code: a local of type `typename M::ScopedLock`, `M` a
/// dependent type, constructed from one object of type `M` alone (Poco's
/// `typename TMutex::ScopedLock lock(_mutex);` with `TMutex _mutex;`). The
/// mutex type's scoped guard is resolved only per instantiation; a type the
/// mutex's type provides, made from that mutex and nothing else, is taken
/// for it, exclusive, as a standard guard of a template parameter's mutex
/// type is.
std::optional<GuardInit>
LockRecognizer::ownTypeGuard(QualType T,
                             llvm::ArrayRef<const Expr *> Args) const {
  const auto *DN = T.isNull() ? nullptr : T->getAs<DependentNameType>();
  const Type *Owner = compat::qualifierType(DN);
  if (!Owner || !Owner->isDependentType() || Args.size() != 1)
    return std::nullopt;
  const Expr *Arg = Args.front();
  QualType AT = Arg->getType().getNonReferenceType();
  if (AT.isNull() || AT.getCanonicalType().getUnqualifiedType() !=
                         Owner->getCanonicalTypeUnqualified())
    return std::nullopt;
  GuardInit Out;
  Out.Mode = LockMode::Exclusive;
  Out.Mutexes.push_back(Arg);
  return Out;
}

static llvm::StringRef calledName(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return {};
  return M->getName();
}

MutexOp LockRecognizer::classifyMutexCall(const CXXMemberCallExpr *Call) const {
  llvm::StringRef Name = calledName(Call);
  if (Name.empty())
    return MutexOp::None;
  MutexOp Op = lockApiOp(Name);
  if (Op == MutexOp::None)
    return Op;
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Obj || !isMutexType(Obj->getType()))
    return MutexOp::None;
  return Op;
}

std::optional<LockMode>
LockRecognizer::classifyTryLockCall(const CXXMemberCallExpr *Call) const {
  llvm::StringRef Name = calledName(Call);
  std::optional<LockMode> Mode =
      llvm::StringSwitch<std::optional<LockMode>>(Name)
          .Case("try_lock", LockMode::Exclusive)
          .Case("try_lock_shared", LockMode::Shared)
          .Default(std::nullopt);
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Mode || !Obj || !isMutexType(Obj->getType()))
    return std::nullopt;
  return Mode;
}

GuardOp LockRecognizer::classifyGuardCall(const CXXMemberCallExpr *Call) const {
  llvm::StringRef Name = calledName(Call);
  if (Name.empty())
    return GuardOp::None;
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Obj || !guardMode(Obj->getType()))
    return GuardOp::None;
  return llvm::StringSwitch<GuardOp>(Name)
      .Case("lock", GuardOp::Lock)
      .Case("unlock", GuardOp::Unlock)
      .Case("release", GuardOp::Release)
      .Default(GuardOp::None);
}

llvm::SmallVector<const Expr *, 2>
LockRecognizer::multiLockGuards(const CallExpr *Call) const {
  llvm::SmallVector<const Expr *, 2> Out;
  if (!isMultiLockCall(Call))
    return Out;
  for (const Expr *Arg : Call->arguments())
    if (guardMode(Arg->getType().getNonReferenceType()))
      Out.push_back(Arg);
  return Out;
}

bool isMultiLockCall(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || FD->getName() != "lock" ||
      isa<CXXMethodDecl>(FD) || Call->getNumArgs() < 2)
    return false;
  static const NameList L("::std::lock;::boost::lock");
  return L.matches(FD);
}

/// True if \p T (a typedef of) one of the C libraries' mutex types:
/// `pthread_mutex_t`, `pthread_rwlock_t` (POSIX), `mtx_t` (C11), also when
/// the type is spelt through other typedefs (libuv's `typedef
/// pthread_mutex_t uv_mutex_t;`) or is the anonymous record such a typedef
/// names.
static bool isCMutexObject(QualType T) {
  if (T.isNull())
    return false;
  auto Named = [](llvm::StringRef N) {
    return N == "pthread_mutex_t" || N == "pthread_rwlock_t" || N == "mtx_t";
  };
  for (QualType Cur = T; const auto *TT = Cur->getAs<TypedefType>();
       Cur = TT->desugar())
    if (Named(TT->getDecl()->getName()))
      return true;
  const auto *RD = T->getAsRecordDecl();
  if (!RD)
    return false;
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return Named(TD->getName());
  return RD->getIdentifier() && Named(RD->getName());
}

/// A C library's mutex object (isCMutexObject()), or a struct with a data
/// member of one (a project's lock struct: `struct lock { pthread_mutex_t m;
/// int owner; }`).
static bool isCMutexType(QualType T) {
  if (isCMutexObject(T))
    return true;
  const auto *RD = T.isNull() ? nullptr : T->getAsRecordDecl();
  const RecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  return Def && llvm::any_of(Def->fields(), [](const FieldDecl *F) {
           return isCMutexObject(F->getType());
         });
}

/// What a C function named \p Name does to the mutex it takes, by the last
/// word of its name (words split at `_` and at lower-to-upper case changes:
/// the verb of `pthread_mutex_lock`, `uv_rwlock_rdunlock`): `lock`,
/// `wrlock` (acquires), `rdlock` (acquires shared), `unlock`, `wrunlock`
/// (releases), `rdunlock` (releases shared). A try (`trylock`,
/// `tryrdlock`, `timedlock`) waits for nothing; `lock` as the noun of
/// `app_lock_init` is not the verb.
static MutexOp cLockFunctionOp(llvm::StringRef Name) {
  size_t Start = Name.size();
  while (Start > 0 && Name[Start - 1] != '_' &&
         !(llvm::isUpper(Name[Start - 1]) && Start > 1 &&
           llvm::isLower(Name[Start - 2])))
    --Start;
  if (Start > 0 && Name[Start - 1] != '_')
    --Start; // the capital letter that begins a camel-case word
  std::string Last = Name.drop_front(Start).lower();
  return llvm::StringSwitch<MutexOp>(Last)
      .Cases("lock", "wrlock", MutexOp::Lock)
      .Case("rdlock", MutexOp::LockShared)
      .Cases("unlock", "wrunlock", MutexOp::Unlock)
      .Case("rdunlock", MutexOp::UnlockShared)
      .Default(MutexOp::None);
}

/// True if \p T points to a C mutex (isCMutexType()).
static bool pointsToCMutex(QualType T) {
  return !T.isNull() && T->isPointerType() && isCMutexType(T->getPointeeType());
}

MutexOp classifyLockFunctionCall(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD) ||
      Call->getNumArgs() < 1 ||
      !FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return MutexOp::None;
  MutexOp Op =
      llvm::StringSwitch<MutexOp>(FD->getName())
          .Cases("pthread_mutex_lock", "pthread_rwlock_wrlock", "mtx_lock",
                 "SDL_LockMutex", "SDL_LockRWLockForWriting", MutexOp::Lock)
          .Cases("pthread_rwlock_rdlock", "SDL_LockRWLockForReading",
                 MutexOp::LockShared)
          .Cases("pthread_mutex_unlock", "pthread_rwlock_unlock", "mtx_unlock",
                 "SDL_UnlockMutex", "SDL_UnlockRWLock", MutexOp::Unlock)
          .Default(MutexOp::None);
  if (Op != MutexOp::None)
    return Op;
  // A C library's wrapper, by what it takes: declared without a body here
  // (a body's calls are followed by its summary), its first parameter a
  // pointer to a C mutex.
  if (FD->isDefined() || FD->getNumParams() < 1 ||
      !pointsToCMutex(FD->getParamDecl(0)->getType()))
    return MutexOp::None;
  return cLockFunctionOp(FD->getName());
}

static const ValueDecl *canonical(const ValueDecl *D) {
  return D ? cast<ValueDecl>(D->getCanonicalDecl()) : nullptr;
}

const ValueDecl *mutexKey(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return canonical(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return canonical(ME->getMemberDecl());
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    // unique_ptr<mutex>/shared_ptr<mutex>: *p or p->lock().
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && (OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow) &&
        OC->getNumArgs() >= 1) {
      E = OC->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

const Expr *conditionWaitGuard(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier() || Call->getNumArgs() == 0 ||
      (M->getName() != "wait" && M->getName() != "wait_for" &&
       M->getName() != "wait_until"))
    return nullptr;
  const CXXRecordDecl *RD = M->getParent();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier() ||
      (RD->getName() != "condition_variable" &&
       RD->getName() != "condition_variable_any"))
    return nullptr;
  return Call->getArg(0);
}

const Expr *conditionWaitLock(const CXXMemberCallExpr *Call,
                              bool &HasPredicate) {
  HasPredicate = false;
  const Expr *Lock = conditionWaitGuard(Call);
  if (!Lock || Call->getMethodDecl()->getName() != "wait")
    return nullptr;
  HasPredicate = Call->getNumArgs() >= 2;
  return Lock;
}

} // namespace pitfall
