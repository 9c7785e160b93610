//===--- LoopCaptures.h - loop variables captured by escaping lambdas -----===//
//
// The analysis behind pitfall-loop-capture-by-reference. A lambda written in
// a loop that captures by reference a variable the loop owns (its
// init-statement's variables, shared by every iteration; its condition,
// range-for and body variables, one per iteration) is a hazard when the
// lambda outlives the iteration:
//
//   * a task runs it (FlowContext::taskStarts: threads, std::async,
//     executor functions, and the project's own spawners recognised by
//     their callable summaries), reached through the callable resolver
//     (std::function, std::bind, packaged_task, make_shared, variables,
//     containers of callables, captures of another lambda, coroutine
//     lambdas called on the spot), and the happens-before analysis
//     (TaskTracker) says the task may still run when the loop comes back to
//     its head, is left, or the function returns: nothing in the iteration
//     joined it, waited for its future or for what it signals (latch,
//     barrier, WaitGroup, condition variable, event, promise), or drained
//     its executor, on some path (exceptional and correlated paths
//     included);
//   * or a value holding it is stored where it outlives the iteration: a
//     member, a global, a parameter, a variable declared outside the loop
//     (also by a helper whose summary stores its callable argument), the
//     heap, or returned.
//
// A loop variable that is itself a reference to an element of the range
// (`for (auto &x : v)`) or an iterator into a container (`for (auto it =
// v.begin(); ...)`, captured by copy too) outlives the iteration, but not
// the container's storage: the capture dangles when a task that may still
// run holds it while the function resizes the container (a structural
// write, ContainerRecognizer) or the container, a local of the function,
// is destroyed.
//
// A local or by-value parameter of the function, outside loops, captured by
// reference dangles when the lambda outlives the call: a task whose thread,
// future or result is kept in a member, a global, through a parameter or on
// the heap and may still run at the return, or the lambda stored in such a
// place or returned. A thread detached with
// such a capture is left to pitfall-unjoined-thread (detached threads that
// use what dies).
//
// The analysis returns findings; the check words them.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_LOOPCAPTURES_H
#define PITFALL_FLOW_LOOPCAPTURES_H

#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class FunctionDecl;
class LambdaCapture;
class LambdaExpr;
class NamedDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace pitfall {

/// How a loop-scoped variable relates to the iterations of its loop.
enum class LoopVarKind {
  /// Declared in the init-statement of a `for` (or range-for): one object
  /// shared, and usually mutated, by every iteration; dies when the loop ends.
  Shared,
  /// A range-for variable declared by value, a condition variable or a
  /// variable of the body: a new object each iteration, destroyed at its end.
  PerIteration,
  /// A reference to an element of the range of a range-for, or an iterator
  /// into a container: valid while the container is not resized or
  /// destroyed.
  Element,
  /// A local or by-value parameter of the function (outside loops): it dies
  /// when the call returns.
  Function,
};

/// How a value leaves the iteration. The order is the check's wording.
enum class Escape : uint8_t {
  Thread,   ///< runs on a thread that outlives the iteration
  Async,    ///< runs through std::async whose future outlives the iteration
  Executor, ///< handed to an executor or spawner, not waited for
  Stored,   ///< stored into a variable declared outside the loop
  Member,   ///< stored into a data member
  Heap,     ///< handed to a new-expression
  Returned, ///< returned from the function
  Detached, ///< (a thread) detached
};

struct LoopCaptureFinding {
  const clang::LambdaExpr *Lambda = nullptr;
  const clang::LambdaCapture *Capture = nullptr;
  /// The captured variable (a VarDecl or a BindingDecl).
  const clang::ValueDecl *Var = nullptr;
  /// The loop that owns it.
  const clang::Stmt *Loop = nullptr;
  LoopVarKind Kind = LoopVarKind::PerIteration;
  /// Where the lambda leaves: the task start, the store, new, return.
  Escape How = Escape::Stored;
  const clang::Stmt *At = nullptr;
  /// The executor function, or the variable or member stored into.
  const clang::NamedDecl *Into = nullptr;
  /// For tasks: how the thread or future (the task's handle) leaves the
  /// iteration, when it can be told (detached, stored somewhere).
  std::optional<Escape> HandleHow;
  const clang::Stmt *HandleAt = nullptr;
  const clang::NamedDecl *HandleInto = nullptr;
  /// Element: the container the variable refers into, and where it is
  /// resized while the task may run (null: it is destroyed at the end of
  /// its scope while the task may run).
  const clang::Expr *Container = nullptr;
  const clang::Stmt *Invalidated = nullptr;
  /// The task outlives the iteration only on paths that leave through a
  /// failed test assertion (a `return` in the expansion of an
  /// AssertionMacros macro): the test has failed there.
  bool OnFailedAssertion = false;
};

/// The by-reference captures of loop-scoped variables in \p Fn's body whose
/// lambda outlives the iteration; one finding per capture, in source order.
llvm::SmallVector<LoopCaptureFinding, 4>
analyzeLoopCaptures(FlowContext &Flow, const clang::FunctionDecl *Fn);

} // namespace pitfall

#endif // PITFALL_FLOW_LOOPCAPTURES_H
