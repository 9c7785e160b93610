//===--- HappensBefore.h - which started tasks may still be running -------===//
//
// A task started in a function runs concurrently with the rest of it until
// something orders its end before a point: the thread is joined (directly,
// through a helper, by a loop over its container, by a std::jthread or a
// joining class going out of scope), its future is waited for (get(), wait(),
// the blocking destructor of std::async's future), a latch, barrier,
// semaphore, WaitGroup, condition variable or event that the task counts down
// or signals is waited on, or the executor it was submitted to is drained
// (its wait/join member, its destructor when it joins its threads, or a
// wait on what the pool's workers signal once the tasks in flight are done:
// PoolDrain.h). A project's member function that waits on an atomic of the
// pool drains it only in that last way.
// Anything after such a point happens after the task's work.
//
// TaskTracker answers, per function, whether each task may still be running
// at a statement, when a variable dies, when a loop comes back to its head
// or is left, and when the function returns: a forward may-analysis over the
// flow graph (exceptional paths included), correlated on stable branch
// conditions (a task started under `if (async)` and waited for under the
// same condition is waited for on every path that started it). A joinable
// std::thread destroyed while its task runs terminates the program: nothing
// runs after that point.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_HAPPENSBEFORE_H
#define PITFALL_FLOW_HAPPENSBEFORE_H

#include "pitfall/Core/AtomicWaits.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/Ordering.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <optional>
#include <vector>

namespace clang {
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

class CompletedAtomicWaits;

class TaskTracker {
public:
  /// Tracks the tasks started in \p G's function (every TaskStart in its
  /// body, lambdas excluded). With \p SignalsEndTasks false, waiting on an
  /// object a task counts down or signals does not end the task: the task
  /// may go on after signalling, and an analysis that orders single
  /// statements by such signals (Ordering.h) asks only for the ends that
  /// are certain (join, the task's future, a drained executor). With
  /// \p EndAtFailedAssertions, a `return` in the expansion of an
  /// AssertionMacros macro (a failed GoogleTest assertion leaving the test)
  /// ends its path: what may run after it is not asked about.
  TaskTracker(FlowContext &Flow, const FlowGraph &G,
              bool SignalsEndTasks = true, bool EndAtFailedAssertions = false);

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
  /// end of its scope, on a jump out of it, or, unless \p Exceptional is
  /// false, by an exception).
  bool mayOutlive(unsigned I, const clang::VarDecl *V,
                  bool Exceptional = true) const;
  /// True if task \p I may still be running when the function returns or,
  /// unless \p Exceptional is false, when an exception leaves it.
  bool mayRunAfterReturn(unsigned I, bool Exceptional = true) const;
  /// True if task \p I may still be running when control comes back to the
  /// head of \p Loop (a loop statement of the function: the next iteration
  /// starts; for `do`, its condition after the body) or leaves \p Loop.
  bool mayOutliveIteration(unsigned I, const clang::Stmt *Loop) const;

  /// The object whose completion ends task \p I (the thread, the future),
  /// if it is named.
  const std::optional<ObjectPath> &handleOf(unsigned I) const {
    return Handles[I];
  }
  /// The statement that stores the task's handle (the declaration, the
  /// assignment, the push_back or emplace call), or null.
  const clang::Stmt *handleStoredAt(unsigned I) const { return HandleAt[I]; }
  /// The objects the handle is moved into (`ts.push_back(std::move(t))`),
  /// each with the statement that stores it there.
  llvm::ArrayRef<std::pair<ObjectPath, const clang::Stmt *>>
  handleMovesOf(unsigned I) const {
    return Moves[I];
  }

private:
  friend class TaskFlow;
  FlowContext &Flow;
  llvm::SmallVector<TaskStart, 4> Tasks;
  llvm::SmallVector<std::optional<ObjectPath>, 4> Handles;
  /// For a handle that is an element of a built-in array initialised with
  /// the task's start (`std::thread ts[]{std::thread{f}, ...}`), its index:
  /// a join of another constant index (`ts[1].join()`) does not end it.
  llvm::SmallVector<std::optional<uint64_t>, 4> HandleIndex;
  /// The store of an atomic local the task's lambda captures by reference
  /// that is its last action (the last statement of its body, no local of
  /// the body destroyed after it; a seq_cst or release store): a completed
  /// spin of the function on that atomic, for the value stored
  /// (CompletedAtomicWaits), ends the task. Only with SignalsEndTasks, and
  /// not for a std::thread (which must still be joined).
  llvm::SmallVector<std::optional<AtomicStore>, 4> FinalStores;
  /// The function's completed atomic waits, when a task has a final store.
  std::shared_ptr<CompletedAtomicWaits> Spins;
  /// What each task signals or arrives at (from its callable's summary).
  llvm::SmallVector<llvm::SmallVector<ObjectPath, 2>, 4> Signalled;
  /// The relays (Ordering.h) of the function and of every task, named by
  /// the function: a wait on an object also waits, transitively, on what
  /// its signallers waited on first (an event chain). Empty when a task's
  /// body is unknown.
  std::vector<SyncOrder::Relay> Relays;
  llvm::SmallVector<std::optional<ObjectPath>, 4> Executors;
  llvm::SmallVector<const clang::Stmt *, 4> HandleAt;
  llvm::SmallVector<
      llvm::SmallVector<std::pair<ObjectPath, const clang::Stmt *>, 1>, 4>
      Moves;
  /// The expression that waits for the task's result in place
  /// (`pool.submit(f).get()`, `co_await spawn(...)`), or null.
  llvm::SmallVector<const clang::Stmt *, 4> WaitedAt;
  llvm::DenseMap<const clang::Stmt *, llvm::BitVector> RunningAt;
  llvm::DenseMap<const clang::VarDecl *, llvm::BitVector> RunningAtDeath,
      RunningAtNormalDeath;
  /// Per loop statement: at its head, and where it is left.
  llvm::DenseMap<const clang::Stmt *, llvm::BitVector> RunningAtLoop;
  llvm::BitVector RunningAtExit, RunningAtNormalExit;
  bool EndAtFailedAssertions = false;
  bool Valid = false;
};

/// The data member holding the thread of task \p I of \p T (a task of \p
/// G's function): its handle when that is a member, or the member a thread
/// made with `new` or `std::make_shared` / `std::make_unique` is stored in
/// (`loop_ = new std::thread(&Poller::run, this);`). The thread is that
/// object's owner thread for a current-thread test that reads the member
/// (Core/ThreadIdentity.h). nullopt if it is none.
std::optional<ObjectPath> threadHolderOf(const TaskTracker &T, unsigned I,
                                         const FlowGraph &G);

/// True if the `this` of \p Start's entry is its starter's `this` (the
/// member function pointer's bound object, a lambda's captured `this`).
bool runsOnStartersObject(const TaskStart &Start);

/// True if \p Start, a start in \p Starter, sends its callable to an
/// executor that is the starting thread's own and has no thread of its own
/// (no data member, of its class or a base, that is a thread, a pointer to
/// one or a container of them): the current-loop idiom, a loop each thread
/// makes for itself and keeps in a thread-local (`Loop::get()->defer(f)`,
/// Core/ThreadIdentity.h isThreadOwnObject()), which the thread that made
/// it runs. The task runs later on the starter's thread, never beside it.
bool runsOnStartersThread(const TaskStart &Start, const clang::Stmt *Starter,
                          const ThreadTypes &Threads);

} // namespace pitfall

#endif // PITFALL_FLOW_HAPPENSBEFORE_H
