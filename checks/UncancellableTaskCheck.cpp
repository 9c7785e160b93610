//===--- UncancellableTaskCheck.cpp - pitfall-uncancellable-task ----------===//
//
// The flow layer's TaskLoops analysis finds the tasks a function (or an
// initializer) starts and the loops that keep them from ever being stopped,
// in their bodies and in the helpers they call; this check words them, with
// the stop_token fix-it where the task receives one. Loops stopped by a
// plain bool another function writes are collected here and reported at the
// end of the translation unit, when it starts a thread.
//
//===----------------------------------------------------------------------===//
#include "UncancellableTaskCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/ActiveObjects.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/LockAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace pitfall {

namespace {

/// The source range of a loop's header, `while (...)` or `for (...)`, if it
/// can be replaced; otherwise invalid.
CharSourceRange loopHeaderRange(const Stmt *Loop) {
  SourceLocation Begin, End;
  if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
    Begin = W->getWhileLoc();
    End = W->getRParenLoc();
  } else if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    if (F->getInit() || F->getInc() || F->getConditionVariable())
      return {};
    Begin = F->getForLoc();
    End = F->getRParenLoc();
  } else {
    return {};
  }
  if (Begin.isInvalid() || End.isInvalid() || Begin.isMacroID() ||
      End.isMacroID())
    return {};
  return CharSourceRange::getTokenRange(Begin, End);
}

/// The plain bool flag an assignment's left side \p E writes: a bool data
/// member (of any object), or a bool variable of static storage; null
/// otherwise.
const ValueDecl *flagWritten(const Expr *E) {
  std::optional<ObjectPath> P = objectPathOf(E);
  if (!P || P->Element)
    return nullptr;
  const ValueDecl *D = nullptr;
  if (!P->Fields.empty())
    D = P->Fields.back();
  else if (P->Kind == RootKind::Global)
    D = P->Root;
  return D && D->getType()->isBooleanType() ? D : nullptr;
}

/// The flag a loop condition tests, `flag`, `!flag`, `this->flag`: a bool
/// data member of `this` or a bool variable of namespace scope or a class
/// (a static local is one function's); \p Read is set to the read.
const ValueDecl *flagRead(const Expr *Cond, const Expr *&Read) {
  bool Negated = false;
  Read = stripNegations(Cond, Negated);
  if (!Read || !isa<MemberExpr, DeclRefExpr>(Read))
    return nullptr;
  std::optional<ObjectPath> P = objectPathOf(Read);
  if (!P || P->Element)
    return nullptr;
  const ValueDecl *D = nullptr;
  if (P->Kind == RootKind::This && P->Fields.size() == 1)
    D = P->Fields.front();
  else if (const auto *V = dyn_cast_or_null<VarDecl>(P->Root);
           V && P->Kind == RootKind::Global && P->Fields.empty() &&
           !V->isLocalVarDecl())
    D = V;
  return D && D->getType()->isBooleanType() ? D : nullptr;
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getCond();
  return nullptr;
}

/// True if \p S assigns \p Flag.
bool writesFlag(const Stmt *S, const ValueDecl *Flag) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (const auto *BO = dyn_cast<BinaryOperator>(Cur);
        BO && BO->isAssignmentOp() && flagWritten(BO->getLHS()) == Flag)
      return true;
    for (const Stmt *C : Cur->children())
      if (C)
        Work.push_back(C);
  }
  return false;
}

/// Template instantiations write and read the members of their pattern:
/// the flag is the declaration as written.
const ValueDecl *asWritten(const ValueDecl *D) {
  if (const auto *F = dyn_cast<FieldDecl>(D)) {
    const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    if (const CXXRecordDecl *P =
            RD ? RD->getTemplateInstantiationPattern() : nullptr)
      for (const FieldDecl *PF : P->fields())
        if (PF->getFieldIndex() == F->getFieldIndex())
          return PF;
  }
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (const VarDecl *P = V->getTemplateInstantiationPattern())
      return P;
  return D;
}

} // namespace

