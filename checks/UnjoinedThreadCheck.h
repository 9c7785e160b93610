//===--- UnjoinedThreadCheck.h - pitfall-unjoined-thread ------------------===//
#ifndef PITFALL_CHECKS_UNJOINEDTHREADCHECK_H
#define PITFALL_CHECKS_UNJOINEDTHREADCHECK_H

#include "PitfallCheck.h"

#include "pitfall/Core/Cancellation.h"
#include "pitfall/Flow/TaskLoops.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace clang {
class CXXRecordDecl;
class FieldDecl;
class VarDecl;
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
  /// True if the local thread \p V of \p Fn runs for the process lifetime:
  /// \p Fn is main or only main calls it, every thread started into \p V
  /// can never end (TaskLoops::runsForProcessLifetime()), and \p Fn never
  /// joins \p V (with \p ThrowPath, whatever it joins after the throw).
  bool runsForProcessLifetime(const clang::FunctionDecl *Fn,
                              const clang::VarDecl *V, FlowContext &Flow,
                              bool ThrowPath);
  void endOfTranslationUnit(FlowContext &) override {
    Records.clear();
    OwnerJoined.reset();
    Loops.reset();
  }

  /// ReportThrowPaths: the least kind of exception whose path is reported.
  const ThrowKind MinThrow;
  /// ReportProcessLifetimeThreads.
  const bool ReportProcessLifetimeThreads;
  /// Endless loops of tasks, with the default cancellation checks.
  const CancellationRecognizer Cancel;
  std::optional<TaskLoops> Loops;
  llvm::DenseSet<const clang::CXXRecordDecl *> Records;
  std::optional<llvm::DenseSet<const clang::FieldDecl *>> OwnerJoined;
};

} // namespace pitfall

#endif
