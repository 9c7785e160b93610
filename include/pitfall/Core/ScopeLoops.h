//===--- ScopeLoops.h - loops whose body runs at most once ----------------===//
//
// Some loops are scopes: the body runs once, and the loop is there to run
// something when the body is left (a test framework's section, a
// lock-scope macro) or to make a macro a single statement:
//
//   #define SECTION(d) for (auto s_ = enter(d); s_; s_.leave())
//   #define LOCKED(m)  for (bool done_ = (m.lock(), false); !done_;
//                           done_ = true, m.unlock())
//   #define STMT(x)    do { x; } while (0)
//
// A variable its body declares dies at the end of the body, as any block's
// local does; no other iteration comes. The recognised shapes:
//   * `do ... while (c)` with `c` constant false;
//   * a `for` whose condition tests one variable of its init-statement (its
//     value, its negation, its conversion to bool), that its body never
//     names, and whose step
//       - assigns that variable a constant that makes the condition false
//         (sound wherever it is written), or
//       - calls a member function of it (`s_.leave()`), when a macro
//         writes the loop's header and the user the body: the macro's
//         author gave the body no way to see the variable, so the loop
//         cannot be iterating over it.
// A counting macro (`for (int i_ = 0; i_ < n; ++i_)`) tests a comparison,
// and a cursor macro (`for (auto c = query(); c; c.next())`) whose body
// names `c`: both are loops.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_SCOPELOOPS_H
#define PITFALL_CORE_SCOPELOOPS_H

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace pitfall {

/// True if \p S is a loop statement whose body runs at most once (see the
/// file comment).
bool runsAtMostOnce(const clang::Stmt *S, const clang::ASTContext &Ctx);

/// True for a loop statement whose body may run more than once: a loop that
/// runsAtMostOnce() is a scope.
bool repeats(const clang::Stmt *S, const clang::ASTContext &Ctx);

} // namespace pitfall

#endif // PITFALL_CORE_SCOPELOOPS_H
