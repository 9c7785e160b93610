//===--- PitfallCheck.h - what every pitfall clang-tidy check shares ------===//
//
// The preamble every check needs, written once:
//   * the options the flow layer is built from (ThreadTypes, LockTypes,
//     EscapeFunctions, ...), read once in the constructor with clang-tidy's
//     global CheckOptions as the project-wide default, so a user sets
//     `ThreadTypes` once for every check;
//   * the user's function definitions (template instantiations included)
//     and lambdas, each body handed to the check once: checkFunction(); and
//     initialisers outside functions: checkInitializer(). They are walked
//     from one match per translation unit (Core/UserDefinitions.h), not
//     matched node by node across the headers;
//   * templates: an instantiated function or class template is analysed in
//     its instantiations; a pattern never instantiated in the translation
//     unit is analysed as written, at the end of the translation unit; a
//     finding at the same place with the same message is reported once
//     (firstReport());
//   * the translation unit's FlowContext (graphs, summaries, callables);
//   * reportFinding(): a finding's warning with its severity (Core/Severity.h),
//     which clang-tidy shows as a warning whatever it is and pitfall-scan
//     reports as its level.
//
// A check then holds a call into the flow layer, and its diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CHECKS_PITFALLCHECK_H
#define PITFALL_CHECKS_PITFALLCHECK_H

#include "pitfall/Core/Severity.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <initializer_list>

namespace clang {
class Expr;
class FunctionDecl;
} // namespace clang

namespace pitfall {

/// The flow options a check documents (and stores with storeOptions()).
enum class FlowOption {
  ThreadTypes,
  EscapeFunctions,
  LockTypes,
  ChannelTypes,
  SendMethods,
  MatchChannelNames,
  WaitGroupTypes,
  ErrorTypes,
  CheckedFunctions,
  StatusHeuristic,
  AssertionMacros,
  TestCaseMacros,
  TestPaths,
  ExamplePaths,
};

class PitfallCheck : public clang::tidy::ClangTidyCheck {
public:
  PitfallCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
               std::initializer_list<FlowOption> Documented);

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) final;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) final;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) final;
  void onEndOfTranslationUnit() final;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_AsIs; // instantiations are analysed
  }

protected:
  /// Called once for each function definition (method, constructor,
  /// destructor, lambda call operator) written in user code, with a body.
  virtual void checkFunction(const clang::FunctionDecl *FD,
                             FlowContext &Flow) = 0;
  /// Called once for each initialiser outside functions in user code: a
  /// field's in-class initialiser, the initialiser of a variable with static
  /// storage that is not a static local. \p Init may be null (a variable
  /// declared again without its initialiser).
  virtual void checkInitializer(const clang::Expr *, FlowContext &) {}
  /// After every function of the translation unit was handed over.
  virtual void endOfTranslationUnit(FlowContext &) {}
  /// The check's own options.
  virtual void storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &) {}

  /// The flow layer of the current translation unit (valid from the first
  /// match to the end of the translation unit).
  FlowContext &flow() const { return *Flow; }
  const FlowOptions &flowOptions() const { return Opts; }

  /// True the first time a finding with \p Message is reported at \p Loc in
  /// this translation unit (instantiations of one template repeat the
  /// pattern's findings): report it and its notes only then.
  bool firstReport(clang::SourceLocation Loc, llvm::StringRef Message);

  /// Emits the warning of a finding at \p Loc (its notes follow with
  /// diag(..., Note)) and records its severity \p S for pitfall-scan.
  clang::DiagnosticBuilder reportFinding(clang::SourceLocation Loc,
                                         llvm::StringRef Message, Severity S);

private:
  void handFunction(const clang::FunctionDecl *FD);

  FlowOptions Opts;
  llvm::SmallVector<FlowOption, 4> Documented;
  FlowContext *Flow = nullptr;
  llvm::DenseSet<const clang::FunctionDecl *> Handed;
  /// Patterns (templates, members of class templates) seen and not yet
  /// known to be instantiated.
  llvm::SetVector<const clang::FunctionDecl *> Patterns;
  llvm::DenseSet<const clang::FunctionDecl *> Instantiated;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported;
};

} // namespace pitfall

#endif // PITFALL_CHECKS_PITFALLCHECK_H
