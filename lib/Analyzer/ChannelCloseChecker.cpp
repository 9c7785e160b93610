//===--- ChannelCloseChecker.cpp - pitfall.ChannelClose -------------------===//
//
// Tracks each channel object (by its memory region) along paths: a close()
// moves it to Closed; a send or another close() on a Closed channel is
// reported. Construction, assignment, reset() and destruction forget the
// state. A closed-state test (is_closed(), closed(), is_open()) is modelled
// from the tracked state, so the branch where the channel is open is
// infeasible after a close.
//
// A channel behind a std::unique_ptr or std::shared_ptr: the channel that
// get(), operator-> or operator* of a smart pointer designated is
// remembered for that smart pointer, and later accesses designate the same
// channel until the smart pointer is changed (assigned, reset, swapped,
// handed to code the engine does not see). Whether the engine inlines the
// standard library or not (pitfall-scan runs with
// c++-stdlib-inlining=false), both calls then reach the same channel.
//
// Loops: the engine explores a loop body a bounded number of times
// (-analyzer-max-loop). When a close happens in the last iteration the
// engine will explore on a path, the checker asks the flow layer's
// closed-channel analysis which sends and closes of the same channel are
// reachable around the loop's back edge and reports those (see
// docs/analyzer/channel-close.md).
//
//===----------------------------------------------------------------------===//
#include "AnalyzerUtil.h"

#include "pitfall/Core/Channels.h"
#include "pitfall/Flow/ClosedChannels.h"

#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace clang::ento;

/// The channel objects closed on the current path.
REGISTER_SET_WITH_PROGRAMSTATE(ClosedChannels, const MemRegion *)
/// A std::unique_ptr / std::shared_ptr object: the channel it designated.
REGISTER_MAP_WITH_PROGRAMSTATE(SmartPtrChannels, const MemRegion *,
                               const MemRegion *)

