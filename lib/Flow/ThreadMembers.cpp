//===--- ThreadMembers.cpp ------------------------------------------------===//
#include "pitfall/Flow/ThreadMembers.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/MemberWrites.h"
#include "pitfall/Flow/ThreadStates.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

namespace {

/// The pointee of `T *` or `std::unique_ptr<T>`, or a null type.
QualType ownedPointee(QualType T) {
  if (T.isNull())
    return QualType();
  if (T->isPointerType())
    return T->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      Spec->getName() != "unique_ptr" || Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

ObjectPath fieldPath(const FieldDecl *F) {
  ObjectPath P;
  P.Kind = RootKind::This;
  P.Fields.push_back(F);
  return P;
}

bool isFieldPath(const ObjectPath &P, const FieldDecl *F) {
  return P.Kind == RootKind::This && P.Fields.size() == 1 && P.Fields[0] == F;
}

/// A flag-like field: scalar, an atomic of one, or a smart pointer (set
/// where the thread starts, tested as a bool).
bool isFlagType(QualType T) {
  if (T->isScalarType() || isPointerLike(T))
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         RD->getName().starts_with("atomic");
}

/// What the class does with one thread field: the functions that start it
/// (and where), and the functions its thread runs.
struct FieldStarts {
  llvm::SmallVector<const FunctionDecl *, 2> Starters;
  /// Where each of Starters first starts it.
  llvm::SmallVector<SourceLocation, 2> StarterLocs;
  llvm::SmallVector<const FunctionDecl *, 2> Workers;
  SourceLocation Loc;
  bool InConstructor = false;
};

/// True if \p E starts a thread held in the field (directly or owned
/// through a pointer); adds the thread's body to \p Out.
bool startsField(FlowContext &Flow, const Expr *E, bool Owned,
                 FieldStarts &Out) {
  const ThreadTypes &Threads = Flow.threads();
  E = E ? skipImplicit(E) : nullptr;
  if (!E)
    return false;
  if (Owned && !makesStartedThread(E, Threads))
    return false;
  const auto *CE = dyn_cast<CXXConstructExpr>(E);
  if (!Owned && !(CE && Threads.startedCallable(CE)))
    return false;
  // The thread construction itself, for the task's body.
  llvm::SmallVector<const Stmt *, 8> Work{E};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *C = dyn_cast_or_null<CXXConstructExpr>(S);
        C && Threads.startedCallable(C)) {
      for (const TaskStart &T : Flow.taskStarts(C))
        if (T.Target.Fn)
          Out.Workers.push_back(T.Target.Fn);
      break;
    }
    if (S)
      llvm::append_range(Work, S->children());
  }
  return true;
}

FieldStarts startsOf(FlowContext &Flow, const CXXRecordDecl *Record,
                     const FieldDecl *Field, bool Owned) {
  FieldStarts Out;
  const SourceManager &SM = Flow.astContext().getSourceManager();
  auto Note = [&](const FunctionDecl *Fn, SourceLocation L) {
    const auto *It = llvm::find(Out.Starters, Fn);
    if (It == Out.Starters.end()) {
      Out.Starters.push_back(Fn);
      Out.StarterLocs.push_back(L);
    } else if (SourceLocation &First =
                   Out.StarterLocs[It - Out.Starters.begin()];
               SM.isBeforeInTranslationUnit(L, First)) {
      First = L;
    }
    if (Out.Loc.isInvalid())
      Out.Loc = L;
    if (isa<CXXConstructorDecl>(Fn))
      Out.InConstructor = true;
  };
  for (const Decl *D : Record->decls()) {
    const auto *M = dyn_cast<CXXMethodDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
    const FunctionDecl *Def = nullptr;
    if (!M || !M->hasBody(Def) || !Def->getBody())
      continue;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == Field && Init->isWritten() &&
            startsField(Flow, Init->getInit(), Owned, Out))
          Note(Def, Init->getSourceLocation());
    walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const Expr *Target = nullptr, *Value = nullptr;
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
          OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        Target = OC->getArg(0);
        Value = OC->getArg(1);
      } else if (const auto *BO = dyn_cast<BinaryOperator>(S);
                 BO && BO->getOpcode() == BO_Assign) {
        Target = BO->getLHS();
        Value = BO->getRHS();
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
                 MC && MC->getNumArgs() == 1 && MC->getMethodDecl() &&
                 MC->getMethodDecl()->getIdentifier() &&
                 MC->getMethodDecl()->getName() == "reset") {
        Target = MC->getImplicitObjectArgument();
        Value = MC->getArg(0);
      }
      if (Target && thisField(Target) == Field &&
          startsField(Flow, Value, Owned, Out))
        Note(Def, S->getBeginLoc());
      return true;
    });
  }
  return Out;
}

