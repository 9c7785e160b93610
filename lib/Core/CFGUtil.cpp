//===--- CFGUtil.cpp ------------------------------------------------------===//
#include "pitfall/Core/CFGUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

using namespace clang;

namespace pitfall {

std::unique_ptr<CFG> buildDataflowCFG(const Decl *D, ASTContext &Ctx) {
  Stmt *Body = D ? D->getBody() : nullptr;
  if (!Body)
    return nullptr;
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddInitializers = false;
  Opts.AddTemporaryDtors = false;
  Opts.setAllAlwaysAdd();
  return CFG::buildCFG(D, Body, &Ctx, Opts);
}

llvm::SmallVector<const CFGBlock *, 32> reversePostOrder(const CFG &G) {
  llvm::SmallVector<const CFGBlock *, 32> Order;
  llvm::BitVector Visited(G.getNumBlockIDs());
  // Iterative DFS: (block, next successor index).
  llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 32> Stack;
  const CFGBlock *Entry = &G.getEntry();
  Visited.set(Entry->getBlockID());
  Stack.push_back({Entry, 0});
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
    Order.push_back(B);
    Stack.pop_back();
  }
  std::reverse(Order.begin(), Order.end());
  return Order;
}

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

/// True if \p RD is one of the standard stream classes (or derives from
/// one): they throw only when the stream's exceptions() mask asks for it,
/// which it does not by default.
static bool isStdStream(const CXXRecordDecl *RD) {
  static constexpr llvm::StringLiteral Streams[] = {
      "basic_ios",           "ios_base",          "basic_istream",
      "basic_ostream",       "basic_iostream",    "basic_ifstream",
      "basic_ofstream",      "basic_fstream",     "basic_istringstream",
      "basic_ostringstream", "basic_stringstream"};
  if (!RD || !RD->isInStdNamespace())
    return false;
  if (RD->getIdentifier() && llvm::is_contained(Streams, RD->getName()))
    return true;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  if (!RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->getDefinition()->bases())
    if (isStdStream(B.getType()->getAsCXXRecordDecl()))
      return true;
  return false;
}

/// A standard stream operation: a member of a stream class, or a free
/// std function (operator<<, operator>>, getline, a manipulator) whose first
/// parameter is a stream.
static bool isStdStreamOperation(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    return isStdStream(MD->getParent());
  if (!FD->isInStdNamespace() || FD->getNumParams() == 0)
    return false;
  QualType First = FD->getParamDecl(0)->getType().getNonReferenceType();
  return isStdStream(First->getAsCXXRecordDecl());
}

/// A std::basic_string operation that can fail only by running out of
/// memory (not at() or substr(), which throw on a bad position), or
/// std::to_string: allocation failure is not modelled as a throw.
static bool isStdStringOperation(const FunctionDecl *FD) {
  auto IsString = [](QualType T) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
           RD->getName() == "basic_string";
  };
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *RD = MD->getParent();
    if (!RD->isInStdNamespace() || !RD->getIdentifier() ||
        RD->getName() != "basic_string")
      return false;
    const IdentifierInfo *II = MD->getIdentifier();
    return !II || (II->getName() != "at" && II->getName() != "substr");
  }
  if (!FD->isInStdNamespace())
    return false;
  if (const IdentifierInfo *II = FD->getIdentifier())
    return II->getName() == "to_string" || II->getName() == "to_wstring";
  return FD->isOverloadedOperator() &&
         llvm::any_of(FD->parameters(), [&](const ParmVarDecl *P) {
           return IsString(P->getType());
         });
}

/// An assertion helper whose body is not in the translation unit
/// (`assert_false(...)`, `assertEqual(...)`): such helpers report and abort.
/// Test frameworks whose failed assertions throw do it from macros that
/// expand to visible code or to internal functions of other names.
static bool isOutOfSightAssertion(const FunctionDecl *FD) {
  const IdentifierInfo *II = FD->getIdentifier();
  return II && II->getName().starts_with_insensitive("assert") &&
         !FD->isInStdNamespace();
}

