//===--- TaskLoops.cpp ----------------------------------------------------===//
#include "pitfall/Flow/TaskLoops.h"

#include "pitfall/Core/Escape.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/FunctionReferences.h"
#include "pitfall/Flow/HappensBefore.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"

#include <optional>

using namespace clang;

namespace pitfall {

namespace {

/// The definition of \p FD when its body is the user's, or null.
const FunctionDecl *userDefinition(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def->getBody())
    return nullptr;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  return SM.isInSystemHeader(Def->getLocation()) ? nullptr : Def;
}

/// The statements of a function's body, its coroutine body when it is one.
const Stmt *bodyOf(const FunctionDecl *FD) {
  const Stmt *Body = FD->getBody();
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

bool containsCoyield(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (isa<CoyieldExpr>(Cur))
      return true;
    for (const Stmt *C : Cur->children())
      if (C && !isa<LambdaExpr>(C))
        Work.push_back(C);
  }
  return false;
}

/// True if the async launch policy argument \p Policy has the async bit.
bool isAsyncPolicy(const Expr *Policy, const ASTContext &Ctx) {
  if (!Policy || Policy->isValueDependent())
    return false;
  const auto *ET = Policy->getType()->getAs<EnumType>();
  if (!ET || !ET->getDecl()->getIdentifier() ||
      ET->getDecl()->getName() != "launch" ||
      !ET->getDecl()->isInStdNamespace())
    return false;
  Expr::EvalResult R;
  if (!Policy->EvaluateAsRValue(R, Ctx) || !R.Val.isInt())
    return false;
  // std::launch::async is the lowest bit in libstdc++ and libc++.
  return R.Val.getInt().getZExtValue() & 1U;
}

/// The parameter of a std::jthread callable \p FD that receives the
/// thread's stop_token: std::jthread passes it first when the callable is
/// invocable with it and the \p NumExtraArgs other arguments.
const ParmVarDecl *jthreadTokenParam(const FunctionDecl *FD,
                                     unsigned NumExtraArgs) {
  if (FD->getNumParams() != NumExtraArgs + 1)
    return nullptr;
  const ParmVarDecl *First = FD->getParamDecl(0);
  if (stopTokenParam(FD) == First)
    return First;
  // A generic lambda, `[](auto token) { ... }`, as written.
  QualType T = First->getType().getNonReferenceType();
  return T->getAs<TemplateTypeParmType>() ? First : nullptr;
}

/// The arguments the start \p TS passes after the callable.
unsigned argumentsAfterCallable(const TaskStart &TS) {
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(TS.Site))
    Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  else if (const auto *Call = dyn_cast<CallExpr>(TS.Site))
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  else if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(TS.Site))
    Args = llvm::ArrayRef(UC->arg_begin(), UC->getNumArgs());
  unsigned N = 0;
  bool After = false;
  for (const Expr *A : Args) {
    if (After && !isa<CXXDefaultArgExpr>(A))
      ++N;
    After |= A == TS.Callable;
  }
  return N;
}

} // namespace

//===----------------------------------------------------------------------===//
// Tasks
//===----------------------------------------------------------------------===//

bool TaskLoops::threadEscapes(const TaskStart &TS,
                              const FunctionDecl *Starter) {
  const FlowGraph *G = Flow.graph(Starter);
  if (!G)
    return false;
  // `std::thread(f).detach()`, `new std::thread(f)`.
  const Stmt *Child = TS.Site;
  for (const Stmt *P = G->parent(Child); P; Child = P, P = G->parent(P)) {
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(G->parent(ME));
      return Call && classifyThreadMemberCall(Call) == ThreadOp::Detach;
    }
    if (isa<CXXNewExpr>(P))
      return true;
    if (!isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ExprWithCleanups, ParenExpr, CXXFunctionalCastExpr>(P))
      break;
  }
  // A data member initialised by a constructor: `Service() : worker_(f)`.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Starter))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isMemberInitializer())
        for (const Stmt *S = TS.Site; S; S = G->parent(S))
          if (S == Init->getInit())
            return true;
  // Where its handle lives: a member, a global or static, or a local that is
  // detached (also by a helper) or moved into a member or a global.
  TaskTracker Tasks(Flow, *G);
  int I = Tasks.taskAt(TS.Site);
  if (I < 0 || !Tasks.handleOf(I))
    return false;
  const ObjectPath &H = *Tasks.handleOf(I);
  auto LongLived = [](const ObjectPath &P) {
    return (P.Kind == RootKind::This && !P.Fields.empty()) ||
           (P.Kind == RootKind::Global && P.Root);
  };
  if (LongLived(H))
    return true;
  for (const auto &Move : Tasks.handleMovesOf(I))
    if (LongLived(Move.first))
      return true;
  llvm::SmallVector<EffectEvent, 2> Events;
  return !walkOutsideLambdas(G->body(), LambdaBodies::Skip, [&](const Stmt *S) {
    Events.clear();
    effectsOf(Flow, S, ThreadFamily, Events);
    return llvm::none_of(Events, [&](const EffectEvent &Ev) {
      return (Ev.Effect & DetachesThread) && Ev.Path == H;
    });
  });
}