/// The conditions under which \p S runs in \p Body: the `if`, `while`,
/// `?:` and `&&`/`||` operands above it.
void guardsOf(const Stmt *S, ParentMap &PM,
              llvm::SmallVectorImpl<const Stmt *> &Out) {
  for (const Stmt *Child = S, *P = PM.getParent(S); P;
       Child = P, P = PM.getParent(P)) {
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Child == If->getThen() || Child == If->getElse()) {
        Out.push_back(If->getCond());
        if (const VarDecl *CV = If->getConditionVariable())
          if (CV->getInit())
            Out.push_back(CV->getInit());
      }
    } else if (const auto *W = dyn_cast<WhileStmt>(P)) {
      if (Child == W->getBody())
        Out.push_back(W->getCond());
    } else if (const auto *CO = dyn_cast<ConditionalOperator>(P)) {
      if (Child != CO->getCond())
        Out.push_back(CO->getCond());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(P);
               BO && BO->isLogicalOp() && Child == BO->getRHS()) {
      Out.push_back(BO->getLHS());
    }
  }
}

/// Whether a write of a flag (the statement \p Write) may have happened
/// on a path where the thread in \p Field was not joined or detached after
/// it (nor before it): the function that sets the flag leaves the thread
/// joinable. A `joinable()` test's false edge counts as a join (nothing to
/// join).
struct WriteState {
  bool Pending = false; ///< written, not joined since (on some path)
  bool Joined = false;  ///< joined or found not joinable (on every path)
  bool operator==(const WriteState &O) const {
    return Pending == O.Pending && Joined == O.Joined;
  }
};

class WriteThenJoin : public ForwardAnalysis<WriteThenJoin, WriteState> {
public:
  WriteThenJoin(FlowContext &Flow, const FieldDecl *Field, const Stmt *Write)
      : Flow(Flow), Field(Field), Write(Write) {}

  WriteState initialState() { return {}; }
  void join(WriteState &Into, const WriteState &From) {
    Into.Pending |= From.Pending;
    Into.Joined &= From.Joined;
  }
  void transfer(const CFGElement &E, WriteState &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (St == Write && !S.Joined)
      S.Pending = true;
    Events.clear();
    effectsOf(Flow, St, ThreadFamily, Events);
    for (const EffectEvent &Ev : Events)
      if (isFieldPath(Ev.Path, Field) && !Ev.Path.Element &&
          (Ev.Effect & (JoinsThread | DetachesThread)) &&
          !(Ev.Effect & MayJoinThread))
        S = {false, true};
  }
  /// User exceptions only; a thread's own operations fail only when the
  /// system is out of resources.
  ThrowKind throwKind(const CFGElement &E) {
    auto CS = E.getAs<CFGStmt>();
    const auto *MC = CS ? dyn_cast<CXXMemberCallExpr>(CS->getStmt()) : nullptr;
    if (!CS || (MC && Flow.threads().isAnyThread(MC->getObjectType())))
      return ThrowKind::None;
    ThrowKind K = Flow.throws().classify(CS->getStmt(), Flow.astContext());
    return K == ThrowKind::User ? K : ThrowKind::None;
  }
  void refineEdge(const CFGBlock &B, unsigned Succ, WriteState &S) {
    bool Negated = false;
    const Expr *Cond = branchCondition(B);
    const auto *MC = Cond ? dyn_cast<CXXMemberCallExpr>(
                                skipImplicit(stripNegations(Cond, Negated)))
                          : nullptr;
    if (!MC || classifyThreadMemberCall(MC) != ThreadOp::Joinable)
      return;
    std::optional<ObjectPath> P = objectPathOf(MC->getImplicitObjectArgument());
    if (P && isFieldPath(*P, Field) && (Succ == 0) == Negated)
      S = {false, true};
  }

private:
  FlowContext &Flow;
  const FieldDecl *Field;
  const Stmt *Write;
  llvm::SmallVector<EffectEvent, 4> Events;
};

/// True if \p S is reached on every path through its function's body
/// \p Body that reaches the statement after it: no condition, loop or
/// handler above it.
bool unconditional(const Stmt *S, const Stmt *Body) {
  ParentMap PM(const_cast<Stmt *>(Body));
  for (const Stmt *Child = S, *P = PM.getParent(S); P;
       Child = P, P = PM.getParent(P)) {
    if (isLoopStmt(P) ||
        isa<IfStmt, SwitchStmt, ConditionalOperator, BinaryConditionalOperator,
            CXXCatchStmt, LambdaExpr>(P))
      return false;
    if (const auto *BO = dyn_cast<BinaryOperator>(P);
        BO && BO->isLogicalOp() && Child == BO->getRHS())
      return false;
  }
  return true;
}

