//===--- Analyze.cpp - one translation unit, one parse, both front ends ---===//
//
// The FrontendAction built here parses a TU once and hands the AST to a
// MultiplexConsumer of
//   (a) clang-tidy's consumer (ClangTidyASTConsumerFactory) for the checks the
//       user's .clang-tidy / --checks enable, and
//   (b) a Static Analyzer consumer running pitfall's analyzer checkers
//       (registered in-process) and any clang-analyzer-* checks the
//       configuration enables.
// Analyzer reports go through the same ClangTidyContext as the tidy checks,
// so NOLINT comments and the header filter apply to both; their paths are
// kept for SARIF codeFlows. clang-tidy's own analyzer integration is turned
// off (a second AnalysisConsumer would share the CompilerInstance's
// AnalyzerOptions and could not see pitfall's checkers).
//
// pitfall's checks and checkers record each finding's severity with a
// SeverityRecorder (Core/Severity.h) installed around the TU's analysis;
// the diagnostics they emit are warnings, and are paired with the records
// by reporter, file and offset.
//
//===----------------------------------------------------------------------===//
#include "pitfall/Scan/Analyze.h"

#define PITFALL_COMPAT_SCAN
#include "pitfall/Compat.h"
#include "pitfall/Core/ErrorUseRecorder.h"

#include "pitfall/AnalyzerRegistration.h"
#include "pitfall/CheckList.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Scan/AnalysisGate.h"
#include "pitfall/Scan/WholeProgram.h"
#include "pitfall/Version.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "clang/Analysis/PathDiagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <chrono>
#include <csignal>
#include <functional>
#include <unistd.h>

using namespace clang;
using namespace clang::tidy;

