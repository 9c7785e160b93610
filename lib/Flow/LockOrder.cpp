//===--- LockOrder.cpp ----------------------------------------------------===//
#include "pitfall/Flow/LockOrder.h"

#include "pitfall/Core/Escape.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/LockAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <optional>

using namespace clang;

namespace pitfall {

namespace {

/// Bounds that keep a function's facts small: orders and acquisitions kept
/// per function, and uses of one order examined per pair of mutexes.
constexpr unsigned MaxOrdersPerFunction = 64;
constexpr unsigned MaxAcquisitionsPerFunction = 32;
constexpr unsigned MaxUsesPerOrder = 16;

/// A mutex as a function names it: its key (mutexKeyOf()) and, when known,
/// its path (to map it into a caller).
struct NamedMutex {
  const ValueDecl *Key = nullptr;
  std::optional<ObjectPath> Path;
};

/// A mutex acquired (and waited for) during a call of a function.
struct Acquisition {
  NamedMutex Mutex;
  /// The acquisition itself and its function (in a helper, or the function
  /// itself).
  const Stmt *At = nullptr;
  const FunctionDecl *In = nullptr;
  /// The locks the function was entered with that it has released by then
  /// (and not taken again): the acquisition is not made while holding them.
  llvm::SmallVector<NamedMutex, 1> Released;
};

/// An order taken during a call of a function: Acquired waited for while
/// Held is held, in Fn's body at At.
struct Order {
  NamedMutex Held, Acquired;
  const FunctionDecl *Fn = nullptr;
  const Stmt *At = nullptr;
  const Stmt *HeldAt = nullptr;
  const Stmt *AcquiredAt = nullptr;
  const FunctionDecl *AcquiredIn = nullptr;
  /// Every mutex held when Acquired is waited for (Held among them): two
  /// orders under a common one cannot wait for each other.
  llvm::SmallVector<const ValueDecl *, 2> Gates;
  /// As Acquisition::Released: Acquired among them is taken again after
  /// its release, no recursive locking of a mutex the caller holds.
  llvm::SmallVector<NamedMutex, 1> Released;
};

/// What a call of a function does, helpers included.
struct Facts {
  bool Computed = false;
  llvm::SmallVector<Acquisition, 4> Acquisitions;
  /// Each order with the statement of this function that takes it or calls
  /// the helper that does.
  llvm::SmallVector<std::pair<const Stmt *, Order>, 4> Orders;
};

/// Where an order is taken: a task's thread, its starter's code, or code
/// called from outside the translation unit.
struct Use {
  enum Kind { Task, Starter, External } K = External;
  const Order *O = nullptr;
  /// Task and Starter: the starting function's tasks, and for Task the
  /// task's index.
  const TaskTracker *Tracker = nullptr;
  unsigned TaskIndex = 0;
  /// Starter: the tasks that may be running where the order is taken.
  llvm::BitVector Running;
};

bool concurrent(const Use &A, const Use &B) {
  if (A.K != Use::Task && B.K != Use::Task)
    return false;
  // A lock both hold (a gate lock) keeps them apart.
  if (llvm::any_of(A.O->Gates, [&](const ValueDecl *G) {
        return llvm::is_contained(B.O->Gates, G);
      }))
    return false;
  if (A.K == Use::Task && B.K == Use::Task) {
    if (A.Tracker != B.Tracker)
      return true;
    const TaskTracker &T = *A.Tracker;
    const Expr *SiteA = T.tasks()[A.TaskIndex].Site;
    const Expr *SiteB = T.tasks()[B.TaskIndex].Site;
    // A task started again while it may be running runs alongside itself.
    return T.mayBeRunningAt(A.TaskIndex, SiteB) ||
           T.mayBeRunningAt(B.TaskIndex, SiteA);
  }
  const Use &Task = A.K == Use::Task ? A : B;
  const Use &Other = A.K == Use::Task ? B : A;
  if (Other.K == Use::Starter && Other.Tracker == Task.Tracker)
    return Other.Running.test(Task.TaskIndex);
  return true;
}

} // namespace

struct LockOrder::Impl {
  explicit Impl(FlowContext &Flow)
      : Flow(Flow), SM(Flow.astContext().getSourceManager()) {}

  FlowContext &Flow;
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Functions;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<Facts>> AllFacts;
  llvm::DenseSet<const FunctionDecl *> InProgress;
  /// Functions some function of the translation unit calls.
  llvm::DenseSet<const FunctionDecl *> Called;
  unsigned Depth = 0;

