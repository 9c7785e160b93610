//===--- UncancellableTaskCheck.h - pitfall-uncancellable-task ------------===//
#ifndef PITFALL_CHECKS_UNCANCELLABLETASKCHECK_H
#define PITFALL_CHECKS_UNCANCELLABLETASKCHECK_H

#include "PitfallCheck.h"

#include "pitfall/Core/Cancellation.h"
#include "pitfall/Flow/TaskLoops.h"

#include "clang-tidy/utils/IncludeInserter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace pitfall {

/// Flags tasks that can never be stopped: coroutines, std::jthread,
/// detached or long-lived std::thread, std::async(std::launch::async) and
/// callables handed to executors or the project's spawners whose loop can
/// never end or ignores its stop_token, jthread loops blocked in waits a
/// stop request cannot wake, and loops whose stop condition is a plain bool
/// another function writes. The task and loop analysis is the flow layer's
/// (lib/Flow/TaskLoops); this check words its findings.
/// Documentation: docs/checks/uncancellable-task.md
class UncancellableTaskCheck : public PitfallCheck {
public:
  UncancellableTaskCheck(llvm::StringRef Name,
                         clang::tidy::ClangTidyContext *Context);
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void checkInitializer(const clang::Expr *Init, FlowContext &Flow) override;
  void endOfTranslationUnit(FlowContext &Flow) override;
  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

  TaskLoops &loops(FlowContext &Flow);
  /// \p Starter: the function the tasks start in (null for initializers).
  void analyzeTasks(llvm::ArrayRef<LoopTask> Tasks,
                    const clang::FunctionDecl *Starter, FlowContext &Flow);
  void report(const TaskLoopFinding &F);
  void reportEndless(const TaskLoopFinding &F);
  /// Loops testing a bool flag, and writes to one.
  void visitFlagUses(const clang::FunctionDecl *Fn, FlowContext &Flow);
  void reportFlags(const clang::SourceManager &SM, const ThreadTypes &Threads);

  struct FlagWrite {
    const clang::Expr *Write;
    const clang::Decl *Fn;
  };
  struct FlagLoop {
    const clang::Expr *Read;
    const clang::ValueDecl *Flag;
    const clang::Decl *Fn;
  };

  const std::string CancellationChecksOption;
  const CancellationRecognizer Cancel;
  /// Report the loops of tasks `main` starts (servers and demos meant to
  /// run for the process lifetime).
  const bool ReportProcessLifetimeLoops;
  clang::tidy::utils::IncludeInserter Inserter;

  // Per translation unit.
  std::optional<TaskLoops> Loops;
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<FlagWrite, 2>>
      FlagWrites;
  llvm::SmallVector<FlagLoop, 4> FlagLoops;
};

} // namespace pitfall

#endif
