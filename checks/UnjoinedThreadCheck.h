//===--- UnjoinedThreadCheck.h - pitfall-unjoined-thread ------------------===//
#ifndef PITFALL_CHECKS_UNJOINEDTHREADCHECK_H
#define PITFALL_CHECKS_UNJOINEDTHREADCHECK_H

#include "PitfallCheck.h"

#include "llvm/ADT/DenseSet.h"

namespace clang {
class CXXRecordDecl;
} // namespace clang

namespace pitfall {

/// Flags std::thread objects destroyed or reassigned while joinable: locals
/// and local containers of threads (the flow layer's ThreadStates analysis,
/// exceptional paths included), and data members the destructor does not
/// join. Documentation: docs/checks/unjoined-thread.md
class UnjoinedThreadCheck : public PitfallCheck {
public:
  UnjoinedThreadCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void checkRecord(const clang::CXXRecordDecl *Record, FlowContext &Flow);
  void endOfTranslationUnit(FlowContext &) override { Records.clear(); }

  /// ReportThrowPaths: the least kind of exception whose path is reported.
  const ThrowKind MinThrow;
  llvm::DenseSet<const clang::CXXRecordDecl *> Records;
};

} // namespace pitfall

#endif
