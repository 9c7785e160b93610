//===--- Locks.h - mutexes, scoped lock guards, lock()/unlock() calls -----===//
//
// Which types are mutexes, which are scoped guards (std::lock_guard,
// unique_lock, scoped_lock, shared_lock and the LockTypes option), which
// arguments of a guard's constructor are the mutexes it acquires, and what a
// member call does to a mutex or a guard. The flow-sensitive part (which
// locks are held at a statement) is in LockSet.h.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_LOCKS_H
#define PITFALL_CORE_LOCKS_H

#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class CallExpr;
class CXXConstructExpr;
class CXXConstructorDecl;
class CXXRecordDecl;
class CXXMemberCallExpr;
class Expr;
class FieldDecl;
class Stmt;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace pitfall {

/// Default value of the LockTypes option: scoped guards beyond the standard
/// ones (which are always recognised). An entry ending in ":shared" is a
/// guard that acquires the mutex in shared (reader) mode.
inline constexpr const char *DefaultLockTypes =
    "::boost::lock_guard;::boost::unique_lock;::boost::shared_lock:shared;"
    "::boost::upgrade_lock:shared";

enum class LockMode { Exclusive, Shared };

/// What a member call does to a mutex object (std::mutex, shared_mutex, or
/// any BasicLockable class that is not a guard).
enum class MutexOp { None, Lock, LockShared, Unlock, UnlockShared };

/// What a member call does to an atomic flag used as a spin lock written
/// inline: std::atomic_flag's `test_and_set()` and std::atomic<bool>'s
/// `exchange(true)` take the flag when they return false; `clear()` and
/// `store(false)` give it back.
enum class FlagLockOp { None, TestAndSet, Clear };

/// What a member call does to a guard object (unique_lock::unlock() ...).
enum class GuardOp { None, Lock, Unlock, Release };

/// The mutexes a guard's constructor names and whether it acquires them.
struct GuardInit {
  llvm::SmallVector<const clang::Expr *, 2> Mutexes;
  LockMode Mode = LockMode::Exclusive;
  /// False for std::defer_lock and std::try_to_lock (not known to be held).
  bool Acquires = true;
  /// std::try_to_lock: held where owns_lock() (or the guard) tested true.
  bool TryLock = false;
};

/// A guard data member a constructor makes hold a mutex
/// (LockRecognizer::memberGuardsAcquired()).
struct MemberGuard {
  const clang::FieldDecl *Guard;
  const clang::Expr *Mutex; ///< as the constructor names it
  LockMode Mode;
};

class LockRecognizer {
public:
  explicit LockRecognizer(llvm::StringRef LockTypesOption = DefaultLockTypes);

  /// If \p T is a scoped lock guard type, the mode it acquires in: the
  /// standard guards, the LockTypes option, and a project's guard class
  /// recognised by what it does (see guardParameters()).
  std::optional<LockMode> guardMode(clang::QualType T) const;
  /// For a constructor of a project's guard class, the indices of the
  /// parameters whose mutex it acquires, and the mode; nullopt for any other
  /// constructor. A guard class is one whose constructor initialises a
  /// guard member (std::unique_lock, lock_guard, ...) from a mutex reached
  /// through a parameter, acquiring it, and none of whose other members
  /// releases that guard (unlock() aside, which is a guard's unlock); or a
  /// class marked `scoped_lockable` (`SCOPED_CAPABILITY`) whose constructor
  /// is marked `acquire_capability` (`exclusive_lock_function`, `ACQUIRE`)
  /// naming a parameter.
  std::optional<std::pair<LockMode, llvm::SmallVector<unsigned, 1>>>
  guardParameters(const clang::CXXConstructorDecl *Ctor) const;
  /// The guard data members \p Ctor's code makes hold a mutex, with the
  /// mutexes: a guard member its initialiser list constructs from them,
  /// acquiring (`Batch() : lock_(m) {}`), or one its body assigns a guard
  /// so constructed, on every path or on some (`if (enabled())
  /// m_lock = std::unique_lock<std::mutex>(log_mutex);`, ccache's
  /// BulkLogger).
  llvm::SmallVector<MemberGuard, 1>
  memberGuardsAcquired(const clang::CXXConstructorDecl *Ctor) const;

