//===--- Graph.cpp --------------------------------------------------------===//
#include "pitfall/Flow/Graph.h"

#include "pitfall/Core/ScopeLoops.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

ScopeExit scopeExitOf(const CFGAutomaticObjDtor &Dtor) {
  const Stmt *T = Dtor.getTriggerStmt();
  if (!T)
    return {ScopeExitKind::ScopeEnd, Dtor.getVarDecl()->getLocation()};
  if (isa<ReturnStmt>(T) || isa<CoreturnStmt>(T))
    return {ScopeExitKind::Return, T->getBeginLoc()};
  if (isa<BreakStmt>(T) || isa<ContinueStmt>(T) || isa<GotoStmt>(T) ||
      isa<IndirectGotoStmt>(T))
    return {ScopeExitKind::Jump, T->getBeginLoc()};
  if (const auto *CS = dyn_cast<CompoundStmt>(T))
    return {ScopeExitKind::ScopeEnd, CS->getRBracLoc()};
  return {ScopeExitKind::ScopeEnd, T->getEndLoc()};
}

const Expr *branchCondition(const CFGBlock &B) {
  if (B.succ_size() != 2)
    return nullptr;
  const Stmt *T = B.getTerminatorStmt();
  if (!T)
    return nullptr;
  const Expr *Cond = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(T); BO && BO->isLogicalOp())
    Cond = BO->getLHS(); // the block evaluating the left operand
  else if (isa<IfStmt, WhileStmt, ForStmt, DoStmt, ConditionalOperator,
               BinaryConditionalOperator>(T))
    Cond =
        dyn_cast_or_null<Expr>(const_cast<CFGBlock &>(B).getTerminatorCondition(
            /*StripParens=*/false));
  if (!Cond)
    return nullptr;
  // `if (a && b)`: the block holding the terminator evaluated `b` last.
  for (;;) {
    Cond = Cond->IgnoreParenImpCasts();
    const auto *BO = dyn_cast<BinaryOperator>(Cond);
    if (!BO || !BO->isLogicalOp() || BO == T)
      break;
    Cond = BO->getRHS();
  }
  return Cond;
}

const Expr *stripNegations(const Expr *Cond, bool &Negated) {
  Negated = false;
  for (;;) {
    if (!Cond)
      return nullptr;
    Cond = Cond->IgnoreParenImpCasts();
    const auto *UO = dyn_cast<UnaryOperator>(Cond);
    if (!UO || UO->getOpcode() != UO_LNot)
      return Cond;
    Negated = !Negated;
    Cond = UO->getSubExpr();
  }
}

/// True if \p S holds an expression Sema could not make sense of (a
/// RecoveryExpr, or one built on it): code of a translation unit that did not
/// compile, which the CFG builder is not made for.
static bool containsErrors(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    return E->containsErrors();
  return llvm::any_of(S->children(), containsErrors);
}

std::unique_ptr<FlowGraph> FlowGraph::build(const Decl *D, ASTContext &Ctx) {
  Stmt *Body = D ? D->getBody() : nullptr;
  // A function whose code did not compile has no flow to follow: a
  // translation unit with errors is analysed for what did compile.
  if (!Body || D->isInvalidDecl() || containsErrors(Body))
    return nullptr;
  // Nor does a member of a class Sema gave up on (a member of a type that
  // did not compile): its implicit destructor destroys what is not there.
  if (const auto *M = dyn_cast<CXXMethodDecl>(D);
      M && M->getParent()->isInvalidDecl())
    return nullptr;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (containsErrors(Init->getInit()))
        return nullptr;
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddInitializers = true;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.AddTemporaryDtors = false;
  Opts.setAllAlwaysAdd();
  std::unique_ptr<CFG> G = CFG::buildCFG(D, Body, &Ctx, Opts);
  if (!G)
    return nullptr;
  return std::unique_ptr<FlowGraph>(new FlowGraph(D, Body, Ctx, std::move(G)));
}

