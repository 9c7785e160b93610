//===--- SyncPrimitives.cpp -----------------------------------------------===//
#include "pitfall/Core/SyncPrimitives.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

bool isArrival(SyncOp Op) {
  switch (Op) {
  case SyncOp::CountDown:
  case SyncOp::ArriveAndWait:
  case SyncOp::Arrive:
  case SyncOp::ArriveAndDrop:
  case SyncOp::Done:
    return true;
  default:
    return false;
  }
}

llvm::StringRef syncKindName(SyncKind K) {
  switch (K) {
  case SyncKind::Latch:
    return "latch";
  case SyncKind::Barrier:
    return "barrier";
  case SyncKind::Semaphore:
    return "semaphore";
  case SyncKind::WaitGroup:
    return "WaitGroup";
  case SyncKind::None:
    break;
  }
  return "";
}

/// \p Name lowercase without '_': "WaitGroup", "wait_group", "waitgroup" and
/// "Wait_Group" are one name in different case styles.
static std::string caseStyleFolded(llvm::StringRef Name) {
  std::string Out;
  for (char C : Name)
    if (C != '_')
      Out.push_back(llvm::toLower(C));
  return Out;
}

SyncPrimitives::SyncPrimitives(llvm::StringRef WaitGroupTypesOption)
    : Std("::std::latch;::std::barrier;::std::counting_semaphore") {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  WaitGroupTypesOption.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::string Names;
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    if (P.contains('*')) {
      WaitGroupGlobs.push_back(caseStyleFolded(P));
      continue;
    }
    if (!Names.empty())
      Names += ';';
    Names += P.str();
  }
  WaitGroupNames = NameList(Names);
}

/// Match of \p Name against \p Glob (case-style folded, '*' only) in any
/// case style: the name is folded the same way.
static bool globMatch(llvm::StringRef Glob, llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 4> Pieces;
  Glob.split(Pieces, '*');
  std::string Folded = caseStyleFolded(Name);
  llvm::StringRef Rest(Folded);
  for (size_t I = 0, E = Pieces.size(); I != E; ++I) {
    llvm::StringRef P = Pieces[I];
    if (I == 0) {
      if (!Rest.consume_front(P))
        return false;
      continue;
    }
    if (I + 1 == E)
      return Rest.ends_with(P);
    size_t Pos = Rest.find(P);
    if (Pos == llvm::StringRef::npos)
      return false;
    Rest = Rest.drop_front(Pos + P.size());
  }
  return Rest.empty();
}

/// "add", "Add", "ADD", "add_" ... normalised: lowercase without '_'.
static std::string normalizedMethodName(const CXXMethodDecl *M) {
  if (!M->getIdentifier())
    return std::string();
  return caseStyleFolded(M->getName());
}

static SyncOp waitGroupOp(const CXXMethodDecl *M) {
  return llvm::StringSwitch<SyncOp>(normalizedMethodName(M))
      .Case("add", SyncOp::Add)
      .Case("done", SyncOp::Done)
      .Case("wait", SyncOp::Wait)
      .Default(SyncOp::Other);
}

bool SyncPrimitives::isWaitGroupClass(const CXXRecordDecl *RD) const {
  if (!RD->getIdentifier())
    return false;
  bool Named = WaitGroupNames.matches(RD);
  for (const std::string &G : WaitGroupGlobs)
    Named = Named || globMatch(G, RD->getName());
  if (!Named || !RD->hasDefinition())
    return false;
  bool HasAdd = false, HasDone = false, HasWait = false;
  auto Scan = [&](const CXXRecordDecl *C) {
    for (const CXXMethodDecl *M : C->methods()) {
      SyncOp Op = waitGroupOp(M);
      HasAdd |= Op == SyncOp::Add;
      HasDone |= Op == SyncOp::Done;
      HasWait |= Op == SyncOp::Wait;
    }
  };
  Scan(RD);
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = recordOf(B.getType()))
      if (Base->hasDefinition())
        Scan(Base);
  return HasAdd && HasDone && HasWait;
}

SyncKind SyncPrimitives::kindOf(const CXXRecordDecl *RD) const {
  if (!RD)
    return SyncKind::None;
  if (RD->getIdentifier() && Std.matches(RD))
    return llvm::StringSwitch<SyncKind>(RD->getName())
        .Case("latch", SyncKind::Latch)
        .Case("barrier", SyncKind::Barrier)
        .Default(SyncKind::Semaphore);
  if (isWaitGroupClass(RD))
    return SyncKind::WaitGroup;
  return SyncKind::None;
}

