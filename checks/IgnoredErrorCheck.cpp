//===--- IgnoredErrorCheck.cpp - pitfall-ignored-error --------------------===//
//
// Four hazards, one check: a call whose error value is used as a statement
// (a walk of the body); an error stored and never read, or overwritten
// before it is read (the flow layer's ErrorStores, which this check words);
// an error tested whose error path rejoins the code using the call's result
// (findUnheededErrors); a completion handler that never reads its error.
// Dismissible drops (teardown, best effort, lock wrappers, misuse-only
// results, parses with a fallback, test code, example code, failure paths)
// are reported only with their option, and then with severity note. Calls
// through callables are named by the function they run.
//
//===----------------------------------------------------------------------===//
#include "IgnoredErrorCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/Comments.h"
#include "pitfall/Core/TestMacros.h"
#include "pitfall/Flow/ErrorStores.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace pitfall {

namespace {

/// The result type as the user wrote it when the callee is theirs; the
/// canonical type for library functions, whose sugar is internal
/// (`__detail::__integer_from_chars_result_type<int>`).
QualType shownType(const CallExpr *Call, const ASTContext &Ctx) {
  const Decl *Callee = Call->getCalleeDecl();
  if (Callee && !Ctx.getSourceManager().isInSystemHeader(Callee->getLocation()))
    return Call->getType();
  return Call->getType().getCanonicalType();
}

/// Where `[[nodiscard]] ` can be inserted before the declaration of \p FD,
/// or an invalid location if it cannot be done safely.
SourceLocation nodiscardInsertionPoint(const FunctionDecl *FD,
                                       const ASTContext &Ctx) {
  if (!FD || !Ctx.getLangOpts().CPlusPlus17)
    return {};
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  FD = FD->getFirstDecl();
  if (FD->isImplicit() || isa<CXXConversionDecl>(FD) || FD->getBuiltinID() != 0)
    return {};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda())
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  // The start of the decl-specifiers, after any template header.
  SourceLocation Loc = FD->getInnerLocStart();
  if (Loc.isInvalid() || Loc.isMacroID() || SM.isInSystemHeader(Loc) ||
      FD->getLocation().isMacroID())
    return {};
  return Loc;
}

} // namespace

IgnoredErrorCheck::IgnoredErrorCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::ErrorTypes, FlowOption::CheckedFunctions,
                    FlowOption::StatusHeuristic, FlowOption::TestCaseMacros,
                    FlowOption::TestPaths, FlowOption::ExamplePaths}),
      AllowCastToVoid(Options.get("AllowCastToVoid", true)),
      ReportTeardown(Options.get("ReportTeardown", false)),
      ReportBestEffort(Options.get("ReportBestEffort", false)),
      ReportLockWrappers(Options.get("ReportLockWrappers", false)),
      ReportMisuseOnlyResults(Options.get("ReportMisuseOnlyResults", false)),
      ReportOutOfMemoryOnlyResults(
          Options.get("ReportOutOfMemoryOnlyResults", false)),
      ReportInTests(Options.get("ReportInTests", false)),
      ReportInExamples(Options.get("ReportInExamples", false)),
      ReportOnFailurePaths(Options.get("ReportOnFailurePaths", false)),
      ReportParseWithFallback(Options.get("ReportParseWithFallback", false)),
      ReportTestedPredicates(Options.get("ReportTestedPredicates", false)),
      ReportCInterfaceDrops(Options.get("ReportCInterfaceDrops", false)),
      ReportConventionallyIgnored(
          Options.get("ReportConventionallyIgnored", false)),
      ReportCommentedDrops(Options.get("ReportCommentedDrops", false)),
      TeardownFunctions(
          Options.get("TeardownFunctions", DefaultTeardownFunctions)),
      BestEffortFunctions(
          Options.get("BestEffortFunctions", DefaultBestEffortFunctions)),
      LockWrapperFunctions(
          Options.get("LockWrapperFunctions", DefaultLockWrapperFunctions)) {}

void IgnoredErrorCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "AllowCastToVoid", AllowCastToVoid);
  Options.store(Opts, "ReportTeardown", ReportTeardown);
  Options.store(Opts, "TeardownFunctions", TeardownFunctions.str());
  Options.store(Opts, "ReportBestEffort", ReportBestEffort);
  Options.store(Opts, "BestEffortFunctions", BestEffortFunctions.str());
  Options.store(Opts, "ReportLockWrappers", ReportLockWrappers);
  Options.store(Opts, "LockWrapperFunctions", LockWrapperFunctions.str());
  Options.store(Opts, "ReportMisuseOnlyResults", ReportMisuseOnlyResults);
  Options.store(Opts, "ReportOutOfMemoryOnlyResults",
                ReportOutOfMemoryOnlyResults);
  Options.store(Opts, "ReportInTests", ReportInTests);
  Options.store(Opts, "ReportInExamples", ReportInExamples);
  Options.store(Opts, "ReportOnFailurePaths", ReportOnFailurePaths);
  Options.store(Opts, "ReportParseWithFallback", ReportParseWithFallback);
  Options.store(Opts, "ReportTestedPredicates", ReportTestedPredicates);
  Options.store(Opts, "ReportCInterfaceDrops", ReportCInterfaceDrops);
  Options.store(Opts, "ReportConventionallyIgnored",
                ReportConventionallyIgnored);
  Options.store(Opts, "ReportCommentedDrops", ReportCommentedDrops);
}

bool IgnoredErrorCheck::isTeardownCall(const CallExpr *Source,
                                       FlowContext &Flow) const {
  auto IsTeardown = [&](const CXXMemberCallExpr *Call) {
    const CXXMethodDecl *M = Call->getMethodDecl();
    return M && TeardownFunctions.matches(M);
  };
  // A teardown member's call ending the object's use, or the last call
  // on a stream torn down next.
  const auto *Call = dyn_cast<CXXMemberCallExpr>(Source);
  return (Call && IsTeardown(Call) &&
          endsObjectUse(Flow, Current, Call, IsTeardown)) ||
         precedesTeardown(Flow, Current, Source, IsTeardown);
}

bool IgnoredErrorCheck::commentedAsDropped(const CallExpr *Source,
                                           FlowContext &Flow) const {
  const ASTContext &Ctx = Flow.astContext();
  return llvm::any_of(
      commentsOf(Source, Ctx.getSourceManager(), Ctx.getLangOpts()),
      saysDroppedOnPurpose);
}

std::optional<Severity> IgnoredErrorCheck::severityOf(const CallExpr *Source,
                                                      FlowContext &Flow) const {
  const FunctionDecl *Callee = Source->getDirectCallee();
  // A POSIX lock, unlock, signal, wait, destroy or default init fails only
  // on misuse, wherever it is called; the one statement of a lock wrapper's
  // member (`void set(void *v) { pthread_setspecific(key_, v); }`) has no
  // way to report a failure.
  bool MisuseOnly = Flow.errors().failsOnlyOnMisuse(Source);
  bool OutOfMemoryOnly = Flow.errors().failsOnlyWithoutMemory(Source);
  bool LockWrapper = !MisuseOnly && !OutOfMemoryOnly && Callee &&
                     WrapperCall == Source &&
                     LockWrapperFunctions.matches(Callee);
  // Each dismissible category, and its option.
  const std::pair<bool, bool> Categories[] = {
      {InTeardown || isTeardownCall(Source, Flow), ReportTeardown},
      {Callee && BestEffortFunctions.matches(Callee), ReportBestEffort},
      {LockWrapper, ReportLockWrappers},
      {MisuseOnly, ReportMisuseOnlyResults},
      {OutOfMemoryOnly, ReportOutOfMemoryOnlyResults},
      {parsesWithFallback(Flow, Current, Source), ReportParseWithFallback},
      {failureAnsweredByResult(Flow, Current, Source), ReportTestedPredicates},
      {withoutErrorChannel(outsideLambdas(Current)), ReportCInterfaceDrops},
      {InTest, ReportInTests},
      {InExample, ReportInExamples},
      {failsAfter(Flow, Current, Source), ReportOnFailurePaths},
      {commentedAsDropped(Source, Flow), ReportCommentedDrops}};
  bool Dismissible = false;
  for (auto [Is, Report] : Categories) {
    if (Is && !Report)
      return std::nullopt;
    Dismissible |= Is;
  }
  return Dismissible ? Severity::Note : Severity::Warning;
}