namespace pitfall {
namespace {

constexpr llvm::StringLiteral CheckerName = "pitfall.ChannelClose";

class ChannelCloseChecker
    : public Checker<check::PreCall, check::PostCall, eval::Call,
                     check::DeadSymbols, check::LiveSymbols,
                     check::RegionChanges> {
public:
  explicit ChannelCloseChecker(FlowOptions Opts)
      : Opts(std::move(Opts)),
        Channels(this->Opts.ChannelTypes, this->Opts.SendMethods,
                 this->Opts.MatchChannelNames) {}

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  ProgramStateRef
  checkRegionChanges(ProgramStateRef State,
                     const InvalidatedSymbols *Invalidated,
                     ArrayRef<const MemRegion *> ExplicitRegions,
                     ArrayRef<const MemRegion *> Regions,
                     const LocationContext *LCtx, const CallEvent *Call) const;
  void printState(raw_ostream &Out, ProgramStateRef State, const char *NL,
                  const char *Sep) const override {
    printRegions(Out, State->get<ClosedChannels>(), "Closed channels:", NL,
                 Sep);
    printRegions(Out, State->get<SmartPtrChannels>(),
                 "Channels behind smart pointers:", NL, Sep);
  }

private:
  /// If \p Call is get(), operator-> or operator* of a std::unique_ptr or
  /// std::shared_ptr to a channel: the smart pointer object.
  const MemRegion *smartPointerAccess(const CallEvent &Call) const;
  ChannelOp classify(const CallEvent &Call, CheckerContext &C,
                     const MemRegion *&Channel) const;
  void report(const BugType &BT, const MemRegion *Channel, CheckerContext &C,
              const Expr *Use) const;
  void checkLaterIterations(const CallEvent &Call, const MemRegion *Channel,
                            CheckerContext &C) const;

  /// The options of the flow layer's closed-channel analysis.
  const FlowOptions Opts;
  const ChannelRecognizer Channels;
  const BugType SendOnClosed{this, "Send on closed channel", "Pitfall"};
  const BugType ClosedTwice{this, "Channel closed twice", "Pitfall"};
  /// Uses already reported, so the loop fallback and the paths agree on one
  /// warning per statement.
  mutable llvm::DenseSet<const Stmt *> Reported;
};

const MemRegion *
ChannelCloseChecker::smartPointerAccess(const CallEvent &Call) const {
  const auto *IC = dyn_cast<CXXInstanceCall>(&Call);
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Call.getDecl());
  const Expr *Object = IC ? IC->getCXXThisExpr() : nullptr;
  if (!M || !Object || M->getNumParams() != 0)
    return nullptr;
  // The object's class, not the method's: libstdc++'s shared_ptr inherits
  // operator-> and get() from its bases.
  QualType ObjectType = Object->IgnoreImpCasts()->getType();
  if (isa<CXXMemberCall>(Call) && ObjectType->isPointerType())
    ObjectType = ObjectType->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      ObjectType->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      (Spec->getName() != "unique_ptr" && Spec->getName() != "shared_ptr") ||
      Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  OverloadedOperatorKind Op = M->getOverloadedOperator();
  if (Op != OO_Arrow && Op != OO_Star &&
      !(Op == OO_None && M->getIdentifier() && M->getName() == "get"))
    return nullptr;
  const auto *Pointee =
      Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
  if (!Pointee || !Channels.isChannelClass(Pointee))
    return nullptr;
  return objectRegion(IC->getCXXThisVal());
}

ChannelOp ChannelCloseChecker::classify(const CallEvent &Call,
                                        CheckerContext &C,
                                        const MemRegion *&Channel) const {
  Channel = nullptr;
  // Library internals (asio's services, Boost.Fiber's helpers) and a
  // channel's own methods are not uses of the channel by the user.
  if (C.getSourceManager().isInSystemHeader(Call.getSourceRange().getBegin()))
    return ChannelOp::None;
  // Inside an inlined channel operation (a member of the channel, or a free
  // `operator<<` that sends through write()), the outer call is the use.
  if (const auto *Caller =
          dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl())) {
    if (const auto *M = dyn_cast<CXXMethodDecl>(Caller);
        M && Channels.isChannelClass(M->getParent()))
      return ChannelOp::None;
    int CallerArg = -1;
    if (Channels.classifyFunction(Caller, CallerArg) != ChannelOp::None)
      return ChannelOp::None;
  }
  if (const auto *Ctor = dyn_cast<CXXConstructorCall>(&Call)) {
    if (!Channels.isChannelClass(Ctor->getDecl()->getParent()))
      return ChannelOp::None;
    Channel = objectRegion(Ctor->getCXXThisVal());
    return ChannelOp::Reset;
  }
  if (const auto *Dtor = dyn_cast<CXXDestructorCall>(&Call)) {
    if (!Channels.isChannelClass(
            cast<CXXRecordDecl>(Dtor->getDecl()->getParent())))
      return ChannelOp::None;
    Channel = objectRegion(Dtor->getCXXThisVal());
    return ChannelOp::Reset;
  }
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  if (!FD)
    return ChannelOp::None;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator())) {
    if (!Channels.isChannelClass(M->getParent()))
      return ChannelOp::None;
    if (const auto *IC = dyn_cast<CXXInstanceCall>(&Call))
      Channel = objectRegion(IC->getCXXThisVal());
    return ChannelOp::Reset;
  }
  int Arg = -1;
  ChannelOp Op = Channels.classifyFunction(
      FD, Arg, dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (Op == ChannelOp::None)
    return Op;
  if (Arg < 0) {
    if (const auto *IC = dyn_cast<CXXInstanceCall>(&Call))
      Channel = objectRegion(IC->getCXXThisVal());
  } else if (static_cast<unsigned>(Arg) < Call.getNumArgs()) {
    Channel = objectRegion(Call.getArgSVal(Arg));
  }
  return Channel ? Op : ChannelOp::None;
}

void ChannelCloseChecker::report(const BugType &BT, const MemRegion *Channel,
                                 CheckerContext &C, const Expr *Use) const {
  if (Use && !Reported.insert(Use).second)
    return;
  ExplodedNode *N = C.generateNonFatalErrorNode();
  if (!N)
    return;
  auto R = std::make_unique<PathSensitiveBugReport>(BT, BT.getDescription(), N);
  if (Use)
    R->addRange(Use->getSourceRange());
  R->markInteresting(Channel);
  emitWithSeverity(C.getBugReporter(), std::move(R),
                   pathSeverity(N, C.getSourceManager()));
}

