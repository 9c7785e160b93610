//===--- Summary.h - what a function does to the objects its caller sees
//---===//
//
// A function summary lists, per object the caller can name (a parameter,
// a member of `this`, a global, or a variable a lambda captured), what a
// call does to it, read off the function's body by the flow layer's own
// analyses, never off its name:
//
//   threads    joins/detaches/moves out the thread (on every path or some),
//              leaves a started thread in it
//   locks      acquires or releases it, in the mode it does, net of the
//              call (so `lock()`/`unlock()` members of a project's wrapper,
//              and the constructor/destructor pair of an RAII guard, are
//              recognised by what they do)
//   sync       counts down / arrives / releases it (how many times, at least
//              and at most), waits on it, signals it; closes or sends on it
//              when it is a channel (and whether a closed-state test guards
//              the send or the close)
//   errors     reads the error_code it refers to before writing it, or
//              overwrites it on every path, or on some paths only
//   callables  runs the callable on another thread (hands it to a thread,
//              std::async, an executor, or stores it where a thread the
//              class starts picks it up), runs it on the spot, or stores it
//
// Summaries are computed once per function and per family, on the first
// question, and reused by every check in the translation unit. A callee's
// summary is applied at its call sites by mapping its objects to the
// caller's (mapToCaller()). Recursion and depth are bounded by
// MaxSummaryDepth: a function reached deeper, or again while its own
// summary is being computed, counts as doing nothing known, and summaries
// that relied on such a call are marked incomplete. A summary cut short for
// depth is computed again when it is asked for from a shallower depth (the
// first question must not decide for every later one: an analysis that
// reached a helper deep inside another summary would otherwise leave it
// without the effects of its own callees for every check of the TU). The
// cut is kept per family, and a caller that read a callee's family cut
// short is cut short itself, so what a check sees does not depend on which
// checks asked for which summaries before it.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_SUMMARY_H
#define PITFALL_FLOW_SUMMARY_H

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Locks.h"
#include "pitfall/Flow/Throws.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class CFGBlock;
class CXXRecordDecl;
class Expr;
class FieldDecl;
class FunctionDecl;
class ParmVarDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// How many calls deep summaries follow callees.
inline constexpr unsigned MaxSummaryDepth = 4;

/// An arrival count that exceeds this is "unbounded".
inline constexpr int64_t MaxCountedArrivals = 1 << 16;
inline constexpr int64_t Unbounded = std::numeric_limits<int64_t>::max();

