//===--- UnbalancedLatchCheck.cpp - pitfall-unbalanced-latch --------------===//
//
// Every function of the translation unit is handed to the flow layer's
// LatchBalance analysis (lib/Flow/LatchBalance), which keeps those that name
// a latch, barrier, semaphore or WaitGroup and, at the end of the
// translation unit, returns the counts that do not balance. This check
// words the findings and offers the fix-it that corrects a literal count.
//
//===----------------------------------------------------------------------===//
#include "UnbalancedLatchCheck.h"
#include "CheckFactory.h"

#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/LatchBalance.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace pitfall {

namespace {

/// %select index used by the messages: latch, barrier, WaitGroup.
unsigned arrivalSelect(SyncKind K) {
  switch (K) {
  case SyncKind::Barrier:
    return 1;
  case SyncKind::WaitGroup:
    return 2;
  default:
    return 0;
  }
}

/// %select index of a way out: returns, throws, reaches its end, an
/// exception from a call.
unsigned exitSelect(SyncExitKind K) {
  switch (K) {
  case SyncExitKind::Return:
    return 0;
  case SyncExitKind::Throw:
    return 1;
  case SyncExitKind::FallOff:
    return 2;
  case SyncExitKind::CallThrows:
    return 3;
  }
  return 0;
}

std::string formatCount(const SymCount &C, const ASTContext &Ctx) {
  if (!C.Base)
    return std::to_string(C.Offset);
  std::string Out =
      Lexer::getSourceText(
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

} // namespace

UnbalancedLatchCheck::UnbalancedLatchCheck(llvm::StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::WaitGroupTypes, FlowOption::ThreadTypes,
                    FlowOption::EscapeFunctions, FlowOption::AssertionMacros}),
      ReportAssertionPaths(Options.get("ReportAssertionPaths", false)) {}

void UnbalancedLatchCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ReportAssertionPaths", ReportAssertionPaths);
}

UnbalancedLatchCheck::~UnbalancedLatchCheck() = default;

void UnbalancedLatchCheck::checkFunction(const FunctionDecl *FD,
                                         FlowContext &Flow) {
  if (!Analysis)
    Analysis = std::make_unique<LatchBalance>(Flow);
  Analysis->addFunction(FD);
}

void UnbalancedLatchCheck::endOfTranslationUnit(FlowContext &Flow) {
  if (Analysis)
    for (const LatchFinding &F : Analysis->run()) {
      // A worker path that leaves at a failed test assertion (GoogleTest's
      // ASSERT_* returns, Catch2's REQUIRE throws): the test hangs in the
      // wait instead of failing. Dismissible, reported on request.
      bool AssertionPath = F.K == LatchFinding::LeavesWithout &&
                           F.Exit != SyncExitKind::FallOff &&
                           Flow.throws().inAssertionMacro(
                               F.Loc, Flow.astContext().getSourceManager());
      if (AssertionPath && !ReportAssertionPaths)
        continue;
      report(F, Flow.astContext(), AssertionPath);
    }
  Analysis.reset();
}

void UnbalancedLatchCheck::reportCount(const LatchFinding &F,
                                       const ASTContext &Ctx) {
  bool IsLatch = F.Sync == SyncKind::Latch;
  std::string Expected = formatCount(F.Expected, Ctx);
  std::string Made = formatCount(F.Made, Ctx);
  if (!firstReport(F.Loc, "count " + Expected + " " + Made))
    return;
  {
    // Both counts are known and every path makes the arrivals counted: the
    // latch never reaches zero, or is counted down below it.
    auto Diag = reportFinding(F.Loc,
                              "%select{latch|barrier}0 %1 expects %2 "
                              "%select{arrivals|participants per phase}0, but "
                              "%select{the code makes %3|%3 take part}0",
                              Severity::Error);
    Diag << (IsLatch ? 0 : 1) << F.Object << Expected << Made;
    const Expr *Literal = F.CountExpr->IgnoreParenImpCasts();
    if (!F.Expected.Base && !F.Made.Base && isa<IntegerLiteral>(Literal) &&
        !Literal->getBeginLoc().isMacroID() && F.Made.Offset >= 0)
      Diag << FixItHint::CreateReplacement(Literal->getSourceRange(),
                                           std::to_string(F.Made.Offset));
  }
  for (const LatchFinding::Part &P : F.Parts)
    diag(P.Loc,
         P.FromWorkers ? "workers started here %select{make|are}0 %1 of the "
                         "%select{arrivals|participants}0"
                       : "this thread %select{makes|is}0 %1 of the "
                         "%select{arrivals|participants}0 here",
         DiagnosticIDs::Note)
        << (IsLatch ? 0 : 1) << formatCount(P.Amount, Ctx);
}

