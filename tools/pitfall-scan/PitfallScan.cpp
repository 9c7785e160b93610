//===--- PitfallScan.cpp - the batch driver -------------------------------===//
//
//   pitfall-scan -p <build dir | compile_commands.json> [filters...] [options]
//   pitfall-scan merge -o OUT [--format=sarif|json|...] IN...
//
// Parses every translation unit of a compilation database once and runs the
// clang-tidy checks (pitfall's and any the user's .clang-tidy enables) and
// pitfall's analyzer checkers on it; writes text, SARIF, JSON or GitHub
// annotations. See docs/scan.md.
//
// Exit status: 0 clean, 1 findings, 2 usage or configuration error,
// 3 incomplete scan (a TU failed to parse, crashed or timed out).
//===----------------------------------------------------------------------===//
#include "pitfall/CheckList.h"
#include "pitfall/Scan/CodeQuality.h"
#include "pitfall/Scan/Driver.h"
#include "pitfall/Scan/FileIO.h"
#include "pitfall/Scan/HtmlReport.h"
#include "pitfall/Scan/Report.h"
#include "pitfall/Scan/WholeProgram.h"
#include "pitfall/Version.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>
#include <unistd.h>

using namespace llvm;
using namespace pitfall::scan;

// Kept linked: the static registrations of pitfall's clang-tidy module and
// of clang-tidy's modules (TidyModules.def is generated from the archives
// found next to libclangTidy.a).
extern volatile int PitfallModuleAnchorSource;
[[maybe_unused]] static int PitfallModuleAnchorDestination =
    PitfallModuleAnchorSource;
namespace clang::tidy {
#define PITFALL_TIDY_MODULE(Name)                                              \
  extern volatile int Name##ModuleAnchorSource;                                \
  [[maybe_unused]] static int Name##ModuleAnchorDestination =                  \
      Name##ModuleAnchorSource;
#include "TidyModules.def"
#undef PITFALL_TIDY_MODULE
} // namespace clang::tidy

namespace {

enum ExitCode { Clean = 0, Findings = 1, UsageError = 2, Incomplete = 3 };

cl::OptionCategory ScanCategory("pitfall-scan options");
cl::OptionCategory OutputCategory("Output options");
cl::OptionCategory GateCategory("Pull-request gating");

const char Overview[] =
    R"(pitfall-scan: clang-tidy checks and pitfall's analyzer checkers over a
compilation database, one parse per translation unit.

  pitfall-scan -p build/                       scan every TU, text to stdout
  pitfall-scan -p build/ src/net 'worker.*'    only these files/dirs/regexes
  pitfall-scan -p build/ --format=sarif -o pitfall.sarif --format=text
  pitfall-scan -p build/ --baseline main.sarif --diff=origin/main
  pitfall-scan -p build/ --shard 2/4 --format=json -o shard2.json
  pitfall-scan merge -o all.sarif shard1.json shard2.json ...

Checks come from the .clang-tidy files above each source (as clang-tidy
reads them; "Checks: pitfall-*" is the default), --checks and --config.
Exit status: 0 clean, 1 findings, 2 usage/configuration error,
3 incomplete scan (a TU failed to parse, crashed or timed out).
)";

cl::opt<std::string> BuildPath(
    "p",
    cl::desc(
        "Build directory containing compile_commands.json, or the file itself"),
    cl::value_desc("path"), cl::cat(ScanCategory));
cl::list<std::string> FileFilters(cl::Positional,
                                  cl::desc("[<file | directory | regex>...]"),
                                  cl::cat(ScanCategory));
// cl::Prefix: "-j2" as with make, ninja and run-clang-tidy, besides "-j 2".
cl::opt<unsigned> Jobs("j", cl::desc("Worker processes (default: all cores)"),
                       cl::init(0), cl::Prefix, cl::cat(ScanCategory));
cl::opt<std::string>
    Checks("checks",
           cl::desc("Comma-separated globs of checks, appended to the "
                    "configuration's\n(like clang-tidy's -checks)"),
           cl::init(""), cl::cat(ScanCategory));