enum Effect : uint32_t {
  NoEffect = 0,
  // threads
  JoinsThread = 1u << 0,   ///< not joinable when the call returns, every path
  MayJoinThread = 1u << 1, ///< made not joinable on some path only
  DetachesThread = 1u << 2,
  StartsThread = 1u << 3, ///< holds a started thread when the call returns
  // locks
  AcquiresLock = 1u << 4,   ///< held (exclusively) when the call returns
  AcquiresShared = 1u << 5, ///< held in shared mode when the call returns
  /// Released (it was held on entry) and not taken again on every path
  /// before the call returns.
  ReleasesLock = 1u << 6,
  // sync objects and channels
  Arrives = 1u << 7, ///< counted down / arrived at / released / done
  Waits = 1u << 8,   ///< blocks until signalled: wait, get, join, acquire
  Signals = 1u << 9, ///< wakes waiters: notify, set_value, count_down, ...
  ClosesChannel = 1u << 10, ///< may be closed when the call returns
  /// Sent on where no closed-state test (`is_closed()`, `is_open()`) showed
  /// it open first: a send on a closed channel if the caller closed it.
  SendsOnChannel = 1u << 11,
  // errors
  ReadsError = 1u << 12,      ///< the caller's error value is read first
  OverwritesError = 1u << 13, ///< written before any read, every path
  // callables
  RunsElsewhere = 1u << 14,  ///< runs on another thread of execution
  RunsHere = 1u << 15,       ///< called during the call
  StoresCallable = 1u << 16, ///< kept in an object that outlives the call
  // errors (cont.)
  MayOverwriteError = 1u << 17, ///< written on some paths only, not read
  // channels (cont.)
  /// Closed where no closed-state test showed it open first: a second
  /// close if the caller closed it (a helper that closes only an open
  /// channel has ClosesChannel alone).
  ClosesUnchecked = 1u << 18,
  // locks (cont.)
  /// Held when the call returns true: the function returns the result of
  /// the mutex's try_lock() (`bool tryLock() { return m_.try_lock(); }`).
  TryAcquiresLock = 1u << 19,
  /// Released somewhere without the function having taken it first: the
  /// function is entered with it held (`pushAndUnlock()`), whether or not
  /// it takes it again before returning (then it has no ReleasesLock).
  HeldOnEntry = 1u << 20,
  /// With AcquiresLock/AcquiresShared: held by the object the function
  /// returns, whose destruction releases it (a std::unique_ptr whose
  /// deleter unlocks what the function locked: libcuckoo's `lock_all()`).
  /// The caller's variable initialised with the result is its guard.
  HeldByResult = 1u << 21,
  /// Held when the call returns on some paths only, taken by the function
  /// (a guard that locks or try-locks, as its parameter says): no
  /// acquisition, but a later release of it is no release of a lock the
  /// caller was entered with.
  MayAcquireLock = 1u << 22,
  /// TryAcquiresLock in shared mode: the function returns the result of the
  /// mutex's try_lock_shared(), or of a try-lock whose mode its caller's
  /// argument does not fix.
  TryAcquiresShared = 1u << 23,
};

/// The lock family's effects.
inline constexpr uint32_t LockEffects =
    AcquiresLock | AcquiresShared | ReleasesLock | TryAcquiresLock |
    HeldOnEntry | HeldByResult | MayAcquireLock | TryAcquiresShared;

/// Parameters of one function bound to the constants a call gives them
/// (literals, default arguments, enumerators, `true`/`false`, a parameter
/// of the caller bound itself): the lock summary at that call prunes the
/// branches they decide (SummaryCache::locksWith()).
struct ConstantBinding {
  const clang::FunctionDecl *Fn = nullptr;
  /// (parameter index, value), by increasing index.
  llvm::SmallVector<std::pair<unsigned, int64_t>, 2> Values;

  bool empty() const { return Values.empty(); }
  /// The value of \p P, a parameter of Fn, if bound.
  std::optional<int64_t> valueOf(const clang::ParmVarDecl *P) const;
};

/// The summary families (computed separately, on demand).
enum SummaryFamily : uint8_t {
  ThreadFamily = 1u << 0,
  LockFamily = 1u << 1,
  SyncFamily = 1u << 2,
  ErrorFamily = 1u << 3,
  CallableFamily = 1u << 4,
};

struct SlotEffect {
  ObjectPath Slot;
  uint32_t Effects = NoEffect;
  /// For Arrives: the number of arrivals on the normal paths, at least and
  /// at most (Unbounded when a loop repeats them without bound).
  int64_t MinArrivals = 0, MaxArrivals = 0;
  /// Where the first effect happens (for notes).
  clang::SourceLocation Loc;
  /// For callables stored in an object: where (this->tasks_).
  std::optional<ObjectPath> StoredIn;
};

