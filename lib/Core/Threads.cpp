//===--- Threads.cpp ------------------------------------------------------===//
#include "pitfall/Core/Threads.h"
#include "pitfall/Core/Containers.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

bool ThreadTypes::isTerminatingThread(QualType T) const {
  return Terminating.matches(recordOf(T));
}

bool ThreadTypes::isSelfJoiningThread(QualType T) const {
  return SelfJoining.matches(recordOf(T));
}

bool ThreadTypes::isContainerOfTerminatingThreads(QualType T) const {
  return isElementContainerOf(
      T, [this](QualType E) { return isTerminatingThread(E); });
}

bool ThreadTypes::isContainerOfSelfJoiningThreads(QualType T) const {
  return isElementContainerOf(
      T, [this](QualType E) { return isSelfJoiningThread(E); });
}

bool ThreadTypes::isContainerOfThreads(QualType T) const {
  return isElementContainerOf(T, [this](QualType E) { return isAnyThread(E); });
}

bool ThreadTypes::isContainerOfThreadPointers(QualType T) const {
  return isElementContainerOf(T, [this](QualType E) {
    return E->isPointerType() && isTerminatingThread(E->getPointeeType());
  });
}

const Expr *ThreadTypes::emplacedCallable(const CXXMemberCallExpr *E) const {
  const CXXMethodDecl *M = E ? E->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier() || E->getNumArgs() == 0)
    return nullptr;
  if (!llvm::StringSwitch<bool>(M->getName())
           .Case("emplace_back", true)
           .Case("emplace_front", true)
           .Case("emplace", true)
           .Default(false))
    return nullptr;
  const Expr *Obj = E->getImplicitObjectArgument();
  if (!Obj)
    return nullptr;
  QualType T = Obj->getType();
  if (T->isPointerType()) // threads->emplace_back(f)
    T = T->getPointeeType();
  if (!isContainerOfThreads(T))
    return nullptr;
  // emplace(pos, f, ...) takes an iterator first.
  unsigned First = M->getName() == "emplace" ? 1 : 0;
  if (E->getNumArgs() <= First)
    return nullptr;
  return E->getArg(First);
}

const Expr *ThreadTypes::madeCallable(const CallExpr *E, QualType *Made) const {
  const FunctionDecl *Callee = E ? E->getDirectCallee() : nullptr;
  const FunctionTemplateDecl *Primary =
      Callee ? Callee->getPrimaryTemplate() : nullptr;
  const TemplateArgumentList *Args =
      Callee ? Callee->getTemplateSpecializationArgs() : nullptr;
  if (!Primary || !Args || Args->size() == 0 ||
      Args->get(0).getKind() != TemplateArgument::Type ||
      !Callee->getASTContext().getSourceManager().isInSystemHeader(
          Callee->getLocation()))
    return nullptr;
  QualType Thread = Args->get(0).getAsType();
  if (!isAnyThread(Thread))
    return nullptr;
  // It returns what owns the thread: a pointer to it, or a class template
  // of it (std::shared_ptr<std::thread>).
  const ASTContext &Ctx = Callee->getASTContext();
  auto IsThread = [&](QualType T) {
    return Ctx.hasSameUnqualifiedType(T, Thread);
  };
  QualType Ret = Callee->getReturnType();
  const auto *Owner = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Ret->getAsCXXRecordDecl());
  const bool Owns =
      (Ret->isPointerType() && IsThread(Ret->getPointeeType())) ||
      (Owner && Owner->getTemplateArgs().size() > 0 &&
       Owner->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
       IsThread(Owner->getTemplateArgs()[0].getAsType()));
  if (!Owns)
    return nullptr;
  // The constructor's arguments are the forwarded pack: the callable is its
  // first element.
  llvm::ArrayRef<ParmVarDecl *> Pattern =
      Primary->getTemplatedDecl()->parameters();
  const auto *Pack = llvm::find_if(
      Pattern, [](const ParmVarDecl *P) { return P->isParameterPack(); });
  if (Pack == Pattern.end())
    return nullptr;
  unsigned Index = Pack - Pattern.begin();
  if (Index >= E->getNumArgs() || isa<CXXDefaultArgExpr>(E->getArg(Index)))
    return nullptr;
  if (Made)
    *Made = Thread;
  return E->getArg(Index);
}

const Expr *ThreadTypes::startedCallable(const CXXConstructExpr *E) const {
  if (!E || E->getNumArgs() == 0 || !isAnyThread(E->getType()))
    return nullptr;
  const CXXConstructorDecl *Ctor = E->getConstructor();
  if (Ctor && (Ctor->isCopyOrMoveConstructor() || Ctor->isDefaultConstructor()))
    return nullptr;
  const Expr *Arg = E->getArg(0);
  if (isa<CXXDefaultArgExpr>(Arg))
    return nullptr;
  return Arg;
}

ThreadOp classifyThreadMemberCall(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return ThreadOp::None;
  return llvm::StringSwitch<ThreadOp>(M->getName())
      .Case("join", ThreadOp::Join)
      .Case("detach", ThreadOp::Detach)
      .Case("joinable", ThreadOp::Joinable)
      .Case("swap", ThreadOp::Swap)
      .Default(ThreadOp::Other);
}

} // namespace pitfall
