//===--- ClosedChannels.cpp -----------------------------------------------===//
#include "pitfall/Flow/ClosedChannels.h"

#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/PathFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <memory>

using namespace clang;

namespace pitfall {

std::string channelName(const ObjectPath &P) {
  if (P.Kind != RootKind::This)
    return P.str();
  std::string S;
  for (const FieldDecl *F : P.Fields) {
    if (!S.empty())
      S += '.';
    S += F->getNameAsString();
  }
  return S.empty() ? "this" : S;
}

namespace {

/// A channel that may be closed, and one close that reaches here.
struct Closed {
  ObjectPath Path;
  const Expr *Site = nullptr;
  CloseVia Via = CloseVia::Direct;
  /// findUsesInLaterIterations(): the loop head was passed since the close.
  bool Later = false;
  bool operator==(const Closed &O) const {
    return Path == O.Path && Site == O.Site && Later == O.Later;
  }
};

struct ChanState {
  llvm::SmallVector<Closed, 2> Closes;
  /// The channels closed on every path reaching here, by this function's
  /// own close() (a must-fact: joins intersect).
  llvm::SmallVector<ObjectPath, 1> Certain;
  /// Tasks started whose close is not counted yet (they may still run).
  llvm::BitVector Pending;
  bool operator==(const ChanState &O) const {
    return Pending == O.Pending && Closes.size() == O.Closes.size() &&
           Certain.size() == O.Certain.size() &&
           llvm::all_of(Closes,
                        [&](const Closed &C) {
                          return llvm::is_contained(O.Closes, C);
                        }) &&
           llvm::all_of(Certain, [&](const ObjectPath &P) {
             return llvm::is_contained(O.Certain, P);
           });
  }
};

/// A path the analysis follows: named, not an element of a container, not
/// `this` itself (a channel's own members).
bool followed(const ObjectPath &P) {
  return !P.Element && (P.Kind != RootKind::This || !P.Fields.empty());
}

class ClosedFlow : public ForwardAnalysis<ClosedFlow, ChanState> {
public:
  explicit ClosedFlow(FlowContext &Flow, const CallExpr *Seed = nullptr,
                      const Stmt *Loop = nullptr)
      : Flow(Flow), Channels(Flow.channels()), Seed(Seed), Loop(Loop) {}

  /// Decides whether the function whose body is \p Body is worth the
  /// dataflow (before its graph is built).
  bool prepare(const clang::Stmt *Body);
  /// Finds the tasks the function starts whose body closes a channel.
  void findTasks(const FlowGraph &G);

  ChanState initialState() {
    ChanState S;
    S.Pending.resize(TaskCloses.size());
    return S;
  }
  void join(ChanState &Into, const ChanState &From) {
    for (const Closed &C : From.Closes)
      if (!llvm::is_contained(Into.Closes, C))
        Into.Closes.push_back(C);
    llvm::erase_if(Into.Certain, [&](const ObjectPath &P) {
      return !llvm::is_contained(From.Certain, P);
    });
    Into.Pending |= From.Pending;
  }
  ThrowKind throwKind(const CFGElement &E) {
    // Only what programs throw and catch: not allocation failures.
    ThrowKind K = ForwardAnalysis::throwKind(E);
    return K == ThrowKind::User ? K : ThrowKind::None;
  }
  void transfer(const CFGElement &E, ChanState &S);
  void refineEdge(const CFGBlock &B, unsigned Succ, ChanState &S);

  llvm::SmallVector<ClosedChannelUse, 4> Uses;
  /// Uses reached on some path (in some partition) where their channel was
  /// not certainly closed.
  llvm::DenseSet<const Stmt *> NotCertain;

private:
  bool involvesChannel(QualType T) const;
  bool relevant(const Expr *E) const;
  bool takesCallable(const Expr *E) const;
  void use(const Stmt *At, const ObjectPath &P, ChannelOp Op,
           const ChanState &S);
  void close(const Expr *At, const ObjectPath &P, CloseVia Via, ChanState &S);
  static void reopen(ChanState &S, const ObjectPath &P) {
    llvm::erase_if(S.Closes,
                   [&](const Closed &C) { return C.Path.startsWith(P); });
    llvm::erase_if(S.Certain,
                   [&](const ObjectPath &C) { return C.startsWith(P); });
  }