void UnbalancedLatchCheck::report(const LatchFinding &F, const ASTContext &Ctx,
                                  bool AssertionPath) {
  unsigned Sel = arrivalSelect(F.Sync);
  auto Declared = [&] {
    diag(F.Object->getLocation(), "%0 declared here", DiagnosticIDs::Note)
        << F.Object;
  };
  switch (F.K) {
  case LatchFinding::CountMismatch:
    reportCount(F, Ctx);
    return;
  case LatchFinding::LeavesWithout:
    if (!firstReport(F.Loc, "leaves"))
      return;
    reportFinding(F.Loc,
                  "%select{worker returns|worker throws|worker reaches its "
                  "end|an exception from this call leaves the worker}0 "
                  "without %select{counting down latch|arriving at "
                  "barrier|calling done on WaitGroup}1 %2 on this path",
                  AssertionPath ? Severity::Note : Severity::Warning)
        << exitSelect(F.Exit) << Sel << F.Object;
    diag(F.OtherLoc, "other paths %select{count down|arrive|call done}0 here",
         DiagnosticIDs::Note)
        << Sel;
    Declared();
    diag(F.Loc,
         "%select{count down|arrive|call done}0 from a scope guard (a local "
         "object whose destructor does it) so that every path does",
         DiagnosticIDs::Note)
        << Sel;
    return;
  case LatchFinding::ArrivesTwice:
    if (!firstReport(F.Loc, "twice"))
      return;
    reportFinding(F.Loc,
                  "worker %select{counts down latch|arrives at barrier|calls "
                  "done on WaitGroup}0 %1 more than once on this path",
                  Severity::Warning)
        << Sel << F.Object;
    if (F.OtherLoc.isValid())
      diag(F.OtherLoc,
           "previous %select{count down|arrival|done}0 on the same path here",
           DiagnosticIDs::Note)
          << Sel;
    Declared();
    return;
  case LatchFinding::AddInWorker:
    if (!firstReport(F.Loc, "add"))
      return;
    reportFinding(F.Loc,
                  "WaitGroup %0 is incremented inside the worker it waits for; "
                  "wait() can return before the worker has started",
                  Severity::Warning)
        << F.Object;
    diag(F.OtherLoc, "worker started here; call add() before starting it",
         DiagnosticIDs::Note);
    Declared();
    return;
  case LatchFinding::SemaphoreHeld:
    if (!firstReport(F.Loc, "semaphore"))
      return;
    reportFinding(F.Loc,
                  "%select{function returns|function throws|function reaches "
                  "its end|an exception from this call leaves the function}0 "
                  "without releasing semaphore %1 on this path",
                  Severity::Warning)
        << exitSelect(F.Exit) << F.Object;
    diag(F.OtherLoc, "%0 acquired here", DiagnosticIDs::Note) << F.Object;
    Declared();
    diag(F.Loc,
         "release from a scope guard (a local object whose destructor calls "
         "release()) so that every path releases",
         DiagnosticIDs::Note);
    return;
  case LatchFinding::LatchInLoop:
    if (!firstReport(F.Loc, "loop"))
      return;
    reportFinding(F.Loc,
                  "single-use latch %0 is %select{waited on|arrived at and "
                  "waited on}1 in every iteration of a loop that runs %2 "
                  "times; it does not block after the first",
                  Severity::Warning)
        << F.Object << F.ArriveAndWait << formatCount(F.Made, Ctx);
    diag(F.Object->getLocation(),
         "%0 declared outside the loop here; construct a latch per "
         "iteration or use std::barrier",
         DiagnosticIDs::Note)
        << F.Object;
    return;
  case LatchFinding::UnguardedWait:
    if (!firstReport(F.Loc, "unguarded wait"))
      return;
    if (F.OtherLoc.isInvalid()) {
      reportFinding(F.Loc,
                    "condition variable %0 is waited on without a predicate "
                    "in a hand-written barrier; a spurious wake-up lets this "
                    "participant leave before the others arrive",
                    Severity::Warning)
          << F.Object;
    } else {
      reportFinding(F.Loc,
                    "the wait on condition variable %0 rechecks a count that "
                    "the last arrival resets; a waiter woken after the reset "
                    "sees it unchanged and waits for the next phase (lost "
                    "wake-up)",
                    Severity::Warning)
          << F.Object;
      diag(F.OtherLoc, "reset here", DiagnosticIDs::Note);
    }
    diag(F.Loc,
         "wait for a generation counter to change (saved in a local before "
         "waiting, incremented by the last arrival), or use std::barrier",
         DiagnosticIDs::Note);
    return;
  case LatchFinding::SemaphoreOverflow: {
    std::string Made = formatCount(F.Made, Ctx);
    if (!firstReport(F.Loc, "overflow"))
      return;
    // More releases than the maximum plus the acquires overflow whatever
    // the interleaving; fewer depend on it.
    bool Certain = !F.Made.Base && F.Made.Offset - F.Trips > F.Expected.Offset;
    reportFinding(F.Loc,
                  "semaphore %0 (maximum %1) is released %2 times by workers "
                  "but acquired %3 %plural{1:time|:times}3 here; a release "
                  "beyond the maximum is undefined behaviour, and the acquire "
                  "waits for one worker, not all",
                  Certain ? Severity::Error : Severity::Warning)
        << F.Object << static_cast<unsigned>(F.Expected.Offset) << Made
        << static_cast<unsigned>(F.Trips);
    for (const LatchFinding::Part &P : F.Parts)
      diag(P.Loc, "workers started here release it %0 times",
           DiagnosticIDs::Note)
          << formatCount(P.Amount, Ctx);
    Declared();
    diag(F.Loc,
         "wait for all of them with a std::latch (or a counting semaphore "
         "acquired once per release)",
         DiagnosticIDs::Note);
    return;
  }
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnbalancedLatchCheck)
