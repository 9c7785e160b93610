//===--- UnbalancedLatchCheck.cpp - pitfall-unbalanced-latch --------------===//
//
// The check collects the functions that declare or use a latch, barrier,
// semaphore or WaitGroup and analyzes each once at the end of the
// translation unit:
//
//  * a walk over the function's body (the "spawner") records the workers it
//    starts and how many times (loop trip counts), the calls it makes on the
//    synchronization objects itself, and every other use of those objects
//    (which makes the count unknown);
//  * each worker's body is summarized once: which objects it arrives at,
//    and, through a CFG analysis built only for workers that arrive, how
//    many arrivals every path makes;
//  * counts are compared symbolically (a constant, or an expression plus an
//    offset) and only when everything is known.
//
//===----------------------------------------------------------------------===//
#include "UnbalancedLatchCheck.h"
#include "CheckFactory.h"
#include "pitfall/Core/BodyIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <deque>

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {
namespace latch_detail {

//===----------------------------------------------------------------------===//
// Symbolic counts: Base + Offset, Base null for a constant.
//===----------------------------------------------------------------------===//

struct SymCount {
  const Expr *Base = nullptr;
  int64_t Offset = 0;
};
using MaybeCount = std::optional<SymCount>;

static std::optional<int64_t> constantValue(const Expr *E,
                                            const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(Ctx))
    return V->getExtValue();
  return std::nullopt;
}

/// A symbolic base must denote the same value wherever it is written:
/// a variable, a member, or a call such as `v.size()` without arguments.
static bool isStableBase(const Expr *E) {
  if (isa<DeclRefExpr, MemberExpr>(E))
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return MC->getNumArgs() == 0;
  return false;
}

static MaybeCount decomposeCount(const Expr *E, const ASTContext &Ctx) {
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

static bool sameExpr(const Expr *A, const Expr *B, const ASTContext &Ctx) {
  if (A == B)
    return true;
  if (!A || !B)
    return false;
  llvm::FoldingSetNodeID IA, IB;
  A->Profile(IA, Ctx, /*Canonical=*/true);
  B->Profile(IB, Ctx, /*Canonical=*/true);
  return IA == IB;
}

static MaybeCount addCounts(MaybeCount A, MaybeCount B, const ASTContext &Ctx) {
  if (!A || !B)
    return std::nullopt;
  if (A->Base && B->Base)
    return std::nullopt; // 2 * n and n + m are not tracked.
  return SymCount{A->Base ? A->Base : B->Base, A->Offset + B->Offset};
}

static MaybeCount scaleCount(MaybeCount A, std::optional<int64_t> K) {
  if (!A || !K)
    return std::nullopt;
  if (*K == 0)
    return SymCount{};
  if (A->Base && *K != 1)
    return std::nullopt;
  return SymCount{A->Base, A->Offset * *K};
}

static MaybeCount multiplyCounts(MaybeCount A, MaybeCount B) {
  if (!A || !B)
    return std::nullopt;
  if (!A->Base)
    return scaleCount(B, A->Offset);
  if (!B->Base)
    return scaleCount(A, B->Offset);
  return std::nullopt;
}

/// Compares two counts: the difference A - B when it is known.
static std::optional<int64_t> difference(const SymCount &A, const SymCount &B,
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

static bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return DRE && DRE->getDecl() == V;
}

static bool isIncrementByOne(const Expr *Inc, const VarDecl *V,
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
static bool leavesOrWrites(const Stmt *S, const VarDecl *V) {
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
  for (const Stmt *Child : S->children())
    if (leavesOrWrites(Child, V))
      return true;
  return false;
}

static MaybeCount tripCount(const ForStmt *FS, const ASTContext &Ctx) {
  const VarDecl *IV = nullptr;
  std::optional<int64_t> Start;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(FS->getInit());
      DS && DS->isSingleDecl()) {
    IV = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (IV && IV->getInit())
      Start = constantValue(IV->getInit()->IgnoreParenImpCasts(), Ctx);
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(FS->getInit());
             BO && BO->getOpcode() == BO_Assign) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      IV = dyn_cast<VarDecl>(DRE->getDecl());
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
// Path counting over a CFG.
//===----------------------------------------------------------------------===//

/// The number of arrivals (or "held") a path has made, as a set of the
/// values 0, 1, 2 and "3 or more" (one bit each).
using CountMask = unsigned;
constexpr unsigned MaxTracked = 3;

struct PathEffect {
  bool IsSet; ///< set the count to Amount (semaphores) or add Amount
  int64_t Amount;
};

static CountMask applyEffect(CountMask M, PathEffect E) {
  if (!M)
    return 0;
  if (E.IsSet)
    return 1u << std::min<int64_t>(E.Amount, MaxTracked);
  CountMask Out = 0;
  for (unsigned B = 0; B <= MaxTracked; ++B)
    if (M & (1u << B))
      Out |= 1u << std::min<int64_t>(B + E.Amount, MaxTracked);
  return Out;
}

enum class ExitKind { Return, Throw, FallOff };

struct PathExit {
  ExitKind Kind;
  SourceLocation Loc;
  CountMask Mask;
};

struct PathResult {
  CountMask ExitMask = 0;
  llvm::SmallVector<PathExit, 4> Exits;
  /// The first effect (in block order) reached by a path that has already
  /// arrived.
  const Stmt *Repeated = nullptr;
};

static std::unique_ptr<CFG> buildCFG(const FunctionDecl *F, ASTContext &Ctx) {
  const Stmt *Body = F ? F->getBody() : nullptr;
  if (!Body || isa<CoroutineBodyStmt>(Body))
    return nullptr;
  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  return CFG::buildCFG(F, const_cast<Stmt *>(Body), &Ctx, Opts);
}

static PathResult
countPaths(const CFG &G, const FunctionDecl *F,
           const llvm::DenseMap<const Stmt *, PathEffect> &Effects) {
  unsigned N = G.getNumBlockIDs();
  llvm::SmallVector<CountMask, 32> In(N, 0), Out(N, 0);
  In[G.getEntry().getBlockID()] = 1; // count 0
  auto Transfer = [&](const CFGBlock &B, CountMask M, const Stmt **Repeated) {
    for (const CFGElement &E : B) {
      std::optional<CFGStmt> S = E.getAs<CFGStmt>();
      if (!S)
        continue;
      auto It = Effects.find(S->getStmt());
      if (It == Effects.end())
        continue;
      CountMask Next = applyEffect(M, It->second);
      if (Repeated && !*Repeated && !It->second.IsSet && (M & ~1u))
        *Repeated = S->getStmt();
      M = Next;
    }
    return M;
  };
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const CFGBlock *B : G) {
      CountMask NewOut = Transfer(*B, In[B->getBlockID()], nullptr);
      if (NewOut == Out[B->getBlockID()])
        continue;
      Out[B->getBlockID()] = NewOut;
      Changed = true;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *S = Succ.getReachableBlock())
          In[S->getBlockID()] |= NewOut;
    }
  }
  PathResult R;
  for (const CFGBlock *B : G)
    if (In[B->getBlockID()])
      Transfer(*B, In[B->getBlockID()], &R.Repeated);
  const auto *Body = dyn_cast<CompoundStmt>(F->getBody());
  for (const CFGBlock::AdjacentBlock &Pred : G.getExit().preds()) {
    const CFGBlock *P = Pred.getReachableBlock();
    if (!P || P->hasNoReturnElement() || !Out[P->getBlockID()])
      continue;
    CountMask M = Out[P->getBlockID()];
    R.ExitMask |= M;
    PathExit Exit{ExitKind::FallOff,
                  Body ? Body->getRBracLoc() : F->getEndLoc(), M};
    for (auto It = P->rbegin(), End = P->rend(); It != End; ++It) {
      std::optional<CFGStmt> S = It->getAs<CFGStmt>();
      if (!S)
        continue;
      if (isa<ReturnStmt, CoreturnStmt>(S->getStmt()))
        Exit = {ExitKind::Return, S->getStmt()->getBeginLoc(), M};
      else if (isa<CXXThrowExpr>(S->getStmt()))
        Exit = {ExitKind::Throw, S->getStmt()->getBeginLoc(), M};
      break;
    }
    R.Exits.push_back(Exit);
  }
  llvm::sort(R.Exits, [](const PathExit &A, const PathExit &B) {
    return A.Loc.getRawEncoding() < B.Loc.getRawEncoding();
  });
  return R;
}

