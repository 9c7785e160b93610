//===--- AnalyzerUtil.h - what pitfall's analyzer checkers share ---------===//
#ifndef PITFALL_ANALYZER_ANALYZERUTIL_H
#define PITFALL_ANALYZER_ANALYZERUTIL_H

#include "pitfall/Core/Severity.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ExplodedGraph.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/MemRegion.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SVals.h"
#include "llvm/Support/raw_ostream.h"

namespace pitfall {

/// The object an SVal designates (casts stripped), or null.
inline const clang::ento::MemRegion *objectRegion(clang::ento::SVal V) {
  const clang::ento::MemRegion *R = V.getAsRegion();
  return R ? R->StripCasts() : nullptr;
}

/// One entry of a checker's tracked regions: a region, or `key -> value`.
inline void printEntry(llvm::raw_ostream &Out,
                       const clang::ento::MemRegion *R) {
  Out << R;
}
template <typename K, typename V>
void printEntry(llvm::raw_ostream &Out, const std::pair<K, V> &E) {
  Out << E.first << " -> " << E.second;
}

/// Prints a checker's set (or map) of tracked regions for
/// -analyzer-checker-debug dumps: a title line, then one entry a line.
template <typename Set>
void printRegions(llvm::raw_ostream &Out, const Set &Regions,
                  llvm::StringRef Title, const char *NL, const char *Sep) {
  if (Regions.isEmpty())
    return;
  Out << Sep << Title << NL;
  for (const auto &E : Regions) {
    printEntry(Out, E);
    Out << NL;
  }
}

/// The severity of a report at the error node \p N: an error when the path
/// from the entry of the analysed function to \p N took no branch of the
/// program's own code that the engine could not decide (no node on it, in a
/// function outside system headers, has another successor: every execution
/// reaches the report), a warning when it depends on a condition, a loop's
/// trip count or a call's outcome. Branches inside inlined library code
/// (a std::unique_ptr's null test in std::thread's constructor) are the
/// library's business, not the program's. The node \p N was generated from
/// is skipped: its other successors are the reporting checker's own.
inline Severity pathSeverity(const clang::ento::ExplodedNode *N,
                             const clang::SourceManager &SM) {
  const clang::ento::ExplodedNode *From = N ? N->getFirstPred() : nullptr;
  for (const clang::ento::ExplodedNode *P = From ? From->getFirstPred()
                                                 : nullptr;
       P; P = P->getFirstPred()) {
    if (P->succ_size() < 2)
      continue;
    const clang::Decl *D = P->getLocationContext()->getDecl();
    if (!D || !SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return Severity::Warning;
  }
  return Severity::Error;
}

/// Emits \p R, recording its severity \p S (see Core/Severity.h).
inline void emitWithSeverity(clang::ento::BugReporter &BR,
                             std::unique_ptr<clang::ento::BugReport> R,
                             Severity S) {
  clang::ento::PathDiagnosticLocation Loc = R->getLocation();
  if (Loc.isValid())
    recordSeverity(R->getBugType().getCheckerName(), BR.getSourceManager(),
                   Loc.asLocation(), S);
  BR.emitReport(std::move(R));
}

} // namespace pitfall

#endif