namespace pitfall {
namespace scan {

namespace {

struct AnalyzerCheckerInfo {
  llvm::StringRef FullName;
};

const llvm::SmallVector<llvm::StringRef, 4> &pitfallCheckerList() {
  static const llvm::SmallVector<llvm::StringRef, 4> List = [] {
    llvm::SmallVector<llvm::StringRef, 4> L;
#define PITFALL_ANALYZER_CHECKER(Class, FullName, Description, DocPath)        \
  L.push_back(FullName);
#include "pitfall/AnalyzerCheckers.def"
    return L;
  }();
  return List;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> pitfallAnalyzerCheckers() {
  return pitfallCheckerList();
}

std::string checkNameForAnalyzerChecker(llvm::StringRef Checker) {
  for (const CheckInfo &C : allChecks())
    if (C.AnalyzerChecker == Checker)
      return C.Name.str();
  return ("clang-analyzer-" + Checker).str();
}

std::string contentHash(llvm::StringRef Data) {
  llvm::MD5 H;
  H.update(Data);
  llvm::MD5::MD5Result R;
  H.final(R);
  return std::string(R.digest());
}

//===----------------------------------------------------------------------===//
// Configuration
//===----------------------------------------------------------------------===//

static ClangTidyOptions defaultOptions() {
  ClangTidyOptions O = ClangTidyOptions::getDefaults();
  // pitfall's checks run unless the configuration says otherwise; any other
  // check (including compiler warnings, clang-diagnostic-*) is opt-in.
  O.Checks = "pitfall-*";
  return O;
}

static ClangTidyOptions overrideOptions(const AnalysisConfig &Config) {
  ClangTidyOptions O;
  O.Checks = Config.Checks;
  O.HeaderFilterRegex = Config.HeaderFilter;
  O.SystemHeaders = Config.SystemHeaders;
  return O;
}

/// The user's options (.clang-tidy files or --config) with the command line
/// on top. With \p HideAnalyzer, clang-tidy's own analyzer integration is
/// disabled (pitfall-scan runs the analyzer itself).
class ScanOptionsProvider : public ClangTidyOptionsProvider {
public:
  ScanOptionsProvider(const AnalysisConfig &Config, bool HideAnalyzer)
      : HideAnalyzer(HideAnalyzer) {
    if (Config.Config) {
      llvm::ErrorOr<ClangTidyOptions> Parsed =
          parseConfiguration(llvm::MemoryBufferRef(*Config.Config, "--config"));
      Inner = std::make_unique<ConfigOptionsProvider>(
          ClangTidyGlobalOptions(), defaultOptions(),
          Parsed ? *Parsed : ClangTidyOptions(), overrideOptions(Config));
    } else {
      Inner = std::make_unique<FileOptionsProvider>(
          ClangTidyGlobalOptions(), defaultOptions(), overrideOptions(Config));
    }
  }

  const ClangTidyGlobalOptions &getGlobalOptions() override {
    return Inner->getGlobalOptions();
  }

  /// clang-tidy's consumer factory enables its own analyzer integration when
  /// the current options enable clang-analyzer-* checks; its diagnostic
  /// consumer drops reports of disabled checks. The analyzer is hidden only
  /// while the factory builds its consumer.
  void setHideAnalyzer(bool Hide) { HideAnalyzer = Hide; }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Inner->getRawOptions(FileName);
    if (HideAnalyzer) {
      ClangTidyOptions NoAnalyzer;
      NoAnalyzer.Checks = "-clang-analyzer-*";
      Sources.emplace_back(std::move(NoAnalyzer), "pitfall-scan");
    }
    return Sources;
  }

private:
  std::unique_ptr<ClangTidyOptionsProvider> Inner;
  bool HideAnalyzer;
};

static ClangTidyOptions optionsFor(llvm::StringRef File,
                                   const AnalysisConfig &Config) {
  ScanOptionsProvider P(Config, /*HideAnalyzer=*/false);
  return P.getOptions(File);
}

/// The analyzer checkers the options enable: pitfall's, when the pitfall
/// check of the same hazard is enabled, and clang's built-in ones enabled as
/// clang-analyzer-<name>.
static std::vector<std::string>
analyzerCheckersFor(const ClangTidyOptions &Options) {
  std::vector<std::string> Result;
  GlobList Globs(Options.Checks.value_or(""));
  for (llvm::StringRef Checker : pitfallAnalyzerCheckers())
    if (Globs.contains(checkNameForAnalyzerChecker(Checker)) ||
        Globs.contains(Checker))
      Result.push_back(Checker.str());
  for (llvm::StringRef Checker : AnalyzerOptions::getRegisteredCheckers(
           /*IncludeExperimental=*/false))
    if (Globs.contains(("clang-analyzer-" + Checker).str()))
      Result.push_back(Checker.str());
  return Result;
}

EnabledChecks enabledChecks(llvm::StringRef File,
                            const AnalysisConfig &Config) {
  EnabledChecks E;
  ClangTidyOptions O = optionsFor(File, Config);
  E.AnalyzerCheckers = analyzerCheckersFor(O);
  O.Checks = O.Checks.value_or("") + ",-clang-analyzer-*";
  E.TidyChecks = compat::tidyCheckNames(O);
  return E;
}

std::vector<std::string> adjustedArguments(const CompileJob &Job,
                                           const AnalysisConfig &Config) {
  std::vector<std::string> Args = Job.Arguments;
  ClangTidyOptions O = optionsFor(Job.File, Config);
  for (const tooling::ArgumentsAdjuster &A :
       {tooling::getClangStripOutputAdjuster(),
        tooling::getClangSyntaxOnlyAdjuster(),
        tooling::getClangStripDependencyFileAdjuster(),
        tooling::getStripPluginsAdjuster()})
    Args = A(Args, Job.File);
  std::vector<std::string> Before;
  bool HasResourceDir = llvm::any_of(
      Args, [](llvm::StringRef A) { return A.starts_with("-resource-dir"); });
  if (!HasResourceDir && !Config.ResourceDir.empty())
    Before.push_back("-resource-dir=" + Config.ResourceDir);
  // Before the extra arguments, which may set it again.
  if (!Config.StdlibInlining)
    Before.insert(Before.end(), {"-Xclang", "-analyzer-config", "-Xclang",
                                 "c++-stdlib-inlining=false"});
  if (O.ExtraArgsBefore)
    llvm::append_range(Before, *O.ExtraArgsBefore);
  llvm::append_range(Before, Config.ExtraArgsBefore);
  if (!Args.empty())
    Args.insert(Args.begin() + 1, Before.begin(), Before.end());
  if (O.ExtraArgs)
    llvm::append_range(Args, *O.ExtraArgs);
  llvm::append_range(Args, Config.ExtraArgs);
  return Args;
}

std::string configurationDigest(const CompileJob &Job,
                                const AnalysisConfig &Config) {
  std::string Key =
      "pitfall-scan " PITFALL_VERSION " LLVM " PITFALL_LLVM_VERSION_STRING "\n";
  // A rebuilt driver or checks library may report differently: the
  // executable's identity is part of the tool version.
  llvm::sys::fs::file_status St;
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  if (!llvm::sys::fs::status(Self, St))
    Key += std::to_string(St.getSize()) + ":" +
           std::to_string(
               St.getLastModificationTime().time_since_epoch().count()) +
           "\n";
  Key += Job.Directory + "\n";
  for (const std::string &A : adjustedArguments(Job, Config))
    Key += A + '\0';
  ClangTidyOptions O = optionsFor(Job.File, Config);
  Key += configurationAsText(O);
  for (const std::string &C : analyzerCheckersFor(O))
    Key += C + ",";
  if (!Config.AnalysisFilter)
    Key += "\nanalysis filter off";
  Key += "\nanalyzer budget " + std::to_string(Config.AnalyzerBudget);
  if (Config.SystemInlining)
    Key += "\nsystem inlining";
  return contentHash(Key);
}

//===----------------------------------------------------------------------===//
// The action
//===----------------------------------------------------------------------===//

namespace {

/// The severities pitfall's checks and checkers recorded while the TU was
/// analysed.
class Severities : public SeverityRecorder {
public:
  void record(llvm::StringRef Reporter, llvm::StringRef File, unsigned Offset,
              Severity S) override {
    Records.push_back({Reporter.str(), File.str(), Offset, S});
  }

