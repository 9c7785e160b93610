//===--- Finding.h - pitfall-scan's result model --------------------------===//
//
// What one scan produces: findings (from the clang-tidy checks and the
// analyzer checkers, merged), and the translation units that could not be
// scanned completely. Both serialize to the JSON that workers hand to the
// driver, that `--format=json` writes and that `merge` / `--baseline` read.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_FINDING_H
#define PITFALL_SCAN_FINDING_H

#include "pitfall/Core/Severity.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <string>
#include <vector>

namespace pitfall {
namespace scan {

struct TUSummary; // WholeProgram.h

/// A point in a file. File is absolute; Line and Column are 1-based
/// (Column counts bytes, as clang does).
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// One replacement of a fix-it, in a file's byte offsets.
struct Edit {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  // Derived from the offsets (for SARIF and the text output).
  unsigned Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
};

/// A note, or one step of an analyzer path.
struct Event {
  Location Loc;
  std::string Message;
  /// A note's own fix-its (shown with it; applied by --fix-notes).
  std::vector<Edit> Fixes;
};

enum class Origin : unsigned { Tidy = 1, Analyzer = 2, Both = 3 };

struct Finding {
  std::string Check; ///< rule id: "pitfall-unjoined-thread", "bugprone-…"
  /// pitfall's checks: the check's severity for this finding (a warning
  /// configured as an error with WarningsAsErrors is an error); other
  /// checks: the diagnostic's level.
  Severity Level = Severity::Warning;
  std::string Message; ///< without the trailing " [check]"
  Location Loc;
  std::vector<Event> Notes;
  std::vector<Event> Flow; ///< analyzer path events (SARIF codeFlows)
  std::vector<Edit> Fixes;
  Origin From = Origin::Tidy;
  std::string AnalyzerChecker; ///< the analyzer checker that found it, if any
  /// Stable identity for baselines: independent of the line number.
  std::string Fingerprint;
};

/// A translation unit that was not scanned completely.
struct Failure {
  std::string File;          ///< the TU's main file
  std::string Reason;        ///< "parse-error", "crash", "timeout", "no-input"
  std::string Detail;        ///< one line
  std::vector<Event> Errors; ///< compiler errors, for parse errors
};

/// A TU whose path-sensitive analysis used up its budget
/// (--analyzer-budget): the top-level functions not yet explored were
/// skipped; the findings made (the tidy checks' and the analyzer's so far)
/// are kept.
struct BudgetExhausted {
  std::string File;               ///< the TU's main file
  uint64_t Budget = 0;            ///< exploded-graph nodes
  unsigned FunctionsAnalysed = 0; ///< top-level functions explored
  unsigned FunctionsSkipped = 0;  ///< not explored for the budget
};

/// Where the analysis of TUs spent its time (seconds of the worker
/// processes) and how much path-sensitive analysis ran.
struct TUStats {
  double Parse = 0;    ///< preprocessing, parsing, semantic analysis
  double Tidy = 0;     ///< the clang-tidy checks' matching on the whole AST
  double Analyzer = 0; ///< the Static Analyzer (path-sensitive checkers)
  /// Top-level functions the analyzer explored / skipped as unable to reach
  /// a thread or channel operation (see AnalysisFilter.h).
  unsigned FunctionsAnalysed = 0, FunctionsSkipped = 0;
  /// Top-level functions not explored because the TU's node budget was used
  /// up, and the exploded-graph nodes of the functions explored.
  unsigned FunctionsOverBudget = 0;
  uint64_t AnalyzerNodes = 0;
  /// Calls into system headers evaluated without inlining them (see
  /// AnalysisFilter::mayEvaluateWithoutInlining).
  uint64_t CallsNotInlined = 0;
  /// TUs in which no function could reach one: the analyzer did not run.
  unsigned AnalyzerSkippedTUs = 0;
  /// TUs the analyzer ran on without the filter (other analyzer checkers
  /// enabled, Objective-C).
  unsigned AnalyzerUnfilteredTUs = 0;