cl::opt<std::string> Config("config",
                            cl::desc("Configuration in YAML (like clang-tidy's "
                                     "-config); replaces .clang-tidy files"),
                            cl::init(""), cl::cat(ScanCategory));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc(
        "Read the configuration from this file instead of .clang-tidy files"),
    cl::init(""), cl::cat(ScanCategory));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regex: report findings in headers whose path matches "
             "(overrides\nHeaderFilterRegex of the configuration)"),
    cl::init(""), cl::cat(ScanCategory));
cl::opt<bool> SystemHeaders("system-headers",
                            cl::desc("Report findings in system headers"),
                            cl::init(false), cl::cat(ScanCategory));
cl::opt<std::string> Exclude("exclude",
                             cl::desc("Regex: skip translation units and drop "
                                      "findings in files whose path matches"),
                             cl::init(""), cl::cat(ScanCategory));
cl::list<std::string> ExtraArgs(
    "extra-arg",
    cl::desc("Additional argument to append to the compiler command line"),
    cl::cat(ScanCategory));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before",
    cl::desc("Additional argument to prepend to the compiler command line"),
    cl::cat(ScanCategory));
cl::opt<unsigned>
    Timeout("timeout",
            cl::desc("Seconds after which the analysis of one translation unit "
                     "is abandoned\n(reported; the scan goes on). 0: no limit"),
            cl::init(0), cl::cat(ScanCategory));
cl::opt<uint64_t> AnalyzerBudget(
    "analyzer-budget",
    cl::desc("Exploded-graph nodes the path-sensitive analysis of one "
             "translation unit\nmay build; then its remaining top-level "
             "functions are skipped\n(reported; the findings made are kept). "
             "0: no limit"),
    cl::init(DefaultAnalyzerBudget), cl::cat(ScanCategory));
cl::opt<uint64_t> LinkBudget(
    "link-budget",
    cl::desc("Functions one thread's call tree, and all threads' trees "
             "together, may hold\nin the whole-program link (a function "
             "counts once per set of locks held\nand task states it is "
             "reached with); a tree cut at the budget is reported\n(what it "
             "holds is linked). 0: the defaults (200000 per thread, 2000000 "
             "in all)"),
    cl::init(0), cl::cat(ScanCategory));
cl::opt<bool> AnalyzerStdlibInlining(
    "analyzer-stdlib-inlining",
    cl::desc("Let the path-sensitive analysis inline the C++ standard "
             "library's\nfunctions (slower; by default it evaluates them "
             "without inlining,\nand pitfall's analyzer checkers model the "
             "ones they follow)"),
    cl::init(false), cl::cat(ScanCategory));
cl::opt<bool> AnalyzerSystemInlining(
    "analyzer-system-inlining",
    cl::desc("Let the path-sensitive analysis inline the system headers' "
             "functions\nthat cannot reach a thread or channel operation "
             "(slower; by default\nit evaluates them without inlining)"),
    cl::init(false), cl::cat(ScanCategory));
cl::opt<std::string>
    CacheDir("cache-dir",
             cl::desc("Keep results per translation unit here; unchanged TUs "
                      "are not analysed again"),
             cl::init(""), cl::cat(ScanCategory));
cl::opt<std::string> Shard(
    "shard",
    cl::desc("K/N: scan only the K-th of N deterministic shards of the TUs"),
    cl::init(""), cl::cat(ScanCategory));
cl::opt<bool> ListChecks(
    "list-checks",
    cl::desc("List the enabled checks and analyzer checkers and exit"),
    cl::init(false), cl::cat(ScanCategory));
cl::opt<bool> NoAnalysisFilter(
    "no-analysis-filter",
    cl::desc("Analyse every function path-sensitively, even when only "
             "pitfall's\nanalyzer checkers run (to compare the findings)"),
    cl::init(false), cl::Hidden, cl::cat(ScanCategory));
cl::opt<std::string>
    CrashOn("debug-crash-on",
            cl::desc("Test hook: crash the worker of TUs matching this regex"),
            cl::init(""), cl::Hidden, cl::cat(ScanCategory));

