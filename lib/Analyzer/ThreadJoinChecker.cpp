//===--- ThreadJoinChecker.cpp - pitfall.ThreadJoin -----------------------===//
//
// The path-sensitive form of pitfall-unjoined-thread. Each thread object
// (std::thread, boost::thread, the ThreadTypes option) is tracked by its
// memory region from the moment it starts (constructed from a callable, or
// move-constructed / move-assigned from a started thread) until it is joined,
// detached or moved from. Destroying it, or move-assigning to it, while it is
// still joinable calls std::terminate.
//
// std::thread's members are opaque to the checker: the state is the
// checker's own, and joinable() is answered from it. Threads created inside
// the standard library (the elements of a std::vector<std::thread>) are not
// tracked. A thread passed by pointer or reference to a function the engine
// does not inline is handled by the function's summary from the flow layer
// when its body is in the translation unit (joined: no longer joinable;
// untouched: still tracked); otherwise it escapes and is no longer tracked.
//
// std::swap, std::exchange and std::ref of thread objects are modelled, so
// the state is the same whether the engine inlines the standard library or
// not (pitfall-scan runs with c++-stdlib-inlining=false): a std::swap or
// std::exchange the engine did not inline moves the joinable state as the
// thread's own swap and move assignment would; the thread std::exchange
// moves out is tracked in its new place either way; a std::reference_wrapper
// made by std::ref remembers its thread, and get() on it designates that
// thread.
//
//===----------------------------------------------------------------------===//
#include "pitfall/Compat.h"
#include "pitfall/Core/TestMacros.h"
#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/TaskLoops.h"

#include "AnalyzerUtil.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace clang::ento;

/// The thread objects that are joinable on the current path.
REGISTER_SET_WITH_PROGRAMSTATE(JoinableThreads, const MemRegion *)
/// A std::reference_wrapper made by std::ref / std::cref of a thread: the
/// thread it refers to.
REGISTER_MAP_WITH_PROGRAMSTATE(ThreadRefs, const MemRegion *, const MemRegion *)
/// A std::exchange of a thread in progress (its call expression): whether
/// the thread it moves out was joinable when the call began.
REGISTER_MAP_WITH_PROGRAMSTATE(PendingExchanges, const Expr *, bool)
/// A thread handed by reference or pointer to an RAII joiner (a class whose
/// destructor joins the threads it holds, joinsHeldThreads) when the joiner
/// was made, by its constructor or by a factory function returning it: the
/// joiner's object. Its destruction joins the thread, whenever the thread
/// was started.
REGISTER_MAP_WITH_PROGRAMSTATE(HeldByJoiner, const MemRegion *,
                               const MemRegion *)
/// The path went through a failed test assertion (a `return` in the
/// expansion of an AssertionMacros macro): the test has failed.
REGISTER_TRAIT_WITH_PROGRAMSTATE(AfterFailedAssertion, bool)

