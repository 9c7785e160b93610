//===--- ErrorStores.cpp --------------------------------------------------===//
#include "pitfall/Flow/ErrorStores.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

const CallExpr *errorStoringCall(const Expr *E, const ErrorRecognizer &Errors) {
  const auto *Call =
      dyn_cast_or_null<CallExpr>(E ? skipMovesAndCopies(E) : nullptr);
  if (!Call)
    return nullptr;
  ErrorKind K = Errors.callKind(Call);
  return K == ErrorKind::None || K == ErrorKind::AsyncFuture ? nullptr : Call;
}

namespace {

/// True if \p S mentions the variable \p V (lambdas in it included).
bool mentions(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
    return Ref->getDecl() == V;
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return mentions(C, V); });
}

/// `std::error_code ignored_ec;`: the name says the error is dropped on
/// purpose (the asio examples' convention).
bool namedAsIgnored(const NamedDecl *V) {
  const IdentifierInfo *II = V->getIdentifier();
  if (!II)
    return false;
  llvm::StringRef Name = II->getName();
  return Name.contains_insensitive("ignore") ||
         Name.contains_insensitive("unused") || Name == "_";
}

/// The same for `auto [ptr, _] = std::to_chars(...)`: every binding that
/// carries the error is named as ignored.
bool namedAsIgnored(const ValueDecl *V, const ErrorRecognizer &Errors) {
  const auto *DD = dyn_cast<DecompositionDecl>(V);
  if (!DD)
    return namedAsIgnored(cast<NamedDecl>(V));
  bool Any = false;
  for (const BindingDecl *B : DD->bindings()) {
    if (!Errors.carriesError(B->getType()))
      continue;
    if (!namedAsIgnored(cast<NamedDecl>(B)))
      return false;
    Any = true;
  }
  return Any;
}

/// What one element does to a followed variable.
struct Event {
  enum Kind : uint8_t { Read, Store, Kill } K = Read;
  bool Kills = true;                ///< a Store that replaces the old value
  unsigned Var = 0;                 ///< index into the followed variables
  const CallExpr *Source = nullptr; ///< a Store's error-producing call
  const Stmt *Site = nullptr;       ///< where a Store / Kill writes
};

/// Keeps in \p Into the one of \p Into and \p From that comes first in the
/// source (the join of "the next overwrite", "the test": deterministic).
template <typename T>
void keepFirst(const SourceManager &SM, const T *&Into, const T *From) {
  if (!Into || (From && SM.isBeforeInTranslationUnit(From->getBeginLoc(),
                                                     Into->getBeginLoc())))
    Into = From;
}

/// Per followed variable: read on some path from here before any write,
/// and if not, a store on some path that overwrites it first.
struct Slot {
  bool Live = false;
  const Stmt *Next = nullptr;
  bool operator==(const Slot &O) const {
    return Live == O.Live && Next == O.Next;
  }
};
using LiveState = llvm::SmallVector<Slot, 4>;

class ErrorLiveness : public BackwardAnalysis<ErrorLiveness, LiveState> {
public:
  ErrorLiveness(FlowContext &Flow, const FunctionDecl *Fn)
      : Flow(Flow), Errors(Flow.errors()), Fn(Fn),
        SM(Flow.astContext().getSourceManager()) {
    // Members are followed in the member functions of a class (a lambda's
    // `this` is its enclosing function's).
    const auto *M = dyn_cast<CXXMethodDecl>(Fn);
    MembersFollowable = M && M->isInstance() && !M->getParent()->isLambda();
  }

  /// Finds the variables worth following in \p Body; false if none.
  bool collect(const Stmt *Body);
  /// Lays out the events of \p G's elements.
  void placeEvents(const FlowGraph &G);
  bool hasTry() const { return HasTry; }

  /// The caller's error (a reference parameter, a member) may be read
  /// after the function returns.
  LiveState exitState() {
    LiveState S(Vars.size());
    for (unsigned I = 0, N = Vars.size(); I != N; ++I)
      S[I].Live = outlivesCall(Vars[I]);
    return S;
  }
  void join(LiveState &Into, const LiveState &From) {
    for (unsigned I = 0, N = Into.size(); I != N; ++I) {
      Slot &A = Into[I];
      const Slot &B = From[I];
      if (A.Live || B.Live)
        A = {true, nullptr};
      else
        keepFirst(SM, A.Next, B.Next);
    }
  }
  void transfer(const CFGElement &E, LiveState &S);

  llvm::SmallVector<UnreadErrorStore, 2> Findings;

private:
  int indexOf(const ValueDecl *D) const {
    auto It = Index.find(D);
    return It == Index.end() ? -1 : static_cast<int>(It->second);
  }
  void noteCandidate(const Expr *Target) {
    if (const ValueDecl *V = followable(Target))
      Candidates.insert(V);
  }
  static bool outlivesCall(const ValueDecl *V) {
    return isa<ParmVarDecl, FieldDecl>(V);
  }
  const ValueDecl *followable(const Expr *E) const;
  /// A call that may read the followed members (a function of the
  /// translation unit, a suspension of the coroutine).
  bool mayReadMembers(const Stmt *S) const;
  void walk(const Stmt *S);
  void assignment(const Expr *LHS, const Expr *RHS);
  void eventsOf(const Stmt *S, llvm::SmallVectorImpl<Event> &Out);
  void outArgumentEvents(const CallExpr *Call,
                         llvm::SmallVectorImpl<Event> &Out);

  FlowContext &Flow;
  const ErrorRecognizer &Errors;
  const FunctionDecl *Fn;
  const SourceManager &SM;
  bool HasTry = false;
  bool MembersFollowable = false, ThisCaptured = false;
  llvm::DenseSet<const ValueDecl *> Candidates, Escaped;
  /// Uses of each variable in the body, and the ones that write it.
  llvm::DenseMap<const ValueDecl *, unsigned> Uses;
  llvm::DenseSet<const Expr *> SeenRefs;
  llvm::DenseSet<const Expr *> Writes;
  /// `ec = sock.close(ec)`: the assignment stores the error the call also
  /// writes through its out-parameter; one store.
  llvm::DenseSet<std::pair<const CallExpr *, const ValueDecl *>> AssignedFrom;
  llvm::SmallVector<const ValueDecl *, 4> Vars;
  llvm::DenseMap<const ValueDecl *, unsigned> Index;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<Event, 1>> Placed;
  llvm::SmallVector<bool, 4> Trusted;
  llvm::DenseSet<std::pair<const CallExpr *, const ValueDecl *>> Reported;
};

