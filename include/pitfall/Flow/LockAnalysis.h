//===--- LockAnalysis.h - which locks are held at each statement ----------===//
//
// A forward must-analysis over a function's flow graph: the set of mutexes
// held on every path to a statement. What acquires and releases is read by
// the flow layer (Effects.h), so it covers
//   * the standard and configured scoped guards (construction, end of scope,
//     unique_lock::lock()/unlock()/release(), unwinding by an exception);
//   * std::unique_lock(m, std::try_to_lock) and m.try_lock(): held on the
//     branch where owns_lock() / the guard / try_lock() tested true;
//   * mutex lock()/unlock(), std::lock(a, b, ...);
//   * a project's own lock wrappers and RAII guards, recognised by their
//     summaries: a constructor that acquires and a destructor that releases,
//     a member pair that acquires and releases a mutex of the object;
//   * calls of helpers that take or release a lock the caller can name;
//   * lock striping: a loop that locks (unlocks) every element of a
//     container of locks holds (releases) all of them at its exit, a lock
//     named by the container (HeldLock::Path without Element; one element's
//     lock has Element set); a helper returning them held by an object
//     whose destruction unlocks them (summary HeldByResult) leaves them to
//     the caller's variable initialised with the result, their guard.
// A path through a call that does not return reaches no exit.
//
// On request (trackClaims()), the set also holds the flags a function has
// claimed under a lock, a try-acquire by flag: under a mutex M the function
// branches on a flag (a data member or global of integral, bool or enum
// type: `if (busy_) return;`, `if (state_ != Idle) return;`), which tells
// the flag's value on that edge, its free value; while M stays held the
// flag is Tested. Storing another constant into it there claims it: the
// function owns what the protocol guards from then on, with M released or
// not (Owned), until it stores the free value back (the release) or
// anything else into it. Every function that tests the flag under M before
// touching what it guards is excluded from the owner: the flag is a lock.
// A flag tested without a lock, set without being tested under the lock
// that is still held, or set through a helper claims nothing.
// A claim can also be carried out of a lambda a helper runs under its lock
// (`lock_and_perform([&] { if (s_ == idle) { s_ = busy; mine = true; } })`)
// by a local flag of the caller the lambda sets by reference while it owns
// the claim (carryClaims()): the caller owns it where that flag tested true.
// A flag can also be handed over without a test (handOvers()): a store of
// a constant into it under an exclusively held mutex M, by the one function
// that writes the flag (the caller decides which flags and functions), makes
// the function its owner (HeldLock::HandedOver) until it stores anything
// else into it: the others, which test the flag under M and leave when it
// holds that value, no longer touch what it guards (rocksdb's JoinThreads:
// `exit_all_threads_ = true;` under mu_, then the threads joined without
// it).
// With claims, the set also holds the thread a current-thread test
// (Core/ThreadIdentity.h: `if (isCurrentThread())`, `assert(inLoop())`,
// `if (!inLoop()) return;`) confines the code to, on the edges where the
// test holds (through `!`, `||` and `&&` of the condition), until the
// function returns (HeldLock::ClaimState::Thread).
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_LOCKANALYSIS_H
#define PITFALL_FLOW_LOCKANALYSIS_H

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Locks.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <functional>
#include <optional>

namespace clang {
class Decl;
class FunctionDecl;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

class FlowContext;
class FlowGraph;
struct ConstantBinding;

struct HeldLock {
  /// The declaration identifying the mutex (see mutexKey()): two
  /// expressions naming the same field of different objects share it.
  const clang::ValueDecl *Mutex;
  LockMode Mode;
  const clang::VarDecl *Guard; ///< the guard that releases it, or null
  /// The mutex as the function names it (for summaries), when known.
  std::optional<ObjectPath> Path;
  /// Where the function acquired it (one of the places, when paths that
  /// acquired it at different places join); null when held on entry.
  const clang::Stmt *Site = nullptr;