  FlowContext &Flow;
  const ChannelRecognizer &Channels;
  const CallExpr *Seed;
  const Stmt *Loop;
  bool MayStartTasks = false;
  std::unique_ptr<TaskTracker> Tasks;
  /// Per task of the tracker: the channels its body closes.
  llvm::SmallVector<llvm::SmallVector<ObjectPath, 1>, 2> TaskCloses;
  llvm::DenseSet<const Stmt *> Reported;
  llvm::SmallVector<EffectEvent, 4> Events;
};

/// A channel, a pointer or smart pointer to one, or a class holding one: a
/// call given such an object may close or send on a channel.
bool ClosedFlow::involvesChannel(QualType T) const {
  const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
  if (!RD)
    return false;
  if (Channels.isChannelClass(RD))
    return true;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type &&
          Channels.isChannelType(A.getAsType(), true))
        return true; // std::unique_ptr<Chan>, std::shared_ptr<Chan>
  if (!RD->hasDefinition())
    return false;
  return llvm::any_of(RD->getDefinition()->fields(), [&](const FieldDecl *F) {
    return Channels.isChannelType(F->getType(), true);
  });
}

/// A call or construction that may close or send on a channel: a channel
/// operation, a call given a channel (or an object holding one), a call of
/// a lambda or through a callable.
bool ClosedFlow::relevant(const Expr *E) const {
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const Expr *Channel = nullptr;
    if (Channels.classifyCall(Call, Channel) != ChannelOp::None)
      return true;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Obj = MC->getImplicitObjectArgument();
          Obj && involvesChannel(Obj->getType()))
        return true;
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
    if ((M && M->getParent()->isLambda()) ||
        Flow.callables().indirectCallee(Call))
      return true;
    return llvm::any_of(Call->arguments(), [&](const Expr *A) {
      return involvesChannel(A->getType());
    });
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return llvm::any_of(CE->arguments(), [&](const Expr *A) {
      return involvesChannel(A->getType());
    });
  return false;
}

/// A thread start, std::async, an executor call, or a call given something
/// callable (a user function that may run it on another thread).
bool ClosedFlow::takesCallable(const Expr *E) const {
  if (!Flow.escapes().escapes(E).empty())
    return true;
  const auto *Call = dyn_cast<CallExpr>(E);
  return Call && llvm::any_of(Call->arguments(), [](const Expr *A) {
           return callOperatorOf(recordOf(A->getType(), true)) != nullptr;
         });
}

bool ClosedFlow::prepare(const Stmt *Body) {
  bool Any = false;
  walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<CallExpr, CXXConstructExpr>(E)) {
      Any = Any || relevant(E);
      MayStartTasks = MayStartTasks || takesCallable(E);
    }
    return !(Any && MayStartTasks);
  });
  return Any;
}

void ClosedFlow::findTasks(const FlowGraph &G) {
  if (Seed || !MayStartTasks)
    return;
  // Tasks whose body closes a channel of this function.
  auto Tracker = std::make_unique<TaskTracker>(Flow, G);
  bool Closes = false;
  for (const TaskStart &T : Tracker->tasks()) {
    TaskCloses.emplace_back();
    const FunctionSummary *S =
        T.Target ? Flow.summaries().get(T.Target.Fn, SyncFamily) : nullptr;
    if (!S)
      continue;
    for (const SlotEffect &E : S->Slots)
      if (E.Effects & ClosesChannel)
        if (std::optional<ObjectPath> P =
                mapToCaller(E.Slot, nullptr, T.Target.BoundObject, S);
            P && followed(*P)) {
          TaskCloses.back().push_back(*P);
          Closes = true;
        }
  }
  if (Closes)
    Tasks = std::move(Tracker);
  else
    TaskCloses.clear();
}

