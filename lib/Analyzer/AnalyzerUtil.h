//===--- AnalyzerUtil.h - what pitfall's analyzer checkers share ---------===//
#ifndef PITFALL_ANALYZER_ANALYZERUTIL_H
#define PITFALL_ANALYZER_ANALYZERUTIL_H

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

/// Prints a checker's set of tracked regions for -analyzer-checker-debug
/// dumps: a title line, then one region a line.
template <typename Set>
void printRegions(llvm::raw_ostream &Out, const Set &Regions,
                  llvm::StringRef Title, const char *NL, const char *Sep) {
  if (Regions.isEmpty())
    return;
  Out << Sep << Title << NL;
  for (const clang::ento::MemRegion *R : Regions)
    Out << R << NL;
}

} // namespace pitfall

#endif