namespace pitfall {
namespace {

constexpr llvm::StringLiteral CheckerName = "pitfall.ThreadJoin";

/// The standard-library functions of thread objects that pitfall.ThreadJoin
/// models.
enum class StdThreadCall { None, Swap, Exchange, Ref, RefGet };

class ThreadJoinChecker
    : public Checker<check::PreCall, check::PostCall, eval::Call,
                     check::PreStmt<ReturnStmt>, check::DeadSymbols,
                     check::LiveSymbols, check::RegionChanges> {
public:
  ThreadJoinChecker(llvm::StringRef ThreadTypesOption,
                    bool ReportProcessLifetimeThreads,
                    llvm::StringRef ReportThrowPathsOption,
                    llvm::StringRef AssertionMacrosOption)
      : Threads(ThreadTypesOption),
        ReportProcessLifetimeThreads(ReportProcessLifetimeThreads),
        ReportAssertionPaths(
            ReportThrowPathsOption.trim().equals_insensitive("all")),
        Assertions(AssertionMacrosOption) {
    Opts.ThreadTypes = ThreadTypesOption.str();
  }

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPreStmt(const ReturnStmt *S, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  void printState(raw_ostream &Out, ProgramStateRef State, const char *NL,
                  const char *Sep) const override {
    printRegions(Out, State->get<JoinableThreads>(), "Joinable threads:", NL,
                 Sep);
    printRegions(Out, State->get<ThreadRefs>(), "Threads behind std::ref:", NL,
                 Sep);
  }
  ProgramStateRef
  checkRegionChanges(ProgramStateRef State,
                     const InvalidatedSymbols *Invalidated,
                     ArrayRef<const MemRegion *> ExplicitRegions,
                     ArrayRef<const MemRegion *> Regions,
                     const LocationContext *LCtx, const CallEvent *Call) const;

private:
  /// The thread class \p Call is a member of, or null.
  const CXXMethodDecl *threadMethod(const CallEvent &Call) const;
  /// Which modelled standard-library function of thread objects \p Call is.
  StdThreadCall stdThreadCall(const CallEvent &Call) const;
  /// std::swap, std::exchange, std::ref or reference_wrapper::get() after
  /// the call (inlined or not).
  void postStdThreadCall(StdThreadCall Kind, const CallEvent &Call,
                         CheckerContext &C) const;
  void report(const BugType &BT, const MemRegion *Thread,
              CheckerContext &C) const;
  /// Exchanges what is joinable between the thread objects \p A and \p B.
  void swapThreads(const MemRegion *A, const MemRegion *B,
                   CheckerContext &C) const;
  void handleMove(const MemRegion *From, const MemRegion *To, bool TrackTo,
                  ProgramStateRef State, CheckerContext &C) const;
  /// A joiner made by \p Call (a constructor, or a function returning one
  /// by value): remembers the threads it was given.
  void postJoinerMade(const CallEvent &Call, CheckerContext &C) const;
  /// A joiner destroyed: the threads it holds are joined.
  void preJoinerDestroyed(const CallEvent &Call, CheckerContext &C) const;
  /// What the summary of the (not inlined) \p Call does to the thread
  /// region \p Thread it was given: None if the call leaves it joinable,
  /// JoinsThread if it is joined or detached on every path, and
  /// MayJoinThread when unknown.
  uint32_t summaryEffect(const CallEvent &Call, const MemRegion *Thread) const;
  /// True if \p Thread is a local thread that runs for the process lifetime
  /// (TaskLoops::runsForProcessLifetime) and the option does not ask for
  /// them: it is not tracked.
  bool hiddenProcessLifetime(const MemRegion *Thread) const;

  const ThreadTypes Threads;
  const bool ReportProcessLifetimeThreads;
  /// ReportThrowPaths=all: also the paths of failed test assertions (the
  /// tidy check's policy; the engine follows no exception, so what is left
  /// of the option here is GoogleTest's ASSERT_*, which returns).
  const bool ReportAssertionPaths;
  const MacroPatterns Assertions;
  FlowOptions Opts;
  /// Endless loops of tasks, with the default cancellation checks; for the
  /// translation unit of LoopsFlow.
  const CancellationRecognizer Cancel;
  mutable std::optional<TaskLoops> Loops;
  mutable const FlowContext *LoopsFlow = nullptr;
  const BugType DestroyedJoinable{this, "Thread destroyed while joinable",
                                  "Pitfall"};
  const BugType OverwrittenJoinable{this, "Joinable thread overwritten",
                                    "Pitfall"};
};

bool inSystemHeader(const CallEvent &Call, CheckerContext &C) {
  return C.getSourceManager().isInSystemHeader(
      Call.getSourceRange().getBegin());
}

const CXXMethodDecl *
ThreadJoinChecker::threadMethod(const CallEvent &Call) const {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Call.getDecl());
  if (!M || !Threads.terminating().matches(M->getParent()))
    return nullptr;
  // Calls std::thread makes on itself (the move constructor's swap, the
  // destructor's joinable()) are its implementation, not uses.
  if (const auto *Caller =
          dyn_cast_or_null<CXXMethodDecl>(Call.getLocationContext()->getDecl());
      Caller && Threads.terminating().matches(Caller->getParent()))
    return nullptr;
  return M;
}

/// A note tag for threads moved between objects, each (from, to): a report
/// about the thread now in `to` follows it back to `from` (its start).
const NoteTag *movedThreads(
    llvm::ArrayRef<std::pair<const MemRegion *, const MemRegion *>> Moves,
    CheckerContext &C) {
  if (Moves.empty())
    return nullptr;
  return C.getNoteTag([Moves = llvm::SmallVector<
                           std::pair<const MemRegion *, const MemRegion *>, 2>(
                           Moves)](PathSensitiveBugReport &BR) -> std::string {
    // Decided before marking: a thread moved on again is not followed
    // to the object it replaced.
    llvm::SmallVector<const MemRegion *, 2> From;
    for (const auto &[F, T] : Moves)
      if (BR.isInteresting(T))
        From.push_back(F);
    for (const MemRegion *F : From)
      BR.markInteresting(F);
    return "";
  });
}

/// Whether \p T, references and cv-qualifiers stripped, is a terminating
/// thread type.
bool isThreadType(QualType T, const ThreadTypes &Threads) {
  return !T.isNull() && Threads.isTerminatingThread(
                            T.getNonReferenceType().getUnqualifiedType());
}

/// The thread a std::reference_wrapper type refers to, or a null type.
QualType wrappedType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      Spec->getName() != "reference_wrapper" ||
      Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

StdThreadCall ThreadJoinChecker::stdThreadCall(const CallEvent &Call) const {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  if (!FD || !FD->getIdentifier())
    return StdThreadCall::None;
  llvm::StringRef Name = FD->getName();
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD)) {
    // reference_wrapper<thread>::get() (operator T& has no identifier).
    return Name == "get" && M->getNumParams() == 0 &&
                   isThreadType(wrappedType(compat::recordType(M->getParent())),
                                Threads)
               ? StdThreadCall::RefGet
               : StdThreadCall::None;
  }
  if (!FD->isInStdNamespace())
    return StdThreadCall::None;
  if ((Name == "swap" || Name == "exchange") && Call.getNumArgs() == 2 &&
      isThreadType(Call.getArgExpr(0)->getType(), Threads) &&
      isThreadType(Call.getArgExpr(1)->getType(), Threads))
    return Name == "swap" ? StdThreadCall::Swap : StdThreadCall::Exchange;
  if ((Name == "ref" || Name == "cref") && Call.getNumArgs() == 1 &&
      isThreadType(Call.getArgExpr(0)->getType(), Threads))
    return StdThreadCall::Ref;
  return StdThreadCall::None;
}

