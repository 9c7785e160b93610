//===--- Futures.h - futures and objects with a future's API ---*- C++ -*-===//
//
// A task's result handle is waited on through its API: std::future and
// std::shared_future (get(), wait(), wait_for(), wait_until()), and a
// project's own result class with the same API. Such a class is recognised
// by what it declares, not by its name: a member function returning
// std::future_status, the timed wait of std::future's API (quantum's
// contexts and futures, `std::future_status waitFor(ms)`), declared in the
// class or in one of its bases. On such an object, get() and the members
// whose name begins with "wait" (as std::future's) wait for the result,
// and so does any member returning std::future_status.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_FUTURES_H
#define PITFALL_CORE_FUTURES_H

namespace clang {
class CXXMemberCallExpr;
class CXXRecordDecl;
class Expr;
class VarDecl;
} // namespace clang

namespace pitfall {

/// True if \p RD is std::future or std::shared_future, or declares (itself
/// or through a base, a few levels deep) a member function returning
/// std::future_status.
bool isFutureLike(const clang::CXXRecordDecl *RD);

/// True if \p RD is a promise: std::promise, or a class template named
/// `promise` whose members include get_future() and set_value() (Boost's,
/// folly's), the writing end of a future.
bool isPromise(const clang::CXXRecordDecl *RD);

/// The promise variable \p E's future comes from: `p.get_future()`, or a
/// local future initialised from it (`auto f = p.get_future();`, through
/// implicit nodes). Null for anything else.
const clang::VarDecl *futureOfPromise(const clang::Expr *E);

/// True if \p Call waits for a future-like object's result: a member
/// returning std::future_status, or get() or a member named wait... of a
/// future-like class, called on the object or through a pointer to it.
bool isFutureWait(const clang::CXXMemberCallExpr *Call);

} // namespace pitfall

#endif // PITFALL_CORE_FUTURES_H
