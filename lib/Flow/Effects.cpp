//===--- Effects.cpp ------------------------------------------------------===//
#include "pitfall/Flow/Effects.h"

#include "pitfall/Core/Cancellation.h"
#include "pitfall/Core/ElementLoops.h"
#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Flow/Blocking.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/ThreadStates.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

namespace {

/// Named library classes whose members wait for or signal an event.
enum class StdSync { None, CondVar, Future, Promise, PackagedTask };

StdSync stdSyncClass(const CXXRecordDecl *RD) {
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return StdSync::None;
  llvm::StringRef N = RD->getName();
  if (N == "condition_variable" || N == "condition_variable_any")
    return StdSync::CondVar;
  if (N == "future" || N == "shared_future")
    return StdSync::Future;
  if (N == "promise")
    return StdSync::Promise;
  if (N == "packaged_task")
    return StdSync::PackagedTask;
  return StdSync::None;
}

/// The promise or packaged_task a future variable was obtained from
/// (`std::future<void> f = p.get_future();`), or null.
const Expr *futureSource(const Expr *Future) {
  const VarDecl *V = namedVariable(Future);
  if (!V || !V->hasLocalStorage() || !V->getInit())
    return nullptr;
  const Expr *Init = skipMovesAndCopies(V->getInit());
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Init);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier() || M->getName() != "get_future")
    return nullptr;
  StdSync Kind = stdSyncClass(
      recordOf(skipImplicit(MC->getImplicitObjectArgument())->getType(), true));
  return Kind == StdSync::Promise || Kind == StdSync::PackagedTask
             ? MC->getImplicitObjectArgument()
             : nullptr;
}

/// The effect of a lock operation on its mutex (NoEffect for none).
uint32_t lockEffect(MutexOp Op) {
  switch (Op) {
  case MutexOp::Lock:
    return AcquiresLock;
  case MutexOp::LockShared:
    return AcquiresShared;
  case MutexOp::Unlock:
  case MutexOp::UnlockShared:
    return ReleasesLock;
  case MutexOp::None:
    break;
  }
  return NoEffect;
}

class Collector {
public:
  Collector(FlowContext &Flow, uint8_t Families,
            llvm::SmallVectorImpl<EffectEvent> &Out,
            const ConstantBinding *Bound = nullptr)
      : Flow(Flow), Families(Families), Out(Out), Bound(Bound) {}

  void stmt(const Stmt *S) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      memberCall(MC);
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
      operatorCall(OC);
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      construct(CE);
    else if (const auto *DS = dyn_cast<DeclStmt>(S))
      declaration(DS);
    if (const auto *Call = dyn_cast<CallExpr>(S))
      call(Call);
  }

