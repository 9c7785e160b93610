//===--- ContainerRaces.cpp -----------------------------------------------===//
#include "pitfall/Flow/ContainerRaces.h"

#include "pitfall/Compat.h"

#include "pitfall/Core/ActiveObjects.h"
#include "pitfall/Core/AtomicWaits.h"

#include "pitfall/Core/Containers.h"
#include "pitfall/Core/Escape.h"
#include "pitfall/Core/LocalObjects.h"
#include "pitfall/Core/Locks.h"
#include "pitfall/Core/ScopeExit.h"
#include "pitfall/Core/ScopeLoops.h"
#include "pitfall/Flow/Blocking.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/FreshObjects.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/LockAnalysis.h"
#include "pitfall/Flow/MemberWrites.h"
#include "pitfall/Flow/Ordering.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <functional>
#include <map>
#include <optional>
#include <tuple>

using namespace clang;

namespace pitfall {

namespace {

/// How many accesses a function's summary keeps (the rest are dropped: a
/// summary that large says nothing a smaller one would not).
constexpr unsigned MaxSummaryAccesses = 128;

/// One read or write of a container, as a function sees it.
struct Access {
  const Expr *Ref;        ///< the expression naming the container
  const FunctionDecl *Fn; ///< the function whose body holds Ref
  ObjectPath Object;      ///< the container, named in the viewing function
  bool Write;
  LockSet Locks; ///< held at the access, keys canonical
  /// The statement of the viewing function that makes the access: Ref, or
  /// the call (or in-place callable) that leads to it.
  const Stmt *Anchor;
  /// Made only in a `catch` handler whose exceptions are not reported
  /// (ContainerRaceOptions::MinThrow), here or in a caller on the way.
  bool FailurePath = false;
  /// Mutexes of Locks the viewing function's own code does not hold at the
  /// anchor: a callee took them around the access (a callback it runs, an
  /// out-argument it fills).
  llvm::SmallVector<const ValueDecl *, 1> CalleeLocks;
  /// Mutexes of Locks held only for the source of a copy this write makes
  /// (`for (int f : shared_) local_.push_back(f);`, `local_ = shared_;`
  /// under the lock of shared_): the source's read holds them too.
  llvm::SmallVector<const ValueDecl *, 1> CopyLocks;
  /// Mutexes of Locks held only because a callee that makes the access is
  /// called inside the region of a condition-variable wait on that mutex
  /// (its guard is the wait's lock): the region exists for the wait, not
  /// for what the callee touches (waitGuards()).
  llvm::SmallVector<const ValueDecl *, 1> WaitLocks;
  /// Made, in the viewing function and in every function on the way to
  /// Ref, before (on every path) the first statement that hands `this` to
  /// another thread (handsOff()): the object's set-up.
  bool BeforeHandOff = true;
  /// Where Fn itself took a lock, held at Ref on some path, whose mutex
  /// has no name (LockSet::unknownLocks()); null if none.
  const Stmt *UnknownLock = nullptr;
  /// For an access of an element of Object (Object.Element): the reference
  /// variable bound to the element through which it is reached, nearest
  /// the container (elementReference(): `auto &e = m[k];`), or null.
  const VarDecl *Via = nullptr;
  /// For such an access with no element reference: the element selection
  /// (`m[k]`, `v.at(i)`) handed as the argument a callee's access was made
  /// through (`mix(samples[i])`, the callee writing its parameter), or
  /// null.
  const Expr *Selection = nullptr;
};

struct Summary {
  std::vector<Access> Accesses;
  bool Done = false;
  bool InProgress = false;
};

/// What a walk of a function's body (not its lambdas) found.
struct Facts {
  bool Walked = false;
  bool HasAccess = false;
  bool MayStart = false;
  /// Called through `this` somewhere; started as a task's entry.
  bool ThisCalled = false;
  bool TaskEntry = false;
  const LambdaExpr *Lambda = nullptr; ///< for a lambda's call operator
  const FunctionDecl *Parent = nullptr;
  llvm::SmallVector<const FunctionDecl *, 4> Callees;
  llvm::SmallVector<const FunctionDecl *, 2> Lambdas;
  int MayAccess = -1; ///< -1 not known yet
};

/// The declaration a template instantiation's member stands for: the
/// pattern's field (so that the accesses of the instantiated members of a
/// class template and of those never instantiated meet), a static data
/// member's pattern; the canonical declaration otherwise.
const ValueDecl *canonical(const ValueDecl *D) {
  if (!D)
    return nullptr;
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
    const CXXRecordDecl *Pattern =
        RD ? RD->getTemplateInstantiationPattern() : nullptr;
    if (Pattern && Pattern != RD) {
      unsigned Index = FD->getFieldIndex();
      for (const FieldDecl *PF : Pattern->fields())
        if (PF->getFieldIndex() == Index)
          return PF;
    }
  }
  if (const auto *VD = dyn_cast<VarDecl>(D))
    if (const VarDecl *From = VD->getInstantiatedFromStaticDataMember())
      return From->getCanonicalDecl();
  return cast<ValueDecl>(D->getCanonicalDecl());
}

const CXXRecordDecl *canonicalRecord(const CXXRecordDecl *RD) {
  if (!RD)
    return nullptr;
  if (const CXXRecordDecl *P = RD->getTemplateInstantiationPattern())
    RD = P;
  return RD->getCanonicalDecl();
}

bool isSameOrDerived(const CXXRecordDecl *Class, const RecordDecl *Base) {
  const auto *B = dyn_cast<CXXRecordDecl>(Base);
  if (!Class || !B)
    return false;
  if (canonicalRecord(Class) == canonicalRecord(B))
    return true;
  return Class->hasDefinition() && Class->isDerivedFrom(B);
}

/// \p L as a summary keeps it: under \p Mutex, named by \p Path, with
/// its claim and the mutex the claim was tested under (no guard, no site).
HeldLock keptLock(const HeldLock &L, const ValueDecl *Mutex,
                  std::optional<ObjectPath> Path) {
  HeldLock Out{Mutex, L.Mode, nullptr, std::move(Path)};
  Out.Claim = L.Claim;
  Out.FreeValue = L.FreeValue;
  Out.HandedOver = L.HandedOver;
  Out.ClaimLock = canonical(L.ClaimLock);
  Out.ModeArm = L.ModeArm;
  return Out;
}

LockSet canonicalLocks(const LockSet &In) {
  LockSet Out;
  for (const HeldLock &L : In.locks())
    Out.add(keptLock(L, canonical(L.Mutex), L.Path));
  return Out;
}

/// \p Locks (named in a callee) as the caller names them.
template <typename MapFn> LockSet mapLocks(const LockSet &Locks, MapFn Map) {
  LockSet Out;
  for (const HeldLock &L : Locks.locks()) {
    std::optional<ObjectPath> P = L.Path ? Map(*L.Path) : std::nullopt;
    if (P && L.Path->Element)
      P->Element = true; // still one lock of a container of locks
    if (P)
      Out.add(keptLock(L, canonical(mutexKeyOf(*P)), P));
    else
      Out.add(keptLock(L, L.Mutex, std::nullopt));
  }
  return Out;
}

/// True if \p Fn is handed a guard that holds a lock for it: by reference,
/// or by value (a `std::unique_lock` moved in: the caller's lock, which the
/// function may release).
bool takesGuard(const FunctionDecl *Fn, const LockRecognizer &Locks) {
  for (const ParmVarDecl *P : Fn->parameters())
    if ((P->getType()->isReferenceType() || P->getType()->isRecordType()) &&
        Locks.guardMode(P->getType()))
      return true;
  return false;
}

/// True if \p Body (not its lambdas) names \p D.
bool mentions(const Stmt *Body, const ValueDecl *D) {
  return !walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      return canonical(DRE->getDecl()) != D;
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      return canonical(ME->getMemberDecl()) != D;
    return true;
  });
}

/// True if \p E names the data member \p F (of any object).
bool namesField(const Expr *E, const FieldDecl *F) {
  const auto *ME = E ? dyn_cast<MemberExpr>(skipImplicit(E)) : nullptr;
  return ME && ME->getMemberDecl() == F;
}

/// Walks (walkOutsideLambdas) the bodies of \p RD's member functions but its
/// constructors, member templates included, calling \p Visit with each
/// function and statement until it returns false; false if it did.
bool walkMemberBodies(
    const CXXRecordDecl *RD,
    llvm::function_ref<bool(const FunctionDecl *, const Stmt *)> Visit) {
  for (const Decl *D : RD->decls()) {
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      D = FT->getTemplatedDecl();
    const auto *FD = dyn_cast<FunctionDecl>(D);
    const FunctionDecl *Def = FD ? definitionOf(FD) : nullptr;
    if (!Def || !Def->getBody() || isa<CXXConstructorDecl>(Def))
      continue;
    if (!walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip,
                            [&](const Stmt *S) { return Visit(Def, S); }))
      return false;
  }
  return true;
}

} // namespace

namespace {

/// The io_context data members of the translation unit's classes that one
/// thread alone runs: every `run()`, `run_one()`, `poll()` or `poll_one()`
/// called on the member is in the body of one lambda, the callable of one
/// thread construction (std::thread, the ThreadTypes) that no loop of its
/// function repeats. A member run by two threads, by a pool's threads
/// started in a loop, or by a function called on the owner's thread, is not.
class SingleRunners : public RecursiveASTVisitor<SingleRunners> {
public:
  SingleRunners(FlowContext &Flow) : Flow(Flow) {
    TraverseDecl(Flow.astContext().getTranslationUnitDecl());
    for (const auto &Run : Runs) {
      llvm::ArrayRef<const LambdaExpr *> In = Run.second;
      if (In.empty() || llvm::is_contained(In, nullptr) ||
          llvm::any_of(In, [&](const LambdaExpr *L) { return L != In[0]; }))
        continue;
      auto It = Starts.find(In[0]);
      if (It != Starts.end() && It->second == 1)
        Single.insert(Run.first);
    }
  }

  bool contains(const FieldDecl *F) const { return Single.contains(F); }

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) &&
        Flow.astContext().getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Lambdas.push_back(L);
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Lambdas.pop_back();
    return R;
  }
#define LOOP(Class)                                                            \
  bool Traverse##Class(Class *S) {                                             \
    unsigned Repeats = repeats(S, Flow.astContext());                          \
    Loops += Repeats;                                                          \
    bool R = RecursiveASTVisitor::Traverse##Class(S);                          \
    Loops -= Repeats;                                                          \
    return R;                                                                  \
  }
  LOOP(ForStmt)
  LOOP(WhileStmt)
  LOOP(DoStmt)
  LOOP(CXXForRangeStmt)
#undef LOOP

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    if (classifyExecutorCall(MC) == ExecutorOp::Drive)
      if (const auto *ME = dyn_cast<MemberExpr>(
              skipImplicit(MC->getImplicitObjectArgument())))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
            F && isIoContext(F->getType()))
          Runs[F->getCanonicalDecl()].push_back(
              Lambdas.empty() ? nullptr : Lambdas.back());
    return visitStart(MC);
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) { return visitStart(CE); }

private:
  /// A thread's start: its lambda is started once more (in a loop: many).
  bool visitStart(const Expr *E) {
    for (const EscapeSite &S : Flow.escapes().escapes(E))
      if (S.Kind == EscapeKind::ThreadConstructor)
        if (const LambdaExpr *L = lambdaBehind(S.Callable))
          Starts[L] += Loops ? 2 : 1;
    return true;
  }

  FlowContext &Flow;
  unsigned Loops = 0;
  llvm::SmallVector<const LambdaExpr *, 4> Lambdas;
  /// The innermost lambda around each run of a member (null: none).
  llvm::MapVector<const FieldDecl *, llvm::SmallVector<const LambdaExpr *, 1>>
      Runs;
  llvm::DenseMap<const LambdaExpr *, unsigned> Starts;
  llvm::DenseSet<const FieldDecl *> Single;
};

/// A test of a state member of `this`: true when the member's value is
/// (\c Equal) or is not (!\c Equal) \c Value. A bool member (`flag_`,
/// `!flag_`) is tested for equality with 1 or 0; an enumeration or integer
/// member by a comparison with a constant (`state_ != State::init`).
struct FlagTest {
  const FieldDecl *Flag = nullptr;
  const MemberExpr *Read = nullptr;
  int64_t Value = 0;
  bool Equal = true;
};

/// The member of `this` that \p E names, through parentheses and
/// implicit casts.
const MemberExpr *thisMember(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!ME || !isa<FieldDecl>(ME->getMemberDecl()) ||
      !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return ME;
}

/// The value of the enumerator \p C, counted from its enumeration's
/// initialisers: in a class template, the enumerators of a member
/// enumeration carry no value yet.
std::optional<int64_t> enumeratorValue(const EnumConstantDecl *C,
                                       const ASTContext &Ctx) {
  const auto *ED = dyn_cast<EnumDecl>(C->getDeclContext());
  if (!ED || !ED->isDependentContext())
    return C->getInitVal().getExtValue();
  int64_t Next = 0;
  for (const EnumConstantDecl *E : ED->enumerators()) {
    if (const Expr *Init = E->getInitExpr()) {
      Expr::EvalResult R;
      if (Init->isValueDependent() || !Init->EvaluateAsInt(R, Ctx))
        return std::nullopt;
      Next = R.Val.getInt().getExtValue();
    }
    if (E == C)
      return Next;
    ++Next;
  }
  return std::nullopt;
}

/// The constant integral value of \p E, if any (an enumerator, a literal).
/// In a class template, an enumerator of the template's own member
/// enumeration is named by a dependent name (`stat::init`): found by its
/// name in the enumeration.
std::optional<int64_t> constantValue(const Expr *E, const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (const auto *D = dyn_cast<DependentScopeDeclRefExpr>(E)) {
    const Type *Q = compat::qualifierType(D);
    const auto *ET = Q ? Q->getAs<EnumType>() : nullptr;
    if (!ET || !D->getDeclName().isIdentifier())
      return std::nullopt;
    for (const EnumConstantDecl *C : ET->getDecl()->enumerators())
      if (C->getDeclName() == D->getDeclName())
        return enumeratorValue(C, Ctx);
    return std::nullopt;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *C = dyn_cast<EnumConstantDecl>(Ref->getDecl()))
      return enumeratorValue(C, Ctx);
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->getType()->isIntegralOrEnumerationType() ||
      !E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

/// The test \p E makes of a state member of `this` (FlagTest). The test may
/// go through parentheses, casts and `__builtin_expect` (`if (unlikely
/// (starting_))`).
std::optional<FlagTest> testedFlag(const Expr *E, const ASTContext &Ctx) {
  E = skipTruthPreserving(E);
  bool Negated = false;
  while (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() != UO_LNot)
      return std::nullopt;
    Negated = !Negated;
    E = skipTruthPreserving(U->getSubExpr());
  }
  FlagTest T;
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const MemberExpr *ME = thisMember(BO->getLHS());
    const Expr *Other = BO->getRHS();
    if (!ME) {
      ME = thisMember(BO->getRHS());
      Other = BO->getLHS();
    }
    const QualType Ty = ME ? ME->getType() : QualType();
    std::optional<int64_t> V =
        ME ? constantValue(Other, Ctx) : std::optional<int64_t>();
    if (!V || !Ty->isIntegralOrEnumerationType() || Ty->isBooleanType())
      return std::nullopt;
    T.Read = ME;
    T.Value = *V;
    T.Equal = (BO->getOpcode() == BO_EQ) != Negated;
  } else {
    T.Read = dyn_cast<MemberExpr>(E);
    if (!T.Read || !thisMember(T.Read) || !T.Read->getType()->isBooleanType())
      return std::nullopt;
    T.Value = Negated ? 0 : 1;
  }
  T.Flag = cast<FieldDecl>(T.Read->getMemberDecl());
  return T;
}

/// The member \p F assigned by \p S (`this->f = v`), with the constant
/// value \p V it assigns (none when it is not a constant; a bool's as 0 or
/// 1).
bool assignsFlag(const Stmt *S, const FieldDecl *F, std::optional<int64_t> &V,
                 const ASTContext &Ctx) {
  const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
  if (!BO || BO->getOpcode() != BO_Assign)
    return false;
  const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
  if (!ME || canonical(ME->getMemberDecl()) != canonical(F))
    return false;
  V = constantValue(BO->getRHS(), Ctx);
  if (V && F->getType()->isBooleanType())
    V = *V != 0;
  return true;
}

/// The statements \p S runs one after the other: a compound statement's
/// own, or \p S alone.
llvm::ArrayRef<const Stmt *> ownStatements(const Stmt *&S) {
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return llvm::ArrayRef<const Stmt *>(CS->body_begin(), CS->body_end());
  return llvm::ArrayRef(&S, 1);
}

/// True if \p Stmts, run one after the other, move the flag \p F off its
/// open value \p Open for good: one of them assigns it a constant other
/// than \p Open, is an `if` with an `else` both of whose arms do (a start
/// that moves the state to `started` or to `stopped`), or calls, in what it
/// evaluates first (an expression statement, an `if`'s or `switch`'s
/// condition, a declaration, a returned value), a non-virtual member
/// function of `this` defined in the translation unit whose own statements
/// do, at most MaxSummaryDepth calls deep (`if (!start()) return;` with
/// `start()` ending in `starting_ = false; return true;`). A clearing on
/// one branch only or in a loop does not count: the block may run again.
bool clearsFlag(llvm::ArrayRef<const Stmt *> Stmts, const FieldDecl *F,
                int64_t Open, const ASTContext &Ctx, unsigned Depth) {
  for (const Stmt *St : Stmts) {
    std::optional<int64_t> V;
    const auto *E = dyn_cast<Expr>(St);
    if (E && assignsFlag(E->IgnoreParenImpCasts(), F, V, Ctx) && V &&
        *V != Open)
      return true;
    if (const auto *If = dyn_cast<IfStmt>(St); If && If->getElse()) {
      const Stmt *Then = If->getThen();
      const Stmt *Else = If->getElse();
      if (clearsFlag(ownStatements(Then), F, Open, Ctx, Depth) &&
          clearsFlag(ownStatements(Else), F, Open, Ctx, Depth))
        return true;
    }
    const Stmt *First = isa<Expr, DeclStmt>(St) ? St : nullptr;
    if (const auto *If = dyn_cast<IfStmt>(St))
      First = If->getCond();
    else if (const auto *Sw = dyn_cast<SwitchStmt>(St))
      First = Sw->getCond();
    else if (const auto *R = dyn_cast<ReturnStmt>(St))
      First = R->getRetValue();
    if (!First || Depth >= MaxSummaryDepth)
      continue;
    bool Found = false;
    walkOutsideLambdas(First, LambdaBodies::Skip, [&](const Stmt *N) {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(N);
      const Expr *Object = MC ? MC->getImplicitObjectArgument() : nullptr;
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      const FunctionDecl *Def = M ? definitionOf(M) : nullptr;
      if (!Object || !isa<CXXThisExpr>(Object->IgnoreParenImpCasts()) || !Def ||
          (M->isVirtual() && !M->hasAttr<FinalAttr>() &&
           !M->getParent()->hasAttr<FinalAttr>()))
        return true;
      const Stmt *Body = Def->getBody();
      Found = clearsFlag(ownStatements(Body), F, Open, Ctx, Depth + 1);
      return !Found;
    });
    if (Found)
      return true;
  }
  return false;
}

/// True if \p S never completes normally: a `return` or a `throw`, or a
/// compound statement whose last statement is one.
bool leaves(const Stmt *S) {
  while (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  if (const auto *E = dyn_cast_or_null<Expr>(S))
    return isa<CXXThrowExpr>(E->IgnoreParenImpCasts());
  return isa_and_nonnull<ReturnStmt>(S);
}

/// A one-shot block of a function: statements that run only while the
/// state member \c Flag has its open value \c Open, and that move it off
/// that value (clearsFlag()). \c Read: the test's read of the flag.
struct OneShot {
  const FieldDecl *Flag = nullptr;
  const MemberExpr *Read = nullptr;
  int64_t Open = 0;
  /// The `if` that tests the flag, and whether a loop of the function
  /// holds it (control may come back before it).
  const IfStmt *Test = nullptr;
  bool InLoop = false;
};

/// The one-shot block of \p Body that holds \p Inside: an `if` without an
/// `else` whose condition tests that a state member of `this` has a value
/// (`if (starting_)`, `if (!started_)`, `if (unlikely (starting_))`, `if
/// (state_ == State::idle)`), or the statements that follow, in the same
/// compound statement, an `if` that leaves the function (`return`,
/// `throw`) unless the member has a value (`if (state_ != State::init)
/// return;`, `if (!starting_) return;`), provided those statements move
/// the member off that value (clearsFlag()).
std::optional<OneShot> oneShotBlock(const Stmt *Body, const Stmt *Inside,
                                    const ASTContext &Ctx) {
  std::optional<OneShot> Out;
  // Whether a loop holds the test: found after the walk, by looking for it
  // in the function's loops.
  auto Finish = [&] {
    if (Out)
      walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
        if (!isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S))
          return true;
        Out->InLoop |=
            !walkOutsideLambdas(S, LambdaBodies::Skip,
                                [&](const Stmt *N) { return N != Out->Test; });
        return !Out->InLoop;
      });
    return Out;
  };
  auto Holds = [&](llvm::ArrayRef<const Stmt *> Stmts) {
    return llvm::any_of(Stmts, [&](const Stmt *St) {
      return !walkOutsideLambdas(St, LambdaBodies::Skip,
                                 [&](const Stmt *N) { return N != Inside; });
    });
  };
  walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (If->getElse() || If->getInit() || If->getConditionVariable() ||
          !If->getCond())
        return true;
      std::optional<FlagTest> T = testedFlag(If->getCond(), Ctx);
      if (!T || !T->Equal)
        return true;
      const Stmt *Then = If->getThen();
      if (!Holds(ownStatements(Then)) ||
          !clearsFlag(ownStatements(Then), T->Flag, T->Value, Ctx, 0))
        return true;
      Out = OneShot{T->Flag, T->Read, T->Value, If};
      return false;
    }
    const auto *CS = dyn_cast<CompoundStmt>(S);
    if (!CS)
      return true;
    for (auto It = CS->body_begin(), End = CS->body_end(); It != End; ++It) {
      const auto *If = dyn_cast<IfStmt>(*It);
      if (!If || If->getElse() || If->getInit() || If->getConditionVariable() ||
          !If->getCond() || !leaves(If->getThen()))
        continue;
      std::optional<FlagTest> T = testedFlag(If->getCond(), Ctx);
      if (!T)
        continue;
      // The value under which control goes on past the test.
      int64_t Open = T->Value;
      if (T->Equal) {
        if (!T->Flag->getType()->isBooleanType())
          continue;
        Open = !T->Value;
      }
      llvm::ArrayRef<const Stmt *> Rest(std::next(It), End);
      if (!Holds(Rest) || !clearsFlag(Rest, T->Flag, Open, Ctx, 0))
        continue;
      Out = OneShot{T->Flag, T->Read, Open, If};
      return false;
    }
    return true;
  });
  return Finish();
}

/// True if every function of \p Fns but constructors and destructors
/// (which initialise it) names the flag \p F only to read it or to assign
/// it a constant other than \p Open: once moved off its open value, it
/// never comes back to it. Lambdas' bodies are functions of \p Fns of their
/// own.
bool onlyCleared(const FieldDecl *F, int64_t Open,
                 llvm::ArrayRef<const FunctionDecl *> Fns,
                 const ASTContext &Ctx) {
  const ValueDecl *Canon = canonical(F);
  auto Names = [&](const Expr *E) {
    const auto *ME = dyn_cast_or_null<MemberExpr>(E);
    return ME && canonical(ME->getMemberDecl()) == Canon ? ME : nullptr;
  };
  for (const FunctionDecl *FD : Fns) {
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(FD))
      continue;
    // The names of the flag that read it or clear it, known from their
    // parents (visited first).
    llvm::SmallPtrSet<const MemberExpr *, 4> Allowed;
    bool Ok = walkOutsideLambdas(
        FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S)) {
            if (const MemberExpr *ME =
                    Names(Cast->getSubExpr()->IgnoreParens());
                ME && Cast->getCastKind() == CK_LValueToRValue)
              Allowed.insert(ME);
            return true;
          }
          // Compared (in a template, a dependent comparison reads the
          // member with no cast around it).
          if (const auto *BO = dyn_cast<BinaryOperator>(S);
              BO && BO->isComparisonOp()) {
            for (const Expr *Side : {BO->getLHS(), BO->getRHS()})
              if (const MemberExpr *ME = Names(Side->IgnoreParenImpCasts()))
                Allowed.insert(ME);
            return true;
          }
          std::optional<int64_t> V;
          if (assignsFlag(S, F, V, Ctx)) {
            const MemberExpr *ME = Names(cast<BinaryOperator>(S)->getLHS());
            if (ME && V && *V != Open)
              Allowed.insert(ME);
            return true;
          }
          const MemberExpr *ME = Names(dyn_cast<Expr>(S));
          return !ME || Allowed.contains(ME);
        });
    if (!Ok)
      return false;
  }
  return true;
}

} // namespace

struct ContainerRaces::Impl {
  Impl(FlowContext &Flow, const ContainerRecognizer &Containers,
       ContainerRaceOptions Options)
      : Flow(Flow), Containers(Containers), Options(Options),
        ReportEmptinessTests(Options.ReportEmptinessTests), LSA(Flow),
        SM(Flow.astContext().getSourceManager()) {
    LSA.trackClaims();
    LSA.handOvers([this](const ValueDecl *Flag, const FunctionDecl *Fn) {
      return soleWriter(Flag, Fn);
    });
    LSA.modeLocks(!Options.ReportModeConditionalLocks);
    LSA.trackUnknownLocks();
  }

  FlowContext &Flow;
  const ContainerRecognizer &Containers;
  const ContainerRaceOptions Options;
  const bool ReportEmptinessTests;
  LockSetAnalysis LSA;
  const SourceManager &SM;

  llvm::SetVector<const FunctionDecl *> Added;
  /// currentObjectPointer(), per thread-local pointer.
  llvm::DenseMap<const VarDecl *, bool> CurrentPointers;
  // Node-based maps: references into them survive insertions.
  std::map<const FunctionDecl *, Facts> AllFacts;
  std::map<const FunctionDecl *, Summary> Summaries;
  llvm::DenseSet<const FunctionDecl *> InPlace;
  /// The locks held at known calls of a function (for fix-it safety).
  llvm::DenseMap<const FunctionDecl *, llvm::SmallPtrSet<const ValueDecl *, 2>>
      CallLocks;
  /// A known call of a function made holding a lock whose mutex has no name
  /// (for fix-it safety).
  llvm::DenseMap<const FunctionDecl *, const Expr *> UnknownLockCalls;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<SyncOrder>> Orders;
  /// invocationLocks(), per callable parameter.
  llvm::DenseMap<const ParmVarDecl *, LockSet> Invocations;
  /// lockedRun(), per call and function followed from there with locks
  /// held from its entry.
  std::map<std::pair<const Expr *, const FunctionDecl *>, Summary> LockedRuns;
  llvm::DenseSet<unsigned> Warned;
  /// Unlocked emptiness tests that only decide whether to take the lock
  /// (lockingDecisions): unless ReportEmptinessTests, not reported by the
  /// member rule and no race with a locked access in the thread rule.
  llvm::DenseSet<const Expr *> LockingDecisions;
  /// singleRunners(), computed on first use.
  std::unique_ptr<SingleRunners> Runners;

