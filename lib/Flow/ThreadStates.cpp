//===--- ThreadStates.cpp -------------------------------------------------===//
#include "pitfall/Flow/ThreadStates.h"

#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FunctionReferences.h"
#include "pitfall/Flow/PathFacts.h"
#include "pitfall/Flow/Summary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace pitfall {

bool ownsThreads(const ValueDecl &D, const ThreadTypes &Threads) {
  QualType T = D.getType();
  if (T.isNull() || T->isReferenceType() || T->isPointerType())
    return false;
  return Threads.isTerminatingThread(T) ||
         Threads.isContainerOfTerminatingThreads(T);
}

namespace {

enum Bit : uint8_t {
  NotStarted = 1, ///< never started, or default state
  Joinable = 2,   ///< started (or, for containers, holds started threads)
  Done = 4,       ///< joined, detached, moved out, handed to a joiner
  Unknown = 8,    ///< value from unknown code (factory call, ...)
};

bool reportable(uint8_t Bits) { return (Bits & Joinable) && !(Bits & Unknown); }

struct TState {
  llvm::SmallVector<uint8_t, 4> Bits;
  llvm::SmallVector<SourceLocation, 4> Start;
  bool operator==(const TState &O) const {
    return Bits == O.Bits && Start == O.Start;
  }
};

/// The expression under implicit nodes that consumes \p E's value.
const Stmt *consumer(const Stmt *E, const FlowGraph &G) {
  const Stmt *P = G.parent(E);
  while (P && isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
                  ExprWithCleanups, CXXBindTemporaryExpr>(P))
    P = G.parent(P);
  return P;
}

class ThreadLocals : public ForwardAnalysis<ThreadLocals, TState> {
public:
  ThreadLocals(FlowContext &Flow, const FunctionDecl *Fn, ThreadStates &Out,
               ThrowKind MinThrow)
      : Flow(Flow), Threads(Flow.threads()), Fn(Fn), Out(Out),
        MinThrow(MinThrow) {}

  /// Finds the objects and what the body does with them; false if none is
  /// worth the dataflow.
  bool prepare(const FlowGraph &G);

  TState initialState() {
    TState S;
    S.Bits.assign(Out.Objects.size(), NotStarted);
    S.Start.assign(Out.Objects.size(), SourceLocation());
    return S;
  }
  void join(TState &Into, const TState &From) {
    for (unsigned I = 0, N = Into.Bits.size(); I != N; ++I) {
      Into.Bits[I] |= From.Bits[I];
      if (Into.Start[I].isInvalid())
        Into.Start[I] = From.Start[I];
    }
  }

  ThrowKind throwKind(const CFGElement &E) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return ThrowKind::None;
    const Stmt *S = CS->getStmt();
    // A thread's own operations fail only when the system is out of
    // resources; they are not the throws this check is about.
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S);
        CE && Threads.isAnyThread(CE->getType()))
      return ThrowKind::None;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        MC && Threads.isAnyThread(MC->getObjectType()))
      return ThrowKind::None;
    ThrowKind K = Flow.throws().classify(S, Flow.astContext());
    return K >= MinThrow ? K : ThrowKind::None;
  }

  void transfer(const CFGElement &E, TState &S);
  void refineEdge(const CFGBlock &B, unsigned Succ, TState &S);
  void unwind(const VarDecl *V, const Stmt *Site, TState &S);

  /// True if what \p Site throws is known by type (Throws.h) and no
  /// handler of the function's try statements around it catches any of
  /// those types: the exception leaves the function, wherever the thread
  /// was declared.
  bool caughtNowhere(const Stmt *Site) {
    llvm::SmallVector<QualType, 2> Types;
    ASTContext &Ctx = Flow.astContext();
    // Unknown types: any handler may catch the exception.
    bool Known =
        Flow.throws().userExceptionTypes(Site, Ctx, Types) && !Types.empty();
    for (const Stmt *From = Site;;) {
      const CFGBlock *Target = graph().throwTarget(From);
      const CXXTryStmt *Try = Target ? graph().dispatchedTry(*Target) : nullptr;
      if (!Try)
        return true;
      // A handler that ends the program with a failure is no rescue.
      for (unsigned I = 0, N = Try->getNumHandlers(); I != N; ++I) {
        const CXXCatchStmt &H = *Try->getHandler(I);
        bool MayCatch = !Known || llvm::any_of(Types, [&](QualType T) {
          return ThrowModel::handlerCatches(H, T, Ctx);
        });
        if (MayCatch && !ThrowModel::handlerEndsProgram(H, Fn->isMain(), Ctx))
          return false;
      }
      From = Try;
    }
  }

  /// No handler up the call chain: an exception leaving the function
  /// terminates the program whatever the threads' state.
  bool NoHandlerAbove = false;
  /// Test code (FlowContext::isTestCode: a test case's function, a member
  /// of its fixture, a function of a test file): an exception leaving it
  /// fails the test, as a failed assertion does.
  bool InTestCode = false;

  /// True if \p Loc is in the block of a handler of the function that ends
  /// the program with a failure (ThrowModel::handlerEndsProgram): a return
  /// there, reached only by an exception, fails the program either way.
  bool inFailingHandler(SourceLocation Loc) const {
    const SourceManager &SM = Flow.astContext().getSourceManager();
    return llvm::any_of(FailingHandlers, [&](SourceRange R) {
      return !SM.isBeforeInTranslationUnit(Loc, R.getBegin()) &&
             !SM.isBeforeInTranslationUnit(R.getEnd(), Loc);
    });
  }

  /// Findings reached on some path where the object was not joinable.
  llvm::DenseSet<std::pair<unsigned, unsigned>> NotOnEveryPath;
  /// The first throwing call that destroys each object while joinable.
  llvm::DenseMap<unsigned, ThreadFinding> Thrown;