cl::list<std::string>
    Formats("format",
            cl::desc("Output format: text, sarif, json, github, html, "
                     "codequality.\nRepeat with -o for several outputs"),
            cl::cat(OutputCategory));
cl::list<std::string> Outputs(
    "o",
    cl::desc("Write the preceding --format to this file (default: stdout)"),
    cl::value_desc("file"), cl::cat(OutputCategory));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Root of the sources: SARIF %SRCROOT%, relative paths in reports "
             "and\nfingerprints (default: current directory)"),
    cl::init(""), cl::cat(OutputCategory));
cl::opt<std::string>
    ExportFixes("export-fixes",
                cl::desc("Write the fix-its as clang-apply-replacements YAML"),
                cl::value_desc("file"), cl::init(""), cl::cat(OutputCategory));
cl::opt<bool> Fix("fix",
                  cl::desc("Apply the fix-its in place (conflicting ones are "
                           "reported and skipped)"),
                  cl::init(false), cl::cat(OutputCategory));
cl::opt<bool> FixNotes(
    "fix-notes",
    cl::desc("Also apply the fix-it of a note when the warning has none and "
             "exactly\none of its notes has one (implies --fix)"),
    cl::init(false), cl::cat(OutputCategory));
cl::opt<bool> Quiet("quiet", cl::desc("No progress and no summary on stderr"),
                    cl::init(false), cl::cat(OutputCategory));
enum class ProgressChoice { Auto, Always, Never };
cl::opt<ProgressChoice> ProgressOpt(
    "progress",
    cl::desc("Progress on stderr (default auto: redrawn in place on a "
             "terminal,\notherwise a plain line per tenth of the TUs and at "
             "least every 30 s)"),
    cl::values(clEnumValN(ProgressChoice::Auto, "auto",
                          "in place on a terminal, plain lines otherwise"),
               clEnumValN(ProgressChoice::Always, "always",
                          "plain lines, even on a terminal"),
               clEnumValN(ProgressChoice::Never, "never", "none")),
    cl::init(ProgressChoice::Auto), cl::cat(OutputCategory));
cl::opt<unsigned> ProgressInterval(
    "progress-interval",
    cl::desc("Plain progress: the longest silence, in seconds"), cl::init(30),
    cl::Hidden, cl::cat(OutputCategory));
cl::opt<bool> Timings("timings",
                      cl::desc("Print where the time went (parse, tidy checks, "
                               "analyzer, driver)\nafter the summary"),
                      cl::init(false), cl::cat(OutputCategory));

cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("Earlier SARIF/JSON result: only findings not in it count"),
    cl::value_desc("file"), cl::init(""), cl::cat(GateCategory));
cl::opt<std::string> Diff(
    "diff",
    cl::desc(
        "Only findings on lines changed since REV (default HEAD), per git"),
    cl::value_desc("REV"), cl::ValueOptional, cl::init(""),
    cl::cat(GateCategory));

cl::opt<std::string> SeverityMin(
    "severity-min",
    cl::desc("Report only findings of this severity or higher: error "
             "(certain),\nwarning (likely), note (everything, the default); "
             "the others\ndo not count for the exit status"),
    cl::value_desc("level"), cl::init("note"), cl::cat(GateCategory));

struct OutputSpec {
  std::string Format;
  std::string File; ///< empty: stdout
};

bool knownFormat(StringRef F) {
  return F == "text" || F == "sarif" || F == "json" || F == "github" ||
         F == "html" || F == "codequality";
}

std::string formatForFile(StringRef File) {
  StringRef Ext = sys::path::extension(File);
  if (Ext == ".sarif")
    return "sarif";
  if (Ext == ".html")
    return "html";
  if (Ext == ".json")
    return "json";
  return "text";
}

