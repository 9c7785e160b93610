//===--- Callables.h - what a callable expression runs, and where ---------===//
//
// A task's body is wherever its callable leads: a lambda, a function, a
// member function bound to an object (`std::thread(&C::run, this)`), a
// class's operator(), reached through std::function, std::move_only_function,
// std::packaged_task, std::bind / bind_front, std::make_shared of those,
// std::ref, moves and copies, local variables that hold one of these, the
// elements of a local container filled with one (`for (auto &job : jobs)`),
// and a coroutine called on the spot (its body runs when the returned object
// is awaited or spawned). resolve() follows all of them to the function whose
// body runs.
//
// A TaskStart is an expression that hands a callable to another thread of
// execution: a thread constructor, std::async, a configured executor
// function, or a user function whose summary says it runs its callable
// argument on another thread (a project's own pool or scheduler).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_CALLABLES_H
#define PITFALL_FLOW_CALLABLES_H

#include "llvm/ADT/DenseMap.h"

namespace clang {
class CallExpr;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class LambdaExpr;
class VarDecl;
} // namespace clang

namespace pitfall {

/// How deep resolveCallable() follows variables and wrappers.
inline constexpr unsigned MaxCallableHops = 6;

struct CallableTarget {
  /// The function whose body runs when the callable is invoked: a lambda's
  /// call operator, a function, a member function, a class's operator().
  const clang::FunctionDecl *Fn = nullptr;
  /// The lambda, when the callable is one.
  const clang::LambdaExpr *Lambda = nullptr;
  /// For a member function pointer bound to an object (`&C::run, this`,
  /// `std::bind(&C::run, this)`): the object expression, when known.
  const clang::Expr *BoundObject = nullptr;
  /// For indirectCallee(): true if Fn's parameters take the call's
  /// arguments in order (a std::function call, a member function pointer
  /// call), false if they are shifted (std::invoke, a bound object).
  bool ArgumentsAligned = false;
  explicit operator bool() const { return Fn != nullptr; }
};

class CallableResolver {
public:
  /// The target of \p E; empty when it cannot be followed (a callable
  /// parameter, a function pointer variable assigned elsewhere, ...).
  /// \p NextArg is the argument after the callable in the call that takes
  /// it (`std::thread t(&C::run, this)`), used as the object of a member
  /// function pointer.
  CallableTarget resolve(const clang::Expr *E,
                         const clang::Expr *NextArg = nullptr) const;

  /// The local variable \p V's callable value, if every value it is given in
  /// its function (initialiser and assignments) leads to the same target.
  CallableTarget ofVariable(const clang::VarDecl *V) const;

  /// The callable the elements of the local container \p C hold, if every
  /// callable its function puts into it (push_back, emplace, insert, ...,
  /// assignment to an element) leads to the same target.
  CallableTarget ofElements(const clang::VarDecl *C) const;
  /// What a call through a callable runs: the call operator of a callable
  /// wrapper (std::function, std::packaged_task, ...) resolved through its
  /// object, a member function pointer (`(obj.*pmf)()`, with obj as
  /// BoundObject), std::invoke / std::invoke_r, a function pointer. Empty for
  /// a direct call (its callee is what runs) and for what cannot be
  /// followed.
  CallableTarget indirectCallee(const clang::CallExpr *Call) const;

private:
  CallableTarget resolve(const clang::Expr *E, const clang::Expr *NextArg,
                         unsigned Hops) const;
  mutable llvm::DenseMap<const clang::VarDecl *, CallableTarget> Vars;
  mutable llvm::DenseMap<const clang::VarDecl *, CallableTarget> Elements;
};

/// The function a class's objects run when called: its single operator()
/// (the lambda's call operator for a closure type), or null.
const clang::FunctionDecl *callOperatorOf(const clang::CXXRecordDecl *RD);

} // namespace pitfall

#endif // PITFALL_FLOW_CALLABLES_H