private:
  bool wants(SummaryFamily F) const { return Families & F; }

  void add(const Expr *Object, uint32_t E, const Stmt *Site, int64_t Min = 1,
           int64_t Max = 1) {
    if (!Object)
      return;
    // A mutex is named by the object a local pointer's value designates
    // (`auto m = weak.lock(); m->lock();` locks what `*mtx_` names).
    bool Lock = E & (AcquiresLock | AcquiresShared | ReleasesLock |
                     TryAcquiresLock | TryAcquiresShared);
    if (std::optional<ObjectPath> P =
            Lock ? pointeePathOf(Object) : objectPathOf(Object))
      add(*P, E, Site, Min, Max, /*FromSummary=*/false);
  }
  void add(const ObjectPath &P, uint32_t E, const Stmt *Site, int64_t Min,
           int64_t Max, bool FromSummary) {
    EffectEvent Ev;
    Ev.Path = P;
    Ev.Effect = E;
    Ev.MinAmount = Min;
    Ev.MaxAmount = Max;
    Ev.Site = Site;
    Ev.FromSummary = FromSummary;
    Out.push_back(std::move(Ev));
  }

  /// A mutex inside a project's mutex wrapper (`work.mutex._`, locked by
  /// `work.mutex.lock()`) is the wrapper (`work.mutex`): a guard of the
  /// wrapper and its own lock() and unlock() name one mutex.
  void wrappedMutex(ObjectPath &P) const {
    while (!P.Fields.empty()) {
      const auto *RD = dyn_cast<CXXRecordDecl>(P.Fields.back()->getParent());
      if (!RD || !Flow.locks().isMutexWrapper(RD))
        return;
      if (P.Fields.size() == 1 && P.Kind == RootKind::This)
        return; // the wrapper's own members: no name for the wrapper
      P.Fields.pop_back();
    }
  }

  void memberCall(const CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!M || !Obj)
      return;
    QualType ObjType = Obj->getType();
    if (ObjType->isPointerType())
      ObjType = ObjType->getPointeeType();
    const ThreadTypes &Threads = Flow.threads();
    if (wants(ThreadFamily) || wants(SyncFamily))
      if (Threads.isAnyThread(ObjType)) {
        switch (classifyThreadMemberCall(MC)) {
        case ThreadOp::Join:
          add(Obj,
              (wants(ThreadFamily) ? JoinsThread : 0) |
                  (wants(SyncFamily) ? Waits : 0),
              MC);
          return;
        case ThreadOp::Detach:
          if (wants(ThreadFamily))
            add(Obj, JoinsThread | DetachesThread, MC);
          return;
        default:
          return;
        }
      }
    if (wants(LockFamily))
      if (uint32_t E = lockEffect(Flow.locks().classifyMutexCall(MC))) {
        add(Obj, E, MC);
        return;
      }
    if (wants(SyncFamily)) {
      SyncCall SC = Flow.sync().classify(MC, Flow.astContext());
      if (SC.Kind != SyncKind::None) {
        int64_t Amount = SC.Amount ? *SC.Amount : 1;
        int64_t Max = SC.Amount ? *SC.Amount : Unbounded;
        switch (SC.Op) {
        case SyncOp::CountDown:
        case SyncOp::Arrive:
        case SyncOp::ArriveAndDrop:
        case SyncOp::Release:
        case SyncOp::Done:
          add(Obj, Arrives | Signals, MC, Amount, Max);
          return;
        case SyncOp::ArriveAndWait:
          add(Obj, Arrives | Signals | Waits, MC, Amount, Max);
          return;
        case SyncOp::Wait:
        case SyncOp::Acquire:
          add(Obj, Waits, MC);
          return;
        default:
          return;
        }
      }
      llvm::StringRef Name = M->getIdentifier() ? M->getName() : "";
      // C++20 atomic waiting: wait(old) blocks until a notify_one/notify_all
      // after the value changed.
      if (isAtomicType(ObjType)) {
        if (Name == "wait")
          add(Obj, Waits, MC);
        else if (Name.starts_with("notify"))
          add(Obj, Signals, MC);
        return;
      }
      // The object's class, not the member's: std::future's get() and
      // wait() are declared in a base class (libstdc++'s __basic_future).
      StdSync Class =
          stdSyncClass(recordOf(skipImplicit(Obj)->getType(), true));
      if (Class == StdSync::None)
        Class = stdSyncClass(M->getParent());
      switch (Class) {
      case StdSync::CondVar:
        if (Name.starts_with("notify"))
          add(Obj, Signals, MC);
        else if (Name.starts_with("wait"))
          add(Obj, Waits, MC);
        return;
      case StdSync::Future:
        if (Name == "get" || Name.starts_with("wait")) {
          add(Obj, Waits, MC);
          // `auto f = p.get_future(); ... f.wait();` waits for what sets p.
          if (const Expr *Source = futureSource(Obj))
            add(Source, Waits, MC);
        }
        return;
      case StdSync::Promise:
        if (Name.starts_with("set_"))
          add(Obj, Signals, MC);
        return;
      case StdSync::PackagedTask:
        break;
      case StdSync::None:
        // A task's result object of the project waited on through its API
        // (a future-like class, a get() whose body blocks): it waits.
        if (waitsForResult(Flow, MC))
          add(Obj, Waits, MC);
        break;
      }
    }
    if (wants(SyncFamily)) {
      const Expr *Channel = nullptr;
      ChannelOp Op = Flow.channels().classifyCall(MC, Channel);
      if (Op == ChannelOp::Close)
        add(Channel, ClosesChannel, MC);
      else if (Op == ChannelOp::Send)
        add(Channel, SendsOnChannel, MC);
    }
    if (wants(ErrorFamily) && Flow.errors().isErrorCode(ObjType)) {
      llvm::StringRef Name = M->getIdentifier() ? M->getName() : "";
      // The category alone does not tell whether an error happened:
      // `ec.assign(0, ec.category())` (asio's error::clear) overwrites.
      if (Name != "category")
        add(Obj,
            (Name == "assign" || Name == "clear") ? OverwritesError
                                                  : ReadsError,
            MC);
    }
  }

  void operatorCall(const CXXOperatorCallExpr *OC) {
    if (OC->getNumArgs() == 0)
      return;
    const Expr *Obj = OC->getArg(0);
    QualType T = Obj->getType();
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      if (wants(ThreadFamily) && Flow.threads().isAnyThread(T)) {
        const auto *RHS =
            dyn_cast<CXXConstructExpr>(skipImplicit(OC->getArg(1)));
        if (RHS && Flow.threads().startedCallable(RHS))
          add(Obj, StartsThread, OC);
        else if (const Expr *Moved = movedOperand(OC->getArg(1)))
          add(Moved, JoinsThread, OC);
        return;
      }
      if (wants(ErrorFamily) && Flow.errors().isErrorCode(T)) {
        add(Obj, OverwritesError, OC);
        return;
      }
    }
    if (wants(SyncFamily) && OC->getOperator() == OO_Call)
      if (stdSyncClass(recordOf(T, true)) == StdSync::PackagedTask)
        add(Obj, Signals, OC);
    if (wants(SyncFamily)) {
      const Expr *Channel = nullptr;
      ChannelOp Op = Flow.channels().classifyCall(OC, Channel);
      if (Op == ChannelOp::Close)
        add(Channel, ClosesChannel, OC);
      else if (Op == ChannelOp::Send)
        add(Channel, SendsOnChannel, OC);
    }
    if (wants(ErrorFamily) && Flow.errors().isErrorCode(T) &&
        OC->getOperator() != OO_Equal)
      add(Obj, ReadsError, OC); // `!ec`, `ec == errc::...`
  }

  void construct(const CXXConstructExpr *CE) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor)
      return;
    // A thread moved into another thread object: ownership moves out.
    if (wants(ThreadFamily) && Ctor->isCopyOrMoveConstructor() &&
        CE->getNumArgs() == 1 && Flow.threads().isAnyThread(CE->getType()))
      if (const Expr *Moved = movedOperand(CE->getArg(0)))
        add(Moved, JoinsThread, CE);
    // What a user constructor does to its arguments and to globals; a base
    // class's or delegated-to constructor, run by an initialiser, also to
    // the locks of the object being built (`ScopedWriteRWLock(RWLock &rwl)
    // : ScopedRWLock(rwl, true)` takes `rwl` through the base's `_rwl`).
    bool Base =
        CE->getConstructionKind() == CXXConstructionKind::NonVirtualBase ||
        CE->getConstructionKind() == CXXConstructionKind::VirtualBase ||
        CE->getConstructionKind() == CXXConstructionKind::Delegating;
    ObjectPath Self;
    Self.Kind = RootKind::This;
    if (const FunctionSummary *S = summaryOf(Ctor))
      forSlots(S, CE,
               [&](const SlotEffect &E, uint32_t Effects,
                   const FunctionSummary *Of) {
                 if (E.Slot.Kind == RootKind::This &&
                     (!Base || !(Effects &= LockEffects)))
                   return;
                 if (std::optional<ObjectPath> P =
                         mapToCaller(E.Slot, CE, &Self, Of))
                   add(*P, Effects, CE, E.MinArrivals, E.MaxArrivals, true);
               });
    // Reading an error code by copying it.
    if (wants(ErrorFamily) && Ctor->isCopyOrMoveConstructor() &&
        CE->getNumArgs() == 1 && Flow.errors().isErrorCode(CE->getType()))
      add(CE->getArg(0), ReadsError, CE);
  }

  void declaration(const DeclStmt *DS) {
    // Effects of a constructor on the object it builds: `Guard g(mu);`.
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->getInit())
        continue;
      const auto *CE = dyn_cast<CXXConstructExpr>(skipImplicit(VD->getInit()));
      if (!CE || !CE->getConstructor())
        continue;
      const FunctionSummary *S = summaryOf(CE->getConstructor());
      if (!S)
        continue;
      ObjectPath Self;
      Self.Kind = VD->hasLocalStorage() ? RootKind::Local : RootKind::Global;
      Self.Root = VD;
      forSlots(S, CE,
               [&](const SlotEffect &E, uint32_t Effects,
                   const FunctionSummary *Of) {
                 if (E.Slot.Kind == RootKind::This)
                   if (std::optional<ObjectPath> P =
                           mapToCaller(E.Slot, CE, &Self, Of))
                     add(*P, Effects, DS, E.MinArrivals, E.MaxArrivals, true);
               });
    }
  }

