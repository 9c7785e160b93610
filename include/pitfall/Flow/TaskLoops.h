//===--- TaskLoops.h - loops that keep a task from ever being stopped -----===//
//
// The analysis behind pitfall-uncancellable-task. A task is a coroutine, or
// a callable started on another thread of execution (FlowContext::taskStarts:
// std::thread and the ThreadTypes, std::jthread, std::async, executor
// functions, the project's own spawners) whose body the callable resolver
// finds (a lambda, a function, a member function bound to an object,
// through std::function, std::packaged_task, std::bind, variables). The
// task's body, and the helpers it calls (MaxSummaryDepth deep), are searched
// for
//
//   * loops that can never end: a constant-true condition and no exit
//     reachable on the function's flow graph (a break, return, co_return or
//     goto out of the loop, a throw or a call of a function that throws,
//     when no handler inside the loop catches it, a [[noreturn]] call),
//     that never consult a cancellation source, directly or through a
//     helper that does (a stop_token, an atomic, asio's cancellation state,
//     a CancellationChecks function);
//   * loops of a std::jthread callable that never reads its stop_token;
//   * waits a stop request cannot wake, in a jthread loop that tests its
//     token.
//
// A coroutine loop ends otherwise when it yields (a generator), awaits asio
// I/O (which throws when the peer goes away), or awaits an awaiter whose
// await_resume checks cancellation itself: it consults a cancellation
// source or throws under a condition (the library's "cancelled" path),
// read from the awaiter's definition wherever it is.
//
// Callbacks are tasks too: findSelfRearming() finds the completion handler
// that starts its own asynchronous operation again on every path.
//
// Which tasks matter is decided here too: a std::thread only when it is
// detached (also by a helper) or kept in a long-lived place (a member, a
// global or static, the heap); std::async only with std::launch::async.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_TASKLOOPS_H
#define PITFALL_FLOW_TASKLOOPS_H

#include "pitfall/Core/Cancellation.h"
#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
} // namespace clang

namespace pitfall {

/// How a task runs; decides which rules apply and their wording.
enum class TaskStyle {
  Coroutine, ///< a coroutine (its frame lives until it ends)
  JThread,   ///< std::jthread: its destructor requests a stop and joins
  Thread,    ///< std::thread detached or kept in a long-lived place
  Async,     ///< std::async(std::launch::async, ...)
  Handed,    ///< handed to an executor or to a spawner of the project
};

struct LoopTask {
  TaskStyle Style = TaskStyle::Thread;
  /// Where it starts (null for a coroutine).
  const clang::Expr *Site = nullptr;
  /// The function whose body runs.
  const clang::FunctionDecl *Fn = nullptr;
  /// The std::stop_token it receives, if any.
  const clang::ParmVarDecl *Token = nullptr;
  /// For Handed: the executor function or spawner.
  const clang::FunctionDecl *HandedTo = nullptr;
};

struct TaskLoopFinding {
  enum Kind {
    Endless,       ///< a loop that can never end
    IgnoredToken,  ///< a jthread callable never reads its stop_token
    UnwakeableWait ///< a wait a stop request cannot wake
  } K = Endless;
  /// The loop (Endless, IgnoredToken) or the wait call (UnwakeableWait).
  const clang::Stmt *At = nullptr;
  /// The task, with Fn and Token those of the function holding the loop
  /// (a helper of the task's body, with the parameter the token reaches).
  LoopTask Task;
};

/// A completion callback that starts its own operation again on every path
/// (see TaskLoops::findSelfRearming).
struct RearmFinding {
  /// The asynchronous operation the callback is handed to.
  const clang::CallExpr *Operation = nullptr;
  /// Where the callback (or a helper it calls) starts it again.
  const clang::CallExpr *Rearm = nullptr;
};

class TaskLoops {
public:
  TaskLoops(FlowContext &Flow, const CancellationRecognizer &Cancel)
      : Flow(Flow), Cancel(Cancel) {}

  /// The tasks \p Fn starts (outside its lambdas, which are functions of
  /// their own), and \p Fn itself when it is a coroutine.
  llvm::SmallVector<LoopTask, 2> tasksIn(const clang::FunctionDecl *Fn);
  /// The tasks the initializer \p Init of a global or a data member starts.
  llvm::SmallVector<LoopTask, 1> tasksInInitializer(const clang::Expr *Init);

  /// The findings of task \p T, in its body and in the helpers it calls.
  void analyze(const LoopTask &T, llvm::SmallVectorImpl<TaskLoopFinding> &Out);

