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
#include "llvm/ADT/SmallVector.h"

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

  FlowContext &Flow;
  const CancellationRecognizer &Cancel;
  llvm::DenseMap<const clang::FunctionDecl *, bool> Consults, ThrowsOut;
  bool SawThreadStart = false;
};

} // namespace pitfall

#endif // PITFALL_FLOW_TASKLOOPS_H