//===----------------------------------------------------------------------===//
// Worker summaries.
//===----------------------------------------------------------------------===//

struct ObjectUse {
  SyncKind Kind = SyncKind::None;
  llvm::SmallVector<const CXXMemberCallExpr *, 2> Arrivals;
  llvm::SmallVector<const CXXMemberCallExpr *, 1> Adds;
  bool Escaped = false;       ///< used other than through member calls
  bool InLoop = false;        ///< an arrival inside a loop of the worker
  bool InNested = false;      ///< an arrival inside a nested lambda
  bool AmountUnknown = false; ///< an arrival with a non-constant amount
  /// The arrivals every path makes, when all paths agree.
  std::optional<int64_t> PerPath;

  bool pathsKnown() const {
    return !Escaped && !InLoop && !InNested && !AmountUnknown;
  }
  bool participationKnown() const {
    return !Escaped && !InNested && !AmountUnknown;
  }
};

struct WorkerSummary {
  llvm::MapVector<const ValueDecl *, ObjectUse> Objects;
  bool HasNestedSpawn = false;
};

class WorkerCollector {
public:
  WorkerCollector(const SyncPrimitives &Sync, const EscapeRecognizer &Escapes,
                  const UnbalancedLatchCheck &Check, ASTContext &Ctx,
                  WorkerSummary &Out)
      : Sync(Sync), Escapes(Escapes), Check(Check), Ctx(Ctx), Out(Out) {}