  bool inSystemHeader(const Decl *D) const {
    return SM.isInSystemHeader(D->getLocation());
  }

  bool before(SourceLocation A, SourceLocation B) const {
    return SM.isBeforeInTranslationUnit(A, B);
  }

  /// The mutex \p D names: itself, or the one a pointer or reference member
  /// is an alias of (mutexAliasOf()).
  const ValueDecl *key(const ValueDecl *D) const {
    return mutexAliasOf(Flow, D);
  }

  /// The lock of \p Locks on the mutex \p Key (an alias resolved), or null.
  const HeldLock *held(const LockSet &Locks, const ValueDecl *Key) const {
    for (const HeldLock &H : Locks.locks())
      if (!H.isClaim() && key(H.Mutex) == Key)
        return &H;
    return nullptr;
  }

  static bool named(llvm::ArrayRef<NamedMutex> Ms, const ValueDecl *Key) {
    return llvm::any_of(Ms, [&](const NamedMutex &M) { return M.Key == Key; });
  }

  // --- facts ---------------------------------------------------------------

  /// The caller's name for \p M, a mutex of \p Callee, at \p Call made on
  /// \p Object; nullopt if it is the callee's own (a local, a parameter
  /// that cannot be mapped).
  std::optional<NamedMutex> mapMutex(const NamedMutex &M,
                                     const FunctionDecl *Callee,
                                     const Expr *Call,
                                     const Expr *Object) const {
    // A field stands for every object's (mutexKeyOf()): it keeps its key
    // when the object cannot be named in the caller.
    if (!M.Path)
      return isa<FieldDecl>(M.Key) ? std::optional<NamedMutex>(M)
                                   : std::nullopt;
    if (!isVisibleToCaller(*M.Path, Callee))
      return std::nullopt;
    if (std::optional<ObjectPath> P = mapToCaller(*M.Path, Call, Object))
      if (const ValueDecl *Key = mutexKeyOf(*P))
        return NamedMutex{key(Key), std::move(P)};
    return isa<FieldDecl>(M.Key) ? std::optional<NamedMutex>({M.Key, {}})
                                 : std::nullopt;
  }

  /// \p Released (named in \p Callee) as the caller names them at \p Call.
  llvm::SmallVector<NamedMutex, 1>
  mapReleased(llvm::ArrayRef<NamedMutex> Released, const FunctionDecl *Callee,
              const Expr *Call, const Expr *Object) const {
    llvm::SmallVector<NamedMutex, 1> Out;
    for (const NamedMutex &R : Released)
      if (std::optional<NamedMutex> M = mapMutex(R, Callee, Call, Object);
          M && !named(Out, M->Key))
        Out.push_back(std::move(*M));
    return Out;
  }

  /// Adds \p O, taken with \p Before held, to \p F (once per statement).
  void addOrder(Facts &F, const Stmt *Top, Order O,
                const LockSet &Before) const {
    for (const HeldLock &H : Before.locks())
      if (const ValueDecl *G = key(H.Mutex);
          !named(O.Released, G) && !llvm::is_contained(O.Gates, G))
        O.Gates.push_back(G);
    if (F.Orders.size() == MaxOrdersPerFunction || O.Held.Key == O.Acquired.Key)
      return;
    for (const auto &[T, Known] : F.Orders)
      if (Known.Held.Key == O.Held.Key &&
          Known.Acquired.Key == O.Acquired.Key && Known.At == O.At)
        return;
    F.Orders.emplace_back(Top, std::move(O));
  }

  static void addAcquisition(Facts &F, Acquisition A) {
    if (F.Acquisitions.size() == MaxAcquisitionsPerFunction ||
        llvm::any_of(F.Acquisitions, [&](const Acquisition &K) {
          return K.Mutex.Key == A.Mutex.Key;
        }))
      return;
    F.Acquisitions.push_back(std::move(A));
  }

