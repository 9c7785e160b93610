//===--- Containers.cpp ---------------------------------------------------===//
#include "pitfall/Core/Containers.h"
#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

static const NameList &standardContainers() {
  static const NameList L(StandardContainerTypes);
  return L;
}

/// True if \p RD, or a class it derives from, has a member function
/// named `lock` and one named `unlock`: a mutex, or a class that is one.
static bool isLockable(const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  bool Lock = false, Unlock = false;
  for (const Decl *D : RD->decls()) {
    const auto *ND = dyn_cast<NamedDecl>(D);
    if (const auto *FT = dyn_cast_or_null<FunctionTemplateDecl>(ND))
      ND = FT->getTemplatedDecl();
    if (!isa_and_nonnull<CXXMethodDecl>(ND) || !ND->getIdentifier())
      continue;
    Lock |= ND->getName() == "lock";
    Unlock |= ND->getName() == "unlock";
  }
  if (Lock && Unlock)
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (isLockable(recordOf(B.getType()), Depth + 1))
      return true;
  return false;
}

bool ContainerRecognizer::isAdapter(const CXXRecordDecl *RD) const {
  // A specialization named but not instantiated (a dependent use): its
  // pattern declares what every instantiation holds.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
      Spec && !Spec->hasDefinition())
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  QualType Underlying;
  for (const Decl *D : RD->decls())
    if (const auto *TD = dyn_cast<TypedefNameDecl>(D);
        TD && TD->getIdentifier() && TD->getName() == "container_type")
      Underlying = TD->getUnderlyingType().getCanonicalType();
  // The underlying container, a template parameter in a pattern (std::queue's
  // `_Sequence`), or a container the recognizer knows.
  if (Underlying.isNull() ||
      (!Underlying->isDependentType() && !isContainerType(Underlying)))
    return false;
  // It holds the underlying container, or a container built on it (a
  // wrapper that keeps a std::priority_queue over its container_type).
  bool Holds = false;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType().getCanonicalType();
    if (FT.getUnqualifiedType() == Underlying.getUnqualifiedType() ||
        (!FT->isDependentType() && isContainerType(FT))) {
      Holds = true;
      continue;
    }
    // A class that guards what it holds with a mutex of its own is safe to
    // share: not a container to guard from outside.
    if (isLockable(recordOf(FT, /*ThroughPointers=*/true)))
      return false;
  }
  return Holds;
}

bool ContainerRecognizer::isContainerType(QualType T) const {
  if (T.isNull())
    return false;
  const Type *Key = T.getNonReferenceType().getCanonicalType().getTypePtr();
  auto [It, Inserted] = Cache.try_emplace(Key, false);
  if (!Inserted)
    return It->second;
  const CXXRecordDecl *RD = recordOf(T);
  bool Result = RD && (standardContainers().matches(RD) || Extra.matches(RD) ||
                       isAdapter(RD));
  Cache[Key] = Result;
  return Result;
}

const Expr *ContainerRecognizer::iteratorSource(const Expr *Init) const {
  Init = skipMovesAndCopies(Init);
  // Arithmetic on an iterator: `c.begin() + k`, `std::next(c.begin(), k)`.
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Init);
      OC && OC->getNumArgs() == 2 &&
      (OC->getOperator() == OO_Plus || OC->getOperator() == OO_Minus))
    return iteratorSource(OC->getArg(0));
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Init);
      BO && BO->isAdditiveOp())
    return iteratorSource(BO->getLHS());
  if (const auto *C = dyn_cast_or_null<CallExpr>(Init);
      C && C->getNumArgs() >= 1 && C->getDirectCallee() &&
      isStdFunction(C->getDirectCallee(), {"next", "prev"}))
    return iteratorSource(C->getArg(0));
  const Expr *Object = nullptr;
  llvm::StringRef Name;
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Init)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier())
      return nullptr;
    Object = MC->getImplicitObjectArgument();
    Name = M->getName();
  } else if (const auto *C = dyn_cast_or_null<CallExpr>(Init)) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD || C->getNumArgs() != 1 ||
        !isStdFunction(FD, {"begin", "cbegin", "rbegin", "crbegin"}))
      return nullptr;
    Object = C->getArg(0);
    Name = FD->getName();
  }
  if (!Object || !isContainerType(Object->getType()))
    return nullptr;
  bool Iterator = llvm::StringSwitch<bool>(Name)
                      .Cases("begin", "cbegin", "rbegin", "crbegin", true)
                      .Cases("find", "lower_bound", "upper_bound", true)
                      .Default(false);
  return Iterator ? Object : nullptr;
}

