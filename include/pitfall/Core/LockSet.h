//===--- LockSet.h - which locks are held at each statement ---------------===//
//
// A forward must-analysis over a function's CFG: the set of mutexes that are
// held on every path to a statement. Scoped guards (their construction and
// the end of their scope), unique_lock::lock()/unlock(), mutex
// lock()/unlock() and std::lock(...) are modelled; try_lock() is not (the
// mutex is not known to be held). Used by every check that asks "is this
// access protected".
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_LOCKSET_H
#define PITFALL_CORE_LOCKSET_H

#include "pitfall/Core/Locks.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class Decl;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

struct HeldLock {
  const clang::ValueDecl *Mutex; ///< see mutexKey()
  LockMode Mode;
  const clang::VarDecl *Guard; ///< the guard that releases it, or null
};

/// A small set of held locks, at most one entry per mutex.
class LockSet {
public:
  bool empty() const { return Locks.empty(); }
  llvm::ArrayRef<HeldLock> locks() const { return Locks; }
  const HeldLock *find(const clang::ValueDecl *Mutex) const;
  /// Held in any mode (\p Exclusive: in exclusive mode).
  bool holds(const clang::ValueDecl *Mutex, bool Exclusive = false) const;

  void add(const HeldLock &L);
  void removeGuard(const clang::VarDecl *Guard);
  void removeMutex(const clang::ValueDecl *Mutex);
  /// Adds every lock of \p Other not yet held.
  void unionWith(const LockSet &Other);
  /// Keeps the locks held in both (a lock held exclusively on one side and
  /// shared on the other is kept as shared).
  void intersectWith(const LockSet &Other);

  /// True if \p A and \p B hold a common mutex, at least one of them
  /// exclusively: accesses under them cannot overlap.
  static bool excludes(const LockSet &A, const LockSet &B);
  /// A mutex of \p Other that this set does not exclude it with, preferring
  /// an exclusively held one; null if \p Other holds nothing.
  const clang::ValueDecl *missingFrom(const LockSet &Other) const;

  bool operator==(const LockSet &O) const;
  bool operator!=(const LockSet &O) const { return !(*this == O); }

private:
  llvm::SmallVector<HeldLock, 2> Locks;
};

/// Runs the analysis over one function body.
class LockSetAnalysis {
public:
  explicit LockSetAnalysis(const LockRecognizer &Locks) : Locks(Locks) {}

  /// Computes the locks held before each statement of \p D's body (a
  /// function, method or lambda call operator), starting from \p Entry, and
  /// then calls \p Visit once for every statement and sub-expression the CFG
  /// evaluates, in a fixed order, with the locks held when it is evaluated.
  /// Statements in unreachable code are not visited. Returns false if no
  /// CFG could be built (nothing is visited then).
  bool run(const clang::Decl *D, clang::ASTContext &Ctx, const LockSet &Entry,
           llvm::function_ref<void(const clang::Stmt *, const LockSet &)> Visit)
      const;

private:
  const LockRecognizer &Locks;
};

} // namespace pitfall

#endif
