//===--- Escape.h - callables handed to another thread of execution -------===//
//
// One recognizer answers "does this expression hand a callable to code that
// runs concurrently with (or after) the current scope?" for every check:
// thread constructors, std::async, and executor functions such as
// asio::post, pool.submit or co_spawn.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ESCAPE_H
#define PITFALL_CORE_ESCAPE_H

#include "pitfall/Core/Threads.h"

#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class CXXMethodDecl;
class CXXRecordDecl;
class Decl;
class FieldDecl;
class CXXMemberCallExpr;
class Expr;
class FunctionDecl;
class LambdaExpr;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

/// Default value of the EscapeFunctions option (free or member functions
/// that run a callable on another thread or later).
inline constexpr const char *DefaultEscapeFunctions =
    "submit;post;dispatch;defer;enqueue;spawn;co_spawn;push_task;detach_task;"
    "add_task;run_async;execute;async_run;schedule;launch;start_thread;"
    "create_thread;pthread_create;thrd_create;SDL_CreateThread;enqueue_task;"
    "submit_task;add_job;push_job";

enum class EscapeKind {
  ThreadConstructor, ///< std::thread t(f), std::jthread, ThreadTypes, and
                     ///< threads.emplace_back(f) on a container of threads
  Async,             ///< std::async(...) (any launch policy)
  ExecutorCall,      ///< an EscapeFunctions call
};

struct EscapeSite {
  EscapeKind Kind;
  const clang::Expr *Site;     ///< the construct / call expression
  const clang::Expr *Callable; ///< the argument that escapes
};

class EscapeRecognizer {
public:
  EscapeRecognizer(
      llvm::StringRef ThreadTypesOption = DefaultThreadTypes,
      llvm::StringRef EscapeFunctionsOption = DefaultEscapeFunctions);

  /// The callables that \p E (a CXXConstructExpr, a CallExpr, or in a
  /// template never instantiated a CXXUnresolvedConstructExpr) hands to
  /// another thread of execution; empty if none.
  llvm::SmallVector<EscapeSite, 1> escapes(const clang::Expr *E) const;

  /// True if \p Callee is one of the configured executor functions.
  bool isEscapeFunction(const clang::FunctionDecl *Callee) const;

  const ThreadTypes &threads() const { return Threads; }
  const NameList &escapeFunctions() const { return EscapeFunctions; }

private:
  ThreadTypes Threads;
  NameList EscapeFunctions;
};

/// What a member call does to an executor (a thread pool, an io_context):
///   Drain  waits until every task handed to it has run: `pool.join()`,
///          `pool.wait()`, `pool.wait_for_tasks()` (asio and Boost.Asio
///          thread pools, BS::thread_pool, TBB task groups);
///   Drive  runs its tasks on the calling thread until it runs out of work:
///          `io_context.run()`, `run_one()`, `poll()`, `poll_one()`.
/// Only the conventional names are known: an executor in a library cannot be
/// summarised. (A project's own executor is recognised by its summary.)
enum class ExecutorOp { None, Drain, Drive };
ExecutorOp classifyExecutorCall(const clang::CXXMemberCallExpr *Call);

/// True if \p T is an executor that runs what it is given one at a time, in
/// order: an asio / Boost.Asio strand.
bool isSerialExecutor(clang::QualType T);

/// True if \p T (through references) is an asio / Boost.Asio io_context
/// (io_service, its older name), whatever namespace the library is built
/// in (a bundled copy renames it).
bool isIoContext(clang::QualType T);

/// True if \p D is declared in asio or Boost.Asio (a namespace named
/// `asio`, or ending in `_asio` for a bundled copy).
bool isAsioDecl(const clang::Decl *D);

/// The io_context (or executor) the local variable \p V keeps alive when
/// \p V is an asio / Boost.Asio work guard: initialised by
/// `make_work_guard(ctx)`, or an `executor_work_guard` or
/// `io_context::work` constructed on `ctx` or `ctx.get_executor()`. While
/// the guard lives and is not reset, `ctx.run()` does not return until
/// `ctx.stop()`. Null otherwise.
const clang::Expr *workGuardedContext(const clang::VarDecl *V);

/// The data member of io_context type that the member \p Field (an I/O
/// object or executor: a socket, a strand, a timer) is constructed on: the
/// argument of its in-class initialiser, or of every constructor's
/// initialiser of it, that names a member of the same object of io_context
/// type (`strand_(io_)`, `socket_{io_}`, `timer_(io_.get_executor())`).
/// \p Field itself when it is an io_context held by value; null when
/// unknown (no initialiser names one, or two name different ones).
const clang::FieldDecl *ioContextMemberOf(const clang::FieldDecl *Field);

/// The only data member of io_context type of \p RD, held by value; null
/// when it has none, several, or one held by reference or pointer as well.
const clang::FieldDecl *onlyIoContextMember(const clang::CXXRecordDecl *RD);

/// True if \p E (after implicit casts, temporaries, std::move, std::ref) is
/// something that can be called: a lambda, a closure object, a function
/// (pointer or reference), a member-function pointer, a std::function or a
/// class with operator().
bool isCallableArgument(const clang::Expr *E);

/// True if \p Call lends its argument \p ArgIndex for no longer than its
/// caller runs: the argument is a local object of the calling function
/// (automatic storage, neither a reference nor a pointer), or its address,
/// bound to a reference or pointer parameter of a function whose body the
/// translation unit does not have (a library's entry point, declared only:
/// oneTBB's `r1::execute(arena, delegate)`). The function cannot keep the
/// object past the caller's return, where it dies: whatever it does with it
/// (call the callable it holds), it does before then. Not when the function
/// sees the object as a concrete callable it could copy and keep (`const
/// std::function<void()> &`, a non-abstract class with an operator()): a
/// copy may run later.
bool lendsLocalToOpaqueCall(const clang::CallExpr *Call, unsigned ArgIndex);

/// The lambda \p E evaluates to, looking through implicit casts,
/// materialized temporaries, std::move, a conversion to a callable wrapper
/// (`std::function<void()>` built from a lambda argument), and a local
/// variable initialised with a lambda (`auto f = [&]{...}; std::thread t(f);`).
const clang::LambdaExpr *lambdaBehind(const clang::Expr *E);

/// The callable \p E packages as asio's `use_future(f)` token does (`post(ex,
/// asio::use_future(f))` runs f and makes a future of its result), or null.
const clang::Expr *packagedCallable(const clang::Expr *E);

/// Skips parentheses, implicit casts, temporaries and functional casts.
const clang::Expr *ignoreWrappers(const clang::Expr *E);

/// True if the value of \p E can reach the object `this` points to: `this`
/// or `*this`, a lambda that captures `this` (or an init-capture that
/// does), a call or construction given such a value (`std::bind(&C::f,
/// this, _1)`, a `std::function` built from such a lambda), a local
/// variable initialised with one, and `shared_from_this()` (a library
/// member called on `this`). What a function hands on when it passes \p E.
bool carriesThis(const clang::Expr *E);

} // namespace pitfall

#endif