  /// A flag rather than a mutex (LockSetAnalysis::trackClaims()): Mutex is
  /// the flag's declaration, Mode is Exclusive.
  ///
  /// Thread: not a flag but the thread a current-thread test
  /// (Core/ThreadIdentity.h) confines the code to, on the branch where it
  /// holds: Mutex is the stored identity's declaration (a thread member, a
  /// thread id member), Path names it, FreeValue is ThreadClaimValue. Two
  /// accesses confined to one object's owner thread do not overlap; it is
  /// no mutex to name in a message.
  enum class ClaimState : uint8_t { None, Tested, Owned, Thread };
  ClaimState Claim = ClaimState::None;
  /// Tested: the mutex held since the test (the claim lapses with it).
  const clang::ValueDecl *ClaimLock = nullptr;
  /// The flag's value when nobody owns it.
  int64_t FreeValue = 0;
  /// Owned by a hand-over (LockSetAnalysis::handOvers()): the value the
  /// owner stored into the flag under ClaimLock without testing it, the
  /// value the others leave on. FreeValue is not known then (unused).
  std::optional<int64_t> HandedOver;

  /// Held only by the mode of the arm of a flag's branch that is visited
  /// (LockSetAnalysis::modeLocks()): the other arm takes it.
  bool ModeArm = false;

  bool isClaim() const { return Claim != ClaimState::None; }
  bool isThreadClaim() const { return Claim == ClaimState::Thread; }
};

/// The FreeValue of a thread confinement (HeldLock::ClaimState::Thread): no
/// flag's claim has it.
inline constexpr int64_t ThreadClaimValue = INT64_MIN;

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

  /// Replaces the entry of \p L's mutex (or flag) by \p L.
  void replace(const HeldLock &L);
  /// Drops the Tested claims whose lock is no longer held.
  void dropLapsedClaims();
  /// Keeps the thread confinements (HeldLock::ClaimState::Thread) that
  /// confine \p Object: those whose identity is a member of an object \p
  /// Object is part of (`this->loop_` confines `this->events_`, not
  /// `other->events_` nor a global), or of the object a pointer or
  /// reference member of such an object designates (`this->loop_->tid_`,
  /// the identity of the loop the object holds, confines `this->buf_`).
  /// The others are dropped.
  void keepThreadClaimsOf(const ObjectPath &Object);

  /// True if \p A and \p B hold a common mutex, at least one of them
  /// exclusively, or a claim of the same flag with the same free value, or
  /// one a hand-over of a flag (HeldLock::HandedOver) and the other a test
  /// of it under the same mutex that found another value:
  /// accesses under them cannot overlap. A container of locks (lock
  /// striping) is one mutex for this: all of its locks, taken by a loop
  /// (its path names the container), exclude all of them and any one
  /// element (a path with Element set); two element locks exclude only
  /// accesses to elements (\p ElementAccesses: the index that selects the
  /// element selects the stripe), not a whole-container access made under
  /// one stripe against another.
  static bool excludes(const LockSet &A, const LockSet &B,
                       bool ElementAccesses = false);
  /// A mutex of \p Other that this set does not exclude it with, preferring
  /// an exclusively held one; null if \p Other holds nothing (claims are
  /// not mutexes: never returned).
  const clang::ValueDecl *missingFrom(const LockSet &Other) const;

  /// With LockSetAnalysis::trackUnknownLocks(): the locks held on some
  /// path whose mutex the analysis cannot name (a guard of a virtual
  /// getter's result, `lock()` on it, a guard of `*this`), each by the
  /// guard that releases it (null for a mutex's own lock()) and where it
  /// was taken. A may-fact: it survives the join of paths. Mutexes held do
  /// not count it (holds(), excludes(), identities() ignore it); a fix that
  /// would take a lock there could take that one again.
  struct UnknownLock {
    const clang::VarDecl *Guard;
    const clang::Stmt *Site;
    bool operator==(const UnknownLock &O) const {
      return Guard == O.Guard && Site == O.Site;
    }
  };
  llvm::ArrayRef<UnknownLock> unknownLocks() const { return Unknown; }
  void addUnknown(const UnknownLock &L);
  /// Ends the unknown locks of no guard (a mutex's unlock() on an object
  /// the analysis cannot name).
  void removeUnguardedUnknown();