private:
  int objectOf(const Expr *E) const {
    if (!E)
      return -1;
    const VarDecl *V = namedVariable(E);
    auto It = V ? Index.find(V) : Index.end();
    return It == Index.end() ? -1 : static_cast<int>(It->second);
  }
  void value(const Expr *Init, unsigned O, SourceLocation Loc, TState &S);
  void collectUse(const DeclRefExpr *Ref, unsigned O, const FlowGraph &G);
  void report(ThreadFinding::Kind K, unsigned O, SourceLocation Loc,
              const TState &S, ScopeExitKind Exit = ScopeExitKind::ScopeEnd,
              const Stmt *Site = nullptr);

  FlowContext &Flow;
  const ThreadTypes &Threads;
  const FunctionDecl *Fn;
  ThreadStates &Out;
  ThrowKind MinThrow;
  llvm::DenseMap<const VarDecl *, unsigned> Index;
  llvm::DenseSet<const Stmt *> ConsumedMoves; ///< std::move copied by an event
  /// `for (auto &t : pool)`: the loop variable stands for pool's elements.
  llvm::DenseMap<const VarDecl *, unsigned> LoopVarOf;
  llvm::DenseMap<const Stmt *, unsigned> MoveOut; ///< std::move / return
  /// The blocks of the handlers that end the program with a failure.
  llvm::SmallVector<SourceRange, 2> FailingHandlers;
  /// Local joiners (joinsHeldThreads) and the threads they were made to
  /// hold, with the expression that made them: each such thread is joined
  /// when the joiner is destroyed, whenever it was started.
  llvm::DenseMap<const VarDecl *,
                 llvm::SmallVector<std::pair<unsigned, const Expr *>, 2>>
      Guards;
  /// The local variable that \p Made (a construction or a call returning
  /// by value) initialises, if it is of a class that joins the threads it
  /// holds; null otherwise.
  const VarDecl *joinerVariable(const Expr *Made, const FlowGraph &G) const;
  /// Marks the threads \p J holds as joined.
  void joinGuarded(const VarDecl *J, TState &S) const;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported;
  llvm::SmallVector<EffectEvent, 4> Events;
};