  void walk(const Stmt *S, bool InLoop, bool InNested) {
    if (!S)
      return;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      walk(L->getBody(), InLoop, /*InNested=*/true);
      return;
    }
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S)) {
      for (const Stmt *Child : S->children())
        walk(Child, /*InLoop=*/true, InNested);
      return;
    }
    if (const auto *E = dyn_cast<Expr>(S))
      if (isa<CallExpr, CXXConstructExpr>(E) && !Escapes.escapes(E).empty())
        Out.HasNestedSpawn = true;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (recordCall(MC, InLoop, InNested))
        return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      markEscaped(DRE->getDecl());
      return;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S);
        ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      markEscaped(ME->getMemberDecl());
    for (const Stmt *Child : S->children())
      walk(Child, InLoop, InNested);
  }

private:
  bool recordCall(const CXXMemberCallExpr *MC, bool InLoop, bool InNested) {
    SyncCall Info = Sync.classify(MC, Ctx);
    if (Info.Kind == SyncKind::None)
      return false;
    const ValueDecl *Obj = SyncPrimitives::objectDecl(Info.Object);
    if (!Obj)
      return false;
    ObjectUse &U = Out.Objects[Obj];
    U.Kind = Info.Kind;
    if (isArrival(Info.Op)) {
      U.Arrivals.push_back(MC);
      U.InLoop |= InLoop;
      U.InNested |= InNested;
      bool AmountOk = Info.Amount && *Info.Amount >= 0 &&
                      (Info.Kind != SyncKind::Barrier || *Info.Amount == 1);
      U.AmountUnknown |= !AmountOk;
    } else if (Info.Op == SyncOp::Add && !InNested) {
      U.Adds.push_back(MC);
    }
    for (const Expr *Arg : MC->arguments())
      walk(Arg, InLoop, InNested);
    return true;
  }

  void markEscaped(const ValueDecl *D) {
    if (!D || Check.kindOf(recordOf(D->getType(), /*ThroughPointers=*/true)) ==
                  SyncKind::None)
      return;
    Out.Objects[D].Escaped = true;
  }

  const SyncPrimitives &Sync;
  const EscapeRecognizer &Escapes;
  const UnbalancedLatchCheck &Check;
  ASTContext &Ctx;
  WorkerSummary &Out;
};

//===----------------------------------------------------------------------===//
// Diagnostic wording.
//===----------------------------------------------------------------------===//

/// %select index used by the messages: latch, barrier, WaitGroup.
static unsigned arrivalSelect(SyncKind K) {
  switch (K) {
  case SyncKind::Barrier:
    return 1;
  case SyncKind::WaitGroup:
    return 2;
  default:
    return 0;
  }
}

static unsigned exitSelect(ExitKind K) {
  switch (K) {
  case ExitKind::Return:
    return 0;
  case ExitKind::Throw:
    return 1;
  case ExitKind::FallOff:
    return 2;
  }
  return 0;
}

static std::string formatCount(const SymCount &C, const ASTContext &Ctx) {
  std::string Out;
  if (C.Base) {
    Out = Lexer::getSourceText(
              CharSourceRange::getTokenRange(C.Base->getSourceRange()),
              Ctx.getSourceManager(), Ctx.getLangOpts())
              .str();
    if (Out.empty())
      Out = "n";
    if (C.Offset > 0)
      Out += " + " + std::to_string(C.Offset);
    else if (C.Offset < 0)
      Out += " - " + std::to_string(-C.Offset);
    return Out;
  }
  return std::to_string(C.Offset);
}

} // namespace latch_detail

using namespace latch_detail;

//===----------------------------------------------------------------------===//
// The check.
//===----------------------------------------------------------------------===//

UnbalancedLatchCheck::UnbalancedLatchCheck(llvm::StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      WaitGroupTypesOption(
          Options.get("WaitGroupTypes", DefaultWaitGroupTypes)),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      EscapeFunctionsOption(
          Options.get("EscapeFunctions", DefaultEscapeFunctions)),
      Sync(WaitGroupTypesOption),
      Escapes(ThreadTypesOption, EscapeFunctionsOption) {}

UnbalancedLatchCheck::~UnbalancedLatchCheck() = default;

void UnbalancedLatchCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "WaitGroupTypes", WaitGroupTypesOption);
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
  Options.store(Opts, "EscapeFunctions", EscapeFunctionsOption);
}

SyncKind UnbalancedLatchCheck::kindOf(const CXXRecordDecl *RD) const {
  if (!RD)
    return SyncKind::None;
  RD = RD->getCanonicalDecl();
  auto [It, Inserted] = KindCache.try_emplace(RD, SyncKind::None);
  if (Inserted)
    It->second = Sync.kindOf(RD);
  return It->second;
}