public:
  /// Calls \p F with each slot of \p S and its effects at call \p Site;
  /// the lock effects are those of the callee given the constants the call
  /// passes, when it passes any that decide a branch of it
  /// (SummaryCache::locksWith()), read off that summary's slots.
  void forSlots(const FunctionSummary *S, const Expr *Site,
                llvm::function_ref<void(const SlotEffect &, uint32_t,
                                        const FunctionSummary *)>
                    F) {
    const FunctionSummary *Locks = nullptr;
    // A callee that does nothing to locks on any path does nothing with
    // its constants either.
    if (wants(LockFamily) && llvm::any_of(S->Slots, [](const SlotEffect &E) {
          return E.Effects & LockEffects;
        })) {
      ConstantBinding B =
          Flow.summaries().constantArguments(S->Fn, Site, Bound);
      if (!B.empty())
        Locks = Flow.summaries().locksWith(B);
    }
    for (const SlotEffect &E : S->Slots)
      if (uint32_t Effects = Locks ? E.Effects & ~LockEffects : E.Effects)
        F(E, Effects, S);
    if (Locks)
      for (const SlotEffect &E : Locks->Slots)
        if (uint32_t Effects = E.Effects & LockEffects)
          F(E, Effects, Locks);
  }

  const FunctionSummary *summaryOf(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    if (!FD || !FD->hasBody(Def) || !Def)
      return nullptr;
    const SourceManager &SM = Flow.astContext().getSourceManager();
    if (SM.isInSystemHeader(Def->getLocation()))
      return nullptr;
    return Flow.summaries().get(Def, Families);
  }

  void destructor(const VarDecl *V) {
    const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl();
    const CXXDestructorDecl *Dtor = RD ? RD->getDestructor() : nullptr;
    const FunctionSummary *S = summaryOf(Dtor);
    if (!S)
      return;
    ObjectPath Self;
    Self.Kind = V->hasLocalStorage() ? RootKind::Local : RootKind::Global;
    Self.Root = V;
    // A reference or pointer member bound to what the variable was built
    // from (`Guard g(mu)` whose constructor binds `M &m_`, the aggregate
    // `CountDown g{done}` with a `std::latch &l`): the destructor acts on
    // that object.
    const Expr *Init = V->getInit() ? skipImplicit(V->getInit()) : nullptr;
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
    const FunctionSummary *CtorSummary =
        CE ? summaryOf(CE->getConstructor()) : nullptr;
    const auto *Aggregate = dyn_cast_or_null<InitListExpr>(Init);
    for (const SlotEffect &E : S->Slots) {
      std::optional<ObjectPath> P;
      if (Aggregate && E.Slot.Kind == RootKind::This && !E.Slot.Fields.empty())
        P = boundMember(Aggregate, E.Slot);
      if (!P)
        P = mapToCaller(E.Slot, CE, &Self, CtorSummary);
      if (P)
        add(*P, E.Effects, nullptr, E.MinArrivals, E.MaxArrivals, true);
    }
  }

  /// The object the aggregate initialiser \p IL binds the reference or
  /// pointer member at the front of \p Slot to, with the rest of the path.
  static std::optional<ObjectPath> boundMember(const InitListExpr *IL,
                                               const ObjectPath &Slot) {
    const FieldDecl *F = Slot.Fields.front();
    QualType T = F->getType();
    unsigned I = F->getFieldIndex();
    if ((!T->isReferenceType() && !T->isPointerType()) ||
        I >= IL->getNumInits())
      return std::nullopt;
    std::optional<ObjectPath> P = objectPathOf(IL->getInit(I));
    if (!P)
      return std::nullopt;
    for (const FieldDecl *Rest : llvm::drop_begin(Slot.Fields))
      P->Fields.push_back(Rest);
    return P;
  }