class GuardSearch {
public:
  GuardSearch(FlowContext &Flow, const FieldDecl *Field,
              const FieldStarts &Starts)
      : Flow(Flow), Field(Field), Starts(Starts) {
    for (const FunctionDecl *Fn : Starts.Starters)
      if (Fn->getBody())
        forEachWrittenField(Fn->getBody(), [&](const FieldDecl *F) {
          StarterWritten.insert(F);
        });
    for (const FunctionDecl *Fn : Starts.Workers) {
      const FunctionDecl *Def = nullptr;
      if (Fn->hasBody(Def) && Def->getBody())
        forEachWrittenField(Def->getBody(), [&](const FieldDecl *F) {
          WorkerWritten.insert(F);
        });
    }
  }

  /// The first guard of a join of the field in \p Fn (or in the helpers it
  /// calls on `this` that join it) that does not tell whether there is a
  /// thread to join.
  std::optional<SourceLocation> find(const FunctionDecl *Fn, unsigned Depth) {
    const FunctionDecl *Def = nullptr;
    if (Depth > MaxSummaryDepth || !Fn->hasBody(Def) || !Def->getBody() ||
        llvm::is_contained(Seen, Def))
      return std::nullopt;
    Seen.push_back(Def);
    ParentMap PM(Def->getBody());
    ObjectPath P = fieldPath(Field);
    std::optional<SourceLocation> Found;
    walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      if (!MC)
        return true;
      const FunctionDecl *Helper = nullptr;
      if (isJoinOrDetach(MC, Flow.threads())) {
        std::optional<ObjectPath> On =
            objectPathOf(MC->getImplicitObjectArgument());
        if (!On || !isFieldPath(*On, Field))
          return true;
      } else if (MC->getMethodDecl() && MC->getImplicitObjectArgument() &&
                 isa<CXXThisExpr>(
                     MC->getImplicitObjectArgument()->IgnoreParenImpCasts())) {
        const FunctionSummary *Sum =
            Flow.summaries().get(MC->getMethodDecl(), ThreadFamily);
        if (!Sum || !Sum->has(P, JoinsThread | MayJoinThread))
          return true;
        if (!Sum->has(P, JoinsThread))
          Helper = MC->getMethodDecl();
      } else {
        return true;
      }
      llvm::SmallVector<const Stmt *, 4> Guards;
      guardsOf(MC, PM, Guards);
      // A flag the joining function sets itself is a run-once guard
      // (`if (!stopped_.exchange(true)) join`): when it does not hold, an
      // earlier call took the branch and joined.
      llvm::DenseSet<const FieldDecl *> OwnWritten;
      forEachWrittenField(Def->getBody(),
                          [&](const FieldDecl *F) { OwnWritten.insert(F); });
      for (const Stmt *G : Guards)
        if (!tellsStarted(G, OwnWritten)) {
          Found = G->getBeginLoc();
          return false;
        }
      if (Helper)
        Found = find(Helper, Depth + 1);
      return !Found;
    });
    return Found;
  }