  TUStats &operator+=(const TUStats &O);
};

/// What the worker for one TU reports.
struct TUResult {
  std::vector<Finding> Findings;
  std::vector<Failure> Failures;
  std::vector<BudgetExhausted> OverBudget;
  /// Every file the TU read (absolute) with a content hash: the cache checks
  /// them before replaying the findings.
  std::vector<std::pair<std::string, std::string>> Inputs;
  TUStats Stats;
  /// What the TU contributes to the whole-program link step (WholeProgram.h);
  /// null when pitfall-lock-order-inversion is not enabled for the TU.
  std::shared_ptr<const TUSummary> Summary;
};

/// The whole scan.
/// What the whole-program link left out for its budgets (LinkLimits in
/// WholeProgram.h).
struct LinkReport {
  /// Threads (a task, a starter's call, the program's own entry points)
  /// whose call trees were cut, and the budgets they were cut at.
  unsigned CutThreads = 0;
  uint64_t PerThread = 0, Total = 0;
};

struct ScanResult {
  std::vector<Finding> Findings;
  std::vector<Failure> Failures;
  std::vector<BudgetExhausted> OverBudget;
  unsigned TranslationUnits = 0;
  unsigned CachedTranslationUnits = 0;
  /// Analysed by a worker in this scan, completely.
  unsigned AnalysedTranslationUnits = 0;
  /// Summed over the TUs analysed in this scan (not those from the cache).
  TUStats Stats;
  /// The TUs' summaries (cached ones included), until the link step
  /// (linkWholeProgram) consumes them; a shard's output carries them to
  /// `merge`.
  std::vector<std::shared_ptr<const TUSummary>> Summaries;
  /// The link's budget for call trees (LinkLimits::MaxReachedPerThread and
  /// MaxReachedTotal both, --link-budget); 0: the defaults.
  uint64_t LinkBudget = 0;
  /// What the link left out for its budgets.
  LinkReport Link;
};

llvm::StringRef originName(Origin O);

/// JSON of one finding / failure. Files are written relative to \p SourceRoot
/// when they are under it (an empty root keeps them absolute).
llvm::json::Value toJSON(const Finding &F, llvm::StringRef SourceRoot);
llvm::json::Value toJSON(const Failure &F, llvm::StringRef SourceRoot);
llvm::json::Value toJSON(const BudgetExhausted &B, llvm::StringRef SourceRoot);
llvm::json::Value toJSON(const TUResult &R);
/// The inverse; relative files are resolved against \p SourceRoot.
bool fromJSON(const llvm::json::Value &V, Finding &F,
              llvm::StringRef SourceRoot);
bool fromJSON(const llvm::json::Value &V, Failure &F,
              llvm::StringRef SourceRoot);
bool fromJSON(const llvm::json::Value &V, BudgetExhausted &B,
              llvm::StringRef SourceRoot);
bool fromJSON(const llvm::json::Value &V, TUResult &R);

/// Sorts by file, line, column, check, message and drops exact duplicates
/// (a header's finding reported by every TU that includes it). Findings of
/// the same check on the same line, one from each front end, become one.
/// The severity of duplicates is the highest; of a pair of front ends' the
/// clang-tidy check's.
void normalize(std::vector<Finding> &Findings);
void normalize(std::vector<Failure> &Failures);
void normalize(std::vector<BudgetExhausted> &OverBudget);

/// Fills Finding::Fingerprint: a hash of the check, the file relative to
/// \p SourceRoot, the message, the text of the flagged line (whitespace
/// trimmed) and the index among identical such tuples in the file. Moving
/// code up or down keeps fingerprints. \p Findings must be normalized.
void computeFingerprints(std::vector<Finding> &Findings,
                         llvm::StringRef SourceRoot);

/// \p File relative to \p Root if it is inside it, else unchanged.
std::string relativeTo(llvm::StringRef File, llvm::StringRef Root);
/// \p Path resolved against \p Root if relative.
std::string resolveAgainst(llvm::StringRef Path, llvm::StringRef Root);

/// Line \p Line (1-based) of \p File, without the line break; "" if absent.
/// Files are read once and kept.
llvm::StringRef sourceLine(llvm::StringRef File, unsigned Line);
/// Converts a byte offset of \p File to a 1-based line and column.
bool offsetToLineColumn(llvm::StringRef File, unsigned Offset, unsigned &Line,
                        unsigned &Column);
/// The inverse of offsetToLineColumn.
bool lineColumnToOffset(llvm::StringRef File, unsigned Line, unsigned Column,
                        unsigned &Offset);

} // namespace scan
} // namespace pitfall

#endif