/// The objects whose stores are followed: a local variable of the function
/// held by value, a parameter declared as a non-const error-code reference,
/// an error-code member of `this`.
const ValueDecl *ErrorLiveness::followable(const Expr *E) const {
  E = E ? skipImplicit(E) : nullptr;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!MembersFollowable || !F ||
        !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) ||
        F->getType()->isReferenceType() || !Errors.isErrorCode(F->getType()))
      return nullptr;
    return F;
  }
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || V->getDeclContext() != Fn)
    return nullptr;
  if (isa<ParmVarDecl>(V)) {
    const auto *R = V->getType()->getAs<LValueReferenceType>();
    return R && !R->getPointeeType().isConstQualified() &&
                   Errors.isErrorCode(R->getPointeeType())
               ? V
               : nullptr;
  }
  return V->getType()->isReferenceType() ? nullptr : V;
}

bool ErrorLiveness::mayReadMembers(const Stmt *S) const {
  if (isa<CoawaitExpr, CoyieldExpr>(S))
    return true;
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  return !Callee || !SM.isInSystemHeader(Callee->getLocation());
}

void ErrorLiveness::assignment(const Expr *LHS, const Expr *RHS) {
  const ValueDecl *V = followable(LHS);
  if (!V)
    return;
  Writes.insert(skipImplicit(LHS));
  const CallExpr *Source = errorStoringCall(RHS, Errors);
  if (!Source)
    return;
  Candidates.insert(V);
  for (const ErrorRecognizer::OutArgument &A : Errors.errorOutArguments(Source))
    if (followable(A.Arg) == V)
      AssignedFrom.insert({Source, V});
}

void ErrorLiveness::walk(const Stmt *S) {
  if (!S)
    return;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // Its body is a function of its own. Captured by reference (or bound to
    // a reference init-capture), a variable may be read whenever the lambda
    // runs; a copy is a read here (the capture's initialiser). So may the
    // members, with `this`.
    for (const LambdaCapture &C : L->captures()) {
      if (C.capturesThis())
        ThisCaptured = true;
      if (!C.capturesVariable())
        continue;
      const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
      if (V && L->isInitCapture(&C)) {
        if (V->getType()->isReferenceType())
          if (const ValueDecl *Target = followable(V->getInit()))
            Escaped.insert(Target);
      } else if (V && C.getCaptureKind() == LCK_ByRef) {
        Escaped.insert(V);
      }
    }
    for (const Expr *Init : L->capture_inits())
      walk(Init);
    return;
  }
  if (const auto *B = dyn_cast<BlockExpr>(S)) {
    for (const BlockDecl::Capture &C : B->getBlockDecl()->captures())
      Escaped.insert(C.getVariable());
    return;
  }
  if (isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr>(S))
    return; // unevaluated
  if (const auto *TI = dyn_cast<CXXTypeidExpr>(S);
      TI && !TI->isPotentiallyEvaluated())
    return;
  if (isa<CXXTryStmt>(S))
    HasTry = true;

  if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = Ref->getDecl();
    if (const auto *BD = dyn_cast<BindingDecl>(D))
      D = BD->getDecomposedDecl();
    if (const auto *V = dyn_cast_or_null<VarDecl>(D);
        V && SeenRefs.insert(Ref).second)
      ++Uses[V];
  } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
        F && SeenRefs.insert(ME).second)
      ++Uses[F];
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V || !V->hasLocalStorage())
        continue;
      if (V->getType()->isReferenceType()) {
        // `auto &r = ec;` aliases ec.
        if (const ValueDecl *Target = followable(V->getInit()))
          Escaped.insert(Target);
      } else if (errorStoringCall(V->getInit(), Errors)) {
        Candidates.insert(V);
      }
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() == UO_AddrOf)
      if (const ValueDecl *V = followable(UO->getSubExpr()))
        Escaped.insert(V);
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const Expr *LHS = nullptr, *RHS = nullptr;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      LHS = OC->getArg(0);
      RHS = OC->getArg(1);
    }
    for (const ErrorRecognizer::OutArgument &A : Errors.errorOutArguments(Call))
      if (followable(A.Arg)) {
        noteCandidate(A.Arg);
        Writes.insert(skipImplicit(A.Arg));
      }
    if (LHS)
      assignment(LHS, RHS);
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign)
      assignment(BO->getLHS(), BO->getRHS());
  }
  for (const Stmt *Child : S->children())
    walk(Child);
}

bool ErrorLiveness::collect(const Stmt *Body) {
  walk(Body);
  for (const ValueDecl *V : Candidates)
    if (!Escaped.contains(V) && !V->hasAttr<UnusedAttr>() &&
        !V->getType().isVolatileQualified() && !namedAsIgnored(V, Errors) &&
        !(isa<FieldDecl>(V) && ThisCaptured))
      Vars.push_back(V);
  llvm::sort(Vars, [&](const ValueDecl *A, const ValueDecl *B) {
    return SM.isBeforeInTranslationUnit(A->getLocation(), B->getLocation());
  });
  for (unsigned I = 0, N = Vars.size(); I != N; ++I)
    Index[Vars[I]] = I;
  return !Vars.empty();
}

/// What an out-parameter call does to the followed variables it takes:
/// the callee's effects (a library function stores; a function of the
/// translation unit as its summary says).
void ErrorLiveness::outArgumentEvents(const CallExpr *Call,
                                      llvm::SmallVectorImpl<Event> &Out) {
  llvm::SmallVector<ErrorRecognizer::OutArgument, 1> Args =
      Errors.errorOutArguments(Call);
  if (Args.empty())
    return;
  llvm::SmallVector<EffectEvent, 4> Effects;
  effectsOf(Flow, Call, ErrorFamily, Effects);
  // A complete summary knows everything the callee does: no effect is
  // none.
  const FunctionDecl *Def = nullptr;
  const FunctionDecl *Callee = Call->getDirectCallee();
  bool Known = false;
  if (Callee && Callee->hasBody(Def) &&
      !SM.isInSystemHeader(Def->getLocation()))
    if (const FunctionSummary *S = Flow.summaries().get(Def, ErrorFamily))
      Known = S->Complete;
  for (const ErrorRecognizer::OutArgument &A : Args) {
    const ValueDecl *V = followable(A.Arg);
    int I = indexOf(V);
    if (I < 0 || AssignedFrom.contains({Call, V}))
      continue;
    uint32_t Bits = 0;
    std::optional<ObjectPath> P = objectPathOf(A.Arg);
    for (const EffectEvent &Ev : Effects)
      if (P && Ev.Path == *P)
        Bits |= Ev.Effect;
    Event Ev;
    Ev.Var = I;
    Ev.Source = Call;
    Ev.Site = Call;
    if (Bits & ReadsError) {
      Ev.K = Event::Read;
    } else if (Bits & (OverwritesError | MayOverwriteError)) {
      Ev.K = Event::Store;
      Ev.Kills = Bits & OverwritesError;
    } else if (Known) {
      continue; // takes it and does nothing with it
    } else {
      // Declared as an out-parameter, and what the body does is beyond the
      // summaries' depth: as for a library function, a store.
      Ev.K = Event::Store;
    }
    Out.push_back(Ev);
  }
}

