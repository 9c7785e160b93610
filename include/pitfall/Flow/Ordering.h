//===--- Ordering.h - what a statement waited for, and signals after ------===//
//
// Happens-before between statements of two threads through the objects they
// synchronise on. In one function:
//
//   waitedBefore(S)    the objects waited on on every path to S: a latch,
//                      barrier or WaitGroup wait, a semaphore acquire, a
//                      condition-variable wait, a future's get()/wait(), a
//                      join;
//   signalledAfter(S)  the objects counted down, arrived at, released or
//                      signalled (notify, set_value, a packaged task run) on
//                      every path from S to the function's return.
//
// A statement `a` of one thread happens before a statement `b` of another
// when an object signalled after `a` is waited on before `b`: the condition-
// variable handoff (fill, then notify; wait, then read), a latch counted down
// after the work and waited on before the result is read, a promise set after
// a write and its future waited on before a read, two barrier phases.
//
// Both are must-analyses on the dataflow framework (a forward one for the
// waits, exceptional edges included, a backward one for the signals); what
// an expression does is read by Effects.h, so helpers that wait or signal are
// seen through their summaries. A future obtained from a promise or a
// packaged task (`auto f = p.get_future();`) stands for that promise or task:
// set_value() and get() meet on one object.
//
// Limitations: a wait is matched with any signal of its object (a latch whose
// count is not yet balanced, a condition variable notified for another
// reason, a barrier's next phase are not told apart).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_ORDERING_H
#define PITFALL_FLOW_ORDERING_H

#include "pitfall/Core/ExprUtil.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class Stmt;
} // namespace clang

namespace pitfall {

class FlowContext;
class FlowGraph;
struct TaskStart;

/// A small set of synchronization objects.
using SyncObjects = llvm::SmallVector<ObjectPath, 2>;

class SyncOrder {
public:
  /// Analyses \p G's function.
  SyncOrder(FlowContext &Flow, const FlowGraph &G);

  /// The objects waited on on every path to \p S (a statement or
  /// sub-expression the graph evaluates), before \p S itself.
  llvm::ArrayRef<ObjectPath> waitedBefore(const clang::Stmt *S) const;
  /// The objects signalled on every path from \p S, after \p S itself, to
  /// the function's return.
  llvm::ArrayRef<ObjectPath> signalledAfter(const clang::Stmt *S) const;

  /// The objects signalled on some path to \p S, before \p S itself.
  llvm::ArrayRef<ObjectPath> maySignalledBefore(const clang::Stmt *S) const;

  /// Per object the function signals (counts down, arrives at, notifies),
  /// the objects it waited on before every one of those signals: a relay
  /// (`a.wait(); ...; b.signal();` passes a's signal on to b's waiters).
  struct Relay {
    ObjectPath Signalled;
    SyncObjects WaitedBefore;
  };
  llvm::ArrayRef<Relay> relays() const { return Relays; }

private:
  llvm::DenseMap<const clang::Stmt *, SyncObjects> Waited, Signalled,
      MaySignalled;
  llvm::SmallVector<Relay, 2> Relays;
};

/// The objects whose signal must have happened once a thread has waited on
/// \p Waited: \p Waited, and, transitively, what every signaller of one of
/// them waited on before signalling it (\p Relays: the relays of every
/// thread that may signal, named alike). An object some relay signals
/// without waiting first passes nothing on.
SyncObjects waitClosure(llvm::ArrayRef<ObjectPath> Waited,
                        llvm::ArrayRef<SyncOrder::Relay> Relays);

/// The object a wait or signal on \p P meets its counterpart on: a future
/// obtained from a promise or packaged task (`f = p.get_future()`, and
/// `f.share()`) stands for it; any other object for itself.
ObjectPath eventObject(const ObjectPath &P);

/// What task \p T signals when it ends, besides what its body does: the
/// packaged task it runs (`std::thread t(std::move(task))`), whose future
/// becomes ready then. nullopt if none.
std::optional<ObjectPath> taskEndEvent(const TaskStart &T);

/// True if an object of \p Signalled is in \p Waited (after eventObject()).
bool meets(llvm::ArrayRef<ObjectPath> Signalled,
           llvm::ArrayRef<ObjectPath> Waited);

} // namespace pitfall

#endif // PITFALL_FLOW_ORDERING_H
