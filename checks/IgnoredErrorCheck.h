//===--- IgnoredErrorCheck.h - pitfall-ignored-error ----------------------===//
#ifndef PITFALL_CHECKS_IGNOREDERRORCHECK_H
#define PITFALL_CHECKS_IGNOREDERRORCHECK_H

#include "PitfallCheck.h"

#include "pitfall/Core/NameList.h"
#include "pitfall/Core/TestMacros.h"
#include "pitfall/Flow/ErrorConvention.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class CompoundStmt;
class Expr;
class Stmt;
} // namespace clang

namespace pitfall {

/// Go's errcheck for C++: flags error results that are discarded (a call
/// used as a statement whose value carries an error), error variables
/// whose stored error is never read before it is overwritten or dies,
/// results used after their error was seen and not acted on (the flow
/// layer's ErrorStores analyses), and completion handlers that never read
/// their error code.
/// Documentation: docs/checks/ignored-error.md
class IgnoredErrorCheck : public PitfallCheck {
public:
  IgnoredErrorCheck(llvm::StringRef Name,
                    clang::tidy::ClangTidyContext *Context);

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void endOfTranslationUnit(FlowContext &Flow) override;

  /// The statements of one function body whose value nobody reads.
  void walk(const clang::Stmt *S, FlowContext &Flow);
  void visit(const clang::Stmt *S, FlowContext &Flow);
  /// \p Call's value is dropped (as a statement of \p Block, if in one).
  void handleDiscarded(const clang::CallExpr *Call,
                       const clang::CompoundStmt *Block, bool VoidCast,
                       FlowContext &Flow);
  void reportDiscarded(const clang::CallExpr *Call, Severity S,
                       FlowContext &Flow);
  void reportStores(const clang::FunctionDecl *FD, FlowContext &Flow);
  void reportUnheeded(const clang::FunctionDecl *FD, FlowContext &Flow);
  /// A completion handler passed to a call that never reads its error.
  void checkHandlers(const clang::Expr *const *Args, unsigned NumArgs,
                     FlowContext &Flow);
  /// The severity of the error \p Source drops in the function being
  /// walked: a note if it is dismissible — at teardown, or the result of a
  /// best-effort call, a lock primitive a lock wrapper forwards to, a call
  /// that fails only on misuse, in test or example code, on a failure
  /// path, ... — and its option (ReportTeardown, ReportBestEffort,
  /// ReportLockWrappers, ReportMisuseOnlyResults,
  /// ReportOutOfMemoryOnlyResults, ReportInTests,
  /// ReportInExamples, ReportOnFailurePaths, ...) asks for it, none if the
  /// option is off; a warning otherwise.
  std::optional<Severity> severityOf(const clang::CallExpr *Source,
                                     FlowContext &Flow) const;
  /// True if \p Source is a call of a TeardownFunctions member after which
  /// the function being walked uses its object only for further teardown
  /// calls, or not at all (`sock.shutdown(ec); sock.close(ec);`).
  bool isTeardownCall(const clang::CallExpr *Source, FlowContext &Flow) const;
  /// True if a comment of \p Source's statement says its result is dropped
  /// on purpose (commentsOf, saysDroppedOnPurpose).
  bool commentedAsDropped(const clang::CallExpr *Source,
                          FlowContext &Flow) const;

  const bool AllowCastToVoid;
  const bool ReportTeardown, ReportBestEffort, ReportLockWrappers;
  /// Report the dropped result of a POSIX synchronisation call that fails
  /// only on misuse (ErrorRecognizer::failsOnlyOnMisuse): off by default.
  const bool ReportMisuseOnlyResults;
  /// Report the dropped result of a POSIX call that fails only on misuse or
  /// when memory runs out (ErrorRecognizer::failsOnlyWithoutMemory): off by
  /// default.
  const bool ReportOutOfMemoryOnlyResults;
  /// Report errors dropped in test code (FlowContext::isTestCode): off by
  /// default.
  const bool ReportInTests;
  /// Report errors dropped in example code (FlowContext::isExampleCode):
  /// off by default.
  const bool ReportInExamples;
  /// Report errors dropped where every path on ends in a throw or a call
  /// that does not return (failsAfter): off by default.
  const bool ReportOnFailurePaths;
  /// Report a discarded parse result whose output variable keeps its
  /// fallback value (parsesWithFallback): off by default.
  const bool ReportParseWithFallback;
  /// Report the error a predicate stores whose tested `bool` result covers
  /// the failure (failureAnsweredByResult()).
  const bool ReportTestedPredicates;
  /// Report an error dropped in a C interface function that has no way to
  /// report it (withoutErrorChannel): off by default.
  const bool ReportCInterfaceDrops;
  /// Report a discarded result of a callee the code drops by convention
  /// (ErrorConvention, Flow/ErrorConvention.h): off by default.
  const bool ReportConventionallyIgnored;
  /// Report a discarded result whose statement carries a comment saying it
  /// is dropped on purpose (Core/Comments.h): off by default.
  const bool ReportCommentedDrops;
  /// The translation unit's uses and drops of each callee's error result
  /// (outside test code).
  ErrorConvention Convention;
  const NameList TeardownFunctions, BestEffortFunctions, LockWrapperFunctions;
  /// Per function being walked: it tears its object down (a destructor, a
  /// TeardownFunctions function, or a lambda in one).
  bool InTeardown = false;
  /// Per function being walked: it is test code (FlowContext::isTestCode),
  /// example code (FlowContext::isExampleCode).
  bool InTest = false, InExample = false;
  /// The function being walked.
  const clang::FunctionDecl *Current = nullptr;
  /// Per function being walked: a member function of a class (constructor
  /// and destructor included, not a lambda) whose body is one statement,
  /// that one expression: a wrapper that forwards to the call it makes.
  const clang::Expr *WrapperCall = nullptr;
  /// Per function being walked: its body if it is a lambda handed to an
  /// "expect it throws" helper, and the values of statement expressions.
  const clang::Stmt *ExpectThrowBody = nullptr;
  llvm::DenseSet<const clang::Expr *> StmtExprValues;
  /// Lambdas passed to a helper that checks that they throw.
  llvm::DenseSet<const clang::FunctionDecl *> ExpectThrowLambdas;
  /// Discarded calls, reported in source order at the end of the
  /// translation unit (the [[nodiscard]] fix-it goes to the first one).
  llvm::SmallVector<std::pair<const clang::CallExpr *, Severity>, 8> Discards;
  /// Declarations (by insertion point) already offered [[nodiscard]].
  llvm::DenseSet<unsigned> NodiscardOffered;
};

} // namespace pitfall

#endif