/// The target of an assignment whose value \p S reads: the assignment
/// converted to a value (`(n = f()) == -1`) or the object of a member call
/// on it (`if ((ec = f()))`, `(ec = f()).value()`).
static const Expr *assignmentReadBy(const Stmt *S) {
  const Expr *Operand = nullptr;
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S);
      Cast && Cast->getCastKind() == CK_LValueToRValue)
    Operand = Cast->getSubExpr();
  else if (const auto *ME = dyn_cast<MemberExpr>(S))
    Operand = ME->getBase();
  if (!Operand)
    return nullptr;
  std::optional<AssignmentOperands> A =
      assignmentOperands(Operand->IgnoreParenImpCasts());
  return A ? A->Target : nullptr;
}

void ErrorLiveness::eventsOf(const Stmt *S, llvm::SmallVectorImpl<Event> &Out) {
  auto Write = [&](const Expr *LHS, const Expr *RHS, const Stmt *Site) {
    int I = indexOf(followable(LHS));
    if (I < 0)
      return;
    Event Ev;
    Ev.Var = I;
    Ev.Site = Site;
    Ev.Source = errorStoringCall(RHS, Errors);
    Ev.K = Ev.Source ? Event::Store : Event::Kill;
    Out.push_back(Ev);
  };
  // `if ((n = write(...)) == -1)`, `if ((ec = save()))`: the value of the
  // assignment is read where it is made, and with it what it stored.
  if (const Expr *Assigned = assignmentReadBy(S)) {
    if (int I = indexOf(followable(Assigned)); I >= 0)
      Out.push_back({Event::Read, true, static_cast<unsigned>(I), nullptr, S});
  }
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (int I = indexOf(followable(ME)); I >= 0 && !Writes.contains(ME))
      Out.push_back({Event::Read, true, static_cast<unsigned>(I), nullptr, S});
    return;
  }
  // What the call does to a member it takes as an error out-parameter is
  // read off its summary below.
  if (mayReadMembers(S)) {
    llvm::SmallVector<ErrorRecognizer::OutArgument, 1> Args;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      Args = Errors.errorOutArguments(Call);
    for (unsigned I = 0, N = Vars.size(); I != N; ++I)
      if (isa<FieldDecl>(Vars[I]) &&
          llvm::none_of(Args, [&](const ErrorRecognizer::OutArgument &A) {
            return followable(A.Arg) == Vars[I];
          }))
        Out.push_back({Event::Read, true, I, nullptr, S});
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
    if (Writes.contains(Ref))
      return;
    int I = indexOf(Ref->getDecl());
    if (const auto *BD = dyn_cast<BindingDecl>(Ref->getDecl())) {
      // `auto [ptr, ec] = std::from_chars(...)`: reading `ptr` does not read
      // the error; reading a binding that carries one does.
      const auto *DD =
          dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl());
      I = DD ? indexOf(DD) : -1;
      if (I >= 0 && !Errors.carriesError(BD->getType()) &&
          llvm::any_of(DD->bindings(), [&](const BindingDecl *Other) {
            return Errors.carriesError(Other->getType());
          }))
        I = -1;
    }
    if (I >= 0)
      Out.push_back({Event::Read, true, static_cast<unsigned>(I), nullptr, S});
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && indexOf(V) >= 0) {
        Event Ev;
        Ev.Var = indexOf(V);
        Ev.Site = DS;
        Ev.Source = errorStoringCall(V->getInit(), Errors);
        Ev.K = Ev.Source ? Event::Store : Event::Kill;
        Out.push_back(Ev);
      }
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign)
      Write(BO->getLHS(), BO->getRHS(), BO);
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
    Write(OC->getArg(0), OC->getArg(1), OC);
    return;
  }
  outArgumentEvents(Call, Out);
}

void ErrorLiveness::placeEvents(const FlowGraph &G) {
  // Every block, reached or not: a use the graph does not show at all (an
  // unmodelled construct) makes the variable's result unsound.
  llvm::DenseSet<const Stmt *> Seen;
  llvm::SmallVector<unsigned, 4> Shown(Vars.size());
  for (const CFGBlock *B : G.cfg())
    for (const CFGElement &E : *B) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS || !Seen.insert(CS->getStmt()).second)
        continue;
      const Stmt *S = CS->getStmt();
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
        const ValueDecl *D = Ref->getDecl();
        if (const auto *BD = dyn_cast<BindingDecl>(D))
          D = BD->getDecomposedDecl();
        if (int I = indexOf(D); I >= 0)
          ++Shown[I];
      } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
        if (int I = indexOf(ME->getMemberDecl()); I >= 0)
          ++Shown[I];
      }
      llvm::SmallVector<Event, 1> Evs;
      eventsOf(S, Evs);
      if (!Evs.empty())
        Placed[S] = std::move(Evs);
    }
  Trusted.assign(Vars.size(), true);
  for (unsigned I = 0, N = Vars.size(); I != N; ++I)
    Trusted[I] = Uses.lookup(Vars[I]) == Shown[I];
}