  /// The highest severity \p Reporter recorded at \p File, \p Offset (two
  /// findings of a check at one place are told apart by nothing else).
  std::optional<Severity> find(llvm::StringRef Reporter, llvm::StringRef File,
                               unsigned Offset) const {
    std::optional<Severity> Found;
    for (const Record &R : Records)
      if (R.Offset == Offset && R.Reporter == Reporter && R.File == File)
        Found = std::max(Found.value_or(Severity::Note), R.S);
    return Found;
  }

private:
  struct Record {
    std::string Reporter, File;
    unsigned Offset;
    Severity S;
  };
  std::vector<Record> Records;
};

/// An analyzer report's path, kept to be attached to the finding the
/// report becomes.
struct PendingFlow {
  std::string Check;
  std::string Checker;
  std::string File;
  unsigned Offset;
  std::string Message; ///< tells it from a tidy finding at the same place
  std::vector<Event> Events;
  std::optional<Severity> Level; ///< as the checker recorded it
};

Location toLocation(FullSourceLoc Loc) {
  Location L;
  if (Loc.isInvalid())
    return L;
  FullSourceLoc F = Loc.getFileLoc();
  PresumedLoc P = F.getManager().getPresumedLoc(F, /*UseLineDirectives=*/false);
  if (P.isInvalid())
    return L;
  llvm::SmallString<256> Path(P.getFilename());
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  L.File = std::string(Path);
  L.Line = P.getLine();
  L.Column = P.getColumn();
  return L;
}

/// pitfall-ignored-error's call sites and discarded-result findings
/// (Core/ErrorUseRecorder.h), by USR and place, for the summary's
/// "errorUses" section: the driver decides the program's convention.
class ErrorUseLog : public ErrorUseRecorder {
public:
  void site(const FunctionDecl *Callee, const SourceManager &SM,
            SourceLocation Loc, bool Dropped) override {
    if (std::optional<std::string> U = usr(Callee))
      Uses.Sites.push_back({*U, toLocation(FullSourceLoc(Loc, SM)), Dropped});
  }
  void finding(const FunctionDecl *Callee, const SourceManager &SM,
               SourceLocation Loc, bool ReportAsNote) override {
    if (std::optional<std::string> U = usr(Callee))
      Uses.Findings.push_back(
          {*U, toLocation(FullSourceLoc(Loc, SM)), ReportAsNote});
  }
  /// Adds what was recorded to \p R's summary (made if there is none).
  void attachTo(TUResult &R, llvm::StringRef MainFile) const {
    if (Uses.empty())
      return;
    auto S = R.Summary ? std::make_shared<TUSummary>(*R.Summary)
                       : std::make_shared<TUSummary>();
    if (S->File.empty())
      S->File = MainFile.str();
    S->Errors = Uses;
    R.Summary = std::move(S);
  }

private:
  /// The same in every TU; none for a declaration clang gives no USR (a
  /// lambda's call operator: every lambda's would look alike).
  static std::optional<std::string> usr(const FunctionDecl *FD) {
    llvm::SmallString<128> Buf;
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
        (M && M->getParent()->isLambda()) || index::generateUSRForDecl(FD, Buf))
      return std::nullopt;
    return std::string(Buf);
  }
  ErrorUses Uses;
};

/// An analyzer message in clang-tidy's style: the analyzer capitalises
/// ("Channel closed twice"), clang-tidy checks do not. A capitalised word is
/// lowered; acronyms and names ("RAII", "C++") are kept.
std::string tidyStyle(llvm::StringRef Message) {
  llvm::StringRef Word = Message.take_while(llvm::isAlpha);
  if (Word.empty() || !llvm::isUpper(Word[0]) ||
      !llvm::all_of(Word.drop_front(), llvm::isLower) ||
      (Word.size() == 1 && Message.size() > 1 && Message[1] != ' '))
    return Message.str();
  std::string Out = Message.str();
  Out[0] = llvm::toLower(Out[0]);
  return Out;
}

/// Receives the analyzer's reports, sends them to clang-tidy's diagnostic
/// machinery (NOLINT, header filter) and records their paths.
class AnalyzerReports : public ento::PathDiagnosticConsumer {
public:
  AnalyzerReports(ClangTidyContext &Context, std::vector<PendingFlow> &Flows,
                  const Severities &Levels)
      : Context(Context), Flows(Flows), Levels(Levels) {}

