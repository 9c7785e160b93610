//===--- DetachedTasks.cpp ------------------------------------------------===//
#include "pitfall/Flow/DetachedTasks.h"
#include "pitfall/Core/ExprUtil.h"

#include "pitfall/Flow/Effects.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace pitfall {
namespace {

bool isMethodNamed(const CXXMemberCallExpr *MC, llvm::StringRef Name) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  return M && M->getIdentifier() && M->getName() == Name;
}

/// The first expression under \p S (in source order) that \p Match accepts.
template <typename Pred> const Expr *firstUnder(const Stmt *S, Pred Match) {
  if (!S)
    return nullptr;
  if (const auto *E = dyn_cast<Expr>(S); E && Match(E))
    return E;
  for (const Stmt *C : S->children())
    if (const Expr *Found = firstUnder(C, Match))
      return Found;
  return nullptr;
}

class Detaches {
public:
  Detaches(FlowContext &Flow, const FunctionDecl *Fn,
           llvm::SmallVectorImpl<DetachedUse> &Out)
      : Flow(Flow), Fn(Fn), Out(Out), InDestructor(isa<CXXDestructorDecl>(Fn)) {
  }

  void run(const Stmt *Body) {
    collect(Body);
    for (const CXXMemberCallExpr *MC : DetachCalls)
      for (const auto &[T, Local] : startsDetachedBy(MC))
        check(MC, T, Local);
  }

private:
  void collect(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (isMethodNamed(MC, "detach") && Obj &&
          Flow.threads().isAnyThread(Obj->getType()))
        DetachCalls.push_back(MC);
      if (const VarDecl *C = namedVariable(Obj))
        Sources[C].push_back(MC); // emplace_back(f), push_back(thread)
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit())
          Sources[V].push_back(V->getInit());
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (std::optional<ObjectPath> P = objectPathOf(OC->getArg(0));
          P && P->Kind != RootKind::This && P->Fields.empty())
        if (const auto *V = dyn_cast<VarDecl>(P->Root))
          Sources[V].push_back(OC->getArg(1));
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(S))
      if (const VarDecl *C = namedVariable(FR->getRangeInit()))
        ElementOf[FR->getLoopVariable()] = C;
    for (const Stmt *C : S->children())
      collect(C);
  }

  /// The thread starts whose threads \p Detach may detach, each with
  /// whether it is in this function.
  llvm::SmallVector<std::pair<TaskStart, bool>, 2>
  startsDetachedBy(const CXXMemberCallExpr *Detach) {
    llvm::SmallVector<std::pair<TaskStart, bool>, 2> Starts;
    auto AddFrom = [&](const Expr *Source, bool Local) {
      // The start is the source itself or a construction inside it.
      const Expr *Site = firstUnder(Source, [&](const Expr *E) {
        return isa<CXXConstructExpr, CallExpr>(E) &&
               !Flow.taskStarts(E).empty();
      });
      if (Site)
        for (const TaskStart &T : Flow.taskStarts(Site))
          if (T.Kind == TaskKind::Thread || T.Kind == TaskKind::JoiningThread)
            Starts.push_back({T, Local});
    };
    const Expr *Obj = skipImplicit(Detach->getImplicitObjectArgument());
    if (isa<CXXConstructExpr>(Obj)) {
      AddFrom(Obj, true);
      return Starts;
    }
    const VarDecl *V = namedVariable(Obj);
    if (!V)
      if (std::optional<ObjectPath> P = objectPathOf(Obj);
          P && P->Element && P->Fields.empty() && P->Kind == RootKind::Local)
        V = dyn_cast<VarDecl>(P->Root);
    if (V) {
      if (auto It = ElementOf.find(V); It != ElementOf.end())
        V = It->second;
      for (const Stmt *Source : Sources.lookup(V))
        AddFrom(cast<Expr>(Source), true);
      return Starts;
    }
    // A thread member detached in the destructor: its starts in the class.
    const FieldDecl *F = thisField(Obj);
    const auto *Dtor = dyn_cast<CXXDestructorDecl>(Fn);
    if (!F || !Dtor)
      return Starts;
    for (const CXXMethodDecl *M : Dtor->getParent()->methods()) {
      const FunctionDecl *Def = nullptr;
      if (!M->hasBody(Def) || !Def->getBody())
        continue;
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *Init : Ctor->inits())
          if (Init->getMember() == F && Init->isWritten())
            AddFrom(Init->getInit(), false);
      const Expr *Assign = firstUnder(Def->getBody(), [&](const Expr *E) {
        const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        return OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
               thisField(OC->getArg(0)) == F;
      });
      if (Assign)
        AddFrom(cast<CXXOperatorCallExpr>(Assign)->getArg(1), false);
    }
    return Starts;
  }

  void check(const CXXMemberCallExpr *Detach, const TaskStart &T, bool Local) {
    // The function waits for what the thread signals: its uses are ordered
    // before the wait returns, except a lambda's uses after its arrival.
    bool Waited = waitsForSignalOf(T);
    if (Waited && !T.Target.Lambda)
      return;
    SourceLocation At = Detach->getExprLoc();
    auto Report = [&](const ValueDecl *V, SourceLocation Use) {
      if (Use.isValid() && Reported.insert({At.getRawEncoding(), V}).second)
        Out.push_back({At, V, Use});
    };
    if (const LambdaExpr *L = T.Target.Lambda) {
      const Stmt *Body = L->getBody();
      for (const LambdaCapture &C : L->captures()) {
        if (C.capturesThis() && InDestructor && !Waited) {
          const Expr *Use = firstUnder(
              Body, [](const Expr *E) { return isa<CXXThisExpr>(E); });
          Report(nullptr, Use ? Use->getExprLoc() : C.getLocation());
          continue;
        }
        const auto *V = C.capturesVariable()
                            ? dyn_cast<VarDecl>(C.getCapturedVar())
                            : nullptr;
        if (!Local || !V || C.getCaptureKind() != LCK_ByRef ||
            !V->hasLocalStorage())
          continue;
        if (Waited) {
          if (const Expr *Use = useAfterArrival(T, V))
            Report(V, Use->getExprLoc());
          continue;
        }
        const Expr *Use = firstUnder(Body, [&](const Expr *E) {
          const auto *Ref = dyn_cast<DeclRefExpr>(E);
          return Ref && Ref->getDecl() == V;
        });
        Report(V, Use ? Use->getExprLoc() : C.getLocation());
      }
    }
    if (Waited)
      return;
    if (T.Target.BoundObject && InDestructor &&
        isa<CXXThisExpr>(skipImplicit(T.Target.BoundObject)))
      Report(nullptr, T.Target.BoundObject->getExprLoc());
    // Arguments shared by reference: std::ref(x), std::cref(x), &x.
    const auto *CE = dyn_cast<CXXConstructExpr>(T.Site);
    if (!Local || !CE)
      return;
    for (const Expr *Arg : CE->arguments()) {
      const Expr *A = skipImplicit(Arg);
      const Expr *Shared = referencedOperand(A);
      const VarDecl *V = Shared ? namedVariable(Shared) : nullptr;
      if (V && V->hasLocalStorage())
        Report(V, A->getBeginLoc());
    }
  }

  /// True if the function waits on something while the thread signals
  /// an object the function shares with it (a promise, a latch, ...).
  bool waitsForSignalOf(const TaskStart &T) {
    if (!T.Target.Fn || !functionWaits())
      return false;
    const FunctionSummary *S = Flow.summaries().get(T.Target.Fn, SyncFamily);
    return S && llvm::any_of(S->Slots, [&](const SlotEffect &Slot) {
             return (Slot.Effects & (Signals | Arrives)) &&
                    mapTaskSlot(T, Slot.Slot).has_value();
           });
  }

  /// A use of \p V by the thread's callable that may come after it
  /// arrived at (counted down, marked done) an object it shares with the
  /// function: the function's wait may have returned and \p V died. Null if
  /// every use comes before.
  const Expr *useAfterArrival(const TaskStart &T, const VarDecl *V) {
    const FlowGraph *G = T.Target.Fn ? Flow.graph(T.Target.Fn) : nullptr;
    if (!G)
      return nullptr;
    llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 8> Work;
    llvm::SmallVector<EffectEvent, 4> Events;
    for (const CFGBlock *B : G->cfg())
      for (unsigned I = 0, N = B->size(); I != N; ++I)
        if (auto CS = (*B)[I].getAs<CFGStmt>()) {
          Events.clear();
          effectsOf(Flow, CS->getStmt(), SyncFamily, Events);
          if (llvm::any_of(Events, [&](const EffectEvent &Ev) {
                return (Ev.Effect & Arrives) && mapTaskSlot(T, Ev.Path);
              }))
            Work.push_back({B, I + 1});
        }
    llvm::DenseSet<const CFGBlock *> Entered;
    while (!Work.empty()) {
      auto [B, From] = Work.pop_back_val();
      for (unsigned I = From, N = B->size(); I != N; ++I)
        if (auto CS = (*B)[I].getAs<CFGStmt>())
          if (const Expr *Use = firstUnder(CS->getStmt(), [&](const Expr *E) {
                const auto *Ref = dyn_cast<DeclRefExpr>(E);
                return Ref && Ref->getDecl() == V;
              }))
            return Use;
      for (const CFGBlock *Succ : B->succs())
        if (Succ && Entered.insert(Succ).second)
          Work.push_back({Succ, 0});
    }
    return nullptr;
  }

  bool functionWaits() {
    if (FnWaits)
      return *FnWaits;
    FnWaits = false;
    const FlowGraph *G = Flow.graph(Fn);
    if (!G)
      return false;
    llvm::SmallVector<EffectEvent, 4> Events;
    for (const CFGBlock *B : G->cfg())
      for (const CFGElement &E : *B)
        if (auto CS = E.getAs<CFGStmt>()) {
          Events.clear();
          effectsOf(Flow, CS->getStmt(), SyncFamily, Events);
          if (llvm::any_of(Events, [](const EffectEvent &Ev) {
                return Ev.Effect & Waits;
              }))
            return *(FnWaits = true);
        }
    return false;
  }

  FlowContext &Flow;
  const FunctionDecl *Fn;
  llvm::SmallVectorImpl<DetachedUse> &Out;
  bool InDestructor;
  std::optional<bool> FnWaits;
  llvm::SmallVector<const CXXMemberCallExpr *, 4> DetachCalls;
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const Stmt *, 2>> Sources;
  llvm::DenseMap<const VarDecl *, const VarDecl *> ElementOf;
  llvm::DenseSet<std::pair<unsigned, const ValueDecl *>> Reported;
};

} // namespace

void findDetachedUses(FlowContext &Flow, const FunctionDecl *Fn,
                      llvm::SmallVectorImpl<DetachedUse> &Out) {
  const FunctionDecl *Def = nullptr;
  if (!Fn->hasBody(Def) || Def != Fn || !Fn->getBody())
    return;
  Detaches(Flow, Fn, Out).run(Fn->getBody());
}

} // namespace pitfall
