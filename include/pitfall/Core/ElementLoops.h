//===--- ElementLoops.h - loops that visit every element of a container ---===//
//
// The one recogniser of "a loop that does something to every element of a
// container" (joins every thread of a pool, waits for every future): the
// shapes people write, read off the loop's header, and the expressions of
// its body that name the element the iteration visits.
//
//   for (auto &t : pool) t.join();                      range-for
//   for (size_t i = 0; i < pool.size(); ++i) pool[i].join();
//   for (int i = 0; i < n; ++i) pool[i].join();         n: the fill's bound
//   for (auto it = pool.begin(); it != pool.end(); ++it) it->join();
//   while (!q.empty()) { q.front().join(); q.pop_front(); }
//
// An iterator loop that runs to the container's end from another start
// (`for (; it != c.end(); ++it)`, `while (it != c.end()) { ...; ++it; }`)
// visits the tail it starts at: FromBegin tells the two apart (lock
// striping takes the stripes from the current array to the end).
//
// An index loop bounded by something other than the container's size
// visits every element only when the container holds that many: a bound
// that is the container's fixed size (a built-in array's extent,
// std::array's N), or the loop that filled it, from 0 to the same bound,
// one element per iteration (filledUpToBound()). An index loop from 1, to
// another bound, or one whose body changes the index visits some elements only.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ELEMENTLOOPS_H
#define PITFALL_CORE_ELEMENTLOOPS_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace clang {
class CXXMemberCallExpr;
class Expr;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

struct ElementLoop {
  enum class Shape { RangeFor, Index, Iterator, Front };
  Shape Kind = Shape::RangeFor;
  const clang::Stmt *Loop = nullptr;
  /// The container as the loop names it.
  const clang::Expr *Container = nullptr;
  const clang::Stmt *Body = nullptr;
  /// The range-for variable, the index or the iterator; null for Front.
  const clang::VarDecl *Var = nullptr;
  /// An index loop's bound when it is not the container's size (`i < n`).
  const clang::Expr *Bound = nullptr;
  /// An iterator loop's step when it is the last statement of a while
  /// loop's body (`++it;`), null otherwise.
  const clang::Stmt *Step = nullptr;
  /// False for an iterator loop that does not start at the container's
  /// begin(): it visits the elements from wherever its iterator starts.
  bool FromBegin = true;
};

/// The loop \p Loop as one that visits every element of a container once
/// it is left through its condition (see above); nullopt for any other
/// statement. An index loop with a Bound is one only when
/// filledUpToBound() says so. An index loop to a bound of its own that
/// subscripts several containers with its counter (`threads[t].join();
/// total += count[t];`) stands for the first that \p WantedContainer
/// accepts, or for the first it subscripts.
std::optional<ElementLoop> elementLoopOf(
    const clang::Stmt *Loop,
    llvm::function_ref<bool(const clang::Expr *)> WantedContainer = nullptr);

/// True if \p E names (a part of, or what is pointed to by) the element the
/// current iteration of \p L visits: the range-for variable, `c[i]`,
/// `c.at(i)`, `*it`, `it->`, `c.front()`.
bool isVisitedElement(const ElementLoop &L, const clang::Expr *E);

/// For an index loop with a Bound: true if a `for` loop of \p FunctionBody
/// that ends before \p L starts counts from 0 to the same bound (the same
/// variable, template parameter, member or constant) and, each iteration,
/// calls a member of the container that \p Fills accepts (push_back,
/// emplace_back) or assigns the element of its counter (`c[j] = ...`).
/// True for the other loops.
bool filledUpToBound(
    const ElementLoop &L, const clang::Stmt *FunctionBody,
    llvm::function_ref<bool(const clang::CXXMemberCallExpr *)> Fills);

} // namespace pitfall

#endif // PITFALL_CORE_ELEMENTLOOPS_H