UncancellableTaskCheck::UncancellableTaskCheck(llvm::StringRef Name,
                                               tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::ThreadTypes, FlowOption::EscapeFunctions}),
      CancellationChecksOption(
          Options.get("CancellationChecks", DefaultCancellationChecks)),
      Cancel(CancellationChecksOption),
      ReportProcessLifetimeLoops(
          Options.get("ReportProcessLifetimeLoops", false)),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {}

void UncancellableTaskCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "CancellationChecks", CancellationChecksOption);
  Options.store(Opts, "ReportProcessLifetimeLoops", ReportProcessLifetimeLoops);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void UncancellableTaskCheck::registerPPCallbacks(const SourceManager &,
                                                 Preprocessor *PP,
                                                 Preprocessor *) {
  Inserter.registerPreprocessor(PP);
}

TaskLoops &UncancellableTaskCheck::loops(FlowContext &Flow) {
  if (!Loops)
    Loops.emplace(Flow, Cancel);
  return *Loops;
}

// Threads started by initialisers outside functions: members
// (`std::jthread worker{[this] { ... }};`) and globals.
void UncancellableTaskCheck::checkInitializer(const Expr *Init,
                                              FlowContext &Flow) {
  if (Init)
    analyzeTasks(loops(Flow).tasksInInitializer(Init), nullptr, Flow);
}

void UncancellableTaskCheck::checkFunction(const FunctionDecl *FD,
                                           FlowContext &Flow) {
  analyzeTasks(loops(Flow).tasksIn(FD), FD, Flow);
  visitFlagUses(FD, Flow);
  llvm::SmallVector<RearmFinding, 1> Rearms;
  loops(Flow).findSelfRearming(FD, Rearms);
  for (const RearmFinding &R : Rearms) {
    SourceLocation Loc = R.Operation->getExprLoc();
    if (!firstReport(Loc, "re-arming callback"))
      continue;
    reportFinding(
        Loc,
        "the callback handed here starts the operation again on every "
        "path and never checks for cancellation; the chain can never "
        "be stopped",
        Severity::Warning);
    diag(R.Rearm->getExprLoc(), "re-armed here", DiagnosticIDs::Note);
    diag(Loc,
         "return from the callback when the error_code is set "
         "(asio::error::operation_aborted after cancel()) or when a stop "
         "flag is set",
         DiagnosticIDs::Note);
  }
}

void UncancellableTaskCheck::analyzeTasks(llvm::ArrayRef<LoopTask> Tasks,
                                          const FunctionDecl *Starter,
                                          FlowContext &Flow) {
  llvm::SmallVector<TaskLoopFinding, 4> Findings;
  for (const LoopTask &T : Tasks)
    if (ReportProcessLifetimeLoops || !loops(Flow).startedByMain(T, Starter))
      loops(Flow).analyze(T, Findings);
  for (const TaskLoopFinding &F : Findings)
    report(F);
}

void UncancellableTaskCheck::report(const TaskLoopFinding &F) {
  const ParmVarDecl *Token = F.Task.Token;
  switch (F.K) {
  case TaskLoopFinding::Endless:
    return reportEndless(F);
  case TaskLoopFinding::IgnoredToken:
    if (!firstReport(F.At->getBeginLoc(), "ignored token"))
      return;
    reportFinding(F.At->getBeginLoc(),
                  "std::jthread callable never reads its std::stop_token; "
                  "request_stop() cannot end this loop",
                  Severity::Warning);
    if (Token->getIdentifier())
      diag(Token->getLocation(),
           "test stop_requested() on %0 in the loop condition",
           DiagnosticIDs::Note)
          << Token;
    else
      diag(Token->getLocation(),
           "name the std::stop_token parameter and test "
           "stop_requested() in the loop condition",
           DiagnosticIDs::Note);
    return;
  case TaskLoopFinding::UnwakeableWait: {
    SourceLocation Loc = cast<Expr>(F.At)->getExprLoc();
    if (!firstReport(Loc, "unwakeable wait"))
      return;
    reportFinding(Loc,
                  "this wait cannot be woken by a stop request; the "
                  "std::jthread's destructor will block while it waits",
                  Severity::Warning);
    diag(Loc,
         "use std::condition_variable_any::wait with the "
         "std::stop_token, or register a std::stop_callback that "
         "notifies",
         DiagnosticIDs::Note);
    return;
  }
  }
}

