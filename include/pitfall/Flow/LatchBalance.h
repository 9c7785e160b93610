//===--- LatchBalance.h - latch, barrier, semaphore, WaitGroup counts
//------===//
//
// The analysis behind pitfall-unbalanced-latch. A function that names a
// latch, barrier, semaphore or WaitGroup is read as a spawner: the workers
// it starts (FlowContext::taskStarts(): threads, std::async, executors, a
// project's own pools; callables behind std::function, packaged_task,
// member function pointers and variables), how many times each start runs
// per lifetime of the object (the trip counts of the loops around it), and
// the arrivals it makes itself (directly or in helpers, by their
// summaries). Each worker's body is read path by path (SyncPaths.h): the
// arrivals every path makes, the ways out that make none, the arrivals a
// path makes twice. Eight rules:
//
//   1. a latch's or barrier's count that differs from the arrivals made,
//      when both are known (constants, or one expression plus an offset);
//   2. a worker path that leaves (return, end, throw expression, exception
//      from a call of a function of the translation unit that throws)
//      without arriving while others arrive;
//   3. a worker path that counts down or calls done twice;
//   4. a WaitGroup add() inside the worker it accounts for;
//   5. a semaphore acquired and not released on a way out, in a function
//      that releases it on others;
//   6. a single-use latch waited on in every iteration of a loop that runs
//      more than once (a constant trip count above one, or a counting loop
//      up to a bound that is not a constant);
//   7. a semaphore with a constant maximum (std::binary_semaphore) that
//      workers release, each on every path without acquiring it, more
//      times than the maximum (a loop of workers counts as several), while
//      the spawner acquires it a constant number of times, fewer than
//      that: a release beyond the maximum is undefined behaviour, and the
//      acquire waits for one worker, not all;
//   8. a hand-written barrier or latch (a member function that counts in a
//      data member, notifies a condition variable member on one path and
//      waits on it on another) whose wait has no predicate and no loop
//      (spurious wake-ups), or rechecks only members the function resets
//      by assignment (the last arrival resets the count before the waiters
//      wake: lost wake-up; a generation counter is the remedy).
//
// An object used where its effect cannot be followed (handed to a function
// whose body is not visible, captured by a lambda that is no worker) makes
// its counts unknown, and the rules stay silent about it.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_LATCHBALANCE_H
#define PITFALL_FLOW_LATCHBALANCE_H

#include "pitfall/Core/SyncPrimitives.h"
#include "pitfall/Flow/SyncPaths.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace clang {
class Expr;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// A count: Base + Offset, Base null for a constant.
struct SymCount {
  const clang::Expr *Base = nullptr;
  int64_t Offset = 0;
};

struct LatchFinding {
  enum Kind {
    CountMismatch,     ///< rule 1
    LeavesWithout,     ///< rule 2
    ArrivesTwice,      ///< rule 3
    AddInWorker,       ///< rule 4
    SemaphoreHeld,     ///< rule 5
    LatchInLoop,       ///< rule 6
    SemaphoreOverflow, ///< rule 7
    UnguardedWait,     ///< rule 8
  } K = CountMismatch;
  SyncKind Sync = SyncKind::None;
  /// The object (its declaration is noted).
  const clang::ValueDecl *Object = nullptr;
  /// Where the warning goes.
  clang::SourceLocation Loc;
  /// LeavesWithout, SemaphoreHeld: how the path leaves.
  SyncExitKind Exit = SyncExitKind::FallOff;
  /// UnguardedWait: Object is the condition variable; OtherLoc the reset of
  /// the member the wait's condition reads (invalid: no predicate).
  /// LeavesWithout: an arrival on other paths. ArrivesTwice: the previous
  /// arrival. SemaphoreHeld: the acquire. AddInWorker: the worker's start.
  clang::SourceLocation OtherLoc;
  /// CountMismatch: the count expression, the count and the arrivals.
  /// SemaphoreOverflow: Expected is the maximum, Made the releases, Parts
  /// the workers' starts, Trips the acquires.
  const clang::Expr *CountExpr = nullptr;
  SymCount Expected, Made;
  struct Part {
    clang::SourceLocation Loc;
    SymCount Amount;
    bool FromWorkers;
  };
  llvm::SmallVector<Part, 2> Parts;
  /// LatchInLoop: arrive_and_wait (not wait); Made is the loop's trip
  /// count. SemaphoreOverflow: Trips is the acquires.
  bool ArriveAndWait = false;
  int64_t Trips = 0;
};

class LatchBalance {
public:
  explicit LatchBalance(FlowContext &Flow);
  ~LatchBalance();

  /// A function of the translation unit; it is analysed if it (or a lambda
  /// in it) names a synchronization object.
  void addFunction(const clang::FunctionDecl *FD);

  /// Analyses the functions added; findings in source order.
  std::vector<LatchFinding> run();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace pitfall

#endif // PITFALL_FLOW_LATCHBALANCE_H