void ChannelCloseChecker::checkPreCall(const CallEvent &Call,
                                       CheckerContext &C) const {
  const MemRegion *Channel = nullptr;
  ChannelOp Op = classify(Call, C, Channel);
  if (Op != ChannelOp::Send && Op != ChannelOp::Close)
    return;
  if (!C.getState()->contains<ClosedChannels>(Channel))
    return;
  report(Op == ChannelOp::Send ? SendOnClosed : ClosedTwice, Channel, C,
         dyn_cast_or_null<Expr>(Call.getOriginExpr()));
}

void ChannelCloseChecker::checkPostCall(const CallEvent &Call,
                                        CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  // The channel a smart pointer designates, the first time it is accessed
  // on this path (evalCall answers the later accesses).
  if (const MemRegion *Ptr = smartPointerAccess(Call)) {
    const MemRegion *Channel = objectRegion(Call.getReturnValue());
    if (Channel && !State->get<SmartPtrChannels>(Ptr))
      C.addTransition(State->set<SmartPtrChannels>(Ptr, Channel));
    return;
  }
  const MemRegion *Channel = nullptr;
  ChannelOp Op = classify(Call, C, Channel);
  switch (Op) {
  case ChannelOp::None:
  case ChannelOp::Send:
    return;
  case ChannelOp::Reset:
    if (State->contains<ClosedChannels>(Channel))
      C.addTransition(State->remove<ClosedChannels>(Channel));
    return;
  case ChannelOp::IsClosed: // evalCall
  case ChannelOp::IsOpen:
    return;
  case ChannelOp::Close: {
    if (State->contains<ClosedChannels>(Channel))
      return;
    const NoteTag *Tag =
        C.getNoteTag([Channel](PathSensitiveBugReport &BR) -> std::string {
          return BR.isInteresting(Channel) ? "Channel closed here" : "";
        });
    C.addTransition(State->add<ClosedChannels>(Channel), Tag);
    checkLaterIterations(Call, Channel, C);
    return;
  }
  }
}

bool ChannelCloseChecker::evalCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  // A smart pointer's channel, as its first access on this path found it.
  if (const MemRegion *Ptr = smartPointerAccess(Call)) {
    const MemRegion *const *Channel = C.getState()->get<SmartPtrChannels>(Ptr);
    const auto *E = dyn_cast_or_null<Expr>(Call.getOriginExpr());
    if (!Channel || !E)
      return false;
    C.addTransition(C.getState()->BindExpr(E, C.getLocationContext(),
                                           loc::MemRegionVal(*Channel)));
    return true;
  }
  // A closed-state test of a channel closed on this path is answered from
  // the state (the library's own flag may be an atomic the engine cannot
  // follow); anything else is left to the engine.
  const MemRegion *Channel = nullptr;
  ChannelOp Op = classify(Call, C, Channel);
  const auto *E = dyn_cast_or_null<Expr>(Call.getOriginExpr());
  if ((Op != ChannelOp::IsClosed && Op != ChannelOp::IsOpen) || !E)
    return false;
  ProgramStateRef State = C.getState();
  if (!State->contains<ClosedChannels>(Channel))
    return false;
  C.addTransition(
      State->BindExpr(E, C.getLocationContext(),
                      C.getSValBuilder().makeTruthVal(Op == ChannelOp::IsClosed,
                                                      E->getType())));
  return true;
}

/// Whether the smart pointer object \p Ptr may still be accessed: live, or
/// a variable (or what a reference parameter refers to) of a frame still on
/// the stack. The engine counts a variable dead right after its last read,
/// while the access it was read for is still to be evaluated.
bool mayStillBeUsed(const MemRegion *Ptr, SymbolReaper &SR) {
  if (SR.isLiveRegion(Ptr))
    return true;
  const MemRegion *Base = Ptr->getBaseRegion();
  if (const auto *SymR = dyn_cast<SymbolicRegion>(Base))
    if (const auto *RV = dyn_cast<SymbolRegionValue>(SymR->getSymbol()))
      Base = RV->getRegion()->getBaseRegion();
  const auto *Var = dyn_cast<VarRegion>(Base);
  const StackFrameContext *Frame = Var ? Var->getStackFrame() : nullptr;
  const LocationContext *Current = SR.getLocationContext();
  return Frame && Current && (Frame == Current || Frame->isParentOf(Current));
}