void ClosedFlow::use(const Stmt *At, const ObjectPath &P, ChannelOp Op,
                     const ChanState &S) {
  if (!reporting())
    return;
  // In a later iteration (Seed) the use depends on the loop going on.
  if (Seed || !llvm::is_contained(S.Certain, P))
    NotCertain.insert(At);
  if (Reported.contains(At))
    return;
  const Closed *Found = nullptr;
  const SourceManager &SM = Flow.astContext().getSourceManager();
  for (const Closed &C : S.Closes) {
    // A close does not reach itself around a loop: its own guard may not
    // hold again (pitfall.ChannelClose follows that path-sensitively).
    if (C.Path != P || C.Site == At || (Seed && !C.Later))
      continue;
    if (!Found || SM.isBeforeInTranslationUnit(C.Site->getBeginLoc(),
                                               Found->Site->getBeginLoc()))
      Found = &C;
  }
  if (!Found)
    return;
  Reported.insert(At);
  Uses.push_back({cast<Expr>(At), Op, Found->Site, Found->Via, P, false});
}

void ClosedFlow::close(const Expr *At, const ObjectPath &P, CloseVia Via,
                       ChanState &S) {
  if (Seed && At != Seed)
    return; // only the close asked about
  llvm::erase_if(S.Closes, [&](const Closed &C) { return C.Path == P; });
  S.Closes.push_back({P, At, Via, false});
  // A helper's summary or a task may close it on some of their paths only.
  if (Via == CloseVia::Direct && !llvm::is_contained(S.Certain, P))
    S.Certain.push_back(P);
}

void ClosedFlow::transfer(const CFGElement &E, ChanState &S) {
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    ObjectPath P;
    P.Root = D->getVarDecl();
    reopen(S, P);
    return;
  }
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  // Closes by tasks that have finished by now.
  if (Tasks)
    for (unsigned I = 0, N = TaskCloses.size(); I != N; ++I) {
      if (S.Pending.test(I) && !Tasks->mayBeRunningAt(I, St)) {
        S.Pending.reset(I);
        for (const ObjectPath &P : TaskCloses[I])
          close(Tasks->tasks()[I].Site, P, CloseVia::Task, S);
      }
      if (Tasks->tasks()[I].Site == St && !TaskCloses[I].empty())
        S.Pending.set(I);
    }
  // A new channel under the name: a declaration, an assignment, reset().
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D)) {
        ObjectPath P;
        P.Kind = V->hasLocalStorage() ? RootKind::Local : RootKind::Global;
        P.Root = V;
        reopen(S, P);
      }
    return;
  }
  const Expr *Assigned = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(St);
      BO && BO->getOpcode() == BO_Assign)
    Assigned = BO->getLHS();
  else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
           OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
    Assigned = OC->getArg(0);
  else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
    const Expr *Channel = nullptr;
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (Channels.classifyCall(MC, Channel) == ChannelOp::Reset)
      Assigned = Channel; // asio's reopen
    else if (M && M->getIdentifier() && M->getName() == "reset" &&
             !Channels.isChannelType(MC->getObjectType(), true))
      Assigned = MC->getImplicitObjectArgument(); // `up.reset(new Chan)`
  }
  if (Assigned) {
    if (std::optional<ObjectPath> P = objectPathOf(Assigned))
      reopen(S, *P);
    return;
  }
  const auto *Ex = dyn_cast<Expr>(St);
  if (!Ex || !isa<CallExpr, CXXConstructExpr>(Ex) || !relevant(Ex))
    return;
  Events.clear();
  effectsOf(Flow, St, SyncFamily, Events);
  for (const EffectEvent &Ev : Events) {
    if (!followed(Ev.Path))
      continue;
    // A helper's (or callable's) send, or close, that a closed-state test
    // does not guard; the function's own ones are tested here.
    if (Ev.Effect & SendsOnChannel)
      use(St, Ev.Path, ChannelOp::Send, S);
    if (Ev.Effect & ClosesChannel) {
      if (!Ev.FromSummary || (Ev.Effect & ClosesUnchecked))
        use(St, Ev.Path, ChannelOp::Close, S);
      close(Ex, Ev.Path, Ev.FromSummary ? CloseVia::Helper : CloseVia::Direct,
            S);
    }
  }
}

