//===--- HappensBefore.h - which started tasks may still be running -------===//
//
// A task started in a function runs concurrently with the rest of it until
// something orders its end before a point: the thread is joined (directly,
// through a helper, by a loop over its container, by a std::jthread or a
// joining class going out of scope), its future is waited for (get(), wait(),
// the blocking destructor of std::async's future), a latch, barrier,
// semaphore, WaitGroup, condition variable or event that the task counts down
// or signals is waited on, or the executor it was submitted to is drained
// (its wait/join member, or its destructor when it joins its threads).
// Anything after such a point happens after the task's work.
//
// TaskTracker answers, per function, whether each task may still be running
// at a statement, when a variable dies, and when the function returns: a
// forward may-analysis over the flow graph (exceptional paths included),
// with path correlation (PathFacts.h): a task started under a condition and
// joined under the same unchanged condition is not running after the join.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_HAPPENSBEFORE_H
#define PITFALL_FLOW_HAPPENSBEFORE_H

#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

class TaskTracker {
public:
  /// Tracks the tasks started in \p G's function (every TaskStart in its
  /// body, lambdas excluded). With \p SignalsEndTasks false, waiting on an
  /// object a task counts down or signals does not end the task: the task
  /// may go on after signalling, and an analysis that orders single
  /// statements by such signals (Ordering.h) asks only for the ends that
  /// are certain (join, the task's future, a drained executor).
  TaskTracker(FlowContext &Flow, const FlowGraph &G,
              bool SignalsEndTasks = true);

  llvm::ArrayRef<TaskStart> tasks() const { return Tasks; }
  /// The index of the task \p Site starts, or -1.
  int taskAt(const clang::Expr *Site) const;

  /// True if the analysis ran (false: no tasks, or the solver gave up, and
  /// every question below answers conservatively "may be running").
  bool valid() const { return Valid; }

  /// True if task \p I may still be running when \p At is evaluated (on some
  /// path through a start of the task).
  bool mayBeRunningAt(unsigned I, const clang::Stmt *At) const;
  /// True if task \p I may still be running when \p V is destroyed (at the
  /// end of its scope, on a jump out of it, or by an exception).
  bool mayOutlive(unsigned I, const clang::VarDecl *V) const;
  /// True if task \p I may still be running when the function returns or
  /// an exception leaves it.
  bool mayRunAfterReturn(unsigned I) const;

  /// The object whose completion ends task \p I (the thread, the future),
  /// if it is named.
  const std::optional<ObjectPath> &handleOf(unsigned I) const {
    return Handles[I];
  }

private:
  friend class TaskFlow;
  FlowContext &Flow;
  const FlowGraph &G;
  llvm::SmallVector<TaskStart, 4> Tasks;
  llvm::SmallVector<std::optional<ObjectPath>, 4> Handles;
  /// What each task signals or arrives at (from its callable's summary).
  llvm::SmallVector<llvm::SmallVector<ObjectPath, 2>, 4> Signalled;
  llvm::SmallVector<std::optional<ObjectPath>, 4> Executors;
  llvm::DenseMap<const clang::Stmt *, llvm::BitVector> RunningAt;
  llvm::DenseMap<const clang::VarDecl *, llvm::BitVector> RunningAtDeath;
  llvm::BitVector RunningAtExit;
  bool Valid = false;
};

} // namespace pitfall

#endif // PITFALL_FLOW_HAPPENSBEFORE_H