bool ThreadLocals::prepare(const FlowGraph &G) {
  // The objects: thread-owning locals of this function.
  llvm::SmallVector<const DeclRefExpr *, 16> Refs;
  llvm::SmallVector<const CXXForRangeStmt *, 4> Loops;
  walkOutsideLambdas(G.body(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D);
            V && V->hasLocalStorage() && V->getDeclContext() == Fn &&
            ownsThreads(*V, Threads) && !Index.count(V)) {
          Index[V] = Out.Objects.size();
          ThreadObject O;
          O.Var = V;
          O.IsContainer = !Threads.isTerminatingThread(V->getType());
          Out.Objects.push_back(O);
        }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
            if (auto It = Index.find(V); It != Index.end())
              Out.Objects[It->second].Escaped = true;
      return true; // its body is another function
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      Refs.push_back(Ref);
    if (const auto *H = dyn_cast<CXXCatchStmt>(S);
        H &&
        ThrowModel::handlerEndsProgram(*H, Fn->isMain(), Flow.astContext()))
      FailingHandlers.push_back(H->getHandlerBlock()->getSourceRange());
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(S))
      Loops.push_back(FR);
    return true;
  });
  // `for (auto &t : pool) t = std::thread(f);` fills the container.
  for (const CXXForRangeStmt *FR : Loops)
    if (int C = objectOf(FR->getRangeInit()); C >= 0)
      LoopVarOf[FR->getLoopVariable()] = C;
  for (const DeclRefExpr *Ref : Refs)
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
      if (auto It = Index.find(V); It != Index.end())
        collectUse(Ref, It->second, G);
  // A joiner named again (moved out, handed on, refilled) may join later or
  // elsewhere: its hand-over counts only as the adoption of a thread already
  // started (an RAII joiner of isThreadJoinerClass), or an escape.
  for (const DeclRefExpr *Ref : Refs) {
    auto It = Guards.find(dyn_cast<VarDecl>(Ref->getDecl()));
    if (It == Guards.end())
      continue;
    for (const auto &[O, Made] : It->second) {
      if (isa<CXXConstructExpr>(Made) &&
          isThreadJoinerClass(Made->getType()->getAsCXXRecordDecl(), Threads))
        MoveOut[Made] = O;
      else
        Out.Objects[O].Escaped = true;
    }
    Guards.erase(It);
  }
  return llvm::any_of(Out.Objects,
                      [](const ThreadObject &O) { return !O.Escaped; });
}

void ThreadLocals::collectUse(const DeclRefExpr *Ref, unsigned O,
                              const FlowGraph &G) {
  ThreadObject &Obj = Out.Objects[O];
  const Stmt *P = consumer(Ref, G);
  if (!P) {
    Obj.Escaped = true;
    return;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    llvm::StringRef N = M && M->getIdentifier() ? M->getName() : "";
    if (N == "detach")
      Obj.Detached = true;
    else if (N == "native_handle") // lets pthread_join / pthread_detach in
      Obj.Escaped = true;
    else if (N == "swap")
      Obj.Moved = true;
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(P);
      UO && UO->getOpcode() == UO_AddrOf) {
    // `Joiner j(&t);`: held by a local joiner.
    const auto *Made = dyn_cast_or_null<Expr>(consumer(UO, G));
    if (isa_and_nonnull<CXXConstructExpr, CallExpr>(Made))
      if (const VarDecl *J = joinerVariable(Made, G)) {
        Obj.PassedAsThread = true;
        Guards[J].push_back({O, Made});
        return;
      }
    Obj.Escaped = true;
    return;
  }
  if (isa<ArraySubscriptExpr, CXXForRangeStmt>(P))
    return;
  // `for (auto &t : pool)`: the loop's implicit range variable.
  if (const VarDecl *V = singleVarDecl(P); V && V->isImplicit())
    return;
  if (isa<ReturnStmt>(P) || (isa<CXXConstructExpr>(P) &&
                             isa_and_nonnull<ReturnStmt>(consumer(P, G)))) {
    Obj.Moved = true;
    MoveOut[isa<ReturnStmt>(P) ? P : consumer(P, G)] = O;
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (isStdMove(Call)) {
      Obj.Moved = true;
      // Moved into another tracked thread: that object's event copies it.
      const Stmt *C = consumer(Call, G);
      if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(C))
        C = consumer(CE, G);
      const VarDecl *Into = singleVarDecl(C);
      const auto *Assign = dyn_cast_or_null<CXXOperatorCallExpr>(C);
      if ((Into && Index.count(Into)) ||
          (Assign && Assign->getOperator() == OO_Equal &&
           objectOf(Assign->getArg(0)) >= 0))
        ConsumedMoves.insert(Call);
      else
        MoveOut[Call] = O;
      return;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
      if (OC->getOperator() == OO_Equal && skipImplicit(OC->getArg(0)) == Ref)
        Obj.Assigned = true;
      if (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Equal)
        return;
    }
    if (isStdFunction(Callee, {"swap"})) {
      Obj.Moved = true;
      return;
    }
    if (isStdFunction(Callee, {"begin", "end", "cbegin", "cend", "size",
                               "empty", "rbegin", "rend", "data"}) ||
        (Callee && Callee->getIdentifier() &&
         Callee->getName().starts_with("for_each")))
      return;
    Obj.PassedAsThread = true;
    if (!mayModifyThrough(paramForArg(Call, Ref)))
      return;
    // `auto j = autoJoin(t1, t2);`: a factory returning a joiner made from
    // its thread-reference arguments.
    if (const VarDecl *J = joinerVariable(Call, G)) {
      Guards[J].push_back({O, Call});
      return;
    }
    // A helper in the translation unit: its summary says what it does.
    const FunctionDecl *Def = nullptr;
    if (Callee && Callee->hasBody(Def) &&
        !Flow.astContext().getSourceManager().isInSystemHeader(
            Def->getLocation()))
      return;
    Obj.Escaped = true;
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    Obj.PassedAsThread = true;
    const ParmVarDecl *Param = nullptr;
    for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I)
      if (skipImplicit(CE->getArg(I)) == Ref && CE->getConstructor() &&
          I < CE->getConstructor()->getNumParams())
        Param = CE->getConstructor()->getParamDecl(I);
    if (!mayModifyThrough(Param))
      return;
    if (const VarDecl *J = joinerVariable(CE, G)) {
      Guards[J].push_back({O, CE});
      return;
    }
    if (isThreadJoinerClass(CE->getType()->getAsCXXRecordDecl(), Threads)) {
      MoveOut[CE] = O; // an RAII joiner adopts it
      return;
    }
    Obj.Escaped = true;
    return;
  }
  Obj.Escaped = true; // a reference bound to it, or something unknown
}