  /// What a call of \p FD acquires and in which orders, computed once. A
  /// function reached again while its facts are computed (recursion) or
  /// deeper than MaxSummaryDepth contributes nothing.
  const Facts &facts(const FunctionDecl *FD) {
    std::unique_ptr<Facts> &Slot = AllFacts[FD];
    if (!Slot)
      Slot = std::make_unique<Facts>();
    Facts &F = *Slot;
    if (F.Computed || InProgress.contains(FD) || Depth > MaxSummaryDepth)
      return F;
    InProgress.insert(FD);
    ++Depth;
    LockSetAnalysis A(Flow);
    // The locks it is entered with (a mutex it releases without taking it,
    // the thread-safety attributes, its object's lifetime locks): its
    // callers' acquisitions hold them, so they order nothing here (Own());
    // what it takes after releasing one is not taken while holding it
    // (Released()), and taking one again after its release is an
    // acquisition.
    LockSet Entry = locksRequiredOnEntry(Flow, FD);
    auto Own = [&](const LockSet &Before) {
      LockSet Out;
      for (const HeldLock &H : Before.locks())
        if (H.Site || !Entry.find(H.Mutex))
          Out.add(H);
      return Out;
    };
    auto Released = [&](const LockSet &Before) {
      llvm::SmallVector<NamedMutex, 1> Out;
      for (const HeldLock &E : Entry.locks())
        if (!E.isClaim() && !Before.find(E.Mutex) && !named(Out, key(E.Mutex)))
          Out.push_back({key(E.Mutex), E.Path});
      return Out;
    };
    auto OnAcquire = [&](const Stmt *S, const HeldLock &L, const LockSet &All) {
      LockSet Before = Own(All);
      NamedMutex M{key(L.Mutex), L.Path};
      llvm::SmallVector<NamedMutex, 1> Gone = Released(All);
      addAcquisition(F, {M, S, FD, Gone});
      for (const HeldLock &H : Before.locks())
        addOrder(F, S,
                 {{key(H.Mutex), H.Path}, M, FD, S, H.Site, S, FD, {}, Gone},
                 Before);
    };
    A.onAcquire(OnAcquire);
    A.run(FD, Entry, [&](const Stmt *S, const LockSet &All) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return;
      CallSite CS = callSiteOf(E);
      const FunctionDecl *Callee = definitionOf(CS.Callee);
      if (!Callee || Callee == FD || inSystemHeader(Callee))
        return;
      Called.insert(Callee);
      LockSet Before = Own(All);
      llvm::SmallVector<NamedMutex, 1> Gone = Released(All);
      const Facts &C = facts(Callee);
      for (const Acquisition &Acq : C.Acquisitions) {
        std::optional<NamedMutex> M = mapMutex(Acq.Mutex, Callee, E, CS.Object);
        if (!M)
          continue;
        // The locks the callee released before it: not held there.
        llvm::SmallVector<NamedMutex, 1> Out =
            mapReleased(Acq.Released, Callee, E, CS.Object);
        // Held already: a recursive mutex locked again is no acquisition,
        // unless the callee released it first.
        if ((held(Before, M->Key) || held(All, M->Key)) && !named(Out, M->Key))
          continue;
        for (const NamedMutex &R : Gone)
          if (!named(Out, R.Key))
            Out.push_back(R);
        addAcquisition(F, {*M, Acq.At, Acq.In, Out});
        for (const HeldLock &H : Before.locks())
          if (!named(Out, key(H.Mutex)))
            addOrder(F, E,
                     {{key(H.Mutex), H.Path},
                      *M,
                      FD,
                      E,
                      H.Site,
                      Acq.At,
                      Acq.In,
                      {},
                      Out},
                     Before);
      }
      // The helper's own orders, taken during the call.
      for (const auto &[Top, O] : C.Orders) {
        std::optional<NamedMutex> Held = mapMutex(O.Held, Callee, E, CS.Object);
        std::optional<NamedMutex> Acquired =
            mapMutex(O.Acquired, Callee, E, CS.Object);
        if (!Held || !Acquired)
          continue;
        llvm::SmallVector<NamedMutex, 1> Out =
            mapReleased(O.Released, Callee, E, CS.Object);
        if ((held(Before, Acquired->Key) || held(All, Acquired->Key)) &&
            !named(Out, Acquired->Key))
          continue;
        for (const NamedMutex &R : Gone)
          if (!named(Out, R.Key))
            Out.push_back(R);
        Order Mapped = O;
        Mapped.Released = std::move(Out);
        // An order between the helper's parameters is the caller's: it is
        // taken at the call.
        if (Held->Key != O.Held.Key || Acquired->Key != O.Acquired.Key) {
          Mapped.Fn = FD;
          Mapped.At = E;
        }
        Mapped.Held = std::move(*Held);
        Mapped.Acquired = std::move(*Acquired);
        // Its gates that the caller can name, and the caller's locks.
        llvm::erase_if(Mapped.Gates, [&](const ValueDecl *G) {
          return isa<ParmVarDecl>(G) || G->getDeclContext() == Callee;
        });
        addOrder(F, E, std::move(Mapped), Before);
      }
    });
    --Depth;
    InProgress.erase(FD);
    F.Computed = true;
    return F;
  }