private:
  void call(const CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee) {
      indirectCall(Call); // a function or member function pointer
      return;
    }
    // std::for_each(c.begin(), c.end(), std::mem_fn(&std::thread::join)).
    if (wants(ThreadFamily) && Callee->getIdentifier() &&
        Callee->getName().starts_with("for_each") && Call->getNumArgs() >= 2 &&
        mentionsJoinOrDetach(Call->getArg(Call->getNumArgs() - 1),
                             Flow.threads())) {
      for (unsigned I = 0; I + 1 < Call->getNumArgs(); ++I) {
        const Expr *Range = skipImplicit(Call->getArg(I));
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Range))
          Range = MC->getImplicitObjectArgument();
        else if (const auto *C = dyn_cast<CallExpr>(Range);
                 C && C->getNumArgs() == 1)
          Range = C->getArg(0);
        if (std::optional<ObjectPath> P = objectPathOf(Range))
          if (Flow.threads().isContainerOfThreads(Range->getType()))
            add(*P, JoinsThread | Waits, Call, 1, 1, false);
      }
      return;
    }
    if (wants(LockFamily) && isMultiLockCall(Call)) {
      // The guards among the arguments (std::defer_lock) are locked as by
      // their own lock(): the lock analysis follows guards itself.
      llvm::SmallVector<const Expr *, 2> Guards =
          Flow.locks().multiLockGuards(Call);
      for (const Expr *Arg : Call->arguments())
        if (!llvm::is_contained(Guards, Arg))
          add(Arg, AcquiresLock, Call);
      return;
    }
    // pthread_mutex_lock(&m), SDL_LockMutex(m): the mutex the argument
    // points to.
    if (wants(LockFamily))
      if (uint32_t E = lockEffect(classifyLockFunctionCall(Call))) {
        add(Call->getArg(0), E, Call);
        return;
      }
    if (wants(ErrorFamily))
      errorArguments(Call);
    if (const FunctionSummary *S = summaryOf(Callee)) {
      CallSite Site = callSiteOf(Call);
      size_t First = Out.size();
      forSlots(S, Call,
               [&](const SlotEffect &E, uint32_t Effects,
                   const FunctionSummary *Of) {
                 if (std::optional<ObjectPath> P =
                         mapToCaller(E.Slot, Call, Site.Object, Of)) {
                   if (Effects &
                       (AcquiresLock | AcquiresShared | ReleasesLock |
                        TryAcquiresLock | TryAcquiresShared | MayAcquireLock))
                     wrappedMutex(*P);
                   add(*P, Effects, Call, E.MinArrivals, E.MaxArrivals, true);
                 }
               });
      // A summary that could not follow the callee's own calls to the end
      // (MaxSummaryDepth, recursion) may miss what it does to an error
      // out-parameter: then the declaration's word is taken, as for a
      // library function.
      if (wants(ErrorFamily) && (!S->Complete || !(S->Computed & ErrorFamily)))
        for (const ErrorRecognizer::OutArgument &A :
             Flow.errors().errorOutArguments(Call)) {
          std::optional<ObjectPath> P = objectPathOf(A.Arg);
          if (P &&
              llvm::none_of(
                  llvm::drop_begin(Out, First), [&](const EffectEvent &Ev) {
                    return Ev.Path == *P &&
                           (Ev.Effect &
                            (ReadsError | OverwritesError | MayOverwriteError));
                  }))
            add(*P, OverwritesError, Call, 1, 1, true);
        }
      return;
    }
    if (indirectCall(Call))
      return;
    // A library call that stores into an error out-parameter.
    if (wants(ErrorFamily))
      for (const ErrorRecognizer::OutArgument &A :
           Flow.errors().errorOutArguments(Call))
        add(A.Arg, OverwritesError, Call);
  }

  /// A call through a callable (std::function, std::packaged_task, a
  /// variable holding a lambda, a member function pointer, std::invoke):
  /// what its target's summary does. False if the target is not known.
  bool indirectCall(const CallExpr *Call) {
    CallableTarget T = Flow.callables().indirectCallee(Call);
    const FunctionSummary *S = T ? summaryOf(T.Fn) : nullptr;
    if (!S)
      return false;
    std::optional<ObjectPath> Obj =
        T.BoundObject ? objectPathOf(T.BoundObject) : std::nullopt;
    for (const SlotEffect &E : S->Slots) {
      // Parameters map to arguments only when they line up.
      if (E.Slot.Kind == RootKind::Param && !T.ArgumentsAligned &&
          E.Slot.Root->getDeclContext() == S->Fn)
        continue;
      if (std::optional<ObjectPath> P =
              mapToCaller(E.Slot, Call, Obj ? &*Obj : nullptr, S))
        add(*P, E.Effects, Call, E.MinArrivals, E.MaxArrivals, true);
    }
    return true;
  }

  /// An error code passed to anything but an error out-parameter (by
  /// value, by const reference, to a forwarding reference, as a variadic
  /// argument) is read: the callee can see it.
  void errorArguments(const CallExpr *Call) {
    llvm::SmallVector<ErrorRecognizer::OutArgument, 1> Out =
        Flow.errors().errorOutArguments(Call);
    for (unsigned I = firstCallArgument(Call), N = Call->getNumArgs(); I != N;
         ++I) {
      const Expr *Arg = Call->getArg(I);
      if (isa<CXXDefaultArgExpr>(Arg) ||
          !Flow.errors().isErrorCode(Arg->getType()) ||
          llvm::any_of(Out, [&](const ErrorRecognizer::OutArgument &A) {
            return A.Arg == Arg;
          }))
        continue;
      add(Arg, ReadsError, Call);
    }
  }

  FlowContext &Flow;
  uint8_t Families;
  llvm::SmallVectorImpl<EffectEvent> &Out;
  const ConstantBinding *Bound;
};

} // namespace