/// The object \p V designates or, for an object passed or returned by value,
/// the region it was copied from or constructed in; or null.
const MemRegion *objectOf(SVal V) {
  if (auto LCV = V.getAs<nonloc::LazyCompoundVal>())
    return LCV->getRegion()->StripCasts();
  return objectRegion(V);
}

/// The object \p Call returned by value: the region the engine constructed
/// it in (a variable, a temporary), or null.
const MemRegion *returnedObject(const CallEvent &Call) {
  // A conservatively evaluated call's object is a symbol, not a compound
  // value naming its region: the construction context names it.
  if (std::optional<SVal> V = Call.getReturnValueUnderConstruction())
    if (const MemRegion *R = objectRegion(*V))
      return R;
  return objectOf(Call.getReturnValue());
}

void ThreadJoinChecker::postStdThreadCall(StdThreadCall Kind,
                                          const CallEvent &Call,
                                          CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  switch (Kind) {
  case StdThreadCall::None:
  case StdThreadCall::RefGet: // evalCall
    return;
  case StdThreadCall::Ref: {
    const MemRegion *Thread = objectRegion(Call.getArgSVal(0));
    const MemRegion *Wrapper = returnedObject(Call);
    if (Thread && Wrapper)
      C.addTransition(State->set<ThreadRefs>(Wrapper, Thread));
    return;
  }
  case StdThreadCall::Swap:
    // Inlined, the threads' own swap() did it.
    if (!C.wasInlined)
      swapThreads(objectRegion(Call.getArgSVal(0)),
                  objectRegion(Call.getArgSVal(1)), C);
    return;
  case StdThreadCall::Exchange: {
    const Expr *E = Call.getOriginExpr();
    const bool *OldJoinable = E ? State->get<PendingExchanges>(E) : nullptr;
    if (!OldJoinable)
      return;
    bool WasJoinable = *OldJoinable;
    State = State->remove<PendingExchanges>(E);
    // Inlined, the thread's own move assignment moved the new value in.
    const MemRegion *Obj = objectRegion(Call.getArgSVal(0));
    const MemRegion *New = objectRegion(Call.getArgSVal(1));
    llvm::SmallVector<std::pair<const MemRegion *, const MemRegion *>, 2> Moves;
    if (!C.wasInlined && Obj && New) {
      bool NewJoinable = State->contains<JoinableThreads>(New);
      State = State->remove<JoinableThreads>(New);
      State = NewJoinable ? State->add<JoinableThreads>(Obj)
                          : State->remove<JoinableThreads>(Obj);
      if (NewJoinable)
        Moves.push_back({New, Obj});
    }
    // The old thread is now the returned object, wherever the engine
    // constructed it.
    const MemRegion *Old = returnedObject(Call);
    if (WasJoinable && Old && Old != Obj) {
      State = State->add<JoinableThreads>(Old);
      Moves.push_back({Obj, Old});
    }
    C.addTransition(State, movedThreads(Moves, C));
    return;
  }
  }
}