  void FlushDiagnosticsImpl(std::vector<const ento::PathDiagnostic *> &Diags,
                            FilesMade *) override {
    for (const ento::PathDiagnostic *PD : Diags) {
      std::string Checker = PD->getCheckerName().str();
      std::string Check = checkNameForAnalyzerChecker(Checker);
      FullSourceLoc Loc = PD->getLocation().asLocation();
      std::string Message = tidyStyle(PD->getShortDescription());
      PendingFlow Flow{Check, Checker, "", 0, Message, {}, std::nullopt};
      if (Loc.isValid()) {
        const SourceManager &SM = Loc.getManager();
        SourceLocation FileLoc = SM.getFileLoc(Loc);
        if (OptionalFileEntryRef FE =
                SM.getFileEntryRefForID(SM.getFileID(FileLoc))) {
          Flow.File = FE->getName().str();
          Flow.Offset = SM.getFileOffset(FileLoc);
          Flow.Level = Levels.find(Checker, Flow.File, Flow.Offset);
        }
      }
      ento::PathPieces Path = PD->path.flatten(/*ShouldFlattenMacros=*/true);
      for (const auto &Piece : Path) {
        if (Piece->getKind() == ento::PathDiagnosticPiece::ControlFlow)
          continue;
        Flow.Events.push_back({toLocation(Piece->getLocation().asLocation()),
                               tidyStyle(Piece->getString())});
      }
      // Through the tidy context: suppression, filters, one output format.
      Context.diag(Check, Loc, "%0") << Message;
      std::vector<const ento::PathDiagnosticPiece *> Notes;
      for (const auto &Piece : Path)
        if (Piece->getKind() == ento::PathDiagnosticPiece::Event ||
            Piece->getKind() == ento::PathDiagnosticPiece::Note)
          Notes.push_back(Piece.get());
      // The path usually ends with the warning itself, at its location: not
      // repeated as a note (the path keeps it).
      if (!Notes.empty() && Notes.back()->getLocation().asLocation() == Loc &&
          tidyStyle(Notes.back()->getString()) == Message)
        Notes.pop_back();
      for (const ento::PathDiagnosticPiece *Piece : Notes)
        Context.diag(Check, Piece->getLocation().asLocation(), "%0",
                     DiagnosticIDs::Note)
            << tidyStyle(Piece->getString());
      Flows.push_back(std::move(Flow));
    }
  }

  llvm::StringRef getName() const override { return "pitfall-scan"; }
  PathGenerationScheme getGenerationScheme() const override { return Minimal; }
  bool supportsLogicalOpControlFlow() const override { return true; }
  bool supportsCrossFileDiagnostics() const override { return true; }

private:
  ClangTidyContext &Context;
  std::vector<PendingFlow> &Flows;
  const Severities &Levels;
};

/// The CPU time (user and system) this process has used, in seconds: a
/// worker analyses one TU on one thread, and unlike wall time the CPU time
/// of a phase does not grow with the load of the machine.
double cpuSeconds() {
  llvm::sys::TimePoint<> Elapsed;
  std::chrono::nanoseconds User, System;
  llvm::sys::Process::GetTimeUsage(Elapsed, User, System);
  return std::chrono::duration<double>(User + System).count();
}

/// Forwards to one consumer, adding the CPU time its HandleTranslationUnit
/// (the tidy checks' matching, the analyzer) takes to \p Seconds.
class TimedConsumer : public MultiplexConsumer {
public:
  TimedConsumer(std::unique_ptr<ASTConsumer> Inner, double &Seconds)
      : MultiplexConsumer(one(std::move(Inner))), Seconds(Seconds) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    double Start = cpuSeconds();
    MultiplexConsumer::HandleTranslationUnit(Ctx);
    Seconds += cpuSeconds() - Start;
  }

private:
  static std::vector<std::unique_ptr<ASTConsumer>>
  one(std::unique_ptr<ASTConsumer> C) {
    std::vector<std::unique_ptr<ASTConsumer>> V;
    V.push_back(std::move(C));
    return V;
  }

