//===--- LoopCaptureByReferenceCheck.h - pitfall-loop-capture-by-reference ===//
#ifndef PITFALL_CHECKS_LOOPCAPTUREBYREFERENCECHECK_H
#define PITFALL_CHECKS_LOOPCAPTUREBYREFERENCECHECK_H

#include "pitfall/Core/Escape.h"
#include "pitfall/Core/Lifetimes.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <memory>

namespace pitfall {

/// Flags a lambda created in a loop that captures by reference a variable
/// whose lifetime is the loop or one iteration, when the lambda outlives the
/// iteration (runs on a thread, through std::async or an executor, or is
/// stored outside the loop). Go's vet `loopclosure`.
/// Documentation: docs/checks/loop-capture-by-reference.md
class LoopCaptureByReferenceCheck : public clang::tidy::ClangTidyCheck {
public:
  LoopCaptureByReferenceCheck(llvm::StringRef Name,
                              clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  // The escape analysis walks implicit nodes (temporaries, conversions to
  // std::function) itself; template instantiations are analysed because
  // only they resolve calls such as pool.submit(...) on dependent types.
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_AsIs;
  }
  void onEndOfTranslationUnit() override {
    Reported.clear();
    ParentsOfFunction.clear();
  }

private:
  const std::string ThreadTypesOption;
  const std::string EscapeFunctionsOption;
  const EscapeRecognizer Escapes;
  /// (lambda, capture) locations already diagnosed: a lambda in a template
  /// is seen once per instantiation.
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported;
  /// Parent links of the function bodies that contain a candidate lambda.
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<FunctionParents>>
      ParentsOfFunction;
};

} // namespace pitfall

#endif
