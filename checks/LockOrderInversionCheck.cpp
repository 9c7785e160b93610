//===--- LockOrderInversionCheck.cpp - pitfall-lock-order-inversion -------===//
//
// Every function of the translation unit is handed to the flow layer's
// LockOrder analysis (lib/Flow/LockOrder), which runs once at the end of the
// translation unit and returns the cycles of acquisition orders taken by
// concurrent threads. This check words them: the warning at the order taken
// first in the source, a note for each other order, where the held mutexes
// were acquired, the acquisitions made in helpers, and the thread starts.
//
//===----------------------------------------------------------------------===//
#include "LockOrderInversionCheck.h"
#include "CheckFactory.h"

#include "pitfall/Flow/LockOrder.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace pitfall {

LockOrderInversionCheck::LockOrderInversionCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::LockTypes, FlowOption::ThreadTypes,
                    FlowOption::EscapeFunctions}) {}

LockOrderInversionCheck::~LockOrderInversionCheck() = default;

void LockOrderInversionCheck::checkFunction(const FunctionDecl *FD,
                                            FlowContext &Flow) {
  if (!Analysis)
    Analysis = std::make_unique<LockOrder>(Flow);
  Analysis->addFunction(FD);
}

void LockOrderInversionCheck::endOfTranslationUnit(FlowContext &) {
  if (Analysis)
    for (const LockOrderCycle &C : Analysis->run())
      report(C);
  Analysis.reset();
}

void LockOrderInversionCheck::report(const LockOrderCycle &C) {
  const LockOrderStep &First = C.Steps.front();
  SourceLocation Loc = First.At->getBeginLoc();
  if (!firstReport(Loc, "lock-order"))
    return;
  bool Pair = C.Steps.size() == 2;
  std::string Cycle;
  if (!Pair) {
    for (const LockOrderStep &S : C.Steps)
      Cycle += "'" + S.Held->getNameAsString() + "' -> ";
    Cycle += "'" + First.Held->getNameAsString() + "'";
  }
  // A deadlock needs the threads to interleave between their acquisitions.
  reportFinding(Loc,
                "mutex %0 is acquired while holding %1, and %select{another "
                "thread acquires them in the opposite order|other threads "
                "complete a cycle of lock acquisitions (%3)}2: the threads can "
                "deadlock",
                Severity::Warning)
      << First.Acquired << First.Held << !Pair << Cycle;
  if (First.HeldAt)
    diag(First.HeldAt->getBeginLoc(), "%0 acquired here", DiagnosticIDs::Note)
        << First.Held;
  for (const LockOrderStep &S : C.Steps) {
    if (&S != &First)
      diag(S.At->getBeginLoc(), "%0 is acquired while holding %1 here",
           DiagnosticIDs::Note)
          << S.Acquired << S.Held;
    if (S.AcquiredAt != S.At)
      diag(S.AcquiredAt->getBeginLoc(), "%0 is acquired here, in %1",
           DiagnosticIDs::Note)
          << S.Acquired << S.AcquiredIn;
    if (S.StartedAt)
      diag(S.StartedAt->getBeginLoc(), "on the thread started here",
           DiagnosticIDs::Note);
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(LockOrderInversionCheck)
