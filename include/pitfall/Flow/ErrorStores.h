//===--- ErrorStores.h - errors stored in a local and never read ----------===//
//
// The analysis behind pitfall-ignored-error's second hazard: an error stored
// into a local variable (initialised or assigned from a call whose value
// carries an error, or passed as an error out-parameter, `fs::remove(p,
// ec)`) that no path reads before it is overwritten or the variable dies.
// It is a backward liveness analysis over the flow graph, with exceptional
// edges: a handler that reads the error keeps it live before every call that
// may throw to the handler.
//
// What a call does to the variable it takes as an error out-parameter is the
// callee's business, read from the flow layer (Effects.h): a library
// function, or one declared without a body, stores into it; a function of
// the translation unit does what its error summary says: it reads the value
// first (a read), overwrites it on every path (a store), on some paths (a
// store that may leave the old value), or neither (nothing); when the
// summary is incomplete (callees beyond MaxSummaryDepth) and says nothing,
// the declaration's word is taken: a store. Any other use of the variable
// is a read.
//
// Besides locals, the caller's error is followed: a parameter declared as a
// non-const `error_code &` and an error-code member of the class (through
// `this`). Their value outlives the function, so only a store overwritten
// before any read is reported; a call of a function of the translation unit
// (which may read the member), a co_await or co_yield, reads every followed
// member, and a lambda capturing `this` makes members unfollowed.
//
// A variable whose address is taken, that a reference is bound to or a
// lambda captures by reference, that is [[maybe_unused]] or volatile, that is
// named as ignored (`ignored_ec`, `unused`, `_`), or that has a use the graph
// does not show, is not followed.
//
// findUnheededErrors() is the forward half: a call that stores its error in
// `ec` and its result in `n` (`n = read(fd, buf, ec)`), the error tested
// (`if (ec)`, `if (!ec)`), and a use of `n` reached both from the branch
// where the test saw an error and from the one where it did not: the error
// path rejoined the success path without returning, throwing, replacing the
// result or looking at which error it was (`if (ec) log(ec); use(n);`).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_ERRORSTORES_H
#define PITFALL_FLOW_ERRORSTORES_H

#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class CXXMemberCallExpr;
class DeclRefExpr;
class Expr;
class FunctionDecl;
class LambdaExpr;
class ParmVarDecl;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

struct UnreadErrorStore {
  /// The variable: a VarDecl (a local or a reference parameter), the
  /// DecompositionDecl of `auto [p, ec]`, or a FieldDecl (a member).
  const clang::ValueDecl *Var = nullptr;
  /// The call whose error is stored.
  const clang::CallExpr *Source = nullptr;
  /// A store that overwrites it before any read, on some path; null when
  /// the value dies unread on every path.
  const clang::Stmt *Overwrite = nullptr;
};

/// The error stores of \p Fn that no path reads, in source order. Cheap for
/// a function that stores no error (no graph is built).
llvm::SmallVector<UnreadErrorStore, 2>
findUnreadErrorStores(FlowContext &Flow, const clang::FunctionDecl *Fn);

struct UnheededError {
  const clang::VarDecl *Error = nullptr;  ///< where the call stores its error
  const clang::VarDecl *Result = nullptr; ///< where it stores its result
  const clang::CallExpr *Source = nullptr;
  /// A test of the error whose error branch rejoins, and the use of the
  /// result after it.
  const clang::Expr *Test = nullptr;
  const clang::DeclRefExpr *Use = nullptr;
};

/// The results of \p Fn used on a path where their call's error was tested,
/// seen, and not acted on; one finding per call, in source order.
llvm::SmallVector<UnheededError, 1>
findUnheededErrors(FlowContext &Flow, const clang::FunctionDecl *Fn);

/// The error-code parameters of the lambda \p Handler (a completion handler
/// when it is passed to a call) that its body never reads: named, not
/// [[maybe_unused]], not named as ignored. Unnamed parameters are dropped on
/// purpose; a generic lambda's `auto` parameter is not looked at.
llvm::SmallVector<const clang::ParmVarDecl *, 1>
unreadErrorParameters(const clang::LambdaExpr *Handler,
                      const ErrorRecognizer &Errors);

/// The call behind an initialiser or assigned value (through implicit nodes,
/// moves and copies) whose value carries an error worth keeping track of,
/// or null. std::async's future is not one: kept in a variable, it is waited
/// for when the variable dies.
const clang::CallExpr *errorStoringCall(const clang::Expr *E,
                                        const ErrorRecognizer &Errors);

/// True if \p Call can only succeed, so that dropping its error drops
/// nothing:
///  * it calls, without virtual dispatch, a function of the translation
///    unit whose result is an error code and whose every `return` gives a
///    value-initialised one (`error_code()`, `{}`) or the result of another
///    such call (followed MaxSummaryDepth calls deep): a transport's
///    `dispatch()` that posts a handler and returns `error_code()`. Not a
///    function out of sight, one that may return anything else, or a call
///    an override could answer;
///  * it is `std::to_chars` of an integer into a buffer whose size the
///    types and constants give (`buf, buf + sizeof buf`, `a.data(),
///    a.data() + a.size()` of a std::array) and that holds every value of
///    the type in the base (its digits, and a sign if signed). Not a
///    floating-point value, a buffer of unknown size or one too small.
bool cannotFail(const clang::CallExpr *Call, const ErrorRecognizer &Errors);