private:
  /// True if \p Cond can tell whether there is a thread to join: it tests
  /// the thread itself, a flag the starting function or the joining one
  /// (\p OwnWritten) sets and the thread does not, or asks a member
  /// function (whose answer is not read here).
  bool tellsStarted(const Stmt *Cond,
                    const llvm::DenseSet<const FieldDecl *> &OwnWritten) const {
    bool Tells = false;
    llvm::SmallVector<const Stmt *, 16> Work{Cond};
    while (!Work.empty() && !Tells) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      llvm::append_range(Work, S->children());
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
          MC && MC->getImplicitObjectArgument() &&
          isa<CXXThisExpr>(
              MC->getImplicitObjectArgument()->IgnoreParenImpCasts())) {
        Tells = true;
        continue;
      }
      // The thread itself, also through a loop variable over a container
      // (`for (auto &t : workers_) if (t.joinable())`).
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
        if (std::optional<ObjectPath> P = objectPathOf(Ref);
            P && isFieldPath(*P, Field)) {
          Tells = true;
          continue;
        }
      // `state_ != uninitialized`: the value only the constructor gives it.
      if (const auto *BO = dyn_cast<BinaryOperator>(S);
          BO && BO->isEqualityOp() && comparesWithInitialValue(BO)) {
        Tells = true;
        continue;
      }
      // A flag, also in an object reached through a pointer member
      // (`sync_->is_shutdown`), that only a function joining the thread
      // after the write sets.
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        if (std::optional<ObjectPath> P = objectPathOf(ME);
            P && P->Kind == RootKind::This && !P->Fields.empty() &&
            isFlagType(ME->getType()) && setOnlyAroundJoins(*P)) {
          Tells = true;
          continue;
        }
      const FieldDecl *F = thisField(dyn_cast<Expr>(S));
      if (!F)
        continue;
      if (F == Field) {
        Tells = true;
        continue;
      }
      if (WorkerWritten.contains(F))
        return false;
      Tells = isFlagType(F->getType()) &&
              (StarterWritten.contains(F) || OwnWritten.contains(F));
    }
    return Tells;
  }

  /// True if every write of the flag \p P names (a path from `this`) is
  /// made through that path by a member function of the thread's class
  /// that joins or detaches the thread after the write on every path by
  /// which it returns or throws (or had joined it before): the flag is set
  /// only once the thread is gone. Every member function of the class must
  /// be defined in the translation unit (another may set it).
  bool setOnlyAroundJoins(const ObjectPath &P) const {
    const auto *Record = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Record || llvm::any_of(Record->methods(), [](const CXXMethodDecl *M) {
          return !M->isImplicit() && !M->isDefaulted() && !M->isDeleted() &&
                 !M->isPureVirtual() && !M->hasBody();
        }))
      return false;
    llvm::SmallVector<MemberWrite, 4> Writes =
        memberWrites(Flow, P.Fields.back());
    return !Writes.empty() && llvm::all_of(Writes, [&](const MemberWrite &W) {
      const auto *M = dyn_cast<CXXMethodDecl>(W.Fn);
      std::optional<ObjectPath> On = objectPathOf(W.Target);
      if (!M || M->getParent() != Record || !On || !(*On == P))
        return false;
      const FlowGraph *G = Flow.graph(W.Fn);
      if (!G)
        return false;
      WriteThenJoin A(Flow, Field, W.At);
      // A noexcept function terminates on a throw anyway.
      const auto *Proto = W.Fn->getType()->getAs<FunctionProtoType>();
      if (!Proto || !Proto->isNothrow())
        A.modelExceptions(Flow.throws());
      ForwardSolver<WriteThenJoin> Solver(*G, A);
      if (!Solver.solve())
        return false;
      for (const std::optional<WriteState> *Exit :
           {&Solver.normalExit(), &Solver.exceptionalExit()})
        if (*Exit && (*Exit)->Pending)
          return false;
      return true;
    });
  }

  /// True if \p BO compares a scalar member of `this` with the value every
  /// constructor gives it and no write can store again (directly or through
  /// a setter), and every function starting the thread writes the member
  /// before the start, unconditionally: the member holds that value exactly
  /// while the thread was never started.
  bool comparesWithInitialValue(const BinaryOperator *BO) const {
    const ASTContext &Ctx = Flow.astContext();
    for (auto [Member, Other] : {std::pair(BO->getLHS(), BO->getRHS()),
                                 std::pair(BO->getRHS(), BO->getLHS())}) {
      const FieldDecl *F = thisField(Member);
      std::optional<llvm::APSInt> Initial = constantValue(Other, Ctx);
      if (!F || !Initial || !F->getType()->isIntegralOrEnumerationType() ||
          !constructorsInitialise(F, *Initial, Ctx) ||
          !neverStores(Flow, F, *Initial))
        continue;
      return startersWriteFirst(F);
    }
    return false;
  }

  /// True if each function starting the thread writes \p F (or calls a
  /// setter of it on `this`) unconditionally before its first start.
  bool startersWriteFirst(const FieldDecl *F) const {
    if (Starts.Starters.empty())
      return false;
    const SourceManager &SM = Flow.astContext().getSourceManager();
    llvm::SmallVector<MemberWrite, 4> Writes = memberWrites(Flow, F);
    for (unsigned I = 0, N = Starts.Starters.size(); I != N; ++I) {
      const FunctionDecl *Starter = Starts.Starters[I];
      const Stmt *Body = Starter->getBody();
      bool Before = false;
      auto Counts = [&](const Stmt *At) {
        return SM.isBeforeInTranslationUnit(At->getEndLoc(),
                                            Starts.StarterLocs[I]) &&
               unconditional(At, Body);
      };
      walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
        for (const MemberWrite &W : Writes) {
          bool Direct =
              W.At == S && W.Fn == Starter &&
              isa<CXXThisExpr>(W.Target->getBase()->IgnoreParenImpCasts());
          const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
          const FunctionDecl *Setter = setterOf(W);
          bool ThroughSetter =
              MC && Setter && MC->getMethodDecl() &&
              MC->getMethodDecl()->getCanonicalDecl() ==
                  Setter->getCanonicalDecl() &&
              isa<CXXThisExpr>(
                  MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
          if ((Direct || ThroughSetter) && Counts(S))
            Before = true;
        }
        return !Before;
      });
      if (!Before)
        return false;
    }
    return true;
  }

  FlowContext &Flow;
  const FieldDecl *Field;
  const FieldStarts &Starts;
  llvm::DenseSet<const FieldDecl *> StarterWritten, WorkerWritten;
  llvm::SmallVector<const FunctionDecl *, 4> Seen;
};

} // namespace

bool ownsThreadThroughPointer(QualType T, const ThreadTypes &Threads) {
  QualType P = ownedPointee(T);
  return !P.isNull() && Threads.isTerminatingThread(P);
}