void TaskLoops::addTask(const TaskStart &TS, const FunctionDecl *Starter,
                        llvm::SmallVectorImpl<LoopTask> &Out, bool LongLived) {
  SawThreadStart |= TS.Kind != TaskKind::Executor;
  const FunctionDecl *Fn = userDefinition(TS.Target.Fn);
  // A coroutine is a task of its own (tasksIn() of its definition), whoever
  // spawns it.
  if (!Fn || isa<CoroutineBodyStmt>(Fn->getBody()))
    return;
  LoopTask T;
  T.Site = TS.Site;
  T.Fn = Fn;
  switch (TS.Kind) {
  case TaskKind::JoiningThread:
    T.Style = TaskStyle::JThread;
    // A member function pointer gets the object, not the token.
    if (!TS.Target.BoundObject)
      T.Token = jthreadTokenParam(Fn, argumentsAfterCallable(TS));
    break;
  case TaskKind::Thread:
    if (!LongLived && !(Starter && threadEscapes(TS, Starter)))
      return;
    T.Style = TaskStyle::Thread;
    break;
  case TaskKind::Async: {
    const auto *Call = dyn_cast<CallExpr>(TS.Site);
    if (!Call || Call->getNumArgs() < 2 ||
        !isAsyncPolicy(Call->getArg(0), Flow.astContext()))
      return;
    T.Style = TaskStyle::Async;
    break;
  }
  case TaskKind::Executor:
  case TaskKind::Spawner:
    T.Style = TaskStyle::Handed;
    T.HandedTo = callSiteOf(TS.Site).Callee;
    break;
  }
  Out.push_back(T);
}

llvm::SmallVector<LoopTask, 2> TaskLoops::tasksIn(const FunctionDecl *Fn) {
  llvm::SmallVector<LoopTask, 2> Out;
  if (isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody()))
    Out.push_back({TaskStyle::Coroutine, nullptr, Fn, stopTokenParam(Fn)});
  llvm::SmallVector<TaskStart, 2> Starts;
  walkOutsideLambdas(Fn, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (isa<CallExpr, CXXConstructExpr, CXXUnresolvedConstructExpr>(S))
      llvm::append_range(Starts, Flow.taskStarts(cast<Expr>(S)));
    return true;
  });
  const SourceManager &SM = Flow.astContext().getSourceManager();
  llvm::sort(Starts, [&](const TaskStart &A, const TaskStart &B) {
    return SM.isBeforeInTranslationUnit(A.Site->getBeginLoc(),
                                        B.Site->getBeginLoc());
  });
  for (const TaskStart &TS : Starts)
    addTask(TS, Fn, Out, /*LongLived=*/false);
  return Out;
}

llvm::SmallVector<LoopTask, 1> TaskLoops::tasksInInitializer(const Expr *Init) {
  llvm::SmallVector<LoopTask, 1> Out;
  walkOutsideLambdas(Init, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (isa<CallExpr, CXXConstructExpr, CXXUnresolvedConstructExpr>(S))
      for (const TaskStart &TS : Flow.taskStarts(cast<Expr>(S)))
        addTask(TS, nullptr, Out, /*LongLived=*/true);
    return true;
  });
  return Out;
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