  /// The mutexes the function took on some path to here and has not
  /// released since (a may-fact, kept through joins): a lock a callee or a
  /// guard's constructor takes on some paths only (a try-lock guard, a
  /// lock its parameter decides, summary MayAcquireLock) or one taken on
  /// one branch. Not held (holds() ignores them); a release of one of them
  /// is no release of a lock the function was entered with.
  llvm::ArrayRef<HeldLock> mayHold() const { return Maybe; }
  void addMaybe(const HeldLock &L);
  void removeMaybe(const clang::ValueDecl *Mutex);
  bool mayHold(const clang::ValueDecl *Mutex) const;

  /// The identities of the mutexes (and flags) held, for ContainerUse.
  llvm::SmallVector<const void *, 2> identities() const {
    llvm::SmallVector<const void *, 2> Ids;
    for (const HeldLock &L : Locks)
      Ids.push_back(L.Mutex);
    return Ids;
  }

  bool operator==(const LockSet &O) const;
  bool operator!=(const LockSet &O) const { return !(*this == O); }

  /// The state of a path that cannot go on (past a call that does not
  /// return): the top of the must-lattice, every lock held; the join with
  /// another path's set is that set.
  void markUnreachable() {
    Locks.clear();
    Unknown.clear();
    Maybe.clear();
    Unreachable = true;
  }
  bool unreachable() const { return Unreachable; }

private:
  llvm::SmallVector<HeldLock, 2> Locks;
  llvm::SmallVector<UnknownLock, 0> Unknown;
  llvm::SmallVector<HeldLock, 0> Maybe;
  bool Unreachable = false;
};

/// The key of the mutex an object path names: its last declaration.
const clang::ValueDecl *mutexKeyOf(const ObjectPath &P);

/// The mutex \p Key names when it is a pointer or reference data member
/// that is an alias of one mutex: every constructor of its class that makes
/// a new object (not a copy or move) gives it the same parameter (by its
/// initialiser, `mu_(mu)`, or by an assignment in its body, `mu_ = mu;`),
/// no other code writes it, and every construction of the class in the
/// translation unit (FlowContext::constructionsOf(), at least one) passes
/// there the address of (the reference to) one mutex that is a data member
/// or a global: `ErrorHandler(this, &mutex_)`, `new Callback(&mutex_)`. The
/// mutex is that member's (or global's) key, itself resolved the same way
/// (a pointer member handed on). \p Key itself otherwise: constructions
/// given different mutexes, or one given a local, a parameter or anything
/// else, leave the member its own mutex (every object's, as any member).
/// Cached (FlowContext::mutexAliasCache()).
const clang::ValueDecl *mutexAliasOf(FlowContext &Flow,
                                     const clang::ValueDecl *Key);

/// The mutex whose try-lock result \p FD returns, and the mode: every
/// `return` of its body returns `m.try_lock()` or `m.try_lock_shared()`
/// (LockRecognizer::classifyTryLockCall()) on one mutex `m` (named as \p FD
/// names it), directly or through a local it initialised with one and
/// never changes, or a conditional choosing between two try-locks of `m`:
/// a try-lock helper (`bool tryLock() { return mutex_.try_lock(); }`),
/// oneTBB's `try_acquire(m, write)` (`bool ok = write ? m.try_lock() :
/// m.try_lock_shared(); ... return ok;`). With \p Binding, a condition its
/// constants decide selects the arm; otherwise two modes are held shared.
/// A caller holds `m` on the branch where the call tested true.
std::optional<std::pair<ObjectPath, LockMode>>
tryLockReturned(FlowContext &Flow, const clang::FunctionDecl *FD,
                const ConstantBinding *Binding = nullptr);

/// The capabilities clang's thread-safety attributes say \p FD is entered
/// with (`REQUIRES(work.mutex)`, LockRecognizer::requiredOnEntry()), named
/// as \p FD names them.
LockSet locksRequiredByAttributes(FlowContext &Flow,
                                  const clang::FunctionDecl *FD);