bool isStructuralWriteMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Case("insert", true)
      .Case("insert_or_assign", true)
      .Case("emplace", true)
      .Case("emplace_hint", true)
      .Case("try_emplace", true)
      .Case("emplace_back", true)
      .Case("emplace_front", true)
      .Case("push", true)
      .Case("pop", true)
      .Case("push_back", true)
      .Case("push_front", true)
      .Case("pop_back", true)
      .Case("pop_front", true)
      .Case("erase", true)
      .Case("clear", true)
      .Case("resize", true)
      .Case("reserve", true)
      .Case("shrink_to_fit", true)
      .Case("assign", true)
      .Case("swap", true)
      .Case("merge", true)
      .Case("extract", true)
      .Case("splice", true)
      .Case("remove", true)
      .Case("remove_if", true)
      .Case("unique", true)
      .Case("sort", true)
      .Case("reverse", true)
      .Case("rehash", true)
      .Case("append", true)
      .Case("replace", true)
      .Case("insert_after", true)
      .Case("emplace_after", true)
      .Case("erase_after", true)
      .Case("append_range", true)
      .Case("insert_range", true)
      .Case("prepend_range", true)
      .Case("assign_range", true)
      .Case("resize_and_overwrite", true)
      .Default(false);
}

/// True if the class has a mapped_type (map, unordered_map, and any
/// configured map-like container): its operator[] inserts.
static bool isMapLike(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->hasDefinition())
    return false;
  for (const Decl *D : RD->decls())
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      if (ND->getIdentifier() && ND->getName() == "mapped_type")
        return true;
  // A dependent map type: decide by name.
  if (const IdentifierInfo *II = RD->getIdentifier())
    return II->getName().ends_with("map");
  return false;
}

/// The parent of \p E, skipping nodes that do not change what is done to the
/// value (parentheses, implicit casts, temporaries).
static const Stmt *meaningfulParent(const Expr *&E, const ParentMap &PM) {
  while (true) {
    const Stmt *P = PM.getParent(E);
    if (isa_and_nonnull<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
                        CXXBindTemporaryExpr>(P)) {
      E = cast<Expr>(P);
      continue;
    }
    return P;
  }
}

/// The variable of \p DS that \p E initialises, or null.
static const VarDecl *initialisedVar(const DeclStmt *DS, const Expr *E) {
  for (const Decl *D : DS->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D);
        VD && VD->getInit() &&
        VD->getInit()->IgnoreParenImpCasts() == E->IgnoreParenImpCasts())
      return VD;
  return nullptr;
}

static bool isStdWriteFunction(const FunctionDecl *FD) {
  if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(FD->getName())
      .Case("swap", true)
      .Case("erase", true)
      .Case("erase_if", true)
      .Default(false);
}

ContainerRecognizer::EmptinessUse
ContainerRecognizer::emptinessUse(const Expr *Ref,
                                  const ParentMap &Parents) const {
  const Expr *E = Ref;
  const Stmt *P = meaningfulParent(E, Parents);
  DeclarationName N;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
    N = ME->getMemberDecl()->getDeclName();
  else if (const auto *DM = dyn_cast_or_null<CXXDependentScopeMemberExpr>(P))
    N = DM->getMember();
  else if (const auto *UM = dyn_cast_or_null<UnresolvedMemberExpr>(P))
    N = UM->getMemberName();
  const IdentifierInfo *Name = N.getAsIdentifierInfo();
  if (!Name)
    return EmptinessUse::Other;
  return llvm::StringSwitch<EmptinessUse>(Name->getName())
      .Cases("empty", "size", EmptinessUse::Test)
      .Cases("front", "back", "top", "pop_front", "pop_back", "pop",
             EmptinessUse::NeedsElement)
      .Default(EmptinessUse::Other);
}

