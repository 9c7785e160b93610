//===--- Threads.h - which types are threads, which expressions start one -===//
#ifndef PITFALL_CORE_THREADS_H
#define PITFALL_CORE_THREADS_H

#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"

namespace clang {
class ASTContext;
class CallExpr;
class CXXConstructExpr;
class CXXMemberCallExpr;
class Expr;
} // namespace clang

namespace pitfall {

/// Default value of the ThreadTypes option: types whose destruction while
/// joinable terminates the program.
inline constexpr const char *DefaultThreadTypes =
    "::std::thread;::boost::thread";

/// Thread types that join themselves on destruction (never "unjoined").
inline constexpr const char *SelfJoiningThreadTypes = "::std::jthread";

/// The thread-type recognizer shared by every front end.
class ThreadTypes {
public:
  explicit ThreadTypes(llvm::StringRef Option = DefaultThreadTypes)
      : Terminating(Option), SelfJoining(SelfJoiningThreadTypes) {}

  /// A type whose destruction while joinable calls std::terminate.
  bool isTerminatingThread(clang::QualType T) const;
  /// std::jthread and friends.
  bool isSelfJoiningThread(clang::QualType T) const;
  /// Either of the above.
  bool isAnyThread(clang::QualType T) const {
    return isTerminatingThread(T) || isSelfJoiningThread(T);
  }
  /// If \p T is a container (std::vector, deque, list, array, C array, ...)
  /// whose elements are terminating threads.
  bool isContainerOfTerminatingThreads(clang::QualType T) const;
  /// The same for containers of self-joining threads
  /// (std::vector<std::jthread>).
  bool isContainerOfSelfJoiningThreads(clang::QualType T) const;

  /// If \p T is a container whose elements are any thread type
  /// (std::vector<std::jthread> included).
  bool isContainerOfThreads(clang::QualType T) const;

  /// If \p T is a container (or C array) whose elements are pointers to
  /// terminating threads (`std::array<std::thread *, N>`).
  bool isContainerOfThreadPointers(clang::QualType T) const;

  const NameList &terminating() const { return Terminating; }

  /// If \p E constructs a thread that starts running (a thread type built
  /// from a callable, not default/copy/move construction), the callable
  /// argument; otherwise null.
  const clang::Expr *startedCallable(const clang::CXXConstructExpr *E) const;

  /// If \p E emplaces a thread built from a callable into a container of
  /// threads (`threads.emplace_back(f, args...)`), the callable argument;
  /// otherwise null.
  const clang::Expr *emplacedCallable(const clang::CXXMemberCallExpr *E) const;

  /// If \p E calls a library factory that constructs a thread from its
  /// forwarded arguments and returns an owner of it
  /// (`std::make_shared<std::thread>(f, args...)`, `std::make_unique`,
  /// `std::allocate_shared(alloc, f, ...)`), the callable argument, and the
  /// thread type in \p Made; otherwise null.
  const clang::Expr *madeCallable(const clang::CallExpr *E,
                                  clang::QualType *Made = nullptr) const;

private:
  NameList Terminating;
  NameList SelfJoining;
};

/// What a member call does to a thread object.
enum class ThreadOp { None, Join, Detach, Joinable, Swap, Other };
ThreadOp classifyThreadMemberCall(const clang::CXXMemberCallExpr *Call);

} // namespace pitfall

#endif
