//===--- UnlockedContainerAccessCheck.h - pitfall-unlocked-container-access
//===//
#ifndef PITFALL_CHECKS_UNLOCKEDCONTAINERACCESSCHECK_H
#define PITFALL_CHECKS_UNLOCKEDCONTAINERACCESSCHECK_H

#include "PitfallCheck.h"

#include "pitfall/Core/Containers.h"
#include "pitfall/Flow/Throws.h"

#include <memory>

namespace pitfall {

class ContainerRaces;
struct ContainerRace;

/// Flags accesses to standard containers shared between threads where at
/// least one thread modifies the container and the access does not hold a
/// lock the other accesses hold: data members whose other accesses are
/// under a mutex, and objects a task shares with the code that starts it
/// (the flow layer's ContainerRaces analysis).
/// Documentation: docs/checks/unlocked-container-access.md
class UnlockedContainerAccessCheck : public PitfallCheck {
public:
  UnlockedContainerAccessCheck(llvm::StringRef Name,
                               clang::tidy::ClangTidyContext *Context);
  ~UnlockedContainerAccessCheck() override;

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void endOfTranslationUnit(FlowContext &Flow) override;
  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

  void report(const ContainerRace &R, FlowContext &Flow);
  void fixNote(const ContainerRace &R, FlowContext &Flow);

  const std::string ContainerTypesOption;
  const ContainerRecognizer Containers;
  /// Report unlocked emptiness tests that only decide whether to take the
  /// lock (and status queries): off by default.
  const bool ReportUnlockedEmptinessChecks;
  /// Report the accesses of copy/move assignment operators and swap members
  /// (isWholeObjectAssignment): off by default.
  const bool ReportWholeObjectAssignment;
  /// Report the unlocked reads of a member filled once under its lock,
  /// outside the functions that fill it: off by default.
  const bool ReportReadsAfterOnceInit;
  const bool ReportUnlockedConfigurationReads;
  /// Report the accesses on the unlocked arm of a mode flag whose other arm
  /// takes the lock (LockSetAnalysis::modeLocks()): off by default.
  const bool ReportModeConditionalLocks;
  /// Read by pitfall-scan's link (SummaryOptions::ReportUnguardedMembers):
  /// the cross-TU races of a member no code locks whose object both threads
  /// reach through objects of unknown origin, reported as notes.
  const bool ReportUnguardedMembers;
  /// ReportThrowPaths: the least kind of exception whose `catch` handlers'
  /// accesses are reported (default user exceptions).
  const ThrowKind MinThrow;
  std::unique_ptr<ContainerRaces> Analysis;
};

} // namespace pitfall

#endif