bool ThreadJoinChecker::evalCall(const CallEvent &Call,
                                 CheckerContext &C) const {
  // get() on a std::reference_wrapper made by std::ref on this path is the
  // thread it was made from.
  if (stdThreadCall(Call) == StdThreadCall::RefGet) {
    const auto *IC = dyn_cast<CXXInstanceCall>(&Call);
    const Expr *E = dyn_cast_or_null<Expr>(Call.getOriginExpr());
    const MemRegion *Wrapper = IC ? objectRegion(IC->getCXXThisVal()) : nullptr;
    const MemRegion *const *Thread =
        Wrapper ? C.getState()->get<ThreadRefs>(Wrapper) : nullptr;
    if (!E || !Thread)
      return false;
    C.addTransition(C.getState()->BindExpr(E, C.getLocationContext(),
                                           loc::MemRegionVal(*Thread)));
    return true;
  }
  // joinable() on a tracked thread is true; the engine cannot see the id.
  const CXXMethodDecl *M = threadMethod(Call);
  const auto *IC = dyn_cast<CXXInstanceCall>(&Call);
  const Expr *E = dyn_cast_or_null<Expr>(Call.getOriginExpr());
  if (!M || !IC || !E || !M->getIdentifier() || M->getName() != "joinable")
    return false;
  const MemRegion *Thread = objectRegion(IC->getCXXThisVal());
  ProgramStateRef State = C.getState();
  if (!Thread || !State->contains<JoinableThreads>(Thread))
    return false;
  C.addTransition(
      State->BindExpr(E, C.getLocationContext(),
                      C.getSValBuilder().makeTruthVal(true, E->getType())));
  return true;
}

void ThreadJoinChecker::checkPreStmt(const ReturnStmt *S,
                                     CheckerContext &C) const {
  if (ReportAssertionPaths || C.getState()->get<AfterFailedAssertion>() ||
      !S->getBeginLoc().isMacroID() ||
      !Assertions.inExpansion(S->getBeginLoc(), C.getSourceManager()))
    return;
  C.addTransition(C.getState()->set<AfterFailedAssertion>(true));
}

void ThreadJoinChecker::report(const BugType &BT, const MemRegion *Thread,
                               CheckerContext &C) const {
  // A failed test assertion fails the test; what it leaves joinable is the
  // category ReportThrowPaths=all asks for.
  if (C.getState()->get<AfterFailedAssertion>())
    return;
  // std::terminate: nothing after this point matters.
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto R = std::make_unique<PathSensitiveBugReport>(BT, BT.getDescription(), N);
  R->markInteresting(Thread);
  emitWithSeverity(C.getBugReporter(), std::move(R),
                   pathSeverity(N, C.getSourceManager()));
}

void ThreadJoinChecker::postJoinerMade(const CallEvent &Call,
                                       CheckerContext &C) const {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  if (!FD || isa<CXXDestructorDecl>(FD))
    return;
  const MemRegion *Joiner = nullptr;
  if (const auto *Ctor = dyn_cast<CXXConstructorCall>(&Call)) {
    if (joinsHeldThreads(Ctor->getDecl()->getParent(), Threads))
      Joiner = objectRegion(Ctor->getCXXThisVal());
  } else if (joinsHeldThreads(FD->getReturnType()->getAsCXXRecordDecl(),
                              Threads)) {
    Joiner = returnedObject(Call);
  }
  if (!Joiner)
    return;
  ProgramStateRef State = C.getState();
  bool Changed = false;
  for (unsigned I = 0, N = Call.getNumArgs(); I != N && I < FD->getNumParams();
       ++I) {
    if (!refersToThreads(FD->getParamDecl(I)->getType(), Threads))
      continue;
    if (const MemRegion *Thread = objectRegion(Call.getArgSVal(I))) {
      State = State->set<HeldByJoiner>(Thread, Joiner);
      Changed = true;
    }
  }
  if (Changed)
    C.addTransition(State);
}