const VarDecl *ThreadLocals::joinerVariable(const Expr *Made,
                                            const FlowGraph &G) const {
  if (!joinsHeldThreads(Made->getType()->getAsCXXRecordDecl(), Threads))
    return nullptr;
  // Through the copy or move of the returned object (before C++17).
  const Stmt *P = consumer(Made, G);
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(P);
      CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
      CE->getConstructor()->isCopyOrMoveConstructor())
    P = consumer(CE, G);
  const VarDecl *V = singleVarDecl(P);
  if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType() ||
      V->getDeclContext() != Fn || !V->getInit())
    return nullptr;
  return V;
}

void ThreadLocals::joinGuarded(const VarDecl *J, TState &S) const {
  auto It = Guards.find(J);
  if (It == Guards.end())
    return;
  for (const auto &[O, Made] : It->second)
    S.Bits[O] = Done;
}

void ThreadLocals::value(const Expr *Init, unsigned O, SourceLocation Loc,
                         TState &S) {
  uint8_t Bits = Unknown;
  int From = -1;
  const Expr *E = Init ? skipImplicit(Init) : nullptr;
  if (!E) {
    Bits = NotStarted;
  } else if (Out.Objects[O].IsContainer) {
    Bits = NotStarted;
    if (const auto *IL = dyn_cast<InitListExpr>(E)) {
      for (const Expr *Elt : IL->inits())
        if (const auto *CE = dyn_cast<CXXConstructExpr>(skipImplicit(Elt)))
          if (Threads.startedCallable(CE))
            Bits = Joinable;
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      for (const Expr *Arg : CE->arguments())
        if (Arg->getType()->isRecordType())
          Bits = Unknown;
    } else {
      Bits = Unknown;
    }
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (Threads.startedCallable(CE))
      Bits = Joinable;
    else if (Ctor && (Ctor->isDefaultConstructor() || CE->getNumArgs() == 0))
      Bits = NotStarted;
    else if (Ctor && Ctor->isCopyOrMoveConstructor() && CE->getNumArgs() >= 1)
      From = objectOf(movedOperand(CE->getArg(0)));
  } else if (isa<ParenListExpr, CXXUnresolvedConstructExpr>(E)) {
    // In a template, `std::thread t(f)` with a dependent `f` is not resolved:
    // any first argument that is not itself a thread starts the thread.
    const Expr *First = nullptr;
    if (const auto *PL = dyn_cast<ParenListExpr>(E))
      First = PL->getNumExprs() ? PL->getExpr(0) : nullptr;
    else if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(E))
      First = UC->getNumArgs() ? UC->getArg(0) : nullptr;
    bool MayBeThread =
        !First || Threads.isAnyThread(First->getType()) || isStdMove(First);
    if (const auto *Call = dyn_cast_or_null<CallExpr>(First))
      if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(Call->getCallee()))
        if (const IdentifierInfo *II = ULE->getName().getAsIdentifierInfo())
          MayBeThread |= II->isStr("move") || II->isStr("forward");
    if (!MayBeThread)
      Bits = Joinable;
  } else {
    From = objectOf(movedOperand(E));
  }
  if (From >= 0) {
    S.Bits[O] = S.Bits[From];
    S.Start[O] = S.Start[From];
    S.Bits[From] = Done;
    return;
  }
  S.Bits[O] = Bits;
  S.Start[O] = (Bits & Joinable) ? Loc : SourceLocation();
}