void ErrorLiveness::transfer(const CFGElement &E, LiveState &S) {
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  auto It = Placed.find(CS->getStmt());
  if (It == Placed.end())
    return;
  for (const Event &Ev : llvm::reverse(It->second)) {
    Slot &Sl = S[Ev.Var];
    switch (Ev.K) {
    case Event::Read:
      Sl = {true, nullptr};
      continue;
    case Event::Store:
      if (reporting() && !Sl.Live && Trusted[Ev.Var] &&
          Reported.insert({Ev.Source, Vars[Ev.Var]}).second)
        Findings.push_back({Vars[Ev.Var], Ev.Source, Sl.Next});
      if (!Ev.Kills)
        continue;
      break;
    case Event::Kill:
      // The caller's error set on purpose (`ec = error_code();` to report
      // success after a best-effort call): a decision about the old value.
      if (outlivesCall(Vars[Ev.Var])) {
        Sl = {true, nullptr};
        continue;
      }
      break;
    }
    // Reaching the declaration again (a loop body's variable) is the death
    // of the old value, not an overwrite.
    Sl = {false, isa<DeclStmt>(Ev.Site) ? nullptr : Ev.Site};
  }
}

} // namespace

llvm::SmallVector<UnreadErrorStore, 2>
findUnreadErrorStores(FlowContext &Flow, const FunctionDecl *Fn) {
  const Stmt *Body = Fn ? Fn->getBody() : nullptr;
  if (!Body)
    return {};
  ErrorLiveness A(Flow, Fn);
  // Most functions store no error: no graph for them.
  if (!A.collect(Body))
    return {};
  const FlowGraph *G = Flow.graph(Fn);
  if (!G)
    return {};
  A.placeEvents(*G);
  if (A.hasTry())
    A.modelExceptions(Flow.throws());
  BackwardSolver<ErrorLiveness> Solver(*G, A);
  if (!Solver.solve())
    return {};
  Solver.report();
  const SourceManager &SM = Flow.astContext().getSourceManager();
  llvm::sort(A.Findings,
             [&](const UnreadErrorStore &L, const UnreadErrorStore &R) {
               return SM.isBeforeInTranslationUnit(L.Source->getBeginLoc(),
                                                   R.Source->getBeginLoc());
             });
  return std::move(A.Findings);
}

namespace {

/// Per call followed by UnheededAnalysis: which outcomes of a test of its
/// error reach here (a may-set), and the test.
struct Heed {
  enum : uint8_t { SawError = 1, SawSuccess = 2, Both = 3 };
  uint8_t Seen = 0;
  const Expr *Test = nullptr;
  bool operator==(const Heed &O) const {
    return Seen == O.Seen && Test == O.Test;
  }
};
using HeedState = llvm::SmallVector<Heed, 2>;

class UnheededAnalysis : public ForwardAnalysis<UnheededAnalysis, HeedState> {
public:
  struct Call {
    const VarDecl *Error, *Result;
    const CallExpr *Source;
  };

  UnheededAnalysis(FlowContext &Flow, const FunctionDecl *Fn)
      : Errors(Flow.errors()), Fn(Fn),
        SM(Flow.astContext().getSourceManager()) {}

  /// Finds the calls that store an error and a result; false if none.
  bool collect(const Stmt *S);

  HeedState initialState() { return HeedState(Calls.size()); }
  void join(HeedState &Into, const HeedState &From) {
    for (unsigned I = 0, N = Into.size(); I != N; ++I) {
      Heed &A = Into[I];
      const Heed &B = From[I];
      A.Seen |= B.Seen;
      keepFirst(SM, A.Test, B.Test);
    }
  }
  void refineEdge(const CFGBlock &From, unsigned Succ, HeedState &S);
  void transfer(const CFGElement &E, HeedState &S);

  llvm::SmallVector<UnheededError, 1> Findings;

private:
  /// The local variable \p E names, if it is one of the function's.
  const VarDecl *localVar(const Expr *E) const {
    const auto *Ref =
        dyn_cast_or_null<DeclRefExpr>(E ? skipImplicit(E) : nullptr);
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return V && V->hasLocalStorage() && V->getDeclContext() == Fn ? V : nullptr;
  }
  void noteResult(const VarDecl *Result, const Expr *Init);
  void reset(HeedState &S, const VarDecl *V) {
    for (unsigned I = 0, N = Calls.size(); I != N; ++I)
      if (Calls[I].Error == V || Calls[I].Result == V)
        S[I] = Heed();
  }

  const ErrorRecognizer &Errors;
  const FunctionDecl *Fn;
  const SourceManager &SM;
  llvm::SmallVector<Call, 2> Calls;
  /// Targets of assignments and error out-parameters: writes, not uses.
  llvm::DenseSet<const DeclRefExpr *> Writes;
  llvm::DenseSet<const CallExpr *> Reported;
};

/// `n = f(..., ec)` / `auto n = f(..., ec)`: a call that stores an error in
/// a local through an out-parameter and returns its result.
void UnheededAnalysis::noteResult(const VarDecl *Result, const Expr *Init) {
  const auto *Call =
      dyn_cast_or_null<CallExpr>(Init ? skipMovesAndCopies(Init) : nullptr);
  if (!Result || !Call || Call->getType()->isVoidType() ||
      Errors.callKind(Call) != ErrorKind::None)
    return;
  for (const ErrorRecognizer::OutArgument &A : Errors.errorOutArguments(Call))
    // The caller's error (a parameter) goes back with the result: the
    // caller decides.
    if (const VarDecl *Error = localVar(A.Arg);
        Error && !isa<ParmVarDecl>(Error)) {
      Calls.push_back({Error, Result, Call});
      return;
    }
}

bool UnheededAnalysis::collect(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return !Calls.empty();
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D);
          V && V->hasLocalStorage() && !V->getType()->isReferenceType())
        noteResult(V, V->getInit());
  } else if (std::optional<AssignmentOperands> A = assignmentOperands(S)) {
    if (const VarDecl *V = localVar(A->Target)) {
      Writes.insert(cast<DeclRefExpr>(skipImplicit(A->Target)));
      noteResult(V, A->Value);
    }
  }
  for (const Stmt *Child : S->children())
    collect(Child);
  return !Calls.empty();
}

void UnheededAnalysis::refineEdge(const CFGBlock &From, unsigned Succ,
                                  HeedState &S) {
  const auto *Cond = dyn_cast_or_null<Expr>(
      const_cast<CFGBlock &>(From).getTerminatorCondition());
  if (!Cond)
    return;
  std::optional<ErrorRecognizer::ErrorTest> T;
  if (From.succ_size() == 2)
    T = Errors.errorTest(Cond);
  const VarDecl *Tested = T ? localVar(T->ErrorCode) : nullptr;
  for (unsigned I = 0, N = Calls.size(); I != N; ++I) {
    if (Calls[I].Error == Tested) {
      // Successor 0 is the branch taken when the condition holds.
      S[I].Seen =
          (Succ == 0) == T->TrueOnError ? Heed::SawError : Heed::SawSuccess;
      S[I].Test = Cond;
    } else if (mentions(Cond, Calls[I].Error)) {
      // The code tells errors apart (`ec == errc::...`): a decision about
      // this error, not ours to second-guess.
      S[I] = Heed();
    }
  }
}

