//===--- ThreadOwnership.h - who joins a thread ---------------------------===//
//
// Recognizers for the code that ends a thread's joinability: join/detach
// calls on a thread or on every element of a container of threads, callables
// that join (std::mem_fn(&std::thread::join), a lambda calling join), and
// classes whose destructor joins or detaches a thread member (RAII joiners).
// Shared by pitfall-unjoined-thread and the pitfall.ThreadJoin checker.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_THREADOWNERSHIP_H
#define PITFALL_CORE_THREADOWNERSHIP_H

#include "pitfall/Core/Threads.h"

namespace clang {
class CXXDestructorDecl;
class CXXMemberCallExpr;
class CXXRecordDecl;
class Expr;
class FieldDecl;
class Stmt;
} // namespace clang

namespace pitfall {

/// True if \p Call is join() or detach() on an object of a thread type.
bool isJoinOrDetach(const clang::CXXMemberCallExpr *Call,
                    const ThreadTypes &Threads);

/// True if \p S (an expression such as a for_each callable) calls or names
/// a thread type's join() or detach(): `std::mem_fn(&std::thread::join)`,
/// `&std::thread::detach`, `[](std::thread &t) { t.join(); }`.
bool mentionsJoinOrDetach(const clang::Stmt *S, const ThreadTypes &Threads);

/// True if the destructor of \p Record (written or implicit), or a member
/// function of \p Record it calls on `this` (one level), does something with
/// \p Field other than querying it (joinable(), get_id(), empty(), size()):
/// joins, detaches, moves it out or hands it to other code. False if
/// the destructor is implicit or defaulted, and for fields not of \p Record.
/// \p Known is set to false if the destructor is declared but its body is
/// not in this translation unit.
bool destructorReleasesField(const clang::CXXRecordDecl *Record,
                             const clang::FieldDecl *Field, bool &Known);

/// True if the written destructor of \p Record names \p Field at all, e.g.
/// `assert(!worker_.joinable())`: the author has decided who joins it.
bool destructorMentionsField(const clang::CXXRecordDecl *Record,
                             const clang::FieldDecl *Field);

/// True if \p Record is an asio (or Boost.Asio) service whose shutdown()
/// mentions \p Field: the execution context calls shutdown() on every
/// service before it destroys any, so the service has decided who joins.
bool serviceShutdownMentionsField(const clang::CXXRecordDecl *Record,
                                  const clang::FieldDecl *Field);

/// True if \p Record is itself a thread type wrapping \p Field: it has a
/// member function named join() or detach() that joins, detaches or hands
/// off \p Field (or whose body is not in this translation unit), so joining is
/// its users' job (name it in ThreadTypes to check them).
bool isThreadWrapper(const clang::CXXRecordDecl *Record,
                     const clang::FieldDecl *Field);

/// A class whose destructor joins or detaches a member that is (or refers
/// to, or points to) a thread: std::thread guards, scoped joiners.
bool isThreadJoinerClass(const clang::CXXRecordDecl *Record,
                         const ThreadTypes &Threads);

/// True if \p T refers to threads it does not own: a reference or pointer
/// to a terminating thread, or a container (or C array) of pointers to them.
bool refersToThreads(clang::QualType T, const ThreadTypes &Threads);

/// A class whose destructor joins the threads it refers to (see
/// refersToThreads()): it calls join() on such a field (`t_->join()`,
/// `t_.join()`), or on each element of a container of thread pointers (a
/// range-for over the field, `threads_[i]->join()`), itself or in a member
/// function of the class it calls on `this`. A destructor that only
/// detaches, or only queries, is not one. An object of such a class joins,
/// when it is destroyed, every thread it was given to hold, whenever that
/// thread was started.
bool joinsHeldThreads(const clang::CXXRecordDecl *Record,
                      const ThreadTypes &Threads);

} // namespace pitfall

#endif
