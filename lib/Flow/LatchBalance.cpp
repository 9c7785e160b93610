//===--- LatchBalance.cpp -------------------------------------------------===//
#include "pitfall/Flow/LatchBalance.h"
#include "pitfall/Core/ExprUtil.h"

#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <map>

using namespace clang;

namespace pitfall {

namespace {

//===----------------------------------------------------------------------===//
// Symbolic counts: Base + Offset, Base null for a constant.
//===----------------------------------------------------------------------===//

using MaybeCount = std::optional<SymCount>;

std::optional<int64_t> constantValue(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(Ctx))
    return V->getExtValue();
  return std::nullopt;
}

/// A symbolic base must denote the same value wherever it is written: a
/// variable, a member, or a call such as `v.size()` without arguments.
/// The maximum of a `std::counting_semaphore<Max>` (`std::binary_semaphore`
/// is `<1>`): its first template argument, when it is a constant.
std::optional<int64_t> semaphoreMax(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() < 1)
    return std::nullopt;
  const TemplateArgument &Arg = Spec->getTemplateArgs()[0];
  if (Arg.getKind() != TemplateArgument::Integral)
    return std::nullopt;
  return Arg.getAsIntegral().getExtValue();
}

bool isStableBase(const Expr *E) {
  if (isa<DeclRefExpr, MemberExpr>(E))
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return MC->getNumArgs() == 0;
  return false;
}

MaybeCount decomposeCount(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (std::optional<int64_t> C = constantValue(E, Ctx))
    return SymCount{nullptr, *C};
  if (E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub)) {
    const Expr *L = BO->getLHS()->IgnoreParenCasts();
    const Expr *R = BO->getRHS()->IgnoreParenCasts();
    if (std::optional<int64_t> RC = constantValue(R, Ctx);
        RC && isStableBase(L))
      return SymCount{L, BO->getOpcode() == BO_Add ? *RC : -*RC};
    if (std::optional<int64_t> LC = constantValue(L, Ctx);
        LC && BO->getOpcode() == BO_Add && isStableBase(R))
      return SymCount{R, *LC};
    return std::nullopt;
  }
  if (isStableBase(E))
    return SymCount{E, 0};
  return std::nullopt;
}

bool sameExpr(const Expr *A, const Expr *B, const ASTContext &Ctx) {
  if (A == B)
    return true;
  if (!A || !B)
    return false;
  llvm::FoldingSetNodeID IA, IB;
  A->Profile(IA, Ctx, /*Canonical=*/true);
  B->Profile(IB, Ctx, /*Canonical=*/true);
  return IA == IB;
}

MaybeCount addCounts(MaybeCount A, MaybeCount B) {
  if (!A || !B)
    return std::nullopt;
  if (A->Base && B->Base)
    return std::nullopt; // 2 * n and n + m are not tracked.
  return SymCount{A->Base ? A->Base : B->Base, A->Offset + B->Offset};
}

MaybeCount scaleCount(MaybeCount A, std::optional<int64_t> K) {
  if (!A || !K)
    return std::nullopt;
  if (*K == 0)
    return SymCount{};
  if (A->Base && *K != 1)
    return std::nullopt;
  return SymCount{A->Base, A->Offset * *K};
}

MaybeCount multiplyCounts(MaybeCount A, MaybeCount B) {
  if (!A || !B)
    return std::nullopt;
  if (!A->Base)
    return scaleCount(B, A->Offset);
  if (!B->Base)
    return scaleCount(A, B->Offset);
  return std::nullopt;
}

/// The difference A - B when it is known.
std::optional<int64_t> difference(const SymCount &A, const SymCount &B,
                                  const ASTContext &Ctx) {
  if (!A.Base != !B.Base)
    return std::nullopt;
  if (A.Base && !sameExpr(A.Base, B.Base, Ctx))
    return std::nullopt;
  return A.Offset - B.Offset;
}

//===----------------------------------------------------------------------===//
// Loop trip counts: for (int i = a; i < B; ++i) without early exits.
//===----------------------------------------------------------------------===//

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return DRE && DRE->getDecl() == V;
}

bool isIncrementByOne(const Expr *Inc, const VarDecl *V,
                      const ASTContext &Ctx) {
  if (!Inc)
    return false;
  Inc = Inc->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Inc))
    return UO->isIncrementOp() && refersTo(UO->getSubExpr(), V);
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(Inc))
    return CA->getOpcode() == BO_AddAssign && refersTo(CA->getLHS(), V) &&
           constantValue(CA->getRHS(), Ctx) == 1;
  return false;
}

/// True if \p S (not looking into lambdas) may leave the loop body early or
/// writes \p V.
bool leavesOrWrites(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  if (isa<BreakStmt, ContinueStmt, ReturnStmt, GotoStmt, CXXThrowExpr,
          CoreturnStmt, IndirectGotoStmt>(S))
    return true;
  if (isa<LambdaExpr, BlockExpr>(S))
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp() && refersTo(UO->getSubExpr(), V))
    return true;
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->isAssignmentOp() && refersTo(BO->getLHS(), V))
    return true;
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return leavesOrWrites(C, V); });
}

MaybeCount tripCount(const ForStmt *FS, const ASTContext &Ctx) {
  const VarDecl *IV = nullptr;
  std::optional<int64_t> Start;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(FS->getInit());
      DS && DS->isSingleDecl()) {
    IV = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (IV && IV->getInit())
      Start = constantValue(IV->getInit()->IgnoreParenImpCasts(), Ctx);
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(FS->getInit());
             BO && BO->getOpcode() == BO_Assign) {
    IV = dyn_cast_or_null<VarDecl>(namedVariable(BO->getLHS()));
    Start = constantValue(BO->getRHS(), Ctx);
  }
  if (!IV || !Start || !IV->getType()->isIntegerType())
    return std::nullopt;
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      FS->getCond() ? FS->getCond()->IgnoreParenImpCasts() : nullptr);
  if (!Cond || !refersTo(Cond->getLHS(), IV))
    return std::nullopt;
  int64_t Extra;
  switch (Cond->getOpcode()) {
  case BO_LT:
  case BO_NE:
    Extra = 0;
    break;
  case BO_LE:
    Extra = 1;
    break;
  default:
    return std::nullopt;
  }
  if (!isIncrementByOne(FS->getInc(), IV, Ctx) ||
      leavesOrWrites(FS->getBody(), IV))
    return std::nullopt;
  MaybeCount Bound = decomposeCount(Cond->getRHS(), Ctx);
  if (!Bound)
    return std::nullopt;
  SymCount Trip{Bound->Base, Bound->Offset - *Start + Extra};
  if (!Trip.Base && Trip.Offset < 0)
    Trip.Offset = 0;
  return Trip;
}

//===----------------------------------------------------------------------===//
// How many times a statement runs per lifetime of an object
//===----------------------------------------------------------------------===//

/// A statement around another that may repeat or skip it: a loop body
/// (Factor = its trip count) or a conditional part (Factor unknown).
struct Frame {
  const Stmt *S;
  MaybeCount Factor;
};

/// True if \p Obj is a local declared inside \p S (each execution of \p S
/// has its own object).
bool declaredWithin(const Stmt *S, const ValueDecl *Obj) {
  const auto *VD = dyn_cast_or_null<VarDecl>(Obj);
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
         sourceContains(VD->getASTContext().getSourceManager(),
                        S->getSourceRange(), VD->getSourceRange());
}

/// The frames around \p Site in its function (innermost first), up to the
/// body or to the scope \p Obj is declared in. Parts evaluated once (a
/// loop's initialiser, a condition) add no frame.
llvm::SmallVector<Frame, 4> framesAround(const Stmt *Site, const ValueDecl *Obj,
                                         const FlowGraph &G) {
  const ASTContext &Ctx = G.context();
  llvm::SmallVector<Frame, 4> Out;
  const Stmt *Child = Site;
  for (const Stmt *P = G.parent(Site); P; Child = P, P = G.parent(P)) {
    if (declaredWithin(P, Obj) || isa<LambdaExpr>(P))
      break;
    if (const auto *FS = dyn_cast<ForStmt>(P)) {
      if (Child == FS->getBody())
        Out.push_back({P, tripCount(FS, Ctx)});
      else if (Child != FS->getInit())
        Out.push_back({P, std::nullopt});
    } else if (const auto *RS = dyn_cast<CXXForRangeStmt>(P)) {
      if (Child != RS->getInit() && Child != RS->getRangeStmt())
        Out.push_back({P, std::nullopt});
    } else if (isa<WhileStmt, DoStmt, CXXCatchStmt>(P)) {
      Out.push_back({P, std::nullopt});
    } else if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Child != If->getCond() && Child != If->getInit() &&
          Child != If->getConditionVariableDeclStmt())
        Out.push_back({P, std::nullopt});
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(P)) {
      if (Child != Sw->getCond() && Child != Sw->getInit() &&
          Child != Sw->getConditionVariableDeclStmt())
        Out.push_back({P, std::nullopt});
    } else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(P)) {
      if (Child != CO->getCond())
        Out.push_back({P, std::nullopt});
    } else if (const auto *BO = dyn_cast<BinaryOperator>(P);
               BO && BO->isLogicalOp() && Child == BO->getRHS()) {
      Out.push_back({P, std::nullopt});
    }
  }
  return Out;
}

MaybeCount times(llvm::ArrayRef<Frame> Frames) {
  MaybeCount T = SymCount{nullptr, 1};
  for (const Frame &F : Frames) {
    T = multiplyCounts(T, F.Factor);
    if (!T)
      return std::nullopt;
  }
  return T;
}