void UnheededAnalysis::transfer(const CFGElement &E, HeedState &S) {
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        reset(S, V);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(St)) {
    // A new error for the variables it takes as out-parameters.
    for (const ErrorRecognizer::OutArgument &A : Errors.errorOutArguments(Call))
      if (const VarDecl *V = localVar(A.Arg))
        reset(S, V);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      reset(S, localVar(OC->getArg(0)));
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->getOpcode() == BO_Assign)
      reset(S, localVar(BO->getLHS()));
    return;
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(St);
  if (!Ref || Writes.contains(Ref) || !reporting())
    return;
  for (unsigned I = 0, N = Calls.size(); I != N; ++I)
    if (Calls[I].Result == Ref->getDecl() && S[I].Seen == Heed::Both &&
        Reported.insert(Calls[I].Source).second)
      Findings.push_back(
          {Calls[I].Error, Calls[I].Result, Calls[I].Source, S[I].Test, Ref});
}

} // namespace

llvm::SmallVector<const ParmVarDecl *, 1>
unreadErrorParameters(const LambdaExpr *Handler,
                      const ErrorRecognizer &Errors) {
  llvm::SmallVector<const ParmVarDecl *, 1> Unread;
  const CXXMethodDecl *Op = Handler->getCallOperator();
  if (!Op || !Op->getBody() || Handler->isGenericLambda())
    return Unread;
  for (const ParmVarDecl *P : Op->parameters())
    if (P->getIdentifier() && Errors.isErrorCode(P->getType()) &&
        !P->hasAttr<UnusedAttr>() && !namedAsIgnored(P) &&
        !mentions(Op->getBody(), P))
      Unread.push_back(P);
  return Unread;
}

llvm::SmallVector<UnheededError, 1> findUnheededErrors(FlowContext &Flow,
                                                       const FunctionDecl *Fn) {
  const Stmt *Body = Fn ? Fn->getBody() : nullptr;
  if (!Body)
    return {};
  UnheededAnalysis A(Flow, Fn);
  if (!A.collect(Body))
    return {};
  const FlowGraph *G = Flow.graph(Fn);
  if (!G || !runForward(*G, A))
    return {};
  const SourceManager &SM = Flow.astContext().getSourceManager();
  llvm::sort(A.Findings, [&](const UnheededError &L, const UnheededError &R) {
    return SM.isBeforeInTranslationUnit(L.Source->getBeginLoc(),
                                        R.Source->getBeginLoc());
  });
  return std::move(A.Findings);
}

namespace {

/// The object \p E names: objectPathOf(), or a structured binding of a
/// local (`auto [error, socket] = accept(a);`), rooted at the binding.
std::optional<ObjectPath> namedObject(const Expr *E) {
  if (std::optional<ObjectPath> P = objectPathOf(E))
    return P;
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Binding = Ref ? dyn_cast<BindingDecl>(Ref->getDecl()) : nullptr;
  const auto *Decomposed =
      Binding ? dyn_cast_or_null<VarDecl>(Binding->getDecomposedDecl())
              : nullptr;
  if (!Decomposed || !Decomposed->hasLocalStorage())
    return std::nullopt;
  ObjectPath P;
  P.Root = Binding;
  return P;
}

/// The variable an object rooted at \p Root lives in: the decomposition of
/// a binding, or \p Root itself.
const ValueDecl *storageOf(const ValueDecl *Root) {
  if (const auto *Binding = dyn_cast_or_null<BindingDecl>(Root))
    return Binding->getDecomposedDecl();
  return Root;
}

/// True if \p S, an element of \p G, uses the object at \p Obj other than as
/// the object of a call \p IsEnd accepts or the operand of `delete`.
bool usesObject(const Stmt *S, const ObjectPath &Obj, const FlowGraph &G,
                llvm::function_ref<bool(const CXXMemberCallExpr *)> IsEnd) {
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    return llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
      if (C.capturesThis())
        return Obj.Kind == RootKind::This;
      return C.capturesVariable() && Obj.Kind != RootKind::This &&
             C.getCapturedVar() == Obj.Root;
    });
  if (!isa<DeclRefExpr, MemberExpr>(S))
    return false;
  std::optional<ObjectPath> P = namedObject(cast<Expr>(S));
  if (!P || (!P->startsWith(Obj) && !Obj.startsWith(*P)))
    return false;
  // `obj.close(ec)`, `p->close(ec)`, `delete p`: through parentheses and
  // implicit casts.
  const Stmt *Up = G.parentIgnoringImplicit(S);
  if (isa_and_nonnull<CXXDeleteExpr>(Up))
    return false;
  const auto *Callee = dyn_cast_or_null<MemberExpr>(Up);
  if (!Callee || !isa<CXXMethodDecl>(Callee->getMemberDecl()))
    return true;
  const auto *Next =
      dyn_cast_or_null<CXXMemberCallExpr>(G.parentIgnoringImplicit(Callee));
  return !Next || Next->getCallee()->IgnoreParens() != Callee || !IsEnd(Next);
}

} // namespace

/// The function \p Call runs without virtual dispatch, or null.
static const FunctionDecl *staticallyCalled(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Callee);
  if (!M || !M->isVirtual())
    return Callee;
  // `obj.Base::f()`, or a method no class can override.
  if (const auto *ME =
          dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts());
      ME && ME->hasQualifier())
    return Callee;
  if (M->hasAttr<FinalAttr>() || M->getParent()->hasAttr<FinalAttr>())
    return Callee;
  return nullptr;
}

static bool returnsOnlySuccess(const CallExpr *Call,
                               const ErrorRecognizer &Errors, unsigned Depth);

/// True if \p E, a returned error code, is success: value-initialised, or
/// what a success-only call returns.
static bool isSuccessValue(const Expr *E, const ErrorRecognizer &Errors,
                           unsigned Depth) {
  for (;;) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
      E = Cast->getSubExpr();
    else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr();
    else
      break;
  }
  if (isa<CXXScalarValueInitExpr, ImplicitValueInitExpr>(E))
    return true;
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (Errors.isSuccessByConstruction(CE))
      return true;
    // A copy or move of a success value.
    return CE->getNumArgs() == 1 &&
           CE->getConstructor()->isCopyOrMoveConstructor() &&
           isSuccessValue(CE->getArg(0), Errors, Depth);
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return returnsOnlySuccess(Call, Errors, Depth + 1);
  return false;
}

