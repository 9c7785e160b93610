//===--- UnlockedContainerAccessCheck.cpp - pitfall-unlocked-container-access
//===//
//
// Every function of the translation unit is handed to the flow layer's
// ContainerRaces analysis (lib/Flow/ContainerRaces), which runs once at the
// end of the translation unit and returns the races it finds (the member
// rule and the thread rule). This check words them and, where it is safe,
// offers a fix-it that takes the missing lock for the statement.
//
//===----------------------------------------------------------------------===//
#include "UnlockedContainerAccessCheck.h"
#include "CheckFactory.h"

#include "pitfall/Flow/ContainerRaces.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace pitfall {

UnlockedContainerAccessCheck::UnlockedContainerAccessCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::LockTypes, FlowOption::ThreadTypes,
                    FlowOption::EscapeFunctions}),
      ContainerTypesOption(
          Options.getLocalOrGlobal("ContainerTypes", "").str()),
      Containers(ContainerTypesOption),
      ReportUnlockedEmptinessChecks(
          Options.get("ReportUnlockedEmptinessChecks", false)),
      ReportWholeObjectAssignment(
          Options.get("ReportWholeObjectAssignment", false)),
      ReportReadsAfterOnceInit(Options.get("ReportReadsAfterOnceInit", false)),
      ReportUnlockedConfigurationReads(
          Options.get("ReportUnlockedConfigurationReads", false)),
      ReportModeConditionalLocks(
          Options.get("ReportModeConditionalLocks", false)),
      ReportUnguardedMembers(Options.get("ReportUnguardedMembers", false)),
      MinThrow(
          parseThrowPaths(Options.get("ReportThrowPaths", "user-exceptions"))) {
}

UnlockedContainerAccessCheck::~UnlockedContainerAccessCheck() = default;

void UnlockedContainerAccessCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContainerTypes", ContainerTypesOption);
  Options.store(Opts, "ReportUnlockedEmptinessChecks",
                ReportUnlockedEmptinessChecks);
  Options.store(Opts, "ReportWholeObjectAssignment",
                ReportWholeObjectAssignment);
  Options.store(Opts, "ReportReadsAfterOnceInit", ReportReadsAfterOnceInit);
  Options.store(Opts, "ReportUnlockedConfigurationReads",
                ReportUnlockedConfigurationReads);
  Options.store(Opts, "ReportModeConditionalLocks", ReportModeConditionalLocks);
  Options.store(Opts, "ReportUnguardedMembers", ReportUnguardedMembers);
  Options.store(Opts, "ReportThrowPaths", throwPathsName(MinThrow));
}

void UnlockedContainerAccessCheck::checkFunction(const FunctionDecl *FD,
                                                 FlowContext &Flow) {
  if (!Analysis) {
    ContainerRaceOptions Opts;
    Opts.ReportEmptinessTests = ReportUnlockedEmptinessChecks;
    Opts.ReportWholeObjectAssignment = ReportWholeObjectAssignment;
    Opts.ReportReadsAfterOnceInit = ReportReadsAfterOnceInit;
    Opts.ReportConfigurationReads = ReportUnlockedConfigurationReads;
    Opts.ReportModeConditionalLocks = ReportModeConditionalLocks;
    Opts.MinThrow = MinThrow;
    Analysis = std::make_unique<ContainerRaces>(Flow, Containers, Opts);
  }
  Analysis->addFunction(FD);
}

void UnlockedContainerAccessCheck::endOfTranslationUnit(FlowContext &Flow) {
  if (Analysis)
    for (const ContainerRace &R : Analysis->run())
      report(R, Flow);
  Analysis.reset();
}

void UnlockedContainerAccessCheck::report(const ContainerRace &R,
                                          FlowContext &Flow) {
  SourceLocation Loc = R.Ref->getBeginLoc();
  if (R.K == ContainerRace::Unguarded) {
    if (!firstReport(Loc, "unguarded"))
      return;
    // A race needs another thread to access it at the same time.
    reportFinding(Loc,
                  "container %0 is %select{read|modified}1 without holding %2, "
                  "which guards its other accesses",
                  Severity::Warning)
        << R.Container << R.Write << R.Lock;
    diag(R.OtherLoc, "%0 is %select{read|modified}1 under %2 here",
         DiagnosticIDs::Note)
        << R.Container << R.OtherWrite << R.Lock;
    fixNote(R, Flow);
    return;
  }
  if (!firstReport(Loc, "concurrent"))
    return;
  const ValueDecl *Lock = R.Lock ? R.Lock : R.Container;
  reportFinding(Loc,
                "container %0 is %select{read|modified}1 %select{without a "
                "lock|without holding %3}2 while another thread "
                "%select{reads|modifies}4 it",
                Severity::Warning)
      << R.Container << R.Write << (R.Lock != nullptr) << Lock << R.OtherWrite;
  if (R.SelfConcurrent)
    diag(R.StartLoc,
         "the thread is started in a loop and runs concurrently with itself",
         DiagnosticIDs::Note);
  else
    diag(R.OtherLoc,
         "conflicting %select{read|modification}0 on another thread%select{| "
         "under %2}1",
         DiagnosticIDs::Note)
        << R.OtherWrite << (R.Lock != nullptr) << Lock;
  if (R.Lock)
    fixNote(R, Flow);
}