/// The loop (with a constant trip count above one, or a counting loop up
/// to a bound that is not a constant: `for (int r = 0; r < rounds; ++r)`)
/// in every iteration of which the code the frames are around runs
/// unconditionally.
const Frame *repeatingLoop(llvm::ArrayRef<Frame> Frames) {
  for (const Frame &F : Frames) {
    if (!F.Factor)
      return nullptr;
    if (F.Factor->Base || F.Factor->Offset > 1)
      return &F;
    if (F.Factor->Offset < 1)
      return nullptr;
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// What a function does with its synchronization objects
//===----------------------------------------------------------------------===//

struct Start {
  TaskStart T;
  const FunctionDecl *Worker = nullptr; ///< the body, when visible
};

struct Direct {
  const CXXMemberCallExpr *Call;
  SyncCall Info;
  ObjectPath Object;
};

/// An arrival a helper makes for the function (its summary).
struct HelperArrival {
  const Stmt *Site;
  ObjectPath Object;
  int64_t Min, Max;
};

struct Scan {
  llvm::SmallVector<Start, 4> Starts;
  llvm::SmallVector<Direct, 8> Directs;
  llvm::SmallVector<HelperArrival, 2> Helpers;
  llvm::SmallVector<const VarDecl *, 4> Locals;
  llvm::SmallVector<const LambdaExpr *, 4> Lambdas;
  /// Objects used where their effect cannot be followed; objects a lambda
  /// captures; objects a guard arrives at when it is destroyed.
  llvm::SmallVector<ObjectPath, 2> Escaped, Captured, GuardArrivals;

  bool escaped(const ObjectPath &P) const {
    return llvm::is_contained(Escaped, P);
  }
  bool isWorkerLambda(const LambdaExpr *L) const {
    return llvm::any_of(Starts,
                        [&](const Start &S) { return S.T.Target.Lambda == L; });
  }
};

struct WorkerObject {
  ObjectPath Object;
  SyncKind Kind = SyncKind::None;
  bool PathsKnown = false;
  bool ParticipationKnown = false;
  std::optional<int64_t> PerPath;
};

struct Worker {
  llvm::SmallVector<WorkerObject, 2> Objects;
  llvm::SmallVector<std::pair<ObjectPath, const CXXMemberCallExpr *>, 1> Adds;
  bool HasNestedSpawn = false;
};

} // namespace

struct LatchBalance::Impl {
  explicit Impl(FlowContext &Flow)
      : Flow(Flow), Ctx(Flow.astContext()), SM(Ctx.getSourceManager()),
        Sync(Flow.sync()) {}

  FlowContext &Flow;
  ASTContext &Ctx;
  const SourceManager &SM;
  const SyncPrimitives &Sync;
  llvm::SetVector<const FunctionDecl *> Candidates;
  std::map<const FunctionDecl *, Worker> Workers;
  std::map<const FlowGraph *, Scan> Scans;
  llvm::DenseMap<const CXXRecordDecl *, SyncKind> Kinds;
  std::vector<LatchFinding> Out;

  static const FunctionDecl *definition(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    return FD && FD->hasBody(Def) && Def->getBody() ? Def : nullptr;
  }

  /// SyncPrimitives::kindOf, remembered per class (name matching is not
  /// free, and every reference of a candidate's body is asked about).
  SyncKind kind(QualType T) {
    const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
    if (!RD)
      return SyncKind::None;
    auto [It, Inserted] = Kinds.try_emplace(RD->getCanonicalDecl());
    if (Inserted)
      It->second = Sync.kindOf(RD);
    return It->second;
  }

  SyncKind kindOf(const ObjectPath &P) {
    const ValueDecl *D = P.leaf();
    return D ? kind(D->getType()) : SyncKind::None;
  }

  bool isSyncRef(const Stmt *S) {
    const ValueDecl *D = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      D = DRE->getDecl();
    else if (const auto *ME = dyn_cast<MemberExpr>(S))
      D = ME->getMemberDecl();
    return isa_and_nonnull<VarDecl, FieldDecl>(D) &&
           kind(D->getType()) != SyncKind::None;
  }

  // --- hand-written barriers (rule 8) --------------------------------------

  static bool isCondVar(QualType T) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
           (RD->getName() == "condition_variable" ||
            RD->getName() == "condition_variable_any");
  }

  /// Rule 8 in the member function \p MD: a function that counts arrivals
  /// in a data member, notifies a condition variable member on one path and
  /// waits on it on another (a hand-written barrier or latch), and waits
  /// without a predicate outside a loop (a spurious wake-up ends the wait
  /// early), or on a condition that reads only members the function resets
  /// by assignment (the last arrival resets the count before the waiters
  /// wake up: a lost wake-up; a generation counter compared with a local
  /// copy is the remedy).
  void handWrittenBarrier(const CXXMethodDecl *MD) {
    struct CvCall {
      const CXXMemberCallExpr *Call;
      const FieldDecl *Cv;
      bool Notify;
    };
    llvm::SmallVector<CvCall, 4> Calls;
    llvm::SmallPtrSet<const FieldDecl *, 4> Counted;
    llvm::DenseMap<const FieldDecl *, const Stmt *> Reset;
    walkOutsideLambdas(MD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
        const FieldDecl *Cv = thisField(MC->getImplicitObjectArgument());
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (!Cv || !isCondVar(Cv->getType()) || !M || !M->getIdentifier())
          return true;
        if (M->getName().starts_with("notify"))
          Calls.push_back({MC, Cv, true});
        else if (M->getName() == "wait")
          Calls.push_back({MC, Cv, false});
        return true;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
        if (UO->isIncrementDecrementOp())
          if (const FieldDecl *F = thisField(UO->getSubExpr());
              F && F->getType()->isIntegerType())
            Counted.insert(F);
        return true;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
        const FieldDecl *F = thisField(BO->getLHS());
        if (!F || !F->getType()->isIntegerType())
          return true;
        if (BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign)
          Counted.insert(F);
        else if (BO->getOpcode() == BO_Assign)
          Reset.try_emplace(F, BO);
      }
      return true;
    });
    if (Counted.empty())
      return;
    ParentMap PM(MD->getBody());
    for (const CvCall &W : Calls) {
      if (W.Notify || !llvm::any_of(Calls, [&](const CvCall &N) {
            return N.Notify && N.Cv == W.Cv;
          }))
        continue;
      // The condition the wait rechecks: its predicate, or the condition of
      // the loop around it.
      const Stmt *Cond = nullptr;
      if (W.Call->getNumArgs() >= 2) {
        const Expr *Pred = skipImplicit(W.Call->getArg(1));
        if (const auto *L = dyn_cast<LambdaExpr>(Pred))
          Cond = L->getBody();
        else
          continue;
      } else {
        for (const Stmt *P = PM.getParent(W.Call); P; P = PM.getParent(P))
          if (isLoopStmt(P)) {
            if (const auto *WS = dyn_cast<WhileStmt>(P))
              Cond = WS->getCond();
            else if (const auto *DS = dyn_cast<DoStmt>(P))
              Cond = DS->getCond();
            else if (const auto *FS = dyn_cast<ForStmt>(P))
              Cond = FS->getCond();
            if (!Cond)
              Cond = P;
            break;
          }
      }
      LatchFinding F;
      F.K = LatchFinding::UnguardedWait;
      F.Object = W.Cv;
      F.Loc = W.Call->getExprLoc();
      if (!Cond) {
        Out.push_back(F);
        continue;
      }
      // A condition that reads a local of the function (a saved generation)
      // is safe; one that reads only members, one of them reset here, is not.
      bool ReadsLocal = false;
      const Stmt *ResetAt = nullptr;
      llvm::SmallVector<const Stmt *, 16> CondWork{Cond};
      while (!CondWork.empty()) {
        const Stmt *S = CondWork.pop_back_val();
        if (!S)
          continue;
        llvm::append_range(CondWork, S->children());
        if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
          const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          ReadsLocal |= V && V->hasLocalStorage();
        } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
          if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
            if (const Stmt *R = Reset.lookup(FD); R && !ResetAt)
              ResetAt = R;
        }
      }
      if (ReadsLocal || !ResetAt)
        continue;
      F.OtherLoc = ResetAt->getBeginLoc();
      Out.push_back(F);
    }
  }

  // --- candidates ----------------------------------------------------------

  void add(const FunctionDecl *FD) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
        MD && MD->isInstance() && !MD->getParent()->isLambda() &&
        !SM.isInSystemHeader(MD->getLocation()))
      handWrittenBarrier(MD);
    bool Names = false;
    walkOutsideLambdas(FD->getBody(), LambdaBodies::CapturesOnly,
                       [&](const Stmt *S) {
                         Names = isSyncRef(S);
                         if (const auto *DS = dyn_cast<DeclStmt>(S))
                           for (const Decl *D : DS->decls())
                             if (const auto *VD = dyn_cast<VarDecl>(D))
                               Names |= kind(VD->getType()) != SyncKind::None;
                         return !Names;
                       });
    if (!Names)
      return;
    // The function, and the functions around it if it is a lambda (a
    // worker lambda's spawner is the function that holds it).
    for (const DeclContext *DC = FD; DC;) {
      const auto *F = dyn_cast<FunctionDecl>(DC);
      if (!F || !Candidates.insert(F))
        break;
      const auto *MD = dyn_cast<CXXMethodDecl>(F);
      if (!MD || !MD->getParent()->isLambda())
        break;
      DC = MD->getParent()->getDeclContext();
    }
  }

  // --- scans ---------------------------------------------------------------

  bool mayStart(const Expr *E) const {
    if (!Flow.escapes().escapes(E).empty())
      return true;
    const auto *Call = dyn_cast<CallExpr>(E);
    return Call && llvm::any_of(Call->arguments(), [](const Expr *A) {
             return isCallableArgument(A);
           });
  }

  /// True if a function of the translation unit whose summary is complete
  /// is called (or constructs an object) with \p Arg.
  bool summarisedCallee(const FunctionDecl *Callee) {
    const FunctionDecl *Def = definition(Callee);
    if (!Def || SM.isInSystemHeader(Def->getLocation()))
      return false;
    const FunctionSummary *S = Flow.summaries().get(Def, SyncFamily);
    return S && S->Complete;
  }

  /// True if the use \p Ref of a synchronization object is one whose
  /// effect is followed: a member call on it, an argument of a function
  /// whose summary is known or of a worker's start, the initialiser of a
  /// reference or of a guard object, a lambda's capture (captures are
  /// judged separately).
  bool accounted(const Expr *Ref, const FlowGraph &G, const Scan &S) {
    const Stmt *P = G.parent(Ref);
    for (; P; P = G.parent(P)) {
      if (isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr>(P))
        continue;
      if (const auto *UO = dyn_cast<UnaryOperator>(P);
          UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref))
        continue;
      if (const auto *C = dyn_cast<CallExpr>(P);
          C && C->getNumArgs() == 1 &&
          isStdFunction(C->getDirectCallee(), {"ref", "cref", "addressof"}))
        continue;
      break;
    }
    if (!P || isa<LambdaExpr>(P))
      return true;
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(G.parent(ME));
      return MC && Sync.classify(MC, Ctx).Kind != SyncKind::None;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->getType()->isReferenceType())
            return true;
      return false;
    }
    if (const auto *IL = dyn_cast<InitListExpr>(P)) {
      // An aggregate guard: its destructor's summary maps the member.
      const CXXRecordDecl *RD = IL->getType()->getAsCXXRecordDecl();
      return RD && RD->getDestructor() && summarisedCallee(RD->getDestructor());
    }
    if (!isa<CallExpr, CXXConstructExpr>(P))
      return false;
    for (const Start &St : S.Starts)
      if (St.T.Site == P)
        return St.Worker != nullptr;
    return summarisedCallee(callSiteOf(cast<Expr>(P)).Callee);
  }

  /// The scan of \p G's function, made once (a worker lambda is also a
  /// candidate of its own).
  const Scan &scan(const FlowGraph &G) {
    auto [It, Inserted] = Scans.try_emplace(&G);
    if (Inserted)
      It->second = scanGraph(G);
    return It->second;
  }

  Scan scanGraph(const FlowGraph &G) {
    Scan S;
    llvm::SmallVector<const Expr *, 8> Refs;
    llvm::SmallVector<EffectEvent, 4> Events;
    for (const CFGBlock *B : G.order())
      for (const CFGElement &E : *B) {
        if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
          Events.clear();
          destructorEffects(Flow, D->getVarDecl(), SyncFamily, Events);
          for (const EffectEvent &Ev : Events)
            if (Ev.Effect & Arrives)
              S.GuardArrivals.push_back(Ev.Path);
          continue;
        }
        auto CS = E.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *St = CS->getStmt();
        if (const auto *L = dyn_cast<LambdaExpr>(St)) {
          S.Lambdas.push_back(L);
          continue;
        }
        if (const auto *DS = dyn_cast<DeclStmt>(St)) {
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D);
                V && !V->getType()->isReferenceType() &&
                !V->getType()->isPointerType() &&
                kind(V->getType()) != SyncKind::None)
              S.Locals.push_back(V);
        }
        if (isSyncRef(St)) {
          Refs.push_back(cast<Expr>(St));
          continue;
        }
        const auto *Ex = dyn_cast<Expr>(St);
        if (!Ex || !isa<CallExpr, CXXConstructExpr>(Ex))
          continue;
        if (mayStart(Ex))
          for (const TaskStart &T : Flow.taskStarts(Ex)) {
            const FunctionDecl *W = definition(T.Target.Fn);
            if (W && SM.isInSystemHeader(W->getLocation()))
              W = nullptr;
            S.Starts.push_back({T, W});
          }
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Ex)) {
          SyncCall Info = Sync.classify(MC, Ctx);
          if (Info.Kind != SyncKind::None) {
            if (std::optional<ObjectPath> P = objectPathOf(Info.Object))
              S.Directs.push_back({MC, Info, *P});
            continue;
          }
        }
        // A helper that arrives for the caller.
        Events.clear();
        effectsOf(Flow, Ex, SyncFamily, Events);
        for (const EffectEvent &Ev : Events)
          if ((Ev.Effect & Arrives) && Ev.FromSummary)
            S.Helpers.push_back({Ex, Ev.Path, Ev.MinAmount, Ev.MaxAmount});
      }
    for (const Expr *Ref : Refs)
      if (!accounted(Ref, G, S))
        if (std::optional<ObjectPath> P = objectPathOf(Ref))
          S.Escaped.push_back(*P);
    // Captured by a lambda: unknown unless the lambda is a worker.
    for (const LambdaExpr *L : S.Lambdas)
      for (const LambdaCapture &C : L->captures()) {
        if (!C.capturesVariable())
          continue;
        const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
        if (!V)
          continue;
        std::optional<ObjectPath> P;
        if (V->isInitCapture() && V->getInit())
          P = objectPathOf(V->getInit());
        if (!P) {
          P.emplace();
          P->Kind = isa<ParmVarDecl>(V)    ? RootKind::Param
                    : V->hasLocalStorage() ? RootKind::Local
                                           : RootKind::Global;
          P->Root = V;
        }
        if (kindOf(*P) == SyncKind::None)
          continue;
        S.Captured.push_back(*P);
        if (!S.isWorkerLambda(L))
          S.Escaped.push_back(*P);
      }
    return S;
  }

  // --- workers -------------------------------------------------------------

  void exitNote(LatchFinding &F, const SyncExit &E) {
    F.Exit = E.Kind;
    F.Loc = E.Loc;
  }

  const Worker &worker(const FunctionDecl *FD) {
    auto [It, Inserted] = Workers.try_emplace(FD);
    Worker &W = It->second;
    if (!Inserted)
      return W;
    const FlowGraph *G = Flow.graph(FD);
    if (!G)
      return W;
    const Scan &S = scan(*G);
    W.HasNestedSpawn = !S.Starts.empty();
    for (const Direct &D : S.Directs)
      if (D.Info.Op == SyncOp::Add && D.Info.Kind == SyncKind::WaitGroup)
        W.Adds.push_back({D.Object, D.Call});
    SyncPaths P = analyzeSyncPaths(Flow, *G);
    if (!P.Solved)
      return W;
    for (const SyncObjectUse &U : P.Uses) {
      SyncKind Kind = kindOf(U.Object);
      // A semaphore counts as a signal the worker gives when it only
      // releases (one it acquires too is a lock around its work).
      bool Signal = Kind == SyncKind::Semaphore && !U.FirstAcquire;
      if (!(U.Effects & Arrives) ||
          (Kind != SyncKind::Latch && Kind != SyncKind::Barrier &&
           Kind != SyncKind::WaitGroup && !Signal))
        continue;
      WorkerObject O;
      O.Object = U.Object;
      O.Kind = Kind;
      // Arrivals in a lambda of the worker that no summary carried here
      // (an algorithm's callback): not counted.
      bool Nested = !U.ArrivalFromSummary &&
                    llvm::any_of(S.Lambdas, [&](const LambdaExpr *L) {
                      const FunctionSummary *LS = Flow.summaries().get(
                          L->getCallOperator(), SyncFamily);
                      return LS && LS->has(U.Object, Arrives);
                    });
      O.ParticipationKnown = !S.escaped(U.Object) && !Nested &&
                             !(U.UnknownAmount && Kind != SyncKind::Barrier);
      const SyncCount *Normal =
          P.NormalExit ? findCount(*P.NormalExit, U.Object) : nullptr;
      bool Loop = llvm::any_of(P.Exits, [&](const SyncExit &E) {
        const SyncCount *C = E.arrivals(U.Object);
        return C && C->Max == Unbounded;
      });
      O.PathsKnown =
          O.ParticipationKnown && !U.UnknownAmount && !Loop && P.NormalExit;
      if (O.PathsKnown)
        O.PerPath = !Normal ? std::optional<int64_t>(0)
                    : Normal->Min == Normal->Max
                        ? std::optional<int64_t>(Normal->Min)
                        : std::nullopt;
      if (O.PathsKnown && !Signal)
        pathFindings(U, O, P);
      W.Objects.push_back(std::move(O));
    }
    return W;
  }

  /// Where to point at a statement: a member call at its member's name.
  static SourceLocation locOf(const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      return E->getExprLoc();
    return S->getBeginLoc();
  }

  /// Rules 2 and 3 for one object of a worker.
  void pathFindings(const SyncObjectUse &U, const WorkerObject &O,
                    const SyncPaths &P) {
    bool AnyZero = false, AnyArrives = false;
    const SyncExit *FirstZero = nullptr;
    for (const SyncExit &E : P.Exits) {
      const SyncCount *C = E.arrivals(U.Object);
      if (!C || C->Min == 0) {
        AnyZero = true;
        if (!FirstZero)
          FirstZero = &E;
      }
      AnyArrives |= C && C->Max > 0;
    }
    if (AnyZero && AnyArrives && U.FirstArrival) {
      LatchFinding F;
      F.K = LatchFinding::LeavesWithout;
      F.Sync = O.Kind;
      F.Object = U.Object.leaf();
      exitNote(F, *FirstZero);
      F.OtherLoc = locOf(U.FirstArrival);
      Out.push_back(F);
    }
    if (O.Kind != SyncKind::Barrier && U.Repeated) {
      LatchFinding F;
      F.K = LatchFinding::ArrivesTwice;
      F.Sync = O.Kind;
      F.Object = U.Object.leaf();
      F.Loc = locOf(U.Repeated);
      if (U.FirstArrival && U.FirstArrival != U.Repeated)
        F.OtherLoc = locOf(U.FirstArrival);
      Out.push_back(F);
    }
  }

  // --- spawners ------------------------------------------------------------

  void addInWorker(const Start &St) {
    if (!St.Worker)
      return;
    const Worker &W = worker(St.Worker);
    if (W.HasNestedSpawn)
      return;
    for (const auto &[Obj, Call] : W.Adds) {
      // A group declared inside the worker is the worker's own business.
      if (Obj.Kind == RootKind::Local && Obj.Fields.empty() &&
          Obj.Root->getDeclContext() == St.Worker)
        continue;
      std::optional<ObjectPath> Mapped = mapTaskSlot(St.T, Obj);
      LatchFinding F;
      F.K = LatchFinding::AddInWorker;
      F.Sync = SyncKind::WaitGroup;
      F.Object = Mapped ? Mapped->leaf() : Obj.leaf();
      F.Loc = Call->getExprLoc();
      F.OtherLoc = St.T.Site->getBeginLoc();
      Out.push_back(F);
    }
  }

  /// Rule 6 for \p Obj; true if it reported.
  bool latchInLoop(const ObjectPath &Obj, const Scan &S, const FlowGraph &G) {
    for (const Direct &D : S.Directs) {
      if (D.Object != Obj || D.Info.Kind != SyncKind::Latch ||
          (D.Info.Op != SyncOp::Wait && D.Info.Op != SyncOp::ArriveAndWait))
        continue;
      llvm::SmallVector<Frame, 4> Frames = framesAround(D.Call, Obj.leaf(), G);
      const Frame *Loop = repeatingLoop(Frames);
      if (!Loop)
        continue;
      LatchFinding F;
      F.K = LatchFinding::LatchInLoop;
      F.Sync = SyncKind::Latch;
      F.Object = Obj.leaf();
      F.Loc = D.Call->getExprLoc();
      F.ArriveAndWait = D.Info.Op == SyncOp::ArriveAndWait;
      F.Made = *Loop->Factor;
      Out.push_back(F);
      return true;
    }
    return false;
  }

  /// Calls \p Fn with each object of the visible workers \p S starts that
  /// denotes \p Self in the spawner, and its start; false if \p Fn
  /// returned false (the counts are unknown).
  template <class Callback>
  bool forEachWorkerObject(const Scan &S, const ObjectPath &Self, Callback Fn) {
    for (const Start &St : S.Starts) {
      if (!St.Worker)
        continue;
      for (const WorkerObject &O : worker(St.Worker).Objects) {
        std::optional<ObjectPath> Mapped = mapTaskSlot(St.T, O.Object);
        if (Mapped && *Mapped == Self && !Fn(St, O))
          return false;
      }
    }
    return true;
  }

  /// Rule 1 for the local latch or barrier \p V.
  void countMismatch(const VarDecl *V, const Scan &S, const FlowGraph &G) {
    ObjectPath Self;
    Self.Kind = RootKind::Local;
    Self.Root = V;
    SyncKind Kind = kindOf(Self);
    // A guard of this function arriving at the end of its scope is not
    // counted: the count is unknown.
    if ((Kind != SyncKind::Latch && Kind != SyncKind::Barrier) ||
        S.escaped(Self) || llvm::is_contained(S.GuardArrivals, Self))
      return;
    const Expr *CountExpr = SyncPrimitives::constructionCount(V->getInit());
    MaybeCount Count = decomposeCount(CountExpr, Ctx);
    if (!Count)
      return;
    bool IsLatch = Kind == SyncKind::Latch;
    MaybeCount Arrivals = SymCount{};
    llvm::SmallVector<LatchFinding::Part, 4> Parts;
    auto Times = [&](const Stmt *Site) {
      return times(framesAround(Site, V, G));
    };
    bool Known = forEachWorkerObject(
        S, Self, [&](const Start &St, const WorkerObject &O) {
          std::optional<int64_t> Each;
          if (IsLatch && O.PathsKnown)
            Each = O.PerPath;
          else if (!IsLatch && O.ParticipationKnown)
            Each = 1;
          MaybeCount Part =
              Each ? scaleCount(Times(St.T.Site), *Each) : std::nullopt;
          if (!Part)
            return false;
          Arrivals = addCounts(Arrivals, Part);
          if (*Each)
            Parts.push_back({St.T.Site->getBeginLoc(), *Part, true});
          return true;
        });
    if (!Known)
      return;
    bool MainArrives = false;
    auto Own = [&](const Stmt *Site, SourceLocation Loc,
                   std::optional<int64_t> Amount) {
      MaybeCount T = Times(Site);
      if (!T || !Amount || *Amount < 0)
        return false;
      if (IsLatch) {
        MaybeCount Part = scaleCount(T, Amount);
        if (!Part)
          return false;
        Arrivals = addCounts(Arrivals, Part);
        Parts.push_back({Loc, *Part, false});
      } else if (!MainArrives) {
        if (*Amount != 1)
          return false;
        MainArrives = true;
        Arrivals = addCounts(Arrivals, SymCount{nullptr, 1});
        Parts.push_back({Loc, SymCount{nullptr, 1}, false});
      }
      return true;
    };
    for (const Direct &D : S.Directs)
      if (D.Object == Self && isArrival(D.Info.Op) &&
          !Own(D.Call, D.Call->getExprLoc(), D.Info.Amount))
        return;
    for (const HelperArrival &H : S.Helpers)
      if (H.Object == Self &&
          !Own(H.Site, H.Site->getBeginLoc(),
               H.Min == H.Max ? std::optional<int64_t>(H.Min) : std::nullopt))
        return;
    if (!Arrivals || Parts.empty())
      return;
    std::optional<int64_t> Diff = difference(*Count, *Arrivals, Ctx);
    if (!Diff || *Diff == 0)
      return;
    LatchFinding F;
    F.K = LatchFinding::CountMismatch;
    F.Sync = Kind;
    F.Object = V;
    F.CountExpr = CountExpr;
    F.Loc = CountExpr->getBeginLoc();
    F.Expected = *Count;
    F.Made = *Arrivals;
    llvm::sort(Parts,
               [&](const LatchFinding::Part &A, const LatchFinding::Part &B) {
                 return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
               });
    F.Parts = std::move(Parts);
    Out.push_back(F);
  }

  /// Rule 7 for the local semaphore \p V: the workers release it more
  /// times than its maximum allows, while the function acquires it fewer
  /// times than they release.
  void semaphoreOverflow(const VarDecl *V, const Scan &S, const FlowGraph &G) {
    ObjectPath Self;
    Self.Kind = RootKind::Local;
    Self.Root = V;
    std::optional<int64_t> Max = semaphoreMax(V->getType());
    if (kindOf(Self) != SyncKind::Semaphore || !Max || S.escaped(Self))
      return;
    auto Times = [&](const Stmt *Site) {
      return times(framesAround(Site, V, G));
    };
    MaybeCount Releases = SymCount{};
    llvm::SmallVector<LatchFinding::Part, 2> Parts;
    bool Known = forEachWorkerObject(
        S, Self, [&](const Start &St, const WorkerObject &O) {
          if (O.Kind != SyncKind::Semaphore || !O.PathsKnown || !O.PerPath)
            return false;
          MaybeCount Part = scaleCount(Times(St.T.Site), *O.PerPath);
          if (!Part)
            return false;
          Releases = addCounts(Releases, Part);
          if (*O.PerPath)
            Parts.push_back({St.T.Site->getBeginLoc(), *Part, true});
          return true;
        });
    if (!Known)
      return;
    // The function's own acquires, a constant number of times; releases of
    // its own make the count unknown.
    int64_t Acquires = 0;
    const CXXMemberCallExpr *Acquire = nullptr;
    for (const Direct &D : S.Directs) {
      if (D.Object != Self)
        continue;
      if (D.Info.Op != SyncOp::Acquire)
        return;
      MaybeCount T = Times(D.Call);
      if (!T || T->Base)
        return;
      Acquires += T->Offset;
      if (!Acquire)
        Acquire = D.Call;
    }
    if (!Releases || Parts.empty() || !Acquire ||
        llvm::any_of(S.Helpers,
                     [&](const HelperArrival &H) { return H.Object == Self; }))
      return;
    // A loop of workers (an unknown trip count) counts as several.
    bool Several = Releases->Base ? Acquires <= *Max
                                  : Releases->Offset > std::max(*Max, Acquires);
    if (!Several)
      return;
    LatchFinding F;
    F.K = LatchFinding::SemaphoreOverflow;
    F.Sync = SyncKind::Semaphore;
    F.Object = V;
    F.Loc = Acquire->getExprLoc();
    F.Expected = SymCount{nullptr, *Max};
    F.Made = *Releases;
    F.Trips = Acquires;
    llvm::sort(Parts,
               [&](const LatchFinding::Part &A, const LatchFinding::Part &B) {
                 return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
               });
    F.Parts = std::move(Parts);
    Out.push_back(F);
  }

  /// Rule 5 in \p Fn.
  void semaphores(const FunctionDecl *Fn, const Scan &S, const FlowGraph &G) {
    if (isa<CXXConstructorDecl>(Fn))
      return;
    llvm::SmallVector<ObjectPath, 2> Objects;
    for (const Direct &D : S.Directs)
      if (D.Info.Kind == SyncKind::Semaphore &&
          !llvm::is_contained(Objects, D.Object))
        Objects.push_back(D.Object);
    std::optional<SyncPaths> P;
    for (const ObjectPath &Obj : Objects) {
      if (S.escaped(Obj) || llvm::is_contained(S.Captured, Obj))
        continue;
      bool Acquires = false, Releases = false, Tries = false;
      const CXXMemberCallExpr *FirstAcquire = nullptr;
      for (const Direct &D : S.Directs) {
        if (D.Object != Obj)
          continue;
        if (D.Info.Op == SyncOp::Acquire) {
          Acquires = true;
          if (!FirstAcquire ||
              SM.isBeforeInTranslationUnit(D.Call->getBeginLoc(),
                                           FirstAcquire->getBeginLoc()))
            FirstAcquire = D.Call;
        }
        Releases |= D.Info.Op == SyncOp::Release;
        Tries |= D.Info.Op == SyncOp::TryAcquire;
      }
      if (!Acquires || !Releases || Tries)
        continue;
      if (!P)
        P = analyzeSyncPaths(Flow, G);
      if (!P->Solved)
        return;
      bool AnyReleased = false;
      const SyncExit *FirstHeld = nullptr;
      for (const SyncExit &E : P->Exits) {
        const SyncCount *H = E.held(Obj);
        if (!H || H->Min == 0)
          AnyReleased = true;
        if (H && H->Max > 0 && !FirstHeld)
          FirstHeld = &E;
      }
      if (!AnyReleased || !FirstHeld)
        continue;
      LatchFinding F;
      F.K = LatchFinding::SemaphoreHeld;
      F.Sync = SyncKind::Semaphore;
      F.Object = Obj.leaf();
      exitNote(F, *FirstHeld);
      F.OtherLoc = FirstAcquire->getExprLoc();
      Out.push_back(F);
    }
  }

  void spawner(const FunctionDecl *Fn) {
    const FlowGraph *G = Flow.graph(Fn);
    if (!G)
      return;
    const Scan &S = scan(*G);
    for (const Start &St : S.Starts)
      addInWorker(St);
    llvm::SmallVector<ObjectPath, 4> Done;
    for (const VarDecl *V : S.Locals) {
      ObjectPath Self;
      Self.Kind = RootKind::Local;
      Self.Root = V;
      Done.push_back(Self);
      if (!latchInLoop(Self, S, *G))
        countMismatch(V, S, *G);
      semaphoreOverflow(V, S, *G);
    }
    // The latch-in-loop rule for members and parameters.
    for (const Direct &D : S.Directs)
      if (!llvm::is_contained(Done, D.Object)) {
        Done.push_back(D.Object);
        latchInLoop(D.Object, S, *G);
      }
    semaphores(Fn, S, *G);
  }

  std::vector<LatchFinding> run() {
    std::vector<const FunctionDecl *> Fns(Candidates.begin(), Candidates.end());
    sortInSourceOrder(Fns, SM);
    for (const FunctionDecl *FD : Fns)
      spawner(FD);
    std::vector<LatchFinding> Result = std::move(Out);
    llvm::sort(Result, [&](const LatchFinding &A, const LatchFinding &B) {
      if (A.Loc != B.Loc)
        return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
      return A.K < B.K;
    });
    return Result;
  }
};

LatchBalance::LatchBalance(FlowContext &Flow)
    : P(std::make_unique<Impl>(Flow)) {}

LatchBalance::~LatchBalance() = default;

void LatchBalance::addFunction(const FunctionDecl *FD) {
  if (FD && FD->getBody())
    P->add(FD);
}

std::vector<LatchFinding> LatchBalance::run() { return P->run(); }

} // namespace pitfall