static bool returnsOnlySuccess(const CallExpr *Call,
                               const ErrorRecognizer &Errors, unsigned Depth) {
  ErrorKind Kind = Errors.typeKind(Call->getType());
  if (Depth > MaxSummaryDepth ||
      (Kind != ErrorKind::ErrorCode && Kind != ErrorKind::Expected &&
       Kind != ErrorKind::StatusLike))
    return false;
  const FunctionDecl *Callee = staticallyCalled(Call);
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || Def->isVariadic())
    return false;
  // Every return outside nested lambdas; a body with none (it throws or
  // never returns) says nothing of success.
  bool Any = false, OnlySuccess = true;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return OnlySuccess;
    Any = true;
    OnlySuccess =
        R->getRetValue() && isSuccessValue(R->getRetValue(), Errors, Depth);
    return OnlySuccess;
  });
  return Any && OnlySuccess;
}

/// The value of \p E, an integer expression, if the types and constants
/// tell it: a constant expression (`32`, `sizeof buf`), `size()` of a
/// std::array (its template argument, whatever the object), and sums,
/// differences and products of those.
static std::optional<int64_t> constantSize(const Expr *E,
                                           const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  Expr::EvalResult R;
  if (!E->isValueDependent() && E->EvaluateAsInt(R, Ctx) &&
      R.Val.getInt().getSignificantBits() <= 63)
    return R.Val.getInt().getExtValue();
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    std::optional<int64_t> L = constantSize(B->getLHS(), Ctx);
    std::optional<int64_t> Rhs = constantSize(B->getRHS(), Ctx);
    if (!L || !Rhs)
      return std::nullopt;
    switch (B->getOpcode()) {
    case BO_Add:
      return *L + *Rhs;
    case BO_Sub:
      return *L - *Rhs;
    case BO_Mul:
      return *L * *Rhs;
    default:
      return std::nullopt;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const auto *Array =
        dyn_cast_or_null<ClassTemplateSpecializationDecl>(MC->getRecordDecl());
    if (M && M->getIdentifier() && M->getName() == "size" &&
        MC->getNumArgs() == 0 && Array && Array->isInStdNamespace() &&
        Array->getName() == "array" && Array->getTemplateArgs().size() == 2 &&
        Array->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
      return Array->getTemplateArgs()[1].getAsIntegral().getExtValue();
  }
  return std::nullopt;
}

namespace {
/// A pointer as an object's address plus a constant offset: `buf + 2`,
/// `arr.data() + arr.size() - 2`.
struct PointerOffset {
  /// The object: an array (or a pointer variable), or the one whose
  /// member function (`data()`) gives the pointer.
  ObjectPath Object;
  const CXXMethodDecl *Accessor = nullptr;
  int64_t Offset = 0;
};
} // namespace

static std::optional<PointerOffset> pointerOffset(const Expr *E,
                                                  const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && (B->getOpcode() == BO_Add || B->getOpcode() == BO_Sub)) {
    bool PointerLeft = B->getLHS()->getType()->isPointerType() ||
                       B->getLHS()->getType()->isArrayType();
    const Expr *Pointer = PointerLeft ? B->getLHS() : B->getRHS();
    const Expr *Integer = PointerLeft ? B->getRHS() : B->getLHS();
    if (!PointerLeft && B->getOpcode() == BO_Sub)
      return std::nullopt;
    std::optional<PointerOffset> P = pointerOffset(Pointer, Ctx);
    std::optional<int64_t> N = constantSize(Integer, Ctx);
    if (!P || !N)
      return std::nullopt;
    P->Offset += B->getOpcode() == BO_Add ? *N : -*N;
    return P;
  }
  PointerOffset P;
  const Expr *Object = E;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    P.Accessor = MC->getMethodDecl();
    Object = MC->getImplicitObjectArgument();
  }
  std::optional<ObjectPath> Path = Object ? objectPathOf(Object) : std::nullopt;
  if (!Path)
    return std::nullopt;
  P.Object = std::move(*Path);
  return P;
}

/// The most characters std::to_chars writes for a value of the integer type
/// \p T in base \p Base: the digits of the type's largest magnitude, and a
/// sign for a signed type.
static int64_t maxIntegerChars(QualType T, unsigned Base,
                               const ASTContext &Ctx) {
  unsigned Bits = Ctx.getIntWidth(T);
  bool Signed = T->isSignedIntegerType();
  llvm::APInt Magnitude = Signed ? llvm::APInt::getSignedMinValue(Bits)
                                 : llvm::APInt::getMaxValue(Bits);
  int64_t Digits = 0;
  do {
    Magnitude = Magnitude.udiv(Base);
    ++Digits;
  } while (!Magnitude.isZero());
  return Digits + Signed;
}

/// True if \p Call is `std::to_chars` of an integer into a buffer whose size
/// the types and constants give (an array, `buf + sizeof buf`,
/// `arr.data() + arr.size()` of a std::array) and that holds any value of
/// the integer's type in the base (a base that is not a constant counts as
/// 2, the longest): std::errc::value_too_large is then impossible.
static bool toCharsAlwaysFits(const CallExpr *Call, const ASTContext &Ctx) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->isInStdNamespace() || !Callee->getIdentifier() ||
      Callee->getName() != "to_chars" || Call->getNumArgs() < 3 ||
      Callee->getNumParams() < 3)
    return false;
  QualType Value = Callee->getParamDecl(2)->getType().getCanonicalType();
  if (!Value->isIntegerType() || Value->isBooleanType())
    return false;
  unsigned Base = 2;
  if (Call->getNumArgs() < 4)
    Base = 10;
  else if (std::optional<int64_t> B = constantSize(Call->getArg(3), Ctx);
           B && *B >= 2 && *B <= 36)
    Base = static_cast<unsigned>(*B);
  std::optional<PointerOffset> First = pointerOffset(Call->getArg(0), Ctx);
  std::optional<PointerOffset> Last = pointerOffset(Call->getArg(1), Ctx);
  if (!First || !Last || First->Object != Last->Object ||
      First->Accessor != Last->Accessor)
    return false;
  int64_t Size = Last->Offset - First->Offset;
  return Size >= maxIntegerChars(Value, Base, Ctx);
}

