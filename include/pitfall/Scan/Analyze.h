//===--- Analyze.h - one translation unit, one parse, both front ends -----===//
#ifndef PITFALL_SCAN_ANALYZE_H
#define PITFALL_SCAN_ANALYZE_H

#include "pitfall/Scan/Finding.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pitfall {
namespace scan {

/// One entry of the compilation database, ready to run.
struct CompileJob {
  std::string File;                   ///< absolute
  std::string Directory;              ///< absolute
  std::vector<std::string> Arguments; ///< argv, compiler first
  /// Why the command cannot be run (a response file that includes itself);
  /// the TU is reported as not scanned.
  std::string CommandError;
};

/// The default of --analyzer-budget: exploded-graph nodes per TU.
inline constexpr uint64_t DefaultAnalyzerBudget = 2'000'000;

/// How every TU is analysed (the command line's view of the configuration).
struct AnalysisConfig {
  std::optional<std::string> Checks;       ///< --checks, appended to the files'
  std::optional<std::string> Config;       ///< --config / --config-file YAML
  std::optional<std::string> HeaderFilter; ///< --header-filter
  std::optional<bool> SystemHeaders;       ///< --system-headers
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;
  std::string ResourceDir; ///< clang's resource directory (builtin headers)
  /// Test hook (hidden option): a TU whose file matches this regex crashes
  /// the worker, to exercise crash isolation.
  std::string CrashOnRegex;
  /// When only pitfall's analyzer checkers run, explore only the functions
  /// that may reach a thread or channel operation (AnalysisGate.h). Off
  /// (hidden option) to show that the findings do not change.
  bool AnalysisFilter = true;
  /// The path-sensitive analysis budget of one TU, in exploded-graph nodes
  /// (see GateOptions::NodeBudget); 0: none.
  uint64_t AnalyzerBudget = DefaultAnalyzerBudget;
  /// Whether the analyzer inlines functions of the C++ standard library
  /// (-analyzer-config c++-stdlib-inlining). Off by default: pitfall's
  /// checkers model the standard functions they follow (std::swap and
  /// std::exchange of threads, std::ref, smart pointers to channels), and
  /// the engine no longer explores libstdc++'s internals. An
  /// -analyzer-config in the extra arguments still has the last word.
  bool StdlibInlining = false;
  /// Whether the analyzer inlines, in the functions the analysis filter
  /// keeps, the system headers' functions that cannot reach a thread or
  /// channel operation (GateOptions::SystemInlining). Off by default: they
  /// are evaluated without inlining.
  bool SystemInlining = false;
};

/// Runs the clang-tidy checks enabled for \p Job's file and the analyzer
/// checkers of the same hazards on one parse of the TU. Changes the current
/// directory: call it in a worker process. \p BeforeAnalyzer, if given,
/// receives the tidy checks' findings before the analyzer starts (what is
/// left if the analyzer does not finish).
TUResult analyzeTranslationUnit(
    const CompileJob &Job, const AnalysisConfig &Config,
    llvm::function_ref<void(const TUResult &)> BeforeAnalyzer = nullptr);

/// The arguments the TU is parsed with (syntax only, resource directory,
/// the configuration's extra arguments).
std::vector<std::string> adjustedArguments(const CompileJob &Job,
                                           const AnalysisConfig &Config);

/// A digest of everything besides the inputs that decides \p Job's findings:
/// the tool version, the adjusted command, the effective clang-tidy options
/// for the file and the enabled analyzer checkers.
std::string configurationDigest(const CompileJob &Job,
                                const AnalysisConfig &Config);

/// The enabled clang-tidy checks and analyzer checkers for \p File.
struct EnabledChecks {
  std::vector<std::string> TidyChecks;
  std::vector<std::string> AnalyzerCheckers; ///< full analyzer names
};
EnabledChecks enabledChecks(llvm::StringRef File, const AnalysisConfig &Config);

/// A stable content hash of \p Data (hex).
std::string contentHash(llvm::StringRef Data);

/// The clang-tidy name under which an analyzer checker's findings are
/// reported: the pitfall check of the same hazard (Checks.def), else
/// "clang-analyzer-<checker>" like clang-tidy.
std::string checkNameForAnalyzerChecker(llvm::StringRef Checker);

/// pitfall's own analyzer checkers (AnalyzerCheckers.def).
llvm::ArrayRef<llvm::StringRef> pitfallAnalyzerCheckers();

} // namespace scan
} // namespace pitfall

#endif
