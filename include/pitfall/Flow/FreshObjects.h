//===--- FreshObjects.h - objects a function has just made, not shown yet -===//
//
// A function that makes an object (`new`, `std::make_shared`,
// `std::make_unique`, a call returning a `std::unique_ptr` by value) holds
// the only pointer to it until the pointer escapes: copied into another
// object (a member vector, a global, a struct handed on), handed to a call,
// captured by a lambda, returned. The member functions it calls on the
// object before that run on an object no other thread can reach yet, but
// through what those member functions do with `this` themselves (start a
// thread on it): their callers judge that (the link step: a call that may
// start a task ends the window for the calls after it). The object escaping
// later does not change what was done before.
//
// The pointer is held by a local variable of the function (a raw or smart
// pointer, not static, not a reference, never captured by reference, its
// address never taken nor bound to a reference), or by a field of a local
// object reached through `.` (`lt.thread = std::make_shared<T>()`). A
// forward dataflow over the function's flow graph follows, on every path,
// whether each holder holds such an object (or a null pointer: a call
// through it is no call) not escaped yet. Read off what the function does
// with the variable, not off names.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_FRESHOBJECTS_H
#define PITFALL_FLOW_FRESHOBJECTS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class Expr;
class VarDecl;
} // namespace clang

namespace pitfall {

class FlowGraph;

/// The calls of a function that concern the objects it has just made.
struct FreshObjectCalls {
  /// Each member call (or member operator call) made, on every path to it,
  /// on an object the function made and no other code can reach yet: the
  /// number of the pointer's holder (a local, or a field of one).
  llvm::DenseMap<const clang::Expr *, unsigned> SetUp;
  /// The expressions that make such an object, with their holder's number:
  /// the constructor a `new` runs (its CXXConstructExpr), the call of
  /// `std::make_shared` or of the function returning a `std::unique_ptr`.
  llvm::DenseMap<const clang::Expr *, unsigned> Makers;
  /// The factory calls (Core factoryCall(): `factory_()`, `State::create()`)
  /// that give each holder (by number) its object, taken above for new
  /// ones: the object is new only if what each may run returns one, which
  /// the caller judges (the link step, from the callees' summaries).
  llvm::DenseMap<unsigned, llvm::SmallVector<const clang::CallExpr *, 1>>
      Factories;
};

/// The member calls of \p G's function on the objects it has just made and
/// not shown to any other code yet (see above).
FreshObjectCalls freshObjectCalls(const FlowGraph &G);

/// True if the local object \p V of \p G's function holds, at \p At, an
/// object the function has just made and not shown yet: in the block around
/// \p At, the last statement before it that names \p V (no label in
/// between: no jump enters there) declares \p V with a constructor that
/// copies nothing, or assigns it such a temporary (`intf =
/// NetworkInterface(i);`). \p V is an object held by value (not static, not
/// a reference) whose address the function never takes, that it never
/// binds to a non-const reference variable nor captures by reference: its
/// parts, a pimpl included, are reached by no other code until it is
/// copied. Straight-line code only.
bool madeJustBefore(const FlowGraph &G, const clang::Expr *At,
                    const clang::VarDecl *V);

} // namespace pitfall

#endif // PITFALL_FLOW_FRESHOBJECTS_H
