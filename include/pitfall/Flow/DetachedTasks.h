//===--- DetachedTasks.h - detached threads that outlive what they use ----===//
//
// A detached thread runs on after the function that detached it has
// returned: Go's leaked goroutine, which in C++ touches freed memory when
// its callable refers to an object that dies first. For every detach() in a
// function (of a local thread, a temporary, the elements of a local
// container of threads, or a thread member in a destructor), the threads
// it may detach are found (their starts in the function, or in the class
// for a member) and what their callables share with the function:
//
//   * a variable of the function captured by reference (a local, a
//     parameter), or handed by std::ref / std::cref / address;
//   * `this`, when the detach is in the destructor (captured by a lambda, or
//     the object of a member function pointer).
//
// Not reported: variables with static storage; captures by copy; and
// functions that wait, after starting the thread, for a signal the thread
// gives (a promise, latch, condition variable: the wait orders the
// thread's uses before the variables die).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_DETACHEDTASKS_H
#define PITFALL_FLOW_DETACHEDTASKS_H

#include "pitfall/Flow/FlowContext.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace pitfall {

struct DetachedUse {
  /// The detach() call.
  clang::SourceLocation Detach;
  /// The variable the thread shares; null for `this` (detached in the
  /// destructor).
  const clang::ValueDecl *Object = nullptr;
  /// Where the thread's callable uses it (or where it is handed over).
  clang::SourceLocation Use;
};

/// The objects that threads detached in \p Fn may use after they die, in
/// source order of the detach calls.
void findDetachedUses(FlowContext &Flow, const clang::FunctionDecl *Fn,
                      llvm::SmallVectorImpl<DetachedUse> &Out);

} // namespace pitfall

#endif // PITFALL_FLOW_DETACHEDTASKS_H