FlowGraph::FlowGraph(const Decl *D, const Stmt *Body, ASTContext &Ctx,
                     std::unique_ptr<CFG> G)
    : D(D), Body(Body), Ctx(Ctx), G(std::move(G)),
      PM(const_cast<Stmt *>(Body)) {
  // Constructor initialisers are not under the body: add them to the map.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->getInit())
        PM.addStmt(Init->getInit());
  for (const CFGBlock *B : *this->G)
    if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(B->getTerminatorStmt()))
      Dispatch[Try] = B;
  computeOrder();
  pruneScopeLoopBackEdges();
}

void FlowGraph::pruneScopeLoopBackEdges() {
  // A `for` whose body runs once (a section or lock-scope macro, a flag set
  // by its step: Core/ScopeLoops.h) never comes back to its condition: its
  // back edges become unreachable edges, the way the CFG builder prunes the
  // branches of a constant condition (`do ... while (0)` is pruned so
  // already). Every analysis on the graph then sees a block, not a loop.
  // Removing back edges leaves order() a reverse post-order.
  for (CFGBlock *Head : *G) {
    const auto *For = dyn_cast_or_null<ForStmt>(Head->getTerminatorStmt());
    unsigned HeadIndex = orderIndex(Head);
    if (!For || HeadIndex == ~0u || !runsAtMostOnce(For, Ctx))
      continue;
    for (CFGBlock::AdjacentBlock &Pred : Head->preds()) {
      CFGBlock *From = Pred.getReachableBlock();
      if (!From || orderIndex(From) == ~0u || orderIndex(From) < HeadIndex)
        continue;
      Pred = CFGBlock::AdjacentBlock(From, /*IsReachable=*/false);
      for (CFGBlock::AdjacentBlock &Succ : From->succs())
        if (Succ.getReachableBlock() == Head)
          Succ = CFGBlock::AdjacentBlock(Head, /*IsReachable=*/false);
    }
  }
}

void FlowGraph::computeOrder() {
  unsigned N = G->getNumBlockIDs();
  llvm::BitVector Visited(N);
  llvm::SmallVector<const CFGBlock *, 32> PostOrder;
  llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 32> Stack;
  auto Visit = [&](const CFGBlock *Root) {
    if (!Root || Visited.test(Root->getBlockID()))
      return;
    Visited.set(Root->getBlockID());
    Stack.push_back({Root, 0});
    while (!Stack.empty()) {
      auto &[B, Next] = Stack.back();
      if (Next < B->succ_size()) {
        const CFGBlock *S = *(B->succ_begin() + Next);
        ++Next;
        if (S && !Visited.test(S->getBlockID())) {
          Visited.set(S->getBlockID());
          Stack.push_back({S, 0});
        }
        continue;
      }
      PostOrder.push_back(B);
      Stack.pop_back();
    }
  };
  // Handlers are reached only through exceptional edges: dispatch blocks are
  // extra roots, innermost try first so that in reverse post-order an outer
  // handler comes after an inner one (and all of them after the body).
  llvm::SmallVector<std::pair<const CXXTryStmt *, const CFGBlock *>, 4> Tries(
      Dispatch.begin(), Dispatch.end());
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Tries, [&](const auto &A, const auto &B) {
    return SM.isBeforeInTranslationUnit(B.first->getBeginLoc(),
                                        A.first->getBeginLoc());
  });
  for (const auto &T : Tries)
    Visit(T.second);
  Visit(&G->getEntry());
  Order.assign(PostOrder.rbegin(), PostOrder.rend());
  OrderIndex.assign(N, ~0u);
  for (unsigned I = 0, E = Order.size(); I != E; ++I)
    OrderIndex[Order[I]->getBlockID()] = I;
}

bool FlowGraph::isLoopHead(const CFGBlock &B) const {
  unsigned Self = orderIndex(&B);
  if (Self == ~0u)
    return false;
  for (const CFGBlock *P : B.preds())
    if (P && orderIndex(P) != ~0u && orderIndex(P) >= Self)
      return true;
  return false;
}

const CFGBlock *FlowGraph::blockOf(const Stmt *S) const {
  if (StmtBlocks.empty())
    for (const CFGBlock *B : *G)
      for (const CFGElement &E : *B)
        if (auto CS = E.getAs<CFGStmt>())
          StmtBlocks.try_emplace(CS->getStmt(), B);
  return StmtBlocks.lookup(S);
}