void ChannelCloseChecker::checkDeadSymbols(SymbolReaper &SR,
                                           CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  bool Changed = false;
  for (const MemRegion *R : State->get<ClosedChannels>())
    if (!SR.isLiveRegion(R)) {
      State = State->remove<ClosedChannels>(R);
      Changed = true;
    }
  for (const auto &[Ptr, Channel] : State->get<SmartPtrChannels>())
    if (!mayStillBeUsed(Ptr, SR)) {
      State = State->remove<SmartPtrChannels>(Ptr);
      Changed = true;
    }
  if (Changed)
    C.addTransition(State);
}

void ChannelCloseChecker::checkLiveSymbols(ProgramStateRef State,
                                           SymbolReaper &SR) const {
  // A channel reachable through a live smart pointer is live.
  for (const auto &[Ptr, Channel] : State->get<SmartPtrChannels>())
    if (mayStillBeUsed(Ptr, SR))
      SR.markLive(Channel);
}

ProgramStateRef ChannelCloseChecker::checkRegionChanges(
    ProgramStateRef State, const InvalidatedSymbols *,
    ArrayRef<const MemRegion *>, ArrayRef<const MemRegion *> Regions,
    const LocationContext *, const CallEvent *) const {
  // A smart pointer written to (its fields by inlined library code, or the
  // whole object by a call the engine does not inline) may designate
  // another channel.
  for (const auto &[Ptr, Channel] : State->get<SmartPtrChannels>())
    for (const MemRegion *R : Regions)
      if (R == Ptr || R->isSubRegionOf(Ptr) || Ptr->isSubRegionOf(R)) {
        State = State->remove<SmartPtrChannels>(Ptr);
        break;
      }
  return State;
}

/// The innermost loop whose body contains \p S.
const Stmt *enclosingLoop(const Stmt *S, const ParentMap &PM) {
  for (const Stmt *Child = S, *P = PM.getParent(S); P;
       Child = P, P = PM.getParent(P)) {
    const Stmt *Body = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(P))
      Body = F->getBody();
    else if (const auto *W = dyn_cast<WhileStmt>(P))
      Body = W->getBody();
    else if (const auto *D = dyn_cast<DoStmt>(P))
      Body = D->getBody();
    else if (const auto *R = dyn_cast<CXXForRangeStmt>(P))
      Body = R->getBody();
    else if (isa<LambdaExpr, BlockExpr>(P))
      return nullptr;
    if (Body && Body == Child)
      return P;
  }
  return nullptr;
}

/// How many times this path has entered the block that ends with \p Loop,
/// in the current stack frame.
unsigned loopHeadVisits(const ExplodedNode *N, const Stmt *Loop) {
  const StackFrameContext *Frame = N->getStackFrame();
  unsigned Count = 0;
  for (; N; N = N->getFirstPred()) {
    auto BE = N->getLocationAs<BlockEntrance>();
    if (!BE || N->getStackFrame() != Frame)
      continue;
    if (BE->getBlock()->getTerminatorStmt() == Loop)
      ++Count;
  }
  return Count;
}

/// For a counting loop `for (...; i < n; ++i)`, whether the condition can
/// still hold after the increment in \p State. Any other loop may continue.
bool mayIterateAgain(const Stmt *Loop, ProgramStateRef State,
                     CheckerContext &C) {
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For || !For->getCond() || !For->getInc())
    return true;
  // The counter and its step.
  const auto *IncOp = dyn_cast<UnaryOperator>(For->getInc()->IgnoreParens());
  if (!IncOp || !IncOp->isIncrementDecrementOp())
    return true;
  const auto *CounterRef =
      dyn_cast<DeclRefExpr>(IncOp->getSubExpr()->IgnoreParenImpCasts());
  const auto *Counter =
      CounterRef ? dyn_cast<VarDecl>(CounterRef->getDecl()) : nullptr;
  if (!Counter || !Counter->getType()->isIntegerType())
    return true;
  const auto *Cond = dyn_cast<BinaryOperator>(For->getCond()->IgnoreParens());
  if (!Cond || !Cond->isComparisonOp())
    return true;
  const LocationContext *LCtx = C.getLocationContext();
  SValBuilder &SVB = C.getSValBuilder();
  auto ValueOf = [&](const Expr *E) -> std::optional<SVal> {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || VD->getType()->isReferenceType())
        return std::nullopt;
      if (VD == Counter) {
        SVal Now = State->getSVal(State->getLValue(VD, LCtx), VD->getType());
        SVal One = SVB.makeIntVal(1, VD->getType());
        return SVB.evalBinOp(State, IncOp->isIncrementOp() ? BO_Add : BO_Sub,
                             Now, One, VD->getType());
      }
      return State->getSVal(State->getLValue(VD, LCtx), VD->getType());
    }
    if (const auto *IL = dyn_cast<IntegerLiteral>(E))
      return SVB.makeIntVal(IL->getValue(),
                            IL->getType()->isUnsignedIntegerType());
    return std::nullopt;
  };
  std::optional<SVal> L = ValueOf(Cond->getLHS());
  std::optional<SVal> R = ValueOf(Cond->getRHS());
  if (!L || !R)
    return true;
  auto Holds =
      SVB.evalBinOp(State, Cond->getOpcode(), *L, *R, C.getASTContext().BoolTy)
          .getAs<DefinedOrUnknownSVal>();
  return !Holds || State->assume(*Holds, true) != nullptr;
}