bool makesStartedThread(const Expr *E, const ThreadTypes &Threads) {
  E = E ? skipImplicit(E) : nullptr;
  if (!E)
    return false;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    const CXXConstructExpr *CE = New->getConstructExpr();
    return CE && Threads.startedCallable(CE);
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() >= 1 &&
           ownsThreadThroughPointer(CE->getType(), Threads) &&
           makesStartedThread(CE->getArg(0), Threads);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return isStdFunction(Call->getDirectCallee(), {"make_unique"}) &&
           Call->getNumArgs() >= 1 &&
           ownsThreadThroughPointer(Call->getType(), Threads);
  return false;
}

std::optional<SourceLocation> unsafeJoinGuard(FlowContext &Flow,
                                              const CXXRecordDecl *Record,
                                              const FieldDecl *Field) {
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  if (!Dtor)
    return std::nullopt;
  bool Owned = ownsThreadThroughPointer(Field->getType(), Flow.threads());
  FieldStarts Starts = startsOf(Flow, Record, Field, Owned);
  return GuardSearch(Flow, Field, Starts).find(Dtor, 0);
}

bool startersReleaseField(FlowContext &Flow, const CXXRecordDecl *Record,
                          const FieldDecl *Field) {
  bool Owned = ownsThreadThroughPointer(Field->getType(), Flow.threads());
  FieldStarts Starts = startsOf(Flow, Record, Field, Owned);
  return !Starts.Starters.empty() &&
         llvm::all_of(Starts.Starters, [&](const FunctionDecl *Fn) {
           const FunctionSummary *S = Flow.summaries().get(Fn, ThreadFamily);
           return S && S->has(fieldPath(Field), JoinsThread);
         });
}

namespace {

/// Whether a function may hold, in one field, a thread it started and has
/// not joined or detached since (normal paths only).
class PendingStart : public ForwardAnalysis<PendingStart, bool> {
public:
  PendingStart(FlowContext &Flow, const FieldDecl *Field)
      : Flow(Flow), Field(Field) {}

  bool initialState() { return false; }
  void join(bool &Into, bool From) { Into |= From; }
  void transfer(const CFGElement &E, bool &Pending) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() &&
          thisField(MC->getImplicitObjectArgument()) == Field &&
          isContainerFillName(M->getName(), MC->getNumArgs())) {
        Pending = Started = true;
        return;
      }
    }
    Events.clear();
    effectsOf(Flow, St, ThreadFamily, Events);
    for (const EffectEvent &Ev : Events) {
      if (!isFieldPath(Ev.Path, Field))
        continue;
      // One element stands for the container only inside a loop.
      bool InLoop = !Ev.Path.Element || Ev.FromSummary;
      for (const Stmt *P = graph().parent(St); P && !InLoop;
           P = graph().parent(P))
        InLoop = isLoopStmt(P);
      if (!InLoop)
        continue;
      if (Ev.Effect & (JoinsThread | DetachesThread))
        Pending = false;
      if (Ev.Effect & StartsThread)
        Pending = Started = true;
    }
  }
  void refineEdge(const CFGBlock &B, unsigned Succ, bool &Pending) {
    if (std::optional<ObjectPath> P =
            containerReleasedOnEdge(Flow, graph(), B, Succ))
      if (isFieldPath(*P, Field))
        Pending = false;
  }

  /// True once the function was seen to start a thread in the field.
  bool Started = false;

private:
  FlowContext &Flow;
  const FieldDecl *Field;
  llvm::SmallVector<EffectEvent, 4> Events;
};

} // namespace

bool startersJoinBeforeReturning(FlowContext &Flow, const CXXRecordDecl *Record,
                                 const FieldDecl *Field) {
  bool Owned = ownsThreadThroughPointer(Field->getType(), Flow.threads());
  if (Owned || startsOf(Flow, Record, Field, Owned).InConstructor)
    return false;
  bool AnyStarter = false;
  for (const Decl *D : Record->decls()) {
    const auto *M = dyn_cast<CXXMethodDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
    const FunctionDecl *Def = nullptr;
    if (!M || isa<CXXDestructorDecl>(M) || !M->hasBody(Def))
      continue;
    const FlowGraph *G = Flow.graph(Def);
    if (!G)
      return false;
    PendingStart A(Flow, Field);
    ForwardSolver<PendingStart> Solver(*G, A);
    if (!Solver.solve())
      return false;
    if (!A.Started)
      continue;
    AnyStarter = true;
    if (Solver.normalExit() && *Solver.normalExit())
      return false;
  }
  return AnyStarter;
}

bool lifecycleHookReleasesField(FlowContext &Flow, const CXXRecordDecl *Record,
                                const FieldDecl *Field) {
  return llvm::any_of(Record->methods(), [&](const CXXMethodDecl *M) {
    // A hook the base calls itself has a body there (a do-nothing default);
    // a pure virtual function is an interface the owner calls, and may not.
    if (isa<CXXDestructorDecl>(M) ||
        llvm::none_of(M->overridden_methods(), [](const CXXMethodDecl *O) {
          return !O->isPureVirtual();
        }))
      return false;
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def))
      return false;
    const FunctionSummary *S = Flow.summaries().get(Def, ThreadFamily);
    return S && S->has(fieldPath(Field), JoinsThread | DetachesThread);
  });
}

