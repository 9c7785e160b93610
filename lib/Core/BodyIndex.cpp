//===--- BodyIndex.cpp - parents and enclosing callables within bodies ---===//

#include "pitfall/Core/BodyIndex.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace pitfall {

namespace {
struct WorkItem {
  const Stmt *S;
  DynTypedNode Parent;
  const FunctionDecl *Callable;
};
} // namespace

void BodyIndex::walk(const Stmt *Root, const DynTypedNode &RootParent,
                     const FunctionDecl *RootCallable) const {
  // An explicit work list: expression trees of generated code can be deep.
  llvm::SmallVector<WorkItem, 64> Work;
  Work.push_back({Root, RootParent, RootCallable});
  while (!Work.empty()) {
    WorkItem W = Work.pop_back_val();
    if (!W.S)
      continue;
    auto [It, New] = Stmts.try_emplace(W.S, StmtInfo{W.Parent, W.Callable});
    if (!New)
      continue; // a node reachable twice (a shared sub-expression)
    DynTypedNode Self = DynTypedNode::create(*W.S);

    if (const auto *DS = dyn_cast<DeclStmt>(W.S)) {
      // Declarations between the statement and its initialisers, as the
      // AST has them; local classes' methods are functions of their own.
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          VarParents.try_emplace(VD, DS);
          if (const Expr *Init = VD->getInit())
            Work.push_back({Init, DynTypedNode::create(*VD), W.Callable});
        }
      continue;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(W.S)) {
      // Captures are initialised by the enclosing function; the body is the
      // call operator's.
      for (const Expr *Init : LE->capture_inits())
        Work.push_back({Init, Self, W.Callable});
      const CXXMethodDecl *Op = LE->getCallOperator();
      Indexed.insert(Op);
      Work.push_back({LE->getBody(), Self, Op});
      continue;
    }
    for (const Stmt *Child : W.S->children())
      Work.push_back({Child, Self, W.Callable});
  }
}

void BodyIndex::addFunction(const FunctionDecl *FD) {
  if (FD && FD->doesThisDeclarationHaveABody() && Indexed.insert(FD).second)
    Pending.push_back(FD);
}

void BodyIndex::addInitializer(const VarDecl *VD) {
  if (VD && VD->getInit() && !VD->isLocalVarDeclOrParm())
    Pending.push_back(VD);
}

void BodyIndex::addInitializer(const FieldDecl *FD) {
  if (FD && FD->hasInClassInitializer() && FD->getInClassInitializer())
    Pending.push_back(FD);
}

void BodyIndex::addLambda(const LambdaExpr *LE) {
  // A lambda in a function is indexed with the function.
  if (LE && !LE->getLambdaClass()->getDeclContext()->isFunctionOrMethod())
    Pending.push_back(LE);
}

bool BodyIndex::flush() const {
  if (Pending.empty())
    return false;
  // In the order added, which is the finder's pre-order: a function is
  // walked before a lambda's call operator inside it (added by a finder
  // that visits implicit code), whose body is then found indexed already.
  for (const auto &Item : Pending) {
    if (const auto *LE = llvm::dyn_cast<const LambdaExpr *>(Item)) {
      walk(LE, DynTypedNode(), nullptr);
      continue;
    }
    const auto *D = llvm::cast<const Decl *>(Item);
    DynTypedNode Self = DynTypedNode::create(*D);
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      walk(VD->getInit(), Self, nullptr);
      continue;
    }
    if (const auto *Field = dyn_cast<FieldDecl>(D)) {
      walk(Field->getInClassInitializer(), Self, nullptr);
      continue;
    }
    const auto *FD = cast<FunctionDecl>(D);
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getInit())
          walk(Init->getInit(), Self, FD);
    walk(FD->getBody(), Self, FD);
  }
  Pending.clear();
  return true;
}