void UncancellableTaskCheck::reportEndless(const TaskLoopFinding &F) {
  const LoopTask &T = F.Task;
  const Stmt *Loop = F.At;
  llvm::StringRef Msg;
  switch (T.Style) {
  case TaskStyle::Coroutine:
    Msg = "coroutine loop can never end and never checks a cancellation "
          "source";
    break;
  case TaskStyle::JThread:
    Msg = T.Token ? "std::jthread loop can never end and never checks its "
                    "std::stop_token; the jthread's destructor will block "
                    "forever"
                  : "std::jthread loop can never end; the jthread's "
                    "destructor will block forever";
    break;
  case TaskStyle::Thread:
    Msg = "thread loop can never end; the thread is detached or long-lived "
          "and can never be stopped or joined";
    break;
  case TaskStyle::Async:
    Msg = "std::async task loops forever; the destructor of its future "
          "will block forever";
    break;
  case TaskStyle::Handed:
    Msg = "task loop can never end; the task handed to %0 runs on another "
          "thread and can never be stopped";
    break;
  }
  // One finding per loop, whichever task reaches it first.
  if (!firstReport(Loop->getBeginLoc(), "endless loop"))
    return;

  // The fix: test the stop_token in scope in the loop condition.
  std::optional<FixItHint> Fix;
  if (T.Token && T.Token->getIdentifier()) {
    std::string Test = ("!" + T.Token->getName() + ".stop_requested()").str();
    if (const auto *D = dyn_cast<DoStmt>(Loop)) {
      const Expr *Cond = D->getCond();
      if (Cond && !Cond->getBeginLoc().isMacroID() &&
          !Cond->getEndLoc().isMacroID())
        Fix = FixItHint::CreateReplacement(Cond->getSourceRange(), Test);
    } else if (CharSourceRange R = loopHeaderRange(Loop); R.isValid()) {
      Fix = FixItHint::CreateReplacement(R, "while (" + Test + ")");
    }
  }
  {
    auto D = reportFinding(Loop->getBeginLoc(), Msg, Severity::Warning);
    if (T.Style == TaskStyle::Handed)
      D << (T.HandedTo ? T.HandedTo->getDeclName() : DeclarationName());
    if (Fix)
      D << *Fix;
  }
  if (T.Site)
    diag(T.Site->getBeginLoc(), "task started here", DiagnosticIDs::Note);
  if (Fix)
    return;
  switch (T.Style) {
  case TaskStyle::Coroutine:
    diag(Loop->getBeginLoc(),
         "take a std::stop_token or check the cancellation state (asio: "
         "co_await this_coro::cancellation_state) and leave the loop when "
         "cancelled",
         DiagnosticIDs::Note);
    break;
  case TaskStyle::JThread:
    diag(Loop->getBeginLoc(),
         "take a std::stop_token as the first parameter and test "
         "stop_requested() in the loop condition",
         DiagnosticIDs::Note);
    break;
  case TaskStyle::Thread:
  case TaskStyle::Async:
  case TaskStyle::Handed:
    diag(Loop->getBeginLoc(),
         "give the loop an exit: a std::stop_token (with std::jthread) or an "
         "atomic flag tested in the condition",
         DiagnosticIDs::Note);
    break;
  }
}

void UncancellableTaskCheck::visitFlagUses(const FunctionDecl *Fn,
                                           FlowContext &Flow) {
  const SourceManager &SM = Fn->getASTContext().getSourceManager();
  walkOutsideLambdas(Fn->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (isa<WhileStmt, DoStmt, ForStmt>(S)) {
      const Expr *Read = nullptr;
      const ValueDecl *Flag = flagRead(loopCondition(S), Read);
      if (!Flag || SM.isInSystemHeader(Flag->getLocation()))
        return true;
      // A read under a lock (the loop or its function locks, or the read
      // is made holding one: a C wrapper's, a lifetime lock of the
      // object's), or a loop that sets the flag itself, is not the
      // cross-thread stop-flag pattern.
      if (acquiresLock(Fn->getBody()) || writesFlag(S, Flag))
        return true;
      if (LockSet Held = locksAt(Flow, Fn, Read);
          !Held.mayHold().empty() ||
          llvm::any_of(Held.locks(),
                       [](const HeldLock &L) { return !L.isClaim(); }))
        return true;
      FlagLoops.push_back({Read, asWritten(Flag), Fn});
      return true;
    }
    const auto *W = dyn_cast<BinaryOperator>(S);
    if (!W || !W->isAssignmentOp() ||
        isa<CXXConstructorDecl>(Fn)) // constructors run before sharing
      return true;
    if (const ValueDecl *Flag = flagWritten(W->getLHS()))
      FlagWrites[asWritten(Flag)].push_back({W, Fn});
    return true;
  });
}