ContainerAccess
ContainerRecognizer::classifyUse(const Expr *Ref,
                                 const ParentMap &Parents) const {
  const Expr *E = Ref;
  const Stmt *P = meaningfulParent(E, Parents);
  if (!P || isa<LambdaExpr>(P))
    return ContainerAccess::None; // a capture, not an access
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD)
      return ContainerAccess::Read;
    if (MD->getIdentifier() && isStructuralWriteMethod(MD->getName()))
      return ContainerAccess::Write;
    if (const auto *Assign = MD; Assign->isCopyAssignmentOperator() ||
                                 Assign->isMoveAssignmentOperator())
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
    const DeclarationName N = DM->getMember();
    if (N.isIdentifier() && isStructuralWriteMethod(N.getAsString()))
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(P)) {
    const DeclarationName N = UM->getMemberName();
    if (N.isIdentifier() && isStructuralWriteMethod(N.getAsString()))
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (OC->getNumArgs() == 0 ||
        OC->getArg(0)->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
      return ContainerAccess::Read; // the container is an operand, e.g. a == b
    switch (OC->getOperator()) {
    case OO_Equal:
    case OO_PlusEqual:
      return ContainerAccess::Write;
    case OO_Subscript:
      return isMapLike(Ref->getType()) &&
                     !Ref->getType().getNonReferenceType().isConstQualified()
                 ? ContainerAccess::Write
                 : ContainerAccess::Read;
    default:
      return ContainerAccess::Read;
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
    // Dependent code: `m = other` before instantiation.
    if (BO->isAssignmentOp() &&
        BO->getLHS()->IgnoreParenImpCasts() == E->IgnoreParenImpCasts())
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P)) {
    (void)AS; // dependent operator[]
    return isMapLike(Ref->getType()) ? ContainerAccess::Write
                                     : ContainerAccess::Read;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (isStdWriteFunction(Call->getDirectCallee()))
      return ContainerAccess::Write;
    // Passed to a function: a read if by value or const reference; unknown
    // otherwise (the callee's own accesses are analysed where visible).
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return ContainerAccess::None;
    for (unsigned I = 0, N = Call->getNumArgs();
         I < N && I < FD->getNumParams(); ++I) {
      if (Call->getArg(I)->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
        continue;
      QualType PT = FD->getParamDecl(I)->getType();
      if (PT->isReferenceType() && !PT.getNonReferenceType().isConstQualified())
        return ContainerAccess::None;
      return ContainerAccess::Read;
    }
    return ContainerAccess::None;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
    if (UO->getOpcode() == UO_AddrOf)
      return ContainerAccess::None; // escapes into a pointer
    return ContainerAccess::Read;
  }
  if (isa<UnaryExprOrTypeTraitExpr>(P))
    return ContainerAccess::None;
  const VarDecl *VD = nullptr;
  if (const auto *DS = dyn_cast<DeclStmt>(P))
    VD = initialisedVar(DS, E);
  if (VD) {
    // The hidden range of a range-based for loop: iteration is a read.
    if (VD->isImplicit())
      return ContainerAccess::Read;
    // Binding a non-const reference makes an alias we do not follow.
    QualType T = VD->getType();
    if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
      return ContainerAccess::None;
    return ContainerAccess::Read;
  }
  return ContainerAccess::Read;
}

bool ContainerUse::holdsMoreThan(const ContainerUse &Other) const {
  return llvm::any_of(
      Held, [&](const void *M) { return !llvm::is_contained(Other.Held, M); });
}

llvm::SmallVector<bool, 8>
lockingDecisions(llvm::ArrayRef<ContainerUse> Uses,
                 llvm::function_ref<bool(unsigned, unsigned)> SameContainer) {
  using Kind = ContainerRecognizer::EmptinessUse;
  llvm::SmallVector<bool, 8> Result(Uses.size(), false);
  for (unsigned I = 0, N = Uses.size(); I != N; ++I) {
    if (Uses[I].Use != Kind::Test)
      continue;
    // Every other use of the container takes a lock the test does not
    // hold; the tests made under no more than the test's own locks are the
    // same decision made again.
    bool Decides = true, LockedTest = false, LockedNeedsElement = false;
    for (unsigned J = 0; J != N && Decides; ++J) {
      if (J == I || !SameContainer(I, J))
        continue;
      bool Beyond = Uses[J].holdsMoreThan(Uses[I]);
      if (Uses[J].Use == Kind::Test && !Beyond)
        continue;
      Decides = Beyond;
      LockedTest |= Uses[J].Use == Kind::Test;
      LockedNeedsElement |= Uses[J].Use == Kind::NeedsElement;
    }
    Result[I] = Decides && (LockedTest || !LockedNeedsElement);
  }
  return Result;
}

} // namespace pitfall