bool cannotFail(const CallExpr *Call, const ErrorRecognizer &Errors) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && (returnsOnlySuccess(Call, Errors, 0) ||
                    toCharsAlwaysFits(Call, Callee->getASTContext()));
}

const FunctionDecl *namedCallee(const CallExpr *Call, FlowContext &Flow) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (CallableTarget T = Flow.callables().indirectCallee(Call))
    FD = T.Fn;
  if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
      M && M->getParent()->isLambda())
    return nullptr;
  if (FD)
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      return Pattern;
  return FD;
}

bool endsObjectUse(FlowContext &Flow, const FunctionDecl *Fn,
                   const CXXMemberCallExpr *Call,
                   llvm::function_ref<bool(const CXXMemberCallExpr *)> IsEnd) {
  const Expr *Object = Call->getImplicitObjectArgument();
  std::optional<ObjectPath> Obj = Object ? namedObject(Object) : std::nullopt;
  if (!Obj || Obj->Kind == RootKind::Global || Obj->Element)
    return false;
  const FlowGraph *G = Fn ? Flow.graph(Fn) : nullptr;
  const CFGBlock *Start = G ? G->blockOf(Call) : nullptr;
  if (!Start)
    return false;
  // Along a block from \p From: Used, or Gone when the object dies (its
  // destructor runs) or a new one is declared in its place (a variable of a
  // loop body), or neither.
  enum Outcome { Used, Gone, Neither };
  auto Scan = [&](const CFGBlock &B, unsigned From) {
    for (unsigned I = From, N = B.size(); I != N; ++I) {
      if (auto Dtor = B[I].getAs<CFGAutomaticObjDtor>();
          Dtor && Obj->Kind == RootKind::Local &&
          Dtor->getVarDecl() == storageOf(Obj->Root))
        return Gone;
      auto CS = B[I].getAs<CFGStmt>();
      if (!CS)
        continue;
      if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt());
          DS && Obj->Kind == RootKind::Local &&
          llvm::is_contained(DS->decls(), storageOf(Obj->Root)))
        return Gone;
      if (usesObject(CS->getStmt(), *Obj, *G, IsEnd))
        return Used;
    }
    return Neither;
  };
  // The elements after the call in its block, then every block reachable
  // from there (its own block again, whole, if a loop leads back to it).
  unsigned After = 0;
  while (After != Start->size()) {
    auto CS = (*Start)[After++].getAs<CFGStmt>();
    if (CS && CS->getStmt() == Call)
      break;
  }
  llvm::DenseSet<const CFGBlock *> Seen;
  llvm::SmallVector<const CFGBlock *, 8> Work;
  auto Push = [&](const CFGBlock &B) {
    for (const CFGBlock::AdjacentBlock &Succ : B.succs())
      if (const CFGBlock *Next = Succ.getReachableBlock();
          Next && Seen.insert(Next).second)
        Work.push_back(Next);
  };
  switch (Scan(*Start, After)) {
  case Used:
    return false;
  case Gone:
    return true;
  case Neither:
    break;
  }
  Push(*Start);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    Outcome O = Scan(*B, 0);
    if (O == Used)
      return false;
    if (O == Neither)
      Push(*B);
  }
  return true;
}

/// The statement of a block that holds \p E in \p G's function, and that
/// block; {null, null} when \p E is in no block of the function itself.
static std::pair<const Stmt *, const CompoundStmt *>
statementOf(const Expr *E, const FlowGraph &G) {
  const Stmt *S = E;
  for (unsigned Depth = 0; S && Depth != 16; ++Depth) {
    const Stmt *P = G.parent(S);
    if (!P || isa<LambdaExpr>(P))
      break;
    if (const auto *Block = dyn_cast<CompoundStmt>(P))
      return {S, Block};
    S = P;
  }
  return {nullptr, nullptr};
}

/// True if \p S names \p V (lambda captures included).
static bool namesVar(const Stmt *S, const VarDecl *V) {
  return !walkOutsideLambdas(S, LambdaBodies::CapturesOnly, [&](const Stmt *N) {
    if (const auto *L = dyn_cast<LambdaExpr>(N))
      return llvm::none_of(L->captures(), [&](const LambdaCapture &C) {
        return C.capturesVariable() && C.getCapturedVar() == V;
      });
    const auto *DRE = dyn_cast<DeclRefExpr>(N);
    return !DRE || DRE->getDecl() != V;
  });
}

bool withoutErrorChannel(const FunctionDecl *Fn) {
  if (!Fn || !Fn->isExternC() || !Fn->getReturnType()->isVoidType())
    return false;
  return llvm::none_of(Fn->parameters(), [](const ParmVarDecl *P) {
    QualType T = P->getType();
    if (!T->isPointerType() && !T->isReferenceType())
      return false;
    QualType To = T->getPointeeType();
    return To->isPointerType() ||
           (!To.isConstQualified() &&
            (To->isScalarType() || To->isEnumeralType()));
  });
}

/// Whether \p E's value decides a condition (of an `if`, a loop, a `?:`,
/// through `!`, `&&` and `||`); a local `bool` it initialises counts when
/// only conditions read the local.
static bool decidesCondition(const FlowGraph &G, const Expr *E,
                             unsigned Depth) {
  const Stmt *Cur = E;
  for (const Stmt *P = G.parents().getParent(Cur); P;
       Cur = P, P = G.parents().getParent(P)) {
    if (isa<ParenExpr, ImplicitCastExpr, ExprWithCleanups>(P))
      continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_LNot)
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(P); BO && BO->isLogicalOp())
      continue;
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() == Cur;
    if (const auto *While = dyn_cast<WhileStmt>(P))
      return While->getCond() == Cur;
    if (const auto *Do = dyn_cast<DoStmt>(P))
      return Do->getCond() == Cur;
    if (const auto *For = dyn_cast<ForStmt>(P))
      return For->getCond() == Cur;
    if (const auto *CO = dyn_cast<ConditionalOperator>(P))
      return CO->getCond() == Cur;
    const VarDecl *V =
        isa<DeclStmt>(P) ? varInitialisedBy(P, cast<Expr>(Cur)) : nullptr;
    if (!V || Depth != 0 || !V->isLocalVarDecl() ||
        !V->getType()->isBooleanType())
      return false;
    bool Used = false;
    bool OnlyTested =
        walkOutsideLambdas(G.body(), LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *DRE = dyn_cast<DeclRefExpr>(S);
          if (!DRE || DRE->getDecl() != V)
            return true;
          Used = true;
          return decidesCondition(G, DRE, Depth + 1);
        });
    return Used && OnlyTested;
  }
  return false;
}