void TaskLoops::analyze(const LoopTask &T,
                        llvm::SmallVectorImpl<TaskLoopFinding> &Out) {
  llvm::SmallVector<const FunctionDecl *, 4> Seen;
  visit(T, T.Fn, T.Token, 0, Seen, Out);
}

void TaskLoops::visit(const LoopTask &T, const FunctionDecl *Fn,
                      const ParmVarDecl *Token, unsigned Depth,
                      llvm::SmallVectorImpl<const FunctionDecl *> &Seen,
                      llvm::SmallVectorImpl<TaskLoopFinding> &Out) {
  if (llvm::is_contained(Seen, Fn))
    return;
  Seen.push_back(Fn);
  const Stmt *Body = bodyOf(Fn);
  if (!Body)
    return;
  ASTContext &Ctx = Flow.astContext();
  LoopTask Here = T;
  Here.Fn = Fn;
  Here.Token = Token;
  const bool TokenRead =
      Token && CancellationRecognizer::references(Body, Token);
  const bool HasStopCallback =
      T.Style == TaskStyle::JThread && constructsStopCallback(Body);
  bool ReportedIgnoredToken = false;
  llvm::SmallVector<const CallExpr *, 8> Calls;

  // Pre-order over the loops of the body, outside nested lambdas; a loop
  // reported as endless hides the loops inside it.
  llvm::SmallVector<const Stmt *, 16> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (isLoopStmt(S)) {
      const bool Consults = consults(S, 0);
      // A generator is stopped by destroying it; awaited asio I/O throws
      // out of the loop when the peer goes away.
      const bool EndsOtherwise = T.Style == TaskStyle::Coroutine &&
                                 (containsCoyield(S) || awaitsFallibleIo(S) ||
                                  awaiterChecksCancellation(S));
      if (!Consults && !EndsOtherwise && hasConstantTrueCondition(S, Ctx) &&
          !hasReachableExit(S, Fn)) {
        Out.push_back({TaskLoopFinding::Endless, S, Here});
        continue;
      }
      if (T.Style == TaskStyle::JThread && Token) {
        if (!TokenRead && !ReportedIgnoredToken && !Consults &&
            !isBoundedLoop(S)) {
          ReportedIgnoredToken = true;
          Out.push_back({TaskLoopFinding::IgnoredToken, S, Here});
          continue;
        }
        if (!HasStopCallback && CancellationRecognizer::references(S, Token))
          if (const CallExpr *Wait = findUnwakeableWait(S))
            Out.push_back({TaskLoopFinding::UnwakeableWait, Wait, Here});
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      Calls.push_back(Call);
    for (const Stmt *C : S->children())
      if (C && !isa<LambdaExpr>(C))
        Work.push_back(C);
  }

  // The helpers the task calls run on the task's thread: their loops keep
  // it from ending too. (A coroutine's callees are not part of its frame;
  // the coroutines it awaits are tasks of their own.)
  if (T.Style == TaskStyle::Coroutine || Depth >= MaxSummaryDepth)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Calls, [&](const CallExpr *A, const CallExpr *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  });
  for (const CallExpr *Call : Calls) {
    const FunctionDecl *Callee = userDefinition(Call->getDirectCallee());
    if (!Callee || isa<CoroutineBodyStmt>(Callee->getBody()))
      continue;
    if (const auto *M = dyn_cast<CXXMethodDecl>(Callee); M && M->isVirtual())
      continue;
    // The parameter the task's stop_token is passed to.
    const ParmVarDecl *HelperToken = nullptr;
    if (Token)
      for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
        if (namedVariable(skipMovesAndCopies(Call->getArg(I))) == Token)
          if (const ParmVarDecl *P = paramForArg(Call, I);
              P && isStopTokenType(P->getType()))
            HelperToken = P;
    visit(T, Callee, HelperToken, Depth + 1, Seen, Out);
  }
}

bool TaskLoops::consults(const Stmt *S, unsigned Depth) {
  if (Cancel.consults(S))
    return true;
  // Through the functions the statement calls (lambdas in it included).
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(Cur)) {
      Work.push_back(L->getBody());
      continue;
    }
    llvm::append_range(Work, Cur->children());
    const auto *Call = dyn_cast<CallExpr>(Cur);
    const FunctionDecl *Callee =
        Call ? userDefinition(Call->getDirectCallee()) : nullptr;
    if (Callee && consultsFn(Callee, Depth + 1))
      return true;
  }
  return false;
}