std::optional<ObjectPath>
containerOfElementLoopExit(FlowContext &Flow, const FlowGraph &G,
                           const CFGBlock &B, unsigned Succ, uint8_t Families,
                           uint32_t Effects) {
  // A join or detach releases the elements of a container of threads.
  bool Releases = Effects & (JoinsThread | DetachesThread);
  auto OfThreads = [&](const Expr *C) {
    return Flow.threads().isContainerOfThreads(
        C->IgnoreParenImpCasts()->getType());
  };
  std::optional<ElementLoop> L =
      Succ == 1
          ? elementLoopOf(
                B.getTerminatorStmt(),
                Releases ? llvm::function_ref<bool(const Expr *)>(OfThreads)
                         : nullptr)
          : std::nullopt;
  if (!L || !L->FromBegin)
    return std::nullopt;
  if (Releases && !Flow.threads().isContainerOfThreads(
                      L->Container->IgnoreParenImpCasts()->getType()))
    return std::nullopt;
  if (!filledUpToBound(*L, G.body(), [](const CXXMemberCallExpr *MC) {
        const CXXMethodDecl *M = MC->getMethodDecl();
        return M && M->getIdentifier() &&
               isContainerFillName(M->getName(), MC->getNumArgs());
      }))
    return std::nullopt;
  std::optional<ObjectPath> Container = objectPathOf(L->Container);
  if (!Container)
    return std::nullopt;
  llvm::SmallVector<EffectEvent, 4> Events;
  bool Found =
      !walkOutsideLambdas(L->Body, LambdaBodies::Skip, [&](const Stmt *S) {
        // A call on the element, or one the element is handed to.
        const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        if (MC && isVisitedElement(*L, MC->getImplicitObjectArgument())) {
          if (Releases && isJoinOrDetach(MC, Flow.threads()))
            return false;
        } else if (const auto *Call = dyn_cast<CallExpr>(S);
                   !Call ||
                   llvm::none_of(Call->arguments(), [&](const Expr *A) {
                     return isVisitedElement(*L, A);
                   })) {
          return true;
        }
        Events.clear();
        effectsOf(Flow, S, Families, Events);
        return llvm::none_of(
            Events, [&](const EffectEvent &Ev) { return Ev.Effect & Effects; });
      });
  if (!Found)
    return std::nullopt;
  return Container;
}

