//===--- LockOrder.h - mutexes acquired in opposite orders by threads -----===//
//
// The analysis behind pitfall-lock-order-inversion. Every function of the
// translation unit contributes the acquisitions it makes while it holds
// other mutexes (LockAnalysis.h: onAcquire), directly and in the helpers it
// calls: a helper's acquisitions, mapped to the caller's mutexes, are made
// under the locks the caller holds at the call, with the call as the path.
// An acquisition orders each mutex held before it (a mutex is named by its
// declaration: mutexKeyOf()) before the one acquired. Not an order:
//   * mutexes acquired together (std::scoped_lock, std::lock): neither is
//     held when the other is waited for;
//   * a mutex taken by try_lock() or std::try_to_lock: the thread backs off
//     instead of waiting;
//   * a mutex locked again while held (a recursive mutex).
//
// Two orders deadlock only on different threads. The threads are read off
// the translation unit:
//   task      the code reachable from a task's callable (every start of
//             FlowContext::taskStarts(): threads, std::async, executors, a
//             project's own pools);
//   starter   the rest of the function that starts tasks, concurrent with
//             the tasks it started that may still be running there
//             (HappensBefore.h: before the join, the future's get(), ...);
//   external  a function (not a lambda) that nothing in the translation
//             unit calls or starts, such as a class's public API: it may be
//             called from any thread.
// Two tasks of different starting functions are concurrent; two tasks of
// one function when one is started while the other may run (a task with
// itself when it is started again while it runs); a task with any starter or
// external code except its own starter's code after it ended. Starter and
// external code are not concurrent with each other (they may be one thread).
// A translation unit that starts no task reports nothing.
//
// Reported: a pair of mutexes acquired in both orders, or a cycle of three,
// whose orders are taken by pairwise concurrent threads; each set of mutexes
// once. The analysis returns findings; the check words them.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_LOCKORDER_H
#define PITFALL_FLOW_LOCKORDER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace clang {
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// One order of a cycle: \c Acquired is waited for while \c Held is held.
struct LockOrderStep {
  const clang::ValueDecl *Held = nullptr;
  const clang::ValueDecl *Acquired = nullptr;
  /// The function that holds Held, and the statement of its body that
  /// acquires Acquired: the acquisition, or the call that leads to it.
  const clang::FunctionDecl *Fn = nullptr;
  const clang::Stmt *At = nullptr;
  /// Where Fn acquired Held (null when it held it on entry).
  const clang::Stmt *HeldAt = nullptr;
  /// The acquisition itself, and the function it is in (Fn and At when
  /// the acquisition is in Fn's own body).
  const clang::FunctionDecl *AcquiredIn = nullptr;
  const clang::Stmt *AcquiredAt = nullptr;
  /// The start of the task whose thread takes this order, or null (the code
  /// of a starting function, or a function called from outside).
  const clang::Expr *StartedAt = nullptr;
};

/// A cycle of orders: Steps[I].Acquired is Steps[I + 1].Held, the last
/// step's Acquired is Steps[0].Held. Steps[0] is the order taken first in
/// source order (where the check reports).
struct LockOrderCycle {
  llvm::SmallVector<LockOrderStep, 3> Steps;
};

/// One use of an order for findOrderCycles(): the mutex held and the one
/// acquired while it is held, as small integers.
struct OrderUse {
  unsigned Held = 0, Acquired = 0;
};

/// The cycles of orders taken by concurrent threads: each pair of mutexes
/// acquired in both orders, then each cycle of three none of whose pairs was
/// reported, by uses that \p Concurrent (two indices into \p Uses) says can
/// overlap, pairwise. Each set of mutexes is reported once, as indices into
/// \p Uses in the cycle's order; cycles in the order of their first use.
/// At most \p MaxUsesPerOrder uses of one order are examined. Shared by the
/// per-TU analysis and pitfall-scan's link step.
std::vector<llvm::SmallVector<unsigned, 3>>
findOrderCycles(llvm::ArrayRef<OrderUse> Uses,
                llvm::function_ref<bool(unsigned, unsigned)> Concurrent,
                unsigned MaxUsesPerOrder);

class LockOrder {
public:
  explicit LockOrder(FlowContext &Flow);
  ~LockOrder();

  /// A function (method, lambda call operator, template instantiation or
  /// uninstantiated pattern) of the translation unit.
  void addFunction(const clang::FunctionDecl *FD);

  /// Analyses the functions added; cycles in source order.
  std::vector<LockOrderCycle> run();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace pitfall

#endif // PITFALL_FLOW_LOCKORDER_H