bool FlowGraph::everyPathPasses(
    const Stmt *From, llvm::function_ref<bool(const Stmt *)> Passes,
    llvm::function_ref<bool(const CFGBlock &, unsigned)> Cut) const {
  const CFGBlock *First = blockOf(From);
  if (!First)
    return false;
  const CFGBlock *Exit = &G->getExit();
  llvm::SmallVector<const CFGBlock *, 16> Work{First};
  llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
  bool FromStart = true;
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (B == Exit)
      return false;
    bool Looking = !FromStart, Passed = false;
    for (const CFGElement &El : *B) {
      std::optional<CFGStmt> CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      if (!Looking) {
        Looking = CS->getStmt() == From;
        continue;
      }
      if (Passes(CS->getStmt())) {
        Passed = true;
        break;
      }
    }
    if (FromStart && !Looking)
      return false; // From is no element of its block
    FromStart = false;
    if (Passed)
      continue;
    unsigned I = 0;
    for (const CFGBlock *Succ : B->succs()) {
      bool Cutting = Cut && Cut(*B, I);
      ++I;
      if (!Cutting && Succ && Seen.insert(Succ).second)
        Work.push_back(Succ);
    }
  }
  return true;
}

bool FlowGraph::failsAfter(const Stmt *S) const {
  const CFGBlock *From = S ? blockOf(S) : nullptr;
  if (!From)
    return false;
  const CFGBlock &Exit = G->getExit();
  bool Fails = false;
  llvm::SmallVector<const CFGBlock *, 16> Work{From};
  llvm::SmallPtrSet<const CFGBlock *, 32> Seen{From};
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    // A throw, a dispatch an exception goes on past, or a call that does
    // not return: reaching the exit from there is a failure.
    bool Failing = B->hasNoReturnElement() || endsInThrow(*B) ||
                   dispatchedTry(*B) ||
                   isa_and_nonnull<CXXThrowExpr>(B->getTerminatorStmt());
    for (const CFGBlock *Succ : B->succs()) {
      if (!Succ)
        continue;
      if (Succ == &Exit) {
        if (!Failing)
          return false; // a normal return
        Fails = true;
        continue;
      }
      if (Seen.insert(Succ).second)
        Work.push_back(Succ);
    }
  }
  return Fails;
}

const CXXTryStmt *FlowGraph::dispatchedTry(const CFGBlock &B) const {
  return dyn_cast_or_null<CXXTryStmt>(B.getTerminatorStmt());
}

bool FlowGraph::catchesAll(const CXXTryStmt &Try) {
  for (unsigned I = 0, N = Try.getNumHandlers(); I != N; ++I) {
    const CXXCatchStmt *H = Try.getHandler(I);
    if (!H->getExceptionDecl())
      return true;
    QualType T = H->getCaughtType().getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (RD && RD->isInStdNamespace() && RD->getIdentifier() &&
        RD->getName() == "exception")
      return true;
  }
  return false;
}

bool FlowGraph::endsInThrow(const CFGBlock &B) {
  for (auto It = B.rbegin(), End = B.rend(); It != End; ++It)
    if (auto CS = It->getAs<CFGStmt>())
      return isa<CXXThrowExpr>(CS->getStmt());
  return false;
}

/// The try statement an exception thrown at \p Site reaches first, walking
/// out from \p Site: one whose try block (not a handler) holds it.
static const CXXTryStmt *enclosingTry(const Stmt *Site, const ParentMap &PM) {
  const Stmt *Child = Site;
  for (const Stmt *P = PM.getParent(Site); P; Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      return nullptr;
    if (const auto *Try = dyn_cast<CXXTryStmt>(P))
      if (Try->getTryBlock() == Child)
        return Try;
  }
  return nullptr;
}

const CFGBlock *FlowGraph::throwTarget(const Stmt *Site) const {
  if (const CXXTryStmt *Try = enclosingTry(Site, PM))
    return Dispatch.lookup(Try);
  return nullptr;
}

