//===--- Blocking.h - calls that wait, and waits for handed-off tasks -----===//
//
// A project's own waits, read off what its functions do rather than their
// names:
//   * a function blocks its caller when its body (lambdas left out) waits:
//     a join, a wait on a future or a future-like object (Core/Futures.h),
//     on a condition variable, a latch, a barrier, a semaphore, a
//     WaitGroup or an atomic, or a call of a function of the translation
//     unit that blocks in turn (MaxSummaryDepth calls deep);
//   * the handle a task's start returns is waited on through its API: a
//     future-like wait, or get(), wait() or join() of a class whose member
//     blocks (a result object whose get() waits on a condition variable);
//   * a function that hands callables to an object (`seq.enqueue(f)`: a
//     member call given a callable that starts a task, FlowContext::
//     taskStarts; a setter keeping a hash function starts none) and then
//     calls a member of that object
//     that blocks (`seq.drain()`, which enqueues a task of its own and
//     waits for its future) has waited for what it handed: the code after
//     the wait is ordered after those tasks. A non-blocking member of the
//     object (a size getter), a blocking member of another object, or a
//     callable handed after the wait orders nothing.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_BLOCKING_H
#define PITFALL_FLOW_BLOCKING_H

#include "pitfall/Core/AtomicWaits.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
class CallExpr;
class CXXMemberCallExpr;
class Expr;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace pitfall {

class FlowContext;
class FlowGraph;
class TaskTracker;

/// True if \p FD's body waits (see above), computed afresh: use
/// FlowContext::blocksCaller(), which caches it.
bool computeBlocksCaller(FlowContext &Flow, const clang::FunctionDecl *FD);

/// True if \p Call waits for the result of the object it is made on (a
/// task's handle): a future-like wait, or get(), wait() or join() of a
/// class of the translation unit whose member blocks its caller.
bool waitsForResult(FlowContext &Flow, const clang::CXXMemberCallExpr *Call);

/// The waits of one function for the callables it handed to objects, and
/// for the tasks \p Tasks tracks (their handles joined or waited on).
class HandOffWaits {
public:
  HandOffWaits(FlowContext &Flow, const FlowGraph &G, const TaskTracker &Tasks);

  /// True if, on every path to \p S, the function waited for a task (a
  /// handle joined or waited on, a blocking member of an object it handed
  /// callables to) and every object it handed callables to was waited on
  /// after its last hand-off.
  bool orderedAfter(const clang::Stmt *S) const;
  /// True if \p Call hands a callable to an object (a member call on a
  /// named object given a callable argument, that starts a task).
  bool isHandOff(const clang::Expr *Call) const { return HandOffs.count(Call); }

private:
  friend class HandOffFlow;
  llvm::DenseMap<const clang::Stmt *, bool> After;
  llvm::SmallPtrSet<const clang::Expr *, 8> HandOffs;
  bool Valid = false;
};

/// The waits for an atomic that a function has completed on every path to
/// each of its statements: a spin loop left by its condition (`while
/// (!done) yield();`, Core's atomicSpinWait()), and a call of a polling
/// wait (Core's polledCallable(): CppUnit's `waitForCondition(pred,
/// timeout)`) whose callable is a lambda returning conditions on atomics
/// (Core's atomicConditions(): `[&] { return done.load(); }`) and whose
/// result the function checks: the branch on which it was true, or the
/// code after it was handed to a `bool` parameter (a test framework's
/// check, CppUnit's `assertTrue(...)` calling `assertImplementation(bool,
/// ...)`) or checked in an AssertionMacros macro (a failed check ends the
/// test). A result dropped or stored orders nothing. Past such a wait the
/// function has seen a store that ends it (seq_cst or acquire loads).
class CompletedAtomicWaits {
public:
  CompletedAtomicWaits(FlowContext &Flow, const FlowGraph &G);

  /// The waits completed on every path to \p S, a statement of the
  /// function (or to the nearest enclosing one the graph holds).
  llvm::ArrayRef<AtomicSpin> before(const clang::Stmt *S) const;
  /// True if the function makes such a wait at all.
  bool any() const { return Any; }

private:
  friend class AtomicWaitFlow;
  const FlowGraph &G;
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<AtomicSpin, 2>> At;
  /// The polling waits and what their predicates wait for.
  llvm::DenseMap<const clang::CallExpr *, llvm::SmallVector<AtomicSpin, 2>>
      Polls;
  bool Any = false;
  bool Valid = false;
};

} // namespace pitfall

#endif // PITFALL_FLOW_BLOCKING_H
