//===--- Cancellation.h - stop tokens, endless loops, unwakeable waits ----===//
//
// Recognizers for the "every goroutine needs an exit path" family:
//  * cancellation sources: std::stop_token / std::stop_source, asio's (and
//    Boost.Asio's) cancellation_state / cancellation_slot /
//    this_coro::cancellation_state, atomic flags, and user functions named
//    in a CancellationChecks option;
//  * loops whose condition is a constant true, and loops bounded by their
//    header (whether an exit is reachable is decided on the function's flow
//    graph: lib/Flow/TaskLoops);
//  * blocking waits a stop request cannot wake (std::condition_variable::wait,
//    std::condition_variable_any::wait without a std::stop_token).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_CANCELLATION_H
#define PITFALL_CORE_CANCELLATION_H

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace pitfall {

/// Default value of the CancellationChecks option: none beyond the built-in
/// stop_token / asio / atomic recognizers.
inline constexpr const char *DefaultCancellationChecks = "";

/// True for std::stop_token and std::stop_source (through references).
bool isStopTokenType(clang::QualType T);

/// True for a type that carries a cancellation request: std::stop_token,
/// std::stop_source, (boost::)asio::cancellation_state / cancellation_slot /
/// cancellation_signal.
bool isCancellationSourceType(clang::QualType T);

/// True for std::atomic<T>, std::atomic_flag and std::atomic_ref<T>.
bool isAtomicType(clang::QualType T);

/// True if \p Loop's condition is absent (`for (;;)`) or a constant that
/// evaluates to true (`while (true)`, `while (1)`, `do ... while (kForever)`).
bool hasConstantTrueCondition(const clang::Stmt *Loop,
                              const clang::ASTContext &Ctx);

/// True for a loop whose trip count is bounded by its header: a range-for, or
/// a for loop with an increment and a condition.
bool isBoundedLoop(const clang::Stmt *Loop);

/// Recognizes what counts as "consulting a cancellation source".
class CancellationRecognizer {
public:
  explicit CancellationRecognizer(
      llvm::StringRef CancellationChecksOption = DefaultCancellationChecks)
      : Checks(CancellationChecksOption) {}

  /// True if \p S (not descending into lambdas) reads a stop_token or
  /// stop_source, passes a cancellation source to a call, reads asio's
  /// this_coro::cancellation_state, calls a CancellationChecks function, or
  /// (unless \p CountAtomics is false) reads an atomic object.
  bool consults(const clang::Stmt *S, bool CountAtomics = true) const;

  /// True if \p S (not descending into lambdas) names \p D at all.
  static bool references(const clang::Stmt *S, const clang::ValueDecl *D);

  const NameList &checks() const { return Checks; }

private:
  NameList Checks;
};

/// The first call in \p S (not descending into lambdas) that blocks until
/// notified and that a stop request cannot wake: std::condition_variable::wait
/// or std::condition_variable_any::wait without a std::stop_token argument.
/// Timed waits (wait_for / wait_until) are not reported: they wake by
/// themselves.
const clang::CallExpr *findUnwakeableWait(const clang::Stmt *S);

/// True if \p S (not descending into lambdas) co_awaits an asio I/O
/// operation (`co_await sock.async_read_some(..., use_awaitable)`,
/// `co_await asio::async_write(...)`): such an operation fails, and with
/// use_awaitable throws out of the loop, when the peer goes away. Timer
/// waits (`async_wait`) are not I/O: they fail only when cancelled.
bool awaitsFallibleIo(const clang::Stmt *S);

/// True if \p S (not descending into lambdas) constructs a
/// std::stop_callback (which typically notifies the condition variable).
bool constructsStopCallback(const clang::Stmt *S);

/// True if \p S (not descending into lambdas) acquires a lock: constructs a
/// std::lock_guard / unique_lock / scoped_lock / shared_lock (or Boost's),
/// calls lock() / try_lock() on an object, or a C API's lock function
/// (classifyLockFunctionCall(): pthread_mutex_lock, libuv's uv_mutex_lock).
bool acquiresLock(const clang::Stmt *S);

/// The first parameter of \p FD of type std::stop_token, or null.
const clang::ParmVarDecl *stopTokenParam(const clang::FunctionDecl *FD);

} // namespace pitfall

#endif