bool FlowGraph::unwoundLeavingFunction(const VarDecl *V,
                                       const Stmt *Origin) const {
  for (const Stmt *Site = Origin;;) {
    const CFGBlock *Target = throwTarget(Site);
    if (llvm::is_contained(unwoundVariables(Site), V))
      return !Target;
    const CXXTryStmt *Try = Target ? dispatchedTry(*Target) : nullptr;
    if (!Try || catchesAll(*Try))
      return false;
    Site = Try;
  }
}

static void addVarsOf(const Stmt *S,
                      llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        Out.push_back(VD);
}

/// The variables of scope \p P that are alive when control is in its child
/// \p Child, in declaration order.
static void liveScopeVars(const Stmt *P, const Stmt *Child,
                          llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
    for (const Stmt *S : CS->body()) {
      if (S == Child)
        break;
      // `label: T x;` and friends.
      while (const auto *L = dyn_cast<LabelStmt>(S))
        S = L->getSubStmt();
      addVarsOf(S, Out);
    }
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(P)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD)
        continue;
      if (VD->getInit() == Child)
        break;
      Out.push_back(VD);
    }
    return;
  }
  auto InitAndCond = [&](const Stmt *Init, const VarDecl *CondVar,
                         const Stmt *CondStmt, const Stmt *Cond) {
    if (Child == Init)
      return;
    addVarsOf(Init, Out);
    if (CondVar && Child != CondStmt && Child != Cond)
      Out.push_back(CondVar);
  };
  if (const auto *If = dyn_cast<IfStmt>(P))
    return InitAndCond(If->getInit(), If->getConditionVariable(),
                       If->getConditionVariableDeclStmt(), If->getCond());
  if (const auto *Sw = dyn_cast<SwitchStmt>(P))
    return InitAndCond(Sw->getInit(), Sw->getConditionVariable(),
                       Sw->getConditionVariableDeclStmt(), Sw->getCond());
  if (const auto *W = dyn_cast<WhileStmt>(P))
    return InitAndCond(nullptr, W->getConditionVariable(),
                       W->getConditionVariableDeclStmt(), W->getCond());
  if (const auto *F = dyn_cast<ForStmt>(P))
    return InitAndCond(F->getInit(), F->getConditionVariable(),
                       F->getConditionVariableDeclStmt(), F->getCond());
  if (const auto *FR = dyn_cast<CXXForRangeStmt>(P)) {
    if (Child == FR->getInit())
      return;
    addVarsOf(FR->getInit(), Out);
    if (Child == FR->getRangeStmt())
      return;
    addVarsOf(FR->getRangeStmt(), Out);
    if (Child == FR->getBeginStmt())
      return;
    addVarsOf(FR->getBeginStmt(), Out);
    if (Child == FR->getEndStmt())
      return;
    addVarsOf(FR->getEndStmt(), Out);
    if (Child == FR->getBody())
      Out.push_back(FR->getLoopVariable());
    return;
  }
  if (const auto *Catch = dyn_cast<CXXCatchStmt>(P)) {
    if (Child == Catch->getHandlerBlock() && Catch->getExceptionDecl())
      Out.push_back(Catch->getExceptionDecl());
    return;
  }
}

llvm::ArrayRef<const VarDecl *>
FlowGraph::unwoundVariables(const Stmt *Site) const {
  auto [It, Inserted] = Unwound.try_emplace(Site);
  if (!Inserted)
    return It->second;
  const CXXTryStmt *Target = enclosingTry(Site, PM);
  llvm::SmallVector<const VarDecl *, 4> Out;
  const Stmt *Child = Site;
  for (const Stmt *P = PM.getParent(Site); P && P != Target;
       Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      break;
    llvm::SmallVector<const VarDecl *, 4> Scope;
    liveScopeVars(P, Child, Scope);
    for (auto V = Scope.rbegin(), E = Scope.rend(); V != E; ++V)
      if ((*V)->hasLocalStorage() && !isa<ParmVarDecl>(*V))
        Out.push_back(*V);
  }
  It = Unwound.find(Site); // the map may have grown
  It->second = std::move(Out);
  return It->second;
}

} // namespace pitfall
