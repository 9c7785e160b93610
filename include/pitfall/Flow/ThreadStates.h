//===--- ThreadStates.h - where a local thread may still be joinable ------===//
//
// The analysis behind pitfall-unjoined-thread for the threads a function
// owns (local std::thread objects and local containers of them): a forward
// may-analysis over the flow graph, with path correlation, of the states
// each object may be in (not started, joinable, done, unknown). It reports
// where a joinable thread is destroyed (end of scope, return, jump), where
// one is assigned over, and where an exception thrown by a call destroys it
// on its way out (exceptional edges; catch blocks are real paths, so a
// handler that joins, or swallows and lets the code below join, is seen).
//
// What ends joinability is read by the flow layer: join()/detach(), a move
// into another owner, a helper whose summary joins its thread argument, a
// loop or std::for_each that joins every element of a container, the false
// branch of `t.joinable()`. A thread whose address escapes to code whose
// effect is unknown is not tracked.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_THREADSTATES_H
#define PITFALL_FLOW_THREADSTATES_H

#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/Graph.h"
#include "pitfall/Flow/Throws.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

struct ThreadObject {
  const clang::VarDecl *Var = nullptr;
  bool IsContainer = false;
  bool Escaped = false;        ///< address or reference leaves to unknown code
  bool Detached = false;       ///< detached somewhere
  bool Moved = false;          ///< moved out, returned or swapped
  bool Assigned = false;       ///< target of operator=
  bool PassedAsThread = false; ///< argument of a call or construction
};

struct ThreadFinding {
  enum Kind { Destroyed, Reassigned, Thrown } K = Destroyed;
  unsigned Object = 0;
  clang::SourceLocation Loc;
  ScopeExitKind Exit = ScopeExitKind::ScopeEnd;
  bool IsThrowExpr = false;
  /// Thrown: the kind of exception. Destroyed: Assertion for the return of
  /// a failed test assertion (GoogleTest's ASSERT_*), None otherwise.
  ThrowKind Throw = ThrowKind::None;
  /// Where the thread was started (or added to the container).
  clang::SourceLocation StartLoc;
  /// True if the thread is joinable on every path reaching the finding.
  bool OnEveryPath = false;
};

struct ThreadStates {
  llvm::SmallVector<ThreadObject, 4> Objects;
  /// In source order, each (object, place) once.
  llvm::SmallVector<ThreadFinding, 4> Findings;
};

/// Analyses the thread-owning locals of \p Fn. Exceptions of a kind below
/// \p MinThrow (see ThrowKind) are not followed.
ThreadStates analyzeThreadLocals(FlowContext &Flow,
                                 const clang::FunctionDecl *Fn,
                                 ThrowKind MinThrow);

/// A variable or field that holds terminating thread objects by value (a
/// std::thread or a container of them).
bool ownsThreads(const clang::ValueDecl &D, const ThreadTypes &Threads);

/// True if a member function named \p Name called with \p NumArgs arguments
/// adds an element to a standard container (`emplace_back(f)`,
/// `push_back(t)`, `emplace(pos, f)`, `insert(t)`, ...).
bool isContainerFillName(llvm::StringRef Name, unsigned NumArgs);

} // namespace pitfall

#endif // PITFALL_FLOW_THREADSTATES_H
