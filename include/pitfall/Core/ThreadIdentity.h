//===--- ThreadIdentity.h - tests of which thread is running
//---------------===//
//
// The event-loop idiom confines an object's state to one thread, its owner:
// every member that touches the state first asks whether it runs on that
// thread and otherwise re-posts itself to it (ZLToolKit's `if
// (isCurrentThread()) { ... } else { async(...); }`, muduo's
// `assertInLoopThread()`, asio's `running_in_this_thread()`). The test
// compares the running thread's identity with one the object stores:
//
//   * the running thread's identity: `std::this_thread::get_id()`,
//     `pthread_self()`, `gettid()`, `syscall(SYS_gettid)`, a read of a
//     `thread_local` variable (a cached tid), or a call of a function every
//     `return` of which returns one of these (muduo's `CurrentThread::tid()`);
//   * the stored identity: a data member (of `this` or another object)
//     holding a `std::thread::id`, a `pthread_t` or an integer, or the id of
//     a thread member, `thread_->get_id()` / `thread_.get_id()` (the thread
//     member then names the owner);
//   * the comparison: `==`, `!=`, `pthread_equal()`, under `!`; `!p || cmp`
//     and `p == nullptr || cmp` on the thread pointer the comparison reads (no
//     owner thread yet: the object is still being set up by the one thread
//     that has it), `cmp && ...`; and a call of a function (a member called
//     on an object, a free function) every `return` of which returns such a
//     test, followed through calls (`isCurrentThread()`, `isInLoopThread()`).
//
// The recogniser reads what the code does, not what it is called: any
// predicate whose body makes the comparison is one.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_THREADIDENTITY_H
#define PITFALL_CORE_THREADIDENTITY_H

#include "pitfall/Core/ExprUtil.h"

#include <optional>

namespace clang {
class Expr;
} // namespace clang

namespace pitfall {

/// A current-thread test: when the condition has the value When, the code
/// runs on the thread whose identity Identity stores (the object that holds
/// it is the owner; a thread member's own path when the identity is its
/// `get_id()`), or before that thread exists.
struct CurrentThreadTest {
  ObjectPath Identity;
  bool When = true;
};

/// \p Cond as a current-thread test (see the file comment), the identity
/// named as the function holding \p Cond names it; nullopt if it is none.
std::optional<CurrentThreadTest> currentThreadTest(const clang::Expr *Cond);

/// True if \p E is the running thread's identity (see the file comment).
bool isCurrentThreadId(const clang::Expr *E);

/// True if \p E, an expression of \p Body, denotes an object that is the
/// running thread's own: a `thread_local` (or `__thread`) variable, a
/// member of one, what a pointer (or smart pointer) read from one points to
/// (the current-loop idiom: `static thread_local Holder h; ... return
/// h.loop;`, a loop the thread made for itself); the result of a call of a
/// function every `return` of which returns such an object (`Loop::get()`),
/// followed through calls; a local pointer of \p Body initialised from one
/// and never changed, or a local reference bound to one.
bool isThreadOwnObject(const clang::Expr *E, const clang::Stmt *Body);

} // namespace pitfall

#endif // PITFALL_CORE_THREADIDENTITY_H
