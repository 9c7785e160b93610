//===--- AnalysisGate.h - the analyzer, on the functions that matter ------===//
//
// Puts an AnalysisFilter in front of the Static Analyzer when only pitfall's
// analyzer checkers run: a TU in which no top-level function may reach a
// thread or channel operation is not analysed at all, and in the others a
// small checker ends the exploration of every top-level function that
// cannot reach one as it begins. The analyzer's own choice and order of
// top-level functions, and its inlining, are unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_ANALYSISGATE_H
#define PITFALL_SCAN_ANALYSISGATE_H

#include "pitfall/Scan/Finding.h"

#include <memory>

namespace clang {
class AnalyzerOptions;
class ASTConsumer;
namespace ento {
class AnalysisASTConsumer;
} // namespace ento
} // namespace clang

namespace pitfall {
namespace scan {

/// Wraps \p Analysis (not yet initialized; \p Options are its options, with
/// its checkers chosen) so that it explores only the functions an
/// AnalysisFilter keeps; counts what it skipped in \p Stats, which must
/// outlive the consumer.
std::unique_ptr<clang::ASTConsumer>
gateAnalysis(std::unique_ptr<clang::ento::AnalysisASTConsumer> Analysis,
             clang::AnalyzerOptions &Options, TUStats &Stats);

} // namespace scan
} // namespace pitfall

#endif
