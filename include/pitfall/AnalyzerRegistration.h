//===--- AnalyzerRegistration.h -------------------------------------------===//
#ifndef PITFALL_ANALYZERREGISTRATION_H
#define PITFALL_ANALYZERREGISTRATION_H

namespace clang {
namespace ento {
class CheckerRegistry;
} // namespace ento
} // namespace clang

namespace pitfall {
/// Adds every checker of AnalyzerCheckers.def to \p Registry. Used by the
/// plugin's clang_registerCheckers and by pitfall-scan.
void registerAnalyzerCheckers(clang::ento::CheckerRegistry &Registry);
} // namespace pitfall

#endif