/// The locks \p FD's own code says it is entered with, named as \p FD
/// names them: the capabilities clang's thread-safety attributes require
/// (`REQUIRES(work.mutex)`, LockRecognizer::requiredOnEntry()), the
/// mutexes it releases without having acquired them (`pushAndUnlock()`:
/// `tasks_.push_back(t); mutex_.unlock();`), which it was entered with, and
/// the lifetime locks of its object (lifetimeLocks()). Sound whoever calls
/// it: a caller that does not hold them breaks the function's contract
/// (unlocking a mutex not held is undefined).
LockSet locksRequiredOnEntry(FlowContext &Flow, const clang::FunctionDecl *FD);

/// The lifetime locks \p FD runs with, a member function of a class whose
/// objects hold them from their construction to their destruction (not a
/// constructor nor the destructor), named as \p FD names them. A mutex,
/// named through `this` (`this->q->m_mutex`, the queue's mutex a pointer
/// member reaches: keyed by MutexedQueue::m_mutex) or a global, is a
/// lifetime lock of a class when
///   * every constructor the class's code defines acquires it, on every
///     path or on some (a may-hold at its exit, LockSet::mayHold(): a lock
///     taken only `if (enabled())` is held where the object's other members
///     do their work, which they guard by the same test): by a guard data
///     member it constructs or assigns from the mutex
///     (LockRecognizer::memberGuardsAcquired(): `m_lock =
///     std::unique_lock<std::mutex>(log_mutex);`), or by the mutex's own
///     acquisition that it does not release (`q->getMutex().lock();`);
///   * only the destructor releases it: the guard member's destruction, or
///     an unlock in the destructor's body, which there must be;
///   * no other member function releases it for good: none unlocks,
///     releases, moves or reassigns the guard member
///     (releasesGuardMember()), none ends without the mutex its summary
///     releases (ReleasesLock). A member that unlocks it for a while and
///     takes it again keeps it a lifetime lock; the flow inside that member
///     sees what it does between (an access there is unguarded).
/// Cached per class (FlowContext::lifetimeLockCache()).
LockSet lifetimeLocks(FlowContext &Flow, const clang::FunctionDecl *FD);

/// The locks held where \p FD evaluates \p S (a statement or expression of
/// its body outside lambdas), from the locks it is entered with
/// (locksRequiredOnEntry(): lifetime locks included); the meet over the
/// paths, with the locks held on some of them (LockSet::mayHold()). Empty
/// if \p S is not evaluated or no graph could be built.
LockSet locksAt(FlowContext &Flow, const clang::FunctionDecl *FD,
                const clang::Stmt *S);

/// Called for a mutex a statement acquires and waits for: \p Site, the lock
/// now held, and the locks held before the statement.
using AcquireCallback = llvm::function_ref<void(
    const clang::Stmt *Site, const HeldLock &Acquired, const LockSet &Before)>;

/// Runs the analysis over one function body.
class LockSetAnalysis {
public:
  explicit LockSetAnalysis(FlowContext &Flow) : Flow(Flow) {}

  /// Makes run() also report, while it visits, every mutex a statement
  /// acquires that was not held before it (a guard's construction, lock(),
  /// std::lock and std::scoped_lock of several at once, a guard's lock(), a
  /// helper that returns with it held). A mutex taken by try_lock() or
  /// std::try_to_lock is not reported (the thread does not wait for it: it
  /// is held only on the branch that tested it), nor one already held (a
  /// recursive mutex locked again). \p F is referenced, not copied: it
  /// must outlive the calls of run().
  void onAcquire(AcquireCallback F) { Acquired = F; }

  /// Makes run() add the flags claimed under a lock to the sets it visits
  /// (HeldLock::Claim; see the file comment). Off by default: the other
  /// users of the analysis want mutexes only. Claims are never reported to
  /// onAcquire().
  void trackClaims(bool On = true) { Claims = On; }

  /// Whether a store of a constant into the flag \p Flag (its canonical
  /// declaration) made by \p Fn is a hand-over (see the file comment).
  using HandOverTest = std::function<bool(const clang::ValueDecl *Flag,
                                          const clang::FunctionDecl *Fn)>;
  /// With trackClaims(): makes run() take a store of a constant into a flag
  /// not tested before, under an exclusively held mutex, for a hand-over
  /// (HeldLock::HandedOver) where \p F says it is one. Empty: none.
  void handOvers(HandOverTest F) { HandOver = std::move(F); }