void UnbalancedLatchCheck::registerMatchers(MatchFinder *Finder) {
  // Only the user's functions are matched; check() walks their bodies for
  // synchronization calls and locals (matchers on every member call and
  // variable would be tried on those of every header).
  auto InUserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(functionDecl(InUserCode, isDefinition()).bind("def"),
                     this);
  // A lambda at namespace scope is a function of its own.
  Finder->addMatcher(lambdaExpr(InUserCode).bind("lambda"), this);
}

void UnbalancedLatchCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  const FunctionDecl *Def = Result.Nodes.getNodeAs<FunctionDecl>("def");
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda")) {
    if (L->getLambdaClass()->getDeclContext()->isFunctionOrMethod())
      return; // walked with its function
    Def = L->getCallOperator();
  }
  forEachSpelledStmt(Def, [&](const Stmt *S, const FunctionDecl *Fn) {
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      if (M && kindOf(M->getParent()) != SyncKind::None)
        addCandidate(Fn);
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->hasLocalStorage() &&
            kindOf(recordOf(VD->getType())) != SyncKind::None)
          addCandidate(Fn);
  });
}

void UnbalancedLatchCheck::addCandidate(const FunctionDecl *F) {
  // The function and the functions around it (a worker lambda's spawner is
  // the function that contains the lambda).
  for (const DeclContext *DC = F; DC;) {
    const auto *FD = dyn_cast<FunctionDecl>(DC);
    if (!FD || !Candidates.insert(FD))
      break;
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      break;
    DC = MD->getParent()->getDeclContext();
  }
}

const WorkerSummary &
UnbalancedLatchCheck::workerSummary(const FunctionDecl *Worker) {
  std::unique_ptr<WorkerSummary> &Slot = Summaries[Worker];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<WorkerSummary>();
  WorkerSummary &S = *Slot;
  if (!Worker->getBody() ||
      Ctx->getSourceManager().isInSystemHeader(Worker->getLocation()))
    return S;
  WorkerCollector(Sync, Escapes, *this, *Ctx, S)
      .walk(Worker->getBody(), false, false);

  std::unique_ptr<CFG> G;
  bool Built = false;
  for (auto &[Obj, U] : S.Objects) {
    if (U.Arrivals.empty() || !U.pathsKnown())
      continue;
    if (!Built) {
      G = buildCFG(Worker, *Ctx);
      Built = true;
    }
    if (!G)
      break;
    llvm::DenseMap<const Stmt *, PathEffect> Effects;
    for (const CXXMemberCallExpr *Call : U.Arrivals)
      Effects[Call] = {false, Sync.classify(Call, *Ctx).Amount.value_or(1)};
    PathResult R = countPaths(*G, Worker, Effects);
    if (!R.ExitMask)
      continue;
    if (llvm::has_single_bit(R.ExitMask) && R.ExitMask != (1u << MaxTracked))
      U.PerPath = llvm::countr_zero(R.ExitMask);

    unsigned Sel = arrivalSelect(U.Kind);
    // A path that leaves without arriving while others arrive.
    if ((R.ExitMask & 1u) && (R.ExitMask & ~1u)) {
      for (const PathExit &E : R.Exits) {
        if (!(E.Mask & 1u))
          continue;
        diag(E.Loc, "%select{worker returns|worker throws|worker reaches its "
                    "end}0 without %select{counting down latch|arriving at "
                    "barrier|calling done on WaitGroup}1 %2 on this path")
            << exitSelect(E.Kind) << Sel << Obj;
        diag(U.Arrivals.front()->getExprLoc(),
             "other paths %select{count down|arrive|call done}0 here",
             DiagnosticIDs::Note)
            << Sel;
        diag(Obj->getLocation(), "%0 declared here", DiagnosticIDs::Note)
            << Obj;
        diag(E.Loc,
             "%select{count down|arrive|call done}0 from a scope guard "
             "(a local object whose destructor does it) so that every path "
             "does",
             DiagnosticIDs::Note)
            << Sel;
        break;
      }
    }
    // A path that arrives twice (barriers are reusable: arriving at every
    // phase is their purpose).
    if (U.Kind != SyncKind::Barrier && R.Repeated) {
      const auto *Second = cast<CXXMemberCallExpr>(R.Repeated);
      diag(Second->getExprLoc(),
           "worker %select{counts down latch|arrives at barrier|calls done on "
           "WaitGroup}0 %1 more than once on this path")
          << Sel << Obj;
      for (const CXXMemberCallExpr *Call : U.Arrivals)
        if (Call != Second) {
          diag(Call->getExprLoc(),
               "previous %select{count down|arrival|done}0 "
               "on the same path here",
               DiagnosticIDs::Note)
              << Sel;
          break;
        }
      diag(Obj->getLocation(), "%0 declared here", DiagnosticIDs::Note) << Obj;
    }
  }
  return S;
}