  /// A mutex: the standard and Boost mutex types, or any class with lock()
  /// and unlock() members that is not a guard.
  bool isMutexType(clang::QualType T) const;

  /// The storage of mutexes an object owns: a mutex held by value, or an
  /// array or standard container of them (a stripe of element locks,
  /// `std::vector<std::mutex>`). Assigning, swapping or resizing one
  /// destroys or creates the mutexes themselves.
  bool isMutexStorage(clang::QualType T) const;

  /// A mutex the standard guards can hold: one with members named lock()
  /// and unlock() (lock_shared() and unlock_shared() for \p Shared, as
  /// std::shared_lock needs), its own or a base's. A mutex recognised by
  /// another spelling of its API (lockWrite(), Lock()) is not. A dependent
  /// type (a template parameter's mutex) is taken to be one.
  bool isStdLockable(clang::QualType T, bool Shared) const;

  /// A mutex that does nothing: a mutex type (isMutexType()) of no state
  /// (an empty class, bases included) whose lock and unlock operations the
  /// translation unit defines, every one empty or returning a constant
  /// (oneTBB's `null_mutex`, a policy class's no-op lock). A class holding
  /// one declares that its object is not shared between threads.
  bool isInertMutex(clang::QualType T) const;

  /// A project's mutex that wraps mutexes: a mutex type (lock() and
  /// unlock()) whose data members that are mutexes are held by value, and
  /// are all its members (marl's `marl::mutex` over a `std::mutex _`) or the
  /// only one beside plain data (rocksdb's `InstrumentedMutex` over a
  /// `port::Mutex mutex_`, with its statistics and clock pointers). Locking
  /// one of its members from its own lock operations locks the wrapper.
  bool isMutexWrapper(const clang::CXXRecordDecl *RD) const;

  /// If \p E constructs a guard from one or more mutexes, what it acquires.
  std::optional<GuardInit> guardInit(const clang::CXXConstructExpr *E) const;
  /// The same for the initialiser \p Init of a variable declared with type
  /// \p T, also in a template's dependent code, where the construction is
  /// not resolved yet: `std::scoped_lock lock(mutex_)` or
  /// `std::lock_guard<Lock> lock{mutex_}` with a template parameter's mutex
  /// type (a parenthesised or braced list, or `auto lock =
  /// std::lock_guard<Lock>(mutex_)`). There, an argument of a dependent type
  /// is one of the mutexes: a standard guard takes nothing else but tags.
  /// A member type of a template parameter's mutex type is its guard when
  /// constructed from that mutex alone (`typename TMutex::ScopedLock
  /// lock(_mutex)` with `TMutex _mutex`: ownTypeGuard()).
  std::optional<GuardInit> guardInit(const clang::Expr *Init,
                                     clang::QualType T) const;
  std::optional<GuardInit>
  ownTypeGuard(clang::QualType T,
               llvm::ArrayRef<const clang::Expr *> Args) const;

  /// lock()/unlock()/lock_shared()/unlock_shared() on a mutex object.
  MutexOp classifyMutexCall(const clang::CXXMemberCallExpr *Call) const;
  /// The mode of a mutex's try-lock, `try_lock()` or `try_lock_shared()`
  /// (the standard Lockable and SharedLockable names), which holds the mutex
  /// where it returned true; nullopt for any other call.
  std::optional<LockMode>
  classifyTryLockCall(const clang::CXXMemberCallExpr *Call) const;
  /// The spin-lock operation \p Call makes on an atomic flag (FlagLockOp);
  /// None for any other call, and for an exchange or store of another value.
  FlagLockOp classifyFlagCall(const clang::CXXMemberCallExpr *Call) const;
  /// lock()/unlock()/release() on a guard object (unique_lock and friends).
  GuardOp classifyGuardCall(const clang::CXXMemberCallExpr *Call) const;

  /// The guards among the arguments of std::lock(a, b, ...)
  /// (isMultiLockCall()): a std::unique_lock or shared_lock (any guard type)
  /// made with std::defer_lock and handed to std::lock is locked by it, as by
  /// its own lock(): it owns its mutex from there to its destruction, its
  /// unlock() or release(). The other arguments are mutexes locked directly.
  llvm::SmallVector<const clang::Expr *, 2>
  multiLockGuards(const clang::CallExpr *Call) const;