void ThreadJoinChecker::preJoinerDestroyed(const CallEvent &Call,
                                           CheckerContext &C) const {
  const auto *Dtor = dyn_cast<CXXDestructorCall>(&Call);
  const MemRegion *Joiner =
      Dtor ? objectRegion(Dtor->getCXXThisVal()) : nullptr;
  if (!Joiner)
    return;
  ProgramStateRef State = C.getState();
  bool Changed = false;
  for (const auto &[Thread, Holder] : State->get<HeldByJoiner>())
    if (Holder == Joiner) {
      State =
          State->remove<HeldByJoiner>(Thread)->remove<JoinableThreads>(Thread);
      Changed = true;
    }
  if (Changed)
    C.addTransition(State);
}

void ThreadJoinChecker::checkPreCall(const CallEvent &Call,
                                     CheckerContext &C) const {
  if (isa<CXXDestructorCall>(Call) &&
      !C.getState()->get<HeldByJoiner>().isEmpty())
    preJoinerDestroyed(Call, C);
  if (stdThreadCall(Call) == StdThreadCall::Exchange) {
    // What the thread moved out was; inlined, the engine moves it through
    // the library's temporaries.
    const Expr *E = Call.getOriginExpr();
    const MemRegion *Obj = objectRegion(Call.getArgSVal(0));
    if (E && Obj)
      C.addTransition(C.getState()->set<PendingExchanges>(
          E, C.getState()->contains<JoinableThreads>(Obj)));
    return;
  }
  const CXXMethodDecl *M = threadMethod(Call);
  if (!M)
    return;
  const MemRegion *Thread = nullptr;
  const BugType *BT = nullptr;
  if (const auto *Dtor = dyn_cast<CXXDestructorCall>(&Call)) {
    Thread = objectRegion(Dtor->getCXXThisVal());
    BT = &DestroyedJoinable;
  } else if (M->isMoveAssignmentOperator()) {
    if (const auto *IC = dyn_cast<CXXInstanceCall>(&Call))
      Thread = objectRegion(IC->getCXXThisVal());
    BT = &OverwrittenJoinable;
  }
  if (Thread && C.getState()->contains<JoinableThreads>(Thread))
    report(*BT, Thread, C);
}

void ThreadJoinChecker::swapThreads(const MemRegion *A, const MemRegion *B,
                                    CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  if (!A || !B)
    return;
  bool AJoinable = State->contains<JoinableThreads>(A);
  bool BJoinable = State->contains<JoinableThreads>(B);
  if (AJoinable == BJoinable)
    return;
  const MemRegion *From = AJoinable ? A : B, *To = AJoinable ? B : A;
  State = State->remove<JoinableThreads>(From);
  C.addTransition(State->add<JoinableThreads>(To),
                  movedThreads({{From, To}}, C));
}

void ThreadJoinChecker::handleMove(const MemRegion *From, const MemRegion *To,
                                   bool TrackTo, ProgramStateRef State,
                                   CheckerContext &C) const {
  bool WasJoinable = From && State->contains<JoinableThreads>(From);
  if (From)
    State = State->remove<JoinableThreads>(From);
  if (To)
    State = State->remove<JoinableThreads>(To);
  if (!WasJoinable || !TrackTo || !To || hiddenProcessLifetime(To)) {
    C.addTransition(State);
    return;
  }
  C.addTransition(State->add<JoinableThreads>(To),
                  movedThreads({{From, To}}, C));
}