bool TaskLoops::consultsFn(const FunctionDecl *FD, unsigned Depth) {
  if (auto It = Consults.find(FD); It != Consults.end())
    return It->second;
  if (Depth > MaxSummaryDepth)
    return false;
  Consults[FD] = false; // recursion
  bool Result = consults(bodyOf(FD), Depth);
  Consults[FD] = Result;
  return Result;
}

bool TaskLoops::leavesFunction(const FlowGraph &G, const Stmt *Site) {
  for (const CFGBlock *Target = G.throwTarget(Site); Target;) {
    const CXXTryStmt *Try = G.dispatchedTry(*Target);
    if (!Try || FlowGraph::catchesAll(*Try))
      return false;
    Target = G.throwTarget(Try);
  }
  return true;
}

bool TaskLoops::throwsOut(const FunctionDecl *FD, unsigned Depth) {
  if (auto It = ThrowsOut.find(FD); It != ThrowsOut.end())
    return It->second;
  if (Depth > MaxSummaryDepth)
    return false;
  ThrowsOut[FD] = false; // recursion
  const FlowGraph *G = Flow.graph(FD);
  bool Result = false;
  walkOutsideLambdas(
      G ? G->body() : nullptr, LambdaBodies::Skip, [&](const Stmt *S) {
        if (isa<CXXThrowExpr>(S)) {
          Result = leavesFunction(*G, S);
        } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
          const FunctionDecl *Callee = userDefinition(Call->getDirectCallee());
          Result = Callee && throwsOut(Callee, Depth + 1) &&
                   leavesFunction(*G, Call);
        }
        return !Result;
      });
  ThrowsOut[FD] = Result;
  return Result;
}

bool TaskLoops::hasReachableExit(const Stmt *Loop, const FunctionDecl *Owner) {
  const FlowGraph *G = Flow.graph(Owner);
  if (!G)
    return true; // be conservative: nothing is flagged without a graph
  // The block that decides whether to go round again; for `do`, the body it
  // goes back to is the loop's header.
  const CFGBlock *Head = nullptr;
  for (const CFGBlock *B : G->order())
    if (B->getTerminatorStmt() == Loop)
      Head = B;
  if (!Head)
    return true;
  if (isa<DoStmt>(Loop)) {
    // The condition goes back (through an empty block) to the body's first
    // block, the loop's header.
    const CFGBlock *Body =
        Head->succ_empty() ? nullptr : Head->succ_begin()->getReachableBlock();
    while (Body && Body != Head && Body->empty() && Body->succ_size() == 1)
      Body = Body->succ_begin()->getReachableBlock();
    if (!Body)
      return true; // `do ... while (false)` is no loop
    Head = Body;
  }
  // The loop's blocks: the header and every block that reaches a back edge
  // into it (from a block it dominates) without going through it. Dominance
  // is read off the CFG's own edges: what the entry reaches without passing
  // the header is not dominated by it.
  unsigned N = G->cfg().getNumBlockIDs();
  llvm::BitVector Outside(N);
  llvm::SmallVector<const CFGBlock *, 16> Work{&G->cfg().getEntry()};
  Outside.set(G->cfg().getEntry().getBlockID());
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *Next = Succ.getReachableBlock();
          Next && Next != Head && !Outside.test(Next->getBlockID())) {
        Outside.set(Next->getBlockID());
        Work.push_back(Next);
      }
  }
  llvm::BitVector InLoop(N);
  InLoop.set(Head->getBlockID());
  for (const CFGBlock *P : Head->preds())
    if (P && !Outside.test(P->getBlockID()) && !InLoop.test(P->getBlockID())) {
      InLoop.set(P->getBlockID());
      Work.push_back(P);
    }
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock *P : B->preds())
      if (P && !InLoop.test(P->getBlockID())) {
        InLoop.set(P->getBlockID());
        Work.push_back(P);
      }
  }
  // From the header, through reachable edges and the exceptional edges of
  // calls that throw out of their callee: a block outside the loop is an
  // exit.
  llvm::BitVector Seen(N);
  Work.push_back(Head);
  Seen.set(Head->getBlockID());
  auto Reach = [&](const CFGBlock *Next) {
    if (!Next)
      return false;
    if (!InLoop.test(Next->getBlockID()))
      return true;
    if (!Seen.test(Next->getBlockID())) {
      Seen.set(Next->getBlockID());
      Work.push_back(Next);
    }
    return false;
  };
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (isa_and_nonnull<IndirectGotoStmt>(B->getTerminatorStmt()))
      return true;
    for (const CFGElement &E : *B) {
      auto CS = E.getAs<CFGStmt>();
      const auto *Call = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      const FunctionDecl *Callee =
          Call ? userDefinition(Call->getDirectCallee()) : nullptr;
      if (!Callee || !throwsOut(Callee, 1))
        continue;
      const CFGBlock *Target = G->throwTarget(Call);
      if (!Target || Reach(Target))
        return true;
    }
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (Reach(Succ.getReachableBlock()))
        return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Awaiters that check cancellation