void UncancellableTaskCheck::endOfTranslationUnit(FlowContext &Flow) {
  if (Loops && Loops->sawThreadStart())
    reportFlags(Flow.astContext().getSourceManager(), Flow.threads());
  Loops.reset();
  FlagWrites.clear();
  FlagLoops.clear();
}

void UncancellableTaskCheck::reportFlags(const SourceManager &SM,
                                         const ThreadTypes &Threads) {
  {
    llvm::DenseSet<const ValueDecl *> Fixed;
    for (const FlagLoop &L : FlagLoops) {
      auto It = FlagWrites.find(L.Flag);
      if (It == FlagWrites.end())
        continue;
      const FlagWrite *Other = nullptr;
      for (const FlagWrite &W : It->second) {
        if (W.Fn == L.Fn)
          continue;
        // A callable an active object sends to itself runs on the loop's
        // own thread, between two turns of the loop.
        if (const auto *Op = dyn_cast<CXXMethodDecl>(W.Fn))
          if (const CXXMethodDecl *Loop = loopRunningLambda(Op, Threads);
              Loop && Loop->getCanonicalDecl() == L.Fn->getCanonicalDecl())
            continue;
        Other = &W;
        break;
      }
      if (!Other || !firstReport(L.Read->getExprLoc(), L.Flag->getName()))
        continue;

      const bool Volatile = L.Flag->getType().isVolatileQualified();
      std::optional<FixItHint> TypeFix, IncludeFix;
      const auto *DD = dyn_cast<DeclaratorDecl>(L.Flag);
      // A variable with other declarations (`extern bool flag;` in a
      // header) would need them all changed: note only.
      const auto *VD = dyn_cast<VarDecl>(L.Flag);
      const bool SingleDecl =
          !VD || (VD->isThisDeclarationADefinition() == VarDecl::Definition &&
                  std::distance(VD->redecls_begin(), VD->redecls_end()) == 1);
      if (!Volatile && DD && SingleDecl && DD->getTypeSourceInfo() &&
          !Fixed.contains(L.Flag)) {
        TypeLoc TL = DD->getTypeSourceInfo()->getTypeLoc();
        SourceRange R = TL.getSourceRange();
        if (TL.getAs<BuiltinTypeLoc>() && R.isValid() &&
            !R.getBegin().isMacroID() && !R.getEnd().isMacroID()) {
          TypeFix = FixItHint::CreateReplacement(R, "std::atomic<bool>");
          IncludeFix = Inserter.createIncludeInsertion(
              SM.getFileID(R.getBegin()), "<atomic>");
          Fixed.insert(L.Flag);
        }
      }
      {
        auto D =
            reportFinding(L.Read->getExprLoc(),
                          "loop condition reads plain bool %0, which another "
                          "function writes: a data race, and the read may be "
                          "hoisted out of the loop so that it never ends",
                          Severity::Warning)
            << L.Flag;
        if (TypeFix) {
          D << *TypeFix;
          if (IncludeFix)
            D << *IncludeFix;
        }
      }
      diag(Other->Write->getExprLoc(), "%0 is written here",
           DiagnosticIDs::Note)
          << L.Flag;
      if (Volatile)
        diag(L.Flag->getLocation(),
             "volatile does not make %0 safe to share between threads; "
             "declare it std::atomic<bool>",
             DiagnosticIDs::Note)
            << L.Flag;
      else if (!TypeFix && !Fixed.contains(L.Flag))
        diag(L.Flag->getLocation(), "declare %0 as std::atomic<bool>",
             DiagnosticIDs::Note)
            << L.Flag;
    }
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UncancellableTaskCheck)