void ThreadLocals::report(ThreadFinding::Kind K, unsigned O, SourceLocation Loc,
                          const TState &S, ScopeExitKind Exit,
                          const Stmt *Site) {
  if (!reporting() || Out.Objects[O].Escaped)
    return;
  auto Key = std::make_pair(O, Loc.getRawEncoding());
  if (!reportable(S.Bits[O])) {
    NotOnEveryPath.insert(Key);
    return;
  }
  if (S.Bits[O] != Joinable)
    NotOnEveryPath.insert(Key);
  if (K == ThreadFinding::Thrown) {
    // One throwing call per object: the first in source order.
    auto It = Thrown.find(O);
    if (It != Thrown.end() &&
        !Flow.astContext().getSourceManager().isBeforeInTranslationUnit(
            Loc, It->second.Loc))
      return;
  } else if (!Reported.insert(Key).second) {
    return;
  }
  ThreadFinding F;
  F.K = K;
  F.Object = O;
  F.Loc = Loc;
  F.Exit = Exit;
  F.StartLoc = S.Start[O];
  if (Site) {
    F.IsThrowExpr = isa<CXXThrowExpr>(Site);
    F.Throw = F.IsThrowExpr ? ThrowKind::User
                            : Flow.throws().classify(Site, Flow.astContext());
  }
  if (K == ThreadFinding::Thrown)
    Thrown[O] = F;
  else
    Out.Findings.push_back(F);
}

