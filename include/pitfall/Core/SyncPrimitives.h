//===--- SyncPrimitives.h - latches, barriers, semaphores, WaitGroups -----===//
//
// Recognizes the counting synchronization types (std::latch, std::barrier,
// std::counting_semaphore / binary_semaphore and user WaitGroup classes) and
// classifies the member calls made on them, so every front end agrees on
// what "counts down", "arrives", "acquires" and "adds" mean.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_SYNCPRIMITIVES_H
#define PITFALL_CORE_SYNCPRIMITIVES_H

#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"

#include <optional>

namespace clang {
class ASTContext;
class CXXMemberCallExpr;
class CXXRecordDecl;
class Expr;
class ValueDecl;
} // namespace clang

namespace pitfall {

/// Default value of the WaitGroupTypes option. Entries containing '*' are
/// globs on the unqualified class name in any case style (letters' case and
/// '_' ignored: `*WaitGroup*` matches WaitGroup, wait_group, waitgroup and
/// Wait_Group); other entries are qualified names (see NameList). Either way
/// the class must have add, done and wait member functions (in any case
/// style: add, Add, ADD).
inline constexpr const char *DefaultWaitGroupTypes = "*WaitGroup*";

enum class SyncKind { None, Latch, Barrier, Semaphore, WaitGroup };

enum class SyncOp {
  None,
  CountDown,     ///< latch::count_down(n)
  Wait,          ///< latch/barrier/WaitGroup wait
  TryWait,       ///< latch::try_wait
  ArriveAndWait, ///< latch/barrier arrive_and_wait(n)
  Arrive,        ///< barrier::arrive(n)
  ArriveAndDrop, ///< barrier::arrive_and_drop
  Acquire,       ///< semaphore acquire
  TryAcquire,    ///< try_acquire, try_acquire_for, try_acquire_until
  Release,       ///< semaphore release(n)
  Add,           ///< WaitGroup add(n)
  Done,          ///< WaitGroup done
  Other,         ///< anything else (max(), constructors, ...)
};

/// One classified member call on a synchronization object.
struct SyncCall {
  SyncKind Kind = SyncKind::None;
  SyncOp Op = SyncOp::None;
  /// The object the call is made on (after `->`/implicit casts), or null.
  const clang::Expr *Object = nullptr;
  /// The arrival / release / add amount when it is a constant (default
  /// arguments count as 1); std::nullopt when it is not a constant.
  std::optional<int64_t> Amount;
};

/// True for the operations that decrement a latch, arrive at a barrier or
/// mark a WaitGroup task done.
bool isArrival(SyncOp Op);

llvm::StringRef syncKindName(SyncKind K);

class SyncPrimitives {
public:
  explicit SyncPrimitives(
      llvm::StringRef WaitGroupTypesOption = DefaultWaitGroupTypes);

  SyncKind kindOf(clang::QualType T) const;
  SyncKind kindOf(const clang::CXXRecordDecl *RD) const;

  /// Classifies \p Call; Kind is None when it is not made on a
  /// synchronization object.
  SyncCall classify(const clang::CXXMemberCallExpr *Call,
                    const clang::ASTContext &Ctx) const;

  /// The count a latch or barrier is constructed with (the first argument
  /// of its constructor), or null. \p Init is the variable's initializer.
  static const clang::Expr *constructionCount(const clang::Expr *Init);

  /// The declaration an object expression names: a variable, a parameter
  /// (including through `->` on a pointer parameter) or a field of `this`.
  /// Reference variables initialised from another named object are
  /// followed (`auto &l = done;`, `[&l = done]`). Null otherwise.
  static const clang::ValueDecl *objectDecl(const clang::Expr *Object);

private:
  bool isWaitGroupClass(const clang::CXXRecordDecl *RD) const;

  NameList Std;
  NameList WaitGroupNames;
  llvm::SmallVector<std::string, 1> WaitGroupGlobs;
};

} // namespace pitfall

#endif
