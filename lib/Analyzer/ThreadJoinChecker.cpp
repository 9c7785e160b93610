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
//===----------------------------------------------------------------------===//
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

namespace pitfall {
namespace {

constexpr llvm::StringLiteral CheckerName = "pitfall.ThreadJoin";

class ThreadJoinChecker
    : public Checker<check::PreCall, check::PostCall, eval::Call,
                     check::DeadSymbols, check::RegionChanges> {
public:
  ThreadJoinChecker(llvm::StringRef ThreadTypesOption,
                    bool ReportProcessLifetimeThreads)
      : Threads(ThreadTypesOption),
        ReportProcessLifetimeThreads(ReportProcessLifetimeThreads) {
    Opts.ThreadTypes = ThreadTypesOption.str();
  }

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  void printState(raw_ostream &Out, ProgramStateRef State, const char *NL,
                  const char *Sep) const override {
    printRegions(Out, State->get<JoinableThreads>(), "Joinable threads:", NL,
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
  void report(const BugType &BT, const MemRegion *Thread,
              CheckerContext &C) const;
  void handleMove(const MemRegion *From, const MemRegion *To, bool TrackTo,
                  ProgramStateRef State, CheckerContext &C) const;
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

bool ThreadJoinChecker::evalCall(const CallEvent &Call,
                                 CheckerContext &C) const {
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

void ThreadJoinChecker::report(const BugType &BT, const MemRegion *Thread,
                               CheckerContext &C) const {
  // std::terminate: nothing after this point matters.
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto R = std::make_unique<PathSensitiveBugReport>(BT, BT.getDescription(), N);
  R->markInteresting(Thread);
  emitWithSeverity(C.getBugReporter(), std::move(R),
                   pathSeverity(N, C.getSourceManager()));
}

void ThreadJoinChecker::checkPreCall(const CallEvent &Call,
                                     CheckerContext &C) const {
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
  const NoteTag *Tag =
      C.getNoteTag([From, To](PathSensitiveBugReport &BR) -> std::string {
        if (BR.isInteresting(To))
          BR.markInteresting(From);
        return "";
      });
  C.addTransition(State->add<JoinableThreads>(To), Tag);
}

void ThreadJoinChecker::checkPostCall(const CallEvent &Call,
                                      CheckerContext &C) const {
  const CXXMethodDecl *M = threadMethod(Call);
  if (!M)
    return;
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
  case ThreadOp::Swap: {
    if (Call.getNumArgs() != 1)
      return;
    const MemRegion *Other = objectRegion(Call.getArgSVal(0));
    if (!Other)
      return;
    bool A = State->contains<JoinableThreads>(Thread);
    bool B = State->contains<JoinableThreads>(Other);
    if (A == B)
      return;
    State = State->remove<JoinableThreads>(A ? Thread : Other);
    C.addTransition(State->add<JoinableThreads>(A ? Other : Thread));
    return;
  }
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
  if (Changed)
    C.addTransition(State);
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
  // A call to the thread's own (opaque) members is modelled in checkPostCall.
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

void registerThreadJoinChecker(CheckerManager &Mgr) {
  const AnalyzerOptions &AO = Mgr.getAnalyzerOptions();
  Mgr.registerChecker<ThreadJoinChecker>(
      AO.getCheckerStringOption(CheckerName, "ThreadTypes"),
      AO.getCheckerBooleanOption(CheckerName, "ReportProcessLifetimeThreads"));
}

bool shouldRegisterThreadJoinChecker(const CheckerManager &) { return true; }

} // namespace pitfall