namespace {
/// One start of a worker by the spawner.
struct Frame;
struct WorkerStart {
  const Expr *Site = nullptr;
  const FunctionDecl *Worker = nullptr;
  const Frame *Where = nullptr;
  /// Worker parameters bound to the spawner's objects (std::ref(l), &l).
  llvm::SmallDenseMap<const ValueDecl *, const ValueDecl *, 2> Params;
};

/// A call the spawner itself makes on a synchronization object.
struct DirectCall {
  const CXXMemberCallExpr *Call;
  SyncCall Info;
  const ValueDecl *Obj;
  const struct Frame *Where;
};

/// A statement the spawner's walk is inside of that may repeat or skip
/// what it contains: a loop body (Factor = its trip count) or a
/// conditional part (Factor unknown). Frames form a persistent stack.
struct Frame {
  const Stmt *S;
  MaybeCount Factor;
  const Frame *Outer;
};

/// True if \p Obj is a local declared inside \p S (so each execution of S
/// has its own object).
static bool declaredWithin(const Stmt *S, const ValueDecl *Obj) {
  const auto *VD = dyn_cast<VarDecl>(Obj);
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
         S->getSourceRange().fullyContains(VD->getSourceRange());
}

/// How many times the code at \p Top runs per lifetime of \p Obj.
static MaybeCount timesPerObject(const Frame *Top, const ValueDecl *Obj) {
  MaybeCount T = SymCount{nullptr, 1};
  for (const Frame *Fr = Top; Fr && !declaredWithin(Fr->S, Obj); Fr = Fr->Outer)
    if (!(T = multiplyCounts(T, Fr->Factor)))
      return std::nullopt;
  return T;
}

/// The loop (with a constant trip count above one, outside \p Obj's scope)
/// in every iteration of which the code at \p Top runs unconditionally.
static const Frame *repeatingLoop(const Frame *Top, const ValueDecl *Obj) {
  for (const Frame *Fr = Top; Fr && !declaredWithin(Fr->S, Obj);
       Fr = Fr->Outer) {
    if (!Fr->Factor || Fr->Factor->Base || Fr->Factor->Offset < 1)
      return nullptr;
    if (Fr->Factor->Offset > 1)
      return Fr;
  }
  return nullptr;
}

struct WalkState {
  const Frame *Top = nullptr;
};
} // namespace

class UnbalancedLatchCheck::FunctionAnalysis {
public:
  FunctionAnalysis(UnbalancedLatchCheck &Check, const FunctionDecl *F)
      : Check(Check), Ctx(*Check.Ctx), F(F) {}

  void run() {
    walk(F->getBody(), WalkState());
    collectLambdaCaptures();
    for (const WorkerStart &S : Starts)
      reportAddInWorker(S);
    for (const VarDecl *V : Locals)
      if (!reportLatchInLoop(V))
        reportCountMismatch(V);
    reportFieldLatchInLoop();
    reportSemaphores();
  }

private:
  bool isSync(const ValueDecl *D) const {
    return D &&
           Check.kindOf(recordOf(D->getType(), /*ThroughPointers=*/true)) !=
               SyncKind::None;
  }

  WalkState push(const Stmt *S, MaybeCount Factor, const WalkState &St) {
    Frames.push_back({S, Factor, St.Top});
    return {&Frames.back()};
  }

  void walkChildren(const Stmt *S, const WalkState &St) {
    for (const Stmt *Child : S->children())
      walk(Child, St);
  }

  void walk(const Stmt *S, const WalkState &St) {
    if (!S)
      return;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      SeenLambdas.push_back(L);
      return;
    }
    if (isa<BlockExpr>(S))
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D);
            V && !V->getType()->isReferenceType() &&
            !V->getType()->isPointerType() && isSync(V))
          Locals.push_back(V);
      walkChildren(S, St);
      return;
    }
    if (const auto *FS = dyn_cast<ForStmt>(S)) {
      walk(FS->getInit(), St);
      WalkState Repeated = push(FS, std::nullopt, St);
      walk(FS->getCond(), Repeated);
      walk(FS->getInc(), Repeated);
      walk(FS->getBody(), push(FS, tripCount(FS, Ctx), St));
      return;
    }
    if (isa<WhileStmt, DoStmt, IfStmt, SwitchStmt, ConditionalOperator,
            BinaryConditionalOperator, CXXCatchStmt>(S)) {
      walkChildren(S, push(S, std::nullopt, St));
      return;
    }
    if (const auto *RS = dyn_cast<CXXForRangeStmt>(S)) {
      walk(RS->getInit(), St);
      walk(RS->getRangeInit(), St);
      walk(RS->getBody(), push(RS, std::nullopt, St));
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isLogicalOp()) {
      walk(BO->getLHS(), St);
      walk(BO->getRHS(), push(BO, std::nullopt, St));
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (recordDirectCall(MC, St))
        return;
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<CallExpr, CXXConstructExpr>(E))
      if (recordStarts(E, St))
        return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (isSync(DRE->getDecl()))
        Escaped.insert(DRE->getDecl());
      return;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S);
        ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
        isSync(ME->getMemberDecl()))
      Escaped.insert(ME->getMemberDecl());
    walkChildren(S, St);
  }

  bool recordDirectCall(const CXXMemberCallExpr *MC, const WalkState &St) {
    SyncCall Info = Check.Sync.classify(MC, Ctx);
    if (Info.Kind == SyncKind::None)
      return false;
    const ValueDecl *Obj = SyncPrimitives::objectDecl(Info.Object);
    if (!Obj)
      return false;
    Direct.push_back({MC, Info, Obj, St.Top});
    for (const Expr *Arg : MC->arguments())
      walk(Arg, St);
    return true;
  }

  static const FunctionDecl *workerFunction(const Expr *Callable) {
    const Expr *E = ignoreWrappers(Callable);
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
    const auto *FD = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    if (!FD || isa<CXXMethodDecl>(FD))
      return nullptr;
    const FunctionDecl *Def = nullptr;
    return FD->hasBody(Def) ? Def : nullptr;
  }

  /// The object an argument hands to a worker parameter: std::ref(l), &l.
  const ValueDecl *boundObject(const Expr *Arg) const {
    const Expr *E = ignoreWrappers(Arg);
    if (const auto *Call = dyn_cast_or_null<CallExpr>(E);
        Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
        Call->getDirectCallee()->isInStdNamespace() &&
        Call->getDirectCallee()->getIdentifier() &&
        (Call->getDirectCallee()->getName() == "ref" ||
         Call->getDirectCallee()->getName() == "cref"))
      E = Call->getArg(0);
    else if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
             UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr();
    if (!E)
      return nullptr;
    const ValueDecl *D = SyncPrimitives::objectDecl(E);
    return isSync(D) ? D : nullptr;
  }

  bool recordStarts(const Expr *E, const WalkState &St) {
    llvm::SmallVector<EscapeSite, 1> Sites = Check.Escapes.escapes(E);
    if (Sites.empty())
      return false;
    llvm::SmallPtrSet<const Expr *, 4> Handled;
    for (const EscapeSite &Site : Sites) {
      WorkerStart Start;
      Start.Site = Site.Site;
      Start.Where = St.Top;
      if (const LambdaExpr *L = lambdaBehind(Site.Callable)) {
        Start.Worker = L->getCallOperator();
        WorkerLambdas.insert(L);
        if (isa<LambdaExpr>(ignoreWrappers(Site.Callable)))
          Handled.insert(Site.Callable);
      } else {
        Start.Worker = workerFunction(Site.Callable);
      }
      if (Start.Worker && Site.Kind != EscapeKind::ExecutorCall &&
          !isa<CXXMethodDecl>(Start.Worker))
        bindParameters(E, Site.Callable, Start, Handled);
      Starts.push_back(std::move(Start));
    }
    // Everything else the expression evaluates belongs to the spawner.
    for (const Stmt *Child : E->children()) {
      const auto *CE = dyn_cast_or_null<Expr>(Child);
      if (CE && Handled.count(CE))
        continue;
      walk(Child, St);
    }
    return true;
  }

  void bindParameters(const Expr *Site, const Expr *Callable,
                      WorkerStart &Start,
                      llvm::SmallPtrSetImpl<const Expr *> &Handled) {
    llvm::ArrayRef<const Expr *> Args;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Site))
      Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
    else if (const auto *Call = dyn_cast<CallExpr>(Site))
      Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
    auto It = llvm::find(Args, Callable);
    if (It == Args.end())
      return;
    unsigned Param = 0;
    for (++It; It != Args.end(); ++It, ++Param) {
      if (Param >= Start.Worker->getNumParams())
        break;
      if (const ValueDecl *Obj = boundObject(*It)) {
        Start.Params[Start.Worker->getParamDecl(Param)] = Obj;
        Handled.insert(*It);
      }
    }
  }

  void collectLambdaCaptures() {
    for (const LambdaExpr *L : SeenLambdas)
      for (const LambdaCapture &C : L->captures()) {
        if (!C.capturesVariable())
          continue;
        const ValueDecl *V = C.getCapturedVar();
        if (const auto *VD = dyn_cast<VarDecl>(V);
            VD && VD->isInitCapture() && VD->getInit())
          if (const ValueDecl *Inner =
                  SyncPrimitives::objectDecl(VD->getInit()))
            V = Inner;
        if (!isSync(V))
          continue;
        Captured.insert(V);
        if (!WorkerLambdas.count(L))
          Escaped.insert(V);
      }
  }

  /// The spawner's object a worker's summary key stands for.
  static const ValueDecl *mapKey(const WorkerStart &S, const ValueDecl *Key) {
    if (isa<ParmVarDecl>(Key))
      if (const ValueDecl *Obj = S.Params.lookup(Key))
        return Obj;
    return Key;
  }

  void reportAddInWorker(const WorkerStart &S) {
    if (!S.Worker)
      return;
    const WorkerSummary &W = Check.workerSummary(S.Worker);
    if (W.HasNestedSpawn || !Check.AddReported.insert(S.Worker).second)
      return;
    for (const auto &[Key, U] : W.Objects) {
      if (U.Kind != SyncKind::WaitGroup || U.Adds.empty())
        continue;
      // A group declared inside the worker is the worker's own business.
      if (const auto *VD = dyn_cast<VarDecl>(Key);
          VD && !isa<ParmVarDecl>(VD) && VD->getDeclContext() == S.Worker)
        continue;
      const ValueDecl *Obj = mapKey(S, Key);
      const CXXMemberCallExpr *Add = U.Adds.front();
      Check.diag(Add->getExprLoc(),
                 "WaitGroup %0 is incremented inside the worker it waits for; "
                 "wait() can return before the worker has started")
          << Obj;
      Check.diag(S.Site->getBeginLoc(),
                 "worker started here; call add() before starting it",
                 DiagnosticIDs::Note);
      Check.diag(Obj->getLocation(), "%0 declared here", DiagnosticIDs::Note)
          << Obj;
    }
  }

  /// Rule: a single-use latch waited on in every iteration of a loop that
  /// runs more than once. Returns true if it reported.
  bool reportLatchInLoop(const ValueDecl *Obj) {
    for (const DirectCall &D : Direct) {
      if (D.Obj != Obj || D.Info.Kind != SyncKind::Latch ||
          (D.Info.Op != SyncOp::Wait && D.Info.Op != SyncOp::ArriveAndWait))
        continue;
      const Frame *Loop = repeatingLoop(D.Where, Obj);
      if (!Loop)
        continue;
      Check.diag(D.Call->getExprLoc(),
                 "single-use latch %0 is %select{waited on|arrived at and "
                 "waited on}1 in every iteration of a loop that runs %2 "
                 "times; it does not block after the first")
          << Obj << (D.Info.Op == SyncOp::ArriveAndWait ? 1 : 0)
          << static_cast<unsigned>(Loop->Factor->Offset);
      Check.diag(Obj->getLocation(),
                 "%0 declared outside the loop here; construct a latch per "
                 "iteration or use std::barrier",
                 DiagnosticIDs::Note)
          << Obj;
      return true;
    }
    return false;
  }

  /// The latch-in-loop rule for members and parameters.
  void reportFieldLatchInLoop() {
    llvm::SmallPtrSet<const ValueDecl *, 4> Seen;
    for (const DirectCall &D : Direct)
      if (!llvm::is_contained(Locals, D.Obj) && Seen.insert(D.Obj).second)
        reportLatchInLoop(D.Obj);
  }

  void reportCountMismatch(const VarDecl *V) {
    SyncKind Kind = Check.kindOf(recordOf(V->getType()));
    if ((Kind != SyncKind::Latch && Kind != SyncKind::Barrier) ||
        Escaped.count(V))
      return;
    const Expr *CountExpr = SyncPrimitives::constructionCount(V->getInit());
    MaybeCount Count = decomposeCount(CountExpr, Ctx);
    if (!Count)
      return;
    bool IsLatch = Kind == SyncKind::Latch;
    MaybeCount Arrivals = SymCount{};
    struct Contribution {
      SourceLocation Loc;
      SymCount Amount;
      bool FromWorkers;
    };
    llvm::SmallVector<Contribution, 4> Parts;
    for (const WorkerStart &S : Starts) {
      if (!S.Worker)
        continue;
      const WorkerSummary &W = Check.workerSummary(S.Worker);
      for (const auto &[Key, U] : W.Objects) {
        if (mapKey(S, Key) != V)
          continue;
        std::optional<int64_t> Each;
        if (IsLatch && U.pathsKnown())
          Each = U.PerPath;
        else if (!IsLatch && U.participationKnown())
          Each = U.Arrivals.empty() ? 0 : 1;
        if (!Each)
          return;
        MaybeCount Part = scaleCount(timesPerObject(S.Where, V), *Each);
        if (!Part)
          return;
        Arrivals = addCounts(Arrivals, Part, Ctx);
        if (*Each)
          Parts.push_back({S.Site->getBeginLoc(), *Part, true});
      }
    }
    bool MainArrives = false;
    for (const DirectCall &D : Direct) {
      if (D.Obj != V || !isArrival(D.Info.Op))
        continue;
      MaybeCount Times = timesPerObject(D.Where, V);
      if (!Times || !D.Info.Amount || *D.Info.Amount < 0)
        return;
      if (IsLatch) {
        MaybeCount Part = scaleCount(Times, D.Info.Amount);
        if (!Part)
          return;
        Arrivals = addCounts(Arrivals, Part, Ctx);
        Parts.push_back({D.Call->getExprLoc(), *Part, false});
      } else if (!MainArrives) {
        if (*D.Info.Amount != 1)
          return;
        MainArrives = true;
        Arrivals = addCounts(Arrivals, SymCount{nullptr, 1}, Ctx);
        Parts.push_back({D.Call->getExprLoc(), SymCount{nullptr, 1}, false});
      }
    }
    if (!Arrivals || Parts.empty())
      return;
    std::optional<int64_t> Diff = difference(*Count, *Arrivals, Ctx);
    if (!Diff || *Diff == 0)
      return;

    std::string Expected = formatCount(*Count, Ctx);
    std::string Made = formatCount(*Arrivals, Ctx);
    {
      auto Diag = Check.diag(CountExpr->getBeginLoc(),
                             "%select{latch|barrier}0 %1 expects %2 "
                             "%select{arrivals|participants per phase}0, but "
                             "%select{the code makes %3|%3 take part}0");
      Diag << (IsLatch ? 0 : 1) << V << Expected << Made;
      const Expr *Literal = CountExpr->IgnoreParenImpCasts();
      if (!Count->Base && !Arrivals->Base && isa<IntegerLiteral>(Literal) &&
          !Literal->getBeginLoc().isMacroID() && Arrivals->Offset >= 0)
        Diag << FixItHint::CreateReplacement(Literal->getSourceRange(),
                                             std::to_string(Arrivals->Offset));
    }
    for (const Contribution &P : Parts)
      Check.diag(P.Loc,
                 P.FromWorkers
                     ? "workers started here %select{make|are}0 %1 of the "
                       "%select{arrivals|participants}0"
                     : "this thread %select{makes|is}0 %1 of the "
                       "%select{arrivals|participants}0 here",
                 DiagnosticIDs::Note)
          << (IsLatch ? 0 : 1) << formatCount(P.Amount, Ctx);
  }

  void reportSemaphores() {
    if (isa<CXXConstructorDecl>(F))
      return;
    llvm::MapVector<const ValueDecl *, llvm::SmallVector<const DirectCall *, 2>>
        ByObject;
    for (const DirectCall &D : Direct)
      if (D.Info.Kind == SyncKind::Semaphore)
        ByObject[D.Obj].push_back(&D);
    std::unique_ptr<CFG> G;
    bool Built = false;
    for (const auto &[Obj, Calls] : ByObject) {
      if (Escaped.count(Obj) || Captured.count(Obj))
        continue;
      bool Acquires = false, Releases = false, Tries = false;
      llvm::DenseMap<const Stmt *, PathEffect> Effects;
      const CXXMemberCallExpr *FirstAcquire = nullptr;
      for (const DirectCall *D : Calls) {
        switch (D->Info.Op) {
        case SyncOp::Acquire:
          Acquires = true;
          Effects[D->Call] = {true, 1};
          if (!FirstAcquire)
            FirstAcquire = D->Call;
          break;
        case SyncOp::Release:
          Releases = true;
          Effects[D->Call] = {true, 0};
          break;
        case SyncOp::TryAcquire:
          Tries = true;
          break;
        default:
          break;
        }
      }
      if (!Acquires || !Releases || Tries)
        continue;
      if (!Built) {
        G = buildCFG(F, Ctx);
        Built = true;
      }
      if (!G)
        return;
      PathResult R = countPaths(*G, F, Effects);
      if (!(R.ExitMask & 1u) || !(R.ExitMask & 2u))
        continue;
      for (const PathExit &E : R.Exits) {
        if (!(E.Mask & 2u))
          continue;
        Check.diag(E.Loc, "%select{function returns|function throws|function "
                          "reaches its end}0 without releasing semaphore %1 "
                          "on this path")
            << exitSelect(E.Kind) << Obj;
        Check.diag(FirstAcquire->getExprLoc(), "%0 acquired here",
                   DiagnosticIDs::Note)
            << Obj;
        Check.diag(Obj->getLocation(), "%0 declared here", DiagnosticIDs::Note)
            << Obj;
        Check.diag(E.Loc,
                   "release from a scope guard (a local object whose "
                   "destructor calls release()) so that every path releases",
                   DiagnosticIDs::Note);
        break;
      }
    }
  }

  UnbalancedLatchCheck &Check;
  ASTContext &Ctx;
  const FunctionDecl *F;

  std::deque<Frame> Frames;
  llvm::SmallVector<WorkerStart, 4> Starts;
  llvm::SmallVector<DirectCall, 8> Direct;
  llvm::SmallVector<const VarDecl *, 4> Locals;
  llvm::SmallVector<const LambdaExpr *, 4> SeenLambdas;
  llvm::SmallPtrSet<const LambdaExpr *, 4> WorkerLambdas;
  llvm::SmallPtrSet<const ValueDecl *, 4> Escaped;
  llvm::SmallPtrSet<const ValueDecl *, 4> Captured;
};

void UnbalancedLatchCheck::analyzeFunction(const FunctionDecl *F) {
  if (!F->getBody())
    return;
  FunctionAnalysis(*this, F).run();
}

void UnbalancedLatchCheck::onEndOfTranslationUnit() {
  if (Ctx)
    for (const FunctionDecl *F : Candidates)
      analyzeFunction(F);
  Candidates.clear();
  Summaries.clear();
  AddReported.clear();
  KindCache.clear();
  Ctx = nullptr;
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnbalancedLatchCheck)