struct FunctionSummary {
  const clang::FunctionDecl *Fn = nullptr;
  llvm::SmallVector<SlotEffect, 4> Slots;
  /// A reference or pointer field of `this` that a constructor binds to a
  /// parameter, or that a member function binds to one before anything else
  /// (`attach_and_lock(m)` calling `attach(m)`, which stores `&m`): (field,
  /// parameter index). Its effects on the field are on the argument.
  llvm::SmallVector<std::pair<const clang::FieldDecl *, unsigned>, 1>
      FieldAliases;
  /// What calling the function may throw.
  ThrowKind Throws = ThrowKind::None;
  /// False if a callee could not be summarised (depth, recursion, no body).
  bool Complete = true;
  uint8_t Computed = 0;
  /// Per family (bit i of SummaryFamily): 1 + the nesting depth the family
  /// was last computed at when a callee was out of reach for depth there
  /// (MaxSummaryDepth), directly or through a callee's family cut short
  /// itself; 0 when nothing was cut. Asked for from shallower, the family is
  /// computed again, reaching further. Per family: computing another family
  /// later, from elsewhere, says nothing about this one.
  uint8_t CutBelow[5] = {0, 0, 0, 0, 0};
  /// True if a family of \p Families was cut short for depth.
  bool cutForDepth(uint8_t Families) const;

  const SlotEffect *find(const ObjectPath &P) const;
  SlotEffect &get(const ObjectPath &P);
  bool has(const ObjectPath &P, uint32_t E) const {
    const SlotEffect *S = find(P);
    return S && (S->Effects & E);
  }
  /// The parameter a field aliases, or -1.
  int aliasedParam(const clang::FieldDecl *F) const;
};

/// The argument call \p Site (a CallExpr or CXXConstructExpr) passes for
/// its callee's parameter of index \p ParamIndex (a member operator call's
/// object is no argument), or null.
const clang::Expr *argumentFor(const clang::Expr *Site, unsigned ParamIndex);

/// The thread object (`t` of `t.joinable()`, `thread_` of
/// `thread_->joinable()`) that the edge from \p B to its successor number
/// \p Succ finds not joinable: the branch of `if (t.joinable())` (or its
/// negation) with no thread to join; null for any other edge.
const clang::Expr *notJoinableOnEdge(const clang::CFGBlock &B, unsigned Succ);

/// The caller's object a callee's slot denotes at call \p Site (a CallExpr
/// or CXXConstructExpr) made on object \p Object (the implicit object of a
/// member call, the variable a constructor initialises; null if none or
/// unknown). Parameters map to the argument's path, `this` to the object's,
/// globals and captured variables to themselves. nullopt when the slot
/// cannot be named in the caller. \p Summary is the callee's summary when
/// the caller has it: a constructor's reference fields bound to parameters
/// then map to the arguments, and a lambda's slot that is a parameter of an
/// enclosing function (a capture) maps to itself rather than to an argument.
std::optional<ObjectPath> mapToCaller(const ObjectPath &CalleeSlot,
                                      const clang::Expr *Site,
                                      const clang::Expr *Object,
                                      const FunctionSummary *Summary = nullptr);
std::optional<ObjectPath> mapToCaller(const ObjectPath &CalleeSlot,
                                      const clang::Expr *Site,
                                      const ObjectPath *Object,
                                      const FunctionSummary *Summary = nullptr);

/// The function a call or construction runs (the definition when it is in
/// the translation unit), and the object it runs on (or null).
struct CallSite {
  const clang::FunctionDecl *Callee = nullptr;
  const clang::Expr *Object = nullptr;
};
CallSite callSiteOf(const clang::Expr *CallOrConstruct);

class SummaryCache {
public:
  explicit SummaryCache(FlowContext &Flow) : Flow(Flow) {}
  ~SummaryCache();

  /// \p FD's summary with at least the families in \p Families computed.
  /// Null for a function without a body in the translation unit.
  const FunctionSummary *get(const clang::FunctionDecl *FD, uint8_t Families);

  /// True if objects of \p Record run callables stored in \p Field on
  /// another thread: a thread (or task) the class starts reads the field.
  bool runsStoredCallables(const clang::CXXRecordDecl *Record,
                           const clang::FieldDecl *Field);

  /// The lock effects of \p FD at a call that binds its parameters as
  /// \p Binding says (constantArguments()): its lock summary computed with
  /// the branches the bound parameters decide pruned (`Guard(m, timeout =
  /// 0)` locks when `timeout == 0`, `ScopedRWLock(rwl, true)` takes the
  /// writer lock), cached per binding. Only the lock family is computed.
  /// Null when out of reach (recursion, depth).
  const FunctionSummary *locksWith(const ConstantBinding &Binding);