  /// Makes run() take the locks a function takes on one arm of a mode
  /// condition (an `if` outside loops on a bool, enum or integer data member
  /// or global the function never writes, or a parameter:
  /// StableConditions::isMode()) and never on the other as held on that
  /// other arm, at the statements it visits (not in the state it carries:
  /// nothing releases them, and onAcquire() does not see them): `if
  /// (locking) guard.attach_and_lock(mutex); data.insert(v);` visits the
  /// insert holding `mutex` on both arms, and so does the call `f()` of `if
  /// (flag) { lock_guard g(m); return f(); } return f();`. The author
  /// decided the locking by configuration: the unlocked arm is the
  /// single-threaded mode. Off by default.
  void modeLocks(bool On = true) { ModeLocksOn = On; }

  /// Makes run() add to the sets it visits the locks whose mutex it cannot
  /// name (LockSet::unknownLocks()): a guard constructed from, or a
  /// `lock()` called on, an expression no object path names. Off by
  /// default.
  void trackUnknownLocks(bool On = true) { Unknown = On; }

  /// With trackClaims(): the local flags of the function run() is given
  /// that carry a claim (HeldLock::ClaimState::Owned) out of a lambda run
  /// in place (the caller decides which, see the file comment). On the edge
  /// where such a flag tests true the claim is held, until a statement
  /// passes a lambda that names the claimed flag (the release, made in
  /// another lambda the helper runs). \p Carried is referenced, not copied;
  /// null for none.
  void
  carryClaims(const llvm::DenseMap<const clang::VarDecl *, HeldLock> *Carried) {
    CarriedClaims = Carried;
  }

  /// Makes run() analyse the function as called with the constants \p B
  /// binds to its parameters (null: none): a branch whose condition they
  /// decide takes only the edge they choose, and the calls it makes pass
  /// them on (a constructor's base class constructor given its parameter).
  /// \p B is referenced, not copied.
  void bindConstants(const ConstantBinding *B) { Binding = B; }

  /// Makes run() also call \p F, while it visits, where an automatic
  /// variable that is not a guard is destroyed (at the end of its scope, on
  /// a jump out of it, or unwound by an exception), with the locks held
  /// there: where a scope guard runs the callable it holds (ScopeExit.h).
  /// Called once per destruction point and partition: intersect. \p F is
  /// referenced, not copied.
  void onDestroy(
      llvm::function_ref<void(const clang::VarDecl *, const LockSet &)> F) {
    Destroyed = F;
  }

  /// Computes the locks held before each statement of \p D's body (a
  /// function, method or lambda call operator), starting from \p Entry, and
  /// then calls \p Visit once for every statement and sub-expression the
  /// graph evaluates, in a fixed order, with the locks held when it is
  /// evaluated. Unreachable code is not visited. Returns false if no graph
  /// could be built (nothing is visited then). \p Exit, if given, receives
  /// the locks held when the function returns normally, and \p Released the
  /// mutexes it releases without having acquired them.
  bool run(const clang::Decl *D, const LockSet &Entry,
           llvm::function_ref<void(const clang::Stmt *, const LockSet &)> Visit,
           std::optional<LockSet> *Exit = nullptr,
           llvm::SmallVectorImpl<ObjectPath> *Released = nullptr) const;

private:
  FlowContext &Flow;
  AcquireCallback Acquired;
  llvm::function_ref<void(const clang::VarDecl *, const LockSet &)> Destroyed;
  bool Claims = false;
  bool ModeLocksOn = false;
  bool Unknown = false;
  const llvm::DenseMap<const clang::VarDecl *, HeldLock> *CarriedClaims =
      nullptr;
  const ConstantBinding *Binding = nullptr;
  HandOverTest HandOver;
};

} // namespace pitfall

#endif // PITFALL_FLOW_LOCKANALYSIS_H