  double &Seconds;
};

/// Calls a function when the TU is complete: after the consumers before it,
/// before those after it.
class AtTranslationUnitEnd : public ASTConsumer {
public:
  explicit AtTranslationUnitEnd(std::function<void()> Call)
      : Call(std::move(Call)) {}
  void HandleTranslationUnit(ASTContext &) override { Call(); }

private:
  std::function<void()> Call;
};

/// The checks whose cross-TU findings the link step reports.
constexpr llvm::StringLiteral LockOrderCheck = "pitfall-lock-order-inversion";
constexpr llvm::StringLiteral ContainerCheck =
    "pitfall-unlocked-container-access";

/// Summarises the TU for the link step (WholeProgram.h) with the flow
/// options the checks read, so that it shares their FlowContext (the graphs
/// and summaries the checks built); records what the enabled checks link.
class SummaryConsumer : public ASTConsumer {
public:
  SummaryConsumer(const ClangTidyOptions &Options, SummaryOptions What,
                  TUResult &Result)
      : Options(Options), What(std::move(What)), Result(Result) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // After a fatal error, nothing of the TU is summarised, as the checks
    // analyse nothing of it (PitfallCheck::check): Sema instantiated no more
    // templates and gave up on classes the link would misread.
    if (Ctx.getDiagnostics().hasFatalErrorOccurred())
      return;
    llvm::StringRef Check = What.Acquisitions ? LockOrderCheck : ContainerCheck;
    auto Option = [&](llvm::StringRef Key) -> std::optional<std::string> {
      for (std::string K : {(Check + "." + Key).str(), Key.str()}) {
        auto It = Options.CheckOptions.find(K);
        if (It != Options.CheckOptions.end())
          return It->getValue().Value;
      }
      return std::nullopt;
    };
    FlowOptions Opts = FlowOptions::read(Option);
    if (What.Accesses) {
      Check = ContainerCheck;
      What.ContainerTypes = Option("ContainerTypes").value_or("");
      // Read as the check reads it: with its prefix only.
      if (auto It = Options.CheckOptions.find(
              (ContainerCheck + ".ReportUnlockedEmptinessChecks").str());
          It != Options.CheckOptions.end()) {
        llvm::StringRef V = It->getValue().Value;
        What.ReportEmptinessTests = V.equals_insensitive("true") || V == "1";
      }
      if (auto It = Options.CheckOptions.find(
              (ContainerCheck + ".ReportUnguardedMembers").str());
          It != Options.CheckOptions.end()) {
        llvm::StringRef V = It->getValue().Value;
        What.ReportUnguardedMembers = V.equals_insensitive("true") || V == "1";
      }
      if (auto It = Options.CheckOptions.find(
              (ContainerCheck + ".ReportModeConditionalLocks").str());
          It != Options.CheckOptions.end()) {
        llvm::StringRef V = It->getValue().Value;
        What.ReportModeConditionalLocks =
            V.equals_insensitive("true") || V == "1";
      }
    }
    Result.Summary = std::make_shared<TUSummary>(
        summarize(FlowContext::get(Ctx, Opts), What));
  }

private:
  const ClangTidyOptions &Options;
  SummaryOptions What;
  TUResult &Result;
};

/// Whether every checker in \p Checkers is one of pitfall's.
bool onlyPitfallCheckers(const std::vector<std::string> &Checkers) {
  return llvm::all_of(Checkers, [](const std::string &C) {
    return llvm::is_contained(pitfallAnalyzerCheckers(), C);
  });
}

class ScanAction : public ASTFrontendAction {
public:
  ScanAction(ClangTidyASTConsumerFactory &Factory, ClangTidyContext &Context,
             ScanOptionsProvider &Provider,
             std::vector<std::string> AnalyzerCheckers,
             const ClangTidyOptions &Options, const GateOptions &Gate,
             std::vector<PendingFlow> &Flows, const Severities &Levels,
             TUResult &Result, std::function<void()> BeforeAnalyzer)
      : Factory(Factory), Context(Context), Provider(Provider),
        AnalyzerCheckers(std::move(AnalyzerCheckers)), Options(Options),
        Gate(Gate), Flows(Flows), Levels(Levels), Result(Result),
        BeforeAnalyzer(std::move(BeforeAnalyzer)) {}