/// True if \p M, or a function it overrides at any depth, is a member of
/// \p Base or of one of its bases: a function \p Base's code can call.
static bool overridesFunctionOf(const CXXMethodDecl *M,
                                const CXXRecordDecl *Base) {
  for (const CXXMethodDecl *O : M->overridden_methods()) {
    const CXXRecordDecl *Owner = O->getParent()->getCanonicalDecl();
    if (Owner == Base->getCanonicalDecl() || Base->isDerivedFrom(Owner) ||
        overridesFunctionOf(O, Base))
      return true;
  }
  return false;
}

bool opaqueBaseCallMayRunHook(FlowContext &Flow, const CXXRecordDecl *Record,
                              const FieldDecl *Field) {
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  if (!Dtor)
    return false;
  // The bases whose functions, defined elsewhere, the destructor calls on
  // `this`, itself or through the class's own member functions.
  llvm::SmallVector<const CXXRecordDecl *, 2> Bases;
  llvm::SmallVector<const FunctionDecl *, 4> Work{Dtor}, Seen;
  while (!Work.empty() && Seen.size() <= MaxSummaryDepth) {
    const FunctionDecl *Fn = Work.pop_back_val(), *Def = nullptr;
    if (!Fn->hasBody(Def) || llvm::is_contained(Seen, Def))
      continue;
    Seen.push_back(Def);
    walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      if (!M || !MC->getImplicitObjectArgument() ||
          !isa<CXXThisExpr>(
              MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
        return true;
      const CXXRecordDecl *Owner = M->getParent();
      if (M->hasBody()) {
        if (Owner->getCanonicalDecl() == Record->getCanonicalDecl())
          Work.push_back(M);
      } else if (!M->isPureVirtual() && Record->isDerivedFrom(Owner) &&
                 !llvm::is_contained(Bases, Owner)) {
        Bases.push_back(Owner);
      }
      return true;
    });
  }
  return llvm::any_of(Bases, [&](const CXXRecordDecl *Base) {
    return llvm::any_of(Record->methods(), [&](const CXXMethodDecl *M) {
      const FunctionDecl *Def = nullptr;
      if (isa<CXXDestructorDecl>(M) || !M->hasBody(Def) ||
          !overridesFunctionOf(M, Base))
        return false;
      const FunctionSummary *S = Flow.summaries().get(Def, ThreadFamily);
      return S && S->has(fieldPath(Field), JoinsThread | DetachesThread);
    });
  });
}