void IgnoredErrorCheck::checkFunction(const FunctionDecl *FD,
                                      FlowContext &Flow) {
  // A destructor or a teardown function, or a lambda written in one: an
  // error there has nowhere to go (the error_code overloads are used not to
  // throw while tearing down).
  const FunctionDecl *Outer = outsideLambdas(FD);
  InTeardown =
      isa<CXXDestructorDecl>(Outer) || TeardownFunctions.matches(Outer);
  InTest = Flow.isTestCode(Outer);
  InExample = Flow.isExampleCode(Outer);
  // A test case asserts on what it tests and drops its set-up's results:
  // no evidence of the project's convention. The rest of a test file (the
  // node classes, handlers and helpers it defines for the code under test
  // to call) uses the project's API as the project does.
  if (!Flow.isTestCase(Outer))
    Convention.count(FD, Flow);
  Current = FD;
  WrapperCall = nullptr;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && !M->getParent()->isLambda())
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
        Body && Body->size() == 1)
      if (const auto *Only = dyn_cast<Expr>(Body->body_front()))
        WrapperCall = skipImplicit(Only);
  reportStores(FD, Flow);
  reportUnheeded(FD, Flow);
  // A lambda handed to a helper that checks that it throws: the call it
  // makes last is expected to throw, there is no result to read.
  ExpectThrowBody = ExpectThrowLambdas.contains(FD) ? FD->getBody() : nullptr;
  StmtExprValues.clear();
  walk(FD->getBody(), Flow);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten())
        walk(Init->getInit(), Flow);
}

void IgnoredErrorCheck::walk(const Stmt *S, FlowContext &Flow) {
  if (!S)
    return;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // Its body is a function of its own, handed over separately.
    for (const Expr *Init : L->capture_inits())
      walk(Init, Flow);
    return;
  }
  visit(S, Flow);
  for (const Stmt *Child : S->children())
    walk(Child, Flow);
}

void IgnoredErrorCheck::visit(const Stmt *S, FlowContext &Flow) {
  // A statement whose value nobody reads.
  auto Discarded = [&](const Stmt *Child, const CompoundStmt *Block = nullptr,
                       bool VoidCast = false) {
    const auto *E = dyn_cast_or_null<Expr>(Child);
    const auto *Call =
        dyn_cast_or_null<CallExpr>(E ? skipImplicit(E) : nullptr);
    // `std::ignore = std::async(...)`: the future dies at once all the same.
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (const auto *Ignore =
              dyn_cast<DeclRefExpr>(skipImplicit(OC->getArg(0)));
          Ignore && Ignore->getDecl()->isInStdNamespace() &&
          Ignore->getDecl()->getName() == "ignore") {
        const auto *Dropped = dyn_cast<CallExpr>(skipImplicit(OC->getArg(1)));
        if (Dropped &&
            Flow.errors().callKind(Dropped) == ErrorKind::AsyncFuture)
          handleDiscarded(Dropped, Block, /*VoidCast=*/true, Flow);
        return;
      }
    if (Call)
      handleDiscarded(Call, Block, VoidCast, Flow);
  };
  if (const auto *SE = dyn_cast<StmtExpr>(S)) {
    // The value of a GNU statement expression is its last statement (the
    // statement expression is visited before its body).
    if (const auto *Last =
            dyn_cast_or_null<Expr>(SE->getSubStmt()->body_back()))
      StmtExprValues.insert(skipImplicit(Last));
    return;
  }
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : CS->body())
      Discarded(Child, CS);
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    Discarded(If->getThen());
    Discarded(If->getElse());
    return;
  }
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    Discarded(For->getInit());
    Discarded(For->getInc());
    Discarded(For->getBody());
    return;
  }
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return Discarded(While->getBody());
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return Discarded(Do->getBody());
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(S))
    return Discarded(Range->getBody());
  if (isa<SwitchCase, LabelStmt, AttributedStmt>(S)) {
    for (const Stmt *Child : S->children())
      Discarded(Child);
    return;
  }
  if (const auto *Comma = dyn_cast<BinaryOperator>(S)) {
    if (Comma->getOpcode() == BO_Comma)
      Discarded(Comma->getLHS());
    return;
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S)) {
    // A future of std::async cast to void still blocks where it dies.
    const auto *Sub = dyn_cast<CallExpr>(skipImplicit(Cast->getSubExpr()));
    if (Cast->getType()->isVoidType() &&
        (!AllowCastToVoid ||
         (Sub && Flow.errors().callKind(Sub) == ErrorKind::AsyncFuture)))
      Discarded(Cast->getSubExpr(), nullptr, /*VoidCast=*/true);
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return checkHandlers(CE->getArgs(), CE->getNumArgs(), Flow);
  // Lambdas handed to a helper that checks they throw.
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    checkHandlers(Call->getArgs(), Call->getNumArgs(), Flow);
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() ||
        throwExpectation(Callee->getName()) != ThrowExpectation::Throws)
      return;
    for (const Expr *Arg : Call->arguments())
      if (const auto *L = dyn_cast<LambdaExpr>(skipImplicit(Arg)))
        ExpectThrowLambdas.insert(L->getCallOperator());
  }
}