void ThreadJoinChecker::checkPostCall(const CallEvent &Call,
                                      CheckerContext &C) const {
  if (StdThreadCall Kind = stdThreadCall(Call); Kind != StdThreadCall::None) {
    postStdThreadCall(Kind, Call, C);
    return;
  }
  const CXXMethodDecl *M = threadMethod(Call);
  if (!M) {
    postJoinerMade(Call, C);
    return;
  }
  ProgramStateRef State = C.getState();

  if (const auto *Ctor = dyn_cast<CXXConstructorCall>(&Call)) {
    const MemRegion *Thread = objectRegion(Ctor->getCXXThisVal());
    if (!Thread)
      return;
    const auto *CD = cast<CXXConstructorDecl>(M);
    if (CD->isMoveConstructor() && Call.getNumArgs() == 1) {
      handleMove(objectRegion(Call.getArgSVal(0)), Thread,
                 !inSystemHeader(Call, C), State, C);
      return;
    }
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Call.getOriginExpr());
    if (!CE || inSystemHeader(Call, C) || !Threads.startedCallable(CE))
      return;
    if (hiddenProcessLifetime(Thread))
      return;
    const NoteTag *Tag =
        C.getNoteTag([Thread](PathSensitiveBugReport &BR) -> std::string {
          return BR.isInteresting(Thread) ? "Thread started here" : "";
        });
    C.addTransition(State->add<JoinableThreads>(Thread), Tag);
    return;
  }
  if (isa<CXXDestructorCall>(Call))
    return;

  const auto *IC = dyn_cast<CXXInstanceCall>(&Call);
  const MemRegion *Thread = IC ? objectRegion(IC->getCXXThisVal()) : nullptr;
  if (!Thread)
    return;
  if (M->isMoveAssignmentOperator() && Call.getNumArgs() == 1) {
    handleMove(objectRegion(Call.getArgSVal(0)), Thread, true, State, C);
    return;
  }
  if (!M->getIdentifier())
    return;
  ThreadOp Op = llvm::StringSwitch<ThreadOp>(M->getName())
                    .Case("join", ThreadOp::Join)
                    .Case("detach", ThreadOp::Detach)
                    .Case("joinable", ThreadOp::Joinable)
                    .Case("swap", ThreadOp::Swap)
                    .Default(ThreadOp::Other);
  switch (Op) {
  case ThreadOp::Join:
  case ThreadOp::Detach:
    if (State->contains<JoinableThreads>(Thread))
      C.addTransition(State->remove<JoinableThreads>(Thread));
    return;
  case ThreadOp::Joinable: // evalCall
  case ThreadOp::Swap:
    if (Call.getNumArgs() == 1)
      swapThreads(Thread, objectRegion(Call.getArgSVal(0)), C);
    return;
  case ThreadOp::None:
  case ThreadOp::Other:
    return;
  }
}

void ThreadJoinChecker::checkDeadSymbols(SymbolReaper &SR,
                                         CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  bool Changed = false;
  for (const MemRegion *R : State->get<JoinableThreads>())
    if (!SR.isLiveRegion(R)) {
      State = State->remove<JoinableThreads>(R);
      Changed = true;
    }
  for (const auto &[Wrapper, Thread] : State->get<ThreadRefs>())
    if (!SR.isLiveRegion(Wrapper)) {
      State = State->remove<ThreadRefs>(Wrapper);
      Changed = true;
    }
  for (const auto &[Thread, Joiner] : State->get<HeldByJoiner>())
    if (!SR.isLiveRegion(Thread) || !SR.isLiveRegion(Joiner)) {
      State = State->remove<HeldByJoiner>(Thread);
      Changed = true;
    }
  if (Changed)
    C.addTransition(State);
}

void ThreadJoinChecker::checkLiveSymbols(ProgramStateRef State,
                                         SymbolReaper &SR) const {
  // A thread reachable through a live wrapper is live.
  for (const auto &[Wrapper, Thread] : State->get<ThreadRefs>())
    if (SR.isLiveRegion(Wrapper))
      SR.markLive(Thread);
}

uint32_t ThreadJoinChecker::summaryEffect(const CallEvent &Call,
                                          const MemRegion *Thread) const {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def->getBody() ||
      Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return MayJoinThread;
  FlowContext &Flow =
      FlowContext::get(const_cast<ASTContext &>(Def->getASTContext()), Opts);
  const FunctionSummary *S = Flow.summaries().get(Def, ThreadFamily);
  if (!S || !S->Complete)
    return MayJoinThread;
  uint32_t Effect = NoEffect;
  bool Passed = false;
  for (unsigned I = 0, N = Call.getNumArgs(); I != N && I < Def->getNumParams();
       ++I) {
    const MemRegion *Arg = objectRegion(Call.getArgSVal(I));
    if (!Arg || (Arg != Thread && !Thread->isSubRegionOf(Arg)))
      continue;
    Passed = true;
    ObjectPath P;
    P.Kind = RootKind::Param;
    P.Root = Def->getParamDecl(I);
    if (const SlotEffect *E = S->find(P))
      Effect |= E->Effects;
  }
  if (!Passed)
    return MayJoinThread; // reached some other way (a member, a global)
  if (Effect & (MayJoinThread | StartsThread))
    return MayJoinThread;
  if (Effect & (JoinsThread | DetachesThread))
    return JoinsThread;
  return NoEffect;
}

