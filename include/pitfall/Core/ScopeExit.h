//===--- ScopeExit.h - objects whose destructor runs a callable they hold -===//
//
// A scope guard (`defer`, `finally`, `ScopeExit`) or a rollback object keeps
// a callable in a data member and calls it from its destructor: the callable
// runs where the object is destroyed, at the end of its scope on every path,
// under the locks held there. Recognised by what the destructor does, never
// by the class's name:
//
//   * the destructor's body calls a data member of `this` (`func()`,
//     `std::invoke(f_)`): a member of a closure type, a template parameter's
//     type, a std::function, a function pointer, or a reference to one;
//   * the call is certain when it is not under a branch, or when the only
//     branch around it tests a flag of the object that no member function but
//     a constructor assigns (marl's `valid`, cleared by the move constructor
//     on the moved-from object); a flag another member sets (`commit()`,
//     `dismiss()`) makes the call possible only.
//
// The callable a variable of such a class holds is the argument its
// constructor initialises the member from, directly (`Rollback<F> r(f)`) or
// through a factory function that returns the object built from its own
// parameter (`auto d = make_finally([&] { ... })`).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_SCOPEEXIT_H
#define PITFALL_CORE_SCOPEEXIT_H

#include <optional>

namespace clang {
class CXXRecordDecl;
class Expr;
class FieldDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

struct ScopeExitCall {
  /// The data member the destructor calls.
  const clang::FieldDecl *Field = nullptr;
  /// Called on every path through the destructor (see the file comment).
  bool Certain = false;
};

/// What \p RD's destructor calls of the object's own members; nullopt if it
/// calls none (or the destructor has no body in the translation unit).
std::optional<ScopeExitCall> scopeExitCallOf(const clang::CXXRecordDecl *RD);

/// For an automatic variable \p V of a class whose destructor calls a held
/// callable: the call, and the expression of the callable it was constructed
/// from (the argument of its constructor or factory). nullopt otherwise.
struct ScopeExitCallable {
  ScopeExitCall Call;
  const clang::Expr *Callable = nullptr;
};
std::optional<ScopeExitCallable> scopeExitCallableOf(const clang::VarDecl *V);

/// True if \p Body hands \p V on (std::move(v), an argument bound to a
/// non-const reference or a pointer, its address taken, a lambda's capture
/// by reference): its destructor may then run nothing there, the object it
/// was moved into running the callable elsewhere.
bool handsOn(const clang::VarDecl *V, const clang::Stmt *Body);

} // namespace pitfall

#endif // PITFALL_CORE_SCOPEEXIT_H