namespace {

enum OwnedBit : uint8_t { Empty = 1, Joinable = 2, Done = 4 };

class OwnedFlow
    : public ForwardAnalysis<OwnedFlow, llvm::SmallVector<uint8_t, 2>> {
public:
  OwnedFlow(FlowContext &Flow, llvm::ArrayRef<const FieldDecl *> Fields,
            llvm::ArrayRef<FieldStarts> Starts, bool Destructor,
            llvm::SmallVectorImpl<OwnedThreadFinding> &Out)
      : Flow(Flow), Fields(Fields), Starts(Starts), Destructor(Destructor),
        Out(Out) {}

  State initialState() {
    State S;
    for (const FieldStarts &FS : Starts)
      S.push_back((Destructor ? !FS.Starters.empty() : FS.InConstructor)
                      ? Joinable
                      : Done);
    return S;
  }
  void join(State &Into, const State &From) {
    for (unsigned I = 0, N = Into.size(); I != N; ++I)
      Into[I] |= From[I];
  }

  void transfer(const CFGElement &E, State &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    if (const auto *Del = dyn_cast<CXXDeleteExpr>(St)) {
      if (int I = index(Del->getArgument()); I >= 0) {
        destroy(OwnedThreadFinding::Deleted, I, Del->getBeginLoc(), S);
        S[I] = Empty;
      }
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      int I = index(MC->getImplicitObjectArgument());
      if (I >= 0 && M && M->getIdentifier() &&
          (M->getName() == "reset" || M->getName() == "release")) {
        if (M->getName() == "reset")
          destroy(OwnedThreadFinding::Reset, I, MC->getExprLoc(), S);
        set(I, MC->getNumArgs() ? MC->getArg(0) : nullptr, S);
        return;
      }
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      if (int I = index(OC->getArg(0)); I >= 0) {
        destroy(OwnedThreadFinding::Replaced, I, OC->getBeginLoc(), S);
        set(I, OC->getArg(1), S);
        return;
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(St);
        BO && BO->getOpcode() == BO_Assign)
      if (int I = index(BO->getLHS()); I >= 0) {
        set(I, BO->getRHS(), S); // a raw pointer: the old one leaks
        return;
      }
    Events.clear();
    effectsOf(Flow, St, ThreadFamily, Events);
    for (const EffectEvent &Ev : Events)
      for (unsigned I = 0, N = Fields.size(); I != N; ++I) {
        if (!isFieldPath(Ev.Path, Fields[I]))
          continue;
        if (Ev.Effect & (JoinsThread | DetachesThread))
          S[I] = Done;
        else if (Ev.Effect & MayJoinThread)
          S[I] |= Done;
      }
  }

  void refineEdge(const CFGBlock &B, unsigned Succ, State &S) {
    bool Negated = false;
    const Expr *Cond = stripNegations(branchCondition(B), Negated);
    if (!Cond)
      return;
    bool TrueEdge = (Succ == 0) != Negated;
    Cond = skipImplicit(Cond);
    // `if (p)`, `if (p != nullptr)`: the null branch owns nothing.
    const Expr *Tested = Cond;
    bool NullOnTrue = false;
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
        BO && BO->isEqualityOp()) {
      const Expr *Other = skipImplicit(BO->getRHS());
      if (!Other->isNullPointerConstant(Flow.astContext(),
                                        Expr::NPC_ValueDependentIsNotNull))
        return;
      Tested = BO->getLHS();
      NullOnTrue = BO->getOpcode() == BO_EQ;
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      if (classifyThreadMemberCall(MC) == ThreadOp::Joinable) {
        std::optional<ObjectPath> P =
            objectPathOf(MC->getImplicitObjectArgument());
        for (unsigned I = 0, N = Fields.size(); I != N; ++I)
          if (P && isFieldPath(*P, Fields[I]) && !TrueEdge && (S[I] & Joinable))
            S[I] = (S[I] & ~Joinable) | Done;
        return;
      }
      if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
        Tested = MC->getImplicitObjectArgument();
    }
    int I = index(Tested);
    if (I >= 0 && TrueEdge == NullOnTrue)
      S[I] = Empty;
  }

private:
  int index(const Expr *E) const {
    const FieldDecl *F = thisField(E);
    const auto *It = llvm::find(Fields, F);
    return F && It != Fields.end() ? It - Fields.begin() : -1;
  }
  void set(int I, const Expr *Value, State &S) {
    if (makesStartedThread(Value, Flow.threads()))
      S[I] = Joinable;
    else if (!Value ||
             skipImplicit(Value)->isNullPointerConstant(
                 Flow.astContext(), Expr::NPC_ValueDependentIsNotNull))
      S[I] = Empty;
    else
      S[I] = Done; // from elsewhere: unknown
  }
  void destroy(OwnedThreadFinding::Kind K, unsigned I, SourceLocation Loc,
               const State &S) {
    if (!reporting() || !(S[I] & Joinable) ||
        !Reported.insert(Loc.getRawEncoding()).second)
      return;
    OwnedThreadFinding F;
    F.K = K;
    F.Field = Fields[I];
    F.Loc = Loc;
    F.StartLoc = Starts[I].Loc;
    Out.push_back(F);
  }

  FlowContext &Flow;
  llvm::ArrayRef<const FieldDecl *> Fields;
  llvm::ArrayRef<FieldStarts> Starts;
  bool Destructor;
  llvm::SmallVectorImpl<OwnedThreadFinding> &Out;
  llvm::DenseSet<unsigned> Reported;
  llvm::SmallVector<EffectEvent, 4> Events;
};

} // namespace

void analyzeOwnedThreads(FlowContext &Flow, const FunctionDecl *Fn,
                         llvm::SmallVectorImpl<OwnedThreadFinding> &Out) {
  const auto *M = dyn_cast<CXXMethodDecl>(Fn);
  if (!M || isa<CXXConstructorDecl>(M) || M->getParent()->isLambda())
    return;
  llvm::SmallVector<const FieldDecl *, 2> Fields;
  llvm::SmallVector<FieldStarts, 2> Starts;
  for (const FieldDecl *F : M->getParent()->fields())
    if (ownsThreadThroughPointer(F->getType(), Flow.threads())) {
      FieldStarts FS = startsOf(Flow, M->getParent(), F, /*Owned=*/true);
      if (FS.Starters.empty())
        continue;
      Fields.push_back(F);
      Starts.push_back(std::move(FS));
    }
  const FlowGraph *G = Fields.empty() ? nullptr : Flow.graph(Fn);
  if (!G)
    return;
  OwnedFlow A(Flow, Fields, Starts, isa<CXXDestructorDecl>(M), Out);
  runForward(*G, A);
}

