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

#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
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

/// As unsharedLocal() for a local object (or a local pointer, smart or raw,
/// to the new object it was initialised with), with three more uses that
/// keep it the calling thread's: an argument bound to a reference parameter
/// of a call, or its address (`&v`, `p.get()`, `p`) bound to a pointer
/// parameter (each such call is added to \p RefCalls: the caller must judge
/// what the callee does with it, keptParam()), a field of it (a
/// scalar, or a class-type field whose own mentions are such uses:
/// `r.result = "..."`, `r.ec = e`) and a `co_return`. Each request's own
/// result that a function fills by handing it to a handler by reference and
/// returns. Null otherwise.
const clang::VarDecl *
ownedLocal(const clang::Expr *Object, const clang::FunctionDecl *FD,
           llvm::SmallVectorImpl<const clang::CallExpr *> &RefCalls);

/// The variable of \p Object, the object of a member call in \p FD's body,
/// when each iteration of a loop of \p FD makes it anew: a per-run object
/// (isPerRunObject(): a local object, or a pointer initialised with a fresh
/// allocation) that \p FD itself declares in the body of a loop (a `for`,
/// `while` or `do` statement's body, a range-`for`'s loop variable), never
/// assigned after its declaration nor its address taken. Each iteration's
/// call is made on another object than the earlier iterations' (whatever
/// they stored it in). Null otherwise.
const clang::VarDecl *iterationObject(const clang::Expr *Object,
                                      const clang::FunctionDecl *FD);

/// The variable \p Init (a construction, or a fresh allocation for a
/// pointer) initialises in \p Declaration, a declaration statement of
/// \p FD's body, when each iteration of a loop makes it anew as
/// iterationObject() says: the call \p Init is the first made on that
/// iteration's object. Null otherwise.
const clang::VarDecl *iterationObjectMadeBy(const clang::Expr *Init,
                                            const clang::Stmt *Declaration,
                                            const clang::FunctionDecl *FD);

/// True if the variable \p V, the root of a path to the object \p FD
/// touches, names an object each iteration of a loop of \p FD makes anew as
/// iterationObject() says: a local object (\p ThroughPointer false) or a
/// local pointer initialised with a fresh allocation (\p ThroughPointer
/// true: the path goes through it) that \p FD declares in a loop's body and
/// never makes name another object.
bool isIterationVariable(const clang::VarDecl *V, bool ThroughPointer,
                         const clang::FunctionDecl *FD);

/// For \p Object, the object of a member call in the body of \p Lambda (a
/// lambda's call operator), the variable it names when that is a local
/// object (not a pointer, a reference or a parameter) of the function that
/// defines the lambda, captured by reference, that no code but that
/// function's body and its lambdas reaches: each of its mentions there (in
/// the lambdas' bodies too) is a use unsharedLocal() allows, and every
/// lambda that captures it by reference is handed straight to a call
/// (`std::async(..., [&] { n.halt(); })`, `std::thread t([&] { ... })`),
/// not kept in a variable. Each run of the defining function has its own; a
/// task running the lambda sees it only while that run lasts. Null
/// otherwise.
const clang::VarDecl *capturedLocal(const clang::Expr *Object,
                                    const clang::FunctionDecl *Lambda);

/// True if the reference or pointer parameter \p Param of \p FD is kept by
/// it: every mention is such a use as ownedLocal() allows (a member call on
/// it, a copy from it, a field of it, an argument bound to a reference
/// parameter, a pointer's handed to a pointer parameter or tested for null:
/// the calls are added to \p RefCalls), never returned, captured, bound to
/// another reference, assigned or its address taken. What \p FD does with
/// the object it is handed, its callers' local, reaches no other code but
/// through the calls in \p RefCalls.
bool keptParam(const clang::ParmVarDecl *Param, const clang::FunctionDecl *FD,
               llvm::SmallVectorImpl<const clang::CallExpr *> &RefCalls);

/// The expression naming the object the argument \p Arg hands to the
/// parameter \p Into, for ownedLocal() and keptParam(): \p Arg itself for a
/// reference parameter; for a pointer parameter, `v` of `&v`, the smart
/// pointer of `p.get()`, or a raw pointer \p Arg. Null for a parameter of
/// another type.
const clang::Expr *handedObject(const clang::Expr *Arg,
                                const clang::ParmVarDecl *Into);

} // namespace pitfall

#endif // PITFALL_CORE_LOCALOBJECTS_H
