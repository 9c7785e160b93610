//===--- AnalysisGate.h - the analyzer, on the functions that matter ------===//
//
// Puts an AnalysisFilter in front of the Static Analyzer when only pitfall's
// analyzer checkers run: a TU in which no top-level function may reach a
// thread or channel operation is not analysed at all, and in the others a
// small checker ends the exploration of every top-level function that
// cannot reach one as it begins. The same checker keeps the TU within a
// budget of exploded-graph nodes: once the graphs of the functions explored
// hold that many nodes together, the remaining top-level functions are not
// explored. Inside the functions explored, a call into a system header's
// function that cannot reach a thread or channel operation is evaluated
// without inlining it (unless that would make pitfall's checkers forget a
// tracked object). The analyzer's own choice and order of top-level
// functions are unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_ANALYSISGATE_H
#define PITFALL_SCAN_ANALYSISGATE_H

#include "pitfall/Scan/Finding.h"

#include <cstdint>
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

/// What the gate lets the analyzer explore.
struct GateOptions {
  /// Only the top-level functions an AnalysisFilter keeps (valid only when
  /// pitfall's analyzer checkers are the only ones enabled).
  bool Filter = true;
  /// The TU's budget of exploded-graph nodes, summed over the top-level
  /// functions explored (the nodes each graph holds when its exploration
  /// ends); once it is used up, the remaining top-level functions are not
  /// explored. 0: no budget.
  uint64_t NodeBudget = 0;
  /// With the filter: inline the calls into system-header functions that
  /// cannot reach a thread or channel operation as the analyzer would. Off:
  /// they are evaluated without inlining, as calls whose body the analyzer
  /// does not see (AnalysisFilter::mayEvaluateWithoutInlining).
  bool SystemInlining = false;
};

/// Wraps \p Analysis (not yet initialized; \p Options are its options, with
/// its checkers chosen) so that it explores only the functions \p Gate
/// lets through; counts what it explored and skipped in \p Stats, which
/// must outlive the consumer.
std::unique_ptr<clang::ASTConsumer>
gateAnalysis(std::unique_ptr<clang::ento::AnalysisASTConsumer> Analysis,
             clang::AnalyzerOptions &Options, const GateOptions &Gate,
             TUStats &Stats);

} // namespace scan
} // namespace pitfall

#endif