void ThreadLocals::transfer(const CFGElement &E, TState &S) {
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    joinGuarded(D->getVarDecl(), S);
    auto It = Index.find(D->getVarDecl());
    if (It == Index.end())
      return;
    ScopeExit Exit = scopeExitOf(*D);
    // A failed GoogleTest assertion returns from the test: reported with
    // the test assertions' exceptions.
    bool AssertionReturn =
        Exit.Kind == ScopeExitKind::Return && MinThrow > ThrowKind::Assertion &&
        Flow.throws().inAssertionMacro(Exit.Loc,
                                       Flow.astContext().getSourceManager());
    // So does a return of a handler that ends the program with a failure.
    bool FailingReturn = Exit.Kind == ScopeExitKind::Return &&
                         MinThrow > ThrowKind::Assertion &&
                         inFailingHandler(Exit.Loc);
    if (!AssertionReturn && !FailingReturn)
      report(ThreadFinding::Destroyed, It->second, Exit.Loc, S, Exit.Kind);
    S.Bits[It->second] = NotStarted;
    S.Start[It->second] = SourceLocation();
    return;
  }
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (auto It = Index.find(V); It != Index.end())
          value(V->getInit(), It->second, V->getLocation(), S);
    return;
  }
  if (auto It = MoveOut.find(St); It != MoveOut.end())
    S.Bits[It->second] = Done;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
    int O = objectOf(OC->getArg(0));
    if (O >= 0 && !Out.Objects[O].IsContainer) {
      report(ThreadFinding::Reassigned, O, OC->getBeginLoc(), S);
      value(OC->getArg(1), O, OC->getBeginLoc(), S);
      return;
    }
    // `threads[i] = std::thread(f)`, `for (auto &t : pool) t = ...`.
    const auto *RHS = dyn_cast<CXXConstructExpr>(skipImplicit(OC->getArg(1)));
    if (!RHS || !Threads.startedCallable(RHS))
      return;
    int C = -1;
    if (std::optional<ObjectPath> P = objectPathOf(OC->getArg(0));
        P && P->Element && P->Fields.empty() && P->Kind == RootKind::Local)
      C = objectOf(OC->getArg(0));
    if (const VarDecl *V =
            dyn_cast_or_null<DeclRefExpr>(skipImplicit(OC->getArg(0)))
                ? dyn_cast<VarDecl>(
                      cast<DeclRefExpr>(skipImplicit(OC->getArg(0)))->getDecl())
                : nullptr)
      if (auto It = LoopVarOf.find(V); It != LoopVarOf.end())
        C = It->second;
    if (C >= 0 && Out.Objects[C].IsContainer) {
      S.Bits[C] = Joinable;
      if (S.Start[C].isInvalid())
        S.Start[C] = OC->getBeginLoc();
    }
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
    int O = objectOf(MC->getImplicitObjectArgument());
    const CXXMethodDecl *M = MC->getMethodDecl();
    llvm::StringRef N = M && M->getIdentifier() ? M->getName() : "";
    if (O >= 0 && Out.Objects[O].IsContainer &&
        isContainerFillName(N, MC->getNumArgs())) {
      const auto *Last = dyn_cast<CXXConstructExpr>(
          skipImplicit(MC->getArg(MC->getNumArgs() - 1)));
      bool DefaultValue = Last && Last->getConstructor() &&
                          Last->getConstructor()->isDefaultConstructor();
      if (!DefaultValue) {
        S.Bits[O] = Joinable;
        if (S.Start[O].isInvalid())
          S.Start[O] = MC->getExprLoc();
      }
      return;
    }
    if (O >= 0 && N == "swap") {
      int W = MC->getNumArgs() ? objectOf(MC->getArg(0)) : -1;
      if (W >= 0) {
        std::swap(S.Bits[O], S.Bits[W]);
        std::swap(S.Start[O], S.Start[W]);
      } else {
        S.Bits[O] = Unknown;
      }
      return;
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(St);
      Call && isStdFunction(Call->getDirectCallee(), {"swap"}) &&
      Call->getNumArgs() == 2) {
    int A = objectOf(Call->getArg(0)), B = objectOf(Call->getArg(1));
    if (A >= 0 && B >= 0) {
      std::swap(S.Bits[A], S.Bits[B]);
      std::swap(S.Start[A], S.Start[B]);
    } else if (A >= 0 || B >= 0) {
      S.Bits[A >= 0 ? A : B] = Unknown;
    }
    return;
  }
  // join(), detach(), helpers that join, loops over containers.
  Events.clear();
  effectsOf(Flow, St, ThreadFamily, Events);
  for (const EffectEvent &Ev : Events) {
    if (!Ev.FromSummary && isa<CXXConstructExpr, CXXOperatorCallExpr>(St))
      continue; // moves are handled above
    if (Ev.Path.Kind != RootKind::Local || !Ev.Path.Fields.empty())
      continue;
    auto It = Index.find(dyn_cast<VarDecl>(Ev.Path.Root));
    if (It == Index.end())
      continue;
    unsigned O = It->second;
    if (Ev.Path.Element && !Out.Objects[O].IsContainer)
      continue;
    if (Ev.Effect & DetachesThread)
      Out.Objects[O].Detached = true;
    if (Ev.Effect & JoinsThread) {
      // Joining one element stands for the container only inside a loop.
      if (Ev.Path.Element) {
        bool InLoop = false;
        for (const Stmt *P = graph().parent(St); P && !InLoop;
             P = graph().parent(P))
          InLoop = isLoopStmt(P);
        if (!InLoop)
          continue;
      }
      S.Bits[O] = Done;
    } else if (Ev.Effect & MayJoinThread) {
      S.Bits[O] |= Done;
    }
    if (Ev.Effect & StartsThread) {
      S.Bits[O] = Joinable;
      S.Start[O] = St->getBeginLoc();
    }
  }
}

void ThreadLocals::refineEdge(const CFGBlock &B, unsigned Succ, TState &S) {
  // `for (i...) pool[i].join()`, `while (!q.empty()) q.front().join()`,
  // `for (auto &t : pool) t.join()`: left through its condition, a loop
  // that joins every element has joined the whole container.
  if (std::optional<ObjectPath> P =
          containerReleasedOnEdge(Flow, graph(), B, Succ))
    if (P->Kind == RootKind::Local && P->Fields.empty())
      if (auto It = Index.find(dyn_cast<VarDecl>(P->Root)); It != Index.end())
        S.Bits[It->second] = Done;
  bool Negated = false;
  const Expr *Cond = stripNegations(branchCondition(B), Negated);
  const auto *Call =
      dyn_cast_or_null<CXXMemberCallExpr>(Cond ? skipImplicit(Cond) : nullptr);
  if (!Call || classifyThreadMemberCall(Call) != ThreadOp::Joinable)
    return;
  int O = objectOf(Call->getImplicitObjectArgument());
  if (O < 0)
    return;
  uint8_t &Bits = S.Bits[O];
  if ((Succ == 0) != Negated)
    Bits &= ~(NotStarted | Done);
  else if (Bits & Joinable)
    Bits = (Bits & ~Joinable) | Done;
}