  /// The constants call \p Site (a CallExpr or CXXConstructExpr) of \p FD
  /// (its definition) gives to parameters a branch condition of \p FD reads:
  /// integral, bool or enum arguments that are constant expressions (a
  /// default argument included), or parameters of the caller that \p
  /// Enclosing binds (a constructor passing its own constant on to its base
  /// class's: `ScopedWriteRWLock(rwl) : ScopedRWLock(rwl, true)`). Empty if
  /// none.
  ConstantBinding constantArguments(const clang::FunctionDecl *FD,
                                    const clang::Expr *Site,
                                    const ConstantBinding *Enclosing);

  /// The current summary nesting depth (for analyses that consult
  /// summaries while one is being computed).
  unsigned depth() const { return Depth; }

private:
  void computeThreads(FunctionSummary &S);
  void computeLocks(FunctionSummary &S) { computeLocks(S, nullptr); }
  /// With the constants \p Binding gives the parameters (null: none).
  void computeLocks(FunctionSummary &S, const ConstantBinding *Binding);
  /// The parameters (bit per index, the first 64) a branch condition of
  /// \p FD's body reads, or that it hands on to such a parameter of a
  /// callee (at most MaxSummaryDepth calls deep).
  uint64_t branchParameters(const clang::FunctionDecl *FD);
  void computeSync(FunctionSummary &S);
  void computeErrors(FunctionSummary &S);
  void computeCallables(FunctionSummary &S);

  FlowContext &Flow;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Cache;
  llvm::DenseMap<const clang::FunctionDecl *, uint8_t> InProgress;
  llvm::DenseMap<
      std::pair<const clang::CXXRecordDecl *, const clang::FieldDecl *>, bool>
      StoredCallables;
  /// Lock summaries per constant binding (locksWith()); null while one is
  /// being computed. Those cut short for depth are kept apart, not reused.
  std::map<std::pair<const clang::FunctionDecl *,
                     llvm::SmallVector<std::pair<unsigned, int64_t>, 2>>,
           std::unique_ptr<FunctionSummary>>
      Bound;
  std::vector<std::unique_ptr<FunctionSummary>> BoundCut;
  llvm::DenseMap<const clang::FunctionDecl *, uint64_t> BranchParams;
  unsigned BranchDepth = 0;
  unsigned Depth = 0;
  /// How many times a summary was asked for while out of reach (recursion,
  /// depth): the summaries computed meanwhile are incomplete.
  unsigned Refusals = 0;
  /// How many times a summary was out of reach for depth, or given from the
  /// cache with a family cut short for depth: the summaries computed
  /// meanwhile are cut short too, and computed again when asked for from
  /// shallower.
  unsigned DepthRefusals = 0;
};

/// True if a slot with root \p P is visible to callers of \p Fn: a
/// parameter, `this`, a global, or a variable or parameter declared outside
/// \p Fn (a lambda's capture), or a lambda's init-capture that copies a
/// handle of the enclosing function (copyOfHandle()).
bool isVisibleToCaller(const ObjectPath &P, const clang::FunctionDecl *Fn);

/// True if \p Slot, reached through a copy of its root, is the original's
/// object all the same: the root's class is a handle (isSharedHandle(), its
/// copies share their state) and the slot is the handle itself or state
/// behind one of its shared_ptr members, not such a member itself.
bool sharedThroughCopy(const ObjectPath &Slot);

/// For a slot rooted at a lambda's init-capture that copies a handle
/// (`[wg = wg]`, `[done = this->done_]`), the same slot of the object it
/// copies; nullopt otherwise.
std::optional<ObjectPath> copyOfHandle(const ObjectPath &Slot);

} // namespace pitfall

#endif // PITFALL_FLOW_SUMMARY_H