bool ThreadJoinChecker::hiddenProcessLifetime(const MemRegion *Thread) const {
  if (ReportProcessLifetimeThreads)
    return false;
  const auto *VR = dyn_cast<VarRegion>(Thread);
  const auto *V = VR ? dyn_cast<VarDecl>(VR->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage())
    return false;
  const auto *Fn =
      dyn_cast_or_null<FunctionDecl>(VR->getStackFrame()->getDecl());
  if (!Fn)
    return false;
  FlowContext &Flow =
      FlowContext::get(const_cast<ASTContext &>(Fn->getASTContext()), Opts);
  if (!Loops || LoopsFlow != &Flow) {
    Loops.emplace(Flow, Cancel);
    LoopsFlow = &Flow;
  }
  return Loops->runsForProcessLifetime(Fn, V);
}

ProgramStateRef ThreadJoinChecker::checkRegionChanges(
    ProgramStateRef State, const InvalidatedSymbols *,
    ArrayRef<const MemRegion *> ExplicitRegions,
    ArrayRef<const MemRegion *> Regions, const LocationContext *,
    const CallEvent *Call) const {
  // A std::swap, std::exchange or std::ref of threads is modelled in
  // checkPostCall.
  if (Call && stdThreadCall(*Call) != StdThreadCall::None)
    return State;
  // A std::reference_wrapper changed or handed to code the engine does not
  // see (by reference or by value: a thread's constructor included) takes
  // its thread along, as the engine would see it if it had inlined std::ref.
  auto Escapes = [&](const MemRegion *Wrapper) {
    for (const MemRegion *R : Regions)
      if (Wrapper == R || Wrapper->isSubRegionOf(R) ||
          R->isSubRegionOf(Wrapper))
        return true;
    for (unsigned I = 0, N = Call ? Call->getNumArgs() : 0; I != N; ++I)
      if (objectOf(Call->getArgSVal(I)) == Wrapper)
        return true;
    return false;
  };
  for (const auto &[Wrapper, Thread] : State->get<ThreadRefs>())
    if (Escapes(Wrapper))
      State =
          State->remove<ThreadRefs>(Wrapper)->remove<JoinableThreads>(Thread);
  // A call to the thread's own (opaque) members is modelled in
  // checkPostCall.
  if (Call && threadMethod(*Call))
    return State;
  JoinableThreadsTy Tracked = State->get<JoinableThreads>();
  if (Tracked.isEmpty())
    return State;
  // Only an opaque call or a write to the whole object makes the thread
  // unknown; writes to its fields (the engine inlining std::thread's
  // members) do not.
  for (const MemRegion *T : Tracked) {
    for (const MemRegion *R : Regions) {
      if (T == R || T->isSubRegionOf(R)) {
        // A call whose body is summarised: keep what it does not touch.
        if (Call && summaryEffect(*Call, T) == NoEffect)
          break;
        State = State->remove<JoinableThreads>(T);
        break;
      }
    }
  }
  (void)ExplicitRegions;
  return State;
}

} // namespace

bool threadJoinTracksSame(ProgramStateRef A, ProgramStateRef B) {
  return A->get<JoinableThreads>() == B->get<JoinableThreads>() &&
         A->get<ThreadRefs>() == B->get<ThreadRefs>() &&
         A->get<HeldByJoiner>() == B->get<HeldByJoiner>() &&
         A->get<PendingExchanges>() == B->get<PendingExchanges>();
}

void registerThreadJoinChecker(CheckerManager &Mgr) {
  const AnalyzerOptions &AO = Mgr.getAnalyzerOptions();
  Mgr.registerChecker<ThreadJoinChecker>(
      AO.getCheckerStringOption(CheckerName, "ThreadTypes"),
      AO.getCheckerBooleanOption(CheckerName, "ReportProcessLifetimeThreads"),
      AO.getCheckerStringOption(CheckerName, "ReportThrowPaths"),
      AO.getCheckerStringOption(CheckerName, "AssertionMacros"));
}

bool shouldRegisterThreadJoinChecker(const CheckerManager &) { return true; }

} // namespace pitfall