void IgnoredErrorCheck::handleDiscarded(const CallExpr *Call,
                                        const CompoundStmt *Block,
                                        bool VoidCast, FlowContext &Flow) {
  const ErrorRecognizer &Errors = Flow.errors();
  ASTContext &Ctx = Flow.astContext();
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())) ||
      StmtExprValues.contains(Call))
    return;
  // asio's `sock.close(ec)` also returns a copy of ec: the error lives on in
  // the argument, which the store analysis follows.
  // A call that can only succeed has no error to drop.
  if (Errors.callKind(Call) == ErrorKind::None ||
      !Errors.errorOutArguments(Call).empty() || cannotFail(Call, Errors))
    return;
  // A call made to see it throw: nothing is returned to be read.
  if (Block && Block == ExpectThrowBody)
    if (const auto *Last = dyn_cast_or_null<Expr>(Block->body_back());
        Last && skipImplicit(Last) == Call)
      return;
  if (Call->getBeginLoc().isMacroID() &&
      inExpectThrowMacroArgument(Call->getBeginLoc(), SM, Ctx.getLangOpts()))
    return;
  // A system macro that expands to a call is the library's business.
  if (Call->getBeginLoc().isMacroID() &&
      SM.isInSystemHeader(SM.getSpellingLoc(Call->getBeginLoc())))
    return;
  // The compiler already reports a discarded [[nodiscard]] result (but not
  // one cast to void).
  if (!VoidCast && Call->hasUnusedResultAttr(Ctx) &&
      !Ctx.getDiagnostics().isIgnored(diag::warn_unused_result,
                                      Call->getBeginLoc()))
    return;
  std::optional<Severity> S = severityOf(Call, Flow);
  // Instantiations of one template repeat the pattern's call.
  if (S && firstReport(Call->getBeginLoc(), "discarded"))
    Discards.emplace_back(Call, *S);
}

void IgnoredErrorCheck::endOfTranslationUnit(FlowContext &Flow) {
  const SourceManager &SM = Flow.astContext().getSourceManager();
  llvm::sort(Discards, [&](const auto &L, const auto &R) {
    return SM.isBeforeInTranslationUnit(L.first->getBeginLoc(),
                                        R.first->getBeginLoc());
  });
  // A callee the code drops by convention is best effort.
  for (const auto &[Call, S] : Discards)
    if (auto Judged =
            Convention.judge(Call, S, ReportConventionallyIgnored, Flow))
      reportDiscarded(Call, *Judged, Flow);
  Discards.clear();
  Convention.clear();
  NodiscardOffered.clear();
  ExpectThrowLambdas.clear();
}

void IgnoredErrorCheck::reportDiscarded(const CallExpr *Call, Severity S,
                                        FlowContext &Flow) {
  ASTContext &Ctx = Flow.astContext();
  ErrorKind Kind = Flow.errors().callKind(Call);
  const FunctionDecl *Named = namedCallee(Call, Flow);
  SourceLocation Loc = Call->getBeginLoc();
  if (Kind == ErrorKind::AsyncFuture) {
    reportFinding(
        Loc,
        "std::future returned by std::async is discarded: the call "
        "blocks until the task finishes and the task's exception is lost",
        S);
    diag(Loc,
         "keep the future and call get() on it, or run the task on a "
         "thread that reports its errors",
         DiagnosticIDs::Note);
    return;
  }
  if (Kind == ErrorKind::CheckedInt)
    reportFinding(Loc, "failure status returned by %0 is discarded", S)
        << Named;
  else if (Named)
    reportFinding(Loc, "error result of type %0 returned by %1 is discarded", S)
        << shownType(Call, Ctx) << Named;
  else
    reportFinding(Loc, "error result of type %0 is discarded", S)
        << shownType(Call, Ctx);

  // [[nodiscard]] helps for a direct call only; the fix-it is offered once
  // per declaration, later calls get the advice.
  const FunctionDecl *Callee = Call->getDirectCallee();
  SourceLocation At = nodiscardInsertionPoint(Callee, Ctx);
  if (At.isValid() && NodiscardOffered.insert(At.getRawEncoding()).second) {
    diag(At,
         "add [[nodiscard]] to %0 so that the compiler reports callers "
         "that drop its result",
         DiagnosticIDs::Note)
        << Named << FixItHint::CreateInsertion(At, "[[nodiscard]] ");
    return;
  }
  unsigned What = Kind == ErrorKind::ErrorCode     ? 0
                  : Kind == ErrorKind::CharsResult ? 1
                  : Kind == ErrorKind::CheckedInt  ? 2
                                                   : 3;
  diag(Loc,
       "%select{test the error code (if (ec))|compare its 'ec' member with "
       "std::errc()|compare the result with the function's failure value|"
       "test the result (ok(), has_value() or operator bool)}0, pass it on, "
       "or %select{assign it to std::ignore|cast it to 'void'}1 to drop it on "
       "purpose",
       DiagnosticIDs::Note)
      << What << AllowCastToVoid;
}