  std::unique_ptr<ASTConsumer>
  CreateASTConsumer(CompilerInstance &CI, llvm::StringRef File) override {
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Provider.setHideAnalyzer(true);
    Consumers.push_back(std::make_unique<TimedConsumer>(
        Factory.createASTConsumer(CI, File), Result.Stats.Tidy));
    Provider.setHideAnalyzer(false);
    // After the checks: the summary reuses what they computed.
    GlobList Enabled(Options.Checks.value_or(""));
    SummaryOptions What;
    What.Acquisitions = Enabled.contains(LockOrderCheck);
    What.Accesses = Enabled.contains(ContainerCheck);
    What.HeaderFilter = Options.HeaderFilterRegex;
    What.ExcludeHeaderFilter = Options.ExcludeHeaderFilterRegex;
    if (What.Acquisitions || What.Accesses)
      Consumers.push_back(std::make_unique<TimedConsumer>(
          std::make_unique<SummaryConsumer>(Options, std::move(What), Result),
          Result.Stats.Tidy));
    Context.setCurrentFile(File); // re-reads the options, analyzer included
    if (!AnalyzerCheckers.empty()) {
      AnalyzerOptions &AO = CI.getAnalyzerOpts();
      AO.CheckersAndPackages.clear();
      for (const std::string &C : AnalyzerCheckers)
        AO.CheckersAndPackages.emplace_back(C, true);
      // One policy for both front ends: the tidy check's option, unless the
      // analyzer's own is given.
      if (auto It = Options.CheckOptions.find(
              "pitfall-unjoined-thread.ReportProcessLifetimeThreads");
          It != Options.CheckOptions.end()) {
        llvm::StringRef V = It->getValue().Value;
        AO.Config["pitfall.ThreadJoin:ReportProcessLifetimeThreads"] =
            V.equals_insensitive("true") || V == "1" ? "true" : "false";
      }
      if (auto It = Options.CheckOptions.find(
              "pitfall-unjoined-thread.ReportThrowPaths");
          It != Options.CheckOptions.end())
        AO.Config["pitfall.ThreadJoin:ReportThrowPaths"] = It->getValue().Value;
      // The check's own value, else the global one (as the check reads it).
      for (llvm::StringRef Key :
           {"pitfall-unjoined-thread.AssertionMacros", "AssertionMacros"})
        if (auto It = Options.CheckOptions.find(Key);
            It != Options.CheckOptions.end()) {
          AO.Config["pitfall.ThreadJoin:AssertionMacros"] =
              It->getValue().Value;
          break;
        }
      for (const auto &Option : Options.CheckOptions) {
        llvm::StringRef K = Option.getKey();
        if (K.consume_front("clang-analyzer-"))
          AO.Config[K] = Option.getValue().Value;
      }
      AO.AnalysisDiagOpt = PD_NONE;
      compat::setEagerlyAssume(AO);
      std::unique_ptr<ento::AnalysisASTConsumer> Analysis =
          ento::CreateAnalysisConsumer(CI);
      Analysis->AddCheckerRegistrationFn(pitfall::registerAnalyzerCheckers);
      compat::addPathDiagnosticConsumer(
          *Analysis, std::make_unique<AnalyzerReports>(Context, Flows, Levels));
      if (BeforeAnalyzer)
        Consumers.push_back(
            std::make_unique<AtTranslationUnitEnd>(BeforeAnalyzer));
      GateOptions TUGate = Gate;
      TUGate.Filter = Gate.Filter && onlyPitfallCheckers(AnalyzerCheckers);
      Consumers.push_back(std::make_unique<TimedConsumer>(
          gateAnalysis(std::move(Analysis), AO, TUGate, Result.Stats),
          Result.Stats.Analyzer));
    }
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

  void EndSourceFileAction() override {
    // Every file this TU read, for the cache.
    const SourceManager &SM = getCompilerInstance().getSourceManager();
    for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
      // The path as the file system resolves it: a lexical ".." after a
      // symbolic link (/lib -> usr/lib) would name another file.
      llvm::SmallString<256> Path(It->first.getName());
      llvm::sys::fs::make_absolute(Path);
      llvm::SmallString<256> Real;
      if (!llvm::sys::fs::real_path(Path, Real))
        Path = Real;
      else
        llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      std::string Hash;
      if (std::optional<llvm::MemoryBufferRef> Buf =
              It->second->getBufferIfLoaded())
        Hash = contentHash(Buf->getBuffer());
      else if (auto B = llvm::MemoryBuffer::getFile(Path))
        Hash = contentHash((*B)->getBuffer());
      Result.Inputs.emplace_back(std::string(Path), Hash);
    }
    llvm::sort(Result.Inputs);
    Result.Inputs.erase(std::unique(Result.Inputs.begin(), Result.Inputs.end()),
                        Result.Inputs.end());
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  ClangTidyContext &Context;
  ScanOptionsProvider &Provider;
  std::vector<std::string> AnalyzerCheckers;
  const ClangTidyOptions &Options;
  const GateOptions Gate;
  std::vector<PendingFlow> &Flows;
  const Severities &Levels;
  TUResult &Result;
  std::function<void()> BeforeAnalyzer;
};

class ScanActionFactory : public tooling::FrontendActionFactory {
public:
  explicit ScanActionFactory(
      std::function<std::unique_ptr<FrontendAction>()> Make)
      : Make(std::move(Make)) {}

  std::unique_ptr<FrontendAction> create() override { return Make(); }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang --analyze and clang-tidy do: code may test __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps), DiagConsumer);
  }

private:
  std::function<std::unique_ptr<FrontendAction>()> Make;
};