void ThreadLocals::unwind(const VarDecl *V, const Stmt *Site, TState &S) {
  joinGuarded(V, S);
  auto It = Index.find(V);
  if (It == Index.end() || Out.Objects[It->second].IsContainer)
    return;
  // An exception that leaves the function where no handler above can catch
  // it terminates the program, one that leaves test code fails the test,
  // whatever the thread's state: both are reported with ReportThrowPaths:
  // all only, the second as a test assertion's path.
  bool Leaves = ((NoHandlerAbove || InTestCode) &&
                 graph().unwoundLeavingFunction(V, Site)) ||
                (NoHandlerAbove && caughtNowhere(Site));
  if (Leaves && MinThrow > ThrowKind::Assertion) {
    S.Bits[It->second] = NotStarted;
    return;
  }
  report(ThreadFinding::Thrown, It->second, Site->getBeginLoc(), S,
         ScopeExitKind::ScopeEnd, Site);
  if (auto F = Thrown.find(It->second); Leaves && InTestCode &&
                                        F != Thrown.end() &&
                                        F->second.Loc == Site->getBeginLoc())
    F->second.Throw = ThrowKind::Assertion;
  S.Bits[It->second] = NotStarted;
}

/// True if every try statement of \p Caller whose try block holds \p Loc
/// has only handlers that end the program (ThrowModel::handlerEndsProgram):
/// an exception there ends the program with a failure or passes them.
bool onlyFailingHandlersAround(const FunctionDecl *Caller, SourceLocation Loc,
                               ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  return walkOutsideLambdas(
      Caller->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        const auto *Try = dyn_cast<CXXTryStmt>(S);
        if (!Try)
          return true;
        SourceRange R = Try->getTryBlock()->getSourceRange();
        if (SM.isBeforeInTranslationUnit(Loc, R.getBegin()) ||
            SM.isBeforeInTranslationUnit(R.getEnd(), Loc))
          return true;
        for (unsigned I = 0, N = Try->getNumHandlers(); I != N; ++I)
          if (!ThrowModel::handlerEndsProgram(*Try->getHandler(I),
                                              Caller->isMain(), Ctx))
            return false;
        return true;
      });
}

bool failsUpTheChain(FlowContext &Flow, const FunctionDecl *Fn, unsigned Depth);

/// For the call operator of a lambda: the lambda is run where it is written,
/// called on the spot or handed to a function that calls it on the calling
/// thread (its callable summary: RunsHere, not RunsElsewhere) and has no
/// try statement of its own; and an exception there fails the program
/// (failsUpTheChain of the enclosing function, only handlers that end the
/// program around the call).
bool lambdaFailsUpTheChain(FlowContext &Flow, const CXXMethodDecl *Op,
                           unsigned Depth) {
  const CXXRecordDecl *Closure = Op->getParent();
  const auto *Encl = dyn_cast<FunctionDecl>(Closure->getDeclContext());
  const FlowGraph *G = Encl ? Flow.graph(Encl) : nullptr;
  if (!G)
    return false;
  const LambdaExpr *Lambda = nullptr;
  walkOutsideLambdas(G->body(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *L = dyn_cast<LambdaExpr>(S);
        L && L->getLambdaClass() == Closure)
      Lambda = L;
    return !Lambda;
  });
  if (!Lambda)
    return false;
  const Expr *Arg = Lambda;
  const Stmt *P = consumer(Lambda, *G);
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(P);
      CE && CE->getNumArgs() == 1) { // copied or moved into a parameter
    Arg = CE;
    P = consumer(CE, *G);
  }
  const auto *Call = dyn_cast_or_null<CallExpr>(P);
  if (!Call)
    return false;
  bool OnTheSpot = false;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
    OnTheSpot = OC->getOperator() == OO_Call &&
                skipImplicit(OC->getArg(0)) == skipImplicit(Arg);
  if (!OnTheSpot) {
    const ParmVarDecl *Param = paramForArg(Call, skipImplicit(Arg));
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = nullptr;
    if (!Param || !Callee || !Callee->hasBody(Def))
      return false;
    const FunctionSummary *S = Flow.summaries().get(Def, CallableFamily);
    ObjectPath Slot;
    Slot.Kind = RootKind::Param;
    Slot.Root = Def->getParamDecl(Param->getFunctionScopeIndex());
    const SlotEffect *E = S ? S->find(Slot) : nullptr;
    if (!E || !(E->Effects & RunsHere) || (E->Effects & RunsElsewhere))
      return false;
    bool HasTry = !walkOutsideLambdas(
        Def->getBody(), LambdaBodies::Skip,
        [](const Stmt *St) { return !isa<CXXTryStmt>(St); });
    if (HasTry)
      return false;
  }
  return onlyFailingHandlersAround(Encl, Call->getBeginLoc(),
                                   Flow.astContext()) &&
         failsUpTheChain(Flow, Encl, Depth + 1);
}