SyncKind SyncPrimitives::kindOf(QualType T) const {
  if (T.isNull())
    return SyncKind::None;
  return kindOf(recordOf(T, /*ThroughPointers=*/true));
}

static SyncOp stdOp(SyncKind K, llvm::StringRef Name) {
  switch (K) {
  case SyncKind::Latch:
    return llvm::StringSwitch<SyncOp>(Name)
        .Case("count_down", SyncOp::CountDown)
        .Case("wait", SyncOp::Wait)
        .Case("try_wait", SyncOp::TryWait)
        .Case("arrive_and_wait", SyncOp::ArriveAndWait)
        .Default(SyncOp::Other);
  case SyncKind::Barrier:
    return llvm::StringSwitch<SyncOp>(Name)
        .Case("arrive", SyncOp::Arrive)
        .Case("wait", SyncOp::Wait)
        .Case("arrive_and_wait", SyncOp::ArriveAndWait)
        .Case("arrive_and_drop", SyncOp::ArriveAndDrop)
        .Default(SyncOp::Other);
  case SyncKind::Semaphore:
    return llvm::StringSwitch<SyncOp>(Name)
        .Case("acquire", SyncOp::Acquire)
        .Case("try_acquire", SyncOp::TryAcquire)
        .Case("try_acquire_for", SyncOp::TryAcquire)
        .Case("try_acquire_until", SyncOp::TryAcquire)
        .Case("release", SyncOp::Release)
        .Default(SyncOp::Other);
  default:
    return SyncOp::Other;
  }
}

/// Whether \p Op takes an amount argument (count_down(n), release(n), ...).
static bool takesAmount(SyncKind K, SyncOp Op) {
  switch (Op) {
  case SyncOp::CountDown:
  case SyncOp::Arrive:
  case SyncOp::Release:
  case SyncOp::Add:
    return true;
  case SyncOp::ArriveAndWait:
    return K == SyncKind::Latch;
  case SyncOp::Done:
    return false;
  default:
    return false;
  }
}

SyncCall SyncPrimitives::classify(const CXXMemberCallExpr *Call,
                                  const ASTContext &Ctx) const {
  SyncCall Out;
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return Out;
  SyncKind K = kindOf(M->getParent());
  if (K == SyncKind::None)
    return Out;
  Out.Kind = K;
  Out.Object = Call->getImplicitObjectArgument();
  if (Out.Object)
    Out.Object = Out.Object->IgnoreParenImpCasts();
  Out.Op = K == SyncKind::WaitGroup ? waitGroupOp(M) : stdOp(K, M->getName());
  if (!isArrival(Out.Op) && !takesAmount(K, Out.Op) &&
      Out.Op != SyncOp::Acquire) {
    return Out;
  }
  if (!takesAmount(K, Out.Op) || Call->getNumArgs() == 0) {
    Out.Amount = 1;
    return Out;
  }
  const Expr *Arg = Call->getArg(0);
  if (isa<CXXDefaultArgExpr>(Arg)) {
    Out.Amount = 1;
    return Out;
  }
  if (Arg->isValueDependent() || Arg->isTypeDependent())
    return Out;
  if (std::optional<llvm::APSInt> V = Arg->getIntegerConstantExpr(Ctx))
    Out.Amount = V->getExtValue();
  return Out;
}

const Expr *SyncPrimitives::constructionCount(const Expr *Init) {
  if (!Init)
    return nullptr;
  Init = Init->IgnoreImplicit();
  if (const auto *EWC = dyn_cast<ExprWithCleanups>(Init))
    Init = EWC->getSubExpr()->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
    if (CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)))
      return nullptr;
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (Ctor && Ctor->isCopyOrMoveConstructor())
      return nullptr;
    return CE->getArg(0);
  }
  return nullptr;
}

const ValueDecl *SyncPrimitives::objectDecl(const Expr *Object) {
  for (unsigned Depth = 0; Object && Depth < 4; ++Depth) {
    Object = Object->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Object);
        UO && UO->getOpcode() == UO_Deref) {
      Object = UO->getSubExpr();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(Object)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return dyn_cast<FieldDecl>(ME->getMemberDecl());
      return nullptr;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(Object);
    if (!DRE)
      return nullptr;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return dyn_cast<ValueDecl>(DRE->getDecl());
    // Follow `auto &l = done;` and init-captures `[&l = done]`.
    if (VD->getType()->isReferenceType() && !isa<ParmVarDecl>(VD) &&
        VD->getInit()) {
      const Expr *Init = VD->getInit()->IgnoreParenImpCasts();
      if (isa<DeclRefExpr, MemberExpr>(Init)) {
        Object = Init;
        continue;
      }
    }
    return VD;
  }
  return nullptr;
}

} // namespace pitfall