/// The function \p Call runs, to name in a finding: the callee, or what a
/// call through a callable runs (a std::function's target, a member function
/// pointer's function, std::invoke's callable); a template, not its
/// specialization ('store', not 'store<int>'). Null for a lambda or an
/// unknown target.
const clang::FunctionDecl *namedCallee(const clang::CallExpr *Call,
                                       FlowContext &Flow);

/// True if \p Call, a member call in \p Fn's body, ends \p Fn's use of its
/// object: on no path after it does \p Fn use the object (a local, a
/// parameter, a member of `this`, or a field of one) other than as the
/// object of a further member call \p IsEnd accepts, or as the operand of
/// `delete`. A lambda that captures the object (or `this`, for a member) is
/// a use; so is a use the graph does not show as following the call
/// through a later iteration of a loop. False when the object is not named
/// by a path (a global, an element, a smart pointer's `->`) or \p Fn has no
/// graph. pitfall-ignored-error's teardown calls: `sock.close(ec)` after
/// which the socket is only shut down, closed or left to die.
bool endsObjectUse(
    FlowContext &Flow, const clang::FunctionDecl *Fn,
    const clang::CXXMemberCallExpr *Call,
    llvm::function_ref<bool(const clang::CXXMemberCallExpr *)> IsEnd);

/// True if \p Call, a call in \p Fn that stores an error through an
/// out-parameter, returns `bool` and that result decides a condition (of an
/// `if`, a loop, a `?:`, through `!`, `&&` and `||`, or a local `bool` it
/// initialises that only conditions read): a predicate whose
/// false answer covers its failure (`if (!fs::exists(p, ec)) return
/// not_found();`, `fs::is_directory(p, ec)`), which the code acts on
/// through the result. The error_code overload is there not to throw.
bool failureAnsweredByResult(FlowContext &Flow, const clang::FunctionDecl *Fn,
                             const clang::CallExpr *Call);

/// True if \p Call, a call in \p Fn's body whose error is dropped, is the
/// last thing done with the stream it works on before that stream is torn
/// down: a later statement of the same block is a member call \p IsEnd
/// accepts (`close()`, `shutdown()`) on that stream or on an object it is
/// reached from (`conn->adaptor_.close()` after `asio::write(
/// conn->adaptor_.socket(), buffers, ec)`), no statement between them names
/// that object, and after it the block makes only further such calls before
/// it returns (or the teardown call ends the object's use: endsObjectUse).
/// The stream is the object of a member call, or an argument bound to a
/// non-const reference parameter, seen through accessors without arguments
/// (`socket()`, `lowest_layer()`). The final write of a rejection response
/// on a connection being closed: whatever the write did, the connection is
/// closed.
/// True if \p Call, a statement of \p Fn whose error result is discarded,
/// parses into a variable whose value before the call is the answer for
/// malformed input, where nothing else could report the failure: the
/// variable is a local of \p Fn initialised where it is declared, in the
/// call's block, passed to a non-const reference parameter of the call
/// (`std::from_chars(first, last, result)`), not named between its
/// declaration and the call, and returned by the next statement of the block
/// that names it; \p Fn returns the variable's type and has no parameter it
/// could report through (a non-const reference or pointer): `operator int()
/// const { int result = 0; std::from_chars(b, e, result); return result; }`.
bool parsesWithFallback(FlowContext &Flow, const clang::FunctionDecl *Fn,
                        const clang::CallExpr *Call);

/// True if \p Fn is a function of a C interface that has no way to report
/// an error: C language linkage (an exception cannot leave it), nothing
/// returned, and no parameter an error could be handed back through (a
/// pointer to a pointer, `char **errptr`, or a non-const pointer or
/// reference to a scalar: `int *status`); the handles it takes (pointers to
/// structures) are no such channel. An error its body drops has nowhere to
/// go by the interface's design: rocksdb's `rocksdb_writebatch_put()`.
bool withoutErrorChannel(const clang::FunctionDecl *Fn);

/// True if \p Call, in \p Fn, is made where \p Fn is already failing:
/// every path on ends in a throw, a rethrow or a call that does not return
/// (FlowGraph::failsAfter): `catch (...) { rollback(); throw; }`, a restore
/// before `abort()`. The error that matters is the one propagated.
bool failsAfter(FlowContext &Flow, const clang::FunctionDecl *Fn,
                const clang::CallExpr *Call);

bool precedesTeardown(
    FlowContext &Flow, const clang::FunctionDecl *Fn,
    const clang::CallExpr *Call,
    llvm::function_ref<bool(const clang::CXXMemberCallExpr *)> IsEnd);

} // namespace pitfall

#endif // PITFALL_FLOW_ERRORSTORES_H