Edit toEdit(const tooling::Replacement &R) {
  Edit E;
  E.File = R.getFilePath().str();
  E.Offset = R.getOffset();
  E.Length = R.getLength();
  E.Text = R.getReplacementText().str();
  offsetToLineColumn(E.File, E.Offset, E.Line, E.Column);
  offsetToLineColumn(E.File, E.Offset + E.Length, E.EndLine, E.EndColumn);
  return E;
}

Location toLocation(const tooling::DiagnosticMessage &M) {
  Location L;
  L.File = M.FilePath;
  if (!L.File.empty())
    offsetToLineColumn(L.File, M.FileOffset, L.Line, L.Column);
  return L;
}

std::string absolute(llvm::StringRef Path, llvm::StringRef Dir) {
  llvm::SmallString<256> P;
  if (llvm::sys::path::is_absolute(Path)) {
    P = Path;
  } else {
    P = Dir;
    llvm::sys::path::append(P, Path);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// Turns the diagnostics of \p Job's TU into findings of \p Result (with
/// the analyzer's paths from \p Flows and the severities from \p Levels),
/// and compiler errors into \p ParseFailure's errors.
void collectFindings(const std::vector<ClangTidyError> &Errors,
                     const CompileJob &Job, const Severities &Levels,
                     std::vector<PendingFlow> &Flows, TUResult &Result,
                     Failure &ParseFailure) {
  for (const ClangTidyError &E : Errors) {
    Location Loc = toLocation(E.Message);
    Loc.File = Loc.File.empty() ? Job.File : absolute(Loc.File, Job.Directory);
    if (!E.Message.FilePath.empty())
      offsetToLineColumn(Loc.File, E.Message.FileOffset, Loc.Line, Loc.Column);
    if (E.DiagnosticName == "clang-diagnostic-error" ||
        (E.DiagLevel == tooling::Diagnostic::Error &&
         llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-"))) {
      ParseFailure.Errors.push_back({Loc, E.Message.Message});
      continue;
    }
    Finding F;
    F.Check = E.DiagnosticName;
    // A pitfall check's severity (its diagnostic is a warning); another
    // check's diagnostic level. WarningsAsErrors makes either an error.
    bool AsError =
        E.DiagLevel == tooling::Diagnostic::Error || E.IsWarningAsError;
    F.Level = AsError ? Severity::Error
                      : Levels
                            .find(E.DiagnosticName, E.Message.FilePath,
                                  E.Message.FileOffset)
                            .value_or(Severity::Warning);
    F.Message = E.Message.Message;
    F.Loc = std::move(Loc);
    auto AddFixes = [&](const tooling::DiagnosticMessage &M,
                        std::vector<Edit> &Fixes) {
      for (const auto &[File, Reps] : M.Fix)
        for (const tooling::Replacement &R : Reps) {
          Edit Ed = toEdit(R);
          Ed.File = absolute(Ed.File, Job.Directory);
          offsetToLineColumn(Ed.File, Ed.Offset, Ed.Line, Ed.Column);
          offsetToLineColumn(Ed.File, Ed.Offset + Ed.Length, Ed.EndLine,
                             Ed.EndColumn);
          Fixes.push_back(std::move(Ed));
        }
    };
    for (const tooling::DiagnosticMessage &N : E.Notes) {
      Location NL = toLocation(N);
      if (!NL.File.empty()) {
        NL.File = absolute(NL.File, Job.Directory);
        offsetToLineColumn(NL.File, N.FileOffset, NL.Line, NL.Column);
      }
      F.Notes.push_back({std::move(NL), N.Message, {}});
      AddFixes(N, F.Notes.back().Fixes);
    }
    AddFixes(E.Message, F.Fixes);
    // An analyzer report: attach its path.
    for (PendingFlow &Flow : Flows) {
      if (Flow.Check != F.Check || Flow.Offset != E.Message.FileOffset ||
          Flow.Message != F.Message ||
          absolute(Flow.File, Job.Directory) != F.Loc.File)
        continue;
      F.From = Origin::Analyzer;
      F.AnalyzerChecker = Flow.Checker;
      if (!AsError && Flow.Level)
        F.Level = *Flow.Level;
      F.Flow = std::move(Flow.Events);
      Flow.Check.clear();
      break;
    }
    Result.Findings.push_back(std::move(F));
  }
}

} // namespace

TUResult analyzeTranslationUnit(
    const CompileJob &Job, const AnalysisConfig &Config,
    llvm::function_ref<void(const TUResult &)> BeforeAnalyzer) {
  TUResult Result;
  if (!Config.CrashOnRegex.empty() &&
      llvm::Regex(Config.CrashOnRegex).match(Job.File)) {
    // A real fault (not raise()): LLVM's handler returns, the access repeats.
    volatile int *Null = nullptr;
    *Null = 1;
  }

  if (::chdir(Job.Directory.c_str()) != 0) {
    Result.Failures.push_back(
        {Job.File, "no-input", "cannot enter directory " + Job.Directory, {}});
    return Result;
  }
  if (!llvm::sys::fs::exists(Job.File)) {
    Result.Failures.push_back(
        {Job.File, "no-input", "source file not found", {}});
    return Result;
  }

  ClangTidyOptions Options = optionsFor(Job.File, Config);
  std::vector<std::string> AnalyzerCheckers = analyzerCheckersFor(Options);

  auto ProviderOwner =
      std::make_unique<ScanOptionsProvider>(Config, /*HideAnalyzer=*/false);
  ScanOptionsProvider &Provider = *ProviderOwner;
  ClangTidyContext Context(std::move(ProviderOwner));
  ClangTidyDiagnosticConsumer Diags(Context, nullptr,
                                    /*RemoveIncompatibleErrors=*/true,
                                    /*GetFixesFromNotes=*/false);
  std::unique_ptr<DiagnosticsEngine> Engine =
      compat::attachDiagnosticsEngine(Context, Diags);
  ClangTidyASTConsumerFactory Factory(Context);

  std::vector<PendingFlow> Flows;
  Severities Levels;
  ScopedSeverityRecorder RecordLevels(Levels);
  ErrorUseLog Uses;
  ScopedErrorUseRecorder RecordUses(Uses);
  // The tidy checks' diagnostics, taken before the analyzer runs when the
  // caller wants them then.
  std::vector<ClangTidyError> TidyErrors;
  std::function<void()> TakeTidyFindings;
  if (BeforeAnalyzer)
    TakeTidyFindings = [&] {
      TidyErrors = Diags.take();
      TUResult Tidy;
      Failure ParseFailure{Job.File, "parse-error", "", {}};
      collectFindings(TidyErrors, Job, Levels, Flows, Tidy, ParseFailure);
      Uses.attachTo(Tidy, Job.File);
      BeforeAnalyzer(Tidy);
    };
  GateOptions Gate;
  Gate.Filter = Config.AnalysisFilter;
  Gate.NodeBudget = Config.AnalyzerBudget;
  Gate.SystemInlining = Config.SystemInlining;
  ScanActionFactory ActionFactory([&] {
    return std::make_unique<ScanAction>(Factory, Context, Provider,
                                        AnalyzerCheckers, Options, Gate, Flows,
                                        Levels, Result, TakeTidyFindings);
  });
  llvm::IntrusiveRefCntPtr<FileManager> Files(
      new FileManager(FileSystemOptions(), llvm::vfs::getRealFileSystem()));
  tooling::ToolInvocation Invocation(
      adjustedArguments(Job, Config), &ActionFactory, Files.get(),
      std::make_shared<PCHContainerOperations>());
  Invocation.setDiagnosticConsumer(&Diags);
  double Start = cpuSeconds();
  bool Ok = Invocation.run();
  // Parsing is what the consumers' whole-TU passes leave of the total.
  Result.Stats.Parse = std::max(0.0, cpuSeconds() - Start - Result.Stats.Tidy -
                                         Result.Stats.Analyzer);

  std::vector<ClangTidyError> Errors = std::move(TidyErrors);
  llvm::append_range(Errors, Diags.take());
  // clang-tidy's own errors (a NOLINT block opened and never closed:
  // clang-tidy-nolint) fail the invocation as a compiler error would; they
  // are findings, and the compiler processed the TU.
  bool TidyOwnError = llvm::any_of(Errors, [](const ClangTidyError &E) {
    return E.DiagLevel == ClangTidyError::Error &&
           llvm::StringRef(E.DiagnosticName).starts_with("clang-tidy-");
  });
  Failure ParseFailure{Job.File, "parse-error", "", {}};
  collectFindings(Errors, Job, Levels, Flows, Result, ParseFailure);
  Uses.attachTo(Result, Job.File);
  if (!ParseFailure.Errors.empty() || (!Ok && !TidyOwnError)) {
    ParseFailure.Detail =
        ParseFailure.Errors.empty()
            ? "the compiler could not process this translation unit"
            : std::to_string(ParseFailure.Errors.size()) +
                  " compiler error(s); findings may be incomplete";
    Result.Failures.push_back(std::move(ParseFailure));
  }
  if (Result.Stats.FunctionsOverBudget)
    Result.OverBudget.push_back({Job.File, Config.AnalyzerBudget,
                                 Result.Stats.FunctionsAnalysed,
                                 Result.Stats.FunctionsOverBudget});
  return Result;
}

} // namespace scan
} // namespace pitfall