  // --- threads -------------------------------------------------------------

  /// True if \p FD's body (lambdas excluded) may start a task: a call that
  /// hands something to a thread or executor, or passes a callable.
  static bool mayStartTasks(const FlowContext &Flow, const FunctionDecl *FD) {
    return !walkOutsideLambdas(FD, LambdaBodies::Skip, [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return true;
      if (!Flow.escapes().escapes(E).empty())
        return false;
      const auto *Call = dyn_cast<CallExpr>(E);
      return !Call || llvm::none_of(Call->arguments(), isCallableArgument);
    });
  }

  std::vector<LockOrderCycle> run() {
    sortInSourceOrder(Functions, SM);
    for (const FunctionDecl *FD : Functions)
      facts(FD);

    // The tasks of each function that starts some.
    std::vector<std::unique_ptr<TaskTracker>> Trackers;
    llvm::DenseMap<const FunctionDecl *, const TaskTracker *> StarterOf;
    llvm::DenseSet<const FunctionDecl *> TaskEntries;
    for (const FunctionDecl *FD : Functions) {
      if (!mayStartTasks(Flow, FD))
        continue;
      const FlowGraph *G = Flow.graph(FD);
      if (!G)
        continue;
      auto T = std::make_unique<TaskTracker>(Flow, *G);
      if (T->tasks().empty())
        continue;
      for (const TaskStart &TS : T->tasks())
        if (const FunctionDecl *Entry = definitionOf(TS.Target.Fn))
          TaskEntries.insert(Entry);
      StarterOf[FD] = T.get();
      Trackers.push_back(std::move(T));
    }
    if (Trackers.empty())
      return {};

    // Each order, with the threads that take it.
    std::vector<Use> Uses;
    for (const FunctionDecl *FD : Functions) {
      const Facts &F = facts(FD);
      if (const TaskTracker *T = StarterOf.lookup(FD)) {
        for (const auto &[Top, O] : F.Orders) {
          Use U{Use::Starter, &O, T, 0, llvm::BitVector(T->tasks().size())};
          for (unsigned I = 0, N = T->tasks().size(); I != N; ++I)
            if (T->mayBeRunningAt(I, Top))
              U.Running.set(I);
          Uses.push_back(std::move(U));
        }
        for (unsigned I = 0, N = T->tasks().size(); I != N; ++I)
          if (const FunctionDecl *Entry = definitionOf(T->tasks()[I].Target.Fn))
            for (const auto &[Top, O] : facts(Entry).Orders)
              Uses.push_back({Use::Task, &O, T, I, {}});
        continue;
      }
      const auto *M = dyn_cast<CXXMethodDecl>(FD);
      bool Lambda = M && M->getParent()->isLambda();
      if (!Lambda && !Called.contains(FD) && !TaskEntries.contains(FD))
        for (const auto &[Top, O] : F.Orders)
          Uses.push_back({Use::External, &O, nullptr, 0, {}});
    }

    // Mutexes as small integers, in order of first use.
    llvm::DenseMap<const ValueDecl *, unsigned> Ids;
    auto Id = [&](const ValueDecl *D) {
      return Ids.try_emplace(D, Ids.size()).first->second;
    };
    std::vector<OrderUse> Orders;
    for (const Use &U : Uses)
      Orders.push_back({Id(U.O->Held.Key), Id(U.O->Acquired.Key)});
    std::vector<LockOrderCycle> Out;
    for (const auto &Chain : findOrderCycles(
             Orders,
             [&](unsigned A, unsigned B) {
               return concurrent(Uses[A], Uses[B]);
             },
             MaxUsesPerOrder))
      Out.push_back(cycle(Uses, Chain));
    llvm::sort(Out, [&](const LockOrderCycle &X, const LockOrderCycle &Y) {
      return before(X.Steps[0].At->getBeginLoc(), Y.Steps[0].At->getBeginLoc());
    });
    return Out;
  }