  /// The callbacks \p Fn hands to an asynchronous operation (a member
  /// function named async_*, the asio convention: `timer.async_wait(h)`)
  /// that call \p Fn again on every path through their body (directly or
  /// through helpers, MaxSummaryDepth deep), consult no cancellation source
  /// and never test their error_code (which carries operation_aborted after
  /// cancel()): the callback analog of `for (;;)`. A callback with a path
  /// that does not re-arm is not one.
  void findSelfRearming(const clang::FunctionDecl *Fn,
                        llvm::SmallVectorImpl<RearmFinding> &Out);

  /// True if \p T starts in `main` or in a function only `main` calls
  /// (\p Starter), or is a coroutine that only `main` calls: it is meant to
  /// run for the process lifetime.
  bool startedByMain(const LoopTask &T, const clang::FunctionDecl *Starter);
  /// True if \p FD is referenced in `main` and nowhere else.
  bool onlyMainCalls(const clang::FunctionDecl *FD);

  /// True if the local thread \p V of \p Fn runs for the process lifetime:
  /// \p Fn is `main` or only `main` calls it, every thread started into \p V
  /// can never end — it runs a loop that can never end (analyze()'s endless
  /// loops, those pitfall-uncancellable-task reports), or an io_context
  /// kept alive by a work guard it holds and never resets, which \p Fn never
  /// stops (runsGuardedContext()) — and \p Fn never joins \p V. With
  /// \p ThrowPath (the thread destroyed by an exception), a join after the
  /// throwing call does not matter: it would wait forever. The one decision
  /// behind ReportProcessLifetimeThreads of pitfall-unjoined-thread and of
  /// the analyzer's pitfall.ThreadJoin.
  bool runsForProcessLifetime(const clang::FunctionDecl *Fn,
                              const clang::VarDecl *V, bool ThrowPath = false);

  /// True if \p TaskFn keeps an io_context alive with a work guard it holds
  /// (Core/Escape.h workGuardedContext()), runs it (`io.run()`), never
  /// resets the guard, and no code of \p Starter (its lambdas too) stops
  /// that io_context: its run() does not return.
  bool runsGuardedContext(const clang::FunctionDecl *TaskFn,
                          const clang::FunctionDecl *Starter);

  /// True once tasksIn() or tasksInInitializer() saw a thread started (a
  /// thread, std::async, a spawner of the project; not an executor call).
  bool sawThreadStart() const { return SawThreadStart; }

  /// True if \p Loop, a loop of \p Owner, has an exit reachable from its
  /// head (see above).
  bool hasReachableExit(const clang::Stmt *Loop,
                        const clang::FunctionDecl *Owner);

private:
  void addTask(const TaskStart &TS, const clang::FunctionDecl *Starter,
               llvm::SmallVectorImpl<LoopTask> &Out, bool LongLived);
  bool threadEscapes(const TaskStart &TS, const clang::FunctionDecl *Starter);
  void visit(const LoopTask &T, const clang::FunctionDecl *Fn,
             const clang::ParmVarDecl *Token, unsigned Depth,
             llvm::SmallVectorImpl<const clang::FunctionDecl *> &Seen,
             llvm::SmallVectorImpl<TaskLoopFinding> &Out);
  bool consults(const clang::Stmt *S, unsigned Depth);
  bool consultsFn(const clang::FunctionDecl *FD, unsigned Depth);
  bool throwsOut(const clang::FunctionDecl *FD, unsigned Depth);
  static bool leavesFunction(const FlowGraph &G, const clang::Stmt *Site);
  bool awaiterChecksCancellation(const clang::Stmt *Loop);
  /// True if \p Handler tests its error_code parameter in a condition
  /// (also in the helpers it hands it to).
  bool testsErrorCode(const clang::FunctionDecl *Handler, unsigned Depth);
  bool resumeChecksCancellation(const clang::FunctionDecl *Resume,
                                unsigned Depth);
  const clang::CallExpr *rearmsOnEveryPath(const clang::FunctionDecl *Handler,
                                           const clang::FunctionDecl *Arm,
                                           unsigned Depth);

  FlowContext &Flow;
  const CancellationRecognizer &Cancel;
  llvm::DenseMap<const clang::FunctionDecl *, bool> Consults, ThrowsOut;
  /// Functions referenced outside `main` (computed on first use).
  std::optional<llvm::DenseSet<const clang::FunctionDecl *>> UsedOutsideMain;
  /// Functions referenced in `main` only.
  llvm::DenseSet<const clang::FunctionDecl *> MainOnly;
  bool SawThreadStart = false;
  llvm::DenseMap<std::pair<const clang::VarDecl *, unsigned>, bool>
      ProcessLifetime;
};

} // namespace pitfall

#endif // PITFALL_FLOW_TASKLOOPS_H
