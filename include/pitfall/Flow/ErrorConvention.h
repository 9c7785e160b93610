//===--- ErrorConvention.h - how the code treats a callee's error ---------===//
//
// Engler's "bugs as deviant behaviour" for dropped results: for each callee,
// the calls whose error result the code base uses (stores, tests, returns,
// passes on) and those that drop it (a call used as a statement, cast to
// void). A callee the code drops at least as often as it uses, at two call
// sites or more, is best effort by the project's own convention; a drop of
// a callee the project checks at most call sites is the deviant one.
//
// The evidence is what the code does, never a name: in one translation unit
// (clang-tidy, clangd) the TU's user code that the checks walk (headers'
// inline and template code included, system headers not); in pitfall-scan,
// every TU of the database (the counts go to the ErrorUseRecorder the
// driver installs, Core/ErrorUseRecorder.h, and the driver decides).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_ERRORCONVENTION_H
#define PITFALL_FLOW_ERRORCONVENTION_H

#include "pitfall/Core/Severity.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>
#include <utility>

namespace clang {
class CallExpr;
class FunctionDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// The function a call's error result is counted under: the callee's
/// canonical declaration; for a template's specialization, the template's;
/// for a virtual member, the root of what it overrides (so `env->Remove()`
/// through every subclass counts together). Null for a call without a
/// direct callee (through a callable).
const clang::FunctionDecl *errorUseKey(const clang::CallExpr *Call);

/// How often the code uses and drops one callee's error result.
struct ErrorUseCounts {
  unsigned Used = 0, Dropped = 0;
};

/// The project's convention: dropped at two call sites or more, and at
/// least as often as used (at half of the calls or more).
inline bool droppedByConvention(ErrorUseCounts C) {
  return C.Dropped >= 2 && C.Dropped >= C.Used;
}

/// The counts of one translation unit, and the decision for a finding.
class ErrorConvention {
public:
  /// Counts the calls \p FD makes (its body and constructor initialisers;
  /// a lambda's body is a function of its own) whose result carries an
  /// error: dropped when the call is a statement (also the body of an `if`
  /// or a loop, a `for`'s init or increment, a `case`, the left operand of
  /// a comma) or cast to void, used otherwise. A call site is counted once
  /// (a template's instantiations repeat it). Not counted: calls in system
  /// headers' macros, calls whose error goes to an out-argument (asio's
  /// `sock.close(ec)` returns a copy), calls that can only succeed
  /// (cannotFail), std::async's future. With an ErrorUseRecorder installed,
  /// each counted call is also handed to it.
  void count(const clang::FunctionDecl *FD, FlowContext &Flow);

  /// The severity of the discarded-result finding of \p Call that the
  /// check would report with \p S: unchanged when the callee is not
  /// dropped by convention; with \p Report (ReportConventionallyIgnored) a
  /// note, without it none (a drop of several dismissible kinds is reported
  /// only when every one of their options is on). With an
  /// ErrorUseRecorder installed the whole program decides: the finding is
  /// handed to it and \p S returned unchanged.
  std::optional<Severity> judge(const clang::CallExpr *Call, Severity S,
                                bool Report, FlowContext &Flow) const;

  ErrorUseCounts countsOf(const clang::FunctionDecl *Key) const {
    return Counts.lookup(Key);
  }
  void clear() {
    Counts.clear();
    Seen.clear();
  }

private:
  llvm::DenseMap<const clang::FunctionDecl *, ErrorUseCounts> Counts;
  /// Call sites counted: the callee and the call's raw location.
  llvm::DenseSet<std::pair<const clang::FunctionDecl *, unsigned>> Seen;
};

} // namespace pitfall

#endif // PITFALL_FLOW_ERRORCONVENTION_H