namespace {

class OwnerJoins : public RecursiveASTVisitor<OwnerJoins> {
public:
  OwnerJoins(FlowContext &Flow, llvm::DenseSet<const FieldDecl *> &Out)
      : Flow(Flow), Threads(Flow.threads()), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const Expr *Object = MC->getImplicitObjectArgument();
    if (!Object)
      return true;
    if (!isJoinOrDetach(MC, Threads)) {
      joinedByMember(MC, Object);
      return true;
    }
    std::optional<ObjectPath> P = objectPathOf(Object);
    // `impl_->worker.join()`, `impl.worker.join()`: through another object.
    if (P && !P->Fields.empty() &&
        (P->Kind != RootKind::This || P->Fields.size() > 1))
      Out.insert(P->Fields.back());
    return true;
  }

private:
  /// `w_.Join()`, `engine.finish()`: a member function of another object
  /// that joins or detaches one of that object's thread members on every
  /// path (by its summary, whatever it is called).
  void joinedByMember(const CXXMemberCallExpr *MC, const Expr *Object) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || isa<CXXThisExpr>(Object->IgnoreParenImpCasts()) ||
        Flow.astContext().getSourceManager().isInSystemHeader(
            M->getLocation()) ||
        llvm::none_of(M->getParent()->fields(), [&](const FieldDecl *F) {
          return Threads.isTerminatingThread(F->getType());
        }))
      return;
    const FunctionSummary *S = Flow.summaries().get(M, ThreadFamily);
    if (!S)
      return;
    for (const SlotEffect &E : S->Slots)
      if ((E.Effects & (JoinsThread | DetachesThread)) &&
          !(E.Effects & MayJoinThread) && E.Slot.Kind == RootKind::This &&
          E.Slot.Fields.size() == 1 && !E.Slot.Element)
        Out.insert(E.Slot.Fields.front());
  }

  FlowContext &Flow;
  const ThreadTypes &Threads;
  llvm::DenseSet<const FieldDecl *> &Out;
};

} // namespace

llvm::DenseSet<const FieldDecl *>
threadFieldsJoinedByOwners(FlowContext &Flow) {
  llvm::DenseSet<const FieldDecl *> Out;
  OwnerJoins V(Flow, Out);
  V.TraverseDecl(Flow.astContext().getTranslationUnitDecl());
  return Out;
}

ThreadMemberEnds threadMemberEnds(FlowContext &Flow, const FunctionDecl *Fn) {
  ThreadMemberEnds Out;
  const FunctionSummary *S =
      Fn ? Flow.summaries().get(Fn, ThreadFamily | SyncFamily) : nullptr;
  if (!S || !isa<CXXMethodDecl>(Fn))
    return Out;
  // The member itself, not an element of it nor what it points to.
  auto Member = [](const ObjectPath &P) -> const FieldDecl * {
    return P.Kind == RootKind::This && P.Fields.size() == 1 && !P.Element
               ? P.Fields.front()
               : nullptr;
  };
  auto HandOff = [&](const FieldDecl *F) {
    if (F && !llvm::is_contained(Out.HandedOff, F))
      Out.HandedOff.push_back(F);
  };
  // The thread member \p E names, if any.
  auto ThreadMember = [&](const Expr *E) -> const FieldDecl * {
    std::optional<ObjectPath> P = E ? objectPathOf(E) : std::nullopt;
    return P && Flow.threads().isAnyThread(E->getType()) ? Member(*P) : nullptr;
  };
  // A release without a wait is a detach or a move (Effects.h): the member
  // no longer holds the thread. So is a move of it bound to any call's
  // parameter (`v.push_back(std::move(t_))`) and a swap.
  llvm::SmallVector<EffectEvent, 4> Events;
  walkOutsideLambdas(Fn, LambdaBodies::Skip, [&](const Stmt *St) {
    Events.clear();
    effectsOf(Flow, St, ThreadFamily | SyncFamily, Events);
    for (const EffectEvent &Ev : Events)
      if ((Ev.Effect & DetachesThread) ||
          ((Ev.Effect & (JoinsThread | MayJoinThread)) && !(Ev.Effect & Waits)))
        HandOff(Member(Ev.Path));
    if (const auto *E = dyn_cast<Expr>(St); E && isStdMove(E))
      HandOff(ThreadMember(movedOperand(E)));
    if (const auto *Call = dyn_cast<CallExpr>(St)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee && Callee->getIdentifier() && Callee->getName() == "swap") {
        for (const Expr *Arg : Call->arguments())
          HandOff(ThreadMember(Arg));
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
          HandOff(ThreadMember(MC->getImplicitObjectArgument()));
      }
    }
    return true;
  });
  for (const SlotEffect &E : S->Slots)
    if (const FieldDecl *F = Member(E.Slot))
      if ((E.Effects & JoinsThread) && (E.Effects & Waits) &&
          !(E.Effects & (DetachesThread | MayJoinThread)) &&
          !llvm::is_contained(Out.HandedOff, F))
        Out.Joined.push_back(F);
  return Out;
}

} // namespace pitfall