void ChannelCloseChecker::checkLaterIterations(const CallEvent &Call,
                                               const MemRegion *Channel,
                                               CheckerContext &C) const {
  const auto *Close = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  AnalysisDeclContext *ADC = C.getCurrentAnalysisDeclContext();
  if (!Close || !ADC)
    return;
  const Stmt *Loop = enclosingLoop(Close, ADC->getParentMap());
  if (!Loop)
    return;
  // Within the budget the engine explores the next iteration itself,
  // path-sensitively; only the iteration at the budget needs the CFG.
  unsigned MaxVisits = C.getAnalysisManager().options.maxBlockVisitOnPath;
  if (loopHeadVisits(C.getPredecessor(), Loop) + 1 < MaxVisits)
    return;
  if (!mayIterateAgain(Loop, C.getState(), C))
    return;
  const Expr *ChannelExpr = nullptr;
  if (Channels.classifyCall(Close, ChannelExpr) != ChannelOp::Close)
    return;
  BugReporter &BR = C.getBugReporter();
  PathDiagnosticLocation CloseLoc =
      PathDiagnosticLocation::createBegin(Close, C.getSourceManager(), ADC);
  FlowContext &Flow = FlowContext::get(C.getASTContext(), Opts);
  findUsesInLaterIterations(
      Flow, ADC->getDecl(), Close, Loop, [&](const ClosedChannelUse &U) {
        // A close in a later iteration is reached only if its own guard
        // holds again, which the CFG cannot tell; sends are reported.
        if (U.Kind != ChannelOp::Send || !Reported.insert(U.Use).second)
          return;
        const BugType &BT = SendOnClosed;
        auto R = std::make_unique<BasicBugReport>(
            BT, BT.getDescription(),
            PathDiagnosticLocation::createBegin(U.Use, C.getSourceManager(),
                                                ADC));
        R->addRange(U.Use->getSourceRange());
        R->addNote("Channel closed here, in an earlier iteration", CloseLoc);
        // Reached only if the loop goes on.
        emitWithSeverity(BR, std::move(R), Severity::Warning);
      });
  (void)Channel;
}

} // namespace

bool channelCloseTracksSame(ProgramStateRef A, ProgramStateRef B) {
  return A->get<ClosedChannels>() == B->get<ClosedChannels>() &&
         A->get<SmartPtrChannels>() == B->get<SmartPtrChannels>();
}

void registerChannelCloseChecker(CheckerManager &Mgr) {
  const AnalyzerOptions &Opts = Mgr.getAnalyzerOptions();
  FlowOptions Flow;
  Flow.ChannelTypes =
      Opts.getCheckerStringOption(CheckerName, "ChannelTypes").str();
  Flow.SendMethods =
      Opts.getCheckerStringOption(CheckerName, "SendMethods").str();
  Flow.MatchChannelNames =
      Opts.getCheckerBooleanOption(CheckerName, "MatchChannelNames");
  Mgr.registerChecker<ChannelCloseChecker>(std::move(Flow));
}

bool shouldRegisterChannelCloseChecker(const CheckerManager &) { return true; }

} // namespace pitfall