void IgnoredErrorCheck::reportStores(const FunctionDecl *FD,
                                     FlowContext &Flow) {
  const ErrorRecognizer &Errors = Flow.errors();
  for (const UnreadErrorStore &F : findUnreadErrorStores(Flow, FD)) {
    // A call that can only succeed stored no error to read.
    if (cannotFail(F.Source, Errors))
      continue;
    std::optional<Severity> S = severityOf(F.Source, Flow);
    if (!S)
      continue;
    // `auto [ptr, ec] = ...` is named by the binding that holds the error.
    const NamedDecl *Var = F.Var;
    if (const auto *DD = dyn_cast<DecompositionDecl>(F.Var)) {
      auto Bindings = DD->bindings();
      const auto *Err = llvm::find_if(Bindings, [&](const BindingDecl *BD) {
        return Errors.carriesError(BD->getType());
      });
      if (Err != Bindings.end())
        Var = *Err;
    }
    const FunctionDecl *Callee = namedCallee(F.Source, Flow);
    SourceLocation Loc = F.Source->getBeginLoc();
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(F.Source))
      Loc = Member->getExprLoc();
    if (!firstReport(Loc, "stored in " + Var->getNameAsString()))
      continue;
    if (!Callee)
      reportFinding(
          Loc,
          "error stored in %0 is %select{never read|overwritten before "
          "it is read}1",
          *S)
          << Var << (F.Overwrite != nullptr);
    else if (F.Overwrite)
      reportFinding(
          Loc, "error stored in %0 by %1 is overwritten before it is read", *S)
          << Var << Callee;
    else
      reportFinding(Loc, "error stored in %0 by %1 is never read", *S)
          << Var << Callee;
    if (F.Overwrite)
      diag(F.Overwrite->getBeginLoc(), "%0 is overwritten here",
           DiagnosticIDs::Note)
          << Var;
  }
}

void IgnoredErrorCheck::reportUnheeded(const FunctionDecl *FD,
                                       FlowContext &Flow) {
  for (const UnheededError &F : findUnheededErrors(Flow, FD)) {
    std::optional<Severity> S = severityOf(F.Source, Flow);
    if (!S || !firstReport(F.Use->getLocation(), "unheeded"))
      continue;
    reportFinding(
        F.Use->getLocation(),
        "%0, the result of %1, is used on the path where the error in %2 "
        "was seen and not acted on",
        *S)
        << F.Result
        << (namedCallee(F.Source, Flow) ?: F.Source->getDirectCallee())
        << F.Error;
    diag(F.Test->getBeginLoc(),
         "%0 is tested here; its error path goes on to the code that uses "
         "%1: return, throw or replace the result there",
         DiagnosticIDs::Note)
        << F.Error << F.Result;
  }
}

void IgnoredErrorCheck::checkHandlers(const Expr *const *Args, unsigned NumArgs,
                                      FlowContext &Flow) {
  for (const Expr *Arg : llvm::ArrayRef(Args, NumArgs)) {
    const auto *L = dyn_cast<LambdaExpr>(skipImplicit(Arg));
    if (!L)
      continue;
    for (const ParmVarDecl *P : unreadErrorParameters(L, Flow.errors()))
      if (firstReport(P->getLocation(), "handler"))
        reportFinding(
            P->getLocation(),
            "error code %0 passed to the completion handler is never read",
            Severity::Warning)
            << P;
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(IgnoredErrorCheck)