  /// The capabilities clang's thread-safety attributes say \p FD is entered
  /// with (`requires_capability`, `exclusive_locks_required`,
  /// `requires_shared_capability`, `shared_locks_required`, on any of its
  /// declarations; marl's `REQUIRES(work.mutex)`): each as the expression
  /// the attribute names (in \p FD's scope: `this->work.mutex`, a
  /// parameter) and the mode.
  llvm::SmallVector<std::pair<const clang::Expr *, LockMode>, 1>
  requiredOnEntry(const clang::FunctionDecl *FD) const;

  /// The user part of the option, as written (for storeOptions).
  const std::string &option() const { return Option; }

private:
  std::optional<LockMode> guardClassMode(const clang::CXXRecordDecl *RD) const;

  std::string Option;
  /// Classes already classified by guardClassMode().
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, std::optional<LockMode>>
      GuardClasses;
  NameList ExclusiveGuards;
  NameList SharedGuards;
};

/// True if \p S (a member function's body) releases one of \p Guards, guard
/// data members of its class: calls unlock(), unlock_shared(), release() or
/// swap() on it, moves it away or assigns it another guard.
bool releasesGuardMember(const clang::Stmt *S,
                         llvm::ArrayRef<const clang::FieldDecl *> Guards);

/// True if \p Call is std::lock(m1, m2, ...) (or boost::lock); what it locks
/// are its arguments, mutexes or guards (LockRecognizer::multiLockGuards()).
/// std::try_lock is not an acquisition (it does not wait).
bool isMultiLockCall(const clang::CallExpr *Call);

/// What a call of a C API's lock function does to the mutex its first
/// argument points to: pthread_mutex_lock/unlock and
/// pthread_rwlock_rdlock/wrlock/unlock (POSIX), mtx_lock/mtx_unlock (C11),
/// SDL_LockMutex/SDL_UnlockMutex and SDL_LockRWLockForReading/Writing/
/// SDL_UnlockRWLock (SDL); and a C library's wrapper of them, by what it
/// takes: a free function declared without a body in the translation unit
/// whose first parameter points to a C mutex (`pthread_mutex_t`,
/// `pthread_rwlock_t`, `mtx_t`, through typedefs, or a struct holding one:
/// libuv's `uv_mutex_lock(uv_mutex_t *)` over `typedef pthread_mutex_t
/// uv_mutex_t;`) and the last word of whose name (split at `_` and case
/// changes), its verb, is `lock` or `wrlock` (acquires), `rdlock` (acquires
/// shared), `unlock` or `wrunlock` (releases), `rdunlock` (releases
/// shared). The try-lock and timed-lock functions (`uv_mutex_trylock`,
/// `pthread_mutex_timedlock`) do not wait for the mutex unconditionally and
/// are not acquisitions. A C condition wait (`pthread_cond_wait(&c, &m)`,
/// `uv_cond_wait`) is no operation here: it returns with the mutex held
/// again.
MutexOp classifyLockFunctionCall(const clang::CallExpr *Call);

/// The declaration that identifies the mutex \p E denotes: the variable or
/// field it names, looking through `&`, `*`, `->`, parentheses, casts and
/// array subscripts. Two expressions naming the same field of different
/// objects map to the same key (a deliberate approximation). Null if \p E
/// names no declaration.
const clang::ValueDecl *mutexKey(const clang::Expr *E);

/// A blocking wait of `std::condition_variable` or
/// `std::condition_variable_any` that ends only when notified (`wait(lock)`,
/// `wait(lock, pred)`; not the timed waits, which end by themselves): the
/// lock argument it releases while it waits and holds again when it
/// returns, and in \p HasPredicate whether it loops on a predicate itself.
/// Null for any other call.
const clang::Expr *conditionWaitLock(const clang::CXXMemberCallExpr *Call,
                                     bool &HasPredicate);

/// Any wait of `std::condition_variable` or `std::condition_variable_any`
/// (`wait`, `wait_for`, `wait_until`, with or without a predicate): the lock
/// argument it releases while it waits. Null for any other call.
const clang::Expr *conditionWaitGuard(const clang::CXXMemberCallExpr *Call);

} // namespace pitfall

#endif