void ClosedFlow::refineEdge(const CFGBlock &B, unsigned Succ, ChanState &S) {
  if (Seed && B.getTerminatorStmt() == Loop)
    for (Closed &C : S.Closes)
      C.Later = true;
  // `if (!ch.is_closed())`, `if (ch.is_open())`: open on one branch.
  bool Negated = false;
  const Expr *Cond = stripNegations(branchCondition(B), Negated);
  const auto *Call =
      dyn_cast_or_null<CallExpr>(Cond ? skipImplicit(Cond) : nullptr);
  const Expr *Channel = nullptr;
  ChannelOp Op = Channels.classifyCall(Call, Channel);
  if (Op != ChannelOp::IsClosed && Op != ChannelOp::IsOpen)
    return;
  bool OpenWhenTrue = (Op == ChannelOp::IsOpen) != Negated;
  // Open, and so is what it is built on (a handle's shared channel, which
  // its methods' summaries close and send on).
  if ((Succ == 0) == OpenWhenTrue)
    if (std::optional<ObjectPath> P = objectPathOf(Channel))
      reopen(S, *P);
}

/// Runs the analysis over \p Fn's graph; false if it did not run.
bool run(FlowContext &Flow, const Decl *Fn, ClosedFlow &A) {
  // Most functions do nothing with a channel: no graph for them.
  if (!Fn || !A.prepare(Fn->getBody()))
    return false;
  const FlowGraph *G = Flow.graph(Fn);
  if (!G)
    return false;
  A.findTasks(*G);
  // Destructors and noexcept functions terminate on a throw.
  const auto *FD = dyn_cast<FunctionDecl>(Fn);
  const auto *Proto = FD ? FD->getType()->getAs<FunctionProtoType>() : nullptr;
  if (!isa<CXXDestructorDecl>(Fn) && !(Proto && Proto->isNothrow()))
    A.modelExceptions(Flow.throws());
  StableConditions Conds(*G);
  Correlated<ClosedFlow> C(A, Conds);
  return runForward(*G, C);
}

} // namespace

llvm::SmallVector<ClosedChannelUse, 4>
findClosedChannelUses(FlowContext &Flow, const FunctionDecl *Fn) {
  ClosedFlow A(Flow);
  if (!run(Flow, Fn, A))
    return {};
  for (ClosedChannelUse &U : A.Uses)
    U.OnEveryPath = !A.NotCertain.contains(U.Use);
  const SourceManager &SM = Flow.astContext().getSourceManager();
  llvm::sort(A.Uses, [&](const ClosedChannelUse &L, const ClosedChannelUse &R) {
    return SM.isBeforeInTranslationUnit(L.Use->getBeginLoc(),
                                        R.Use->getBeginLoc());
  });
  return std::move(A.Uses);
}

void findUsesInLaterIterations(
    FlowContext &Flow, const Decl *Fn, const CallExpr *Close, const Stmt *Loop,
    llvm::function_ref<void(const ClosedChannelUse &)> Report) {
  if (!Close || !Loop)
    return;
  ClosedFlow A(Flow, Close, Loop);
  if (!run(Flow, Fn, A))
    return;
  for (const ClosedChannelUse &U : A.Uses)
    Report(U);
}

} // namespace pitfall
