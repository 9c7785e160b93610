//===--- Report.h - pitfall-scan's output formats, baselines, fixes -------===//
#ifndef PITFALL_SCAN_REPORT_H
#define PITFALL_SCAN_REPORT_H

#include "pitfall/Scan/Finding.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <string>

namespace pitfall {
namespace scan {

/// clang-style: "file:line:col: warning: message [check]", the source line
/// and a caret, then the notes; failures as errors; a summary on \p Summary.
void writeText(const ScanResult &R, llvm::raw_ostream &OS);

/// What the outputs say of a TU whose analyzer budget was used up.
std::string budgetExhaustedMessage(const BudgetExhausted &B);

/// pitfall-scan's JSON (what `merge` and `--baseline` read back).
void writeJSON(const ScanResult &R, llvm::StringRef SourceRoot,
               llvm::raw_ostream &OS);

/// SARIF 2.1.0: one run; rules from the check list (help text, docs links);
/// %SRCROOT%-relative URIs; partialFingerprints; codeFlows for analyzer
/// paths; fixes. Each result also carries pitfall's own JSON of the finding
/// in its property bag, so SARIF files merge and baseline losslessly.
void writeSARIF(const ScanResult &R, llvm::StringRef SourceRoot,
                llvm::raw_ostream &OS);

/// GitHub Actions workflow commands ("::warning file=…,line=…::…").
void writeGitHub(const ScanResult &R, llvm::StringRef SourceRoot,
                 llvm::raw_ostream &OS);

/// clang-tidy's --fix-notes: a finding without fix-its of its own takes
/// those of its note, if exactly one note has some.
void takeFixesFromNotes(ScanResult &R);

/// clang-apply-replacements YAML of every finding with fix-its.
void writeExportFixes(const ScanResult &R, llvm::raw_ostream &OS);

/// What applyFixes did.
struct FixSummary {
  unsigned Applied = 0;   ///< fix-its written
  unsigned Conflicts = 0; ///< overlapping an earlier fix-it: not applied
  /// Files that could not be read or written (their fix-its not applied).
  std::vector<std::string> FailedFiles;
};

/// Applies the fix-its in place. Fixes overlapping an earlier applied fix
/// are not applied and are reported on \p Log, as is each file that cannot
/// be rewritten (not writable, disk full: the file is left as it was). Bytes
/// outside the replaced ranges are kept as they are.
FixSummary applyFixes(const ScanResult &R, llvm::raw_ostream &Log);

/// Reads a result written by writeJSON or writeSARIF (from any machine: paths
/// are resolved against \p SourceRoot). Returns false with \p Error.
bool readResult(llvm::StringRef Path, llvm::StringRef SourceRoot, ScanResult &R,
                std::string &Error);

/// Lines changed in the working tree since \p Rev, per absolute file (git
/// diff, run in \p Dir). Returns false with \p Error.
bool changedLines(
    llvm::StringRef Rev, llvm::StringRef Dir,
    llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> &Lines,
    std::string &Error);

} // namespace scan
} // namespace pitfall

#endif