  /// The cycle of \p Chain's orders, starting at the one taken first in
  /// source order.
  LockOrderCycle cycle(llvm::ArrayRef<Use> Uses,
                       llvm::ArrayRef<unsigned> Chain) {
    LockOrderCycle C;
    for (unsigned I : Chain) {
      const Use *U = &Uses[I];
      const Order &O = *U->O;
      LockOrderStep S;
      S.Held = O.Held.Key;
      S.Acquired = O.Acquired.Key;
      S.Fn = O.Fn;
      S.At = O.At;
      S.HeldAt = O.HeldAt;
      S.AcquiredIn = O.AcquiredIn;
      S.AcquiredAt = O.AcquiredAt;
      if (U->K == Use::Task)
        S.StartedAt = U->Tracker->tasks()[U->TaskIndex].Site;
      C.Steps.push_back(S);
    }
    auto First = llvm::min_element(
        C.Steps, [&](const LockOrderStep &X, const LockOrderStep &Y) {
          return before(X.At->getBeginLoc(), Y.At->getBeginLoc());
        });
    std::rotate(C.Steps.begin(), First, C.Steps.end());
    return C;
  }
};

std::vector<llvm::SmallVector<unsigned, 3>>
findOrderCycles(llvm::ArrayRef<OrderUse> Uses,
                llvm::function_ref<bool(unsigned, unsigned)> Concurrent,
                unsigned MaxUsesPerOrder) {
  using Pair = std::pair<unsigned, unsigned>;
  // The uses of each order, and each mutex's successors, in order of first
  // use.
  llvm::DenseMap<Pair, llvm::SmallVector<unsigned, 4>> ByOrder;
  llvm::DenseMap<unsigned, llvm::SmallVector<unsigned, 4>> Next;
  std::vector<Pair> Orders;
  for (unsigned I = 0, N = Uses.size(); I != N; ++I) {
    Pair Key{Uses[I].Held, Uses[I].Acquired};
    auto &L = ByOrder[Key];
    if (L.empty()) {
      Orders.push_back(Key);
      Next[Key.first].push_back(Key.second);
    }
    if (L.size() != MaxUsesPerOrder)
      L.push_back(I);
  }
  auto UsesOf = [&](unsigned A, unsigned B) -> llvm::ArrayRef<unsigned> {
    auto It = ByOrder.find({A, B});
    return It == ByOrder.end() ? llvm::ArrayRef<unsigned>()
                               : llvm::ArrayRef<unsigned>(It->second);
  };

  std::vector<llvm::SmallVector<unsigned, 3>> Out;
  llvm::DenseSet<Pair> Reported;
  auto Report = [&](llvm::ArrayRef<unsigned> Chain) {
    Out.emplace_back(Chain.begin(), Chain.end());
    for (unsigned I : Chain) {
      Reported.insert({Uses[I].Held, Uses[I].Acquired});
      Reported.insert({Uses[I].Acquired, Uses[I].Held});
    }
  };
  // Pairs taken in both orders.
  for (const auto &[A, B] : Orders) {
    if (Reported.contains({A, B}))
      continue;
    for (unsigned X : UsesOf(A, B)) {
      llvm::ArrayRef<unsigned> Back = UsesOf(B, A);
      const auto *Y =
          llvm::find_if(Back, [&](unsigned Y) { return Concurrent(X, Y); });
      if (Y != Back.end()) {
        Report({X, *Y});
        break;
      }
    }
  }
  // Cycles of three: A before B, B before C, C before A.
  for (const Pair &AB : Orders) {
    unsigned A = AB.first, B = AB.second;
    if (Reported.contains({A, B}))
      continue;
    for (unsigned C : Next.lookup(B)) {
      if (C == A || Reported.contains({A, B}) || Reported.contains({B, C}) ||
          Reported.contains({C, A}))
        continue;
      auto Three = [&]() -> std::optional<llvm::SmallVector<unsigned, 3>> {
        for (unsigned X : UsesOf(A, B))
          for (unsigned Y : UsesOf(B, C)) {
            if (!Concurrent(X, Y))
              continue;
            for (unsigned Z : UsesOf(C, A))
              if (Concurrent(X, Z) && Concurrent(Y, Z))
                return llvm::SmallVector<unsigned, 3>{X, Y, Z};
          }
        return std::nullopt;
      }();
      if (Three)
        Report(*Three);
    }
  }
  return Out;
}

LockOrder::LockOrder(FlowContext &Flow) : P(std::make_unique<Impl>(Flow)) {}
LockOrder::~LockOrder() = default;

void LockOrder::addFunction(const FunctionDecl *FD) {
  if (FD->getBody())
    P->Functions.push_back(FD);
}

std::vector<LockOrderCycle> LockOrder::run() { return P->run(); }

} // namespace pitfall