/// Pairs each --format with the -o that follows it (before the next
/// --format). A -o without a --format before it takes its format from the
/// file's extension. Without any, text goes to stdout.
bool outputSpecs(std::vector<OutputSpec> &Specs, std::string &Error) {
  struct Item {
    unsigned Pos;
    bool IsFormat;
    std::string Value;
  };
  std::vector<Item> Items;
  for (unsigned I = 0; I != Formats.size(); ++I)
    Items.push_back({Formats.getPosition(I), true, Formats[I]});
  for (unsigned I = 0; I != Outputs.size(); ++I)
    Items.push_back({Outputs.getPosition(I), false, Outputs[I]});
  llvm::sort(Items, [](const Item &A, const Item &B) { return A.Pos < B.Pos; });
  for (const Item &It : Items) {
    if (It.IsFormat) {
      if (!knownFormat(It.Value)) {
        Error = "unknown --format '" + It.Value +
                "' (text, sarif, json, github, html, codequality)";
        return false;
      }
      Specs.push_back({It.Value, ""});
      continue;
    }
    if (!Specs.empty() && Specs.back().File.empty() &&
        Specs.back().Format != "")
      Specs.back().File = It.Value;
    else
      Specs.push_back({formatForFile(It.Value), It.Value});
  }
  if (Specs.empty())
    Specs.push_back({"text", ""});
  return true;
}

int usage(const Twine &Message) {
  errs() << "pitfall-scan: error: " << Message << "\n";
  return UsageError;
}