DynTypedNode BodyIndex::parent(const DynTypedNode &N) const {
  if (const auto *S = N.get<Stmt>()) {
    auto It = Stmts.find(S);
    if (It == Stmts.end() && flush())
      It = Stmts.find(S);
    return It == Stmts.end() ? DynTypedNode() : It->second.Parent;
  }
  if (const auto *VD = N.get<VarDecl>()) {
    auto It = VarParents.find(VD);
    if (It == VarParents.end() && flush())
      It = VarParents.find(VD);
    if (It != VarParents.end())
      return DynTypedNode::create(*It->second);
  }
  return DynTypedNode();
}

const FunctionDecl *BodyIndex::callableOf(const Stmt *S) const {
  auto It = Stmts.find(S);
  if (It == Stmts.end() && flush())
    It = Stmts.find(S);
  return It == Stmts.end() ? nullptr : It->second.Callable;
}

void BodyIndex::clear() {
  Stmts.clear();
  VarParents.clear();
  Indexed.clear();
  Pending.clear();
}

namespace {
void walkSpelled(
    llvm::ArrayRef<const Stmt *> Roots, const FunctionDecl *RootCallable,
    llvm::function_ref<void(const Stmt *, const FunctionDecl *)> Visit) {
  struct Item {
    const Stmt *S;
    const FunctionDecl *Callable;
  };
  llvm::SmallVector<Item, 64> Work;
  // Pushed in reverse, so that they are visited in source order.
  auto PushChildren = [&Work](auto &&Children, const FunctionDecl *C) {
    llvm::SmallVector<const Stmt *, 8> Kids;
    for (const Stmt *K : Children)
      if (K)
        Kids.push_back(K);
    for (const Stmt *K : llvm::reverse(Kids))
      Work.push_back({K, C});
  };
  PushChildren(Roots, RootCallable);
  while (!Work.empty()) {
    Item W = Work.pop_back_val();
    const Stmt *S = W.S;
    // Implicit nodes (casts, temporaries, conversions) are not visited;
    // what they wrap is.
    const auto *E = dyn_cast<Expr>(S);
    if (!E || E->IgnoreUnlessSpelledInSource() == E)
      Visit(S, W.Callable);

    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      llvm::SmallVector<const Stmt *, 4> Captures;
      for (const LambdaCapture &C : LE->explicit_captures())
        if (LE->isInitCapture(&C))
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            if (VD->getInit())
              Captures.push_back(VD->getInit());
      for (auto [C, Init] : llvm::zip(LE->captures(), LE->capture_inits()))
        if (C.isExplicit() && !LE->isInitCapture(&C) && Init)
          Captures.push_back(Init);
      Work.push_back({LE->getBody(), LE->getCallOperator()});
      PushChildren(Captures, W.Callable);
      continue;
    }
    if (const auto *For = dyn_cast<CXXForRangeStmt>(S)) {
      // Not the hidden __range/__begin/__end statements.
      const Stmt *Parts[] = {For->getInit(), For->getRangeInit(),
                             For->getLoopVarStmt(), For->getBody()};
      PushChildren(Parts, W.Callable);
      continue;
    }
    if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(S)) {
      Work.push_back({Coro->getBody(), W.Callable}); // not the promise's code
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      llvm::SmallVector<const Stmt *, 4> Inits;
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
          Inits.push_back(VD->getInit());
      PushChildren(Inits, W.Callable);
      continue;
    }
    PushChildren(S->children(), W.Callable);
  }
}
} // namespace

void forEachSpelledStmt(
    const FunctionDecl *FD,
    llvm::function_ref<void(const Stmt *, const FunctionDecl *)> Visit) {
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return;
  // Written constructor initialisers first, then the body: source order.
  llvm::SmallVector<const Stmt *, 8> Roots;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getInit())
        Roots.push_back(Init->getInit());
  Roots.push_back(FD->getBody());
  walkSpelled(Roots, FD, Visit);
}

void forEachSpelledStmt(
    const Stmt *Root,
    llvm::function_ref<void(const Stmt *, const FunctionDecl *)> Visit) {
  if (Root)
    walkSpelled(Root, nullptr, Visit);
}

} // namespace pitfall