//===----------------------------------------------------------------------===//

namespace {

/// True if \p S holds a throw expression under a condition of \p Body.
bool throwsConditionally(const Stmt *S, bool UnderCondition) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<CXXThrowExpr>(S))
    return UnderCondition;
  bool Conditional =
      isa<IfStmt, SwitchStmt, ConditionalOperator>(S) ||
      (isa<BinaryOperator>(S) && cast<BinaryOperator>(S)->isLogicalOp());
  for (const Stmt *C : S->children())
    if (throwsConditionally(C, UnderCondition || Conditional))
      return true;
  return false;
}

} // namespace

bool TaskLoops::resumeChecksCancellation(const FunctionDecl *Resume,
                                         unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (!Resume || Depth > 2 || !Resume->hasBody(Def) || !Def->getBody())
    return false;
  const Stmt *Body = Def->getBody();
  if (Cancel.consults(Body) || throwsConditionally(Body, false))
    return true;
  // The members of the awaiter (or of what it holds) that it asks.
  return !walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    return !MC || !resumeChecksCancellation(MC->getMethodDecl(), Depth + 1);
  });
}

bool TaskLoops::awaiterChecksCancellation(const Stmt *Loop) {
  llvm::SmallVector<const Stmt *, 32> Work{Loop};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Await = dyn_cast<CoawaitExpr>(S)) {
      const Expr *Resume = Await->getResumeExpr();
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(
          Resume ? skipImplicit(Resume) : nullptr);
      if (MC && resumeChecksCancellation(MC->getMethodDecl(), 0))
        return true;
      Work.push_back(Await->getOperand());
      continue;
    }
    llvm::append_range(Work, S->children());
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Callbacks that re-arm themselves
//===----------------------------------------------------------------------===//

namespace {

/// True if every path from \p Cfg's entry to its exit goes through one of
/// the blocks \p Through.
bool onEveryPath(const CFG &Cfg, const llvm::BitVector &Through) {
  llvm::BitVector Seen(Cfg.getNumBlockIDs());
  llvm::SmallVector<const CFGBlock *, 16> Work{&Cfg.getEntry()};
  Seen.set(Cfg.getEntry().getBlockID());
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (B == &Cfg.getExit())
      return false;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *Next = Succ.getReachableBlock();
          Next && !Seen.test(Next->getBlockID()) &&
          !Through.test(Next->getBlockID())) {
        Seen.set(Next->getBlockID());
        Work.push_back(Next);
      }
  }
  return true;
}

} // namespace

const CallExpr *TaskLoops::rearmsOnEveryPath(const FunctionDecl *Handler,
                                             const FunctionDecl *Arm,
                                             unsigned Depth) {
  const FlowGraph *G = Flow.graph(Handler);
  if (!G || Depth > MaxSummaryDepth)
    return nullptr;
  // The blocks that re-arm: a call of Arm, or of a helper that always does.
  const CFG &Cfg = G->cfg();
  llvm::BitVector Rearms(Cfg.getNumBlockIDs());
  const CallExpr *First = nullptr;
  for (const CFGBlock *B : Cfg)
    for (const CFGElement &E : *B) {
      auto CS = E.getAs<CFGStmt>();
      const auto *Call = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (!Callee)
        continue;
      const CallExpr *Site = nullptr;
      if (Callee->getCanonicalDecl() == Arm->getCanonicalDecl())
        Site = Call;
      else if (const FunctionDecl *Def = userDefinition(Callee);
               Def && Def != Handler)
        Site = rearmsOnEveryPath(Def, Arm, Depth + 1);
      if (!Site)
        continue;
      Rearms.set(B->getBlockID());
      if (!First)
        First = Site;
    }
  return First && onEveryPath(Cfg, Rearms) ? First : nullptr;
}

