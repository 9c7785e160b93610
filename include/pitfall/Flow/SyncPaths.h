//===--- SyncPaths.h - arrivals and held permits, path by path ------------===//
//
// A forward analysis over a function's flow graph that counts, for each
// synchronization object the function names, the arrivals every path has
// made: count_down, arrive, arrive_and_wait, done, release, directly or in a
// helper (its Sync summary), and in the destructor of a scope guard, on the
// normal paths and on the exceptional ones the guard is unwound on. A count
// is an interval [Min, Max] over the paths that reach a point (Max is
// Unbounded when a loop repeats arrivals). For a semaphore the analysis also
// tracks whether a path holds a permit it acquired (acquire takes one,
// release gives it back).
//
// It records the counts at each way out of the function (each return,
// falling off the end, each throw expression and each call of a function of
// the translation unit whose body throws, after unwinding what the
// exception leaves), the first arrival a path makes a second time, and
// every effect seen (waits, signals, channel operations). Branches on
// unchanged conditions are correlated (PathFacts.h): `if (early)
// l.count_down(); ... if (!early) l.count_down();` arrives once on every
// path.
//
// The Sync summary family (Summary.h) is this analysis' normal exit;
// pitfall-unbalanced-latch reads the exits one by one.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_SYNCPATHS_H
#define PITFALL_FLOW_SYNCPATHS_H

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Throws.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace clang {
class Stmt;
} // namespace clang

namespace pitfall {

class FlowContext;
class FlowGraph;

/// An interval of counts over the paths reaching a point.
struct SyncCount {
  ObjectPath Object;
  int64_t Min = 0, Max = 0;
  bool operator==(const SyncCount &O) const {
    return Object == O.Object && Min == O.Min && Max == O.Max;
  }
};

enum class SyncExitKind : uint8_t {
  Return,     ///< a return statement
  FallOff,    ///< the end of the body
  Throw,      ///< a throw expression (a rethrow included) leaves the function
  CallThrows, ///< an exception from a call of a throwing function leaves it
};

/// The count of \p P in \p Counts, or null (no arrival there).
const SyncCount *findCount(llvm::ArrayRef<SyncCount> Counts,
                           const ObjectPath &P);

struct SyncExit {
  SyncExitKind Kind = SyncExitKind::FallOff;
  /// The return statement, throw expression or call; null for FallOff.
  const clang::Stmt *Site = nullptr;
  clang::SourceLocation Loc;
  /// Arrivals made on the paths that leave here.
  llvm::SmallVector<SyncCount, 2> Arrivals;
  /// Semaphore permits held (0 or 1) on the paths that leave here.
  llvm::SmallVector<SyncCount, 2> Held;

  const SyncCount *arrivals(const ObjectPath &P) const;
  const SyncCount *held(const ObjectPath &P) const;
};

/// Everything the function does to one object.
struct SyncObjectUse {
  ObjectPath Object;
  /// Effect bits (Summary.h) seen anywhere in the function.
  uint32_t Effects = 0;
  /// The first (in source order) arrival, and the first acquire (a wait on a
  /// semaphore).
  const clang::Stmt *FirstArrival = nullptr;
  const clang::Stmt *FirstAcquire = nullptr;
  /// The first arrival (in source order) reached by a path that has
  /// arrived already; null if none.
  const clang::Stmt *Repeated = nullptr;
  /// An arrival whose amount has no bound (a non-constant amount, a helper
  /// that arrives in a loop).
  bool UnknownAmount = false;
  /// An arrival that came through a callee's or a destructor's summary.
  bool ArrivalFromSummary = false;
  /// Where the first effect happens.
  clang::SourceLocation Loc;
};

struct SyncPaths {
  /// False if the analysis did not run (no graph, or the solver gave up).
  bool Solved = false;
  /// Every exit, in source order.
  llvm::SmallVector<SyncExit, 4> Exits;
  /// The arrivals when the function returns normally (all normal exits
  /// joined); nullopt if it never does.
  std::optional<llvm::SmallVector<SyncCount, 2>> NormalExit;
  /// The objects the function names, in the order first seen.
  llvm::SmallVector<SyncObjectUse, 2> Uses;

  const SyncObjectUse *use(const ObjectPath &P) const;
};

/// Runs the analysis over \p G. Exceptions are followed (exceptional edges,
/// unwinding) when \p Exceptions is set.
SyncPaths analyzeSyncPaths(FlowContext &Flow, const FlowGraph &G,
                           bool Exceptions = true);

} // namespace pitfall

#endif // PITFALL_FLOW_SYNCPATHS_H
