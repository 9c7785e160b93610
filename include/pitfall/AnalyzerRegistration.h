//===--- AnalyzerRegistration.h -------------------------------------------===//
#ifndef PITFALL_ANALYZERREGISTRATION_H
#define PITFALL_ANALYZERREGISTRATION_H

#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState_Fwd.h"

namespace clang {
namespace ento {
class CheckerRegistry;
} // namespace ento
} // namespace clang

namespace pitfall {
/// Adds every checker of AnalyzerCheckers.def to \p Registry. Used by the
/// plugin's clang_registerCheckers and by pitfall-scan.
void registerAnalyzerCheckers(clang::ento::CheckerRegistry &Registry);

/// Whether pitfall's checkers track the same thread and channel objects, in
/// the same states, in \p A and \p B (pitfall-scan evaluates a call without
/// inlining it only if that leaves them as they were).
bool sameTrackedObjects(clang::ento::ProgramStateRef A,
                        clang::ento::ProgramStateRef B);
} // namespace pitfall

#endif