std::string currentDir() {
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

std::string absoluteRoot(StringRef Root) {
  SmallString<256> P(Root.empty() ? StringRef(currentDir()) : Root);
  sys::fs::make_absolute(P);
  sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  SmallString<256> Real;
  if (!sys::fs::real_path(P, Real))
    return std::string(Real);
  return std::string(P);
}

void writeFormat(const ScanResult &R, StringRef Root, StringRef Format,
                 raw_ostream &OS) {
  if (Format == "text")
    writeText(R, OS);
  else if (Format == "sarif")
    writeSARIF(R, Root, OS);
  else if (Format == "json")
    writeJSON(R, Root, OS);
  else if (Format == "github")
    writeGitHub(R, Root, OS);
  else if (Format == "html")
    writeHTMLReport(R, Root, OS);
  else if (Format == "codequality")
    writeCodeQualityReport(R, Root, OS);
}

/// Checks, before the scan, that every output file can be written.
bool checkOutputs(const std::vector<OutputSpec> &Specs,
                  StringRef ExportFixesFile) {
  std::vector<std::string> Files;
  for (const OutputSpec &S : Specs)
    if (!S.File.empty())
      Files.push_back(S.File);
  if (!ExportFixesFile.empty())
    Files.push_back(ExportFixesFile.str());
  for (const std::string &F : Files) {
    std::string Error;
    if (!checkWritable(F, Error)) {
      errs() << "pitfall-scan: error: cannot write " << F << ": " << Error
             << "\n";
      return false;
    }
  }
  return true;
}

/// Writes every output; a file that cannot be written is named and keeps
/// its previous content. False if any output failed.
bool writeOutputs(const ScanResult &R, StringRef Root,
                  const std::vector<OutputSpec> &Specs) {
  bool Ok = true;
  for (const OutputSpec &S : Specs) {
    std::string Error;
    if (S.File.empty()) {
      writeFormat(R, Root, S.Format, outs());
      if (!flushAndCheck(outs(), Error)) {
        errs() << "pitfall-scan: error: cannot write to standard output: "
               << Error << "\n";
        Ok = false;
      }
      continue;
    }
    if (!writeFileAtomically(
            S.File,
            [&](raw_ostream &OS) { writeFormat(R, Root, S.Format, OS); },
            Error)) {
      errs() << "pitfall-scan: error: cannot write " << S.File << ": " << Error
             << "\n";
      Ok = false;
    }
  }
  return Ok;
}

int exitCodeFor(const ScanResult &R) {
  if (!R.Failures.empty())
    return Incomplete;
  return R.Findings.empty() ? Clean : Findings;
}

void printVersion(raw_ostream &OS) {
  OS << "pitfall-scan version " << PITFALL_VERSION << "\n"
     << "  built with LLVM " << PITFALL_LLVM_VERSION_STRING << "\n";
}

/// Translation units with at least one failure.
size_t failedTranslationUnits(const ScanResult &R) {
  std::set<std::string> Files;
  for (const Failure &F : R.Failures)
    Files.insert(F.File);
  return Files.size();
}

std::string seconds(double S) {
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%.2f", S);
  return Buf;
}

/// The summary's second and later lines: what happened to each TU, the wall
/// time, the invalid entries of the database and the findings per check.
void printSummaryDetails(const ScanResult &R, const Database &DB,
                         std::chrono::steady_clock::time_point Start,
                         raw_ostream &OS) {
  double Wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  OS << "pitfall-scan: " << R.AnalysedTranslationUnits << " analysed, "
     << R.CachedTranslationUnits << " replayed from cache, "
     << failedTranslationUnits(R) << " failed; wall time " << seconds(Wall)
     << " s\n";
  for (const BudgetExhausted &B : R.OverBudget)
    OS << "pitfall-scan: " << B.File << ": " << budgetExhaustedMessage(B)
       << "\n";
  if (R.Link.CutThreads)
    OS << "pitfall-scan: whole-program link: the call trees of "
       << R.Link.CutThreads << " thread(s) were cut at the link's budget ("
       << R.Link.PerThread << " functions per thread, " << R.Link.Total
       << " in all; --link-budget): races and lock-order inversions deeper "
          "on their paths are not reported\n";
  if (!DB.Invalid.empty()) {
    OS << "pitfall-scan: invalid entries of the compilation database:";
    const size_t Shown = 10;
    for (size_t I = 0; I != DB.Invalid.size() && I != Shown; ++I)
      OS << (I ? ", " : " ") << DB.Invalid[I].File << " ("
         << DB.Invalid[I].Reason << ")";
    if (DB.Invalid.size() > Shown)
      OS << " and " << DB.Invalid.size() - Shown << " more";
    OS << "\n";
  }
  if (R.Findings.empty())
    return;
  std::map<std::string, unsigned> PerCheck;
  for (const Finding &F : R.Findings)
    ++PerCheck[F.Check];
  OS << "pitfall-scan: findings per check:";
  bool First = true;
  for (const auto &[Check, N] : PerCheck) {
    OS << (First ? " " : ", ") << Check << " " << N;
    First = false;
  }
  OS << "\n";
}

/// --timings: where the time went.
void printStats(const ScanResult &R, double LinkSeconds,
                double WholeProgramSeconds, bool Filtered, raw_ostream &OS) {
  const TUStats &S = R.Stats;
  OS << "pitfall-scan: time per phase, summed over the TUs analysed: parse "
     << seconds(S.Parse) << " s, tidy " << seconds(S.Tidy) << " s, analyzer "
     << seconds(S.Analyzer) << " s; link (merging and writing results) "
     << seconds(LinkSeconds) << " s, whole-program link "
     << seconds(WholeProgramSeconds) << " s\n";
  OS << "pitfall-scan: path-sensitive analysis: " << S.FunctionsAnalysed
     << " top-level function(s) analysed (" << S.AnalyzerNodes
     << " exploded-graph nodes)";
  if (S.FunctionsOverBudget)
    OS << ", " << S.FunctionsOverBudget << " over the analyzer budget";
  if (!Filtered) {
    OS << "; every function (--no-analysis-filter)\n";
    return;
  }
  OS << ", " << S.FunctionsSkipped << " skipped; " << S.AnalyzerSkippedTUs
     << " TU(s) without a thread or channel operation skipped";
  if (S.AnalyzerUnfilteredTUs)
    OS << "; " << S.AnalyzerUnfilteredTUs
       << " TU(s) analysed entirely (analyzer checkers other than pitfall's "
          "enabled)";
  OS << "; " << S.CallsNotInlined
     << " call(s) into system headers evaluated without inlining";
  OS << "\n";
}

//===----------------------------------------------------------------------===//
// merge
//===----------------------------------------------------------------------===//

int runMerge(int Argc, const char **Argv) {
  cl::ResetCommandLineParser();
  cl::OptionCategory MergeCategory("pitfall-scan merge options");
  cl::opt<std::string> Out("o", cl::desc("Output file"), cl::Required,
                           cl::cat(MergeCategory));
  cl::opt<std::string> Format(
      "format",
      cl::desc("sarif, json, text, github, html, codequality (default: from "
               "-o's extension)"),
      cl::init(""), cl::cat(MergeCategory));
  cl::opt<std::string> Root(
      "source-root",
      cl::desc("Root the inputs' relative paths are resolved against (default: "
               "current directory)"),
      cl::init(""), cl::cat(MergeCategory));
  cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                               cl::desc("<shard result (SARIF or JSON)>..."),
                               cl::cat(MergeCategory));
  cl::HideUnrelatedOptions(MergeCategory);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "pitfall-scan merge: combine the SARIF/JSON results of shards "
          "(--shard K/N)\ninto one, as if one scan had produced it.\n",
          &errs()))
    return UsageError;
  std::string RootDir = absoluteRoot(Root);
  ScanResult All;
  All.LinkBudget = LinkBudget;
  for (const std::string &In : Inputs) {
    std::string Error;
    if (!readResult(In, RootDir, All, Error))
      return usage(Error);
  }
  normalize(All.Findings);
  normalize(All.Failures);
  normalize(All.OverBudget);
  // The shards' summaries together are the whole program's.
  linkWholeProgram(All);
  All.Summaries.clear();
  computeFingerprints(All.Findings, RootDir);
  std::string F = Format.empty() ? formatForFile(Out) : Format.getValue();
  if (!knownFormat(F))
    return usage("unknown --format '" + F + "'");
  if (!checkOutputs({{F, Out}}, ""))
    return UsageError;
  if (!writeOutputs(All, RootDir, {{F, Out}}))
    return UsageError;
  return exitCodeFor(All);
}

} // namespace