// Classes and namespaces of the standard library whose operations do not
// throw in practice (they may report system errors that programs do not
// handle by unwinding).
static bool isPracticallyNothrowStd(const FunctionDecl *FD) {
  if (isStdStreamOperation(FD) || isStdStringOperation(FD))
    return true;
  static constexpr llvm::StringLiteral Classes[] = {"lock_guard",
                                                    "unique_lock",
                                                    "scoped_lock",
                                                    "shared_lock",
                                                    "mutex",
                                                    "recursive_mutex",
                                                    "timed_mutex",
                                                    "shared_mutex",
                                                    "condition_variable",
                                                    "condition_variable_any",
                                                    "atomic",
                                                    "atomic_flag",
                                                    "__atomic_base",
                                                    "duration",
                                                    "time_point",
                                                    "counting_semaphore",
                                                    "latch",
                                                    "barrier"};
  const DeclContext *DC = FD->getDeclContext();
  const auto *RD = dyn_cast<CXXRecordDecl>(DC);
  if (RD &&
      !(RD->getIdentifier() && llvm::is_contained(Classes, RD->getName())))
    return false;
  // The class or function must be in std, directly or in chrono/this_thread.
  bool InStdDetail = false;
  for (DC = RD ? RD->getDeclContext() : DC; DC; DC = DC->getParent()) {
    const auto *NS = dyn_cast<NamespaceDecl>(DC);
    if (!NS || NS->isInline())
      continue;
    if (NS->isStdNamespace())
      return RD || InStdDetail;
    if (!NS->getIdentifier() ||
        (NS->getName() != "chrono" && NS->getName() != "this_thread"))
      return false;
    InStdDetail = true;
  }
  return false;
}

bool ThrowModel::calleeMayThrow(const FunctionDecl *FD, bool Virtual,
                                unsigned Depth) {
  if (!FD)
    return false; // unknown callee: do not guess
  if (FD->getBuiltinID() || FD->isExternC() || FD->isInExternCContext())
    return false;
  if (isa<CXXDestructorDecl>(FD))
    return false;
  if (FD->isTrivial() || FD->isDefaulted() || FD->isDeleted())
    return false;
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return false;
  if (isUnresolvedExceptionSpec(Proto->getExceptionSpecType()) ||
      Proto->isNothrow())
    return false;
  if (isPracticallyNothrowStd(FD))
    return false;
  const FunctionDecl *Def = nullptr;
  if (!Virtual && !FD->hasBody(Def) && isOutOfSightAssertion(FD))
    return false;
  if (Virtual || Depth == 0 || !FD->hasBody(Def) || !Def->getBody())
    return true;
  auto [It, Inserted] = Cache.try_emplace(Def, false); // optimistic on cycles
  if (!Inserted)
    return It->second;
  bool Result = bodyMayThrow(Def->getBody(), Depth - 1);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      Result = Result || bodyMayThrow(Init->getInit(), Depth - 1);
  Cache[Def] = Result;
  return Result;
}

bool ThrowModel::bodyMayThrow(const Stmt *Body, unsigned Depth) {
  if (!Body)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
      // What the try block throws may be caught; look at the handlers only.
      if (hasSwallowingHandler(*Try)) {
        for (unsigned I = 0, N = Try->getNumHandlers(); I != N; ++I)
          Work.push_back(Try->getHandler(I));
        continue;
      }
    }
    if (mayThrow(S, Depth))
      return true;
    llvm::append_range(Work, S->children());
  }
  return false;
}

bool ThrowModel::mayThrow(const Stmt *S, unsigned Depth) {
  if (!S)
    return false;
  if (isa<CXXThrowExpr>(S))
    return true;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (isa<CXXInheritedCtorInitExpr>(S))
      return false;
    return calleeMayThrow(CE->getConstructor(), /*Virtual=*/false, Depth);
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (isa<CUDAKernelCallExpr>(Call))
      return false;
    bool Virtual = false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const CXXMethodDecl *M = MC->getMethodDecl())
        Virtual = M->isVirtual() && !M->hasAttr<FinalAttr>() &&
                  !M->getParent()->hasAttr<FinalAttr>();
    return calleeMayThrow(Call->getDirectCallee(), Virtual, Depth);
  }
  return false;
}

llvm::SmallVector<const CXXTryStmt *, 2>
enclosingTryBlocks(const Stmt *S, const ParentMap &PM, const Stmt *Root) {
  llvm::SmallVector<const CXXTryStmt *, 2> Out;
  const Stmt *Child = S;
  for (const Stmt *P = PM.getParent(S); P && Child != Root;
       Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      break;
    if (const auto *Try = dyn_cast<CXXTryStmt>(P))
      if (Try->getTryBlock() == Child)
        Out.push_back(Try);
  }
  return Out;
}

static bool containsThrow(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CXXThrowExpr>(S))
    return true;
  if (isa<LambdaExpr>(S))
    return false;
  for (const Stmt *C : S->children())
    if (containsThrow(C))
      return true;
  return false;
}

bool hasSwallowingHandler(const CXXTryStmt &Try) {
  for (unsigned I = 0, N = Try.getNumHandlers(); I != N; ++I)
    if (!containsThrow(Try.getHandler(I)->getHandlerBlock()))
      return true;
  return false;
}

} // namespace pitfall