namespace {

/// True if \p P is read in a condition of \p Body (a branch, a loop, `?:`,
/// the left operand of `&&` / `||`).
bool testedIn(const Stmt *Body, const ParmVarDecl *P) {
  return !walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    const Stmt *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(S))
      Cond = If->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(S))
      Cond = W->getCond();
    else if (const auto *Sw = dyn_cast<SwitchStmt>(S))
      Cond = Sw->getCond();
    else if (const auto *CO = dyn_cast<ConditionalOperator>(S))
      Cond = CO->getCond();
    else if (const auto *BO = dyn_cast<BinaryOperator>(S);
             BO && BO->isLogicalOp())
      Cond = BO->getLHS();
    return !Cond || !CancellationRecognizer::references(Cond, P);
  });
}

} // namespace

bool TaskLoops::testsErrorCode(const FunctionDecl *Handler, unsigned Depth) {
  const FunctionDecl *Def = userDefinition(Handler);
  if (!Def || Depth > MaxSummaryDepth)
    return false;
  for (const ParmVarDecl *P : Def->parameters()) {
    if (!Flow.errors().isErrorCode(P->getType().getNonReferenceType()))
      continue;
    if (testedIn(Def->getBody(), P))
      return true;
    // Handed to a helper that tests it: `[this](auto ec) { on_timer(ec); }`.
    bool Handed = !walkOutsideLambdas(
        Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *Call = dyn_cast<CallExpr>(S);
          if (!Call)
            return true;
          for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
            if (namedVariable(Call->getArg(I)) == P)
              if (const ParmVarDecl *To = paramForArg(Call, I))
                if (const auto *Callee =
                        dyn_cast<FunctionDecl>(To->getDeclContext());
                    Callee && testsErrorCode(Callee, Depth + 1))
                  return false;
          return true;
        });
    if (Handed)
      return true;
  }
  return false;
}

void TaskLoops::findSelfRearming(const FunctionDecl *Fn,
                                 llvm::SmallVectorImpl<RearmFinding> &Out) {
  const FunctionDecl *Def = userDefinition(Fn);
  const FlowGraph *G = Def ? Flow.graph(Def) : nullptr;
  if (!G)
    return;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier() || !M->getName().starts_with("async_") ||
        MC->getNumArgs() == 0)
      return true;
    // The completion handler is the last argument.
    CallableTarget Handler =
        Flow.callables().resolve(MC->getArg(MC->getNumArgs() - 1), nullptr);
    const FunctionDecl *H = userDefinition(Handler.Fn);
    if (!H || consultsFn(H, 0) || testsErrorCode(H, 0))
      return true;
    // The function starts the operation on every path: otherwise the chain
    // ends where it does not (a composed operation's completion).
    const CFGBlock *At = G->blockOf(MC);
    llvm::BitVector Starts(G->cfg().getNumBlockIDs());
    if (!At)
      return true;
    Starts.set(At->getBlockID());
    if (!onEveryPath(G->cfg(), Starts))
      return true;
    if (const CallExpr *Rearm = rearmsOnEveryPath(H, Def, 0))
      Out.push_back({MC, Rearm});
    return true;
  });
}

bool TaskLoops::startedByMain(const LoopTask &T, const FunctionDecl *Starter) {
  if (T.Style != TaskStyle::Coroutine)
    return Starter && (Starter->isMain() || onlyMainCalls(Starter));
  return onlyMainCalls(T.Fn);
}