/// True if an exception leaving \p Fn ends the program with a failure
/// whatever the threads' state: \p Fn is `main` (the exception terminates
/// it), or every handler up the call chain ends the program (see
/// ThrowModel::handlerEndsProgram; no handler at all included): a function
/// only this translation unit can call, each of whose callers calls it
/// outside any try block or inside try statements whose handlers all end
/// the program, and fails so in turn (a few levels up); or a lambda run
/// where it is written (lambdaFailsUpTheChain).
bool failsUpTheChain(FlowContext &Flow, const FunctionDecl *Fn,
                     unsigned Depth) {
  if (Fn->isMain())
    return true;
  if (Depth >= 3)
    return false;
  if (const auto *Op = dyn_cast<CXXMethodDecl>(Fn);
      Op && Op->getParent()->isLambda())
    return lambdaFailsUpTheChain(Flow, Op, Depth);
  if (Fn->isExternallyVisible() || isa<CXXMethodDecl>(Fn))
    return false;
  ASTContext &Ctx = Flow.astContext();
  llvm::SmallVector<std::pair<const FunctionDecl *, SourceLocation>, 4> Found;
  bool Other = false; // referenced outside a function
  forEachFunctionReference(Ctx, [&](const FunctionDecl *Named,
                                    const FunctionDecl *Enclosing,
                                    const DeclRefExpr *Ref) {
    if (Named != Fn->getCanonicalDecl())
      return;
    if (!Enclosing)
      Other = true;
    else
      Found.push_back({Enclosing, Ref->getBeginLoc()});
  });
  if (Other || Found.empty())
    return false;
  return llvm::all_of(Found, [&](const auto &Ref) {
    const FunctionDecl *Caller = Ref.first;
    return Caller != Fn && onlyFailingHandlersAround(Caller, Ref.second, Ctx) &&
           failsUpTheChain(Flow, Caller, Depth + 1);
  });
}

} // namespace

ThreadStates analyzeThreadLocals(FlowContext &Flow, const FunctionDecl *Fn,
                                 ThrowKind MinThrow) {
  ThreadStates Out;
  const FlowGraph *G = Flow.graph(Fn);
  if (!G)
    return Out;
  ThreadLocals A(Flow, Fn, Out, MinThrow);
  if (!A.prepare(*G))
    return Out;
  // Destructors and noexcept functions terminate on a throw anyway.
  const auto *Proto = Fn->getType()->getAs<FunctionProtoType>();
  if (MinThrow != ThrowKind::None && !isa<CXXDestructorDecl>(Fn) &&
      !(Proto && Proto->isNothrow())) {
    A.modelExceptions(Flow.throws());
    // What no handler can catch is reported with "all" only.
    A.NoHandlerAbove =
        MinThrow > ThrowKind::Assertion && failsUpTheChain(Flow, Fn, 0);
    A.InTestCode = Flow.isTestCode(Fn);
  }
  StableConditions Conds(*G);
  Correlated<ThreadLocals> C(A, Conds);
  if (!runForward(*G, C))
    return ThreadStates{std::move(Out.Objects), {}};
  for (const auto &[O, F] : A.Thrown)
    Out.Findings.push_back(F);
  const SourceManager &SM = Flow.astContext().getSourceManager();
  for (ThreadFinding &F : Out.Findings) {
    F.OnEveryPath = !A.NotOnEveryPath.count({F.Object, F.Loc.getRawEncoding()});
    // The return of a failed test assertion (reported with them).
    if (F.K == ThreadFinding::Destroyed && F.Exit == ScopeExitKind::Return &&
        (Flow.throws().inAssertionMacro(F.Loc, SM) ||
         A.inFailingHandler(F.Loc)))
      F.Throw = ThrowKind::Assertion;
  }
  llvm::sort(Out.Findings, [&](const ThreadFinding &L, const ThreadFinding &R) {
    if (L.Loc != R.Loc)
      return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
    return L.Object < R.Object;
  });
  return Out;
}

bool isContainerFillName(llvm::StringRef N, unsigned NumArgs) {
  if (N == "emplace_back" || N == "emplace_front")
    return NumArgs >= 1;
  if (N == "emplace" || N == "emplace_hint")
    return NumArgs >= 2;
  return (N == "push_back" || N == "push_front" || N == "insert") &&
         NumArgs >= 1;
}

} // namespace pitfall