bool failureAnsweredByResult(FlowContext &Flow, const FunctionDecl *Fn,
                             const CallExpr *Call) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FlowGraph *G = Fn ? Flow.graph(Fn) : nullptr;
  return Callee && G && Callee->getReturnType()->isBooleanType() &&
         decidesCondition(*G, Call, 0);
}

bool parsesWithFallback(FlowContext &Flow, const FunctionDecl *Fn,
                        const CallExpr *Call) {
  const FlowGraph *G = Fn ? Flow.graph(Fn) : nullptr;
  if (!G || !Call)
    return false;
  // Nothing else could report the failure.
  for (const ParmVarDecl *P : Fn->parameters()) {
    QualType T = P->getType();
    if ((T->isLValueReferenceType() || T->isPointerType()) &&
        !T->getPointeeType().isConstQualified())
      return false;
  }
  auto [S, Block] = statementOf(Call, *G);
  if (!S || !Block)
    return false;
  const auto *Begin = Block->body_begin(), *End = Block->body_end();
  const auto *At = std::find(Begin, End, S);
  for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I) {
    const ParmVarDecl *Param = paramForArg(Call, I);
    const auto *V = dyn_cast_or_null<VarDecl>(namedVariable(Call->getArg(I)));
    if (!Param || !V || !Param->getType()->isLValueReferenceType() ||
        Param->getType().getNonReferenceType().isConstQualified() ||
        !V->isLocalVarDecl() || V->isStaticLocal() || !V->hasInit() ||
        V->getType()->isReferenceType() ||
        Fn->getReturnType().getCanonicalType().getUnqualifiedType() !=
            V->getType().getCanonicalType().getUnqualifiedType())
      continue;
    // Declared (with its initial value) in this block, untouched until the
    // call.
    const auto *Decl = std::find_if(Begin, At, [&](const Stmt *X) {
      const auto *DS = dyn_cast<DeclStmt>(X);
      return DS && llvm::is_contained(DS->decls(), V);
    });
    if (Decl == At || std::any_of(Decl + 1, At, [&](const Stmt *X) {
          return namesVar(X, V);
        }))
      continue;
    // The next statement that names it returns it.
    const auto *Next = std::find_if(
        At + 1, End, [&](const Stmt *X) { return namesVar(X, V); });
    const auto *Ret = Next == End ? nullptr : dyn_cast<ReturnStmt>(*Next);
    if (Ret && Ret->getRetValue() && namedVariable(Ret->getRetValue()) == V)
      return true;
  }
  return false;
}

/// \p E seen through accessors without arguments that return a reference
/// (`conn->adaptor_.socket()` is `conn->adaptor_`'s).
static const Expr *throughAccessors(const Expr *E) {
  for (unsigned Depth = 0; E && Depth != 4; ++Depth) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(skipImplicit(E));
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || MC->getNumArgs() != 0 ||
        !M->getReturnType()->isLValueReferenceType() ||
        !MC->getImplicitObjectArgument())
      break;
    E = MC->getImplicitObjectArgument();
  }
  return E;
}

/// True if \p P and \p Q name the same object or one holds the other.
static bool overlaps(const ObjectPath &P, const ObjectPath &Q) {
  return P.startsWith(Q) || Q.startsWith(P);
}

bool failsAfter(FlowContext &Flow, const FunctionDecl *Fn,
                const CallExpr *Call) {
  const FlowGraph *G = Fn ? Flow.graph(Fn) : nullptr;
  return G && Call && G->failsAfter(Call);
}

bool precedesTeardown(
    FlowContext &Flow, const FunctionDecl *Fn, const CallExpr *Call,
    llvm::function_ref<bool(const CXXMemberCallExpr *)> IsEnd) {
  const FlowGraph *G = Fn ? Flow.graph(Fn) : nullptr;
  if (!G || !Call)
    return false;
  auto [S, Block] = statementOf(Call, *G);
  if (!S || !Block)
    return false;
  // The streams the call works on.
  llvm::SmallVector<ObjectPath, 2> Streams;
  auto AddStream = [&](const Expr *E) {
    if (std::optional<ObjectPath> P = objectPathOf(throughAccessors(E));
        P && P->Kind != RootKind::Global && !P->Element)
      Streams.push_back(*P);
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    AddStream(MC->getImplicitObjectArgument());
  for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
    if (const ParmVarDecl *Param = paramForArg(Call, I)) {
      QualType T = Param->getType();
      if (T->isLValueReferenceType() &&
          !T.getNonReferenceType().isConstQualified())
        AddStream(Call->getArg(I));
    }
  if (Streams.empty())
    return false;
  auto Names = [&](const Stmt *X) {
    return !walkOutsideLambdas(
        X, LambdaBodies::CapturesOnly, [&](const Stmt *N) {
          const auto *E = dyn_cast<Expr>(N);
          if (!E || !isa<DeclRefExpr, MemberExpr>(E))
            return true;
          std::optional<ObjectPath> P = namedObject(E);
          return !P || llvm::none_of(Streams, [&](const ObjectPath &Q) {
            return overlaps(*P, Q);
          });
        });
  };
  auto TeardownOf = [&](const Stmt *X) -> const CXXMemberCallExpr * {
    const auto *E = dyn_cast<Expr>(X);
    const auto *MC = E ? dyn_cast<CXXMemberCallExpr>(skipImplicit(E)) : nullptr;
    return MC && IsEnd(MC) ? MC : nullptr;
  };
  const auto *It = llvm::find(Block->body(), S);
  if (It == Block->body_end())
    return false;
  for (++It; It != Block->body_end(); ++It) {
    const CXXMemberCallExpr *T = TeardownOf(*It);
    std::optional<ObjectPath> Closed =
        T ? objectPathOf(T->getImplicitObjectArgument()) : std::nullopt;
    if (!Closed || llvm::none_of(Streams, [&](const ObjectPath &Q) {
          return Q.startsWith(*Closed);
        })) {
      if (Names(*It))
        return false; // used before it is torn down
      continue;
    }
    // Torn down: then only more teardown, and the return.
    for (++It; It != Block->body_end(); ++It) {
      if (isa<ReturnStmt>(*It))
        return true;
      if (!TeardownOf(*It))
        return false;
    }
    return endsObjectUse(Flow, Fn, T, IsEnd);
  }
  return false;
}

} // namespace pitfall