int main(int Argc, const char **Argv) {
  auto Start = std::chrono::steady_clock::now();
  InitLLVM X(Argc, Argv);
  if (Argc > 1 && StringRef(Argv[1]) == "merge")
    return runMerge(Argc - 1, Argv + 1);

  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions({&ScanCategory, &OutputCategory, &GateCategory});
  if (!cl::ParseCommandLineOptions(Argc, Argv, Overview, &errs()))
    return UsageError;

  AnalysisConfig AC;
  if (!Checks.empty())
    AC.Checks = Checks;
  if (!Config.empty() && !ConfigFile.empty())
    return usage("--config and --config-file are mutually exclusive");
  if (!ConfigFile.empty()) {
    auto Buf = MemoryBuffer::getFile(ConfigFile);
    if (!Buf)
      return usage("cannot read --config-file " + ConfigFile + ": " +
                   Buf.getError().message());
    AC.Config = (*Buf)->getBuffer().str();
  } else if (!Config.empty()) {
    AC.Config = Config;
  }
  if (AC.Config) {
    llvm::ErrorOr<clang::tidy::ClangTidyOptions> Parsed =
        clang::tidy::parseConfiguration(MemoryBufferRef(*AC.Config, "config"));
    if (!Parsed)
      return usage("invalid configuration: " + Parsed.getError().message());
  }
  if (!HeaderFilter.empty())
    AC.HeaderFilter = HeaderFilter;
  for (const std::string *Re :
       {&HeaderFilter.getValue(), &Exclude.getValue(), &CrashOn.getValue()}) {
    std::string Err;
    if (!Re->empty() && !Regex(*Re).isValid(Err))
      return usage("invalid regular expression '" + *Re + "': " + Err);
  }
  if (SystemHeaders)
    AC.SystemHeaders = true;
  AC.ExtraArgs = ExtraArgs;
  AC.ExtraArgsBefore = ExtraArgsBefore;
  AC.CrashOnRegex = CrashOn;
  AC.AnalysisFilter = !NoAnalysisFilter;
  AC.AnalyzerBudget = AnalyzerBudget;
  AC.StdlibInlining = AnalyzerStdlibInlining;
  AC.SystemInlining = AnalyzerSystemInlining;
  AC.ResourceDir = PITFALL_CLANG_RESOURCE_DIR;

  if (ListChecks) {
    SmallString<256> Probe(currentDir());
    sys::path::append(Probe, "pitfall-scan-probe.cpp");
    EnabledChecks E = enabledChecks(Probe, AC);
    outs() << "Enabled checks:";
    for (const std::string &C : E.TidyChecks)
      outs() << "\n    " << C;
    outs() << "\n\nEnabled analyzer checkers:";
    for (const std::string &C : E.AnalyzerCheckers)
      outs() << "\n    " << C << " (reported as "
             << checkNameForAnalyzerChecker(C) << ")";
    outs() << "\n\n";
    return Clean;
  }

  std::vector<OutputSpec> Specs;
  std::string Error;
  if (!outputSpecs(Specs, Error))
    return usage(Error);
  std::optional<pitfall::Severity> MinLevel =
      pitfall::parseSeverity(SeverityMin);
  if (!MinLevel)
    return usage("--severity-min wants error, warning or note, got '" +
                 SeverityMin + "'");
  if (BuildPath.empty())
    return usage("no compilation database: pass -p <build dir or "
                 "compile_commands.json> (see --help)");

  unsigned ShardK = 1, ShardN = 1;
  if (Shard.getNumOccurrences()) {
    auto [K, N] = StringRef(Shard).split('/');
    if (K.getAsInteger(10, ShardK) || N.getAsInteger(10, ShardN) ||
        ShardN == 0 || ShardK == 0 || ShardK > ShardN)
      return usage("--shard wants K/N with 1 <= K <= N, got '" + Shard + "'");
  }

  std::string Root = absoluteRoot(SourceRoot);

  // Outputs and gates are checked before the (long) scan: a bad argument
  // fails fast.
  if (!checkOutputs(Specs, ExportFixes))
    return UsageError;
  std::set<std::string> BaselinePrints;
  if (!Baseline.empty()) {
    ScanResult Base;
    if (!readResult(Baseline, Root, Base, Error))
      return usage("--baseline: " + Error);
    for (const Finding &F : Base.Findings)
      if (!F.Fingerprint.empty())
        BaselinePrints.insert(F.Fingerprint);
  }
  StringMap<std::vector<std::pair<unsigned, unsigned>>> Changed;
  bool DiffGate = Diff.getNumOccurrences() > 0;
  if (DiffGate && !changedLines(Diff.empty() ? "HEAD" : Diff.getValue(), Root,
                                Changed, Error))
    return usage(Error);

  Database DB;
  if (!loadDatabase(BuildPath, DB, Error))
    return usage(Error);
  if (!selectJobs(DB.Jobs, FileFilters, Exclude, ShardK, ShardN, Error))
    return usage(Error);
  if (DB.Jobs.empty() && !FileFilters.empty() && ShardN == 1)
    return usage("no translation unit of the compilation database matches "
                 "the given files");

  RunOptions RO;
  RO.Jobs = Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency());
  RO.TimeoutSeconds = Timeout;
  RO.CacheDir = CacheDir;
  ProgressChoice P = ProgressOpt;
  if (Quiet && !ProgressOpt.getNumOccurrences())
    P = ProgressChoice::Never;
  RO.Progress = P == ProgressChoice::Never ? ProgressMode::Never
                : P == ProgressChoice::Always || !::isatty(STDERR_FILENO)
                    ? ProgressMode::Lines
                    : ProgressMode::Live;
  RO.ProgressSeconds = ProgressInterval;
  if (!RO.CacheDir.empty()) {
    SmallString<256> Abs(RO.CacheDir);
    sys::fs::make_absolute(Abs);
    RO.CacheDir = std::string(Abs);
  }

  ScanResult R = runScan(DB.Jobs, AC, RO);
  R.LinkBudget = LinkBudget;
  // The whole-program link step needs every TU: a shard keeps its TUs'
  // summaries in its output, and `merge` links them.
  double WholeProgramSeconds = 0;
  if (ShardN == 1) {
    auto WholeProgramStart = std::chrono::steady_clock::now();
    linkWholeProgram(R);
    R.Summaries.clear();
    WholeProgramSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      WholeProgramStart)
            .count();
  }
  auto LinkStart = std::chrono::steady_clock::now();
  computeFingerprints(R.Findings, Root);

  // Gates.
  unsigned InBaseline = 0, OffDiff = 0, BelowMin = 0;
  std::unique_ptr<Regex> ExcludeRe =
      Exclude.empty() ? nullptr : std::make_unique<Regex>(Exclude);
  std::vector<Finding> Kept;
  for (Finding &F : R.Findings) {
    if (ExcludeRe && ExcludeRe->match(F.Loc.File))
      continue;
    if (DiffGate) {
      auto It = Changed.find(F.Loc.File);
      bool OnChange =
          It != Changed.end() &&
          llvm::any_of(It->second, [&](const auto &Range) {
            return F.Loc.Line >= Range.first && F.Loc.Line <= Range.second;
          });
      if (!OnChange) {
        ++OffDiff;
        continue;
      }
    }
    if (BaselinePrints.count(F.Fingerprint)) {
      ++InBaseline;
      continue;
    }
    if (F.Level < *MinLevel) {
      ++BelowMin;
      continue;
    }
    Kept.push_back(std::move(F));
  }
  R.Findings = std::move(Kept);

  bool WriteFailed = !writeOutputs(R, Root, Specs);
  if (FixNotes)
    takeFixesFromNotes(R);
  if (!ExportFixes.empty()) {
    std::string Error;
    if (!writeFileAtomically(
            ExportFixes, [&](raw_ostream &OS) { writeExportFixes(R, OS); },
            Error)) {
      errs() << "pitfall-scan: error: cannot write " << ExportFixes << ": "
             << Error << "\n";
      WriteFailed = true;
    }
  }
  if (Fix || FixNotes) {
    FixSummary FS = applyFixes(R, errs());
    errs() << "pitfall-scan: applied " << FS.Applied << " fix-it(s)";
    if (FS.Conflicts)
      errs() << ", " << FS.Conflicts << " conflicting fix-it(s) not applied";
    if (!FS.FailedFiles.empty()) {
      errs() << "; " << FS.FailedFiles.size()
             << " file(s) could not be rewritten";
      WriteFailed = true;
    }
    errs() << "\n";
  }
  double LinkSeconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - LinkStart)
                           .count();

  if (!Quiet) {
    errs() << "pitfall-scan: " << R.Findings.size() << " finding(s) in "
           << R.TranslationUnits << " translation unit(s)";
    if (R.CachedTranslationUnits)
      errs() << ", " << R.CachedTranslationUnits << " from cache";
    if (InBaseline)
      errs() << ", " << InBaseline << " in baseline";
    if (OffDiff)
      errs() << ", " << OffDiff << " outside the diff";
    if (BelowMin)
      errs() << ", " << BelowMin << " below --severity-min";
    if (DB.Duplicates)
      errs() << ", " << DB.Duplicates << " duplicate entr"
             << (DB.Duplicates == 1 ? "y" : "ies") << " skipped";
    if (DB.NotCFamily)
      errs() << ", " << DB.NotCFamily << " non-C/C++ entr"
             << (DB.NotCFamily == 1 ? "y" : "ies") << " skipped";
    if (!DB.Invalid.empty())
      errs() << ", " << DB.Invalid.size() << " invalid entr"
             << (DB.Invalid.size() == 1 ? "y" : "ies") << " skipped";
    if (!R.Failures.empty())
      errs() << "; " << failedTranslationUnits(R)
             << " translation unit(s) NOT scanned completely";
    errs() << "\n";
    printSummaryDetails(R, DB, Start, errs());
    if (Timings)
      printStats(R, LinkSeconds, WholeProgramSeconds, !NoAnalysisFilter,
                 errs());
  }
  if (WriteFailed)
    return UsageError;
  return exitCodeFor(R);
}