namespace {

/// The statement of a block that holds \p E, and that block (within the
/// body of \p G's function).
std::pair<const Stmt *, const CompoundStmt *>
enclosingStatement(const Expr *E, const FlowGraph &G) {
  const Stmt *N = E;
  for (unsigned Depth = 0; N && Depth != 64; ++Depth) {
    const Stmt *P = G.parent(N);
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(P))
      return {N, CS};
    if (!P || isa<LambdaExpr>(P))
      return {};
    N = P;
  }
  return {};
}

} // namespace

void UnlockedContainerAccessCheck::fixNote(const ContainerRace &R,
                                           FlowContext &Flow) {
  if (!R.FixSafe)
    return;
  const FlowGraph *G = Flow.graph(R.Fn);
  if (!G)
    return;
  auto [S, Block] = enclosingStatement(R.Ref, *G);
  if (!S || !Block || S->getBeginLoc().isMacroID() ||
      S->getEndLoc().isMacroID())
    return;
  bool Last = Block->body_back() == S;
  if (!isa<Expr, ReturnStmt>(S) && !(Last && isa<DeclStmt>(S)))
    return;
  // If `lock` is declared in this block, the guard needs its own braces.
  if (Last)
    for (const Stmt *Other : Block->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Other))
        for (const Decl *D : DS->decls())
          if (const auto *ND = dyn_cast<NamedDecl>(D);
              ND && ND->getIdentifier() && ND->getName() == "lock")
            Last = false;
  if (!Last && isa<DeclStmt>(S))
    return;

  const ASTContext &Ctx = Flow.astContext();
  const LangOptions &LO = Ctx.getLangOpts();
  const ValueDecl *Mutex = R.Lock;
  bool SharedMutex = false;
  if (const CXXRecordDecl *RD = recordOf(Mutex->getType(), true))
    SharedMutex = RD->getIdentifier() && RD->getName().contains("shared");
  bool SharedGuard = LO.CPlusPlus17 && !R.Write && SharedMutex;
  // No standard guard holds a mutex of another API (lockWrite(), Lock()).
  if (!Flow.locks().isStdLockable(Mutex->getType(), SharedGuard))
    return;
  std::string Guard;
  if (LO.CPlusPlus17)
    Guard = SharedGuard ? "std::shared_lock lock(" : "std::scoped_lock lock(";
  else
    Guard =
        "std::lock_guard<" +
        Mutex->getType().getNonReferenceType().getUnqualifiedType().getAsString(
            Ctx.getPrintingPolicy()) +
        "> lock(";
  Guard += Mutex->getName();
  Guard += "); ";
  // A lock held whose mutex is not known may be Mutex: taking it again
  // would deadlock. Say why there is no fix.
  if (R.UnknownLockLoc.isValid()) {
    diag(R.UnknownLockLoc,
         "no fix-it: %select{the lock taken here|this call holds a lock "
         "that}0 may be %1 (its mutex is not known)",
         DiagnosticIDs::Note)
        << R.UnknownLockAtCall << Mutex;
    return;
  }
  auto Note = [&] {
    return diag(R.Ref->getBeginLoc(), "hold %0 for this statement",
                DiagnosticIDs::Note)
           << Mutex;
  };
  if (Last) {
    Note() << FixItHint::CreateInsertion(S->getBeginLoc(), Guard);
    return;
  }
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      S->getEndLoc(), tok::semi, Ctx.getSourceManager(), LO,
      /*SkipTrailingWhitespaceAndNewLine=*/false);
  if (AfterSemi.isInvalid())
    return;
  Note() << FixItHint::CreateInsertion(S->getBeginLoc(), "{ " + Guard)
         << FixItHint::CreateInsertion(AfterSemi, " }");
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnlockedContainerAccessCheck)
