//===--- LocalObjects.h - objects a function's call has to itself ---------===//
//
// Whether the object a member call is made on is one no other code can
// reach while the calling function runs: a local object of the function's
// own (or the target of its local pointer to a fresh allocation) that the
// function neither hands out nor lets a lambda capture by reference. Read
// off the function's body (how each mention of the variable is used), not
// off names.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_LOCALOBJECTS_H
#define PITFALL_CORE_LOCALOBJECTS_H

namespace clang {
class Expr;
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

/// The variable of \p Object, the object of a member call in \p FD's body,
/// when it is a per-run object (isPerRunObject()) declared by \p FD itself (not
/// a capture) that no other code can reach while \p FD runs: its variable is
/// named only as the object of member calls and member operators (for a
/// pointer: through `->` and `*`, or a member of the smart pointer that
/// returns no pointer), as the source of a copy or move into another object
/// (a value's), or in a `return` (a smart pointer moved into the result
/// too); it is never captured by reference (a
/// pointer: never captured), its address is never taken, and it is never
/// bound to a reference or copied (a pointer) otherwise. Each call of
/// \p FD has its own, seen by its thread alone until \p FD returns it, but
/// for what the member functions called on it do with `this` (a thread they
/// start on it): the caller judges those. Null otherwise.
const clang::VarDecl *unsharedLocal(const clang::Expr *Object,
                                    const clang::FunctionDecl *FD);

} // namespace pitfall

#endif // PITFALL_CORE_LOCALOBJECTS_H
