//===--- ThreadMembers.h - thread members a destructor may leave joinable -===//
//
// The member half of pitfall-unjoined-thread's flow analyses (the local half
// is ThreadStates.h):
//
//   * a destructor whose join of a thread member is guarded by a condition
//     that does not tell whether there is a thread to join: a flag the
//     thread's own callable writes (`if (!done_) t.join();`, the worker sets
//     done_ when it finishes, and a finished thread is still joinable), or
//     a value that has nothing to do with the thread (`if (auto p =
//     weak.lock())`). Guards that do tell are `joinable()` and any other
//     test of the thread itself, and a scalar member written by the function
//     that starts the thread and not by the thread (`running_ = true`);
//   * threads owned through a pointer (`std::thread *`,
//     `std::unique_ptr<std::thread>`) destroyed by `delete`, `reset()` or an
//     assignment on a path where they are still joinable;
//   * thread members joined by another class: a pimpl wrapper joining
//     `impl_->worker` before it deletes the Impl;
//   * thread members joined by a lifecycle hook: an override of a base's
//     virtual function, which the base calls before the object dies.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_THREADMEMBERS_H
#define PITFALL_FLOW_THREADMEMBERS_H

#include "pitfall/Flow/FlowContext.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class CXXRecordDecl;
class FieldDecl;
class FunctionDecl;
class QualType;
} // namespace clang

namespace pitfall {

/// True if \p T owns a terminating thread through a pointer: `std::thread *`
/// or `std::unique_ptr<std::thread>` (the ThreadTypes included).
bool ownsThreadThroughPointer(clang::QualType T, const ThreadTypes &Threads);

/// True if \p E makes a pointer owning a started thread:
/// `new std::thread(f)`, `std::make_unique<std::thread>(f)`,
/// `std::unique_ptr<std::thread>(new std::thread(f))`.
bool makesStartedThread(const clang::Expr *E, const ThreadTypes &Threads);

/// Where a destructor of \p Record (helpers it calls on `this` included)
/// skips its join of \p Field under a condition that does not show the
/// thread was never started (see above); nullopt if every guard of the join
/// does. Asked only when the destructor's summary joins \p Field on some
/// paths.
std::optional<clang::SourceLocation>
unsafeJoinGuard(FlowContext &Flow, const clang::CXXRecordDecl *Record,
                const clang::FieldDecl *Field);

/// True if every function of \p Record that starts the thread in \p Field
/// also joins or detaches it on every path before it returns (a thread
/// detached in the constructor that starts it): the class never leaves it
/// joinable.
bool startersReleaseField(FlowContext &Flow, const clang::CXXRecordDecl *Record,
                          const clang::FieldDecl *Field);

/// True if some member function of \p Record starts a thread in \p Field
/// (assigns a started thread, or fills the container of threads with one:
/// `threads.emplace_back(f)`), no constructor initializer does, and every
/// such function joins or detaches, on every normal path from each start to
/// its return, what it started (itself or through helpers: a loop over the
/// container's elements, `joinAll()`): a server's `run()` that starts a
/// pool, serves, and joins the pool. Only an exception between the start
/// and the join leaves the field joinable for the destructor.
bool startersJoinBeforeReturning(FlowContext &Flow,
                                 const clang::CXXRecordDecl *Record,
                                 const clang::FieldDecl *Field);

/// True if an override of a base class's virtual function that is not pure
/// (a lifecycle hook the base calls, GoogleTest's `TearDown()`) joins or
/// detaches the thread in \p Field on every path: the base's protocol
/// releases it before the object is destroyed, as the destructor would. An
/// override of a pure virtual function implements an interface its owner
/// calls, and may forget to.
bool lifecycleHookReleasesField(FlowContext &Flow,
                                const clang::CXXRecordDecl *Record,
                                const clang::FieldDecl *Field);

/// True if the destructor of \p Record calls on `this` (itself or through
/// the class's own member functions) a member function of a base class
/// that is defined in another translation unit (a non-virtual
/// `Shutdown()`), and an override in \p Record of a virtual function of
/// that base, pure or not (`OnShutDown()`), joins or detaches the thread in
/// \p Field on every path: the base's function may call the hook, so the
/// destructor's join is unknown, not absent.
bool opaqueBaseCallMayRunHook(FlowContext &Flow,
                              const clang::CXXRecordDecl *Record,
                              const clang::FieldDecl *Field);

struct OwnedThreadFinding {
  enum Kind { Deleted, Reset, Replaced } K = Deleted;
  const clang::FieldDecl *Field = nullptr;
  clang::SourceLocation Loc;
  /// Where the class starts the thread (for a note), if known.
  clang::SourceLocation StartLoc;
};

/// Where \p Fn, a member function, destroys a thread owned by a pointer
/// member (ownsThreadThroughPointer) while it may be joinable: in the
/// destructor whenever the class starts that thread, in other member
/// functions when a constructor starts it (the thread is then joinable on
/// entry unless something joined it).
void analyzeOwnedThreads(FlowContext &Flow, const clang::FunctionDecl *Fn,
                         llvm::SmallVectorImpl<OwnedThreadFinding> &Out);

/// The thread fields (and pointer-owned thread fields) that some function
/// of the translation unit outside their class joins or detaches through
/// another object (`impl_->worker.join()`): their owner has taken over the
/// join.
llvm::DenseSet<const clang::FieldDecl *>
threadFieldsJoinedByOwners(FlowContext &Flow);

/// What \p Fn (a member function) does to the threads held in data members
/// of its own object (`this->worker_`), as the whole-program link's joins
/// need it (Scan/WholeProgram.h):
struct ThreadMemberEnds {
  /// Joined on every path by which \p Fn returns normally (`t.join()`,
  /// `if (t.joinable()) t.join();`, or a callee of the translation unit
  /// whose summary joins it), and neither detached nor moved out on any
  /// path: the thread the member held has finished when the call returns.
  /// A join under a condition that does not test the thread
  /// (`if (x) t.join();`) is a join on some paths only.
  llvm::SmallVector<const clang::FieldDecl *, 1> Joined;
  /// Detached or moved out (handed to another owner) on some path, by the
  /// function or a callee: a later join of the member ends nothing.
  llvm::SmallVector<const clang::FieldDecl *, 1> HandedOff;
};
ThreadMemberEnds threadMemberEnds(FlowContext &Flow,
                                  const clang::FunctionDecl *Fn);

} // namespace pitfall

#endif // PITFALL_FLOW_THREADMEMBERS_H