std::optional<ObjectPath> containerReleasedOnEdge(FlowContext &Flow,
                                                  const FlowGraph &G,
                                                  const CFGBlock &B,
                                                  unsigned Succ) {
  return containerOfElementLoopExit(Flow, G, B, Succ, ThreadFamily,
                                    JoinsThread | DetachesThread);
}

void destructorEffects(FlowContext &Flow, const VarDecl *V, uint8_t Families,
                       llvm::SmallVectorImpl<EffectEvent> &Out) {
  if (V)
    Collector(Flow, Families, Out).destructor(V);
}

bool heldCallableEffects(FlowContext &Flow, const Expr *Callable,
                         uint8_t Families,
                         llvm::SmallVectorImpl<EffectEvent> &Out) {
  if (!Callable)
    return false;
  TaskStart Here;
  Here.Callable = Callable;
  Here.Target = Flow.callables().resolve(Callable);
  const FunctionSummary *S =
      Here.Target ? Collector(Flow, Families, Out).summaryOf(Here.Target.Fn)
                  : nullptr;
  if (!S)
    return false;
  for (const SlotEffect &E : S->Slots)
    if (std::optional<ObjectPath> P = mapTaskSlot(Here, E.Slot)) {
      EffectEvent Ev;
      Ev.Path = *P;
      Ev.Effect = E.Effects;
      Ev.MinAmount = E.MinArrivals;
      Ev.MaxAmount = E.MaxArrivals;
      Ev.FromSummary = true;
      Out.push_back(std::move(Ev));
    }
  return true;
}

void effectsOf(FlowContext &Flow, const Stmt *S, uint8_t Families,
               llvm::SmallVectorImpl<EffectEvent> &Out,
               const ConstantBinding *Bound) {
  if (!S)
    return;
  Collector(Flow, Families, Out, Bound).stmt(S);
}

} // namespace pitfall