  const SingleRunners &singleRunners() {
    if (!Runners)
      Runners = std::make_unique<SingleRunners>(Flow);
    return *Runners;
  }

  /// The io_context that the executor \p Executor (an io_context member, or
  /// a member constructed on one: a strand, a socket) runs its handlers on,
  /// named as Executor is, when one thread alone runs it.
  std::optional<ObjectPath> serialContextOf(const Expr *Executor) {
    std::optional<ObjectPath> P =
        Executor ? objectPathOf(Executor) : std::nullopt;
    if (!P || P->Fields.empty())
      return std::nullopt;
    const FieldDecl *Ctx = ioContextMemberOf(P->Fields.back());
    if (!Ctx || !singleRunners().contains(Ctx->getCanonicalDecl()))
      return std::nullopt;
    P->Fields.back() = Ctx;
    return P;
  }

  /// The io_context, named in \p Spawner (`this->io_`), that runs
  /// \p Spawner when it is a completion handler, or a function posted, on
  /// an io_context that one thread alone runs: a lambda capturing `this`,
  /// handed to an asio call (an async operation, post, dispatch, a strand's
  /// post or wrap), in a member function of a class whose only io_context
  /// member is that one (and the call's object, when it is a member of the
  /// class constructed on an io_context, is constructed on it).
  std::optional<ObjectPath> handlerContext(const FunctionDecl *Spawner) {
    const Facts &F = facts(Spawner);
    if (!F.Lambda || !F.Parent ||
        llvm::none_of(F.Lambda->captures(),
                      [](const LambdaCapture &C) { return C.capturesThis(); }))
      return std::nullopt;
    const FunctionDecl *Method = F.Parent;
    while (facts(Method).Lambda && facts(Method).Parent)
      Method = facts(Method).Parent;
    const auto *MD = dyn_cast<CXXMethodDecl>(Method);
    const FieldDecl *Ctx = MD ? onlyIoContextMember(MD->getParent()) : nullptr;
    if (!Ctx || !singleRunners().contains(Ctx->getCanonicalDecl()))
      return std::nullopt;
    const FlowGraph *G = Flow.graph(F.Parent);
    if (!G)
      return std::nullopt;
    // The call the lambda is an argument of.
    const Stmt *S = F.Lambda;
    const CallExpr *Call = nullptr;
    for (unsigned Steps = 0; S && Steps != 6 && !Call; ++Steps) {
      S = G->parent(S);
      Call = dyn_cast_or_null<CallExpr>(S);
      if (!Call && !isa_and_nonnull<Expr>(S))
        return std::nullopt;
    }
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || !isAsioDecl(Callee))
      return std::nullopt;
    // An executor member constructed on another io_context.
    const Expr *Object = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      Object = MC->getImplicitObjectArgument();
    else if (Call->getNumArgs() > 1)
      Object = Call->getArg(0);
    if (const auto *ME =
            Object ? dyn_cast<MemberExpr>(skipImplicit(Object)) : nullptr)
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (const FieldDecl *On = ioContextMemberOf(FD); On && On != Ctx)
          return std::nullopt;
    ObjectPath P;
    P.Kind = RootKind::This;
    P.Fields.push_back(Ctx);
    return P;
  }
  std::vector<ContainerRace> Out;
  unsigned Depth = 0;

  // --- facts ---------------------------------------------------------------

  bool inSystemHeader(const Decl *D) const {
    return SM.isInSystemHeader(D->getLocation());
  }

  /// True if \p S names a container (the expressions accesses are made
  /// through).
  bool isContainerRef(const Stmt *S) const {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      // Not the hidden range variable of a range-for (its initialiser is
      // the access).
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && !VD->isImplicit() && VD->getTLSKind() == VarDecl::TLS_None &&
             Containers.isContainerType(VD->getType());
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      return isa<FieldDecl>(ME->getMemberDecl()) &&
             Containers.isContainerType(ME->getMemberDecl()->getType());
    return Containers.getterCall(S) != nullptr;
  }

  /// The object the container reference \p Ref names (isContainerRef()):
  /// a getter's call names the member it returns (pointeePathOf()).
  static std::optional<ObjectPath> containerPathOf(const Expr *Ref) {
    return isa<CXXMemberCallExpr>(Ref) ? pointeePathOf(Ref) : objectPathOf(Ref);
  }

  /// True if the iterator \p Ref is dereferenced or moved along its
  /// container there (`*it`, `it->first`, `it[k]`, `++it`); passing it on or
  /// copying it reads nothing.
  static bool walksContainer(const Expr *Ref, const ParentMap &PM) {
    const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(Ref));
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P))
      return UO->getOpcode() == UO_Deref || UO->isIncrementDecrementOp();
    if (const auto *AS = dyn_cast_or_null<ArraySubscriptExpr>(P))
      return AS->getBase()->IgnoreParenImpCasts() == Ref;
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
      if (OC->getNumArgs() == 0 || OC->getArg(0)->IgnoreParenImpCasts() != Ref)
        return false;
      switch (OC->getOperator()) {
      case OO_Star:
        return OC->getNumArgs() == 1;
      case OO_Arrow:
      case OO_Subscript:
      case OO_PlusPlus:
      case OO_MinusMinus:
        return true;
      default:
        return false;
      }
    }
    return false;
  }

  /// The container expression whose iterator the local variable \p S
  /// names was initialized from (`auto it = items_.find(k);`), or null.
  const Expr *iteratorSource(const Stmt *S) const {
    const auto *DRE = dyn_cast<DeclRefExpr>(S);
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    // Not a range-for's hidden iterators (its range is the access).
    if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) || V->isImplicit() ||
        V->getType()->isReferenceType() || !V->getInit())
      return nullptr;
    return Containers.iteratorSource(V->getInit());
  }

  Facts &facts(const FunctionDecl *FD) {
    Facts &F = AllFacts[FD];
    if (F.Walked)
      return F;
    F.Walked = true;
    walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
      if (const auto *L = dyn_cast<LambdaExpr>(S)) {
        if (const FunctionDecl *Op = L->getCallOperator()) {
          F.Lambdas.push_back(Op);
          Facts &LF = AllFacts[Op];
          LF.Lambda = L;
          LF.Parent = FD;
        }
        return true;
      }
      if (isContainerRef(S))
        F.HasAccess = true;
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return true;
      if (!Flow.escapes().escapes(E).empty()) {
        F.MayStart = true;
        for (const TaskStart &T : Flow.taskStarts(E))
          if (const FunctionDecl *Def = definitionOf(T.Target.Fn))
            AllFacts[Def].TaskEntry = true;
      }
      CallSite CS = callSiteOf(E);
      const FunctionDecl *Def = definitionOf(CS.Callee);
      if (Def && !inSystemHeader(Def)) {
        F.Callees.push_back(Def);
        if (CS.Object && isa<CXXThisExpr>(skipImplicit(CS.Object)))
          AllFacts[Def].ThisCalled = true;
      }
      // A callable handed to a function may be started on another thread
      // (a project's pool), or run in place.
      if (const auto *Call = dyn_cast<CallExpr>(E))
        for (const Expr *Arg : Call->arguments())
          if (isCallableArgument(Arg)) {
            F.MayStart = true;
            break;
          }
      return true;
    });
    return F;
  }

  /// True if \p FD, or a function it calls or a lambda it holds, accesses a
  /// container.
  bool mayAccess(const FunctionDecl *FD) {
    Facts &F = facts(FD);
    if (F.MayAccess >= 0)
      return F.MayAccess;
    F.MayAccess = F.HasAccess;
    if (F.MayAccess)
      return true;
    llvm::SmallVector<const FunctionDecl *, 8> Next(F.Callees.begin(),
                                                    F.Callees.end());
    Next.append(F.Lambdas.begin(), F.Lambdas.end());
    for (const FunctionDecl *N : Next)
      if (const FunctionDecl *Def = definitionOf(N); Def && mayAccess(Def)) {
        AllFacts[FD].MayAccess = 1;
        return true;
      }
    return false;
  }

  /// A private helper: judged in its callers, not on its own.
  bool isHelper(const FunctionDecl *FD) {
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (!M || M->getParent()->isLambda() || M->isVirtual() ||
        M->getAccess() == AS_public || isa<CXXConstructorDecl>(M) ||
        isa<CXXDestructorDecl>(M))
      return false;
    Facts &F = facts(FD);
    return F.ThisCalled && !F.TaskEntry;
  }

  // --- summaries -----------------------------------------------------------

  /// True if \p E starts a task (asked only of calls that could: the
  /// summaries of user functions are not computed for every call).
  bool startsTask(const Expr *E) {
    bool Candidate = !Flow.escapes().escapes(E).empty();
    if (const auto *Call = dyn_cast<CallExpr>(E); Call && !Candidate)
      Candidate = llvm::any_of(Call->arguments(), [](const Expr *A) {
        return isCallableArgument(A);
      });
    return Candidate && !Flow.taskStarts(E).empty();
  }

  /// Whether a callable argument of \p Call runs during the call: not when
  /// the call stores it (in a container, a std::function, an object it
  /// constructs) or, for a function of the translation unit, when its
  /// summary does not run it.
  bool runsInPlace(const Expr *Call, unsigned ArgIndex) {
    if (isa<CXXConstructExpr>(Call))
      return false;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal)
      return false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Obj = MC->getImplicitObjectArgument();
          Obj && Containers.isContainerType(Obj->getType()))
        return false;
    const auto *C = cast<CallExpr>(Call);
    const FunctionDecl *Def = definitionOf(C->getDirectCallee());
    if (!Def || inSystemHeader(Def))
      return true; // std::for_each, cv.wait(lock, pred), std::call_once
    const FunctionSummary *S = Flow.summaries().get(Def, CallableFamily);
    const ParmVarDecl *P = paramForArg(C, ArgIndex);
    if (!S || !P)
      return false;
    ObjectPath Slot;
    Slot.Kind = RootKind::Param;
    Slot.Root = P;
    return S->has(Slot, RunsHere);
  }

  /// True if \p Ref is an argument bound to a reference parameter of a
  /// function whose body is visible: what the callee does with it is in
  /// its summary (a by-value argument is a copy, read at the call).
  bool boundToVisibleReference(const Expr *Ref, const FlowGraph &G) {
    const Stmt *Child = Ref;
    const Stmt *P = G.parent(Ref);
    while (isa_and_nonnull<ParenExpr, ImplicitCastExpr,
                           MaterializeTemporaryExpr, CXXBindTemporaryExpr>(P)) {
      Child = P;
      P = G.parent(P);
    }
    // An operator call of the translation unit's own (a lambda called
    // through its variable, `flusher(queue_, mutex_)`) binds its arguments
    // as any call does; the library's operators are accesses.
    const auto *Call = dyn_cast_or_null<CallExpr>(P);
    if (!Call)
      return false;
    const FunctionDecl *Def = definitionOf(Call->getDirectCallee());
    if (!Def || inSystemHeader(Def))
      return false;
    for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
      if (Call->getArg(I) == Child)
        if (const ParmVarDecl *Param = paramForArg(Call, I))
          return Param->getType()->isReferenceType();
    return false;
  }

  /// Records the unlocked emptiness tests of one function's \p Uses that
  /// only decide whether to take the lock.
  void markLockingDecisions(
      llvm::ArrayRef<std::tuple<ObjectPath, const Expr *, ContainerUse>> Uses) {
    llvm::SmallVector<ContainerUse, 8> Kinds;
    for (const auto &U : Uses)
      Kinds.push_back(std::get<2>(U));
    llvm::SmallVector<bool, 8> Decides =
        lockingDecisions(Kinds, [&](unsigned I, unsigned J) {
          return std::get<0>(Uses[I]) == std::get<0>(Uses[J]);
        });
    for (unsigned I = 0, N = Uses.size(); I != N; ++I)
      if (Decides[I])
        LockingDecisions.insert(std::get<1>(Uses[I]));
  }

  /// True if \p Anchor (a statement of \p G's function) is in a `catch`
  /// handler whose exceptions are not reported: one only resource
  /// exhaustion reaches by default (ThrowModel::handlerReach()).
  bool onFailurePath(const Stmt *Anchor, const FlowGraph &G) {
    std::optional<ThrowKind> Reach =
        Flow.throws().handlerReach(Anchor, G.parents(), Flow.astContext());
    return Reach && (Options.MinThrow == ThrowKind::None ||
                     static_cast<uint8_t>(*Reach) <
                         static_cast<uint8_t>(Options.MinThrow));
  }

  /// \p Mapped, the callee's access \p From as the caller sees it, reaches
  /// an element when From did (the caller's path may name the container
  /// itself: `f(m)` with `auto &e = p[k];` in f), through the caller's
  /// element reference in \p Arg (the argument for From's parameter) when
  /// there is one, else through From's.
  static void seenThrough(Access &Mapped, const Access &From, const Expr *Arg) {
    // A task's argument shares the object std::ref(x) or &x hands on.
    if (const Expr *Shared = referencedOperand(Arg))
      Arg = Shared;
    Mapped.Object.Element |= From.Object.Element;
    const VarDecl *Caller = Arg ? elementReference(Arg) : nullptr;
    Mapped.Via = Caller ? Caller : From.Via;
    Mapped.Selection = From.Selection;
    if (!Caller && Arg && elementSelection(Arg).Key)
      Mapped.Selection = Arg;
  }

  void add(Summary &S, Access A) {
    // A thread confinement confines the members of its own object only.
    A.Locks.keepThreadClaimsOf(A.Object);
    if (S.Accesses.size() < MaxSummaryAccesses)
      S.Accesses.push_back(std::move(A));
  }

  const Summary &summary(const FunctionDecl *FD) {
    static const Summary Empty;
    Summary &S = Summaries[FD];
    if (S.Done)
      return S;
    if (S.InProgress || Depth >= MaxSummaryDepth)
      return Empty; // recursion, or too deep: nothing known
    S.InProgress = true;
    ++Depth;
    // The locks the function's own code says it is entered with hold at its
    // accesses whoever calls it (also where it runs in place: a lambda
    // marked REQUIRES(m)).
    std::vector<Access> Accesses =
        compute(FD, canonicalLocks(locksRequiredOnEntry(Flow, FD)));
    --Depth;
    S.Accesses = std::move(Accesses);
    S.InProgress = false;
    S.Done = true;
    return S;
  }

  static bool holdsMutex(const LockSet &Locks) {
    return llvm::any_of(Locks.locks(), [](const HeldLock &L) {
      return !L.isClaim() && L.Mode == LockMode::Exclusive;
    });
  }

  /// The accesses of the lambda \p Def that \p Call's callee runs in place
  /// holding \p Invoked (invocationLocks()), or of the callee \p Def that
  /// \p Call enters holding them (enteredRun()), followed with those locks
  /// held from its entry.
  const Summary &lockedRun(const FunctionDecl *Def, const Expr *Call,
                           const LockSet &Invoked) {
    static const Summary Empty;
    Summary &S = LockedRuns[{Call, Def}];
    if (S.Done)
      return S;
    if (S.InProgress || Depth >= MaxSummaryDepth)
      return Empty;
    S.InProgress = true;
    ++Depth;
    LockSet Entry = canonicalLocks(locksRequiredOnEntry(Flow, Def));
    Entry.unionWith(Invoked);
    std::vector<Access> Accesses = compute(Def, Entry);
    --Depth;
    S.Accesses = std::move(Accesses);
    S.InProgress = false;
    S.Done = true;
    return S;
  }

  /// A lambda of \p FD's body that a callee runs in place while it holds
  /// an exclusive lock (`lock_and_perform([&] { ... })`).
  struct LockedLambda {
    const LambdaExpr *Lambda;
    const FunctionDecl *Def;
    LockSet Locks;
  };

  /// The lambdas \p E's callee (when \p E is a call) runs in place holding
  /// an exclusive lock, appended to \p Out.
  void lockedLambdasOf(const Expr *E,
                       llvm::SmallVectorImpl<LockedLambda> &Out) {
    forEachInPlaceCallable(E, [&](const CallExpr *Call, unsigned I,
                                  const CallableTarget &T,
                                  const FunctionDecl *Def) {
      const ParmVarDecl *P = paramForArg(Call, I);
      if (!T.Lambda || !P)
        return;
      LockSet Locks = invocationLocks(Call, P);
      if (holdsMutex(Locks))
        Out.push_back({T.Lambda, Def, std::move(Locks)});
    });
  }

  /// Calls \p Fn with each callable argument of \p E (when a call) that its
  /// callee runs in place, resolved, with the user's definition it runs.
  void forEachInPlaceCallable(
      const Expr *E,
      llvm::function_ref<void(const CallExpr *, unsigned,
                              const CallableTarget &, const FunctionDecl *)>
          Fn) {
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return;
    for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I) {
      const Expr *Arg = Call->getArg(I);
      if (!isCallableArgument(Arg))
        continue;
      CallableTarget T = Flow.callables().resolve(Arg);
      const FunctionDecl *Def = definitionOf(T.Fn);
      if (Def && !inSystemHeader(Def) && runsInPlace(Call, I))
        Fn(Call, I, T, Def);
    }
  }

  /// The lambdas \p E's callee runs in place holding an exclusive lock:
  /// followed by lockedRun(), not through the callee's summary.
  llvm::SmallPtrSet<const FunctionDecl *, 2> lockedRunsOf(const Expr *E) {
    llvm::SmallVector<LockedLambda, 2> Runs;
    lockedLambdasOf(E, Runs);
    llvm::SmallPtrSet<const FunctionDecl *, 2> Out;
    for (const LockedLambda &R : Runs)
      Out.insert(R.Def);
    return Out;
  }

  /// The lambdas of \p FD's body (outside its own lambdas) that callees run
  /// in place holding an exclusive lock.
  llvm::SmallVector<LockedLambda, 2> lockedLambdas(const FunctionDecl *FD) {
    llvm::SmallVector<LockedLambda, 2> Out;
    walkOutsideLambdas(FD, LambdaBodies::Skip, [&](const Stmt *St) {
      if (const auto *E = dyn_cast<Expr>(St))
        lockedLambdasOf(E, Out);
      return true;
    });
    return Out;
  }

  /// The constant value of \p E, if it has one.
  std::optional<int64_t> constantOf(const Expr *E) const {
    Expr::EvalResult R;
    if (!E || E->isValueDependent() || !E->EvaluateAsInt(R, Flow.astContext()))
      return std::nullopt;
    return R.Val.getInt().getExtValue();
  }

  /// The key (mutexKeyOf()) of the object \p St stores into by an
  /// assignment, an increment or a decrement; null if it stores nothing.
  static const ValueDecl *storedFlagKey(const Stmt *St) {
    const Expr *Target = builtinStoreTarget(St);
    if (!Target || !Target->getType()->isIntegralOrEnumerationType())
      return nullptr;
    std::optional<ObjectPath> P = objectPathOf(skipImplicit(Target));
    return P && P->Kind != RootKind::Local ? mutexKeyOf(*P) : nullptr;
  }

  /// The accesses of \p Callee, called at \p Call holding \p Held: its
  /// summary, or, when it stores a flag (a data member or global of
  /// integral or enum type: a claim it may make under the caller's lock, a
  /// helper handed the caller's guard that tests and sets a mode) and the
  /// caller holds a mutex it can name, the callee followed with that mutex
  /// held from its entry (lockedRun()): its test of the flag is made under
  /// the lock.
  const Summary &enteredRun(const FunctionDecl *Callee, const Expr *Call,
                            const LockSet &Held) {
    auto [It, New] = StoresFlag.try_emplace(Callee, false);
    if (New)
      It->second =
          !walkOutsideLambdas(Callee, LambdaBodies::Skip, [](const Stmt *St) {
            return !storedFlagKey(St);
          });
    if (!It->second)
      return summary(Callee);
    LockSet Entry = toCallee(Held, Call, Callee);
    if (!holdsMutex(Entry))
      return summary(Callee);
    return lockedRun(Callee, Call, Entry);
  }
  llvm::DenseMap<const FunctionDecl *, bool> StoresFlag;

  /// The local flags of \p FD that carry a claim out of a lambda its
  /// callee runs under a lock (LockSetAnalysis::carryClaims()): a local
  /// `bool` initialised false that \p FD never stores itself, that no other
  /// lambda captures by reference, and that those lambdas set to a constant
  /// only while they own the same claim (tested free and set under the
  /// callee's lock), a claim none of them stores into again after owning it.
  llvm::DenseMap<const VarDecl *, HeldLock>
  carriedClaims(const FunctionDecl *FD) {
    llvm::DenseMap<const VarDecl *, HeldLock> Out;
    if (!FD->hasBody())
      return Out;
    llvm::SmallVector<LockedLambda, 2> Runs = lockedLambdas(FD);
    if (Runs.empty())
      return Out;
    auto ConstantOf = [&](const Expr *E) { return constantOf(E); };
    auto StoredVar = [](const Stmt *St) -> const VarDecl * {
      const Expr *Target = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(St);
          BO && BO->isAssignmentOp())
        Target = BO->getLHS();
      else if (const auto *UO = dyn_cast<UnaryOperator>(St);
               UO &&
               (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf))
        Target = UO->getSubExpr();
      return Target ? namedVariable(skipImplicit(Target)) : nullptr;
    };
    auto StoredDecl = [](const Stmt *St) { return storedFlagKey(St); };
    llvm::DenseMap<const VarDecl *, std::optional<HeldLock>> Found;
    llvm::DenseSet<const VarDecl *> Bad;
    llvm::DenseSet<const Decl *> StoredWhileOwned;
    llvm::SmallPtrSet<const LambdaExpr *, 2> Analysed;
    for (const LockedLambda &Run : Runs) {
      llvm::SmallPtrSet<const VarDecl *, 2> Candidates;
      for (const LambdaCapture &C : Run.Lambda->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
              V && V->isLocalVarDecl() && !V->isStaticLocal() &&
              V->getType()->isBooleanType() && ConstantOf(V->getInit()) == 0)
            Candidates.insert(V);
      if (Candidates.empty())
        continue;
      Analysed.insert(Run.Lambda);
      LSA.run(Run.Def, Run.Locks, [&](const Stmt *St, const LockSet &Held) {
        for (const HeldLock &L : Held.locks())
          if (L.Claim == HeldLock::ClaimState::Owned && StoredDecl(St) &&
              StoredDecl(St)->getCanonicalDecl() == L.Mutex->getCanonicalDecl())
            StoredWhileOwned.insert(L.Mutex->getCanonicalDecl());
        const VarDecl *V = StoredVar(St);
        if (!V || !Candidates.contains(V))
          return;
        const auto *BO = dyn_cast<BinaryOperator>(St);
        std::optional<int64_t> Value = BO && BO->getOpcode() == BO_Assign
                                           ? ConstantOf(BO->getRHS())
                                           : std::nullopt;
        if (!Value) {
          Bad.insert(V);
          return;
        }
        if (*Value == 0)
          return;
        const HeldLock *Owned = nullptr;
        auto Prev = Found.find(V);
        for (const HeldLock &L : Held.locks())
          if (L.Claim == HeldLock::ClaimState::Owned &&
              (Prev == Found.end() ||
               (Prev->second && Prev->second->Mutex == L.Mutex &&
                Prev->second->FreeValue == L.FreeValue)))
            Owned = &L;
        if (!Owned) {
          Bad.insert(V);
          return;
        }
        Found[V] = *Owned;
      });
    }
    // The function itself stores none of them, and no other lambda
    // captures them by reference.
    walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *St) {
      if (const auto *L = dyn_cast<LambdaExpr>(St)) {
        if (!Analysed.contains(L))
          for (const LambdaCapture &C : L->captures())
            if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
              if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
                Bad.insert(V);
        return true;
      }
      if (const VarDecl *V = StoredVar(St))
        Bad.insert(V);
      return true;
    });
    for (const auto &[V, Claim] : Found)
      if (Claim && !Bad.contains(V) &&
          !StoredWhileOwned.contains(Claim->Mutex->getCanonicalDecl()))
        Out[V] = *Claim;
    return Out;
  }

  std::vector<Access> compute(const FunctionDecl *FD,
                              const LockSet &Entry = LockSet()) {
    Summary Local;
    const FlowGraph *G = Flow.graph(FD);
    if (!G)
      return {};
    llvm::SmallVector<std::pair<const Expr *, LockSet>, 8> Calls;
    // Per call: the mutexes held there only through a condition-variable
    // wait's guard.
    llvm::SmallVector<llvm::SmallVector<const ValueDecl *, 1>, 8> CallWaits;
    const llvm::SmallPtrSet<const VarDecl *, 2> Waits = waitGuards(FD);
    // The function's own uses of each container, for LockingDecisions.
    llvm::SmallVector<std::tuple<ObjectPath, const Expr *, ContainerUse>, 8>
        Uses;
    // Claims carried out of the lambdas the function's helpers run under
    // their locks, by local flags those lambdas set.
    const llvm::DenseMap<const VarDecl *, HeldLock> Carried = carriedClaims(FD);
    // The calls made holding a lock whose mutex has no name.
    llvm::SmallVector<const Expr *, 2> UnknownCallsHere;
    // The first lock whose mutex has no name held at each access.
    auto FirstUnknown = [](const LockSet &Held) -> const Stmt * {
      return Held.unknownLocks().empty() ? nullptr
                                         : Held.unknownLocks().front().Site;
    };
    // A getter's `return m_queue;` hands the container to its callers.
    const std::optional<ObjectPath> HandedOut =
        Containers.containerReturnedBy(FD);
    LSA.carryClaims(&Carried);
    LSA.run(FD, Entry, [&](const Stmt *St, const LockSet &Held) {
      if (isa<CallExpr, CXXConstructExpr>(St)) {
        if (!Held.unknownLocks().empty())
          UnknownCallsHere.push_back(cast<Expr>(St));
        Calls.push_back({cast<Expr>(St), canonicalLocks(Held)});
        CallWaits.emplace_back();
        for (const HeldLock &L : Held.locks())
          if (L.Guard && Waits.contains(L.Guard) && !L.isClaim())
            CallWaits.back().push_back(canonical(L.Mutex));
        // A getter's result is used here: the access, below.
        if (!Containers.getterCall(St))
          return;
      }
      // A use of an iterator reads the container it points into, under the
      // locks held at the use (not those held where it was obtained).
      if (const Expr *Source = iteratorSource(St)) {
        std::optional<ObjectPath> P;
        if (walksContainer(cast<Expr>(St), G->parents()))
          P = objectPathOf(Source);
        if (P) {
          Access A{cast<Expr>(St),       FD, *P, /*Write=*/false,
                   canonicalLocks(Held), St};
          A.UnknownLock = FirstUnknown(Held);
          A.Via = elementReference(Source);
          add(Local, std::move(A));
          Uses.push_back(
              {*P,
               cast<Expr>(St),
               {ContainerRecognizer::EmptinessUse::Other, Held.identities()}});
        }
        return;
      }
      if (!isContainerRef(St))
        return;
      ContainerAccess Kind =
          Containers.classifyUse(cast<Expr>(St), G->parents());
      if (Kind == ContainerAccess::None ||
          boundToVisibleReference(cast<Expr>(St), *G))
        return;
      std::optional<ObjectPath> P = containerPathOf(cast<Expr>(St));
      if (!P || (HandedOut && *P == *HandedOut))
        return;
      // A const container cannot be modified: sharing it is read-only.
      if (const auto *V = dyn_cast_or_null<VarDecl>(P->Root);
          V && P->Fields.empty() && !V->getType()->isReferenceType() &&
          V->getType().isConstQualified())
        return;
      Access A{cast<Expr>(St),       FD, *P, Kind == ContainerAccess::Write,
               canonicalLocks(Held), St};
      A.UnknownLock = FirstUnknown(Held);
      A.Via = elementReference(cast<Expr>(St));
      add(Local, std::move(A));
      Uses.push_back({*P,
                      cast<Expr>(St),
                      {Containers.emptinessUse(cast<Expr>(St), G->parents()),
                       Held.identities()}});
    });
    LSA.carryClaims(nullptr);
    if (!ReportEmptinessTests)
      markLockingDecisions(Uses);
    markCopyDestinations(Local.Accesses, G->parents());
    // Whatever the accesses of a handler are, here or in the helpers it
    // calls, they are on the path where the try block threw.
    for (Access &A : Local.Accesses)
      if (!A.FailurePath)
        A.FailurePath = onFailurePath(A.Anchor, *G);
    const HandOffs &Handed = handOffs(FD);
    for (Access &A : Local.Accesses)
      A.BeforeHandOff = !Handed.After.contains(A.Anchor);
    for (unsigned CI = 0, CN = Calls.size(); CI != CN; ++CI) {
      const Expr *E = Calls[CI].first;
      const LockSet &Held = Calls[CI].second;
      if (startsTask(E))
        continue; // runs on another thread: the thread rule's business
      CallSite CS = callSiteOf(E);
      const FunctionDecl *Callee = definitionOf(CS.Callee);
      size_t Before = Local.Accesses.size();
      if (Callee && !inSystemHeader(Callee)) {
        auto &Known = CallLocks[Callee];
        for (const HeldLock &L : Held.locks())
          Known.insert(L.Mutex);
        if (llvm::is_contained(UnknownCallsHere, E))
          UnknownLockCalls.try_emplace(Callee, E);
        if (mayAccess(Callee))
          mapCall(Local, E, CS, Callee, Held, lockedRunsOf(E));
      }
      // What the callee does under a wait's guard, the wait's region holds
      // for the wait; and it comes after a hand-off made before the call.
      for (size_t I = Before, N = Local.Accesses.size(); I != N; ++I) {
        Access &A = Local.Accesses[I];
        for (const ValueDecl *M : CallWaits[CI])
          if (!llvm::is_contained(A.WaitLocks, M))
            A.WaitLocks.push_back(M);
        A.BeforeHandOff = A.BeforeHandOff && !Handed.After.contains(E);
      }
      Before = Local.Accesses.size();
      // Callables run during the call.
      forEachInPlaceCallable(E, [&](const CallExpr *Call, unsigned I,
                                    const CallableTarget &T,
                                    const FunctionDecl *Def) {
        if (T.Lambda)
          InPlace.insert(Def);
        if (!mayAccess(Def))
          return;
        TaskStart Here;
        Here.Callable = Call->getArg(I);
        Here.Target = T;
        // The locks the callee holds where it invokes the callable.
        LockSet Invoked;
        if (const ParmVarDecl *P = paramForArg(Call, I))
          Invoked = invocationLocks(Call, P);
        // A lambda run under the callee's locks is followed with them held:
        // a flag it tests there is tested under the lock (a claim).
        const Summary &From = T.Lambda && holdsMutex(Invoked)
                                  ? lockedRun(Def, E, Invoked)
                                  : summary(Def);
        mapInto(
            Local, From, Def, Held, E,
            [&](const ObjectPath &P) { return mapTaskSlot(Here, P); },
            &Invoked);
      });
      // A callable the call is given runs after the hand-off that gives
      // it away (an unknown function's callback runs "in place" here).
      for (size_t I = Before, N = Local.Accesses.size(); I != N; ++I)
        Local.Accesses[I].BeforeHandOff = Local.Accesses[I].BeforeHandOff &&
                                          !Handed.After.contains(E) &&
                                          !Handed.Points.contains(E);
    }
    return std::move(Local.Accesses);
  }

  /// The locks held wherever the callee of \p Call invokes its callable
  /// parameter \p P (`template <class F> void withLock(F &&f) {
  /// std::lock_guard g(mu_); f(); }`), named by the caller; empty if it is
  /// not invoked in the callee's body.
  LockSet invocationLocks(const CallExpr *Call, const ParmVarDecl *P) {
    const auto *Callee = dyn_cast<FunctionDecl>(P->getDeclContext());
    if (!Callee || !definitionOf(Callee) || inSystemHeader(Callee))
      return {};
    auto Found = Invocations.try_emplace(P);
    auto It = Found.first;
    if (Found.second) {
      bool First = true;
      auto Meet = [&](const LockSet &Held) {
        if (First)
          It->second = canonicalLocks(Held);
        else
          It->second.intersectWith(canonicalLocks(Held));
        First = false;
      };
      // A scope guard holding P runs it where it is destroyed.
      auto OnDestroy = [&](const VarDecl *V, const LockSet &Held) {
        std::optional<ScopeExitCallable> C = scopeExitCallableOf(V);
        std::optional<ObjectPath> Path =
            C ? objectPathOf(skipMovesAndCopies(C->Callable)) : std::nullopt;
        if (Path && Path->Kind == RootKind::Param && Path->Root == P &&
            Path->Fields.empty())
          Meet(Held);
      };
      LSA.onDestroy(OnDestroy);
      LSA.run(Callee, LockSet(), [&](const Stmt *St, const LockSet &Held) {
        const Expr *Target = nullptr;
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
            OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
          Target = OC->getArg(0);
        else if (const auto *C = dyn_cast<CallExpr>(St);
                 C && C->getNumArgs() > 0 &&
                 isStdFunction(C->getDirectCallee(), {"invoke"}))
          Target = C->getArg(0);
        std::optional<ObjectPath> Path =
            Target ? objectPathOf(Target) : std::nullopt;
        if (!Path || Path->Kind != RootKind::Param || Path->Root != P ||
            !Path->Fields.empty())
          return;
        Meet(Held);
      });
      LSA.onDestroy({});
    }
    std::optional<ObjectPath> Object;
    if (const Expr *O = callSiteOf(Call).Object)
      Object = objectPathOf(O);
    return mapLocks(It->second, [&](const ObjectPath &Q) {
      return mapToCaller(Q, Call, Object ? &*Object : nullptr);
    });
  }

  /// Adds \p From's accesses (of \p Callee) to \p Into as seen at \p Anchor.
  /// \p Held: the caller's locks at the call; \p Invoked: those the callee
  /// holds where it invokes the callable whose accesses \p From has;
  /// \p Skip: functions whose accesses the caller follows itself.
  template <typename MapFn>
  void
  mapInto(Summary &Into, const Summary &From, const FunctionDecl *Callee,
          const LockSet &Held, const Stmt *Anchor, MapFn Map,
          const LockSet *Invoked = nullptr,
          const llvm::SmallPtrSetImpl<const FunctionDecl *> *Skip = nullptr) {
    for (const Access &A : From.Accesses) {
      if (!isVisibleToCaller(A.Object, Callee) ||
          (Skip && Skip->contains(A.Fn)))
        continue;
      std::optional<ObjectPath> P = Map(A.Object);
      if (!P)
        continue;
      LockSet Locks = mapLocks(A.Locks, Map);
      if (Invoked)
        Locks.unionWith(*Invoked);
      Access New{A.Ref, A.Fn, *P, A.Write, {}, Anchor, A.FailurePath};
      seenThrough(New, A,
                  A.Object.Kind == RootKind::Param
                      ? argumentFor(dyn_cast_or_null<Expr>(Anchor),
                                    A.Object.paramIndex())
                      : nullptr);
      for (const HeldLock &L : Locks.locks())
        if (!L.isClaim() && !Held.find(L.Mutex))
          New.CalleeLocks.push_back(L.Mutex);
      Locks.unionWith(Held);
      for (const ValueDecl *M : A.CopyLocks)
        if (Locks.find(M))
          New.CopyLocks.push_back(M);
      for (const ValueDecl *M : A.WaitLocks)
        if (Locks.find(M) && !Held.find(M))
          New.WaitLocks.push_back(M);
      New.BeforeHandOff = A.BeforeHandOff;
      New.Locks = std::move(Locks);
      add(Into, std::move(New));
    }
  }

  /// The shared containers (members or globals: not the function's locals
  /// or parameters) a write through \p Ref copies from: an argument of the
  /// writing call, or the right side of its assignment, that is a container
  /// of the destination's type or an iterator into a container (`local_ =
  /// shared_`, `local_.assign(shared_.begin(), shared_.end())`), or that
  /// reads the variable of an enclosing range-`for` over one (`for (auto &f
  /// : shared_) local_.push_back(f.get());`). A key (`m_[k] = v`) or an
  /// element (`names_.push_back(name)`) is not a copy of a container.
  llvm::SmallVector<ObjectPath, 1> copySources(const Expr *Ref,
                                               const ParentMap &PM) const {
    llvm::SmallVector<ObjectPath, 1> Out;
    const Stmt *P = PM.getParent(Ref);
    while (P && (isa<ImplicitCastExpr, ParenExpr, MemberExpr>(P)))
      P = PM.getParent(P);
    llvm::SmallVector<const Expr *, 2> Args;
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(P)) {
      if (MC->getImplicitObjectArgument() &&
          skipImplicit(MC->getImplicitObjectArgument()) == skipImplicit(Ref))
        Args.append(MC->arg_begin(), MC->arg_end());
    } else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          skipImplicit(OC->getArg(0)) == skipImplicit(Ref))
        Args.push_back(OC->getArg(1));
    }
    auto Push = [&](const Expr *E) {
      std::optional<ObjectPath> O = E ? objectPathOf(E) : std::nullopt;
      if (O && (O->Kind == RootKind::This || O->Kind == RootKind::Global) &&
          !llvm::is_contained(Out, *O))
        Out.push_back(std::move(*O));
    };
    QualType Dest = Ref->getType().getNonReferenceType();
    for (const Expr *Arg : Args) {
      const Expr *E = skipMovesAndCopies(Arg);
      if (Containers.isContainerType(E->getType()) &&
          E->getType().getNonReferenceType()->getCanonicalTypeUnqualified() ==
              Dest->getCanonicalTypeUnqualified())
        Push(E);
      else
        Push(Containers.iteratorSource(skipImplicit(Arg)));
      // The variable of an enclosing range-for, read in the argument.
      walkOutsideLambdas(Arg, LambdaBodies::Skip, [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        if (!V)
          return true;
        for (const Stmt *Up = PM.getParent(Ref); Up; Up = PM.getParent(Up))
          if (const auto *For = dyn_cast<CXXForRangeStmt>(Up);
              For && For->getLoopVariable() == V && For->getRangeInit()) {
            Push(skipImplicit(For->getRangeInit()));
            break;
          }
        return true;
      });
    }
    return Out;
  }

  /// Marks the locks that a direct write of \p Accesses holds only for the
  /// source of the copy it makes: held at a read of another container the
  /// write copies from (copySources()), made by the same function.
  void markCopyDestinations(std::vector<Access> &Accesses,
                            const ParentMap &PM) const {
    for (Access &W : Accesses) {
      if (!W.Write || W.Anchor != W.Ref || W.Locks.empty())
        continue;
      for (const ObjectPath &Source : copySources(W.Ref, PM)) {
        if (Source == W.Object)
          continue;
        for (const Access &R : Accesses) {
          if (R.Write || R.Anchor != R.Ref || R.Fn != W.Fn ||
              !(R.Object == Source))
            continue;
          for (const HeldLock &L : W.Locks.locks())
            if (!L.isClaim() && R.Locks.find(L.Mutex) &&
                !llvm::is_contained(W.CopyLocks, L.Mutex))
              W.CopyLocks.push_back(L.Mutex);
        }
      }
    }
  }

  /// \p Skip: lambdas whose accesses the caller follows itself, with the
  /// locks the callee runs them under (lockedRun()).
  void mapCall(Summary &Into, const Expr *E, const CallSite &CS,
               const FunctionDecl *Callee, const LockSet &Held,
               const llvm::SmallPtrSetImpl<const FunctionDecl *> &Skip) {
    // A lambda called through a variable: `this` and captured variables
    // are its creator's.
    if (const auto *M = dyn_cast<CXXMethodDecl>(Callee);
        M && M->getParent()->isLambda()) {
      const Summary &From = summary(Callee);
      TaskStart Here;
      Here.Target.Fn = Callee;
      Here.Target.Lambda = facts(Callee).Lambda;
      if (!Here.Target.Lambda)
        return;
      // Its own parameters are the call's arguments (a queue and the mutex
      // that guards it, handed to a lambda that locks the one around its
      // accesses of the other).
      mapInto(Into, From, Callee, Held, E, [&](const ObjectPath &P) {
        if (P.Kind == RootKind::Param && P.Root->getDeclContext() == Callee)
          return mapToCaller(P, E, static_cast<const ObjectPath *>(nullptr));
        return mapTaskSlot(Here, P);
      });
      return;
    }
    std::optional<ObjectPath> Object =
        CS.Object ? objectPathOf(CS.Object) : std::nullopt;
    mapInto(
        Into, enteredRun(Callee, E, Held), Callee, Held, E,
        [&](const ObjectPath &P) {
          return mapToCaller(P, E, Object ? &*Object : nullptr);
        },
        /*Invoked=*/nullptr, &Skip);
  }

  // --- entry locksets ------------------------------------------------------
  //
  // The locks a function or callable is entered with: those its own code
  // requires (locksRequiredOnEntry: thread-safety attributes, a mutex it
  // releases without taking it), and those held at every place it can be
  // invoked from, named as it names them. The places are known for a
  // function every reference to which in the translation unit is a direct
  // call (not virtual, not a task's entry, its address never taken, no
  // unresolved call in a template naming it).

  /// One place a function is invoked from: \p Call in \p Caller.
  struct InvocationSite {
    const FunctionDecl *Caller;
    const Expr *Call;
  };
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<InvocationSite, 4>>
      Sites;
  /// The calls by the declaration they name (canonical): a virtual call
  /// names the method of the object's static type, which may run any of
  /// its overriders.
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<InvocationSite, 4>>
      NamedSites;
  /// Functions referenced otherwise than as a direct call's callee.
  llvm::DenseSet<const FunctionDecl *> Unconfined;
  /// The same, by canonical declaration (a virtual member declared
  /// without a body: `&Base::f` may run an override).
  llvm::DenseSet<const FunctionDecl *> UnconfinedNamed;
  /// Names of the functions a template's dependent code refers to without
  /// calling them, or calls as free functions, unresolved.
  llvm::DenseSet<const IdentifierInfo *> DependentNames;
  /// The member calls a template's dependent code leaves unresolved, by
  /// the name they call.
  llvm::DenseMap<const IdentifierInfo *, llvm::SmallVector<InvocationSite, 2>>
      DependentSites;
  /// The call whose callee each callee expression is (indexSites()).
  llvm::DenseMap<const Expr *, const Expr *> DependentCalls;
  /// The class of the object of such a call, when its type names one.
  llvm::DenseMap<const Expr *, const CXXRecordDecl *> DependentRecords;

  /// The class a dependent member call \p Callee is made on, when the type
  /// of its object names one (`block->f()` on a `std::shared_ptr<Block>`,
  /// `req.f()` on a `Request`); null when not known (`this`, `auto`).
  static const CXXRecordDecl *dependentCallRecord(const Expr *Callee) {
    QualType T;
    bool Arrow = false;
    if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
      if (DM->isImplicitAccess())
        return nullptr;
      T = DM->getBaseType();
      Arrow = DM->isArrow();
    } else if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(Callee)) {
      if (UM->isImplicitAccess())
        return nullptr;
      T = UM->getBaseType();
      Arrow = UM->isArrow();
    }
    if (T.isNull())
      return nullptr;
    T = T.getNonReferenceType();
    if (Arrow) {
      if (const auto *P = T->getAs<PointerType>()) {
        T = P->getPointeeType();
      } else if (const auto *TS = T->getAs<TemplateSpecializationType>()) {
        // A standard smart pointer written in dependent code.
        const TemplateDecl *TD = TS->getTemplateName().getAsTemplateDecl();
        if (!TD || !TD->isInStdNamespace() || !TD->getIdentifier() ||
            !llvm::is_contained({"unique_ptr", "shared_ptr"}, TD->getName()) ||
            TS->template_arguments().empty() ||
            TS->template_arguments()[0].getKind() != TemplateArgument::Type)
          return nullptr;
        T = TS->template_arguments()[0].getAsType();
      } else {
        return nullptr;
      }
    }
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    return RD && RD->hasDefinition() ? RD : nullptr;
  }

  /// True if the member \p M may be what a dependent call on an object of
  /// class \p RD runs: \p RD is its class or a class derived from or base
  /// of it, as the class templates write them.
  static bool mayRunOn(const CXXMethodDecl *M, const CXXRecordDecl *RD) {
    auto Written = [](const CXXRecordDecl *C) {
      const CXXRecordDecl *P = C->getTemplateInstantiationPattern();
      return P ? P : C;
    };
    const CXXRecordDecl *A = Written(M->getParent());
    const CXXRecordDecl *B = Written(RD);
    return isSameOrDerived(A, B) || isSameOrDerived(B, A);
  }
  bool SitesIndexed = false;
  /// entryLocks(), per function (node-based: references survive).
  std::map<const FunctionDecl *, LockSet> Entries;
  /// The locks held at each call of a function, from entryLocks() on.
  std::map<const FunctionDecl *, llvm::DenseMap<const Stmt *, LockSet>>
      HeldAtCalls;
  /// The locks held where each automatic variable of a function is
  /// destroyed (every destruction point), computed with HeldAtCalls.
  std::map<const FunctionDecl *, llvm::DenseMap<const VarDecl *, LockSet>>
      HeldAtDestroy;
  /// freshThis(), per member function.
  llvm::DenseMap<const FunctionDecl *, bool> FreshThis;
  /// contextAccesses() of the functions entered with locks.
  std::map<const FunctionDecl *, std::vector<Access>> EntryAccesses;
  unsigned EntryDepth = 0;

  void indexSites() {
    if (SitesIndexed)
      return;
    SitesIndexed = true;
    for (const FunctionDecl *FD : Added) {
      llvm::SmallPtrSet<const Expr *, 16> Callees;
      walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
        if (isa<CallExpr, CXXConstructExpr>(S)) {
          const auto *E = cast<Expr>(S);
          CallSite CS = callSiteOf(E);
          if (const FunctionDecl *Def = definitionOf(CS.Callee))
            Sites[Def].push_back({FD, E});
          if (CS.Callee)
            NamedSites[CS.Callee->getCanonicalDecl()].push_back({FD, E});
          if (const auto *Call = dyn_cast<CallExpr>(E))
            if (const Expr *Callee = Call->getCallee()) {
              Callees.insert(skipImplicit(Callee));
              DependentCalls[skipImplicit(Callee)] = Call;
            }
          return true;
        }
        // A member function a template's dependent code calls by name
        // (`req.complete()` on an object whose type is not known yet): the
        // call may be one of every member of that name, a place it is
        // invoked from whose locks are known.
        if (isa<UnresolvedMemberExpr, CXXDependentScopeMemberExpr>(S) &&
            Callees.count(cast<Expr>(S))) {
          const auto *E = cast<Expr>(S);
          DeclarationName Name =
              isa<UnresolvedMemberExpr>(E)
                  ? cast<UnresolvedMemberExpr>(E)->getName()
                  : cast<CXXDependentScopeMemberExpr>(E)->getMember();
          if (const IdentifierInfo *II = Name.getAsIdentifierInfo()) {
            const Expr *Call = DependentCalls.lookup(E);
            DependentSites[II].push_back({FD, Call});
            if (const CXXRecordDecl *RD = dependentCallRecord(E))
              DependentRecords[Call] = RD;
          }
          return true;
        }
        if (const auto *O = dyn_cast<OverloadExpr>(S)) {
          if (const IdentifierInfo *II = O->getName().getAsIdentifierInfo())
            DependentNames.insert(II);
          return true;
        }
        // Only a call can run a member function: a dependent member named
        // otherwise (`state->complete` in a condition) is data.
        if (isa<CXXDependentScopeMemberExpr>(S))
          return true;
        const ValueDecl *Named = namedDecl(S);
        if (const auto *Fn = dyn_cast_or_null<FunctionDecl>(Named);
            Fn && !Callees.count(cast<Expr>(S))) {
          UnconfinedNamed.insert(Fn->getCanonicalDecl());
          if (const FunctionDecl *Def = definitionOf(Fn))
            Unconfined.insert(Def);
        }
        return true;
      });
    }
  }

  /// \p M and the methods it overrides, transitively (canonical, once
  /// each): a call naming any of them may run \p M's body.
  static void
  dispatchedFrom(const CXXMethodDecl *M,
                 llvm::SmallVectorImpl<const CXXMethodDecl *> &Out) {
    M = M->getCanonicalDecl();
    if (llvm::is_contained(Out, M))
      return;
    Out.push_back(M);
    for (const CXXMethodDecl *O : M->overridden_methods())
      dispatchedFrom(O, Out);
  }

  /// True if every place \p FD can be invoked from is a call site of the
  /// translation unit (sitesOf()). A virtual member runs from the calls
  /// naming it or a method it overrides; those are known when the methods
  /// that introduce it (override nothing) are not public (only the class
  /// hierarchy's own code, and its friends, can name them: a public one is
  /// an interface, called from code that sees only the base), none of these
  /// methods is declared in a system header (the library calls it), and
  /// none has its address taken. A public override of a non-public one is
  /// judged by its calls in the translation unit, as a public non-virtual
  /// member is.
  bool confined(const FunctionDecl *FD) {
    indexSites();
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (Unconfined.count(FD) || facts(FD).TaskEntry || FD->isMain() ||
        (M && M->getParent()->isLambda()) ||
        isa<CXXConstructorDecl, CXXDestructorDecl>(FD))
      return false;
    if (const IdentifierInfo *II = FD->getIdentifier();
        II && DependentNames.count(II))
      return false;
    if (M && M->isVirtual()) {
      llvm::SmallVector<const CXXMethodDecl *, 4> Chain;
      dispatchedFrom(M, Chain);
      for (const CXXMethodDecl *C : Chain)
        if ((C->getAccess() == AS_public &&
             C->size_overridden_methods() == 0) ||
            inSystemHeader(C) || UnconfinedNamed.count(C))
          return false;
    }
    return true;
  }

  /// True if \p FD never runs: no code outside the translation unit can
  /// name it (internal linkage: a member of a class in an anonymous
  /// namespace, a `static` function), every place it can be invoked from is
  /// known (confined()) and there is none (an overload of a visitor no
  /// caller picks). Its accesses are no evidence, and the locks its calls
  /// hold nothing about its callees.
  bool neverRuns(const FunctionDecl *FD) {
    if (!FD || FD->isExternallyVisible() || FD->isDependentContext() ||
        !confined(FD))
      return false;
    return sitesOf(FD).empty();
  }

  /// The calls of the translation unit that may invoke \p FD (see
  /// confined()): those naming it, and for a virtual member those naming
  /// a method it overrides.
  llvm::SmallVector<InvocationSite, 4> sitesOf(const FunctionDecl *FD) {
    indexSites();
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    llvm::SmallVector<InvocationSite, 4> Out;
    // A template's dependent call may run a member as its template writes
    // it; an instantiated member runs from the calls of the instantiations.
    if (const IdentifierInfo *II = FD->getIdentifier();
        M && II && FD->isDependentContext())
      if (auto It = DependentSites.find(II); It != DependentSites.end())
        for (const InvocationSite &S : It->second)
          if (const CXXRecordDecl *RD = DependentRecords.lookup(S.Call);
              !RD || mayRunOn(M, RD))
            Out.push_back(S);
    if (!M || !M->isVirtual()) {
      auto It = Sites.find(FD);
      if (It != Sites.end())
        Out.append(It->second.begin(), It->second.end());
      return Out;
    }
    llvm::SmallVector<const CXXMethodDecl *, 4> Chain;
    dispatchedFrom(M, Chain);
    for (const CXXMethodDecl *C : Chain) {
      auto It = NamedSites.find(C);
      if (It == NamedSites.end())
        continue;
      // A qualified call (`Base::f()`) runs the method it names only.
      for (const InvocationSite &S : It->second)
        if (C == Chain.front() || !isQualifiedCall(S.Call))
          Out.push_back(S);
    }
    return Out;
  }

  /// True if \p Call names its callee with a qualifier (`Base::f()`,
  /// `this->Base::f()`), which suppresses virtual dispatch.
  static bool isQualifiedCall(const Expr *Call) {
    const auto *C = dyn_cast<CallExpr>(Call);
    const auto *ME =
        C ? dyn_cast<MemberExpr>(C->getCallee()->IgnoreParenImpCasts())
          : nullptr;
    return ME && ME->hasQualifier();
  }

  /// The locks held at each call of \p Caller (entered with its entry
  /// lockset).
  const llvm::DenseMap<const Stmt *, LockSet> &
  heldAtCalls(const FunctionDecl *Caller) {
    auto Found = HeldAtCalls.find(Caller);
    if (Found != HeldAtCalls.end())
      return Found->second;
    LockSet Entry = entryLocks(Caller);
    llvm::DenseMap<const Stmt *, LockSet> Held;
    // Canonical mutexes; the guards are kept for the lambdas run here
    // (localLambdaLocks()).
    auto Kept = [&](const LockSet &Locks) {
      LockSet Out;
      for (const HeldLock &L : Locks.locks()) {
        HeldLock K = keptLock(L, canonical(L.Mutex), L.Path);
        K.Guard = L.Guard;
        Out.add(K);
      }
      return Out;
    };
    // Where a scope guard runs the lambda it holds.
    llvm::DenseMap<const VarDecl *, LockSet> Destroyed;
    auto OnDestroy = [&](const VarDecl *V, const LockSet &Locks) {
      auto [It, New] = Destroyed.try_emplace(V, Kept(Locks));
      if (!New)
        It->second.intersectWith(Kept(Locks));
    };
    LSA.onDestroy(OnDestroy);
    LSA.run(Caller, Entry, [&](const Stmt *St, const LockSet &Locks) {
      if (isa<CallExpr, CXXConstructExpr>(St))
        Held[St] = Kept(Locks);
    });
    LSA.onDestroy({});
    HeldAtDestroy[Caller] = std::move(Destroyed);
    return HeldAtCalls[Caller] = std::move(Held);
  }

  /// The object a member call a template's dependent code leaves
  /// unresolved is made on (`this->f()`, `f(x)` with a dependent argument,
  /// `req.complete()`); nullopt if not such a call.
  static std::optional<ObjectPath> dependentCallObject(const Expr *Call) {
    const auto *C = dyn_cast<CallExpr>(Call);
    const Expr *Callee = C ? C->getCallee()->IgnoreParens() : nullptr;
    const Expr *Base = nullptr;
    bool Implicit = false;
    if (const auto *DM =
            dyn_cast_or_null<CXXDependentScopeMemberExpr>(Callee)) {
      Implicit = DM->isImplicitAccess();
      Base = Implicit ? nullptr : DM->getBase();
    } else if (const auto *UM =
                   dyn_cast_or_null<UnresolvedMemberExpr>(Callee)) {
      Implicit = UM->isImplicitAccess();
      Base = Implicit ? nullptr : UM->getBase();
    } else {
      return std::nullopt;
    }
    if (Implicit) {
      ObjectPath This;
      This.Kind = RootKind::This;
      return This;
    }
    return Base ? objectPathOf(Base) : std::nullopt;
  }

  /// \p Held, the locks at \p Call, as its callee \p Callee names them: a
  /// mutex of the call's object is the callee's `this->...`, one reached
  /// through an argument bound to a reference or pointer parameter the
  /// parameter's, a global itself. A mutex the callee cannot name (a local
  /// of the caller, a member of another object) is not one it is entered
  /// with: it guards nothing the callee could hold it for. \p KeepTested:
  /// a flag the caller tested under a mutex it still holds there is tested
  /// for the callee too (the context's entry lockset, callerLocks()).
  LockSet toCallee(const LockSet &Held, const Expr *Call,
                   const FunctionDecl *Callee, bool KeepTested = false) {
    CallSite CS = callSiteOf(Call);
    std::optional<ObjectPath> Object =
        CS.Object ? objectPathOf(CS.Object) : dependentCallObject(Call);
    const auto *C = dyn_cast<CallExpr>(Call);
    const auto *CE = dyn_cast<CXXConstructExpr>(Call);
    auto Map = [&](const ObjectPath &P) -> std::optional<ObjectPath> {
      if (P.Kind == RootKind::Global)
        return P;
      auto Rebase = [&](const ObjectPath &Prefix, RootKind Kind,
                        const ValueDecl *Root) {
        ObjectPath Q;
        Q.Kind = Kind;
        Q.Root = Root;
        Q.Fields.append(P.Fields.begin() + Prefix.Fields.size(),
                        P.Fields.end());
        return Q;
      };
      if (Object && P.startsWith(*Object))
        return Rebase(*Object, RootKind::This, nullptr);
      // A member of the caller's that the callee's object refers to
      // through a reference member (memberAliases).
      if (Object)
        for (const auto &[Owned, Ref] : memberAliases(*Object))
          if (P.startsWith(Owned)) {
            ObjectPath Q = Rebase(Owned, RootKind::This, nullptr);
            Q.Fields.insert(Q.Fields.begin(), Ref);
            return Q;
          }
      unsigned N = C ? C->getNumArgs() : CE ? CE->getNumArgs() : 0;
      for (unsigned I = 0; I != N; ++I) {
        const ParmVarDecl *Param =
            C ? paramForArg(C, I)
              : (I < Callee->getNumParams() ? Callee->getParamDecl(I)
                                            : nullptr);
        if (!Param || !(Param->getType()->isReferenceType() ||
                        Param->getType()->isPointerType()))
          continue;
        // The call names a declaration of the callee (out of line) or a
        // method it overrides: the callee's own parameter of that index.
        if (Param->getDeclContext() != Callee) {
          unsigned Index = Param->getFunctionScopeIndex();
          if (Index >= Callee->getNumParams())
            continue;
          Param = Callee->getParamDecl(Index);
        }
        std::optional<ObjectPath> A =
            objectPathOf(C ? C->getArg(I) : CE->getArg(I));
        if (A && P.startsWith(*A))
          return Rebase(*A, RootKind::Param, Param);
      }
      return sameFieldElsewhere(P, Call, Callee);
    };
    // A claim the caller owns at the call, the callee runs owning (a
    // helper of the task a claim was handed to); one only tested is the
    // caller's own test, unless KeepTested.
    LockSet Out;
    for (const HeldLock &L : Held.locks())
      if ((!L.isClaim() || L.Claim == HeldLock::ClaimState::Owned ||
           (KeepTested && L.Claim == HeldLock::ClaimState::Tested)) &&
          L.Path)
        if (std::optional<ObjectPath> P = Map(*L.Path))
          Out.add(keptLock(L, canonical(mutexKeyOf(*P)), P));
    if (KeepTested)
      Out.dropLapsedClaims(); // tested under a mutex the callee is not in
    return Out;
  }

  /// \p P, a mutex member of the caller's own object that the callee \p
  /// Callee does not name (the manager's `this->m_queue_mutex` held at
  /// `thread->pushBlock(pos)`), as the callee names the same field of an
  /// object of the class that declares it, reached its own way: through the
  /// one pointer, smart pointer or reference data member of its class whose
  /// target is of that class (`this->m_emerge->m_queue_mutex`), or the one
  /// such parameter, when the call binds it to an object it cannot name (a
  /// call's result). The field is the mutex's identity: a callee's accesses
  /// guarded elsewhere by that field of the owner it points to are made
  /// under the caller's lock. Nullopt when the callee's class declares the
  /// field itself (the caller holds another object's: not the callee's), has
  /// no such route or more than one. A mutex of a member object of the
  /// caller's (`this->sync_.m`) is none: the callee's reference to such an
  /// object is memberAliases()' business.
  static std::optional<ObjectPath>
  sameFieldElsewhere(const ObjectPath &P, const Expr *Call,
                     const FunctionDecl *Callee) {
    if (P.Kind != RootKind::This || P.Fields.size() != 1 || P.Element)
      return std::nullopt;
    const FieldDecl *Field = P.Fields.back();
    const auto *Owner = dyn_cast<CXXRecordDecl>(Field->getParent());
    const auto *M = dyn_cast<CXXMethodDecl>(Callee);
    if (!Owner || (M && isSameOrDerived(M->getParent(), Owner)))
      return std::nullopt;
    auto Reaches = [&](QualType T) {
      return isSameOrDerived(pointeeClass(T), Owner);
    };
    std::optional<ObjectPath> Out;
    unsigned Routes = 0;
    if (M && !M->isStatic() && M->getParent()->hasDefinition())
      for (const FieldDecl *F : M->getParent()->fields())
        if (Reaches(F->getType())) {
          Out.emplace();
          Out->Kind = RootKind::This;
          Out->Fields.push_back(F);
          ++Routes;
        }
    const auto *C = dyn_cast<CallExpr>(Call);
    for (unsigned I = 0, N = Callee->getNumParams(); I != N; ++I) {
      const ParmVarDecl *Param = Callee->getParamDecl(I);
      if (!Reaches(Param->getType()))
        continue;
      ++Routes;
      // Bound to an object the caller names: not the one it holds.
      const Expr *Arg = C && !isa<CXXOperatorCallExpr>(C) && I < C->getNumArgs()
                            ? C->getArg(I)
                            : nullptr;
      if (!Arg || objectPathOf(Arg))
        return std::nullopt;
      Out.emplace();
      Out->Kind = RootKind::Param;
      Out->Root = Param;
    }
    if (Routes != 1)
      return std::nullopt;
    Out->Fields.push_back(Field);
    Out->ThroughPointer = true;
    return Out;
  }

  /// The reference members \p CE's constructor binds to its parameters
  /// (`Queue(Sync &s) : sync_(s)`), with the object the construction hands
  /// to each, when that is a member of `this` (`Queue queue_{sync_}`).
  static llvm::SmallVector<std::pair<ObjectPath, const FieldDecl *>, 2>
  boundReferences(const CXXConstructExpr *CE) {
    llvm::SmallVector<std::pair<ObjectPath, const FieldDecl *>, 2> Out;
    const FunctionDecl *Def = nullptr;
    if (!CE->getConstructor()->isDefined(Def))
      return Out;
    for (const CXXCtorInitializer *I : cast<CXXConstructorDecl>(Def)->inits()) {
      const FieldDecl *F = I->getMember();
      if (!F || !I->isWritten() || !F->getType()->isReferenceType())
        continue;
      const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(I->getInit()));
      const auto *Param = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
      if (!Param || Param->getDeclContext() != Def ||
          Param->getFunctionScopeIndex() >= CE->getNumArgs())
        continue;
      std::optional<ObjectPath> A =
          objectPathOf(CE->getArg(Param->getFunctionScopeIndex()));
      if (A && A->Kind == RootKind::This && !A->Fields.empty())
        Out.push_back({*A, F});
    }
    return Out;
  }

  /// The objects a data member of `this` refers to through its reference
  /// members, named as `this` names them: \p Object is `this->m`, and every
  /// constructor of `this`'s class constructs `m` with a constructor that
  /// binds the reference member `r` of m's class to its parameter, from the
  /// same member `this->a` (`Sync sync_; Queue queue_{sync_};` with
  /// `Queue(Sync &s) : sync_(s)`): `this->m.r` is `this->a`. None if a
  /// constructor is not seen, or the class may be copied (a copy's `m.r`
  /// is the original's `a`).
  llvm::SmallVector<std::pair<ObjectPath, const FieldDecl *>, 2>
  memberAliases(const ObjectPath &Object) {
    using Pairs =
        llvm::SmallVector<std::pair<ObjectPath, const FieldDecl *>, 2>;
    if (Object.Kind != RootKind::This || Object.Fields.size() != 1)
      return {};
    const FieldDecl *M = Object.Fields.front();
    const auto *Owner = dyn_cast<CXXRecordDecl>(M->getParent());
    if (!Owner || !Owner->hasDefinition())
      return {};
    // A copy or move constructor not declared yet: deleted only if Sema
    // has already said so (else its deletion is not computed: unknown).
    if (Owner->needsImplicitCopyConstructor() &&
        (Owner->needsOverloadResolutionForCopyConstructor() ||
         !Owner->defaultedCopyConstructorIsDeleted()))
      return {};
    if (Owner->needsImplicitMoveConstructor() &&
        (Owner->needsOverloadResolutionForMoveConstructor() ||
         !Owner->defaultedMoveConstructorIsDeleted()))
      return {};
    std::optional<Pairs> Common;
    llvm::SmallVector<const CXXConstructorDecl *, 4> Ctors(Owner->ctors());
    // A default constructor not declared yet initialises from the member's
    // initialiser.
    if (Owner->needsImplicitDefaultConstructor())
      Ctors.push_back(nullptr);
    for (const CXXConstructorDecl *C : Ctors) {
      if (C && C->isDeleted())
        continue;
      const Expr *Init = nullptr;
      const FunctionDecl *Def = nullptr;
      if (!C) {
        Init = M->getInClassInitializer();
      } else if (C->isDefined(Def)) {
        for (const CXXCtorInitializer *I :
             cast<CXXConstructorDecl>(Def)->inits())
          if (I->getMember() == M)
            Init = I->getInit();
      } else if (!C->isUserProvided() && !C->isCopyOrMoveConstructor()) {
        Init = M->getInClassInitializer();
      }
      if (const auto *DI = dyn_cast_or_null<CXXDefaultInitExpr>(Init))
        Init = DI->getExpr();
      const auto *CE =
          Init ? dyn_cast<CXXConstructExpr>(skipImplicit(Init)) : nullptr;
      if (!CE)
        return {};
      Pairs Here = boundReferences(CE);
      if (!Common)
        Common = std::move(Here);
      else
        llvm::erase_if(*Common, [&](const auto &P) {
          return !llvm::is_contained(Here, P);
        });
      if (Common->empty())
        return {};
    }
    return Common ? *Common : Pairs();
  }

  /// The locks held at every place \p FD is invoked from, as \p FD names
  /// them; nullopt when the places are not all known (or there are none).
  std::optional<LockSet> callerLocks(const FunctionDecl *FD) {
    if (!confined(FD))
      return std::nullopt;
    llvm::SmallVector<InvocationSite, 4> Here = sitesOf(FD);
    if (Here.empty())
      return std::nullopt;
    std::optional<LockSet> Out;
    for (const InvocationSite &S : Here) {
      if (neverRuns(S.Caller))
        continue;
      const auto &Held = heldAtCalls(S.Caller);
      auto H = Held.find(S.Call);
      if (H == Held.end())
        continue; // unreachable: invokes nothing
      LockSet L = toCallee(H->second, S.Call, FD, /*KeepTested=*/true);
      if (!Out)
        Out = std::move(L);
      else
        Out->intersectWith(L);
      if (Out->empty())
        return Out;
    }
    return Out;
  }

  /// Whether \p FD, a member function, runs at every place it is invoked
  /// from on an object its caller has just made and not shown to other code
  /// yet (freshObject()). The locks those callers hold there are no
  /// evidence of what guards the object's members.
  bool freshThis(const FunctionDecl *FD, unsigned Depth = 0) {
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (!M || M->isStatic() || M->getParent()->isLambda() ||
        Depth > MaxSummaryDepth)
      return false;
    auto [It, New] = FreshThis.try_emplace(FD, false);
    if (!New)
      return It->second; // also the provisional value during recursion
    bool Fresh = false;
    if (confined(FD)) {
      llvm::SmallVector<InvocationSite, 4> Here = sitesOf(FD);
      Fresh = !Here.empty() && llvm::all_of(Here, [&](const InvocationSite &S) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(S.Call);
        return MC && freshObject(S.Caller, MC->getImplicitObjectArgument(),
                                 Depth + 1);
      });
    }
    return FreshThis[FD] = Fresh;
  }

  /// Whether every call of \p FD binds its parameter \p Index to an object
  /// its caller has just made and not shown (freshObject()).
  bool freshParam(const FunctionDecl *FD, unsigned Index, unsigned Depth) {
    if (Depth > MaxSummaryDepth || !confined(FD))
      return false;
    llvm::SmallVector<InvocationSite, 4> Here = sitesOf(FD);
    return !Here.empty() && llvm::all_of(Here, [&](const InvocationSite &S) {
      const auto *C = dyn_cast<CallExpr>(S.Call);
      return C && !isa<CXXOperatorCallExpr>(C) && Index < C->getNumArgs() &&
             freshObject(S.Caller, C->getArg(Index), Depth);
    });
  }

  /// Whether \p E, in \p Caller, names an object \p Caller has just made
  /// and not shown to other code yet: a local object made anew just before
  /// (FreshObjects' madeJustBefore(): `intf = NetworkInterface(i);`), a
  /// by-value part of one or a part a getter returns (`intf.impl()`, a
  /// pimpl: returnsPartOfObject()), or a parameter or `this` that every
  /// caller binds to such an object in turn.
  bool freshObject(const FunctionDecl *Caller, const Expr *E, unsigned Depth) {
    E = E ? skipImplicit(E) : nullptr;
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref)
      E = skipImplicit(UO->getSubExpr());
    if (!E)
      return false;
    if (isa<CXXThisExpr>(E))
      return freshThis(Caller, Depth);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        return P->getDeclContext() == Caller &&
               freshParam(Caller, P->getFunctionScopeIndex(), Depth + 1);
      const FlowGraph *G = Flow.graph(Caller);
      return G && madeJustBefore(*G, E, dyn_cast<VarDecl>(DRE->getDecl()));
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return !ME->isArrow() && isa<FieldDecl>(ME->getMemberDecl()) &&
             freshObject(Caller, ME->getBase(), Depth);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      return returnsPartOfObject(MC->getMethodDecl()) &&
             freshObject(Caller, MC->getImplicitObjectArgument(), Depth);
    return false;
  }

  /// The constructor of the object \p L is handed to, and the argument
  /// index: `Request([this] { ... })`, through the conversion to a
  /// std::function parameter; null if the lambda goes anywhere else first.
  /// In a template's code as written, where the construction with a lambda
  /// is left unresolved (`_request(count, [this] { ... })`), the one
  /// constructor of the class written that takes that many arguments (copy
  /// and move constructors aside).
  std::pair<const CXXConstructorDecl *, unsigned>
  storingConstruction(const LambdaExpr *L, const FlowGraph &G) {
    const Stmt *Child = L;
    for (const Stmt *P = G.parent(L); P; Child = P, P = G.parent(P)) {
      if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ParenExpr>(P))
        continue;
      if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(P)) {
        for (unsigned I = 0, N = UC->getNumArgs(); I != N; ++I)
          if (UC->getArg(I) == Child)
            return {onlyConstructorTaking(
                        UC->getTypeAsWritten()->getAsCXXRecordDecl(), N),
                    I};
        return {nullptr, 0};
      }
      const auto *CE = dyn_cast<CXXConstructExpr>(P);
      if (!CE)
        return {nullptr, 0};
      // The library's conversion of the lambda (to a std::function).
      if (inSystemHeader(CE->getConstructor()) && CE->getNumArgs() == 1)
        continue;
      for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I)
        if (CE->getArg(I) == Child)
          return {CE->getConstructor(), I};
      return {nullptr, 0};
    }
    return {nullptr, 0};
  }

  /// The one constructor of \p RD (not a copy or move constructor, not a
  /// template) that can take \p NumArgs arguments; null if none or several.
  const CXXConstructorDecl *onlyConstructorTaking(const CXXRecordDecl *RD,
                                                  unsigned NumArgs) {
    if (!RD || !RD->hasDefinition() || inSystemHeader(RD))
      return nullptr;
    const CXXConstructorDecl *Out = nullptr;
    for (const Decl *D : RD->decls()) {
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D);
          FT && isa<CXXConstructorDecl>(FT->getTemplatedDecl()))
        return nullptr; // which one is not known
      const auto *C = dyn_cast<CXXConstructorDecl>(D);
      if (!C || C->isCopyOrMoveConstructor() ||
          C->getMinRequiredArguments() > NumArgs ||
          (!C->isVariadic() && C->getNumParams() < NumArgs))
        continue;
      if (Out)
        return nullptr;
      Out = C;
    }
    return Out;
  }

  /// The field of \p Ctor's class that \p Ctor initialises from its
  /// parameter \p Index (`f_(std::move(f))`), when the field is private.
  static const FieldDecl *fieldStoring(const CXXConstructorDecl *Ctor,
                                       unsigned Index) {
    if (!Ctor || Index >= Ctor->getNumParams())
      return nullptr;
    const ParmVarDecl *Param = Ctor->getParamDecl(Index);
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const FieldDecl *F = Init->getMember();
      if (!F || !Init->isWritten() || F->getAccess() != AS_private)
        continue;
      const auto *E =
          dyn_cast_or_null<CXXConstructExpr>(Init->getInit()->IgnoreImplicit());
      const Expr *From =
          E && E->getNumArgs() == 1 ? E->getArg(0) : Init->getInit();
      const auto *DRE = dyn_cast<DeclRefExpr>(skipMovesAndCopies(From));
      if (DRE && DRE->getDecl() == Param)
        return F;
    }
    return nullptr;
  }

  /// The calls of the callable field \p F in the member functions of its
  /// class (`void complete() { f_(); }`), with the member; false if a member
  /// uses it otherwise (copies it out, hands it on) but its constructors.
  bool invocationsOf(const FieldDecl *F,
                     llvm::SmallVectorImpl<InvocationSite> &Out) {
    const auto *R = dyn_cast<CXXRecordDecl>(F->getParent());
    if (!R)
      return false;
    for (const CXXMethodDecl *M : R->methods()) {
      const FunctionDecl *Def = definitionOf(M);
      // Constructors and assignments copy the callable into another object
      // of the class, which runs it only through these members as well.
      const auto *DefM = dyn_cast_or_null<CXXMethodDecl>(Def);
      if (!DefM || !Def->getBody() || isa<CXXConstructorDecl>(Def) ||
          DefM->isCopyAssignmentOperator() || DefM->isMoveAssignmentOperator())
        continue;
      llvm::SmallPtrSet<const Expr *, 4> Called;
      bool Ok = walkOutsideLambdas(
          Def->getBody(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
            if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
                OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
              if (const auto *ME =
                      dyn_cast<MemberExpr>(skipImplicit(OC->getArg(0)));
                  ME && ME->getMemberDecl() == F) {
                Called.insert(ME);
                Out.push_back({Def, OC});
                return true;
              }
            const auto *ME = dyn_cast<MemberExpr>(S);
            return !ME || ME->getMemberDecl() != F || Called.count(ME);
          });
      if (!Ok)
        return false;
    }
    return true;
  }

  /// The locks held wherever the stored lambda \p FD runs, as it names
  /// them: handed to the construction of an object that keeps it in a
  /// private field, it runs where a member of that object calls the field,
  /// and so at the call sites of that member. A lock of the lambda's own
  /// class held there through `this` (the members of the class that
  /// created the lambda, capturing `this`, complete what it created) is the
  /// lambda's `this->...`; a global is itself. nullopt if a place is not
  /// known.
  std::optional<LockSet> storedLambdaLocks(const FunctionDecl *FD) {
    const Facts &F = facts(FD);
    const FunctionDecl *Outer = outerFunction(FD);
    const auto *OuterM = dyn_cast_or_null<CXXMethodDecl>(Outer);
    const FlowGraph *G = F.Parent ? Flow.graph(F.Parent) : nullptr;
    if (!F.Lambda || !G || !OuterM || OuterM->isStatic())
      return std::nullopt;
    auto [Constructor, Index] = storingConstruction(F.Lambda, *G);
    const auto *Ctor =
        Constructor
            ? dyn_cast_or_null<CXXConstructorDecl>(definitionOf(Constructor))
            : nullptr;
    const FieldDecl *Field = fieldStoring(Ctor, Index);
    llvm::SmallVector<InvocationSite, 4> Invocations;
    if (!Field || !invocationsOf(Field, Invocations) || Invocations.empty())
      return std::nullopt;
    const CXXRecordDecl *Creator = OuterM->getParent();
    auto Nameable = [&](const LockSet &Held, bool ThisIsCreator) {
      LockSet Out;
      for (const HeldLock &L : Held.locks())
        if (!L.isClaim() && L.Path &&
            (L.Path->Kind == RootKind::Global ||
             (ThisIsCreator && L.Path->Kind == RootKind::This)))
          Out.add(keptLock(L, L.Mutex, L.Path));
      return Out;
    };
    std::optional<LockSet> Out;
    for (const InvocationSite &Inv : Invocations) {
      // Held in the member at the call of the field (globals only).
      const auto &InMember = heldAtCalls(Inv.Caller);
      auto H = InMember.find(Inv.Call);
      if (H == InMember.end())
        continue;
      LockSet Here = Nameable(H->second, false);
      // Held where the member is called.
      std::optional<LockSet> AtSites;
      if (confined(Inv.Caller))
        for (const InvocationSite &S : sitesOf(Inv.Caller)) {
          const auto &Held = heldAtCalls(S.Caller);
          auto SH = Held.find(S.Call);
          if (SH == Held.end())
            continue;
          const auto *XM =
              dyn_cast_or_null<CXXMethodDecl>(outerFunction(S.Caller));
          bool Same = XM && !XM->isStatic() &&
                      isSameOrDerived(XM->getParent(), Creator);
          LockSet L = Nameable(SH->second, Same);
          if (!AtSites)
            AtSites = std::move(L);
          else
            AtSites->intersectWith(L);
        }
      if (AtSites)
        Here.unionWith(*AtSites);
      if (!Out)
        Out = std::move(Here);
      else
        Out->intersectWith(Here);
    }
    return Out;
  }

  /// The local variable \p L initialises (`auto f = [&] { ... };`), of
  /// the lambda's own type; null if the lambda goes anywhere else.
  static const VarDecl *lambdaVariable(const LambdaExpr *L,
                                       const FunctionDecl *Parent) {
    const VarDecl *Out = nullptr;
    walkOutsideLambdas(Parent, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
      const VarDecl *V = singleVarDecl(S);
      if (V && V->getInit() && skipImplicit(V->getInit()) == L &&
          V->isLocalVarDecl() && !V->isStaticLocal() &&
          !V->getType()->isReferenceType() &&
          V->getType()->getAsCXXRecordDecl() == L->getLambdaClass())
        Out = V;
      return !Out;
    });
    return Out;
  }

  /// The calls of the local variable \p V (`f()`) under \p S, lambda
  /// bodies included; false if \p V is used in any other way (copied into
  /// a std::function or a container, passed to a function, returned,
  /// captured by another lambda): then it may run anywhere.
  static bool callsOfVariable(const VarDecl *V, const Stmt *S,
                              llvm::SmallVectorImpl<const Expr *> &Calls,
                              llvm::SmallPtrSetImpl<const Expr *> &Called) {
    if (!S)
      return true;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(OC->getArg(0)));
          DRE && DRE->getDecl() == V) {
        Called.insert(DRE);
        Calls.push_back(OC);
      }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S);
        DRE && DRE->getDecl() == V && !Called.count(DRE))
      return false;
    // Every statement, the bodies of lambdas included.
    for (const Stmt *C : S->children())
      if (!callsOfVariable(V, C, Calls, Called))
        return false;
    return true;
  }

  /// The locks held wherever the lambda \p FD, kept in a local variable of
  /// the function that creates it and called only through that variable
  /// (`auto erase = [&] { m_.erase(k); }; ... erase();`), runs: those held
  /// at every call of the variable, as the lambda names them (a global,
  /// `this`'s mutexes when it captures `this`, a variable it captures by
  /// reference, and the guard holding one: its `unlock()` in the lambda
  /// releases it). nullopt if the variable escapes or is never called.
  std::optional<LockSet> localLambdaLocks(const FunctionDecl *FD) {
    const Facts &F = facts(FD);
    if (!F.Lambda || !F.Parent || !F.Parent->getBody())
      return std::nullopt;
    const VarDecl *V = lambdaVariable(F.Lambda, F.Parent);
    llvm::SmallVector<const Expr *, 4> Calls;
    llvm::SmallPtrSet<const Expr *, 4> Called;
    // The scope guards of the function that hold the lambda (built from it
    // or from its variable) and stay where they are: it runs where they are
    // destroyed.
    llvm::SmallVector<const VarDecl *, 2> Guards;
    walkOutsideLambdas(
        F.Parent, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
          const VarDecl *G = singleVarDecl(S);
          std::optional<ScopeExitCallable> C =
              G && G->hasLocalStorage() ? scopeExitCallableOf(G) : std::nullopt;
          const Expr *E =
              C && C->Callable ? skipMovesAndCopies(C->Callable) : nullptr;
          if (!E || handsOn(G, F.Parent->getBody()))
            return true;
          if (skipImplicit(E) == F.Lambda) {
            Guards.push_back(G);
          } else if (const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(E));
                     DRE && V && DRE->getDecl() == V) {
            Guards.push_back(G);
            Called.insert(DRE);
          }
          return true;
        });
    if (V && !callsOfVariable(V, F.Parent->getBody(), Calls, Called))
      return std::nullopt;
    if (Calls.empty() && Guards.empty())
      return std::nullopt;
    const auto &Held = heldAtCalls(F.Parent);
    const auto &AtDestroy = HeldAtDestroy[F.Parent];
    const LambdaExpr *L = F.Lambda;
    bool CapturesThis = llvm::any_of(
        L->captures(), [](const LambdaCapture &C) { return C.capturesThis(); });
    auto ByReference = [&](const ValueDecl *D) {
      return llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
        return C.capturesVariable() && C.getCapturedVar() == D &&
               C.getCaptureKind() == LCK_ByRef;
      });
    };
    llvm::SmallVector<const LockSet *, 4> Sites;
    for (const Expr *Call : Calls) {
      auto H = Held.find(Call);
      if (H == Held.end())
        return std::nullopt; // in a nested lambda, or unreachable
      Sites.push_back(&H->second);
    }
    for (const VarDecl *G : Guards) {
      auto H = AtDestroy.find(G);
      if (H == AtDestroy.end())
        return std::nullopt; // never destroyed on a path we know
      Sites.push_back(&H->second);
    }
    std::optional<LockSet> Out;
    for (const LockSet *Site : Sites) {
      LockSet Here;
      for (const HeldLock &Lk : Site->locks()) {
        if (Lk.isClaim() || !Lk.Path)
          continue;
        const ObjectPath &P = *Lk.Path;
        bool Named =
            P.Kind == RootKind::Global ||
            (P.Kind == RootKind::This && CapturesThis) ||
            ((P.Kind == RootKind::Local || P.Kind == RootKind::Param) &&
             ByReference(P.Root));
        if (!Named)
          continue;
        HeldLock K = keptLock(Lk, Lk.Mutex, Lk.Path);
        if (Lk.Guard && ByReference(Lk.Guard))
          K.Guard = Lk.Guard;
        Here.add(K);
      }
      if (!Out)
        Out = std::move(Here);
      else
        Out->intersectWith(Here);
    }
    return Out;
  }

  /// The claims (LockAnalysis.h) a lambda is handed by the function that
  /// creates it: a claim that function owns where it creates the lambda
  /// (it tested the flag free under the lock and set it; the lambda is
  /// created only on that branch), that it stores nothing into afterwards
  /// (it returns still owning it), and that the lambda releases itself
  /// (releasesClaim()). The lambda — the task that drains what the claim
  /// guards, started by its owner — runs as the owner until its release
  /// (RxCpp's observe_on: the drain scheduled when the mode goes from Empty
  /// to Processing under the lock sets Empty back under the lock). Named
  /// as the lambda names them: a flag of `this` it captures, or a global.
  std::optional<LockSet> handedClaims(const FunctionDecl *FD) {
    const Facts &F = facts(FD);
    const LambdaExpr *L = F.Lambda;
    const FunctionDecl *Parent = F.Parent;
    if (!L || !Parent)
      return std::nullopt;
    std::optional<LockSet> AtCreation;
    LSA.run(Parent, entryLocks(Parent),
            [&](const Stmt *St, const LockSet &Held) {
              if (St != L)
                return;
              if (!AtCreation)
                AtCreation = Held;
              else
                AtCreation->intersectWith(Held);
            });
    const FlowGraph *G = AtCreation ? Flow.graph(Parent) : nullptr;
    if (!G)
      return std::nullopt;
    bool CapturesThis = llvm::any_of(
        L->captures(), [](const LambdaCapture &C) { return C.capturesThis(); });
    HandOffs Created;
    reachedFrom(*G, Created, [&](const Stmt *S) { return S == L; });
    LockSet Out;
    for (const HeldLock &C : AtCreation->locks()) {
      if (C.Claim != HeldLock::ClaimState::Owned || C.HandedOver || !C.Path ||
          !((C.Path->Kind == RootKind::This && CapturesThis) ||
            C.Path->Kind == RootKind::Global))
        continue;
      const ValueDecl *Flag = canonical(C.Mutex);
      // The creator keeps the flag as it is from there: the claim is the
      // lambda's now.
      bool Stored =
          !walkOutsideLambdas(Parent, LambdaBodies::Skip, [&](const Stmt *St) {
            const ValueDecl *K = storedFlagKey(St);
            return !(K && canonical(K) == Flag && Created.After.contains(St));
          });
      if (!Stored && releasesClaim(FD, C, Flag))
        Out.add(C);
    }
    if (Out.empty())
      return std::nullopt;
    return Out;
  }

  /// True if \p FD, entered owning claim \p C of \p Flag (canonical),
  /// releases it: it stores the flag's free value while it owns the claim
  /// and holds the mutex the claim was tested under exclusively, itself or
  /// in a member function it calls on `this` (MaxSummaryDepth deep).
  bool releasesClaim(const FunctionDecl *FD, const HeldLock &C,
                     const ValueDecl *Flag, unsigned Depth = 0) {
    const ValueDecl *Lock = canonical(C.ClaimLock);
    LockSet Entry;
    Entry.add(C);
    bool Released = false;
    llvm::SmallVector<const FunctionDecl *, 2> Callees;
    LSA.run(FD, Entry, [&](const Stmt *St, const LockSet &Held) {
      if (Released)
        return;
      const HeldLock *Owned = nullptr;
      bool Locked = false;
      for (const HeldLock &L : Held.locks()) {
        if (L.Claim == HeldLock::ClaimState::Owned &&
            canonical(L.Mutex) == Flag)
          Owned = &L;
        if (!L.isClaim() && L.Mode == LockMode::Exclusive &&
            canonical(L.Mutex) == Lock)
          Locked = true;
      }
      if (!Owned)
        return;
      if (const ValueDecl *K = storedFlagKey(St); K && canonical(K) == Flag) {
        const auto *BO = dyn_cast<BinaryOperator>(St);
        Released = Locked && BO && BO->getOpcode() == BO_Assign &&
                   constantOf(BO->getRHS()) == C.FreeValue;
        return;
      }
      CallSite CS = callSiteOf(dyn_cast<Expr>(St));
      if (const FunctionDecl *Def = definitionOf(CS.Callee);
          Def && Def != FD && !inSystemHeader(Def) && CS.Object &&
          isa<CXXThisExpr>(skipImplicit(CS.Object)))
        Callees.push_back(Def);
    });
    if (Released || Depth >= MaxSummaryDepth)
      return Released;
    return llvm::any_of(Callees, [&](const FunctionDecl *Callee) {
      return releasesClaim(Callee, C, Flag, Depth + 1);
    });
  }

  /// The entry lockset of \p FD (see above), in summary form.
  const LockSet &entryLocks(const FunctionDecl *FD) {
    auto Found = Entries.find(FD);
    if (Found != Entries.end())
      return Found->second; // also the provisional value during recursion
    LockSet E = canonicalLocks(locksRequiredOnEntry(Flow, FD));
    Entries[FD] = E;
    if (EntryDepth < MaxSummaryDepth) {
      ++EntryDepth;
      const auto *M = dyn_cast<CXXMethodDecl>(FD);
      std::optional<LockSet> C;
      if (M && M->getParent()->isLambda()) {
        // Run in place (through its variable, or by a local scope guard's
        // destructor) before stored in an object that completes it later.
        C = localLambdaLocks(FD);
        if (!C)
          C = storedLambdaLocks(FD);
        // A task its creator hands a claim to runs owning it.
        if (std::optional<LockSet> H = handedClaims(FD)) {
          if (!C)
            C = std::move(H);
          else
            C->unionWith(*H);
        }
      } else {
        C = callerLocks(FD);
      }
      --EntryDepth;
      if (C)
        E.unionWith(*C);
    }
    return Entries[FD] = std::move(E);
  }

  /// The accesses of \p FD judged as a context of its own: its summary's,
  /// made under its entry lockset as well (an access after it releases one
  /// of those locks is not under it).
  const std::vector<Access> &contextAccesses(const FunctionDecl *FD) {
    const Summary &S = summary(FD);
    if (S.Accesses.empty())
      return S.Accesses;
    const LockSet &Entry = entryLocks(FD);
    if (Entry.empty())
      return S.Accesses;
    auto Found = EntryAccesses.find(FD);
    if (Found != EntryAccesses.end())
      return Found->second;
    ++Depth;
    std::vector<Access> A = compute(FD, Entry);
    --Depth;
    return EntryAccesses[FD] = std::move(A);
  }

  // --- reporting -----------------------------------------------------------

  bool warned(const Expr *Ref) const {
    return Warned.count(Ref->getBeginLoc().getRawEncoding());
  }

  bool fixSafe(const Access &A, const ValueDecl *Mutex) {
    if (!A.Locks.empty() || !Mutex || !Mutex->getIdentifier())
      return false;
    if (const auto *FD = dyn_cast<FieldDecl>(Mutex)) {
      const auto *M = dyn_cast<CXXMethodDecl>(A.Fn);
      if (!M || M->isStatic() || M->getParent()->isLambda() ||
          !isSameOrDerived(M->getParent(), FD->getParent()))
        return false;
      // A const member function sees a const mutex: locking it compiles
      // only if the member is `mutable`.
      if (M->isConst() && !FD->isMutable())
        return false;
    } else if (const auto *VD = dyn_cast<VarDecl>(Mutex)) {
      if (VD->isLocalVarDeclOrParm()) {
        if (VD->getParentFunctionOrMethod() != A.Fn ||
            !SM.isBeforeInTranslationUnit(VD->getLocation(),
                                          A.Ref->getBeginLoc()))
          return false;
      } else if (!VD->getDeclContext()->Encloses(A.Fn->getDeclContext())) {
        return false;
      }
    } else {
      return false;
    }
    if (mentions(A.Fn->getBody(), Mutex))
      return false; // the function may hold it already
    auto It = CallLocks.find(A.Fn);
    return It == CallLocks.end() || !It->second.count(Mutex);
  }

  /// Records on \p R a lock whose mutex has no name held at \p A: taken
  /// by its function there, or held at a call of it. A fix taking R.Lock
  /// could take that mutex again.
  void unknownLockAt(const Access &A, ContainerRace &R) const {
    if (A.UnknownLock) {
      R.UnknownLockLoc = A.UnknownLock->getBeginLoc();
      return;
    }
    auto It = UnknownLockCalls.find(A.Fn);
    if (It == UnknownLockCalls.end())
      return;
    R.UnknownLockLoc = It->second->getBeginLoc();
    R.UnknownLockAtCall = true;
  }

  // --- member rule ---------------------------------------------------------

  /// The function a context's code belongs to: a lambda's enclosing
  /// function, climbed to the first one that is not a lambda.
  const FunctionDecl *outerFunction(const FunctionDecl *FD) {
    for (unsigned Hops = 0; FD && Hops != 16; ++Hops) {
      const Facts &F = facts(FD);
      if (!F.Lambda || !F.Parent)
        return FD;
      FD = F.Parent;
    }
    return FD;
  }

  /// True if \p S starts a thread kept in a member of `this`: a task start
  /// (`t_ = std::thread(...)`), or a call on `this` whose summary leaves a
  /// member holding a started thread (a `start()` helper).
  bool startsMemberThread(const Stmt *S) {
    return !walkOutsideLambdas(S, LambdaBodies::Skip, [&](const Stmt *N) {
      const auto *E = dyn_cast<Expr>(N);
      if (!E)
        return true;
      if (isa<CallExpr, CXXConstructExpr>(E) && startsTask(E))
        return false;
      const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
      if (!MC ||
          !isa<CXXThisExpr>(skipImplicit(MC->getImplicitObjectArgument())))
        return true;
      const FunctionSummary *Sum =
          Flow.summaries().get(MC->getDirectCallee(), ThreadFamily);
      return !(Sum && llvm::any_of(Sum->Slots, [](const SlotEffect &SE) {
                 return SE.Slot.Kind == RootKind::This &&
                        !SE.Slot.Fields.empty() && (SE.Effects & StartsThread);
               }));
    });
  }

  /// True if access \p A, written in member function \p Fn itself, is a
  /// statement of the function's outermost block that comes before one
  /// that starts a member thread, with no thread started before it: a reset
  /// (`events_.clear()` in a test fixture's `SetUp()`) that precedes the
  /// thread, as a constructor's accesses do. Straight-line code only.
  bool beforeThreadStart(const FunctionDecl *Fn, const Access &A) {
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody());
    if (A.Fn != Fn || !Body)
      return false;
    bool Seen = false;
    for (const Stmt *St : Body->body()) {
      bool Here = !walkOutsideLambdas(
          St, LambdaBodies::Skip, [&](const Stmt *N) { return N != A.Ref; });
      if (startsMemberThread(St))
        return Seen && !Here;
      Seen = Seen || Here;
    }
    return false;
  }

  // --- calls ordered after the caller's waits -----------------------------

  /// A function's tasks and its waits for them (afterWaits()).
  struct Waiting {
    std::unique_ptr<TaskTracker> Tasks;
    std::unique_ptr<HandOffWaits> Waits;
  };
  std::map<const FunctionDecl *, Waiting> WaitsOf;
  llvm::DenseMap<const FunctionDecl *, bool> AfterWaits;

  /// True if \p Call, in \p F, comes after F waited for its tasks on every
  /// path: a task's handle joined or waited on, or every object F handed
  /// callables to waited on by a member that blocks (Blocking.h), and none
  /// of the tasks F started otherwise may still run.
  bool afterWaits(const FunctionDecl *F, const Expr *Call) {
    Waiting &W = WaitsOf[F];
    if (!W.Tasks) {
      const FlowGraph *G = Flow.graph(F);
      if (!G)
        return false;
      W.Tasks = std::make_unique<TaskTracker>(Flow, *G);
      W.Waits = std::make_unique<HandOffWaits>(Flow, *G, *W.Tasks);
    }
    if (!W.Waits->orderedAfter(Call))
      return false;
    for (unsigned I = 0, N = W.Tasks->tasks().size(); I != N; ++I)
      if (!W.Waits->isHandOff(W.Tasks->tasks()[I].Site) &&
          (!W.Tasks->valid() || W.Tasks->mayBeRunningAt(I, Call)))
        return false;
    return true;
  }

  /// True if every call of \p C in the translation unit (all of them known:
  /// confined()) is made by a function no task runs (not a lambda, not a
  /// task's entry) after it waited for the tasks it handed out or started
  /// (afterWaits()): C's accesses cannot overlap those tasks' (a test's
  /// helper reading the results its tasks recorded under the lock, after
  /// the test drained the sequencer it enqueued them on). A function also
  /// called before the wait, from a task, or not called here is not.
  bool calledAfterWaits(const FunctionDecl *C) {
    auto [It, New] = AfterWaits.try_emplace(C, false);
    if (!New)
      return It->second;
    bool Out = false;
    if (confined(C)) {
      llvm::SmallVector<InvocationSite, 4> Sites = sitesOf(C);
      Out = !Sites.empty() && llvm::all_of(Sites, [&](const InvocationSite &S) {
        const auto *M = dyn_cast<CXXMethodDecl>(S.Caller);
        return S.Caller != C && S.Call && !(M && M->getParent()->isLambda()) &&
               !facts(S.Caller).TaskEntry && afterWaits(S.Caller, S.Call);
      });
    }
    AfterWaits[C] = Out;
    return Out;
  }

  // --- tear-down after the object's own worker ends -----------------------

  /// True if \p F, a data member of \p RD, holds the object's own worker:
  /// a thread, or a smart pointer owning one, that only constructors store
  /// (no other member function assigns, resets, swaps, moves or takes the
  /// address of it): once joined, no thread of the object runs again.
  bool constructorWorker(const CXXRecordDecl *RD, const FieldDecl *F) {
    auto [It, New] = Workers.try_emplace(F, false);
    if (!New)
      return It->second;
    // A thread, or a pointer (raw, `std::unique_ptr`, `std::shared_ptr`)
    // to one.
    QualType T = F->getType();
    if (const auto *P = T->getAs<PointerType>()) {
      T = P->getPointeeType();
    } else if (const auto *TS = T->getAs<TemplateSpecializationType>()) {
      const TemplateDecl *TD = TS->getTemplateName().getAsTemplateDecl();
      if (TD && TD->isInStdNamespace() && TD->getIdentifier() &&
          llvm::is_contained({"unique_ptr", "shared_ptr"}, TD->getName()) &&
          !TS->template_arguments().empty() &&
          TS->template_arguments()[0].getKind() == TemplateArgument::Type)
        T = TS->template_arguments()[0].getAsType();
    }
    if (!Flow.threads().isAnyThread(T))
      return false;
    auto Names = [&](const Expr *E) { return namesField(E, F); };
    bool Stored = false;
    walkMemberBodies(RD, [&](const FunctionDecl *, const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        return true;
      if (Names(builtinStoreTarget(S)))
        Stored = true;
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
          OC && OC->isAssignmentOp() && Names(OC->getArg(0)))
        Stored = true;
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_AddrOf && Names(UO->getSubExpr()))
        Stored = true;
      if (isStdMove(E) && Names(movedOperand(E)))
        Stored = true;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (M && M->getIdentifier() &&
            llvm::is_contained({"reset", "swap", "detach"}, M->getName()) &&
            Names(MC->getImplicitObjectArgument()))
          Stored = true;
      }
      if (const auto *C = dyn_cast<CallExpr>(E))
        for (const Expr *Arg : C->arguments())
          if (Names(Arg) && !isa<CXXOperatorCallExpr>(C))
            if (const auto *Callee = C->getDirectCallee();
                !Callee || Callee->getIdentifier() == nullptr ||
                Callee->getName() == "swap")
              Stored = true;
      return !Stored;
    });
    if (RD->hasUserDeclaredCopyAssignment() ||
        RD->hasUserDeclaredMoveAssignment())
      Stored = true;
    return Workers[F] = !Stored;
  }
  llvm::DenseMap<const FieldDecl *, bool> Workers;

  /// True if \p S joins a worker member of `this` (constructorWorker()) on
  /// every path (`worker_.join()`, `thread_->join()` through a smart
  /// pointer, a helper whose summary joins it).
  bool joinsOwnWorker(const CXXRecordDecl *RD, const Stmt *S) {
    llvm::SmallVector<EffectEvent, 4> Events;
    effectsOf(Flow, S, ThreadFamily | SyncFamily, Events);
    return llvm::any_of(Events, [&](const EffectEvent &Ev) {
      return (Ev.Effect & JoinsThread) && (Ev.Effect & Waits) &&
             !(Ev.Effect & MayJoinThread) && Ev.Path.Kind == RootKind::This &&
             Ev.Path.Fields.size() == 1 && !Ev.Path.Element &&
             Ev.Path.Fields.front()->getParent() == RD &&
             constructorWorker(RD, Ev.Path.Fields.front());
    });
  }

  /// True if the edge from \p B to its successor number \p Succ is the
  /// branch of `w.joinable()` (or its negation) on which the worker w, a
  /// worker member of `this` (constructorWorker()), is not joinable: there
  /// is no thread left to wait for, as after its join (`if
  /// (thread_.joinable()) thread_.join();`, as the thread summaries read
  /// it).
  bool notJoinableEdge(const CXXRecordDecl *RD, const CFGBlock &B,
                       unsigned Succ) {
    const Expr *Thread = notJoinableOnEdge(B, Succ);
    std::optional<ObjectPath> P = Thread ? objectPathOf(Thread) : std::nullopt;
    return P && P->Kind == RootKind::This && P->Fields.size() == 1 &&
           !P->Element && P->Fields.front()->getParent() == RD &&
           constructorWorker(RD, P->Fields.front());
  }

  /// The statements of \p FD a path from its entry reaches without
  /// passing a join of the object's own worker (joinsOwnWorker()) or the
  /// branch on which it is not joinable (notJoinableEdge()).
  const llvm::DenseSet<const Stmt *> &
  beforeWorkerJoined(const FunctionDecl *FD) {
    auto [It, New] = NotJoined.try_emplace(FD);
    const FlowGraph *G = New ? Flow.graph(FD) : nullptr;
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (!G || !M)
      return It->second;
    llvm::DenseSet<const Stmt *> Out;
    llvm::SmallVector<const CFGBlock *, 16> Work{&G->cfg().getEntry()};
    llvm::DenseSet<const CFGBlock *> Seen{&G->cfg().getEntry()};
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      bool Joined = false;
      for (const CFGElement &El : *B) {
        std::optional<CFGStmt> CS = El.getAs<CFGStmt>();
        if (!CS)
          continue;
        Out.insert(CS->getStmt());
        if (const CFGBlock *T = G->throwTarget(CS->getStmt());
            T && Seen.insert(T).second)
          Work.push_back(T);
        if (joinsOwnWorker(M->getParent(), CS->getStmt())) {
          Joined = true;
          break;
        }
      }
      if (Joined)
        continue;
      unsigned I = 0;
      for (const CFGBlock *Succ : B->succs())
        if (!notJoinableEdge(M->getParent(), *B, I++) && Succ &&
            Seen.insert(Succ).second)
          Work.push_back(Succ);
    }
    return NotJoined[FD] = std::move(Out);
  }
  std::map<const FunctionDecl *, llvm::DenseSet<const Stmt *>> NotJoined;

  // --- hand-offs of `this` ------------------------------------------------

  /// True if \p E hands `this` to code that may run on another thread: it
  /// starts a task, gives a value that reaches `this` (carriesThis()) to a
  /// function that may keep it (one without a body here, another object's,
  /// a callable the library calls), or calls a member function on `this`
  /// whose body does either. The library's own handling of such a value
  /// (std::bind, a std::function built or assigned, an algorithm) keeps it
  /// where the function can see it.
  bool handsOff(const Expr *E) {
    if (!isa<CallExpr, CXXConstructExpr>(E))
      return false;
    if (startsTask(E))
      return true;
    CallSite CS = callSiteOf(E);
    const FunctionDecl *Def = definitionOf(CS.Callee);
    bool OnThis = CS.Object && isa<CXXThisExpr>(skipImplicit(CS.Object));
    bool Library = CS.Callee && inSystemHeader(CS.Callee);
    llvm::ArrayRef<const Expr *> Args;
    if (const auto *Call = dyn_cast<CallExpr>(E))
      Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
    else
      Args = llvm::ArrayRef(cast<CXXConstructExpr>(E)->getArgs(),
                            cast<CXXConstructExpr>(E)->getNumArgs());
    if (llvm::any_of(Args, [](const Expr *A) { return carriesThis(A); })) {
      if (Library) {
        const auto *M = dyn_cast_or_null<CXXMethodDecl>(CS.Callee);
        return M && M->getOverloadedOperator() == OO_Call;
      }
      if (!OnThis || !Def)
        return true;
    }
    return OnThis && Def && !Library && bodyHandsOff(Def);
  }

  /// handsOff() for some statement of \p FD's body (a constructor's
  /// initialisers included), outside its lambdas.
  llvm::DenseMap<const FunctionDecl *, bool> BodyHandOffs;
  bool bodyHandsOff(const FunctionDecl *FD) {
    auto Found = BodyHandOffs.try_emplace(FD, false);
    if (!Found.second)
      return Found.first->second; // known, or in progress (recursion)
    bool Handed =
        !walkOutsideLambdas(FD, LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *E = dyn_cast<Expr>(S);
          return !(E && handsOff(E));
        });
    BodyHandOffs[FD] = Handed;
    return Handed;
  }

  /// True if a constructor of \p RD hands `this` off: the object is
  /// shared from its birth.
  bool constructorHandsOff(const CXXRecordDecl *RD) {
    return llvm::any_of(RD->ctors(), [&](const CXXConstructorDecl *C) {
      const FunctionDecl *Def = definitionOf(C);
      return Def && bodyHandsOff(Def);
    });
  }

  /// The statements of a function's graph that hand `this` off (Points),
  /// and those that a path from one of them reaches (After: they run when
  /// another thread may have the object), exceptional edges included.
  struct HandOffs {
    llvm::DenseSet<const Stmt *> Points;
    llvm::DenseSet<const Stmt *> After;
  };
  std::map<const FunctionDecl *, HandOffs> HandOffCache;
  const HandOffs &handOffs(const FunctionDecl *FD) {
    auto Found = HandOffCache.try_emplace(FD);
    HandOffs &H = Found.first->second;
    if (const FlowGraph *G = Found.second ? Flow.graph(FD) : nullptr)
      reachedFrom(*G, H, [&](const Stmt *S) {
        return isa<Expr>(S) && handsOff(cast<Expr>(S));
      });
    return H;
  }

  /// Fills \p H with the statements of \p G for which \p IsPoint holds
  /// (Points) and those a path from one of them reaches (After),
  /// exceptional edges included.
  static void reachedFrom(const FlowGraph &G, HandOffs &H,
                          llvm::function_ref<bool(const Stmt *)> IsPoint) {
    llvm::SmallVector<const CFGBlock *, 16> Work;
    llvm::DenseSet<const CFGBlock *> Seen;
    auto Push = [&](const CFGBlock *B) {
      if (B && Seen.insert(B).second)
        Work.push_back(B);
    };
    auto Throws = [&](const Stmt *S) {
      if (isa<CallExpr, CXXConstructExpr, CXXThrowExpr>(S))
        Push(G.throwTarget(S));
    };
    for (const CFGBlock *B : G.order()) {
      bool Handed = false;
      for (const CFGElement &El : *B) {
        std::optional<CFGStmt> CS = El.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *S = CS->getStmt();
        if (Handed) {
          H.After.insert(S);
          Throws(S);
        }
        if (IsPoint(S)) {
          H.Points.insert(S);
          Throws(S);
          Handed = true;
        }
      }
      if (Handed)
        for (const CFGBlock *Succ : B->succs())
          Push(Succ);
    }
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      for (const CFGElement &El : *B)
        if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>()) {
          H.After.insert(CS->getStmt());
          Throws(CS->getStmt());
        }
      for (const CFGBlock *Succ : B->succs())
        Push(Succ);
    }
  }

  /// The guards of \p FD given to a condition variable's wait (`cv.wait(lk,
  /// pred)`, `cv.wait_for(lk, ...)`): the region they hold exists for the
  /// wait and what it tests.
  static llvm::SmallPtrSet<const VarDecl *, 2>
  waitGuards(const FunctionDecl *FD) {
    llvm::SmallPtrSet<const VarDecl *, 2> Out;
    walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const Expr *L = conditionWaitGuard(dyn_cast<CXXMemberCallExpr>(S));
      if (const auto *DRE =
              dyn_cast_or_null<DeclRefExpr>(L ? skipImplicit(L) : nullptr))
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          Out.insert(V);
      return true;
    });
    return Out;
  }

  /// Whether \p Mutex could be taken around a member's accesses in every
  /// function that makes them: not a function-local one (static or not),
  /// which no other function can name.
  static bool canGuard(const ValueDecl *Mutex) {
    const auto *V = dyn_cast_or_null<VarDecl>(Mutex);
    return !V || isa<ParmVarDecl>(V) || !V->isLocalVarDecl();
  }

  /// Whether \p Mutex, held at an access to a member of \p Owner, is
  /// evidence that it guards the member: not when the access holds it only
  /// for another object. That is a mutex a callee took (Access::CalleeLocks)
  /// that is a member of another class than the container's (the
  /// registry's lock its visitor holds while it runs the caller's callback,
  /// or while it fills the caller's out-argument), or one held only for the
  /// source of the copy the access writes (Access::CopyLocks), or held only
  /// by the mode of a flag's arm whose other arm takes it
  /// (HeldLock::ModeArm: the access is in the single-threaded mode, which
  /// says nothing of what the mutex guards), or held where a thread-identity
  /// test confines the code to one thread (HeldLock::ClaimState::Thread: an
  /// event loop's `if (loop_->isInLoopThread()) { lock_guard g(sendMu_);
  /// ... }`, whose lock counts sends for the other threads, not the loop's
  /// own buffers).
  static bool evidence(const Access &A, const ValueDecl *Mutex,
                       const RecordDecl *Owner) {
    if (llvm::is_contained(A.CopyLocks, Mutex) ||
        llvm::is_contained(A.WaitLocks, Mutex))
      return false;
    if (llvm::any_of(A.Locks.locks(),
                     [](const HeldLock &L) { return L.isThreadClaim(); }))
      return false;
    if (const HeldLock *L = A.Locks.find(Mutex); L && L->ModeArm)
      return false;
    return !llvm::is_contained(A.CalleeLocks, Mutex) ||
           !otherObjectsMutex(Mutex, Owner);
  }

  /// Whether \p Mutex is a data member (static or not) of another class
  /// than \p Owner, one neither derives from the other: a member
  /// sub-object's mutex (`db_.mutex`), another object's. A global or local
  /// mutex is nobody else's.
  static bool otherObjectsMutex(const ValueDecl *Mutex,
                                const RecordDecl *Owner) {
    const auto *Class = dyn_cast<CXXRecordDecl>(Mutex->getDeclContext());
    if (!Class || !isa<FieldDecl, VarDecl>(Mutex))
      return false;
    const auto *OwnerClass = dyn_cast<CXXRecordDecl>(Owner);
    return !isSameOrDerived(OwnerClass, Class) &&
           !isSameOrDerived(Class, Owner);
  }

  /// Whether \p Fn's body uses the object whose mutex \p L holds (named
  /// as \p Fn names it: `this->db_` of `this->db_.mutex`) for anything
  /// else than its mutex: another of its fields, a member function.
  static bool usesLockedObject(const FunctionDecl *Fn, const HeldLock *L) {
    if (!L || !L->Path || L->Path->Fields.empty() || !Fn->getBody())
      return false;
    ObjectPath Object = *L->Path;
    const FieldDecl *Mutex = Object.Fields.pop_back_val();
    return !walkOutsideLambdas(
        Fn->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *ME = dyn_cast<MemberExpr>(S);
          if (!ME || canonical(ME->getMemberDecl()) == canonical(Mutex))
            return true;
          std::optional<ObjectPath> P = objectPathOf(ME->getBase());
          return !P || *P != Object;
        });
  }

  /// True if \p A only tests its container's size or emptiness
  /// (`c.size()`, `c.empty()`): a read that leaves the contents alone.
  bool sizeTest(const Access &A) {
    const FlowGraph *G = A.Write ? nullptr : Flow.graph(A.Fn);
    return G && Containers.emptinessUse(A.Ref, G->parents()) ==
                    ContainerRecognizer::EmptinessUse::Test;
  }

  struct Use {
    const Access *A;
    const FunctionDecl *Context;
  };

  /// True if use \p U is its object's set-up: its context, a member
  /// function that hands `this` off, makes it before the first hand-off on
  /// every path (in every function on the way: Access::BeforeHandOff), no
  /// constructor of the class handed `this` off before, and neither the
  /// context's own code nor the accessing function's takes \p Guard (code
  /// that takes the lock is written for an object others share: a pool's
  /// `Get()` that locks to add an entry and hands `this` to each connection
  /// it makes). No other thread can reach the object yet (a client saving
  /// its settings, then opening the connection whose I/O thread later reads
  /// them under its lock).
  bool setUp(const Use &U, const ValueDecl *Guard) {
    const auto *M = dyn_cast<CXXMethodDecl>(U.Context);
    return U.A->BeforeHandOff && M && !M->isStatic() &&
           !M->getParent()->isLambda() && !mentions(M->getBody(), Guard) &&
           !mentions(U.A->Fn->getBody(), Guard) && bodyHandsOff(U.Context) &&
           !constructorHandsOff(M->getParent());
  }

  /// The context of \p U when it is a member function (not a constructor,
  /// destructor, static member or lambda) whose own code does not take
  /// \p Guard, and neither does the accessing function's: the tear-down
  /// rules' functions.
  static const CXXMethodDecl *unlockedMember(const Use &U,
                                             const ValueDecl *Guard) {
    const auto *M = dyn_cast<CXXMethodDecl>(U.Context);
    if (!M || M->isStatic() || M->getParent()->isLambda() ||
        isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
        mentions(M->getBody(), Guard) || mentions(U.A->Fn->getBody(), Guard))
      return nullptr;
    return M;
  }

  /// True if use \p U is made in a reinitialisation of its object: its
  /// context, a member function (not a constructor or destructor), re-creates
  /// one of the object's own mutexes — assigns, swaps, resizes or clears a
  /// member holding mutexes by value (isMutexStorage()), or swaps one with
  /// another object. Destroying a mutex another thread may hold is undefined,
  /// so nothing else uses the object meanwhile (hnswlib's loadIndex():
  /// `std::vector<std::mutex>(n).swap(link_list_locks_);`, then the label
  /// map filled without its lock).
  bool reinitialises(const Use &U) {
    const auto *M = dyn_cast<CXXMethodDecl>(U.Context);
    if (!M || M->isStatic() || M->getParent()->isLambda() ||
        isa<CXXConstructorDecl, CXXDestructorDecl>(M) || !M->getBody())
      return false;
    auto [It, New] = Reinitialises.try_emplace(M, false);
    if (!New)
      return It->second;
    const LockRecognizer &Locks = Flow.locks();
    auto OwnStorage = [&](const Expr *E) {
      std::optional<ObjectPath> P = objectPathOf(E);
      return P && P->Kind == RootKind::This && P->Fields.size() == 1 &&
             !P->Element && Locks.isMutexStorage(P->Fields.front()->getType());
    };
    bool Found = !walkOutsideLambdas(
        M->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
            return !(Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
                     OwnStorage(Op->getArg(0)));
          const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
          const CXXMethodDecl *Callee = MC ? MC->getMethodDecl() : nullptr;
          if (!Callee || !Callee->getIdentifier() ||
              !isStructuralWriteMethod(Callee->getName()))
            return true;
          if (OwnStorage(MC->getImplicitObjectArgument()))
            return false;
          return !(Callee->getName() == "swap" && MC->getNumArgs() == 1 &&
                   OwnStorage(MC->getArg(0)));
        });
    Reinitialises[M] = Found;
    return Found;
  }
  llvm::DenseMap<const FunctionDecl *, bool> Reinitialises;

  /// True if use \p U is its object's tear-down: its context, a member
  /// function the class's destructor calls on the object, makes it after
  /// joining, on every path, the object's own worker thread (a thread
  /// member only constructors start), and neither the context's code nor
  /// the accessing function's takes \p Guard. The worker that shared the
  /// object has ended and does not start again (quantum's `IoQueue::
  /// terminate()`: `_thread->join(); _queue.clear();`).
  bool tearDown(const Use &U, const ValueDecl *Guard) {
    const CXXMethodDecl *M = unlockedMember(U, Guard);
    if (!M)
      return false;
    const CXXDestructorDecl *D = destructorOf(M->getParent());
    const FunctionDecl *DDef = D ? definitionOf(D) : nullptr;
    bool Called =
        DDef && DDef->getBody() &&
        !walkOutsideLambdas(
            DDef->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
              const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
              return !(MC && definitionOf(MC->getMethodDecl()) == U.Context &&
                       isa<CXXThisExpr>(
                           skipImplicit(MC->getImplicitObjectArgument())));
            });
    if (!Called)
      return false;
    const llvm::DenseSet<const Stmt *> &Before = beforeWorkerJoined(M);

    return !Before.empty() && !Before.contains(U.A->Anchor);
  }

  /// True if use \p U is its object's worker's shut-down clean-up: its
  /// context is the entry of a thread a constructor of its class starts on
  /// `this` (the member function itself, or a lambda that only calls it),
  /// the class keeps a worker member only constructors store
  /// (constructorWorker()), and the access is made after a loop of the
  /// entry's outermost block that leaves only when a flag member holds its
  /// stop value (stopFlagLoop()); neither the entry's code nor the
  /// accessing function's takes \p Guard. The loop ends only after a
  /// member that stops the worker stored that value, and that member joins
  /// the worker after it: the clean-up runs while it waits in the join, as
  /// a tear-down after the join would (quantum's `TaskQueue::run()`
  /// emptying its run queue after `while (!isInterrupted())`).
  bool workerShutdown(const Use &U, const ValueDecl *Guard) {
    const CXXMethodDecl *M = unlockedMember(U, Guard);
    if (!M)
      return false;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(M->getBody());
    const FlowGraph *G = Flow.graph(M);
    const Stmt *Loop = G && Body ? shutdownLoop(M) : nullptr;
    if (!Loop)
      return false;
    // The statement of the outermost block that holds the access.
    const Stmt *Top = U.A->Anchor;
    for (unsigned Depth = 0; Top && Depth != 64; ++Depth) {
      const Stmt *P = G->parent(Top);
      if (P == Body)
        break;
      Top = P;
    }
    if (!Top || G->parent(Top) != Body || Top == Loop)
      return false;
    for (const Stmt *St : Body->body()) {
      if (St == Top)
        return false;
      if (St == Loop)
        return true;
    }
    return false;
  }

  /// The first statement of \p M's outermost block that is its worker's
  /// stop loop (stopFlagLoop()), when M is the entry of a worker its
  /// constructor starts (constructorEntry()); null if none.
  const Stmt *shutdownLoop(const CXXMethodDecl *M) {
    auto [It, New] = ShutdownLoops.try_emplace(M, nullptr);
    if (!New)
      return It->second;
    const Stmt *Found = nullptr;
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(M->getBody());
        Body && constructorEntry(M))
      for (const Stmt *St : Body->body())
        if (stopFlagLoop(M, St)) {
          Found = St;
          break;
        }
    return ShutdownLoops[M] = Found;
  }
  llvm::DenseMap<const CXXMethodDecl *, const Stmt *> ShutdownLoops;

  /// True if a constructor of \p M's class starts a thread running \p M on
  /// `this`, and the class keeps a worker member (constructorWorker()).
  bool constructorEntry(const CXXMethodDecl *M) {
    const CXXRecordDecl *RD = M->getParent();
    bool Worker = llvm::any_of(RD->fields(), [&](const FieldDecl *F) {
      return constructorWorker(RD, F);
    });
    if (!Worker)
      return false;
    const FunctionDecl *Def = definitionOf(M);
    auto Runs = [&](const FunctionDecl *Fn) {
      if (definitionOf(Fn) == Def)
        return true;
      // A lambda whose body only calls M on `this`.
      const auto *LM = dyn_cast_or_null<CXXMethodDecl>(Fn);
      const auto *B = LM && LM->getParent()->isLambda()
                          ? dyn_cast_or_null<CompoundStmt>(LM->getBody())
                          : nullptr;
      const auto *Call = B && B->size() == 1
                             ? dyn_cast<CXXMemberCallExpr>(B->body_front())
                             : nullptr;
      return Call && definitionOf(Call->getMethodDecl()) == Def &&
             isa<CXXThisExpr>(skipImplicit(Call->getImplicitObjectArgument()));
    };
    for (const CXXConstructorDecl *C : RD->ctors()) {
      const FunctionDecl *CDef = definitionOf(C);
      if (!CDef || !CDef->getBody())
        continue;
      bool Found =
          !walkOutsideLambdas(CDef, LambdaBodies::Skip, [&](const Stmt *S) {
            const auto *E = dyn_cast<Expr>(S);
            if (!E || !isa<CallExpr, CXXConstructExpr>(E) || !startsTask(E))
              return true;
            for (const TaskStart &T : Flow.taskStarts(E))
              if (T.Target && Runs(T.Target.Fn))
                return false;
            return true;
          });
      if (Found)
        return true;
    }
    return false;
  }

  /// True if \p Loop, a statement of \p M's outermost block, is a loop
  /// that leaves only by its condition (no `break`, `return`, `goto` in
  /// it), which is false only when a flag member of `this` (a `bool` or an
  /// atomic, read directly or returned by every `return` of a member
  /// function the condition calls on `this`) holds its stop value, and
  /// every store of that value outside constructors is made by a member
  /// function that then joins the object's own worker (storesThenJoins());
  /// the flag is stored nothing else, and its address is not taken.
  bool stopFlagLoop(const CXXMethodDecl *M, const Stmt *Loop) {
    const Expr *Cond = nullptr;
    const Stmt *LoopBody = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(Loop))
      Cond = W->getCond(), LoopBody = W->getBody();
    else if (const auto *D = dyn_cast<DoStmt>(Loop))
      Cond = D->getCond(), LoopBody = D->getBody();
    else if (const auto *F = dyn_cast<ForStmt>(Loop))
      Cond = F->getCond(), LoopBody = F->getBody();
    if (!Cond || !LoopBody)
      return false;
    bool Leaves =
        !walkOutsideLambdas(LoopBody, LambdaBodies::Skip, [](const Stmt *S) {
          return !isa<BreakStmt, ReturnStmt, GotoStmt, CoreturnStmt>(S);
        });
    if (Leaves)
      return false;
    bool Negated = false;
    Cond = stripNegations(Cond, Negated);
    const FieldDecl *Flag = flagRead(M->getParent(), Cond, /*Hops=*/1);
    // The loop goes on while the condition holds: it leaves when the flag
    // reads !Negated's opposite.
    return Flag && stopStoresJoin(M->getParent(), Flag, /*Stop=*/Negated);
  }

  /// The flag member of `this` that \p E reads: `flag_`, `flag_.load()`, an
  /// atomic's conversion, or a call on `this` of a member function every
  /// `return` of which returns such a read (\p Hops levels of calls).
  const FieldDecl *flagRead(const CXXRecordDecl *RD, const Expr *E,
                            unsigned Hops) {
    E = skipImplicit(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *Callee = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!Callee || !Obj)
        return nullptr;
      if (isa<CXXConversionDecl>(Callee) ||
          (Callee->getIdentifier() && Callee->getName() == "load"))
        return flagRead(RD, Obj, Hops);
      const FunctionDecl *Def = definitionOf(Callee);
      if (!Hops || Callee->isVirtual() || !Def || !Def->getBody() ||
          !isa<CXXThisExpr>(skipImplicit(Obj)))
        return nullptr;
      const FieldDecl *Found = nullptr;
      bool Ok = true;
      walkOutsideLambdas(
          Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
            const auto *R = dyn_cast<ReturnStmt>(S);
            if (!R)
              return true;
            const FieldDecl *F = R->getRetValue()
                                     ? flagRead(RD, R->getRetValue(), Hops - 1)
                                     : nullptr;
            Ok = F && (!Found || Found == F);
            Found = F;
            return Ok;
          });
      return Ok ? Found : nullptr;
    }
    const auto *ME = dyn_cast<MemberExpr>(E);
    const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!F || F->getParent() != RD ||
        !isa<CXXThisExpr>(skipImplicit(ME->getBase())))
      return nullptr;
    return F;
  }

  /// True if every store into \p Flag by a member function of \p RD other
  /// than a constructor stores the constant \p Stop and is followed, on
  /// every path, by a join of the object's own worker (joinsAfter()), and
  /// at least one does; the flag's other uses only read it.
  bool stopStoresJoin(const CXXRecordDecl *RD, const FieldDecl *Flag,
                      bool Stop) {
    auto Names = [&](const Expr *E) { return namesField(E, Flag); };
    bool Ok = true, Any = false;
    walkMemberBodies(RD, [&](const FunctionDecl *Def, const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        return true;
      const Expr *Value = nullptr;
      bool Store = false;
      if (const auto *BO = dyn_cast<BinaryOperator>(E);
          BO && BO->isAssignmentOp() && Names(BO->getLHS())) {
        Store = true;
        if (BO->getOpcode() == BO_Assign)
          Value = BO->getRHS();
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
                 OC && OC->getNumArgs() >= 1 && Names(OC->getArg(0))) {
        Store = OC->isAssignmentOp() || OC->getOperator() == OO_PlusPlus ||
                OC->getOperator() == OO_MinusMinus ||
                OC->getOperator() == OO_Amp;
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          Value = OC->getArg(1);
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
                 MC && Names(MC->getImplicitObjectArgument())) {
        const CXXMethodDecl *Callee = MC->getMethodDecl();
        llvm::StringRef Name = Callee && Callee->getIdentifier()
                                   ? Callee->getName()
                                   : llvm::StringRef();
        Store = !Callee || (!Callee->isConst() && Name != "load" &&
                            !isa<CXXConversionDecl>(Callee));
        if (Name == "store" && MC->getNumArgs() >= 1)
          Value = MC->getArg(0);
      } else if (const auto *UO = dyn_cast<UnaryOperator>(E);
                 UO && Names(UO->getSubExpr()) &&
                 (UO->isIncrementDecrementOp() ||
                  UO->getOpcode() == UO_AddrOf)) {
        Store = true;
      }
      if (!Store)
        return true;
      bool V = false;
      if (!Value || Value->isValueDependent() ||
          !Value->EvaluateAsBooleanCondition(V, Flow.astContext()) ||
          V != Stop || !joinsAfter(Def, RD, E)) {
        Ok = false;
        return false;
      }
      Any = true;
      return true;
    });
    return Ok && Any;
  }

  /// True if every path from \p Store in \p Fn reaches a join of the
  /// object's own worker (joinsOwnWorker()), or the branch on which it is
  /// not joinable (notJoinableEdge()), before the function's exit; the
  /// exceptions calls may throw are not followed.
  bool joinsAfter(const FunctionDecl *Fn, const CXXRecordDecl *RD,
                  const Expr *Store) {
    const FlowGraph *G = Flow.graph(Fn);
    return G && G->everyPathPasses(
                    Store, [&](const Stmt *S) { return joinsOwnWorker(RD, S); },
                    [&](const CFGBlock &B, unsigned Succ) {
                      return notJoinableEdge(RD, B, Succ);
                    });
  }

  // --- after a completed wait for the writer's flag ----------------------

  std::map<const FunctionDecl *, std::unique_ptr<CompletedAtomicWaits>>
      AtomicWaitsOf;
  std::map<std::tuple<const ValueDecl *, int, int64_t, const ValueDecl *,
                      const ValueDecl *>,
           bool>
      FlagsAfterWrites;

  /// True if \p U, an access of a data member of `this` without \p Guard,
  /// is made after a wait for an atomic flag completed on every path
  /// (CompletedAtomicWaits: a spin loop, a polling wait whose result is
  /// checked) — in its context before the access's anchor, or in the
  /// function holding the access before it — that the member's writers
  /// store after their write (flagAfterWrites()): the waiter has seen that
  /// store, so the write happened before the access (a test, or the test's
  /// helper, reading what the handler it waits for recorded under the
  /// lock).
  bool afterWriterFlag(const Use &U, const ValueDecl *Guard) {
    const Access &A = *U.A;
    if (A.Object.Kind != RootKind::This || A.Object.Fields.size() != 1)
      return false;
    const ValueDecl *Field = canonical(A.Object.Fields.front());
    auto After = [&](const FunctionDecl *FD, const Stmt *S) {
      std::unique_ptr<CompletedAtomicWaits> &W = AtomicWaitsOf[FD];
      if (!W) {
        const FlowGraph *G = Flow.graph(FD);
        if (!G)
          return false;
        W = std::make_unique<CompletedAtomicWaits>(Flow, *G);
      }
      return llvm::any_of(W->before(S), [&](const AtomicSpin &Wait) {
        return flagAfterWrites(Wait, Field, Guard);
      });
    };
    return After(U.Context, A.Anchor) ||
           (A.Fn != U.Context && After(A.Fn, A.Ref));
  }

  /// True if every store of the translation unit's functions (constructors
  /// and destructors aside) that ends \p Wait is a seq_cst or release store
  /// made, on every path, after a write of the member \p Field of `this`
  /// under \p Guard in the same function (`{ lock(m); set.insert(x); done
  /// = true; }`), and there is one. A flag stored before the write, or by a
  /// relaxed store, orders nothing.
  bool flagAfterWrites(const AtomicSpin &Wait, const ValueDecl *Field,
                       const ValueDecl *Guard) {
    auto Key =
        std::make_tuple(canonical(Wait.Object), static_cast<int>(Wait.Op),
                        Wait.Value, Field, Guard);
    if (auto It = FlagsAfterWrites.find(Key); It != FlagsAfterWrites.end())
      return It->second;
    const ASTContext &Ctx = Flow.astContext();
    bool Found = false, Other = false;
    for (const FunctionDecl *FD : Added) {
      if (Other)
        break;
      if (isa<CXXConstructorDecl, CXXDestructorDecl>(FD) || !FD->getBody())
        continue;
      walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        const auto *E = dyn_cast<Expr>(S);
        std::optional<AtomicStore> St = E ? atomicStore(E, Ctx) : std::nullopt;
        if (!St || canonical(St->Object) != canonical(Wait.Object) ||
            !endsWait(Wait, St->Value))
          return true;
        if (St->Releases && writesBefore(FD, S, Field, Guard))
          Found = true;
        else
          Other = true;
        return !Other;
      });
    }
    return FlagsAfterWrites[Key] = Found && !Other;
  }

  /// True if \p FD writes the member \p Field of `this` under \p Guard in a
  /// statement that precedes \p S on every path (straight-line code: an
  /// earlier statement of a block around \p S, not under a branch).
  bool writesBefore(const FunctionDecl *FD, const Stmt *S,
                    const ValueDecl *Field, const ValueDecl *Guard) {
    const FlowGraph *G = Flow.graph(FD);
    if (!G)
      return false;
    for (const Access &X : summary(FD).Accesses)
      if (X.Write && X.Object.Kind == RootKind::This &&
          X.Object.Fields.size() == 1 &&
          canonical(X.Object.Fields.front()) == Field &&
          X.Locks.holds(Guard, /*Exclusive=*/true) && precedes(X.Anchor, S, *G))
        return true;
    return false;
  }

  /// True if \p Earlier is in a statement of a block around \p Later that
  /// comes before the one holding \p Later, and no branch, loop or
  /// short-circuit operator of that statement holds \p Earlier.
  static bool precedes(const Stmt *Earlier, const Stmt *Later,
                       const FlowGraph &G) {
    auto Unconditional = [&](const Stmt *Top) {
      for (const Stmt *P = Earlier; P; P = G.parent(P)) {
        if (P == Top)
          return true;
        const Stmt *Up = G.parent(P);
        if (isa_and_nonnull<IfStmt, WhileStmt, DoStmt, ForStmt, CXXForRangeStmt,
                            SwitchStmt, ConditionalOperator,
                            BinaryConditionalOperator, CXXTryStmt,
                            CXXCatchStmt>(Up) ||
            (isa_and_nonnull<BinaryOperator>(Up) &&
             cast<BinaryOperator>(Up)->isLogicalOp()))
          return false;
      }
      return false;
    };
    const Stmt *Child = Later;
    for (const Stmt *P = G.parent(Later); P; Child = P, P = G.parent(P))
      if (const auto *CS = dyn_cast<CompoundStmt>(P))
        for (const Stmt *Sib : CS->body()) {
          if (Sib == Child)
            break;
          if (Unconditional(Sib))
            return true;
        }
    return false;
  }

  /// True if every use holds a claim of one flag (LockAnalysis.h): each is
  /// its owner's or tested the flag free under the lock, and none of them
  /// overlap; or the flag's hand-over (HeldLock::HandedOver) holds some and
  /// the others tested the flag under the mutex the hand-over was stored
  /// under and found another value.
  static bool claimedEverywhere(llvm::ArrayRef<Use> Uses) {
    if (Uses.empty())
      return false;
    for (const HeldLock &C : Uses.front().A->Locks.locks()) {
      if (!C.isClaim())
        continue;
      const HeldLock *Handed = nullptr;
      std::optional<int64_t> Free;
      bool Claimed = llvm::all_of(Uses, [&](const Use &U) {
        const HeldLock *L = U.A->Locks.find(C.Mutex);
        if (!L || !L->isClaim())
          return false;
        if (L->HandedOver) {
          if (Handed && (Handed->HandedOver != L->HandedOver ||
                         Handed->ClaimLock != L->ClaimLock))
            return false;
          Handed = L;
          return true;
        }
        if (Free && *Free != L->FreeValue)
          return false;
        Free = L->FreeValue;
        return true;
      });
      if (Claimed && Handed)
        Claimed = llvm::all_of(Uses, [&](const Use &U) {
          const HeldLock *L = U.A->Locks.find(C.Mutex);
          return L->HandedOver || (L->Claim == HeldLock::ClaimState::Tested &&
                                   L->ClaimLock == Handed->ClaimLock &&
                                   L->FreeValue != *Handed->HandedOver);
        });
      if (Claimed)
        return true;
    }
    return false;
  }

  /// True if \p Fn is the one function that writes the data member \p Flag
  /// (MemberWrites.h; constructors and destructors aside, which run before
  /// or after others share the object): a store of a constant it makes
  /// under a lock hands over what the flag guards (LockAnalysis.h).
  bool soleWriter(const ValueDecl *Flag, const FunctionDecl *Fn) {
    const auto *Field = dyn_cast<FieldDecl>(Flag);
    if (!Field || !Fn)
      return false;
    auto [It, New] = SoleWriters.try_emplace(Field, nullptr);
    if (New) {
      const FunctionDecl *Writer = nullptr;
      bool One = true;
      for (const MemberWrite &W : memberWrites(Flow, Field)) {
        if (isa<CXXConstructorDecl, CXXDestructorDecl>(W.Fn))
          continue;
        const auto *D = cast<FunctionDecl>(W.Fn->getCanonicalDecl());
        One = One && (!Writer || Writer == D);
        Writer = D;
      }
      SoleWriters[Field] = One ? Writer : nullptr;
      It = SoleWriters.find(Field);
    }
    return It->second && It->second == Fn->getCanonicalDecl();
  }
  llvm::DenseMap<const FieldDecl *, const FunctionDecl *> SoleWriters;

  /// The one-shot block (oneShotBlock()) that holds the access to \p Ref
  /// made at \p Anchor of \p Fn, in \p Fn or, when \p Anchor is a call, in
  /// the callee on the way to \p Ref (at most MaxSummaryDepth calls deep):
  /// libzmq's `terminate()` calls `create_socket()`, whose block fills.
  /// \p Where: the function that holds the block.
  std::optional<OneShot> oneShotOn(const FunctionDecl *Fn, const Stmt *Anchor,
                                   const Expr *Ref, const FunctionDecl *&Where,
                                   unsigned Depth = 0) {
    if (!Fn->getBody())
      return std::nullopt;
    if (std::optional<OneShot> B =
            oneShotBlock(Fn->getBody(), Anchor, Flow.astContext())) {
      Where = Fn;
      return B;
    }
    const auto *Call = dyn_cast<CallExpr>(Anchor);
    const FunctionDecl *Callee =
        Call ? definitionOf(Call->getDirectCallee()) : nullptr;
    if (!Callee || Callee == Fn || Depth >= MaxSummaryDepth)
      return std::nullopt;
    for (const Access &B : summary(Callee).Accesses)
      if (B.Ref == Ref)
        return oneShotOn(Callee, B.Anchor, Ref, Where, Depth + 1);
    return std::nullopt;
  }

  /// True if every write of \p Uses, a member's, is made in a one-shot
  /// block (oneShotOn()) of its context or of a callee on the way that tests
  /// and clears its flag under \p Guard, held exclusively at the write too,
  /// and no function of the translation unit sets the flag back
  /// (onlyCleared()): the member is filled once, under the lock, and
  /// read-only after. \p Fillers: the contexts of the writes, the functions
  /// that hold the blocks and those that make them; \p Blocks: the blocks,
  /// with the functions that hold them.
  bool filledOnce(
      llvm::ArrayRef<Use> Uses, const ValueDecl *Guard,
      llvm::SmallPtrSetImpl<const FunctionDecl *> &Fillers,
      llvm::SmallVectorImpl<std::pair<const FunctionDecl *, OneShot>> &Blocks) {
    const ASTContext &Ctx = Flow.astContext();
    std::optional<OneShot> Block;
    for (const Use &U : Uses) {
      if (!U.A->Write)
        continue;
      const FunctionDecl *Where = nullptr;
      std::optional<OneShot> B =
          U.A->Locks.holds(Guard, /*Exclusive=*/true)
              ? oneShotOn(U.Context, U.A->Anchor, U.A->Ref, Where)
              : std::nullopt;
      // The flag of a class template's instantiation and of its pattern
      // are one (canonical()).
      if (!B || (Block && (canonical(B->Flag) != canonical(Block->Flag) ||
                           B->Open != Block->Open)))
        return false;
      // The test holds the lock: two threads cannot both pass it.
      bool Locked = false;
      LSA.run(Where, LockSet(), [&](const Stmt *St, const LockSet &Held) {
        if (St == B->Read)
          Locked = canonicalLocks(Held).holds(Guard, /*Exclusive=*/true);
      });
      if (!Locked)
        return false;
      Block = B;
      Fillers.insert(U.Context);
      Fillers.insert(Where);
      Fillers.insert(U.A->Fn);
      Blocks.emplace_back(Where, *B);
    }
    return Block &&
           onlyCleared(Block->Flag, Block->Open, Added.getArrayRef(), Ctx);
  }

  /// The pointer member of \p Class through which \p A reaches a container
  /// member of another object (`this->state->q`: `state`, a raw pointer or a
  /// class with `operator->`, a std::shared_ptr), or null.
  static const FieldDecl *pointerMember(const Access &A,
                                        const CXXRecordDecl *Class) {
    if (A.Object.Kind != RootKind::This || A.Object.Fields.size() != 2 ||
        A.Object.Element)
      return nullptr;
    const FieldDecl *Ptr = A.Object.Fields.front();
    if (!isSameOrDerived(Class, Ptr->getParent()))
      return nullptr;
    QualType T = Ptr->getType();
    if (T->isPointerType())
      return Ptr;
    return hasArrow(recordOf(T)) ? Ptr : nullptr;
  }

  /// True if \p RD or a class it derives from declares `operator->`.
  static bool hasArrow(const CXXRecordDecl *RD, unsigned Depth = 0) {
    if (!RD || !RD->hasDefinition() || Depth > 4)
      return false;
    RD = RD->getDefinition();
    for (const Decl *D : RD->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        FD = FT->getTemplatedDecl();
      if (FD && FD->getOverloadedOperator() == OO_Arrow)
        return true;
    }
    return llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
      return hasArrow(recordOf(B.getType()), Depth + 1);
    });
  }

  /// The lock \p A holds on \p Mutex, when \p Ptr is set only as a member
  /// of the object \p Ptr points to (`this->state->lock`, the function's
  /// own naming: a lock a callee took through a path of its own is not
  /// known to be that object's).
  static const HeldLock *heldOn(const Access &A, const ValueDecl *Mutex,
                                const ValueDecl *Ptr) {
    const HeldLock *L = A.Locks.find(Mutex);
    if (!L || !Ptr)
      return L;
    if (!L->Path || L->Path->Kind != RootKind::This ||
        L->Path->Fields.size() != 2 ||
        canonical(L->Path->Fields.front()) != Ptr)
      return nullptr;
    return L;
  }

  /// True if \p A, made in \p Fn itself, comes after a statement of
  /// \p Fn's outermost block that points \p Ptr, a pointer member of
  /// `this`, at an object it allocates (`state_ =
  /// std::make_shared<State>();`): the accesses through it that follow are
  /// the new object's set-up, which no other thread reached through the
  /// pointer it held before. Straight-line code only.
  static bool afterFreshPointer(const FunctionDecl *Fn, const Access &A,
                                const ValueDecl *Ptr) {
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody());
    if (!Ptr || A.Fn != Fn || !Body)
      return false;
    auto Repoints = [&](const Stmt *St) {
      const Expr *LHS = nullptr, *Value = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(St);
          BO && BO->getOpcode() == BO_Assign) {
        LHS = BO->getLHS();
        Value = BO->getRHS();
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
                 OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        LHS = OC->getArg(0);
        Value = OC->getArg(1);
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St);
                 MC && MC->getMethodDecl() &&
                 MC->getMethodDecl()->getIdentifier() &&
                 MC->getMethodDecl()->getName() == "reset" &&
                 MC->getNumArgs() == 1) {
        LHS = MC->getImplicitObjectArgument();
        Value = MC->getArg(0);
      }
      const auto *ME = LHS ? dyn_cast<MemberExpr>(skipImplicit(LHS)) : nullptr;
      return ME && isa<CXXThisExpr>(skipImplicit(ME->getBase())) &&
             canonical(ME->getMemberDecl()) == Ptr && freshAllocation(Value);
    };
    bool Fresh = false;
    for (const Stmt *St : Body->body()) {
      bool Here = !walkOutsideLambdas(
          St, LambdaBodies::Skip, [&](const Stmt *N) { return N != A.Ref; });
      if (Here)
        return Fresh;
      if (const auto *E = dyn_cast<Expr>(St); E && Repoints(skipImplicit(E)))
        Fresh = true;
    }
    return false;
  }

  /// True if \p Ref is the value a return statement of \p Fn returns, by
  /// copy or by reference (`return path_;` in a getter, in any branch). A
  /// reference getter's value is read where its caller uses it: that use,
  /// the call (ContainerRecognizer::getterCall()), is the getter's read.
  static bool returnedBy(const Expr *Ref, const FunctionDecl *Fn) {
    if (!Ref || !Fn || !Fn->getBody())
      return false;
    const Expr *Target = skipImplicit(Ref);
    return !walkOutsideLambdas(
        Fn->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *R = dyn_cast<ReturnStmt>(S);
          const Expr *V = R ? R->getRetValue() : nullptr;
          return !V || skipImplicit(skipMovesAndCopies(V)) != Target;
        });
  }

  /// True if every write of \p Uses (one member's accesses) replaces the
  /// member whole: it is the left operand of an assignment (`path_ =
  /// value;`), not changed in place (`+=`, `push_back`, `erase`, handed to
  /// a function that fills it). Such a member is a configuration value.
  static bool configurationValue(llvm::ArrayRef<Use> Uses) {
    bool Written = false;
    for (const Use &U : Uses) {
      if (!U.A->Write)
        continue;
      Written = true;
      const Expr *Target = skipImplicit(U.A->Ref);
      const Stmt *Body = U.A->Fn ? U.A->Fn->getBody() : nullptr;
      bool Assigned =
          Body &&
          !walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
            std::optional<AssignmentOperands> A = assignmentOperands(S);
            return !A || skipImplicit(A->Target) != Target;
          });
      if (!Assigned)
        return false;
    }
    return Written;
  }

  /// True if \p Mutex is held at \p U only because the callers of its
  /// context hold it while they set up an object they have just made
  /// (freshThis()): neither the context's code nor the accessing function's
  /// takes it, nor a callee. That object is not shared yet; the lock is held
  /// for something else (a static registry's lock around the building of
  /// the list it returns).
  bool heldForFreshObject(const Use &U, const ValueDecl *Mutex) {
    return !llvm::is_contained(U.A->CalleeLocks, Mutex) &&
           !mentions(U.Context->getBody(), Mutex) &&
           !mentions(U.A->Fn->getBody(), Mutex) && freshThis(U.Context);
  }

  /// True if \p R (or a base) has a data member of a do-nothing mutex type
  /// (LockRecognizer::isInertMutex()).
  bool declaresUnshared(const RecordDecl *R) {
    const auto *RD = dyn_cast_or_null<CXXRecordDecl>(R);
    if (!RD || !RD->hasDefinition())
      return false;
    auto [It, New] = UnsharedRecords.try_emplace(RD, false);
    if (!New)
      return It->second;
    bool Result = llvm::any_of(RD->fields(),
                               [&](const FieldDecl *F) {
                                 return Flow.locks().isInertMutex(F->getType());
                               }) ||
                  llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
                    return declaresUnshared(recordOf(B.getType()));
                  });
    UnsharedRecords[RD] = Result;
    return Result;
  }
  llvm::DenseMap<const CXXRecordDecl *, bool> UnsharedRecords;

  /// True if \p L is held by every caller of the context, on an object
  /// the callers hand it through a parameter (`collect()` holding the
  /// visited family's mutex while it calls the visitor's `operator()(const
  /// Family *f, ...)`): the lock guards the callers' object, not the
  /// members of the context's own.
  static bool heldOnArgument(const HeldLock &L) {
    return !L.Site && L.Path && L.Path->Kind == RootKind::Param;
  }

  void memberRule(llvm::ArrayRef<const FunctionDecl *> Contexts) {
    // By container member: a direct one (no pointer member), or one of the
    // object a pointer member points to (the pointer member, the container
    // member of the pointee).
    using Key = std::pair<const ValueDecl *, const ValueDecl *>;
    llvm::MapVector<Key, llvm::SmallVector<Use, 8>> ByField;
    for (const FunctionDecl *C : Contexts) {
      const FunctionDecl *Outer = outerFunction(C);
      const auto *OuterM = dyn_cast_or_null<CXXMethodDecl>(Outer);
      if (!OuterM || isa<CXXConstructorDecl, CXXDestructorDecl>(C))
        continue;
      // Assigning a whole object another thread uses races whatever its
      // members do: no discipline of a member to check there.
      if (!Options.ReportWholeObjectAssignment &&
          isWholeObjectAssignment(Outer))
        continue;
      for (const Access &A : contextAccesses(C)) {
        if (A.Object.Kind != RootKind::This || A.FailurePath)
          continue;
        // The container of an object that locks a do-nothing mutex (a
        // template instantiated with a null-mutex policy) is declared
        // unshared: no discipline to keep, whatever other instantiations do.
        if (!A.Object.Fields.empty() &&
            declaresUnshared(A.Object.Fields.back()->getParent()))
          continue;
        if (const FieldDecl *Ptr = pointerMember(A, OuterM->getParent())) {
          ByField[{canonical(Ptr), canonical(A.Object.Fields.back())}]
              .push_back({&A, C});
          continue;
        }
        if (A.Object.Fields.size() != 1)
          continue;
        const FieldDecl *Field = A.Object.Fields.front();
        if (!isSameOrDerived(OuterM->getParent(), Field->getParent()))
          continue;
        ByField[{nullptr, canonical(Field)}].push_back({&A, C});
      }
    }
    const LockRecognizer &Locks = Flow.locks();
    // The members each mutex is held at a write of, exclusively.
    llvm::DenseMap<const ValueDecl *, llvm::SmallPtrSet<const ValueDecl *, 4>>
        WrittenUnder;
    for (const auto &[K, Uses] : ByField)
      for (const Use &U : Uses)
        if (U.A->Write)
          for (const HeldLock &L : U.A->Locks.locks())
            if (!L.isClaim() && L.Mode == LockMode::Exclusive)
              WrittenUnder[L.Mutex].insert(K.second);
    for (const auto &[K, Uses] : ByField) {
      const auto [Ptr, Field] = K;
      if (llvm::none_of(Uses, [](const Use &U) { return U.A->Write; }))
        continue; // read-only sharing
      if (claimedEverywhere(Uses))
        continue;
      const RecordDecl *Owner = cast<FieldDecl>(Field)->getParent();
      llvm::ArrayRef<Use> All = Uses; // for lambdas (not a binding)
      // Through a pointer member, only a mutex member of the same pointee,
      // named through the same pointer member, guards the container.
      auto Guards = [&, Ptr = Ptr](const Use &U, const HeldLock &L) {
        if (!Ptr)
          return true;
        const auto *MF = dyn_cast<FieldDecl>(L.Mutex);
        return MF &&
               isSameOrDerived(dyn_cast<CXXRecordDecl>(Owner),
                               MF->getParent()) &&
               heldOn(*U.A, L.Mutex, Ptr);
      };
      // What makes an access without \p Mutex no sign that the member is
      // used without it: the object's set-up or tear-down, a test that only
      // decides whether to lock, a guard the function is handed, ...
      auto Excused = [&, Ptr = Ptr](const Use &U, const ValueDecl *Mutex) {
        return takesGuard(U.A->Fn, Locks) || takesGuard(U.Context, Locks) ||
               LockingDecisions.contains(U.A->Ref) ||
               beforeThreadStart(U.Context, *U.A) || setUp(U, Mutex) ||
               tearDown(U, Mutex) || workerShutdown(U, Mutex) ||
               reinitialises(U) || afterFreshPointer(U.Context, *U.A, Ptr) ||
               calledAfterWaits(U.Context) || afterWriterFlag(U, Mutex);
      };
      // A statement reached both with and without \p Mutex (a helper one
      // caller calls under it and another without) does what it does
      // regardless of it: its accesses under the mutex are no evidence.
      auto Incidental = [&, Ptr = Ptr](const Use &U, const ValueDecl *Mutex) {
        return llvm::any_of(All, [&](const Use &V) {
          return V.A->Ref == U.A->Ref && !heldOn(*V.A, Mutex, Ptr) &&
                 !Excused(V, Mutex);
        });
      };
      // A function whose own code touches the member outside a region of a
      // mutex that guards another member (held at that member's writes),
      // and inside it too: the region may be the other member's alone.
      auto MixedUnder = [&, Ptr = Ptr, Field = Field](const Use &U,
                                                      const ValueDecl *Mutex) {
        auto W = WrittenUnder.find(Mutex);
        if (W == WrittenUnder.end() ||
            llvm::none_of(W->second,
                          [&](const ValueDecl *F) { return F != Field; }))
          return false;
        // A statement that also names a member the mutex guards (`swap(
        // fill_, drain_)`) hands data between the two under it: the member
        // is part of the lock's discipline there.
        const FlowGraph *G = Flow.graph(U.A->Fn);
        if (!G)
          return false;
        const Stmt *Full = U.A->Ref;
        while (const Stmt *P = G->parents().getParent(Full)) {
          if (!isa<Expr>(P))
            break;
          Full = P;
        }
        llvm::SmallVector<const Stmt *, 16> Work{Full};
        while (!Work.empty()) {
          const Stmt *S = Work.pop_back_val();
          if (!S)
            continue;
          if (const auto *ME = dyn_cast<MemberExpr>(S)) {
            const ValueDecl *F = canonical(ME->getMemberDecl());
            if (F != Field && W->second.contains(F))
              return false;
          }
          llvm::append_range(Work, S->children());
        }
        return llvm::any_of(All, [&](const Use &V) {
          return V.A->Fn == U.A->Fn && !heldOn(*V.A, Mutex, Ptr) &&
                 !Excused(V, Mutex) && llvm::none_of(All, [&](const Use &X) {
                   return X.A->Ref == V.A->Ref && heldOn(*X.A, Mutex, Ptr);
                 });
        });
      };
      auto Evidence = [&](const Use &U, const ValueDecl *Mutex) {
        return evidence(*U.A, Mutex, Owner) && !heldForFreshObject(U, Mutex) &&
               !Incidental(U, Mutex);
      };
      llvm::MapVector<const ValueDecl *, unsigned> Count;
      for (const Use &U : Uses)
        for (const HeldLock &L : U.A->Locks.locks())
          if (!L.isClaim() && canGuard(L.Mutex) && Guards(U, L) &&
              !heldOnArgument(L) && Evidence(U, L.Mutex))
            ++Count[L.Mutex];
      const ValueDecl *Guard = nullptr;
      unsigned Best = 0;
      for (const auto &[M, N] : Count)
        if (N > Best) {
          Guard = M;
          Best = N;
        }
      if (!Guard)
        continue; // no locking discipline to check against
      auto Protected = [&](const Use &U) {
        return U.A->Locks.holds(Guard, /*Exclusive=*/U.A->Write);
      };
      // Evidence of a discipline: at least as many of the functions that
      // access the member hold the mutex as do not. A member mostly used
      // without it is confined to one thread (a worker's private queue
      // swapped with a shared one under the lock), not guarded. An
      // unguarded access counts once, for the function it is written in:
      // the callers of a public accessor (`empty()` calling `size()`) are
      // not more places that skip the lock.
      llvm::SmallPtrSet<const FunctionDecl *, 8> LockedFns, UnlockedFns;
      // The functions whose accesses hold it on every path (helpers
      // included, whoever took it).
      llvm::SmallPtrSet<const FunctionDecl *, 8> LockedAt;
      bool Unguarded = false;
      for (const Use &U : Uses) {
        if (heldOn(*U.A, Guard, Ptr) && Evidence(U, Guard))
          LockedFns.insert(U.Context);
        if (heldOn(*U.A, Guard, Ptr) && !Incidental(U, Guard))
          LockedAt.insert(U.A->Fn);
        // An unlocked emptiness test that only decides whether to take the
        // lock, or a status query (lockingDecisions(), not reported by
        // default), is no sign that the member is confined to one thread.
        if (Protected(U) || Excused(U, Guard))
          continue;
        Unguarded = true;
        // Nor is a statement also reached under the lock: it counts on
        // neither side.
        if (llvm::none_of(All, [&, Ptr = Ptr](const Use &V) {
              return V.A->Ref == U.A->Ref && heldOn(*V.A, Guard, Ptr);
            }))
          UnlockedFns.insert(U.A->Fn);
      }
      if (!Unguarded || LockedFns.size() < UnlockedFns.size())
        continue;
      // Another object's mutex (a member sub-object's, `db_.mutex`) held at
      // the member's accesses of one function, in a context that also uses
      // that object otherwise, is held for that object's use there (the
      // database's, around which the function also records what it
      // deleted); held at the accesses of two functions, it is a discipline.
      if (LockedAt.size() < 2 && otherObjectsMutex(Guard, Owner) &&
          llvm::any_of(Uses, [&](const Use &U) {
            return LockedAt.contains(U.A->Fn) &&
                   usesLockedObject(U.Context, U.A->Locks.find(Guard));
          }))
        continue;
      // Evidence made only of size and emptiness tests under a lock that
      // guards another member (held at its writes), and of accesses in
      // functions that also touch the member outside that lock, is no
      // discipline: a member the rest of the code changes without the lock,
      // counted or logged inside the other member's locked region, or
      // touched inside it by a function that shows, outside it, that the
      // member needs no lock (CAF's coordinator erasing from its owner-only
      // timer list inside the wait for its action queue, and counting it
      // with the queue). Readers that take the lock to look into it are one
      // (a writer that forgot the lock), and so is a lock that guards
      // nothing else (a condition variable's wait for the container not to
      // be empty).
      // (Accesses of functions that also touch it outside the lock only when
      // another function touches it without the lock and never with it: a
      // function that alone touches it, inside and outside the lock, may be
      // the one that forgot it, two of its runs racing.)
      bool UnlockedOnly = llvm::any_of(Uses, [&, Ptr = Ptr](const Use &U) {
        return !heldOn(*U.A, Guard, Ptr) && !Excused(U, Guard) &&
               llvm::none_of(All, [&](const Use &V) {
                 return V.A->Fn == U.A->Fn && heldOn(*V.A, Guard, Ptr);
               });
      });
      if (llvm::any_of(
              WrittenUnder.lookup(Guard),
              [&, Field = Field](const ValueDecl *F) { return F != Field; }) &&
          llvm::all_of(Uses, [&, Ptr = Ptr](const Use &U) {
            return !heldOn(*U.A, Guard, Ptr) || !Evidence(U, Guard) ||
                   sizeTest(*U.A) || (UnlockedOnly && MixedUnder(U, Guard));
          }))
        continue;
      // Filled once under the lock, read-only after: the functions that
      // fill it (and may read it before another thread's fill ends) are
      // still judged, the others' reads are not.
      llvm::SmallPtrSet<const FunctionDecl *, 2> Fillers;
      llvm::SmallVector<std::pair<const FunctionDecl *, OneShot>, 2> Blocks;
      bool Once = !Options.ReportReadsAfterOnceInit &&
                  filledOnce(Uses, Guard, Fillers, Blocks);
      // A filling function's read made after its block's test, which
      // holds the lock: this thread filled, or saw another's fill complete.
      auto AfterFill = [&](const Use &U) {
        return llvm::any_of(Blocks, [&](const auto &FB) {
          const auto &[Fn, B] = FB;
          return Fn == U.Context && !B.InLoop &&
                 SM.isBeforeInTranslationUnit(B.Test->getEndLoc(),
                                              U.A->Anchor->getBeginLoc());
        });
      };
      for (const Use &U : Uses) {
        if (Protected(U) || warned(U.A->Ref) || Excused(U, Guard))
          continue;
        if (Once && !U.A->Write &&
            ((!Fillers.contains(U.Context) && !Fillers.contains(U.A->Fn)) ||
             AfterFill(U)))
          continue;
        if (!Options.ReportConfigurationReads && !U.A->Write &&
            (returnedBy(U.A->Ref, U.A->Fn) ||
             Containers.getterCall(U.A->Ref)) &&
            configurationValue(Uses))
          continue;
        // The access the warning is set against, first in source order: a
        // guarded write if any (every access conflicts with a write), else a
        // guarded read (only for writes); not one held only by the mode of a
        // flag's arm.
        const Access *Other = nullptr;
        for (const Use &V : Uses) {
          if (!heldOn(*V.A, Guard, Ptr) || (!V.A->Write && !U.A->Write))
            continue;
          if (const HeldLock *L = V.A->Locks.find(Guard); L && L->ModeArm)
            continue;
          if (Incidental(V, Guard))
            continue; // the statement is also reached without the lock
          if (!Other || (V.A->Write && !Other->Write) ||
              (V.A->Write == Other->Write &&
               SM.isBeforeInTranslationUnit(V.A->Ref->getBeginLoc(),
                                            Other->Ref->getBeginLoc())))
            Other = V.A;
        }
        if (!Other)
          continue;
        Warned.insert(U.A->Ref->getBeginLoc().getRawEncoding());
        ContainerRace R;
        R.K = ContainerRace::Unguarded;
        R.Ref = U.A->Ref;
        R.Fn = U.A->Fn;
        R.Container = Field;
        R.Write = U.A->Write;
        R.Lock = Guard;
        R.OtherLoc = Other->Ref->getBeginLoc();
        R.OtherWrite = Other->Write;
        R.FixSafe = fixSafe(*U.A, Guard);
        unknownLockAt(*U.A, R);
        Out.push_back(R);
      }
    }
  }

  // --- thread rule ---------------------------------------------------------

  const SyncOrder &order(const FunctionDecl *FD) {
    std::unique_ptr<SyncOrder> &O = Orders[FD];
    if (!O)
      O = std::make_unique<SyncOrder>(Flow, *Flow.graph(FD));
    return *O;
  }

  /// One thread's view of an access: the access, the thread, and how to
  /// name its synchronization objects in the starting function.
  struct ThreadAccess {
    Access A;
    int Task; ///< -1: the starting function
  };

  struct Task {
    TaskStart Start;
    const FunctionDecl *Body = nullptr;
    std::vector<ThreadAccess> Accesses;
    std::optional<ObjectPath> Serial; ///< a strand it is posted to
    bool Driven = false; ///< posted to an executor the spawner runs
    /// Posted to an io_context that one thread alone runs (or to a strand
    /// or I/O object on one): the io_context.
    std::optional<ObjectPath> OneThread;
    /// The data member of the spawner's object holding the task's thread,
    /// for a task run on that object (threadHolderOf()): the object's owner
    /// thread for a current-thread test reading the member.
    std::optional<ObjectPath> Owner;
    /// OneThread is the io_context the spawner itself is a handler of.
    bool OnSpawnersThread = false;
    std::optional<ObjectPath> End;
  };

  /// \p Objects of task \p T's body, named by the starting function.
  static void addNamedBySpawner(SyncObjects &Out,
                                llvm::ArrayRef<ObjectPath> Objects,
                                const Task &T) {
    for (const ObjectPath &P : Objects)
      if (std::optional<ObjectPath> Q = mapTaskSlot(T.Start, P))
        Out.push_back(*Q);
  }

  /// The synchronization objects, named by the starting function, that the
  /// thread of \p X signals after its access, and waits on before it.
  SyncObjects signalledAfter(const ThreadAccess &X, llvm::ArrayRef<Task> Tasks,
                             const FunctionDecl *Spawner) {
    SyncObjects Out;
    if (X.Task < 0) {
      llvm::append_range(Out, order(Spawner).signalledAfter(X.A.Anchor));
      return Out;
    }
    const Task &T = Tasks[X.Task];
    addNamedBySpawner(Out, order(T.Body).signalledAfter(X.A.Anchor), T);
    if (T.End)
      Out.push_back(*T.End);
    return Out;
  }

  SyncObjects waitedBefore(const ThreadAccess &X, llvm::ArrayRef<Task> Tasks,
                           const FunctionDecl *Spawner) {
    SyncObjects Out;
    if (X.Task < 0) {
      llvm::append_range(Out, order(Spawner).waitedBefore(X.A.Anchor));
      return Out;
    }
    const Task &T = Tasks[X.Task];
    addNamedBySpawner(Out, order(T.Body).waitedBefore(X.A.Anchor), T);
    // Everything a task does comes after what its start waited for.
    llvm::append_range(Out, order(Spawner).waitedBefore(T.Start.Site));
    return Out;
  }

  /// The relays (Ordering.h) of the spawner and of every task it starts,
  /// named by the spawner; Chain is false when a task's body is unknown (it
  /// might signal anything).
  struct Relays {
    std::vector<SyncOrder::Relay> All;
    /// The objects some task signals.
    SyncObjects ByTasks;
    bool Chain = true;
  };

  Relays relaysOf(llvm::ArrayRef<Task> Tasks, const FunctionDecl *Spawner) {
    Relays R;
    llvm::append_range(R.All, order(Spawner).relays());
    for (const Task &T : Tasks) {
      const FunctionDecl *Body = definitionOf(T.Start.Target.Fn);
      if (!Body || inSystemHeader(Body)) {
        R.Chain = false;
        continue;
      }
      for (const SyncOrder::Relay &In : order(Body).relays()) {
        std::optional<ObjectPath> S = mapTaskSlot(T.Start, In.Signalled);
        if (!S)
          continue;
        SyncOrder::Relay Out{*S, {}};
        addNamedBySpawner(Out.WaitedBefore, In.WaitedBefore, T);
        insertPath(R.ByTasks, eventObject(*S));
        R.All.push_back(std::move(Out));
      }
    }
    return R;
  }

  /// True if the thread of \p X makes its access before the thread of \p Y
  /// makes its own: Y waited (itself, or through the tasks that pass a
  /// signal on from one to the next) on what X's thread signals after X; or
  /// X is the spawner's, made before it first signals an object of its own
  /// that only it signals and that Y waited on that way.
  bool before(const ThreadAccess &X, const ThreadAccess &Y,
              llvm::ArrayRef<Task> Tasks, const FunctionDecl *Spawner,
              const Relays &R) {
    SyncObjects Waited = waitedBefore(Y, Tasks, Spawner);
    if (R.Chain)
      Waited = waitClosure(Waited, R.All);
    if (meets(signalledAfter(X, Tasks, Spawner), Waited))
      return true;
    if (X.Task >= 0 || !R.Chain)
      return false;
    llvm::ArrayRef<ObjectPath> Early =
        order(Spawner).maySignalledBefore(X.A.Anchor);
    for (const ObjectPath &W : Waited) {
      const auto *V = dyn_cast_or_null<VarDecl>(W.Root);
      if (W.Kind != RootKind::Local || !V || V->getDeclContext() != Spawner ||
          llvm::is_contained(R.ByTasks, W) ||
          llvm::any_of(
              Early, [&](const ObjectPath &P) { return eventObject(P) == W; }))
        continue;
      if (llvm::any_of(R.All, [&](const SyncOrder::Relay &Rel) {
            return eventObject(Rel.Signalled) == W;
          }))
        return true;
    }
    return false;
  }

  bool ordered(const ThreadAccess &X, const ThreadAccess &Y,
               llvm::ArrayRef<Task> Tasks, const FunctionDecl *Spawner) {
    Relays R = relaysOf(Tasks, Spawner);
    return before(X, Y, Tasks, Spawner, R) || before(Y, X, Tasks, Spawner, R);
  }

  /// True if a local variable of \p Spawner that roots \p P is declared in
  /// the loop that starts \p T again: each run has its own.
  static bool perIteration(const ObjectPath &P, const Task &T,
                           const FlowGraph &G) {
    const auto *V = dyn_cast_or_null<VarDecl>(P.Root);
    if (P.Kind != RootKind::Local || !V)
      return false;
    for (const Stmt *S = G.parent(T.Start.Site); S; S = G.parent(S))
      if (repeats(S, G.context()))
        return sourceContains(V->getASTContext().getSourceManager(),
                              S->getSourceRange(), V->getSourceRange());
    return false;
  }

  /// True if the variable \p V of \p Loop's iteration (declared in it)
  /// holds a value that differs in each iteration: \p Loop's counter or
  /// iterator (declared in a `for`'s initialisation and stepped by its
  /// increment), the variable of a range-for over a container with unique
  /// keys, or a variable of the body initialised from one of those (also
  /// through members: `auto &root = it.second;` then `root.id`).
  static bool variesPerIteration(const Expr *E, const Stmt *Loop,
                                 unsigned Depth = 0) {
    for (; E && Depth != 8; ++Depth) {
      E = skipImplicit(E);
      if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        E = ME->getBase();
        continue;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
          OC && OC->getNumArgs() == 1 &&
          (OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow)) {
        E = OC->getArg(0);
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_Deref) {
        E = UO->getSubExpr();
        continue;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(E);
      const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!V)
        return false;
      if (const auto *For = dyn_cast<ForStmt>(Loop);
          For && For->getInc() && declares(For->getInit(), V) &&
          steps(For->getInc(), V))
        return true;
      if (const auto *For = dyn_cast<CXXForRangeStmt>(Loop);
          For && For->getLoopVariable() == V)
        return For->getRangeInit() &&
               isUniqueKeyContainer(For->getRangeInit()->getType());
      if (!V->hasLocalStorage() || isa<ParmVarDecl>(V) || !V->getInit() ||
          !sourceContains(V->getASTContext().getSourceManager(),
                          Loop->getSourceRange(), V->getSourceRange()))
        return false;
      E = V->getInit();
    }
    return false;
  }

  /// True if \p S is a declaration statement that declares \p V.
  static bool declares(const Stmt *S, const VarDecl *V) {
    const auto *DS = dyn_cast_or_null<DeclStmt>(S);
    return DS && llvm::is_contained(DS->decls(), V);
  }

  /// True if \p Inc (a loop's increment) steps \p V: `++V`, `V++`, `V += n`.
  static bool steps(const Stmt *Inc, const VarDecl *V) {
    return !walkOutsideLambdas(Inc, LambdaBodies::Skip, [&](const Stmt *S) {
      const Expr *Target = nullptr;
      if (const auto *UO = dyn_cast<UnaryOperator>(S);
          UO && UO->isIncrementDecrementOp())
        Target = UO->getSubExpr();
      else if (const auto *CA = dyn_cast<CompoundAssignOperator>(S))
        Target = CA->getLHS();
      else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
               OC && OC->getNumArgs() >= 1 &&
               llvm::is_contained(
                   {OO_PlusPlus, OO_MinusMinus, OO_PlusEqual, OO_MinusEqual},
                   OC->getOperator()))
        Target = OC->getArg(0);
      return !(Target && namedVariable(Target) == V);
    });
  }

  /// The innermost loop of \p Spawner around the start of \p T, or null.
  static const Stmt *startLoop(const Task &T, const FlowGraph &G) {
    for (const Stmt *S = G.parent(T.Start.Site); S; S = G.parent(S))
      if (repeats(S, G.context()))
        return S;
    return nullptr;
  }

  /// True if the element reference \p V is bound, in each iteration of the
  /// loop of \p Spawner that starts \p T, to another element: V is declared
  /// in the loop (by \p Spawner itself, not a lambda), and it is the
  /// loop variable of a range-for, or selects its element with a key or an
  /// iterator that varies per iteration (variesPerIteration()).
  bool perIterationElement(const VarDecl *V, const Task &T,
                           const FunctionDecl *Spawner) {
    const FlowGraph *G = Flow.graph(Spawner);
    const Stmt *Loop = G ? startLoop(T, *G) : nullptr;
    if (!Loop || V->getDeclContext() != Spawner ||
        !sourceContains(SM, Loop->getSourceRange(), V->getSourceRange()))
      return false;
    if (const auto *For = dyn_cast<CXXForRangeStmt>(Loop);
        For && For->getLoopVariable() == V)
      return true;
    const Expr *Key = elementSelection(V->getInit()).Key;
    return Key && variesPerIteration(Key, Loop);
  }

  /// True if the element selection \p Sel, made in the body of the task
  /// \p T (a lambda) and handed to a callee, selects another element in
  /// each iteration of the loop of \p Spawner that starts the task: its key
  /// is a variable the lambda captures by copy (the value at the start) and
  /// that varies per iteration (variesPerIteration(): `[&, i] {
  /// mix(samples[i]); }` in a counting loop). A capture by reference reads
  /// the variable when the task runs: not one. So does a selection handed
  /// to the task as an argument of its start (`std::thread(f,
  /// std::ref(v[i]))`, `&v[i]`): the starter evaluates it when it starts
  /// the task, with the key of that iteration.
  bool perIterationSelection(const Expr *Sel, const Task &T,
                             const FunctionDecl *Spawner) {
    const FlowGraph *G = Flow.graph(Spawner);
    const Stmt *Loop = G ? startLoop(T, *G) : nullptr;
    const auto *Op = dyn_cast_or_null<CXXMethodDecl>(T.Body);
    const Expr *Key = Sel ? elementSelection(Sel).Key : nullptr;
    if (Loop && Key && isStartArgument(Sel, T.Start))
      return variesPerIteration(Key, Loop);
    const auto *DRE = Key ? dyn_cast<DeclRefExpr>(skipImplicit(Key)) : nullptr;
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!Loop || !Op || !Op->getParent()->isLambda() || !V ||
        Sel->getBeginLoc().isInvalid() ||
        !sourceContains(SM, Op->getSourceRange(), Sel->getSourceRange()))
      return false;
    llvm::DenseMap<const ValueDecl *, FieldDecl *> Fields;
    FieldDecl *This = nullptr;
    Op->getParent()->getCaptureFields(Fields, This);
    const FieldDecl *F = Fields.lookup(V);
    return F && !F->getType()->isReferenceType() &&
           variesPerIteration(DRE, Loop);
  }

  /// True if \p E is, or is what std::ref / `&` hands on of, an argument of
  /// \p TS's start after its callable (`std::thread(f, std::ref(v[i]))`):
  /// evaluated by the starter when it starts the task.
  static bool isStartArgument(const Expr *E, const TaskStart &TS) {
    for (unsigned I = 0;; ++I) {
      const Expr *Arg = taskArgument(TS, I);
      if (!Arg)
        return false;
      const Expr *Shared = referencedOperand(Arg);
      if (skipImplicit(Arg) == skipImplicit(E) ||
          (Shared && skipImplicit(Shared) == skipImplicit(E)))
        return true;
    }
  }

  /// True if the element references \p V and \p W select distinct elements
  /// of one container: by two constant keys that differ (`m[1]`, `m[2]`).
  bool distinctKeys(const VarDecl *V, const VarDecl *W) const {
    ElementSelection A = elementSelection(V->getInit());
    ElementSelection B = elementSelection(W->getInit());
    if (!A.Key || !B.Key || !A.Container || !B.Container)
      return false;
    std::optional<ObjectPath> PA = objectPathOf(A.Container);
    std::optional<ObjectPath> PB = objectPathOf(B.Container);
    if (!PA || !PB || *PA != *PB || PA->Element || PB->Element)
      return false;
    const ASTContext &Ctx = Flow.astContext();
    Expr::EvalResult RA, RB;
    const Expr *KA = skipImplicit(A.Key), *KB = skipImplicit(B.Key);
    if (KA->isValueDependent() || KB->isValueDependent())
      return false; // a template's pattern
    if (KA->EvaluateAsInt(RA, Ctx) && KB->EvaluateAsInt(RB, Ctx))
      return llvm::APSInt::compareValues(RA.Val.getInt(), RB.Val.getInt()) != 0;
    const auto *SA = dyn_cast<StringLiteral>(KA->IgnoreParenImpCasts());
    const auto *SB = dyn_cast<StringLiteral>(KB->IgnoreParenImpCasts());
    return SA && SB && SA->getBytes() != SB->getBytes();
  }

  /// True if \p D is a thread-local pointer that holds, on each thread,
  /// the object whose own thread it is: the translation unit's functions
  /// store into it only `this` or a null pointer (threadLocalStores()),
  /// `this` only in the entry of a thread started on its `this` (the
  /// bound object of a member function pointer, a lambda's captured
  /// `this`): a scheduler's loop setting `gCur = this`. Two threads reach
  /// through it two objects, or none.
  bool currentObjectPointer(const ValueDecl *D) {
    const auto *V = dyn_cast_or_null<VarDecl>(D);
    if (!V || V->getTLSKind() == VarDecl::TLS_None ||
        !V->getType()->isPointerType())
      return false;
    if (auto It = CurrentPointers.find(V); It != CurrentPointers.end())
      return It->second;
    llvm::SmallPtrSet<const FunctionDecl *, 2> Setters;
    bool Other =
        V->getInit() && !isNullPointerValue(V->getInit(), Flow.astContext());
    for (const FunctionDecl *FD : Added)
      for (const ThreadLocalStores &T : threadLocalStores(FD->getBody()))
        if (T.Var == V) {
          Other |= !T.CurrentOnly;
          if (T.StoresThis)
            Setters.insert(FD);
        }
    if (Other || Setters.empty())
      return CurrentPointers[V] = false;
    // Each setter is the entry of a thread some function starts on `this`.
    llvm::SmallPtrSet<const FunctionDecl *, 2> Started;
    ObjectPath Self;
    Self.Kind = RootKind::This;
    for (const FunctionDecl *FD : Added)
      walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        const auto *E = dyn_cast<Expr>(S);
        if (!E || !isa<CallExpr, CXXConstructExpr>(E))
          return true;
        for (const TaskStart &TS : Flow.taskStarts(E)) {
          std::optional<ObjectPath> Bound = mapTaskSlot(TS, Self);
          if (TS.Target.Fn && Bound && Bound->Kind == RootKind::This &&
              Bound->Fields.empty())
            Started.insert(TS.Target.Fn->getCanonicalDecl());
        }
        return true;
      });
    return CurrentPointers[V] =
               llvm::all_of(Setters, [&](const FunctionDecl *FD) {
                 return Started.contains(FD->getCanonicalDecl());
               });
  }

  /// True if the accesses \p X and \p Y, of one container path, touch
  /// distinct objects. An element of a container is an object of its own:
  /// an access of the element (through a reference bound to it) and one of
  /// the container that leaves the elements' contents alone
  /// (ContainerRecognizer::leavesElementsAlone(): a lookup, an insertion
  /// into a node-based container) touch two objects. Two accesses of
  /// elements do when their references select distinct constant keys, or
  /// are one variable bound anew in each iteration of the loop that starts
  /// the task (perIterationElement()): the task's runs in distinct
  /// iterations, and the starting function's access before the iteration's
  /// start with the tasks of the earlier iterations.
  bool distinctObjects(const ThreadAccess &X, const ThreadAccess &Y,
                       llvm::ArrayRef<Task> Tasks,
                       const FunctionDecl *Spawner) {
    const Access &A = X.A, &B = Y.A;
    // A `thread_local` object is each thread's own (doctest's per-thread
    // string stream stack: `thread_local Wrapper<os_ostream> g_oss;`).
    // (Not an object a thread_local pointer points to: another thread may
    // have handed it over.)
    if (A.Object.Kind == RootKind::Global && !A.Object.ThroughPointer)
      if (const auto *V = dyn_cast_or_null<VarDecl>(A.Object.Root);
          V && V->getTLSKind() != VarDecl::TLS_None &&
          !V->getType()->isPointerType() && !V->getType()->isReferenceType())
        return true;
    // The starting function's access, before a task's start in the loop
    // that starts it, to an object that loop makes anew in each iteration
    // (`auto s = new Session; s->name = n; s->t = std::thread(run, s);`):
    // the tasks the earlier iterations started run on earlier objects.
    if ((X.Task < 0) != (Y.Task < 0) && A.Object == B.Object) {
      const ThreadAccess &Own = X.Task < 0 ? X : Y;
      const Task &T = Tasks[X.Task < 0 ? Y.Task : X.Task];
      const FlowGraph *G = Flow.graph(Spawner);
      if (G && perIteration(Own.A.Object, T, *G) &&
          isIterationVariable(dyn_cast_or_null<VarDecl>(Own.A.Object.Root),
                              Own.A.Object.ThroughPointer, Spawner) &&
          SM.isBeforeInTranslationUnit(Own.A.Anchor->getBeginLoc(),
                                       T.Start.Site->getBeginLoc()))
        return true;
    }
    // Two threads reach, through a current-object pointer, their own.
    if (!A.Object.Fields.empty() && !B.Object.Fields.empty() &&
        A.Object.Root == B.Object.Root && currentObjectPointer(A.Object.Root))
      return true;
    if (A.Object.Element != B.Object.Element) {
      const Access &Whole = A.Object.Element ? B : A;
      const FlowGraph *G = Flow.graph(Whole.Fn);
      return G && Containers.leavesElementsAlone(Whole.Ref, G->parents());
    }
    if (A.Object.Element && !A.Via && !B.Via && A.Selection &&
        A.Selection == B.Selection && X.Task >= 0 && X.Task == Y.Task)
      return perIterationSelection(A.Selection, Tasks[X.Task], Spawner);
    if (!A.Object.Element || !A.Via || !B.Via)
      return false;
    if (A.Via != B.Via)
      return distinctKeys(A.Via, B.Via);
    if (X.Task >= 0 && X.Task == Y.Task)
      return perIterationElement(A.Via, Tasks[X.Task], Spawner);
    if ((X.Task < 0) == (Y.Task < 0))
      return false;
    const ThreadAccess &Own = X.Task < 0 ? X : Y;
    const Task &T = Tasks[X.Task < 0 ? Y.Task : X.Task];
    return perIterationElement(A.Via, T, Spawner) &&
           SM.isBeforeInTranslationUnit(Own.A.Anchor->getBeginLoc(),
                                        T.Start.Site->getBeginLoc());
  }

  void threadRule(const FunctionDecl *Spawner) {
    const FlowGraph *G = Flow.graph(Spawner);
    if (!G)
      return;
    TaskTracker TT(Flow, *G, /*SignalsEndTasks=*/false);
    if (TT.tasks().empty())
      return;
    // Executors this function runs itself (`ctx.run()`): their tasks run on
    // this thread.
    llvm::SmallVector<ObjectPath, 2> Driven;
    for (const CFGBlock *B : G->order())
      for (const CFGElement &E : *B)
        if (auto CS = E.getAs<CFGStmt>())
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CS->getStmt());
              MC && classifyExecutorCall(MC) == ExecutorOp::Drive)
            if (std::optional<ObjectPath> P =
                    objectPathOf(MC->getImplicitObjectArgument()))
              Driven.push_back(*P);

    // The io_context one thread runs that runs the spawner, a handler.
    std::optional<ObjectPath> SpawnerContext = handlerContext(Spawner);
    std::vector<Task> Tasks;
    for (const TaskStart &TS : TT.tasks()) {
      Task T;
      T.Start = TS;
      T.Body = definitionOf(TS.Target.Fn);
      if (T.Body && (inSystemHeader(T.Body) || !mayAccess(T.Body)))
        T.Body = nullptr;
      if (TS.Executor)
        if (std::optional<ObjectPath> Ex = objectPathOf(TS.Executor)) {
          if (isSerialExecutor(TS.Executor->getType()) ||
              isActiveObjectType(TS.Executor->getType(), Flow.threads()))
            T.Serial = Ex;
          T.Driven = llvm::is_contained(Driven, *Ex);
          T.OneThread = serialContextOf(TS.Executor);
          T.OnSpawnersThread =
              T.OneThread && SpawnerContext && *T.OneThread == *SpawnerContext;
        }
      // Sent to the loop this thread made for itself (`Loop::get()->
      // defer(f)`): it runs on this thread, as a driven executor's tasks do.
      if (runsOnStartersThread(TS, Spawner->getBody(), Flow.threads()))
        T.Driven = true;
      T.End = taskEndEvent(TS);
      int Index = static_cast<int>(Tasks.size());
      if (runsOnStartersObject(TS))
        T.Owner = threadHolderOf(TT, Index, *G);
      if (T.Body)
        for (const Access &A : summary(T.Body).Accesses) {
          if (!isVisibleToCaller(A.Object, T.Body))
            continue;
          std::optional<ObjectPath> P = mapTaskSlot(TS, A.Object);
          if (!P)
            continue;
          LockSet Locks = mapLocks(
              A.Locks, [&](const ObjectPath &Q) { return mapTaskSlot(TS, Q); });
          Access New{A.Ref,    A.Fn,         *P, A.Write, std::move(Locks),
                     A.Anchor, A.FailurePath};
          seenThrough(New, A,
                      A.Object.Kind == RootKind::Param
                          ? taskArgument(TS, A.Object.paramIndex())
                          : nullptr);
          T.Accesses.push_back({std::move(New), Index});
        }
      Tasks.push_back(std::move(T));
    }
    std::vector<ThreadAccess> Own;
    for (const Access &A : summary(Spawner).Accesses)
      Own.push_back({A, -1});

    for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
      const Task &T = Tasks[I];
      if (T.Accesses.empty())
        continue;
      // What may run while task I does.
      std::vector<const ThreadAccess *> Other;
      if (!T.Driven && !T.OnSpawnersThread)
        for (const ThreadAccess &X : Own)
          if (TT.mayBeRunningAt(I, X.A.Anchor))
            Other.push_back(&X);
      for (unsigned J = 0; J != N; ++J) {
        const Task &U = Tasks[J];
        bool Self = I == J;
        if (!TT.mayBeRunningAt(I, U.Start.Site))
          continue;
        if ((T.Serial && U.Serial && *T.Serial == *U.Serial) ||
            (T.Driven && U.Driven) ||
            (T.OneThread && U.OneThread && *T.OneThread == *U.OneThread))
          continue;
        for (const ThreadAccess &X : U.Accesses)
          if (!Self || !perIteration(X.A.Object, T, *G))
            Other.push_back(&X);
      }
      for (const ThreadAccess &X : T.Accesses)
        for (const ThreadAccess *Y : Other)
          check(X, *Y, Tasks, Spawner);
    }
  }

  /// True if \p X is confined to the owner thread of its object by a
  /// current-thread test (HeldLock::ClaimState::Thread) and \p Y is made by
  /// that thread: the task the member the test reads holds, on a member of
  /// that member's object. Two tasks that member holds are two threads.
  static bool onOwnerThread(const ThreadAccess &X, const ThreadAccess &Y,
                            llvm::ArrayRef<Task> Tasks) {
    if (Y.Task < 0 || !Tasks[Y.Task].Owner)
      return false;
    const ObjectPath &H = *Tasks[Y.Task].Owner;
    ObjectPath Object = H;
    Object.Fields.pop_back();
    const HeldLock *L = X.A.Locks.find(canonical(mutexKeyOf(H)));
    return L && L->isThreadClaim() && Y.A.Object.startsWith(Object);
  }

  void check(const ThreadAccess &X, const ThreadAccess &Y,
             llvm::ArrayRef<Task> Tasks, const FunctionDecl *Spawner) {
    const Access &A = X.A, &B = Y.A;
    if (A.Object != B.Object || (!A.Write && !B.Write) ||
        LockSet::excludes(A.Locks, B.Locks,
                          A.Object.Element && B.Object.Element) ||
        A.FailurePath || B.FailurePath ||
        distinctObjects(X, Y, Tasks, Spawner) || onOwnerThread(X, Y, Tasks) ||
        onOwnerThread(Y, X, Tasks))
      return;
    // An emptiness test that only decides whether to take the lock races
    // with no locked access.
    if ((LockingDecisions.contains(A.Ref) && !B.Locks.empty()) ||
        (LockingDecisions.contains(B.Ref) && !A.Locks.empty()))
      return;
    bool Same = &X == &Y;
    // Warn where fewer locks are held; on a tie, in the starting function.
    bool WarnAtB =
        B.Locks.locks().size() < A.Locks.locks().size() ||
        (B.Locks.locks().size() == A.Locks.locks().size() && Y.Task < 0) ||
        Same;
    const Access &W = WarnAtB ? B : A;
    const Access &C = WarnAtB ? A : B;
    if (warned(W.Ref) || (!Same && warned(C.Ref)))
      return;
    if (ordered(X, Y, Tasks, Spawner))
      return;
    Warned.insert(W.Ref->getBeginLoc().getRawEncoding());
    ContainerRace R;
    R.K = ContainerRace::Concurrent;
    R.Ref = W.Ref;
    R.Fn = W.Fn;
    R.Container = W.Object.leaf();
    R.Write = W.Write;
    R.Lock = W.Locks.missingFrom(C.Locks);
    R.OtherWrite = C.Write;
    // The same expression on both sides (a helper both call): point at the
    // other side's call.
    R.OtherLoc =
        C.Ref == W.Ref ? C.Anchor->getBeginLoc() : C.Ref->getBeginLoc();
    if (Same) {
      R.SelfConcurrent = true;
      R.StartLoc = Tasks[X.Task].Start.Site->getBeginLoc();
    }
    R.FixSafe = R.Lock && fixSafe(W, R.Lock);
    unknownLockAt(W, R);
    Out.push_back(R);
  }

  // --- driver --------------------------------------------------------------

  std::vector<ContainerRace> run() {
    // Functions worth a look, in source order.
    std::vector<const FunctionDecl *> Fns;
    for (const FunctionDecl *FD : Added) {
      Facts &F = facts(FD);
      if (mayAccess(FD) || F.MayStart)
        Fns.push_back(FD);
    }
    sortInSourceOrder(Fns, SM);
    // The summaries of the functions around lambdas first: they tell which
    // lambdas run in place (and are no contexts of their own).
    std::vector<const FunctionDecl *> Spawners;
    for (const FunctionDecl *FD : Fns)
      if (facts(FD).MayStart)
        Spawners.push_back(FD);
    for (const FunctionDecl *FD : Fns)
      if (const Facts &F = facts(FD); F.Lambda && F.Parent && mayAccess(FD))
        for (const FunctionDecl *P = F.Parent; P; P = facts(P).Parent)
          summary(P);
    std::vector<const FunctionDecl *> Contexts;
    for (const FunctionDecl *FD : Fns)
      if (mayAccess(FD) && !InPlace.count(FD) && !isHelper(FD) &&
          !neverRuns(FD))
        Contexts.push_back(FD);
    memberRule(Contexts);
    for (const FunctionDecl *FD : Spawners)
      threadRule(FD);
    // Source order (each access is reported once, so locations differ).
    llvm::sort(Out, [&](const ContainerRace &A, const ContainerRace &B) {
      return SM.isBeforeInTranslationUnit(A.Ref->getBeginLoc(),
                                          B.Ref->getBeginLoc());
    });
    return std::move(Out);
  }
};

ContainerRaces::ContainerRaces(FlowContext &Flow,
                               const ContainerRecognizer &Containers,
                               ContainerRaceOptions Options)
    : P(std::make_unique<Impl>(Flow, Containers, Options)) {}

ContainerRaces::~ContainerRaces() = default;

void ContainerRaces::addFunction(const FunctionDecl *FD) {
  if (FD && FD->getBody())
    P->Added.insert(FD);
}

std::vector<ContainerRace> ContainerRaces::run() { return P->run(); }

} // namespace pitfall