bool TaskLoops::onlyMainCalls(const FunctionDecl *FD) {
  if (!UsedOutsideMain) {
    UsedOutsideMain.emplace();
    llvm::DenseSet<const FunctionDecl *> InMain;
    forEachFunctionReference(
        Flow.astContext(),
        [&](const FunctionDecl *Named, const FunctionDecl *Enclosing,
            const DeclRefExpr *) {
          (Enclosing && Enclosing->isMain() ? InMain : *UsedOutsideMain)
              .insert(Named);
        });
    for (const FunctionDecl *Named : InMain)
      if (!UsedOutsideMain->contains(Named))
        MainOnly.insert(Named);
  }
  return MainOnly.contains(FD->getCanonicalDecl());
}

bool TaskLoops::runsGuardedContext(const FunctionDecl *TaskFn,
                                   const FunctionDecl *Starter) {
  const FunctionDecl *Def = userDefinition(TaskFn);
  if (!Def || !Def->getBody() || !Starter || !Starter->getBody())
    return false;
  llvm::SmallVector<std::pair<const VarDecl *, ObjectPath>, 1> Guards;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (const Expr *Ctx = workGuardedContext(V))
            if (std::optional<ObjectPath> P = objectPathOf(Ctx))
              Guards.push_back({V, *P});
    return true;
  });
  if (Guards.empty())
    return false;
  auto Guarded = [&](const Expr *Obj) {
    std::optional<ObjectPath> P = Obj ? objectPathOf(Obj) : std::nullopt;
    return P &&
           llvm::any_of(Guards, [&](const auto &G) { return G.second == *P; });
  };
  bool Runs = false, Reset = false;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier())
      return true;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (M->getName() == "run" &&
        classifyExecutorCall(MC) == ExecutorOp::Drive && Guarded(Obj))
      Runs = true;
    if (M->getName() == "reset" && llvm::any_of(Guards, [&](const auto &G) {
          return namedVariable(Obj) == G.first;
        }))
      Reset = true;
    return true;
  });
  if (!Runs || Reset)
    return false;
  // Nothing of the starter stops it (a signal handler's lambda included:
  // a lambda's children are its captures' initialisers and its body).
  llvm::SmallVector<const Stmt *, 32> Work{Starter->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *M = MC->getMethodDecl();
          M && M->getIdentifier() && M->getName() == "stop" &&
          Guarded(MC->getImplicitObjectArgument()))
        return false;
    llvm::append_range(Work, S->children());
  }
  return true;
}

bool TaskLoops::runsForProcessLifetime(const FunctionDecl *Fn, const VarDecl *V,
                                       bool ThrowPath) {
  auto [It, Inserted] =
      ProcessLifetime.try_emplace({V, unsigned(ThrowPath)}, false);
  if (!Inserted)
    return It->second;
  LoopTask Task;
  Task.Style = TaskStyle::Thread;
  if (!startedByMain(Task, Fn))
    return false;
  // What is started into V: its initialiser and the threads assigned to it.
  llvm::SmallVector<TaskStart, 2> Starts;
  if (const Expr *Init = V->getInit())
    llvm::append_range(Starts, Flow.taskStarts(skipImplicit(Init)));
  bool Joined = false;
  walkOutsideLambdas(Fn, LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      Joined = namedVariable(MC->getImplicitObjectArgument()) == V &&
               classifyThreadMemberCall(MC) == ThreadOp::Join;
    else if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(S);
             Assign && Assign->getOperator() == OO_Equal &&
             Assign->getNumArgs() == 2 && namedVariable(Assign->getArg(0)) == V)
      llvm::append_range(Starts,
                         Flow.taskStarts(skipImplicit(Assign->getArg(1))));
    return !Joined;
  });
  if ((Joined && !ThrowPath) || Starts.empty())
    return false;
  for (const TaskStart &TS : Starts) {
    if (!TS.Target.Fn)
      return false;
    if (runsGuardedContext(TS.Target.Fn, Fn))
      continue;
    Task.Site = TS.Site;
    Task.Fn = TS.Target.Fn;
    llvm::SmallVector<TaskLoopFinding, 2> Found;
    analyze(Task, Found);
    if (llvm::none_of(Found, [](const TaskLoopFinding &F) {
          return F.K == TaskLoopFinding::Endless;
        }))
      return false;
  }
  return ProcessLifetime[{V, unsigned(ThrowPath)}] = true;
}

} // namespace pitfall
