//===--- UnjoinedThreadCheck.h - pitfall-unjoined-thread ------------------===//
#ifndef PITFALL_CHECKS_UNJOINEDTHREADCHECK_H
#define PITFALL_CHECKS_UNJOINEDTHREADCHECK_H

#include "PitfallCheck.h"

#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace clang {
class CXXRecordDecl;
class FieldDecl;
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
  /// Threads owned through pointer members (ThreadMembers.h).
  void checkOwnedThreads(const clang::FunctionDecl *Fn, FlowContext &Flow);
  /// Detached threads using objects that die (DetachedTasks.h).
  void checkDetachedUses(const clang::FunctionDecl *Fn, FlowContext &Flow);
  /// A destructor joining \p F under a guard that may skip it
  /// (ThreadMembers.h).
  void reportPartialJoin(const clang::CXXRecordDecl *Record,
                         const clang::FieldDecl *F, FlowContext &Flow);
  /// True if another class joins \p F (a pimpl's owner).
  bool joinedByOwner(const clang::FieldDecl *F, FlowContext &Flow);
  void endOfTranslationUnit(FlowContext &) override {
    Records.clear();
    OwnerJoined.reset();
  }

  /// ReportThrowPaths: the least kind of exception whose path is reported.
  const ThrowKind MinThrow;
  llvm::DenseSet<const clang::CXXRecordDecl *> Records;
  std::optional<llvm::DenseSet<const clang::FieldDecl *>> OwnerJoined;
};

} // namespace pitfall

#endif
